"""Error handlers: broken rules become localized replies; the rest is logged and apologised for.

The handler itself never raises: whatever goes wrong while explaining or apologising is logged.
"""

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

# Telegram refused (blocked, flood) or could not be reached: nothing to apologise for, and an
# apology would fail the same way. BadRequest is a NetworkError subclass in PTB, but it means
# our request was wrong — a bug: it is checked first and apologised for.
TRANSIENT = (Forbidden, RetryAfter, TimedOut, NetworkError)


async def handle_error(update: object, context: BotContext) -> None:
    """Explains DomainErrors to the user; logs the rest with the chat and update ids."""
    try:
        await _handle(update, context)
    except Exception:  # the error handler must not raise
        log.exception("the error handler failed", extra={"error": repr(context.error)})


async def _handle(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update) or update.effective_chat is None:
        log.error("error outside an update: %r", error, exc_info=error)
        return
    ids = {"chat_id": update.effective_chat.id, "update_id": update.update_id}
    if isinstance(error, DomainError):
        await _load_language(update, context)
        await _tell(update, context, error)
        return
    if isinstance(error, TRANSIENT) and not isinstance(error, BadRequest):
        log.warning("telegram refused or failed: %s", error, extra=ids)
        return
    log.error("unhandled error", exc_info=error, extra=ids)
    await _load_language(update, context)
    await _apologise(update, context)


async def _load_language(update: Update, context: BotContext) -> None:
    """Error handlers get a fresh context: the chat's language is loaded again (English if the
    database itself is what failed)."""
    if context.chat_record is None:
        try:
            context.chat_record = get_chat(context.db, update.effective_chat.id)
        except Exception:
            log.warning("chat settings unavailable while handling an error", exc_info=True)


async def _apologise(update: Update, context: BotContext) -> None:
    try:
        if update.callback_query:
            await update.callback_query.answer(t(context.lang, "error.generic"), show_alert=True)
        else:
            await reply(update, t(context.lang, "error.generic"))
    except Exception:  # the apology itself failed: the error is already logged
        log.warning("could not apologise", extra={"chat_id": update.effective_chat.id})


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
