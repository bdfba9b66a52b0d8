"""Sending and editing messages: the few helpers every handler shares."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.core.model import DomainError
from bot.texts import t


def esc(text: object) -> str:
    """User text made safe for HTML parse mode (`<b>x</b>` shows literally)."""
    return html.escape(str(text), quote=False)


async def reply(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> Message:
    """Sends `text` to the chat the update came from (replies in groups keep the thread)."""
    chat = update.effective_chat
    message = update.effective_message
    reply_to = (
        message.message_id
        if chat.type != "private" and message and not update.callback_query
        else None
    )
    return await chat.get_bot().send_message(
        chat.id,
        text,
        reply_markup=keyboard,
        reply_to_message_id=reply_to,
        allow_sending_without_reply=True,
    )


async def edit_or_reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | bool:
    """Edits the message whose button was pressed; sends a new message if that is impossible."""
    query = update.callback_query
    if query and query.message and query.message.is_accessible:
        try:
            return await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return True
            if (
                "not found" not in error.message.lower()
                and "can't be edited" not in error.message.lower()
            ):
                raise
    return await reply(update, text, keyboard)


async def reply_error(update: Update, lang: str, error: DomainError) -> None:
    """Explains a broken rule in the user's language; nothing they wrote is lost."""
    await reply(update, t(lang, error.key, **error.details))
