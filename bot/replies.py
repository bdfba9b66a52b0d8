"""Sending and editing messages: the few helpers every handler shares."""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Literal, overload

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.core.model import DomainError
from bot.texts import t

log = logging.getLogger(__name__)

# Telegram's 5xx (and a refused connection) mean the message did not go out: it is sent again
# after these pauses. A timeout is not retried: the message may have been sent all the same.
SEND_RETRY_DELAYS = (0.25, 1.0)


def esc(text: object) -> str:
    """User text made safe for HTML parse mode (`<b>x</b>` shows literally)."""
    return html.escape(str(text), quote=False)


@overload
async def reply(
    update: Update,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    returns_message: Literal[True],
) -> Message: ...


@overload
async def reply(
    update: Update,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    returns_message: Literal[False] = False,
) -> None: ...


async def reply(
    update: Update,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    returns_message: bool = False,
) -> Message | None:
    """Sends `text` to the chat the update came from (replies in groups keep the thread).
    Telegram's answer, the sent `Message`, is parsed only when `returns_message` asks for it
    (to edit it later): building it was 15–20 % of a send's CPU (bot/telegram_bot.py)."""
    chat = update.effective_chat
    message = update.effective_message
    reply_to = (
        message.message_id
        if chat.type != "private" and message and not update.callback_query
        else None
    )
    bot = chat.get_bot()
    send = bot.send_message if returns_message else bot.send_message_unparsed
    for pause in (*SEND_RETRY_DELAYS, None):
        try:
            return await send(
                chat.id,
                text,
                reply_markup=keyboard,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        except (BadRequest, TimedOut):
            raise
        except NetworkError as error:
            if pause is None:
                raise
            log.warning("sending failed, again in %ss: %s", pause, error)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")  # the last attempt returns or raises


_CANNOT_EDIT = ("not found", "can't be edited", "no text in the message")


async def edit_or_reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | bool | None:
    """Edits the message whose button was pressed; sends a new message if that is impossible
    (None: that message is not parsed, see `reply`)."""
    query = update.callback_query
    # a picture's buttons (no text to replace) get their answer in a new message
    if query and query.message and query.message.is_accessible and query.message.text:
        try:
            return await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            reason = error.message.lower()
            if "not modified" in reason:
                return True
            # a deleted message, an old one, or a photo (no text to replace): answer anew
            if not any(gone in reason for gone in _CANNOT_EDIT):
                raise
    return await reply(update, text, keyboard)


async def reply_error(update: Update, lang: str, error: DomainError) -> None:
    """Explains a broken rule in the user's language (the user's words in it are escaped)."""
    details = {k: esc(v) if isinstance(v, str) else v for k, v in error.details.items()}
    await reply(update, t(lang, error.key, **details))
