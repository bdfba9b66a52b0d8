"""Structured logs: one JSON line per event, tagged with its chat and update; no secrets.

`configure_logging()` (called by `journeybot run`) writes every record as one JSON object per
line: time, level, logger, message, and `chat_id` / `update_id` when the record was made while
an update was being handled (or passed them in `extra`). The bot token is replaced by
`[token]` wherever it would appear (PTB and httpx put it in request URLs and in `InvalidToken`),
httpx's request log is kept at WARNING, and note texts are never logged at INFO: the per-update
event names the command or button prefix, never what the user typed.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO
from urllib.parse import quote

from telegram import Update

log = logging.getLogger("journeybot.updates")

REDACTED = "[token]"
HANDLER_NAME = "journeybot"
_current_update: ContextVar[tuple[int | None, int | None]] = ContextVar(
    "journeybot_update", default=(None, None)
)
# Attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler")


def secret_forms(token: str | None) -> tuple[str, ...]:
    """The ways a bot token shows up in text: whole, URL-quoted, and its secret half alone."""
    if not token:
        return ()
    forms = {token, quote(token, safe=""), quote(token)}
    secret = token.partition(":")[2]
    if len(secret) >= 8:
        forms.add(secret)
    return tuple(sorted(forms, key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every secret replaced by `[token]`."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class UpdateContextFilter(logging.Filter):
    """Adds `chat_id` and `update_id` of the update being handled, unless the record has them."""

    def filter(self, record: logging.LogRecord) -> bool:
        chat_id, update_id = _current_update.get()
        if getattr(record, "chat_id", None) is None and chat_id is not None:
            record.chat_id = chat_id
        if getattr(record, "update_id", None) is None and update_id is not None:
            record.update_id = update_id
        return True


class RedactingFilter(logging.Filter):
    """Formats the message and replaces the token in it (args and `extra` strings too)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = redact(record.getMessage(), self.secrets)
            record.args = None
            for key, value in vars(record).items():
                if key not in _STANDARD and isinstance(value, str):
                    setattr(record, key, redact(value, self.secrets))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the finished line is redacted again (tracebacks included)."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                event[key] = (
                    value if isinstance(value, (int, float, bool, type(None))) else str(value)
                )
        if record.exc_info:
            event["error"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        return redact(json.dumps(event, ensure_ascii=False), self.secrets)


def configure_logging(
    *, verbose: bool = False, token: str | None = None, stream: IO[str] | None = None
) -> logging.Handler:
    """JSON lines on `stream` (stderr): INFO and up, DEBUG with `verbose`; the token redacted."""
    secrets = secret_forms(token)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(UpdateContextFilter())
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter(secrets))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)  # configured twice: keep one
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in NOISY_LOGGERS:  # httpx logs every request URL, and the URL holds the token
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def describe(update: Update) -> dict[str, object]:
    """What kind of update this is, without anything the user typed: no note text here."""
    if update.callback_query:
        data = update.callback_query.data or ""
        return {"kind": "button", "button": data.partition(":")[0][:16]}
    message = update.effective_message
    if message is None:
        return {"kind": next(iter(update.to_dict().keys() - {"update_id"}), "other")}
    text = message.text or ""
    if text.startswith("/"):
        return {"kind": "command", "command": text.split()[0].split("@")[0][:32]}
    return {"kind": "text" if message.text else "other", "length": len(text)}


@contextmanager
def update_scope(update: object) -> Iterator[None]:
    """Log records made while `update` is handled carry its ids; one "update" line at the end."""
    if not isinstance(update, Update):
        yield
        return
    chat = update.effective_chat
    token = _current_update.set((chat.id if chat else None, update.update_id))
    started = time.perf_counter()
    try:
        yield
    finally:
        log.info(
            "update",
            extra={
                **describe(update),
                "chat_type": chat.type if chat else None,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        _current_update.reset(token)
