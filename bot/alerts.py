"""Alerts to the operator's chat (`JOURNEYBOT_ADMIN_CHAT_ID`): unhandled errors, database
errors and start-up problems, one per kind per 10 minutes, with no note text and no token."""

from __future__ import annotations

import logging
import sqlite3
import time

from telegram import Bot
from telegram.error import TelegramError

from bot.core.alerts import AlertGate, alert_text
from bot.logs import redact, secret_forms

log = logging.getLogger(__name__)


class OperatorAlerts:
    """Sends alerts to `chat_id` (None: alerts are only logged)."""

    def __init__(self, chat_id: int | None, *, token: str | None = None) -> None:
        self.chat_id = chat_id
        self.gate = AlertGate()
        self.secrets = secret_forms(token)

    async def error(
        self,
        bot: Bot,
        error: BaseException,
        *,
        chat_id: int | None = None,
        update_id: int | None = None,
    ) -> bool:
        """An error no handler dealt with; SQLite errors are one kind, others one per type."""
        if isinstance(error, sqlite3.Error):
            kind, detail = "database error", f"SQLite: {error}"
        else:
            kind, detail = f"unhandled {type(error).__name__}", None
        text = alert_text(kind, error, detail=detail, chat_id=chat_id, update_id=update_id)
        return await self.send(bot, kind, text)

    async def send(self, bot: Bot, kind: str, text: str) -> bool:
        """Sends `text` unless an alert of `kind` went out in the last 10 minutes."""
        if self.chat_id is None or not self.gate.allow(kind, time.monotonic()):
            return False
        try:
            await bot.send_message(self.chat_id, redact(text, self.secrets), parse_mode=None)
        except TelegramError as problem:
            log.warning("operator alert not sent: %s", problem)
            return False
        return True
