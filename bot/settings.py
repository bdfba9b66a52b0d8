"""Configuration from the command line and the environment, validated at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from storage.db import default_db_path


class ConfigError(ValueError):
    """The configuration cannot work; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """What the application needs to start. `token` None means the console transport."""

    db_path: str
    token: str | None = None
    base_url: str | None = None
    base_file_url: str | None = None
    load_nlp: bool = True
    reminder_interval: float = 20.0
    rate_limit: bool = True
    admin_chat_id: int | None = None  # the operator's chat for alerts
    group_ack_delay: float = 3.0  # seconds between a group's combined note acknowledgements
    # A conversation (/newmap, /rename…) left unanswered this long ends: a later message is
    # then a note, not an answer to a question asked long ago.
    conversation_timeout: timedelta = timedelta(minutes=30)
    retrain_weekly: bool = False  # JOURNEYBOT_RETRAIN_WEEKLY: bot/retrain.py
    public_url: str | None = None  # https://bot.example.org: the web app as users reach it

    @classmethod
    def from_env(cls, *, db_path: str | None = None, base_url: str | None = None) -> Settings:
        """Settings from `TELEGRAM_BOT_TOKEN`, `TELEGRAM_API_BASE_URL`, `JOURNEYBOT_DB`,
        `JOURNEYBOT_CONVERSATION_MINUTES`, `JOURNEYBOT_RETRAIN_WEEKLY` and
        `JOURNEYBOT_ADMIN_CHAT_ID`."""
        base_url = base_url or os.environ.get("TELEGRAM_API_BASE_URL") or None
        settings = cls(
            db_path=db_path or default_db_path(),
            token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=base_url,
            base_file_url=file_url_for(base_url) if base_url else None,
            admin_chat_id=_chat_id(os.environ.get("JOURNEYBOT_ADMIN_CHAT_ID")),
            conversation_timeout=conversation_timeout_from_env(),
            retrain_weekly=switch("JOURNEYBOT_RETRAIN_WEEKLY"),
            public_url=os.environ.get("JOURNEYBOT_PUBLIC_URL") or None,
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raises ConfigError for settings that cannot work."""
        if self.token is not None and (
            ":" not in self.token or any(c.isspace() for c in self.token)
        ):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (id:secret).")
        if self.conversation_timeout <= timedelta(0):
            raise ConfigError("JOURNEYBOT_CONVERSATION_MINUTES must be a positive number.")
        if self.public_url and not self.public_url.startswith(("https://", "http://")):
            raise ConfigError(
                f"JOURNEYBOT_PUBLIC_URL must start with https://, got {self.public_url!r}"
            )
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"--base-url must start with http:// or https://, got {self.base_url!r}"
            )


def _chat_id(value: str | None) -> int | None:
    """A chat id from the environment ("-100123", "42"); empty means none."""
    if not value or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(
            f"JOURNEYBOT_ADMIN_CHAT_ID must be a chat id (a number such as 123456789), "
            f"got {value.strip()[:40]!r}"
        ) from None


def switch(name: str) -> bool:
    """An on/off environment setting: 1/true/yes/on or 0/false/no/off (unset: off)."""
    value = os.environ.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be 1 or 0 (on or off), got {value!r}")


def conversation_timeout_from_env() -> timedelta:
    """`JOURNEYBOT_CONVERSATION_MINUTES` (default 30): how long a question waits for its answer."""
    value = os.environ.get("JOURNEYBOT_CONVERSATION_MINUTES", "").strip()
    if not value:
        return timedelta(minutes=30)
    try:
        return timedelta(minutes=float(value))
    except ValueError:
        raise ConfigError(
            f"JOURNEYBOT_CONVERSATION_MINUTES must be a number of minutes, got {value!r}"
        ) from None


def file_url_for(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (".../bot" → ".../file/bot")."""
    root, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{tail}"
