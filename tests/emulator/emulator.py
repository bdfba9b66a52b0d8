"""TelegramEmulator: the object tests use. It runs the server and plays the users.

Every public method is thread-safe: call it from a test's event loop, another thread, or while
a bot in a subprocess talks to the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from typing import TypeVar

from .markup import detect_entities, utf16_len
from .methods import chat_member_json
from .models import CallRecord, Fault, JSONDict, RecordedMessage, User, tiny_png
from .server import ApiServer
from .state import BOT_OUT_OF_CHAT, ChatState, EmulatorState, FloodControl

T = TypeVar("T")

DEFAULT_GROUP_USER = User(7001, "Grace", username="grace_member")
# "restricted-left": Telegram's "restricted" with is_member false — restricted, and no longer in
# the chat (a restricted member who left keeps the restrictions, should they come back)
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "restricted-left", "left",
                   "kicked")


class TelegramEmulator:
    """A local Telegram Bot API for tests: ``with TelegramEmulator() as emu: ...``.

    Point PTB at it with ``.base_url(emu.base_url).base_file_url(emu.base_file_url)``.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0,
                 bot_username: str = "journeybot_test_bot",
                 bot_first_name: str = "JourneyBot Test", privacy_mode: bool = True,
                 strict_html: bool = True) -> None:
        """Create a stopped emulator.

        ``privacy_mode`` (BotFather's default, on): in groups the bot only receives commands,
        replies to its messages and service messages, unless it is an administrator.
        ``strict_html``: a bare ``&`` in HTML text is a parse error (Telegram keeps it).
        """
        self.state = EmulatorState(bot_username=bot_username, bot_first_name=bot_first_name,
                                   privacy_mode=privacy_mode, strict_html=strict_html)
        self.server = ApiServer(self.state, host, port)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> TelegramEmulator:
        """Start serving on 127.0.0.1 in a background thread; return self."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop the server and its thread (waiting long polls are answered first)."""
        self.server.stop()

    def __enter__(self) -> TelegramEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port (known once started)."""
        return self.server.port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.server.host}:{self.server.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``: ``http://127.0.0.1:PORT/bot``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url``: ``http://127.0.0.1:PORT/file/bot``."""
        return f"{self.url}/file/bot"

    def reset(self) -> None:
        """Clear chats, updates, messages, files, calls, faults and rate limits.

        Update ids keep increasing across resets, as a long-lived bot expects.
        """
        self.state.reset()

    def register_token(self, token: str) -> None:
        """Accept only registered tokens from now on (others get 401 Unauthorized)."""
        with self.state.lock:
            self.state.tokens = (self.state.tokens or set()) | {token}

    def set_privacy_mode(self, enabled: bool) -> None:
        """Turn the bot's group privacy mode on or off (until the next reset)."""
        with self.state.lock:
            self.state.privacy_mode = enabled

    @property
    def bot_user(self) -> JSONDict:
        """The bot's User object (its id comes from the token of the latest request)."""
        with self.state.lock:
            return self.state.bot_user()

    # ------------------------------------------------------------------ chats and users

    def _user_for(self, chat: ChatState, user: User | None) -> User:
        if user is None:
            if chat.type == "private":
                user = self.state.users.get(chat.id) or User(
                    chat.id, str(chat.chat.get("first_name", f"User{chat.id}")),
                    username=chat.chat.get("username"))
            else:
                user = DEFAULT_GROUP_USER
        self.state.users.setdefault(user.id, user)
        if chat.is_group and user.id not in chat.members:
            chat.members[user.id] = "member"
        return user

    def create_chat(self, chat_id: int, *, chat_type: str | None = None,
                    title: str | None = None, user: User | None = None) -> JSONDict:
        """Make a chat exist without a message (so the bot can write to it first)."""
        with self.state.lock:
            if user is not None:
                self.state.users.setdefault(user.id, user)
            chat = self.state.ensure_chat(chat_id, chat_type, user=user, title=title)
            return copy.deepcopy(chat.chat)

    def _user_message(self, chat_id: int, fields: JSONDict, *, user: User | None,
                      chat_type: str | None, title: str | None,
                      reply_to_message_id: int | None) -> JSONDict:
        """Create a user's message, record it and queue it as an update if the bot sees it."""
        with self.state.lock:
            chat = self.state.ensure_chat(chat_id, chat_type, user=user, title=title)
            sender = self._user_for(chat, user)
            if reply_to_message_id is not None:
                target = self.state.find_message(chat, reply_to_message_id)
                if target is None:
                    raise LookupError(f"chat {chat_id} has no message {reply_to_message_id}")
                replied = copy.deepcopy(target.message)
                replied.pop("reply_to_message", None)
                fields = {**fields, "reply_to_message": replied}
            if chat.type == "private" and chat.blocked:
                self._set_blocked(chat, sender, blocked=False)
            record = self.state.new_message(chat, sender.to_json(), fields, from_bot=False)
            record.text = fields.get("text")
            record.caption = fields.get("caption")
            message = copy.deepcopy(record.message)
            delivered = self._bot_sees(chat, message)
        if delivered:
            self.state.push_update({"message": message})
        else:
            self.state.notify()
        return message

    def _bot_sees(self, chat: ChatState, message: JSONDict) -> bool:
        """Privacy mode: what a bot receives from a group (Bot API docs, "Privacy mode")."""
        if chat.type != "group" and chat.type != "supergroup":
            return True
        if chat.bot_status in BOT_OUT_OF_CHAT:
            return False
        if not self.state.privacy_mode or chat.bot_status in ("administrator", "creator"):
            return True
        reply = message.get("reply_to_message") or {}
        if reply.get("from", {}).get("id") == self.state.bot_id:
            return True  # replies to the bot's messages, files and stickers too
        if not any(key in message for key in ("text", "caption")):
            return "photo" not in message and "document" not in message and (
                "sticker" not in message)
        entities = message.get("entities") or []
        if entities and entities[0]["type"] == "bot_command" and entities[0]["offset"] == 0:
            command = message["text"][: entities[0]["length"]]
            target = command.partition("@")[2]
            return not target or target.lower() == self.state.bot_username.lower()
        return False

    def send_message(self, chat_id: int, text: str, *, user: User | None = None,
                     chat_type: str | None = None, title: str | None = None,
                     reply_to_message_id: int | None = None,
                     entities: list[JSONDict] | None = None,
                     forward_origin: JSONDict | None = None) -> JSONDict:
        """A user writes ``text`` in a chat; return the Message (queued as an update).

        The chat is created on first use; its type is inferred from the id unless given
        (positive: private, ``-100…``: supergroup, other negative: group). Commands, mentions,
        hashtags and links get entities as Telegram adds them. ``forward_origin`` (a
        MessageOrigin as JSON, see `origin_user`, `origin_hidden_user`, `origin_chat`,
        `origin_channel`) makes it a message the user forwarded from elsewhere.
        """
        fields: JSONDict = {"text": text}
        if forward_origin is not None:
            fields["forward_origin"] = forward_origin
        found = detect_entities(text) if entities is None else entities
        if found:
            fields["entities"] = found
        return self._user_message(chat_id, fields, user=user, chat_type=chat_type,
                                  title=title, reply_to_message_id=reply_to_message_id)

    def send_photo(self, chat_id: int, data: bytes | None = None, *, caption: str | None = None,
                   user: User | None = None, chat_type: str | None = None,
                   forward_origin: JSONDict | None = None) -> JSONDict:
        """A user sends a photo (a tiny PNG by default; forwarded from elsewhere with
        ``forward_origin``); the bot can getFile it."""
        data = data if data is not None else tiny_png()
        stored = self.state.store_file(data, kind="photos", mime_type="image/png")
        fields: JSONDict = {"photo": [{"file_id": stored.file_id,
                                       "file_unique_id": stored.file_unique_id,
                                       "file_size": len(data), "width": 90, "height": 90}]}
        if caption:
            fields["caption"] = caption
        if forward_origin is not None:
            fields["forward_origin"] = forward_origin
        return self._user_message(chat_id, fields, user=user, chat_type=chat_type, title=None,
                                  reply_to_message_id=None)

    def send_document(self, chat_id: int, data: bytes, *, file_name: str = "file.txt",
                      mime_type: str = "text/plain", caption: str | None = None,
                      user: User | None = None, chat_type: str | None = None,
                      reply_to_message_id: int | None = None,
                      forward_origin: JSONDict | None = None) -> JSONDict:
        """A user sends a file (in a group perhaps as a reply to the bot; forwarded from
        elsewhere with ``forward_origin``); the bot can getFile and download it."""
        stored = self.state.store_file(data, kind="documents", file_name=file_name,
                                       mime_type=mime_type)
        fields: JSONDict = {"document": {"file_id": stored.file_id,
                                         "file_unique_id": stored.file_unique_id,
                                         "file_name": file_name, "mime_type": mime_type,
                                         "file_size": len(data)}}
        if caption:
            fields["caption"] = caption
        if forward_origin is not None:
            fields["forward_origin"] = forward_origin
        return self._user_message(chat_id, fields, user=user, chat_type=chat_type, title=None,
                                  reply_to_message_id=reply_to_message_id)

    def send_sticker(self, chat_id: int, *, emoji: str = "👍", user: User | None = None,
                     chat_type: str | None = None) -> JSONDict:
        """A user sends a sticker (a message without text)."""
        stored = self.state.store_file(b"RIFF\x00\x00\x00\x00WEBP", kind="stickers",
                                       file_name="sticker.webp", mime_type="image/webp")
        sticker = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                   "type": "regular", "width": 512, "height": 512, "is_animated": False,
                   "is_video": False, "emoji": emoji, "file_size": len(stored.data)}
        return self._user_message(chat_id, {"sticker": sticker}, user=user,
                                  chat_type=chat_type, title=None, reply_to_message_id=None)

    def edit_message(self, chat_id: int, message_id: int, text: str) -> JSONDict:
        """A user edits their own earlier message: queues an ``edited_message`` update."""
        with self.state.lock:
            chat = self.state.resolve_chat(chat_id)
            record = self.state.find_message(chat, message_id)
            if record is None or record.from_bot:
                raise LookupError(f"chat {chat_id} has no user message {message_id}")
            record.edits.append({"text": record.text, "message": copy.deepcopy(record.message)})
            record.message = {**record.message, "text": text,
                              "edit_date": int(self.state.clock())}
            record.message.pop("entities", None)
            if found := detect_entities(text):
                record.message["entities"] = found
            record.text = text
            message = copy.deepcopy(record.message)
        self.state.push_update({"edited_message": message})
        return message

    def press_button(self, chat_id: int, message_id: int, data: str, *,
                     user: User | None = None, force: bool = False) -> JSONDict:
        """A user presses an inline button; return the CallbackQuery (queued as an update).

        The bot's message must exist and carry a button with this callback_data, unless
        ``force=True`` (forged or stale data; a missing message becomes inaccessible).
        """
        with self.state.lock:
            chat = self.state.ensure_chat(chat_id)
            presser = self._user_for(chat, user)
            record = self.state.find_message(chat, message_id)
            if not force:
                self._check_button(chat_id, message_id, data, record)
            if record is not None:
                message = copy.deepcopy(record.message)
            else:
                message = {"chat": copy.deepcopy(chat.chat), "message_id": message_id,
                           "date": 0}
            query_id = str(4_000_000_000_000_000_000 + self.state.next_id())
            query = {"id": query_id, "from": presser.to_json(), "message": message,
                     "chat_instance": chat.chat_instance, "data": data}
            self.state.callback_queries[query_id] = {
                "answered": False, "data": data, "chat_id": chat_id, "message_id": message_id}
        self.state.push_update({"callback_query": query})
        return copy.deepcopy(query)

    @staticmethod
    def _check_button(chat_id: int, message_id: int, data: str,
                      record: RecordedMessage | None) -> None:
        if record is None or not record.from_bot:
            raise LookupError(f"chat {chat_id} has no bot message {message_id} to press "
                              "(use force=True for stale or forged presses)")
        if data not in record.callback_data:
            raise LookupError(f"message {message_id} has no button with callback_data {data!r}; "
                              f"it has {record.callback_data} (use force=True to forge)")

    def push_raw_update(self, update: JSONDict) -> JSONDict:
        """Queue any update as given (``update_id`` is added when missing); return it."""
        return self.state.push_update(update)

    # ------------------------------------------------------------------ members

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember answers for a user (creator, administrator, member,
        restricted, restricted-left, left, kicked); no update is sent."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        with self.state.lock:
            chat = self.state.ensure_chat(chat_id)
            chat.members[user_id] = status
        self.state.notify()

    def add_chat_member(self, chat_id: int, user: User, *, status: str = "member",
                        chat_type: str | None = None, title: str | None = None,
                        service_message: bool = True) -> JSONDict | None:
        """A user joins a group: sets the status, queues a ``chat_member`` update (delivered
        only if the bot allows it) and a ``new_chat_members`` service message."""
        return self._member_change(chat_id, user, status, chat_type, title,
                                   "new_chat_members" if service_message else None)

    def remove_chat_member(self, chat_id: int, user: User, *, status: str = "left",
                           service_message: bool = True) -> JSONDict | None:
        """A user leaves (``left``) or is banned (``kicked``): like add_chat_member."""
        return self._member_change(chat_id, user, status, None, None,
                                   "left_chat_member" if service_message else None)

    def _member_change(self, chat_id: int, user: User, status: str, chat_type: str | None,
                       title: str | None, service: str | None) -> JSONDict | None:
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        with self.state.lock:
            chat = self.state.ensure_chat(chat_id, chat_type, user=user, title=title)
            self.state.users.setdefault(user.id, user)
            old = self.state.member_status(chat, user.id)
            chat.members[user.id] = status
            change = self._member_update(chat, user.to_json(), user.to_json(), old, status)
        self.state.push_update({"chat_member": change})
        if service is None:
            return None
        value = [user.to_json()] if service == "new_chat_members" else user.to_json()
        return self._user_message(chat_id, {service: value}, user=user, chat_type=None,
                                  title=None, reply_to_message_id=None)

    def _member_update(self, chat: ChatState, actor: JSONDict, subject: JSONDict, old: str,
                       new: str) -> JSONDict:
        return {"chat": copy.deepcopy(chat.chat), "from": actor, "date": int(self.state.clock()),
                "old_chat_member": chat_member_json(old, subject),
                "new_chat_member": chat_member_json(new, subject)}

    def set_bot_status(self, chat_id: int, status: str, *, by: User | None = None,
                       chat_type: str | None = None, title: str | None = None) -> JSONDict:
        """Change the bot's own status in a chat (added, promoted, kicked...) and queue the
        ``my_chat_member`` update Telegram sends; return it."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        with self.state.lock:
            chat = self.state.ensure_chat(chat_id, chat_type, title=title, user=by)
            actor = self._user_for(chat, by)
            old = chat.bot_status
            if chat.type == "private":
                chat.blocked = status == "kicked"
            chat.bot_status = status
            change = self._member_update(chat, actor.to_json(), self.state.bot_user(), old,
                                         status)
        return self.state.push_update({"my_chat_member": change})["my_chat_member"]

    def block_bot(self, chat_id: int) -> JSONDict:
        """The private chat's user blocks the bot: sends answer 403 until they write again."""
        return self.set_bot_status(chat_id, "kicked")

    def _set_blocked(self, chat: ChatState, user: User, *, blocked: bool) -> None:
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        chat.blocked = blocked
        chat.bot_status = new
        change = self._member_update(chat, user.to_json(), self.state.bot_user(), old, new)
        self.state.push_update({"my_chat_member": change})

    # ------------------------------------------------------------------ reading

    def bot_messages(self, chat_id: int, *, include_deleted: bool = False
                     ) -> list[RecordedMessage]:
        """The bot's messages in a chat, oldest first, each in its current state (copies)."""
        with self.state.lock:
            chat = self.state.chats.get(chat_id)
            if chat is None:
                return []
            return [copy.deepcopy(m) for m in chat.messages.values()
                    if m.from_bot and (include_deleted or not m.deleted)]

    def messages(self, chat_id: int) -> list[RecordedMessage]:
        """Every message of a chat, users' and the bot's, oldest first (copies)."""
        with self.state.lock:
            chat = self.state.chats.get(chat_id)
            return [copy.deepcopy(m) for m in chat.messages.values()] if chat else []

    def last_bot_message(self, chat_id: int) -> RecordedMessage | None:
        """The bot's latest live message in a chat, or None."""
        messages = self.bot_messages(chat_id)
        return messages[-1] if messages else None

    def calls(self, method: str | None = None) -> list[CallRecord]:
        """Every API request so far (or only those of ``method``), oldest first."""
        with self.state.lock:
            return [c for c in self.state.calls if method is None or c.method == method]

    @property
    def answered_callbacks(self) -> list[JSONDict]:
        """answerCallbackQuery calls: query id, text, show_alert, url, data, chat, message."""
        with self.state.lock:
            return copy.deepcopy(self.state.answered_callbacks)

    def chat_actions(self, chat_id: int | None = None) -> list[JSONDict]:
        """sendChatAction calls (``{"chat_id", "action", "time"}``)."""
        with self.state.lock:
            return [dict(a) for a in self.state.chat_actions
                    if chat_id is None or a["chat_id"] == chat_id]

    def webhook_deliveries(self) -> list[JSONDict]:
        """Every POST to the webhook so far: ``{"update_id", "status", "error", "time",
        "update"}``."""
        with self.state.lock:
            return copy.deepcopy(self.state.webhook_deliveries)

    def pending_updates(self) -> list[JSONDict]:
        """Updates the bot has not confirmed yet (fetched or not)."""
        with self.state.lock:
            return copy.deepcopy(self.state.updates)

    def commands(self, *, scope: str = "default", language_code: str = "") -> list[JSONDict]:
        """The bot's command list for a scope type and language (setMyCommands)."""
        with self.state.lock:
            return copy.deepcopy(self.state.commands.get(f"{scope}:::{language_code}", []))

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes stored under a file_id (bot uploads and user sends)."""
        with self.state.lock:
            return self.state.files[file_id].data

    def member_status(self, chat_id: int, user_id: int) -> str:
        """What getChatMember would answer for this user's status."""
        with self.state.lock:
            return self.state.member_status(self.state.resolve_chat(chat_id), user_id)

    # ------------------------------------------------------------------ faults & limits

    def inject(self, method: str, *, status: int | None = None, description: str | None = None,
               retry_after: int | None = None, times: int | None = 1,
               chat_id: int | str | None = None, delay: float | None = None,
               parameters: JSONDict | None = None,
               answer_delay: float | None = None) -> Fault:
        """Make the next ``times`` calls of ``method`` ("*" = any; ``times=None`` = until
        cleared), optionally only for ``chat_id``, fail with ``status`` and/or wait ``delay``
        seconds first. A delay without status then runs the call normally (the message is
        sent even if the client gave up, as on Telegram). 429 carries ``retry_after``
        (default 1); ``parameters`` adds e.g. ``{"migrate_to_chat_id": -100…}``.
        ``answer_delay`` carries the call out first (the message is sent) and answers that
        many seconds later: a client killed meanwhile never learns that it went out."""
        if status is None and delay is None and answer_delay is None:
            raise ValueError("inject() needs a status, a delay, an answer_delay, or some of them")
        fault = Fault(method=method, status=status, description=description,
                      retry_after=retry_after, times=times, chat_id=chat_id, delay=delay,
                      parameters=parameters, answer_delay=answer_delay)
        with self.state.lock:
            self.state.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self.state.lock:
            self.state.faults.clear()

    def set_rate_limits(self, global_per_second: int | None = 30,
                        per_group_per_minute: int | None = 20,
                        per_chat_per_second: int | None = None) -> None:
        """Turn on flood control for send-type methods: over a limit, Telegram's 429
        ``Too Many Requests: retry after N`` with ``parameters.retry_after``. Sliding
        windows; refused calls do not count. None disables a limit."""
        with self.state.lock:
            self.state.flood = FloodControl(global_per_second, per_group_per_minute,
                                            per_chat_per_second)

    def clear_rate_limits(self) -> None:
        """Turn flood control off."""
        with self.state.lock:
            self.state.flood = None

    # ------------------------------------------------------------------ waiting

    def _timeout_report(self, what: str, timeout: float) -> str:
        with self.state.lock:
            recent = [f"{c.method}{'' if c.ok else f' -> {c.error_code}'}"
                      for c in self.state.calls[-8:]]
            pending = len(self.state.updates)
        return (f"{what} did not happen within {timeout}s; last calls: {recent}; "
                f"pending updates: {pending}")

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0,
                       *, description: str = "condition") -> T:
        """Await until ``predicate()`` returns something truthy (re-checked on every change
        of the emulator, no polling); return it. Raises TimeoutError with a summary."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def listener() -> None:
            with contextlib.suppress(RuntimeError):  # the waiting loop is closed
                loop.call_soon_threadsafe(changed.set)

        with self.state.lock:
            self.state.listeners.append(listener)
        deadline = loop.time() + timeout
        try:
            while True:
                changed.clear()
                value = predicate()
                if value:
                    return value
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(description, timeout))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
        finally:
            with self.state.lock:
                self.state.listeners.remove(listener)

    def wait_for_sync(self, predicate: Callable[[], T], timeout: float = 5.0,
                      *, description: str = "condition") -> T:
        """Blocking wait_for, for threads and subprocess-bot tests (never inside the loop
        that runs the bot)."""
        deadline = time.monotonic() + timeout
        with self.state.changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(description, timeout))
                self.state.changed.wait(remaining)

    def _enough_messages(self, chat_id: int, count: int) -> Callable[[], list[RecordedMessage]]:
        def check() -> list[RecordedMessage]:
            messages = self.bot_messages(chat_id)
            return messages if len(messages) >= count else []

        return check

    async def wait_for_messages(self, chat_id: int, count: int = 1,
                                timeout: float = 5.0) -> list[RecordedMessage]:
        """Await until the bot has at least ``count`` live messages in the chat; return all."""
        return await self.wait_for(self._enough_messages(chat_id, count), timeout,
                                   description=f"{count} bot message(s) in chat {chat_id}")

    def wait_for_messages_sync(self, chat_id: int, count: int = 1,
                               timeout: float = 5.0) -> list[RecordedMessage]:
        """Blocking wait_for_messages."""
        return self.wait_for_sync(self._enough_messages(chat_id, count), timeout,
                                  description=f"{count} bot message(s) in chat {chat_id}")

    def _enough_calls(self, method: str, count: int, ok: bool | None
                      ) -> Callable[[], list[CallRecord]]:
        def check() -> list[CallRecord]:
            calls = [c for c in self.calls(method) if ok is None or c.ok == ok]
            return calls if len(calls) >= count else []

        return check

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0,
                             *, ok: bool | None = None) -> list[CallRecord]:
        """Await until ``method`` was called ``count`` times (only successes/failures when
        ``ok`` is given); return those calls."""
        return await self.wait_for(self._enough_calls(method, count, ok), timeout,
                                   description=f"{count} {method} call(s)")

    def wait_for_calls_sync(self, method: str, count: int = 1, timeout: float = 5.0,
                            *, ok: bool | None = None) -> list[CallRecord]:
        """Blocking wait_for_calls."""
        return self.wait_for_sync(self._enough_calls(method, count, ok), timeout,
                                  description=f"{count} {method} call(s)")

    def _all_fetched(self) -> bool:
        with self.state.lock:
            last = self.state.next_update_id - 1
            return self.state.last_fetched_update_id >= last or not self.state.updates

    async def wait_until_fetched(self, timeout: float = 5.0) -> bool:
        """Await until the bot has fetched every update queued so far."""
        return await self.wait_for(self._all_fetched, timeout,
                                   description="the bot fetching all updates")

    def wait_until_fetched_sync(self, timeout: float = 5.0) -> bool:
        """Blocking wait_until_fetched."""
        return self.wait_for_sync(self._all_fetched, timeout,
                                  description="the bot fetching all updates")


def entity_text(text: str, entity: JSONDict) -> str:
    """The part of ``text`` an entity covers (offsets are UTF-16 code units)."""
    encoded = text.encode("utf-16-le")
    start, length = entity["offset"] * 2, entity["length"] * 2
    return encoded[start : start + length].decode("utf-16-le")


__all__ = ["TelegramEmulator", "entity_text", "utf16_len"]


# --------------------------------------------------------------------------- forward origins
def origin_user(user: User, date: int) -> JSONDict:
    """A forwarded message's origin: a user who allows linking to their account."""
    return {"type": "user", "date": date, "sender_user": user.to_json()}


def origin_hidden_user(name: str, date: int) -> JSONDict:
    """A forwarded message's origin: a user who hides their account (only a name is given)."""
    return {"type": "hidden_user", "date": date, "sender_user_name": name}


def origin_chat(chat_id: int, title: str, date: int, *, signature: str | None = None
                ) -> JSONDict:
    """A forwarded message's origin: a group's anonymous admin or the group itself."""
    origin: JSONDict = {"type": "chat", "date": date,
                        "sender_chat": {"id": chat_id, "type": "supergroup", "title": title}}
    if signature:
        origin["author_signature"] = signature
    return origin


def origin_channel(chat_id: int, title: str, message_id: int, date: int, *,
                   signature: str | None = None) -> JSONDict:
    """A forwarded message's origin: a channel post."""
    origin: JSONDict = {"type": "channel", "date": date, "message_id": message_id,
                        "chat": {"id": chat_id, "type": "channel", "title": title}}
    if signature:
        origin["author_signature"] = signature
    return origin
