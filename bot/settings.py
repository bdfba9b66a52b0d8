"""Configuration from the command line and the environment, validated at start-up."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from storage.db import default_db_path

DEFAULT_LISTEN = "127.0.0.1:8080"
DEFAULT_BACKUP_KEEP = 7
RESERVED_PATHS = frozenset({"/", "/healthz"})
RESERVED_PREFIXES = ("/board", "/api/", "/healthz")
HTTP_BACKENDS = ("aiohttp", "httpx")  # how the bot talks to the Bot API (bot/aiohttp_request.py)
_LISTEN = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


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
    # JOURNEYBOT_HTTP: "aiohttp" (bot/aiohttp_request.py; http:// proxies only) or "httpx"
    # (PTB's own HTTPXRequest, for SOCKS proxies)
    http_backend: str = "aiohttp"
    # --- serving (issue 17): webhook mode, the web app, backups ---
    webhook_url: str | None = None  # set: webhook mode; None: long polling
    listen: str | None = None  # host:port of the web app; None: 127.0.0.1:8080 with a webhook,
    # no web app with polling
    webhook_secret: str | None = None  # X-Telegram-Bot-Api-Secret-Token
    public_url: str | None = None  # https://bot.example.org: the web app as users reach it
    backup_dir: str | None = None  # set: a backup a day kept there
    backup_keep: int = DEFAULT_BACKUP_KEEP

    @classmethod
    def from_env(
        cls,
        *,
        db_path: str | None = None,
        base_url: str | None = None,
        webhook_url: str | None = None,
        listen: str | None = None,
    ) -> Settings:
        """Settings from `TELEGRAM_BOT_TOKEN`, `TELEGRAM_API_BASE_URL`, `JOURNEYBOT_DB`,
        `JOURNEYBOT_CONVERSATION_MINUTES`, `JOURNEYBOT_RETRAIN_WEEKLY`, `JOURNEYBOT_HTTP`, the
        serving variables (`JOURNEYBOT_WEBHOOK_URL`, `JOURNEYBOT_LISTEN`, `TELEGRAM_WEBHOOK_SECRET`,
        `JOURNEYBOT_PUBLIC_URL`) and the backup ones (`JOURNEYBOT_BACKUP_DIR`,
        `JOURNEYBOT_BACKUP_KEEP`). Arguments win over the environment."""
        env = os.environ
        base_url = base_url or env.get("TELEGRAM_API_BASE_URL") or None
        settings = cls(
            db_path=db_path or default_db_path(),
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=base_url,
            base_file_url=file_url_for(base_url) if base_url else None,
            admin_chat_id=_chat_id(os.environ.get("JOURNEYBOT_ADMIN_CHAT_ID")),
            conversation_timeout=conversation_timeout_from_env(),
            retrain_weekly=switch("JOURNEYBOT_RETRAIN_WEEKLY"),
            http_backend=env.get("JOURNEYBOT_HTTP", "").strip().lower() or "aiohttp",
            webhook_url=webhook_url or env.get("JOURNEYBOT_WEBHOOK_URL") or None,
            listen=listen or env.get("JOURNEYBOT_LISTEN") or None,
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            public_url=env.get("JOURNEYBOT_PUBLIC_URL") or None,
            backup_dir=env.get("JOURNEYBOT_BACKUP_DIR") or None,
            backup_keep=_count(env.get("JOURNEYBOT_BACKUP_KEEP"), "JOURNEYBOT_BACKUP_KEEP",
                               DEFAULT_BACKUP_KEEP),
        )
        settings.validate()
        return settings

    @property
    def webhook_mode(self) -> bool:
        return self.webhook_url is not None

    @property
    def webhook_path(self) -> str:
        """The path the web app takes updates on: the webhook URL's ("/tg")."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def serves_web(self) -> bool:
        """Whether the web app runs: always with a webhook, with polling when --listen is set."""
        return self.webhook_mode or self.listen is not None

    @property
    def listen_address(self) -> tuple[str, int]:
        """`listen` as (host, port); "[::1]:8080" and "0.0.0.0:8080" both work."""
        host, _, port = (self.listen or DEFAULT_LISTEN).rpartition(":")
        return host.strip("[]") or "127.0.0.1", int(port)

    @property
    def public_root(self) -> str | None:
        """Where users and Telegram reach the web app: JOURNEYBOT_PUBLIC_URL, else the webhook
        URL's origin."""
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            return f"{parts.scheme}://{parts.netloc}"
        return None

    def validate(self) -> None:
        """Raises ConfigError for settings that cannot work."""
        if self.token is not None and (
            ":" not in self.token or any(c.isspace() for c in self.token)
        ):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (id:secret).")
        if self.http_backend not in HTTP_BACKENDS:
            raise ConfigError(
                f"JOURNEYBOT_HTTP must be aiohttp or httpx, got {self.http_backend[:40]!r}"
            )
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
        self._validate_serving()

    def _validate_serving(self) -> None:
        listen = self.listen or DEFAULT_LISTEN
        if not _LISTEN.fullmatch(listen) or not 0 < int(listen.rpartition(":")[2]) < 65536:
            raise ConfigError(
                f"--listen / JOURNEYBOT_LISTEN must be HOST:PORT such as 127.0.0.1:8080 or "
                f"0.0.0.0:8080, got {self.listen!r}"
            )
        if self.backup_keep < 1:
            raise ConfigError("JOURNEYBOT_BACKUP_KEEP must be 1 or more (how many backups to keep)")
        if self.webhook_url is None:
            return
        # Telegram's cloud takes HTTPS webhooks only; a local Bot API server (--base-url) takes
        # http:// too.
        schemes = ("https://", "http://") if self.base_url else ("https://",)
        if not self.webhook_url.startswith(schemes) or not urlsplit(self.webhook_url).netloc:
            raise ConfigError(
                "--webhook-url / JOURNEYBOT_WEBHOOK_URL must be the public HTTPS address Telegram "
                f"posts updates to, such as https://bot.example.org/tg; got {self.webhook_url!r}"
            )
        if self.webhook_path in RESERVED_PATHS or self.webhook_path.startswith(RESERVED_PREFIXES):
            raise ConfigError(
                f"the webhook URL's path {self.webhook_path!r} is taken by the web app; "
                "use another, such as /tg"
            )
        if not self.webhook_secret:
            raise ConfigError(
                "webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 letters, digits, _ or -), "
                "e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if not _SECRET.fullmatch(self.webhook_secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET may hold only 1-256 letters, digits, _ and - "
                "(Telegram's rule for secret_token)"
            )


def _count(value: str | None, name: str, default: int) -> int:
    if not value or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value.strip()[:40]!r}") from None


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
