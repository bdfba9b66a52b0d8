"""Nothing fetched is lost, and a flood is shed where it arrives.

`InboxQueue` is the Application's update queue. Its `put` is where every update enters the
bot: PTB's Updater calls it for each update of a getUpdates batch and confirms the batch to
Telegram (the next getUpdates offset) only afterwards; a webhook calls `receive` (or `put`)
and answers 200 only after it returns. `put`:

1. ignores an update the inbox already holds or has handled (a redelivery);
2. asks the arrival gate (bot/core/admission.py) whether to queue it: over a person's
   allowance or with the chat's (or the bot's) queue full, the message is shed — recorded as
   handled so it is never redelivered, and answered with one polite notice per person a minute;
3. writes an accepted update, as Telegram sent it, to the SQLite inbox (storage/inbox.py), and
   only then queues it.

While the WAL is far behind its checkpoints (`HARD_PAGES`, storage/checkpoints.py), `put`
waits for the checkpointer's thread before taking the next update in: the bound on the WAL's
length that the loop's own checkpoint used to be, without a checkpoint on the loop.

A text that will become a note is announced to the classifier as it arrives (`ArrivalBatch`,
bot/classifier.py): the notes of one getUpdates answer are then classified together. A typed
answer to a conversation's question or to a check-in is not (`answers_a_question`).

When the update has been handled, `finished` moves it from the inbox to handled_updates. At
start, `drain` queues what the inbox still holds, oldest first (so each chat's order is kept),
before anything new is fetched. An update whose handling was cut short by a crash is handled
again if that is safe: if nothing was changed yet, or if its note was stored (then the note's
acknowledgement is sent, the note is not stored again). One that had begun another change (a
conversation step, a command) is not repeated: the person sees no answer and can send it
again — repeating it could apply an answer twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterable

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application

from bot.classifier import ArrivalBatch
from bot.core.admission import RATE, Admission, ArrivalGate
from bot.core.journey import clean_text, has_words, language_from_code
from bot.core.limits import PER_MINUTE
from bot.core.model import DomainError
from bot.dialogs import awaits_answer, takes_typed_message
from bot.flows.add_note import after_command, is_customer_quote, may_become_note
from bot.flows.checkin import answered_checkin
from bot.offload import wal_room
from bot.replies import reply
from bot.texts import t
from storage.chats import get_chat
from storage.checkpoints import HARD_PAGES, running_checkpointer
from storage.inbox import (
    MAX_ATTEMPTS,
    is_known_update,
    keep_update,
    mark_update_handled,
    mark_updates_handled,
    waiting_updates,
)

log = logging.getLogger(__name__)


class InboxUnavailable(TelegramError):
    """The database refused an update. A TelegramError so that PTB's polling loop retries the
    batch (any other exception would end polling for good)."""


class InboxQueue(asyncio.Queue):
    """The update queue of an Application whose updates go through the inbox."""

    def __init__(self, gate: ArrivalGate | None = None) -> None:
        super().__init__()
        self.gate = gate or ArrivalGate()
        self.app: Application | None = None
        self.held: set[int] = set()  # handled, but their acknowledgement is still to come
        self.shed = 0  # updates refused on arrival since start
        self.notices_due = 0  # notices about shed messages not sent yet
        self._shed: list[tuple[int, int | None]] = []  # recorded together, see `receive`
        self._apologised: dict[int, float] = {}  # person → when told an update was not stored
        self._answered: set[int] = set()  # updates out of the inbox before their handling ended
        self.arrivals = ArrivalBatch()  # notes classified together (bot/classifier.py)

    @property
    def db(self):
        return self.app.bot_data["db"]

    def drain(self, app: Application) -> int:
        """Connects the queue to the started `app` (its database and bot id are needed) and
        queues what the inbox holds from before; returns how many updates were queued."""
        self.app = app
        self.gate.open(time.time())
        queued = 0
        for entry in waiting_updates(self.db, app.bot.id):
            if entry.attempts >= MAX_ATTEMPTS or (entry.note_id is None and not entry.replayable):
                mark_update_handled(self.db, app.bot.id, entry.update_id, entry.chat_id)
                log.warning(
                    "an update cut short by a stop is not handled again",
                    extra={
                        "update_id": entry.update_id,
                        "chat_id": entry.chat_id,
                        "attempts": entry.attempts,
                    },
                )
                continue
            self.gate.requeued(entry.chat_id)
            self.put_nowait(Update.de_json(entry.payload, app.bot))
            queued += 1
        if queued:
            log.info("inbox drained", extra={"updates": queued})
        return queued

    async def put(self, item: object) -> None:
        """Queues an update once it is safely in the inbox (other objects pass through).

        An update the inbox cannot store (the database failed) is not queued, and the sender
        is told it was not saved. `InboxUnavailable` goes on to the Updater, which keeps the
        batch unconfirmed (Telegram sends it again) and, as for any TelegramError, retries with
        a growing pause instead of ending polling; a webhook answers 503 for a redelivery."""
        if isinstance(item, Update) and self.app is not None:
            checkpointer = running_checkpointer(self.db)
            if checkpointer is not None and checkpointer.needs_room(HARD_PAGES):
                await wal_room(self.db, HARD_PAGES)  # the WAL is far behind: new updates wait
            try:
                accepted = self.receive(item)
            except sqlite3.Error as error:
                self._not_stored(item, error)
                raise InboxUnavailable(f"the inbox could not store an update: {error}") from error
            if not accepted:
                return
        await super().put(item)

    def _not_stored(self, update: Update, error: sqlite3.Error) -> None:
        """Logs, alerts the operator and apologises, in the sender's Telegram language (the
        database holds the chat's), at most once a minute per person across redeliveries."""
        log.error(
            "update not stored in the inbox", exc_info=error, extra={"update_id": update.update_id}
        )
        app, user = self.app, update.effective_user
        alerts = app.bot_data.get("alerts")
        chat = update.effective_chat
        if alerts is not None:
            app.create_task(
                alerts.error(
                    app.bot, error, chat_id=chat.id if chat else None, update_id=update.update_id
                )
            )
        now = time.monotonic()
        if user is None or chat is None or now - self._apologised.get(user.id, -60.0) < 60:
            return
        self._apologised[user.id] = now
        lang = language_from_code(user.language_code)
        app.create_task(self._apologise(update, t(lang, "error.database")))

    async def _apologise(self, update: Update, text: str) -> None:
        try:
            if update.callback_query:
                await update.callback_query.answer(text, show_alert=True)
            else:
                await reply(update, text)
        except TelegramError as problem:
            log.warning("could not say an update was not stored: %s", problem)

    def receive(self, update: Update) -> bool:
        """The arrival of one update: True if it was written to the inbox and must be queued,
        False if it is a redelivery or was shed (a notice may be on its way)."""
        bot_id, chat, user = self.app.bot.id, update.effective_chat, update.effective_user
        chat_id = chat.id if chat else None
        if is_known_update(self.db, bot_id, update.update_id):
            log.info("redelivered update ignored", extra={"update_id": update.update_id})
            return False
        message = update.message
        admission = self.gate.admit(
            chat_id,
            user.id if user else None,
            now=time.time(),
            sent_at=message.date.timestamp() if message else None,
        )
        if not admission.accepted:
            # Recorded as handled (never redelivered) with the rest of the batch in one
            # transaction, once the Updater has handed the batch over: a flood costs one commit
            # per getUpdates, not one per message. Lost in a crash, a shed message is only
            # judged again when Telegram redelivers it.
            self.shed += 1
            self._shed.append((update.update_id, chat_id))
            if len(self._shed) == 1:
                asyncio.get_running_loop().call_soon(self._record_shed)
            log.info(
                "update shed",
                extra={
                    "update_id": update.update_id,
                    "chat_id": chat_id,
                    "reason": admission.reason,
                    "notified": admission.notify,
                },
            )
            if admission.notify:
                self.notices_due += 1
                self.app.create_task(self._notify(update, admission), update=update)
            return False
        keep_update(
            self.db,
            bot_id,
            update.update_id,
            chat_id,
            user.id if user else None,
            update.to_dict(),
        )
        if message is not None and may_become_note(update, bot_id):
            self._expect_note(update, chat_id, user.language_code if user else None)
        return True

    def _expect_note(self, update: Update, chat_id: int, language_code: str | None) -> None:
        """Announces the text `store_note` will classify (`/note <text>`: the text), unless
        the message answers a question instead (`answers_a_question`)."""
        text = update.message.text
        if text.startswith("/"):
            text = after_command(text)
        elif self.answers_a_question(update):
            return
        try:
            text = clean_text(text)
        except DomainError:  # refused when handled, as before
            return
        if has_words(text):
            self.arrivals.expect(self.db, update.update_id, chat_id, text,
                                 language_from_code(language_code))

    def answers_a_question(self, update: Update) -> bool:
        """Whether bot.app.route_text will take this typed message as an answer, not a note:
        the sender's running conversation takes it (a map name, a persona, a stage name, an
        edit…) or it answers a check-in (classified item by item, without the batch). Read only,
        as things stand at arrival: a conversation begun by an update still queued is not seen,
        and its answer is then classified with the batch for nothing, as every answer once was.
        A message that replies to nothing of the bot's (most notes) costs one statement."""
        message, user = update.message, update.effective_user
        if user is None:
            return False
        bot_id, chat_id = self.app.bot.id, message.chat_id
        quote = is_customer_quote(message, bot_id)
        replied = message.reply_to_message
        if not (replied and replied.from_user and replied.from_user.id == bot_id):
            private = message.chat.type == ChatType.PRIVATE
            return awaits_answer(self.app.bot_data, chat_id, user.id,
                                 checkins=private and not quote)
        if takes_typed_message(self.app.bot_data, chat_id, user.id):
            return True
        in_group = message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        return not quote and answered_checkin(
            self.db, message, user.id, bot_id, in_group=in_group) is not None

    def _record_shed(self) -> None:
        shed, self._shed = self._shed, []
        if shed and self.app is not None:
            mark_updates_handled(self.db, self.app.bot.id, shed)

    async def receive_all(self, updates: Iterable[Update]) -> None:
        """For a webhook: every update written to the inbox (and queued) or shed on return."""
        for update in updates:
            await self.put(update)

    def answered(self, update: Update) -> None:
        """The update's answer went out before its handling ends (a private note's
        acknowledgement): out of the inbox now — a crash from here on must not repeat the
        answer — and its place in the chat's queue is free at once, for a person who writes
        again as soon as they see the answer. `finished` then has nothing left to do for it."""
        chat = update.effective_chat
        chat_id = chat.id if chat else None
        mark_update_handled(self.db, self.app.bot.id, update.update_id, chat_id)
        if update.update_id not in self._answered:
            self._answered.add(update.update_id)
            self.gate.finished(chat_id)

    def finished(self, update: object) -> None:
        """An update has been handled: out of the inbox, unless its acknowledgement is held
        back (a group's combined acknowledgement marks it when it goes out) or it was already
        taken out when it was answered (`answered`)."""
        if not isinstance(update, Update):
            return
        self.arrivals.forget(update.update_id)
        if update.update_id in self._answered:
            self._answered.discard(update.update_id)
            return
        chat = update.effective_chat
        self.gate.finished(chat.id if chat else None)
        if self.app is None or update.update_id in self.held:
            return
        mark_update_handled(self.db, self.app.bot.id, update.update_id, chat.id if chat else None)

    async def _notify(self, update: Update, admission: Admission) -> None:
        """The polite notice that a message was not taken, in the chat's language."""
        record = get_chat(self.db, update.effective_chat.id)
        user = update.effective_user
        lang = record.lang if record else language_from_code(user.language_code)
        if admission.reason == RATE:
            text = t(lang, "limit.slow_down", limit=PER_MINUTE)
        else:
            text = t(lang, "limit.busy")
        try:
            with contextlib.suppress(TelegramError):
                await reply(update, text)
        finally:
            self.notices_due -= 1
