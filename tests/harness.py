"""End-to-end harness: the real journeybot Application polling the Bot API emulator over HTTP.

`BotUnderTest` starts and stops (restarts) the application on a real SQLite file; `Person` is
one Telegram user in one chat who types, replies and presses buttons, and waits until the bot
has handled each of their updates — no sleeps.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application, running
from bot.settings import Settings
from bot.web import bind, serving
from tests.emulator.emulator import TelegramEmulator
from tests.emulator.models import RecordedMessage, User

TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = "test-webhook-secret_1"


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on (for a bot process's web app)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def eventually(predicate, timeout: float = 10.0, step: float = 0.05):
    """Awaits a condition outside the emulator (a file, a database row), checked every `step`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := predicate()):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"not true within {timeout} s")
        await asyncio.sleep(step)
    return value


class TracedApplication(Application):
    """The real Application, counting the updates it has finished handling."""

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            self.bot_data["_processed"] = self.bot_data.get("_processed", 0) + 1


@dataclass
class BotUnderTest:
    """journeybot on `db_path`, talking to the emulator; `restart()` keeps the database."""

    emu: TelegramEmulator
    db_path: Path
    load_nlp: bool = True
    rate_limit: bool = False
    reminder_interval: float = 0.2
    admin_chat_id: int | None = None
    webhook: bool = False  # True: the emulator posts updates to the bot's web app (bot/web.py)
    web: bool = False  # True: the web app (/healthz) runs beside polling
    backup_dir: Path | None = None
    backup_keep: int = 7
    group_ack_delay: float = 0.05
    public_url: str | None = None
    http_backend: str = "aiohttp"  # or "httpx": how the bot talks to the Bot API
    app: Application | None = None
    expected: int = 0
    _running: object = None
    port: int = 0  # the web app's (webhook mode), kept across restarts

    @property
    def web_url(self) -> str:
        """http://127.0.0.1:PORT of the bot's web app (webhook mode)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        serving = {}
        if self.webhook:
            serving = dict(webhook_url=f"{self.web_url}/tg", webhook_secret=WEBHOOK_SECRET,
                           listen=self.web_url.removeprefix("http://"))
        elif self.web:
            serving = dict(listen=self.web_url.removeprefix("http://"))
        return Settings(
            **serving,
            db_path=str(self.db_path),
            token=TOKEN,
            base_url=self.emu.base_url,
            base_file_url=self.emu.base_file_url,
            load_nlp=self.load_nlp,
            rate_limit=self.rate_limit,
            reminder_interval=self.reminder_interval,
            admin_chat_id=self.admin_chat_id,
            backup_dir=str(self.backup_dir) if self.backup_dir else None,
            backup_keep=self.backup_keep,
            group_ack_delay=self.group_ack_delay,
            public_url=self.public_url,
            http_backend=self.http_backend,
        )

    @property
    def db(self):
        return self.app.bot_data["db"]

    async def start(self) -> BotUnderTest:
        if self.webhook or self.web:
            sock = bind(Settings(db_path="", listen=f"127.0.0.1:{self.port}"))
            self.port = sock.getsockname()[1]
            self.app = build_application(
                self.settings, application_class=TracedApplication, with_updater=not self.webhook
            )
            self._running = serving(self.app, self.settings, sock)
        else:
            self.app = build_application(self.settings, application_class=TracedApplication)
            self._running = running(self.app, poll=True, poll_timeout=1)
        await self._running.__aenter__()
        self.expected = 0
        return self

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.__aexit__(None, None, None)
            self._running = None

    async def __aenter__(self) -> BotUnderTest:
        return await self.start()

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def done(self) -> int:
        """Updates handled, or shed on arrival (bot/inbox.py), since the last start."""
        return self.app.bot_data.get("_processed", 0) + self.app.update_queue.shed

    async def settle(self, timeout: float = 10.0) -> None:
        """Waits until the bot has handled (or shed) every update the test expects it to see,
        the notes of groups are in a combined acknowledgement (bot/group_acks.py) and every
        notice about a shed message has been sent."""
        deadline = asyncio.get_running_loop().time() + timeout
        while (
            self.done < self.expected
            or self.app.bot_data["group_acks"].waiting()
            or self.app.update_queue.notices_due
        ):
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"bot handled {self.done} of {self.expected} updates")
            await asyncio.sleep(0.005)


@dataclass
class Person:
    """One user in one chat. Group chats get replies-to-the-bot, as privacy mode requires."""

    bot: BotUnderTest
    chat_id: int
    user: User
    chat_type: str | None = None
    title: str | None = None
    seen: set[int] = field(default_factory=set)

    @property
    def emu(self) -> TelegramEmulator:
        return self.bot.emu

    def _fresh(self) -> list[RecordedMessage]:
        fresh = [m for m in self.emu.bot_messages(self.chat_id) if m.message_id not in self.seen]
        self.seen.update(m.message_id for m in fresh)
        return fresh

    async def says(
        self, text: str, *, reply_to: int | None = None, timeout: float = 10.0
    ) -> list[RecordedMessage]:
        """Sends a message; returns the bot's new messages once it has handled it (`timeout`:
        more for a first picture or /map text, whose worker process may still be starting)."""
        self._fresh()
        self.emu.send_message(
            self.chat_id,
            text,
            user=self.user,
            chat_type=self.chat_type,
            title=self.title,
            reply_to_message_id=reply_to,
        )
        self.bot.expected += 1
        await self.bot.settle(timeout)
        return self._fresh()

    async def forwards(self, text: str, origin: dict) -> list[RecordedMessage]:
        """Forwards someone else's message (`origin`: tests.emulator.emulator.origin_*)."""
        self._fresh()
        self.emu.send_message(
            self.chat_id, text, user=self.user, chat_type=self.chat_type, title=self.title,
            forward_origin=origin,
        )
        self.bot.expected += 1
        await self.bot.settle()
        return self._fresh()

    async def sends_document(
        self, data: bytes, file_name: str, mime_type: str = "text/csv", *, reply_to_bot=False
    ) -> list[RecordedMessage]:
        """Sends a file (in a group: as a reply to the bot's latest message if asked)."""
        self._fresh()
        reply_to = None
        if reply_to_bot:
            last = self.emu.last_bot_message(self.chat_id)
            reply_to = last.message_id if last else None
        self.emu.send_document(
            self.chat_id, data, file_name=file_name, mime_type=mime_type, user=self.user,
            chat_type=self.chat_type, reply_to_message_id=reply_to,
        )
        self.bot.expected += 1
        await self.bot.settle(timeout=60)
        return self._fresh()

    async def answers(self, text: str) -> list[RecordedMessage]:
        """Replies to the bot's latest message (how answers reach the bot in a group)."""
        last = self.emu.last_bot_message(self.chat_id)
        return await self.says(text, reply_to=last.message_id if last else None)

    async def sends_sticker(self) -> list[RecordedMessage]:
        self._fresh()
        self.emu.send_sticker(self.chat_id, user=self.user, chat_type=self.chat_type)
        self.bot.expected += 1
        await self.bot.settle()
        return self._fresh()

    async def presses(
        self,
        label: str,
        message: RecordedMessage | None = None,
    ) -> list[RecordedMessage]:
        """Presses the button whose text contains `label` on `message` (default: the latest
        bot message with buttons); returns new bot messages."""
        message = message or self.latest_with_buttons()
        data = button_data(message, label)
        return await self.presses_data(message.message_id, data)

    async def presses_data(
        self,
        message_id: int,
        data: str,
        *,
        force: bool = False,
    ) -> list[RecordedMessage]:
        self._fresh()
        self.emu.press_button(self.chat_id, message_id, data, user=self.user, force=force)
        self.bot.expected += 1
        await self.bot.settle()
        return self._fresh()

    async def starts_map(self, name: str, *, finish: bool = False) -> list[RecordedMessage]:
        """/newmap <name>, no persona, the standard stages; then the lane questions (or not)."""
        await self.says(f"/newmap {name}")
        await self.presses("Skip")
        replies = await self.presses("Use these stages")
        return await self.presses("Finish") if finish else replies

    def latest_with_buttons(self) -> RecordedMessage:
        for message in reversed(self.emu.bot_messages(self.chat_id)):
            if message.callback_data:
                return message
        raise AssertionError("no bot message with buttons")

    def message(self, message_id: int) -> RecordedMessage:
        return next(m for m in self.emu.bot_messages(self.chat_id) if m.message_id == message_id)

    def last_answer(self) -> dict:
        return self.emu.answered_callbacks[-1]


def button_data(message: RecordedMessage, label: str) -> str:
    """The callback data of the button labelled `label` (emoji and case aside), else of the
    only button whose label contains it."""
    buttons = [button for row in message.buttons for button in row]
    exact = [b for b in buttons if _fold(b["text"]) == _fold(label)]
    partial = [b for b in buttons if _fold(label) in _fold(b["text"])]
    found = exact or partial
    if len(found) != 1:
        raise AssertionError(f"{len(found)} buttons {label!r} in {message.button_texts}")
    return found[0]["callback_data"]


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum() or c == " ").strip()
