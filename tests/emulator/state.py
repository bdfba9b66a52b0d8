"""The emulator's in-memory world: chats, messages, updates, files, calls, faults, flood control.

All of it is guarded by one re-entrant lock (``EmulatorState.lock``), so the HTTP server thread
and test code in any other thread can both use it. Nobody awaits while holding the lock.
Every change calls :meth:`EmulatorState.notify`, which wakes long polls and waiting tests.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import ApiError, CallRecord, Fault, JSONDict, RecordedMessage, StoredFile, User

#: Update types delivered when allowed_updates is empty or was never set (Bot API docs).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
#: Methods counted by flood control (sendChatAction is not a message).
SEND_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendAnimation",
        "sendVoice", "sendVideoNote", "sendSticker", "sendMediaGroup", "sendLocation",
        "sendVenue", "sendContact", "sendPoll", "sendDice", "sendInvoice", "copyMessage",
        "copyMessages", "forwardMessage", "forwardMessages",
    }
)


def update_type(update: JSONDict) -> str:
    """Return the kind of an update: the key beside ``update_id`` (``"message"``...)."""
    return next((key for key in update if key != "update_id"), "unknown")


def infer_chat_type(chat_id: int) -> str:
    """Guess a chat's type from its id: positive = private, -100… = supergroup, else group."""
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"

# The bot's statuses in a group that leave it out: Telegram refuses its sends there and
# delivers it no updates ("restricted-left" is restricted with is_member false: gone too).
BOT_OUT_OF_CHAT = frozenset({"left", "kicked", "restricted-left"})


@dataclass
class ChatState:
    """One chat: its Chat object, messages, member statuses and the bot's own standing."""

    chat: JSONDict
    chat_instance: str
    next_message_id: int = 1
    messages: dict[int, RecordedMessage] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    blocked: bool = False

    @property
    def id(self) -> int:
        """The chat id."""
        return int(self.chat["id"])

    @property
    def type(self) -> str:
        """private, group, supergroup or channel."""
        return str(self.chat["type"])

    @property
    def is_group(self) -> bool:
        """True for groups and supergroups."""
        return self.type in ("group", "supergroup")


class FloodControl:
    """Sliding-window limits like Telegram's: global per second, per chat, per group per minute."""

    def __init__(
        self,
        global_per_second: int | None = 30,
        per_group_per_minute: int | None = 20,
        per_chat_per_second: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rules: list[tuple[str, int, float]] = []
        if global_per_second:
            self.rules.append(("global", global_per_second, 1.0))
        if per_chat_per_second:
            self.rules.append(("chat", per_chat_per_second, 1.0))
        if per_group_per_minute:
            self.rules.append(("group", per_group_per_minute, 60.0))
        self.clock = clock
        self.sent: dict[tuple[str, int], deque[float]] = {}

    def _windows(self, chat: ChatState) -> list[tuple[deque[float], int, float]]:
        windows = []
        for scope, limit, period in self.rules:
            if scope == "group" and not chat.is_group:
                continue
            key = (scope, 0 if scope == "global" else chat.id)
            windows.append((self.sent.setdefault(key, deque()), limit, period))
        return windows

    def admit(self, chat: ChatState) -> int | None:
        """Count one message to ``chat``; return None, or seconds to wait if over a limit."""
        now = self.clock()
        windows = self._windows(chat)
        wait = 0.0
        for sent, limit, period in windows:
            while sent and sent[0] <= now - period:
                sent.popleft()
            if len(sent) >= limit:
                wait = max(wait, sent[0] + period - now)
        if wait > 0:
            return max(1, math.ceil(wait))
        for sent, _limit, _period in windows:
            sent.append(now)
        return None


class EmulatorState:
    """Everything the emulator knows; see the module docstring for the locking rule."""

    def __init__(self, *, bot_username: str, bot_first_name: str, privacy_mode: bool,
                 strict_html: bool) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.listeners: list[Callable[[], None]] = []
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.default_privacy_mode = privacy_mode
        self.strict_html = strict_html
        self.clock: Callable[[], float] = time.time
        self.bot_id = 0
        self._ids = itertools.count(1)
        self.next_update_id = 1  # never reset: a long-lived bot's offset must stay valid
        self.last_fetched_update_id = 0
        self.reset()

    def reset(self) -> None:
        """Forget every chat, update, message, file, call, fault, limit and registered token."""
        with self.lock:
            self.privacy_mode = self.default_privacy_mode
            self.tokens: set[str] | None = None
            self.chats: dict[int, ChatState] = {}
            self.users: dict[int, User] = {}
            self.updates: list[JSONDict] = []
            self.allowed_updates: list[str] | None = None
            self.webhook: JSONDict | None = None
            self.webhook_error: tuple[int, str] | None = None  # (unix time, message)
            self.webhook_deliveries: list[JSONDict] = []
            self.commands: dict[str, list[JSONDict]] = {}
            self.files: dict[str, StoredFile] = {}
            self.files_by_path: dict[str, StoredFile] = {}
            self.calls: list[CallRecord] = []
            self.faults: list[Fault] = []
            self.flood: FloodControl | None = None
            self.callback_queries: dict[str, JSONDict] = {}
            self.answered_callbacks: list[JSONDict] = []
            self.chat_actions: list[JSONDict] = []
            self.notify()

    # ------------------------------------------------------------------ signalling

    def notify(self) -> None:
        """Wake everybody waiting for a change (call with or without the lock held)."""
        with self.lock:
            self.changed.notify_all()
            listeners = list(self.listeners)
        for listener in listeners:
            listener()

    # ------------------------------------------------------------------ identities

    def bot_user(self) -> JSONDict:
        """The bot as a User object (``from`` of its messages)."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def bot_id_for_token(self, token: str) -> int:
        """Check a token (``<digits>:<secret>``); return the bot id or raise 401."""
        head, sep, secret = token.partition(":")
        if not (sep and head.isdigit() and secret) or (
            self.tokens is not None and token not in self.tokens
        ):
            raise ApiError(401, "Unauthorized")
        return int(head)

    def next_id(self) -> int:
        """A fresh number for file ids, callback ids and the like."""
        return next(self._ids)

    # ------------------------------------------------------------------ chats

    def ensure_chat(self, chat_id: int, chat_type: str | None = None, *, user: User | None = None,
                    title: str | None = None) -> ChatState:
        """Return the chat, creating it (private chats from ``user``) if it does not exist."""
        with self.lock:
            chat = self.chats.get(chat_id)
            if chat is not None:
                return chat
            kind = chat_type or infer_chat_type(chat_id)
            data: JSONDict = {"id": chat_id, "type": kind}
            if kind == "private":
                person = user or self.users.get(chat_id) or User(chat_id, f"User{chat_id}")
                data.update({k: v for k, v in person.to_json().items()
                             if k in ("first_name", "last_name", "username")})
            else:
                data["title"] = title or f"Test {kind} {chat_id}"
            instance = str(int(hashlib.sha1(str(chat_id).encode()).hexdigest()[:15], 16))
            chat = ChatState(chat=data, chat_instance=instance)
            self.chats[chat_id] = chat
            return chat

    def resolve_chat(self, chat_id: Any) -> ChatState:
        """Find the chat a bot addressed (id or ``@username``), or raise 400 chat not found."""
        with self.lock:
            if isinstance(chat_id, str) and chat_id.startswith("@"):
                for chat in self.chats.values():
                    if chat.chat.get("username", "").lower() == chat_id[1:].lower():
                        return chat
                raise ApiError(400, "Bad Request: chat not found")
            try:
                chat = self.chats.get(int(chat_id))
            except (TypeError, ValueError):
                chat = None
            if chat is None:
                raise ApiError(400, "Bad Request: chat not found")
            return chat

    def member_status(self, chat: ChatState, user_id: int) -> str:
        """A user's status in a chat; defaults: the private chat's user and group users are
        ``member``, the bot follows ``bot_status``, strangers are ``left``."""
        if user_id == self.bot_id:
            return chat.bot_status
        if user_id in chat.members:
            return chat.members[user_id]
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        return "member" if user_id in self.users else "left"

    # ------------------------------------------------------------------ messages

    def new_message(self, chat: ChatState, sender: JSONDict, fields: JSONDict, *,
                    from_bot: bool) -> RecordedMessage:
        """Create and store the next message of ``chat``; ``fields`` go into the Message."""
        with self.lock:
            message_id = chat.next_message_id
            chat.next_message_id += 1
            message: JSONDict = {"message_id": message_id, "from": sender,
                                 "chat": copy.deepcopy(chat.chat), "date": int(self.clock())}
            message.update(fields)
            record = RecordedMessage(message_id=message_id, chat_id=chat.id, from_bot=from_bot,
                                     message=message)
            chat.messages[message_id] = record
            return record

    def find_message(self, chat: ChatState, message_id: Any) -> RecordedMessage | None:
        """Return a live (not deleted) message of the chat, or None."""
        try:
            record = chat.messages.get(int(message_id))
        except (TypeError, ValueError):
            return None
        return None if record is None or record.deleted else record

    # ------------------------------------------------------------------ updates

    def push_update(self, payload: JSONDict) -> JSONDict:
        """Queue an update (``update_id`` is assigned unless given) and wake the bot."""
        with self.lock:
            update = copy.deepcopy(payload)
            if "update_id" not in update:
                update = {"update_id": self.next_update_id, **update}
            self.next_update_id = max(self.next_update_id, int(update["update_id"])) + 1
            self.updates.append(update)
        self.notify()
        return copy.deepcopy(update)

    def is_allowed(self, update: JSONDict) -> bool:
        """Tell whether the bot's current allowed_updates let this update through."""
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in DEFAULT_EXCLUDED_UPDATES

    def take_updates(self, offset: int | None, limit: int,
                     allowed: list[str] | None) -> list[JSONDict]:
        """getUpdates without the waiting: confirm by offset, filter, return up to ``limit``."""
        with self.lock:
            if offset is not None and offset < 0:
                self.updates = self.updates[offset:]
            elif offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if allowed is not None:
                self.allowed_updates = list(allowed) or None
            dropped = [u["update_id"] for u in self.updates if not self.is_allowed(u)]
            self.updates = [u for u in self.updates if self.is_allowed(u)]
            batch = copy.deepcopy(self.updates[: max(1, min(limit, 100))])
            seen = [u["update_id"] for u in batch] + dropped
            if seen:
                self.last_fetched_update_id = max(self.last_fetched_update_id, *seen)
                self.notify()
            return batch

    def next_webhook_delivery(self) -> tuple[JSONDict, JSONDict] | None:
        """The webhook and the oldest update to POST to it, or None."""
        with self.lock:
            if self.webhook is None:
                return None
            self.updates = [u for u in self.updates if self.is_allowed(u)]
            if not self.updates:
                return None
            return dict(self.webhook), copy.deepcopy(self.updates[0])

    def webhook_answered(self, update: JSONDict, status: int | None, error: str | None) -> None:
        """Record one delivery; a 2xx answer confirms the update (it leaves the queue)."""
        update_id = update["update_id"]
        with self.lock:
            self.webhook_deliveries.append({"update_id": update_id, "status": status,
                                            "error": error, "time": self.clock(),
                                            "update": update})
            if error is None:
                self.updates = [u for u in self.updates if u["update_id"] != update_id]
                self.last_fetched_update_id = max(self.last_fetched_update_id, update_id)
            else:
                self.webhook_error = (int(self.clock()), error)
        self.notify()

    # ------------------------------------------------------------------ faults, limits, files

    def take_fault(self, method: str, chat_id: Any) -> Fault | None:
        """Return (and count) the first injected fault matching this call, if any."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, chat_id):
                    fault.hits += 1
                    return fault
            return None

    def admit_send(self, method: str, chat: ChatState) -> None:
        """Apply flood control to a send-type call; raise 429 with retry_after when over."""
        with self.lock:
            if self.flood is None or method not in SEND_METHODS:
                return
            wait = self.flood.admit(chat)
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def store_file(self, data: bytes, *, kind: str, file_name: str | None = None,
                   mime_type: str | None = None) -> StoredFile:
        """Keep bytes under a new file_id and file_path (``photos/file_3.jpg``...)."""
        with self.lock:
            number = self.next_id()
            extension = ""
            if file_name and "." in file_name:
                extension = "." + file_name.rsplit(".", 1)[1]
            elif kind == "photos":
                extension = ".jpg"
            stored = StoredFile(
                file_id=f"emu-{kind[:5]}-{number:06d}-{hashlib.sha1(data).hexdigest()[:16]}",
                file_unique_id=f"AgAD{hashlib.sha1(data).hexdigest()[:12]}",
                file_path=f"{kind}/file_{number}{extension}",
                data=data, mime_type=mime_type, file_name=file_name,
            )
            self.files[stored.file_id] = stored
            self.files_by_path[stored.file_path] = stored
            return stored

    def record_call(self, record: CallRecord) -> None:
        """Append one API call to the log and wake waiters."""
        with self.lock:
            self.calls.append(record)
        self.notify()
