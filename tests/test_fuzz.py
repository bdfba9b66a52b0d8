"""Fuzzing the real bot: at least 10,000 generated updates per run, invariants after each one.

**How updates reach the bot.** The real `Application` from `bot.app.build_application`, with the
Bot API emulator as its Bot API: every answer, edit, file and getChatMember goes over HTTP to the
emulator. The users' side is the emulator's too — it builds each update as Telegram would and
decides what a bot in privacy mode sees in a group — but instead of long-polling, the test takes
the queued updates and hands them to the application as its Updater would:
`Update.de_json(...)`, then the app's own update processor (bot/limits.py) and `process_update`.
Measured on 2 cores, long polling ran at ~30 updates/s (each step waits for a getUpdates round
trip and its wake-up), direct delivery at ~60–70 updates/s: 10,000 updates in about 2½ minutes
instead of 6. Polling itself is covered by the end-to-end tests and tests/test_faults.py.
The per-user flood limit is raised for the fuzzer (it types faster than anyone could).

Every Hypothesis example is one *session*: `FUZZ_STEPS` generated steps (messages, commands,
button presses — live, stale, copied from another chat or forged —, edits, channel posts,
stickers, membership changes, update types the bot has no handler for) played by five people
in four private chats, a basic group (privacy mode) and a supergroup where the bot is an
administrator (it sees everything), against a fresh database, so a failing session replays and
replays on its own. Steps are played one at a time and each update is handled completely before
the next (the emulator records a call before answering it), so every API call and every
database change is attributed to the update that caused it.

**Invariants, checked after every update** (`violations()`):

* no exception other than a `DomainError` (an explained refusal) reaches the error handlers, and
  nothing is logged at ERROR level;
* every API call made while handling an update from chat C targets chat C (and
  answerCallbackQuery targets that very query); no call fails;
* every user message the bot sees gets a reply, unless it is a *deliberate silence*:
  edited messages and channel posts (only new messages are read), service messages
  (joins, leaves), group messages that are neither commands nor replies to the bot (the bot
  sees those only as an administrator; they are answered only when the sender is in a
  conversation with the bot), and updates without a chat or a user (inline queries, polls,
  reactions, buttons under inline messages — the bot offers none of those);
* every button press (a callback query with a message) gets exactly one answerCallbackQuery;
* rows changed while handling an update from chat C (notes, maps, stages, corrections,
  schedules, reviews, reminders, dialogs, chats; recorded by TEMP triggers on the bot's own
  connection) all belong to chat C; a note created then has chat C, a map of chat C, a stage of
  that map, and its text comes from that very update's text;

and every ten steps and at the end of a session: `PRAGMA integrity_check` is "ok",
`PRAGMA foreign_key_check` is empty, and no row refers to another chat's map, note or stage.

**Reproducing.** CI runs a fixed seed (`FUZZ_SEED`, default below) with no example database, so a
failure is the same on every machine; the seed and the rate are printed (`-s` to see them on
success), and a failing session is written to `failing-session.txt` in the test's temporary
directory. `make fuzz` runs a longer campaign with a new seed; `FUZZ_UPDATES=100000
FUZZ_SEED=<n> .venv/bin/python -m pytest tests/test_fuzz.py -s` replays one, and `FUZZ_SHRINK=1`
lets Hypothesis shrink a failure to its shortest session (slow: each try replays a session).
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import Application, filters

from bot.app import build_application, running
from bot.core.admission import ArrivalGate
from bot.core.limits import RateLimiter
from bot.core.model import DomainError
from bot.handlers import HELP_COMMANDS
from bot.settings import Settings
from tests.emulator.models import CallRecord, User
from tests.harness import TOKEN

FUZZ_UPDATES = int(os.environ.get("FUZZ_UPDATES", "10000"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20250407"))
FUZZ_STEPS = int(os.environ.get("FUZZ_STEPS", "250"))
BOT_ID = int(TOKEN.partition(":")[0])
BOT_USERNAME = "journeybot_test_bot"

ANNA = User(9101, "Anna", username="anna_b", language_code="en")
OLEK = User(9102, "Olek", language_code="pl")  # no username
BORYS = User(9103, "Борис", language_code="uk")
CVETA = User(9104, "Цвета", username="cveta", language_code="bg")
NEMO = User(9105, "‮Nemo", language_code=None)  # an RTL override in the name, no language
GROUP = -7001  # a basic group: privacy mode, the bot sees commands and replies to it
SUPERGROUP = -1007002  # the bot is an administrator here: it sees every message
CHANNEL = -1007003
MEMBERS: dict[int, tuple[User, ...]] = {
    ANNA.id: (ANNA,),
    OLEK.id: (OLEK,),
    BORYS.id: (BORYS,),
    CVETA.id: (CVETA,),
    GROUP: (ANNA, BORYS, CVETA, NEMO),
    SUPERGROUP: (OLEK, CVETA, NEMO),
}
CHATS = tuple(MEMBERS)
GROUPS = (GROUP, SUPERGROUP)

# Every prefix the app routes callback data on (bot/app.py, bot/flows/share.py, flow names).
PREFIXES = (
    "lang:", "start:", "start:newmap", "nb:", "nb:stage:", "nb:kind:", "nb:setstage:",
    "nb:setkind:", "nb:undo:", "nb:back:", "maps:use:", "dm:yes:", "dm:no:", "nm:", "nm:pick:",
    "nm:rename:", "nm:remove:", "nm:move:", "nm:to:", "nm:finish:", "note:", "rename:", "sc:",
    "sc:preset:", "sc:day:", "sc:time:", "sc:remove:", "sc:pause:", "rv:", "rv:start:", "rp:",
    "rp:res:", "rp:open:", "rp:idea:", "rp:mine:", "rp:fin:", "rs:", "rs:snooze:", "rs:skip:",
    "sched:open", "ex:", "ex:csv:", "ex:png:", "ex:all:", "sr:", "sr:0:", "sr:5:", "fg:yes",
    "fg:no", "fg:", "", ":", "x:",
)
FRAGMENTS = (
    "", " ", "   ", "\n", "\n\n\t ", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e",
    "\u2066", "\ufeff", "\u00a0", "\u3000", "\u2028", "\x00", "\x01", "\x07", "\x1b[2J", "\x7f",
    "\r\n", "👍", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇵🇱", "👩🏽‍💻", "❤️", "😀😀😀", "e\u0301", "ﷺ", "שלום",
    "مرحبا", "<b>", "</b>", "</a>", '<a href="tg://user?id=1">x</a>', "<script>", "&", "&amp;",
    "&lt;", "<", ">", "*_[", "`", "```", "~~", "||", "[x](http://e.com)", "\\",
    "_*[]()~`>#+-=|{}.!", "'; DROP TABLE notes; --", '" OR 1=1 --', "%s", "{name}", "{0}",
    "NULL", "None", "-1", "0", "99999999999999999999", "/start", f"@{BOT_USERNAME}", "#tag",
    "https://example.com", "Płatność BLIKiem nie działa", "доставка прийшла пізно",
    "Доставката закъсня", "the checkout page is slow", "support chat", "Instagram, Facebook",
    "- kasa\n- koszyk", "1.", "•", "pain", "UTC+2", "Warszawa", "10:00", "Monday", "yes",
)
UNHANDLED_KINDS = (
    "inline_query", "chosen_inline_result", "poll_answer", "message_reaction",
    "message_reaction_count", "chat_join_request", "chat_boost", "removed_chat_boost",
    "shipping_query", "pre_checkout_query", "deleted_business_messages",
)
SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument"}
# Failed edits bot/replies.py:edit_or_reply expects and answers otherwise (or not at all).
BENIGN_FAILURES = (
    "message is not modified", "not found", "can't be edited", "no text in the message"
)
AUDITED = {
    "chats": "{row}.id",
    "maps": "{row}.chat_id",
    "notes": "{row}.chat_id",
    "corrections": "{row}.chat_id",
    "schedules": "{row}.chat_id",
    "reviews": "{row}.chat_id",
    "reminders": "{row}.chat_id",
    "dialogs": "{row}.chat_id",
    "handled_updates": "{row}.chat_id",
    # a map's stages are deleted after the map itself (ON DELETE CASCADE): remembered maps
    "stages": "(SELECT chat_id FROM temp.fuzz_maps WHERE id = {row}.map_id)",
}
# Columns written by background jobs, not by handlers: the search index's keys of a note (the
# job indexes any chat's new notes while an update is being handled).
DERIVED_COLUMNS = {"notes": {"search_keys"}}
CROSS_CHAT = {
    "note on another chat's map": "SELECT n.id FROM notes n JOIN maps m ON m.id = n.map_id "
    "WHERE m.chat_id != n.chat_id",
    "note on another map's stage": "SELECT n.id FROM notes n JOIN stages s ON s.id = n.stage_id "
    "WHERE s.map_id != n.map_id",
    "idea linked to another chat's note": "SELECT n.id FROM notes n JOIN notes p "
    "ON p.id = n.parent_id WHERE p.chat_id != n.chat_id",
    "correction of another chat's note": "SELECT c.id FROM corrections c JOIN notes n "
    "ON n.id = c.note_id WHERE n.chat_id != c.chat_id",
    "schedule of another chat's map": "SELECT s.id FROM schedules s JOIN maps m ON m.id = s.map_id "
    "WHERE m.chat_id != s.chat_id",
    "review of another chat's map": "SELECT r.id FROM reviews r JOIN maps m ON m.id = r.map_id "
    "WHERE m.chat_id != r.chat_id",
    "active map of another chat": "SELECT c.id FROM chats c JOIN maps m ON m.id = c.active_map_id "
    "WHERE m.chat_id != c.id",
}


# ---------------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Say:
    """A person writes `text` (reply 0: no reply, 1: to the bot's latest message, 2: to an
    older bot message, 3: to their own last message)."""

    chat: int
    who: int
    text: str
    reply: int = 0


@dataclass(frozen=True)
class Press:
    """A live button: the `button`-th on the `message`-th latest bot message with buttons."""

    chat: int
    who: int
    message: int
    button: int


@dataclass(frozen=True)
class Replay:
    """Old callback data: seen in `source` (this chat or another one), pressed in `chat`."""

    chat: int
    who: int
    source: int
    index: int


@dataclass(frozen=True)
class Forge:
    """Made-up callback data, on the latest bot message or on a message that does not exist."""

    chat: int
    who: int
    data: str
    missing_message: bool


@dataclass(frozen=True)
class Edit:
    chat: int
    who: int
    text: str


@dataclass(frozen=True)
class Other:
    """A channel post, an edited channel post, a sticker, a photo, a service message or an
    update type the bot has no handler for."""

    kind: str
    chat: int
    who: int
    text: str


@dataclass(frozen=True)
class Member:
    """What getChatMember answers from now on (no update), or a leave with its updates."""

    chat: int
    who: int
    status: str


def _long_text() -> st.SearchStrategy[str]:
    lengths = st.sampled_from((121, 999, 1000, 1001, 4000, 4095, 4096))
    pieces = st.sampled_from(("a", "ą ", "ї", "👨‍👩‍👧‍👦", "<b>", "x\n", "\u200f", "word "))
    return st.builds(lambda piece, n: (piece * n)[:n], pieces, lengths)


def texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
        st.text(alphabet="abcąęłżźїєґъщ .,;-\n", max_size=30),
    )
    joined = st.tuples(st.lists(piece, max_size=6), st.sampled_from(("", " ", "\n", ", ")))
    short = joined.map(lambda parts: parts[1].join(parts[0]))
    return st.one_of(short, short, short, short, short, short, _long_text())


def commands() -> st.SearchStrategy[str]:
    names = st.sampled_from((*HELP_COMMANDS, *HELP_COMMANDS, "fly", "START", "notes", "x" * 40))
    suffix = st.sampled_from(("", "", "", f"@{BOT_USERNAME}", "@JourneyBot_Test_BOT", "@otherbot"))
    arguments = st.one_of(
        st.just(""),
        texts(),
        st.sampled_from(
            ("csv", "json", "md", "png", "all", "image", "text", "1", "#1", "-5", "0", "en", "xx",
             "Polski", "99999999999999999999", ".csv")
        ),
    )
    return st.builds(
        lambda name, at, sep, args: f"/{name}{at}{sep}{args}",
        names,
        suffix,
        st.sampled_from((" ", " ", "\n", "  ")),
        arguments,
    )


def callback_data() -> st.SearchStrategy[str]:
    argument = st.one_of(
        st.integers(-3, 60).map(str),
        st.sampled_from(("99999999999999999999", "1:1", "1:2:3", "0", "x", "", ":", "1e3", "٣")),
        st.text(max_size=20),
        st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda ab: f"{ab[0]}:{ab[1]}"),
    )
    data = st.builds(lambda prefix, arg: prefix + arg, st.sampled_from(PREFIXES), argument)
    return data.map(lambda d: d.encode()[:64].decode(errors="ignore"))


def steps() -> st.SearchStrategy[object]:
    chat = st.sampled_from(CHATS)
    who = st.integers(0, 3)
    index = st.integers(0, 7)
    say = st.builds(Say, chat, who, texts(), st.sampled_from((0, 0, 1, 1, 1, 2, 3)))
    command = st.builds(Say, chat, who, commands(), st.sampled_from((0, 0, 0, 1)))
    return st.one_of(
        say,
        command,
        command,
        st.builds(Press, chat, who, st.integers(0, 3), index),
        st.builds(Press, chat, who, st.just(0), index),
        st.builds(Replay, chat, who, st.sampled_from(CHATS), st.integers(0, 200)),
        st.builds(Forge, chat, who, callback_data(), st.booleans()),
        st.builds(Edit, chat, who, texts()),
        st.builds(
            Other,
            st.sampled_from(
                ("channel_post", "edited_channel_post", "sticker", "photo", "join",
                 "unhandled", "inline_button", "future_field")
            ),
            chat,
            who,
            texts(),
        ),
        st.builds(
            Member,
            st.sampled_from(GROUPS),
            who,
            st.sampled_from(("administrator", "member", "member", "left", "kicked", "leave")),
        ),
    )


# ---------------------------------------------------------------------------------- probe


@dataclass
class Handled:
    """What happened while the bot handled one update."""

    update: Update
    calls: list[CallRecord]
    errors: list[BaseException]
    touched: list[tuple[str, str, int | None, int]]
    new_notes: list[dict]
    in_dialog: bool
    deleted_texts: list[str] = field(default_factory=list)  # of notes deleted meanwhile


@dataclass
class Probe:
    """Attributes API calls, errors and row changes to the update being handled."""

    emu: object
    db: object = None
    handled: dict[int, Handled] = field(default_factory=dict)
    loose_errors: list[BaseException] = field(default_factory=list)
    _errors: list[BaseException] = field(default_factory=list)
    _start: int = 0
    _in_dialog: bool = False

    def attach(self, db) -> None:
        """TEMP triggers on the bot's connection: every row change, with the chat it is of."""
        self.db = db
        db.execute(
            "CREATE TEMP TABLE fuzz_audit (tbl TEXT, op TEXT, chat_id INTEGER, row_id INTEGER)"
        )
        db.execute("CREATE TEMP TABLE fuzz_maps (id INTEGER PRIMARY KEY, chat_id INTEGER)")
        db.execute("CREATE TEMP TABLE fuzz_deleted_texts (text TEXT)")
        db.execute(  # a split (bot/flows/split_note.py) replaces a note with its points
            "CREATE TEMP TRIGGER fuzz_notes_text_gone AFTER DELETE ON notes BEGIN "
            "INSERT INTO fuzz_deleted_texts VALUES (OLD.text); END"
        )
        db.execute(
            "CREATE TEMP TRIGGER fuzz_maps_seen AFTER INSERT ON maps BEGIN "
            "INSERT OR REPLACE INTO fuzz_maps VALUES (NEW.id, NEW.chat_id); END"
        )
        for table, chat in AUDITED.items():
            derived = DERIVED_COLUMNS.get(table, set())
            content = ", ".join(c.name for c in db[table].columns if c.name not in derived)
            for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                event = f"UPDATE OF {content}" if op == "UPDATE" and derived else op
                db.execute(
                    f"CREATE TEMP TRIGGER fuzz_{table}_{op.lower()} AFTER {event} ON {table} "
                    f"BEGIN INSERT INTO fuzz_audit VALUES ('{table}', '{op}', "
                    f"{chat.format(row=row)}, {row}.rowid); END"
                )

    def begin(self, update: Update) -> None:
        with self.emu.state.lock:
            self._start = len(self.emu.state.calls)
        self._errors = []
        self.db.execute("DELETE FROM temp.fuzz_audit")
        self.db.execute("DELETE FROM temp.fuzz_deleted_texts")
        chat, user = update.effective_chat, update.effective_user
        self._in_dialog = bool(
            chat
            and user
            and self.db.execute(
                "SELECT 1 FROM dialogs WHERE chat_id = ? AND user_id = ?", [chat.id, user.id]
            ).fetchone()
        )

    def end(self, update: Update) -> None:
        with self.emu.state.lock:
            calls = [c for c in self.emu.state.calls[self._start :] if c.method != "getUpdates"]
        touched = self.db.execute("SELECT tbl, op, chat_id, row_id FROM temp.fuzz_audit").fetchall()
        new_ids = [row for tbl, op, _, row in touched if tbl == "notes" and op == "INSERT"]
        new_notes = []
        for note_id in new_ids:
            rows = self.db.execute(
                "SELECT n.id, n.chat_id, n.text, m.chat_id AS map_chat, s.map_id AS stage_map, "
                "n.map_id FROM notes n JOIN maps m ON m.id = n.map_id "
                "LEFT JOIN stages s ON s.id = n.stage_id WHERE n.id = ?",
                [note_id],
            ).fetchall()
            new_notes += [dict(zip(("id", "chat", "text", "map_chat", "stage_map", "map"), r,
                                   strict=True)) for r in rows]
        deleted = [text for (text,) in self.db.execute("SELECT text FROM temp.fuzz_deleted_texts")]
        self.handled[update.update_id] = Handled(
            update, calls, self._errors, touched, new_notes, self._in_dialog, deleted
        )

    async def on_error(self, update: object, context) -> None:
        if isinstance(update, Update):
            self._errors.append(context.error)
        else:
            self.loose_errors.append(context.error)


class FuzzApplication(Application):
    """The real Application; the probe looks at each update before and after it is handled."""

    async def process_update(self, update: object) -> None:
        probe: Probe | None = self.bot_data.get("probe")
        if probe is None or probe.db is None or not isinstance(update, Update):
            await super().process_update(update)
            return
        probe.begin(update)
        try:
            await super().process_update(update)
            # a group note's combined acknowledgement belongs to its update (delay 0 here)
            chat, acks = update.effective_chat, self.bot_data["group_acks"]
            while chat is not None and acks.waiting(chat.id):
                await asyncio.sleep(0.001)
        finally:
            probe.end(update)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# ---------------------------------------------------------------------------------- oracle


def _visible(text: str) -> str:
    """Text as compared for provenance: no blanks, invisible or control characters, folded."""
    return "".join(
        c for c in text.casefold()
        if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")
    )


def violations(h: Handled) -> list[str]:
    """Every invariant this update's handling broke (see the module docstring)."""
    found: list[str] = []
    update = h.update
    chat, user = update.effective_chat, update.effective_user
    for error in h.errors:
        if not isinstance(error, DomainError):
            found.append(f"unhandled {type(error).__name__}: {error}")
    answered = False
    for call in h.calls:
        again = answered and call.method == "answerCallbackQuery"  # the router's spare answer
        if not call.ok and not again and not any(b in call.description for b in BENIGN_FAILURES):
            found.append(f"{call.method} failed: {call.description}")
        answered = answered or (call.method == "answerCallbackQuery" and call.ok)
        target = call.params.get("chat_id")
        if target is not None and (chat is None or str(target) != str(chat.id)):
            found.append(f"{call.method} to chat {target} while handling chat {chat and chat.id}")
        if call.method == "answerCallbackQuery" and (
            update.callback_query is None
            or str(call.params.get("callback_query_id")) != update.callback_query.id
        ):
            found.append("answered someone else's callback query")
    # a group note is acknowledged with a reaction at once (and listed a few seconds later)
    sends = [c for c in h.calls if c.method in (*SEND_METHODS, "setMessageReaction") and c.ok]
    answers = [c for c in h.calls if c.method == "answerCallbackQuery" and c.ok]
    query, message = update.callback_query, update.message
    if query is not None and query.message is not None and chat is not None:
        if len(answers) != 1:
            found.append(f"button press answered {len(answers)} times")
    elif message is not None and chat is not None and user is not None and chat.type != "channel":
        must_answer, may_answer = _expected_reply(h, message)
        if must_answer and not sends:
            found.append("a message the bot must answer got no reply")
        if not may_answer and h.calls:
            found.append(f"a message to stay silent on got {[c.method for c in h.calls]}")
    elif h.calls:
        found.append(f"an update to stay silent on got {[c.method for c in h.calls]}")
    for tbl, op, row_chat, row in h.touched:
        if chat is None or row_chat != chat.id:
            found.append(f"{op} {tbl} #{row} of chat {row_chat} while handling {chat and chat.id}")
    source = _visible(
        (message.text or message.caption or "") if message else ""
    )
    if update.callback_query is not None:  # a split's points come from the note it replaced
        source += " ".join(_visible(text) for text in h.deleted_texts)
    for note in h.new_notes:
        if {note["chat"], note["map_chat"]} != {chat.id}:
            found.append(f"note {note['id']} stored in chat {note['chat']}/{note['map_chat']}")
        if note["stage_map"] is not None and note["stage_map"] != note["map"]:
            found.append(f"note {note['id']} on a stage of another map")
        if _visible(note["text"]) not in source:
            found.append(f"note {note['id']} text {note['text'][:40]!r} not from this update")
    return found


def _story(h: Handled) -> str:
    """The update and the bot's calls, for a failure message."""
    data = h.update.callback_query.data if h.update.callback_query else None
    calls = [
        (c.method, c.ok or c.description, str(c.params.get("text", ""))[:60]) for c in h.calls
    ]
    return f"update {h.update.update_id} data={data!r} calls={calls}"


def _expected_reply(h: Handled, message) -> tuple[bool, bool]:
    """(must answer, may answer) for a new message the bot saw."""
    update = h.update
    if filters.StatusUpdate.ALL.check_update(update):
        return False, False
    if _addressed_to_another_bot(message):
        return False, False
    if update.effective_chat.type == "private" or filters.COMMAND.check_update(update):
        return True, True
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == BOT_ID:
        return True, True
    return False, h.in_dialog  # a group message the bot sees only as an administrator


def _addressed_to_another_bot(message) -> bool:
    """`/help@OtherBot`: another bot's command, deliberately ignored."""
    first = (message.text or "").split(maxsplit=1)[0] if (message.text or "").strip() else ""
    _, at, addressee = first.partition("@")
    return first.startswith("/") and bool(at) and addressee.lower() != BOT_USERNAME.lower()


def database_violations(db) -> list[str]:
    found = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        found.append(f"integrity_check: {integrity[:5]}")
    if broken := db.execute("PRAGMA foreign_key_check").fetchall():
        found.append(f"foreign_key_check: {broken[:5]}")
    for what, sql in CROSS_CHAT.items():
        if rows := db.execute(sql).fetchall():
            found.append(f"{what}: {rows[:5]}")
    return found


# ---------------------------------------------------------------------------------- the world


class World:
    """Plays steps through the emulator's user side; knows every callback data seen so far."""

    def __init__(self, emu) -> None:
        self.emu = emu
        self.seen_data: dict[int, list[tuple[int, str]]] = {chat: [] for chat in CHATS}

    def person(self, chat: int, who: int) -> User:
        members = MEMBERS[chat]
        return members[who % len(members)]

    def setup(self) -> None:
        for chat in CHATS:
            title = None if chat > 0 else f"Team {chat}"
            self.emu.create_chat(chat, title=title, user=MEMBERS[chat][0])
        self.emu.set_bot_status(SUPERGROUP, "administrator")

    def _live(self, chat: int, *, from_bot: bool) -> list:
        """The chat's live messages, oldest first (read in place: cheaper than copies)."""
        with self.emu.state.lock:
            state = self.emu.state.chats.get(chat)
            messages = list(state.messages.values()) if state else []
        return [m for m in messages if m.from_bot == from_bot and not m.deleted]

    def _buttons(self, chat: int) -> list:
        return [m for m in self._live(chat, from_bot=True) if m.callback_data]

    def remember_buttons(self, chat: int) -> None:
        known = set(self.seen_data[chat])
        for message in self._buttons(chat):
            for data in message.callback_data:
                if (message.message_id, data) not in known:
                    self.seen_data[chat].append((message.message_id, data))
                    known.add((message.message_id, data))

    def _latest_bot_message(self, chat: int) -> int:
        bot = self._live(chat, from_bot=True)
        return bot[-1].message_id if bot else 1

    def take_updates(self) -> list[dict]:
        """What getUpdates would return now (everything the bot may see), confirmed at once."""
        with self.emu.state.lock:
            taken, self.emu.state.updates = self.emu.state.updates, []
        return taken

    def play(self, step: object) -> None:
        emu = self.emu
        if isinstance(step, Say):
            user = self.person(step.chat, step.who)
            emu.send_message(step.chat, step.text, user=user,
                             reply_to_message_id=self._reply_target(step, user))
        elif isinstance(step, Press):
            buttons = self._buttons(step.chat)
            if buttons:
                message = buttons[-1 - step.message % len(buttons)]
                data = message.callback_data[step.button % len(message.callback_data)]
                emu.press_button(step.chat, message.message_id, data,
                                 user=self.person(step.chat, step.who))
        elif isinstance(step, Replay):
            seen = self.seen_data[step.source]
            if seen:
                message_id, data = seen[step.index % len(seen)]
                if step.source != step.chat:
                    message_id = self._latest_bot_message(step.chat)
                emu.press_button(step.chat, message_id, data,
                                 user=self.person(step.chat, step.who), force=True)
        elif isinstance(step, Forge):
            message_id = 10**6 if step.missing_message else self._latest_bot_message(step.chat)
            emu.press_button(step.chat, message_id, step.data,
                             user=self.person(step.chat, step.who), force=True)
        elif isinstance(step, Edit):
            user = self.person(step.chat, step.who)
            own = [m for m in self._live(step.chat, from_bot=False)
                   if m.text is not None and m.message["from"]["id"] == user.id]
            if own:
                emu.edit_message(step.chat, own[-1].message_id, step.text)
        elif isinstance(step, Member):
            user = self.person(step.chat, step.who)
            if step.status == "leave":
                emu.remove_chat_member(step.chat, user)
            else:
                emu.set_member_status(step.chat, user.id, step.status)
        else:
            self._other(step)

    def _reply_target(self, step: Say, user: User) -> int | None:
        if step.reply in (1, 2):
            bot = self._live(step.chat, from_bot=True)
            if bot:
                return bot[-1].message_id if step.reply == 1 else bot[len(bot) // 2].message_id
        if step.reply == 3:
            own = self._live(step.chat, from_bot=False)
            if own:
                return own[-1].message_id
        return None

    def _other(self, step: Other) -> None:
        emu, user = self.emu, self.person(step.chat, step.who)
        sender = {"id": user.id, "is_bot": False, "first_name": user.first_name}
        channel = {"id": CHANNEL, "type": "channel", "title": "News"}
        chat = {"id": step.chat, "type": "private" if step.chat > 0 else "group", "title": "T"}
        post = {"message_id": 1, "date": 1, "chat": channel, "text": step.text or "."}
        if step.kind == "channel_post":
            emu.push_raw_update({"channel_post": post})
        elif step.kind == "edited_channel_post":
            emu.push_raw_update({"edited_channel_post": {**post, "edit_date": 2}})
        elif step.kind == "sticker":
            emu.send_sticker(step.chat, user=user)
        elif step.kind == "photo":
            emu.send_photo(step.chat, caption=step.text or None, user=user)
        elif step.kind == "join":
            emu.add_chat_member(GROUP if step.chat > 0 else step.chat, user)
        elif step.kind == "inline_button":
            emu.push_raw_update({"callback_query": {
                "id": "77", "from": sender, "chat_instance": "1",
                "inline_message_id": "AAA", "data": step.text[:64] or "x"}})
        elif step.kind == "future_field":
            emu.push_raw_update({"future_update_kind": {"chat": chat, "x": step.text}})
        else:
            kind = UNHANDLED_KINDS[len(step.text) % len(UNHANDLED_KINDS)]
            emu.push_raw_update({kind: _unhandled_payload(kind, sender, chat, step.text)})


def _unhandled_payload(kind: str, sender: dict, chat: dict, text: str) -> dict:
    """A minimal valid object of an update type the bot has no handler for."""
    return {
        "inline_query": {"id": "1", "from": sender, "query": text[:256], "offset": ""},
        "chosen_inline_result": {"result_id": "1", "from": sender, "query": text[:256]},
        "poll_answer": {"poll_id": "1", "user": sender, "option_ids": [0],
                        "option_persistent_ids": ["0"]},
        "message_reaction": {"chat": chat, "message_id": 1, "user": sender, "date": 1,
                             "old_reaction": [], "new_reaction": [
                                 {"type": "emoji", "emoji": "👍"}]},
        "message_reaction_count": {"chat": chat, "message_id": 1, "date": 1, "reactions": []},
        "chat_join_request": {"chat": chat, "from": sender, "user_chat_id": sender["id"],
                              "date": 1},
        "chat_boost": {"chat": chat, "boost": {"boost_id": "1", "add_date": 1,
                                               "expiration_date": 2,
                                               "source": {"source": "premium", "user": sender}}},
        "removed_chat_boost": {"chat": chat, "boost_id": "1", "remove_date": 1,
                               "source": {"source": "premium", "user": sender}},
        "shipping_query": {"id": "1", "from": sender, "invoice_payload": text[:128],
                           "shipping_address": {"country_code": "PL", "state": "", "city": "W",
                                                "street_line1": "", "street_line2": "",
                                                "post_code": "00"}},
        "pre_checkout_query": {"id": "1", "from": sender, "currency": "PLN", "total_amount": 1,
                               "invoice_payload": text[:128]},
        "deleted_business_messages": {"business_connection_id": "1", "chat": chat,
                                      "message_ids": [1]},
    }[kind]


# ---------------------------------------------------------------------------------- the test


@dataclass
class Tally:
    updates: int = 0
    sessions: int = 0
    seconds: float = 0.0


async def deliver(app: Application, world: World) -> list[int]:
    """Hands the updates the emulator queued for the bot to the application, one at a time, as
    its Updater would (same de_json, same update processor), and returns their ids."""
    handled = []
    for data in world.take_updates():
        update = Update.de_json(data, app.bot)
        await app.update_processor.process_update(update, app.process_update(update))
        handled.append(update.update_id)
    return handled


async def play_session(emu, db_path: Path, session: list[object], tally: Tally) -> None:
    """One Hypothesis example: a fresh bot on a fresh database plays `session`."""
    emu.reset()
    settings_ = Settings(
        db_path=str(db_path), token=TOKEN, base_url=emu.base_url,
        base_file_url=emu.base_file_url, load_nlp=False, rate_limit=False,
        reminder_interval=3600, group_ack_delay=0,
    )
    app = build_application(settings_, application_class=FuzzApplication)
    # The fuzzer types far faster than a person: without this, the per-user flood limit would
    # drop almost everything after the first 20 messages (that limit has its own tests).
    app.update_queue.gate = ArrivalGate(
        RateLimiter(burst=10**6, per_minute=10**6), per_chat=10**6, total=10**6
    )
    probe = Probe(emu)
    app.bot_data["probe"] = probe
    app.add_error_handler(probe.on_error)
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    started = time.perf_counter()
    try:
        async with running(app):
            db = app.bot_data["db"]
            probe.attach(db)
            world = World(emu)
            world.setup()
            await deliver(app, world)
            for number, step in enumerate(session):
                world.play(step)
                for update_id in await deliver(app, world):
                    tally.updates += 1
                    handled = probe.handled[update_id]
                    broken = violations(handled)
                    assert not broken, f"step {number} {step!r}: {broken}; {_story(handled)}"
                if isinstance(step, Say | Press | Replay | Forge):
                    world.remember_buttons(step.chat)
                logged = [r.getMessage() for r in errors.records]
                assert not logged and not probe.loose_errors, (
                    f"step {number} {step!r}: logged {logged} {probe.loose_errors}"
                )
                if number % 10 == 9:
                    assert not (broken := database_violations(db)), f"step {number}: {broken}"
            assert not (broken := database_violations(db)), broken
    finally:
        logging.getLogger().removeHandler(errors)
        tally.seconds += time.perf_counter() - started
        tally.sessions += 1


def test_generated_updates_never_crash_leak_or_go_unanswered(emulator, tmp_path_factory):
    tally = Tally()
    # about a quarter of the steps queue nothing (a press with no buttons around, a group
    # message the bot does not see, a change of membership without an update)
    sessions = math.ceil(FUZZ_UPDATES / (FUZZ_STEPS * 0.7))
    root = tmp_path_factory.mktemp("fuzz")
    print(f"\nfuzz: seed {FUZZ_SEED}, {sessions} sessions of {FUZZ_STEPS} steps")

    @seed(FUZZ_SEED)
    @settings(
        max_examples=sessions,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink)
        if os.environ.get("FUZZ_SHRINK")
        else (Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(st.lists(steps(), min_size=FUZZ_STEPS, max_size=FUZZ_STEPS))
    def session(played: list[object]) -> None:
        directory = Path(tempfile.mkdtemp(dir=root))
        try:
            asyncio.run(play_session(emulator, directory / "bot.db", played, tally))
        except Exception:
            (root / "failing-session.txt").write_text(repr(played))  # to replay it alone
            raise
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    session()
    rate = tally.updates / tally.seconds if tally.seconds else 0.0
    print(
        f"fuzz: seed {FUZZ_SEED}: {tally.updates} updates in {tally.sessions} sessions, "
        f"{tally.seconds:.1f} s, {rate:.0f} updates/s"
    )
    assert tally.updates >= FUZZ_UPDATES, f"only {tally.updates} updates (seed {FUZZ_SEED})"
