"""/board: the active map as a Telegram Mini App (the page and its API are in bot/board.py).

In a private chat the button opens the board at once (a `web_app` button). Telegram allows those
buttons in private chats only, so in a group the button is the Mini App's direct link
(t.me/<bot>/board?startapp=c<chat id>); the board then shows that group's map to its members.
Without JOURNEYBOT_PUBLIC_URL there is no address to open: /board says how to set one.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo

from bot.context import BotContext
from bot.flows.common import active_map
from bot.replies import esc, reply
from bot.texts import t

BOARD_APP_NAME = "board"  # the Mini App's short name, registered with @BotFather's /newapp
START_PARAM_PREFIX = "c"  # startapp=c-100123: the board of chat -100123


def start_param_for(chat_id: int) -> str:
    """The direct link's start parameter naming a group's board ("c-100123").

    Here rather than in bot/board.py so that a group's /board builds its link without importing
    the board's web side (starlette, the Mini App's signature check with cryptography) on the
    event loop; bot/board.py reads the parameter back with the same prefix."""
    return f"{START_PARAM_PREFIX}{chat_id}"


def board_links(public_url: str, bot_username: str, chat_id: int, chat_type: str) -> dict:
    """The button's target: {"web_app": url} in a private chat, {"url": link} in a group."""
    if chat_type == "private":
        return {"web_app": f"{public_url}/board/?chat_id={chat_id}"}
    startapp = start_param_for(chat_id)
    return {"url": f"https://t.me/{bot_username}/{BOARD_APP_NAME}?startapp={startapp}"}


async def board_command(update: Update, context: BotContext) -> None:
    """Sends the button that opens the active map's board."""
    lang = context.lang
    public_url = context.bot_data.get("public_url")
    if not public_url:
        await reply(update, t(lang, "board.no_public_url"))
        return
    journey = active_map(context)
    chat = update.effective_chat
    target = board_links(public_url, context.bot.username, chat.id, chat.type)
    label = t(lang, "board.open")
    if "web_app" in target:
        button = InlineKeyboardButton(label, web_app=WebAppInfo(target["web_app"]))
    else:
        button = InlineKeyboardButton(label, url=target["url"])
    await reply(
        update, t(lang, "board.intro", name=esc(journey.name)), InlineKeyboardMarkup([[button]])
    )
