"""Sending pictures and files: the map's picture, charts and exports (sendPhoto, sendDocument).

Pictures are drawn in the worker process (bot/offload.py); this module only sends them.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, InputFile, Message, Update

from bot.context import BotContext
from bot.core.model import JourneyMap
from bot.exports import ExportFile, slug
from bot.replies import esc
from bot.texts import t


def _reply_to(update: Update) -> int | None:
    """In groups the bot answers the command's message (as `bot.replies.reply` does)."""
    message = update.effective_message
    if update.effective_chat.type == "private" or update.callback_query or message is None:
        return None
    return message.message_id


async def send_picture(
    update: Update,
    png: bytes,
    caption: str,
    *,
    filename: str = "picture.png",
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    """Sends a PNG as a photo to the chat the update came from."""
    chat = update.effective_chat
    return await chat.get_bot().send_photo(
        chat.id,
        photo=InputFile(png, filename=filename),
        caption=caption,
        reply_markup=keyboard,
        reply_to_message_id=_reply_to(update),
        allow_sending_without_reply=True,
    )


async def send_file(update: Update, export: ExportFile, caption: str) -> Message:
    """Sends an export as a document with its file name."""
    chat = update.effective_chat
    return await chat.get_bot().send_document(
        chat.id,
        document=InputFile(export.data, filename=export.filename),
        caption=caption,
        reply_to_message_id=_reply_to(update),
        allow_sending_without_reply=True,
    )


async def send_map_picture(
    update: Update, context: BotContext, journey: JourneyMap, png: bytes
) -> Message:
    """Sends the map's picture (drawn by `bot.render.map_picture` in the worker) as a photo."""
    caption = t(context.lang, "picture.caption", name=esc(journey.name))
    filename = f"{slug(journey.name, context.lang)}.png"
    return await send_picture(update, png, caption, filename=filename)
