"""Error handlers: broken rules become localized replies; the rest is logged, apologised for and
reported to the operator (bot/alerts.py).

The handler itself never raises: whatever goes wrong while explaining or apologising is logged.
It works when the database does not: it reads the chat's language only if it can, and falls
back to the sender's Telegram language.
"""

from __future__ import annotations

import logging
import sqlite3

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import BotContext
from bot.core.journey import language_from_code
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
    """Explains DomainErrors to the user; logs the rest with the chat and update ids, apologises
    (database errors with their own apology) and alerts the operator."""
    try:
        await _handle(update, context)
    except Exception:  # the error handler must not raise
        log.exception("the error handler failed", extra={"error": repr(context.error)})


async def _handle(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update) or update.effective_chat is None:
        log.error("error outside an update: %r", error, exc_info=error)
        alerts = context.bot_data.get("alerts")
        if alerts is not None and not (
            isinstance(error, TRANSIENT) and not isinstance(error, BadRequest)
        ):
            await alerts.error(context.bot, error)
        return
    ids = {"chat_id": update.effective_chat.id, "update_id": update.update_id}
    if isinstance(error, DomainError):
        await _tell(update, context, error, _language(update, context))
        return
    if isinstance(error, TRANSIENT) and not isinstance(error, BadRequest):
        log.warning("telegram refused or failed: %s", error, extra=ids)
        return
    await apologise_and_alert(update, context, error)


async def apologise_and_alert(update: Update, context: BotContext, error: Exception) -> None:
    """Logs `error`, tells the operator (rate-limited) and apologises to the user: a database
    error with its own localized apology ("not saved, try again"), anything else generically."""
    chat_id = update.effective_chat.id
    is_database = isinstance(error, sqlite3.Error)
    log.error(
        "database error" if is_database else "unhandled error",
        exc_info=error,
        extra={"chat_id": chat_id, "update_id": update.update_id},
    )
    alerts = context.bot_data.get("alerts")
    if alerts is not None:
        await alerts.error(context.bot, error, chat_id=chat_id, update_id=update.update_id)
    apology = t(_language(update, context), "error.database" if is_database else "error.generic")
    try:
        if update.callback_query:
            await update.callback_query.answer(apology, show_alert=True)
        else:
            await reply(update, apology)
    except Exception:  # the apology itself failed: the error is already logged
        log.warning("could not apologise", extra={"chat_id": chat_id})


def _language(update: Update, context: BotContext) -> str:
    """The chat's language (error handlers get a fresh context: it is loaded again); the
    sender's Telegram language when the database itself is what failed."""
    if context.chat_record is None:
        try:
            context.chat_record = get_chat(context.db, update.effective_chat.id)
        except Exception:
            log.warning("chat settings unavailable while handling an error", exc_info=True)
    if context.chat_record is not None:
        return context.chat_record.lang
    user = update.effective_user
    return language_from_code(user.language_code if user else None)


async def _tell(update: Update, context: BotContext, error: DomainError, lang: str) -> None:
    if update.callback_query:
        try:
            await update.callback_query.answer(t(lang, error.key, **error.details), show_alert=True)
            return
        except BadRequest:  # already answered: say it in the chat instead
            pass
    await reply_error(update, lang, error)
