"""Error handlers: broken rules become localized replies; the rest is logged and apologised for."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import BotContext
from bot.core.model import DomainError
from bot.replies import reply, reply_error
from bot.texts import t
from storage.chats import get_chat

log = logging.getLogger(__name__)


async def handle_error(update: object, context: BotContext) -> None:
    """Explains DomainErrors to the user; logs the rest with the chat and update ids."""
    error = context.error
    if not isinstance(update, Update) or update.effective_chat is None:
        log.error("error outside an update: %r", error, exc_info=error)
        return
    chat_id = update.effective_chat.id
    if context.chat_record is None:  # error handlers get a fresh context: reload the language
        context.chat_record = get_chat(context.db, chat_id)
    if isinstance(error, DomainError):
        await _tell(update, context, error)
        return
    if isinstance(error, (Forbidden, RetryAfter, TimedOut, NetworkError)):
        log.warning(
            "telegram refused or failed: %s",
            error,
            extra={"chat_id": chat_id, "update_id": update.update_id},
        )
        return
    log.error(
        "unhandled error", exc_info=error, extra={"chat_id": chat_id, "update_id": update.update_id}
    )
    try:
        if update.callback_query:
            await update.callback_query.answer(t(context.lang, "error.generic"), show_alert=True)
        else:
            await reply(update, t(context.lang, "error.generic"))
    except Exception:  # the apology itself failed: the error is already logged
        log.warning("could not apologise", extra={"chat_id": chat_id})


async def _tell(update: Update, context: BotContext, error: DomainError) -> None:
    if update.callback_query:
        try:
            await update.callback_query.answer(
                t(context.lang, error.key, **error.details), show_alert=True
            )
            return
        except BadRequest:  # already answered: say it in the chat instead
            pass
    await reply_error(update, context.lang, error)
