"""Delivering review reminders: a frequent, idempotent job sends whatever the outbox holds.

The outbox holds other kinds of messages too (check-in questions, bot/checkins.py): a feature
registers its kind with `register_outbox_kind` and sends each row through `deliver`, which
gives it the same guarantees.

Schedules live in SQLite (`schedules.next_run_at`), so nothing is lost across restarts: the job
runs at start and then every few seconds, claims due schedules into the `reminders` outbox and
sends each reminder once. Telegram's limits are kept by bot/pacing.py: every request by
`TelegramPacing` (28 messages/s overall, 20/min per group), and the outbox on top of it by
`OutboxPacer` — at most 20 queued messages a second, one a second per chat and 15 a minute per
group, each chat's in the outbox's order, read a page at a time — so that an answer to a person
never queues behind a backlog (10,000 reminders due at start: /start answered in ≤ 1 s). A
`RetryAfter` pauses the outbox for its time and leaves the reminder pending for the next round,
with the chat's later messages (their order is kept); a chat that blocked the bot or no longer
exists gets its schedules and digests paused until the bot is back in it
(storage/chat_presence.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot import keyboards
from bot.core.items import local_today
from bot.core.model import LANES
from bot.core.schedule import Reminder
from bot.flows.review import overdue_line
from bot.jobs import run_alone_every
from bot.offload import wal_room
from bot.pacing import OutboxPacer, retry_seconds
from bot.replies import esc
from bot.texts import t
from bot.views import stage_name
from storage.chat_presence import pause_chat
from storage.chats import get_chat
from storage.db import utcnow
from storage.maps import get_map
from storage.notes import filled_lanes
from storage.reminders import (
    CLAIM_BATCH,
    claim_due_batch,
    mark_failed,
    mark_retry,
    mark_sending,
    mark_sent,
    waiting_reminders_after,
)
from storage.reviews import changes_since, last_finished_review

log = logging.getLogger(__name__)

JOB_NAME = "review-reminders"
PAGE = 200  # outbox rows read at a time
# s a round waits for a group's full minute (bot/pacing.py); longer, the group's rest is left for
# a later round — else one busy group held the round, and every message queued after it began
# (an "Ask now" check-in, another chat's reminder), for minutes
GROUP_WAIT_IN_ROUND = 2.0
_GONE = ("chat not found", "bot was kicked", "group chat was deactivated", "chat was deleted")


def start_reminder_job(app: Application, interval: float, *, deliver_now: bool = True) -> None:
    """Runs `deliver_reminders` as soon as the bot is up (unless not `deliver_now`: then the
    caller calls `deliver_soon` when it is time), then every `interval` seconds (one instance
    at a time).

    The first check is a job of its own: a repeating job's first run is fixed when it is added
    (here, during start-up), and if start-up outlasts that moment APScheduler moves it a whole
    interval later. A one-off job due "now" with no misfire grace runs when the scheduler starts.
    """
    app.bot_data["reminder_lock"] = asyncio.Lock()
    run_alone_every(app, deliver_reminders, interval=interval, first=interval, name=JOB_NAME)
    if deliver_now:
        deliver_soon(app)


def deliver_soon(app: Application) -> None:
    """Runs the delivery at once (at start, a round started or closed by a button) instead of
    at the job's next tick."""
    if app.job_queue is not None:
        app.job_queue.run_once(
            deliver_reminders,
            when=0,
            name=JOB_NAME,
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )


async def deliver_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claims due schedules (and whatever else registered a claimer: check-in rounds…) and
    sends every waiting message of the outbox, oldest first."""
    app = context.application
    async with app.bot_data["reminder_lock"]:
        db = app.bot_data["db"]
        await claim_due_messages(app, db)
        by_kind = {"review": send_reminder, **app.bot_data.get("outbox_senders", {})}

        async def send(reminder: Reminder) -> bool | None:
            sender = by_kind.get(reminder.kind)
            if sender is None:  # a kind this version does not know: kept for one that does
                return None
            return await sender(app, reminder)

        pacer = app.bot_data.setdefault("outbox_pacer", OutboxPacer())
        sent, seen = await send_paced(app, pacer, send)
        if seen:
            log.info("reminders delivered", extra={"sent": sent, "waiting": seen})


async def claim_due_messages(app: Application, db: Database) -> None:
    """Claims due schedules and whatever the registered claimers queue, a short transaction at
    a time (every chat keeps being answered; the WAL's checkpoints keep up)."""
    now = utcnow()
    for claim in (claim_due_batch, *app.bot_data.get("outbox_claimers", ())):
        while claim(db, now) == CLAIM_BATCH:
            await wal_room(db)


async def send_paced(
    app: Application, pacer: OutboxPacer, send: Callable[[Reminder], Awaitable[bool | None]]
) -> tuple[int, int]:
    """Sends every waiting outbox message with `send` at the pacer's pace, oldest first, one
    message of a chat at a time and `pacer.chat_interval` apart; returns (sent, seen).

    The outbox is read `PAGE` rows at a time, rows queued meanwhile included. A message not
    sent (`send` False: kept for a retry, or failed) holds its chat's later messages back until
    the next round, so a chat's messages never overtake one another; `send` None (a kind this
    version does not know) skips the row. Stops starting sends when the application stops."""
    db = app.bot_data["db"]
    queues: dict[int, deque[Reminder]] = {}  # chat → its waiting messages, in order
    ready: list[tuple[float, int, int]] = []  # heap of (not before, first id, chat) not in flight
    chat_next: dict[int, float] = {}  # chat → when its next message may go
    in_flight: set[asyncio.Task] = set()
    wake = asyncio.Event()
    last_id, queued, exhausted, sent, seen = 0, 0, False, 0, 0
    later: set[int] = set()  # groups whose minute is full: their messages wait for a later round

    def load() -> None:
        nonlocal last_id, queued, exhausted, seen
        page = waiting_reminders_after(db, last_id, PAGE)
        exhausted = len(page) < PAGE
        for reminder in page:
            if reminder.chat_id in later:  # after its earlier ones, in a later round
                last_id = reminder.id
                continue
            last_id, queued, seen = reminder.id, queued + 1, seen + 1
            if reminder.chat_id not in queues:
                queues[reminder.chat_id] = deque()
                heapq.heappush(ready, (chat_next.get(reminder.chat_id, 0.0), reminder.id,
                                       reminder.chat_id))
            queues[reminder.chat_id].append(reminder)

    async def one(chat_id: int, reminder: Reminder) -> None:
        nonlocal sent, queued
        try:
            outcome = await send(reminder)
        except Exception:  # a bug in one sender must not stop the outbox
            log.exception("outbox message failed", extra={"reminder_id": reminder.id})
            outcome = False
        finally:  # out of flight before the loop looks again (a done callback comes too late)
            in_flight.discard(asyncio.current_task())
            wake.set()
        sent += outcome is True
        chat_next[chat_id] = time.monotonic() + pacer.chat_interval
        queue = queues[chat_id]
        if outcome is False:  # kept for a retry or failed: the chat's later ones wait too
            queued -= len(queue)
            queue.clear()
        if queue:
            heapq.heappush(ready, (chat_next[chat_id], queue[0].id, chat_id))
        else:
            del queues[chat_id]

    try:
        while app.running:  # a stopping bot starts no new send (the rest waits for the next start)
            if queued < PAGE // 2 and not exhausted:
                load()
            if not ready and not in_flight:
                if exhausted:
                    break
                continue
            delay = None
            if ready and len(in_flight) < pacer.senders:
                now = time.monotonic()
                at = max(pacer.next_slot(now), ready[0][0])
                if at <= now:
                    _, first_id, chat_id = heapq.heappop(ready)
                    if (free := pacer.chat_free_at(chat_id, now)) > now:  # a group's minute
                        if free - now > GROUP_WAIT_IN_ROUND:  # is full: the group's rest waits
                            queued -= len(queues.pop(chat_id))  # for a later round, so that
                            later.add(chat_id)
                            continue  # the round ends and picks up what others queue meanwhile
                        heapq.heappush(ready, (free, first_id, chat_id))
                        continue
                    reminder = queues[chat_id].popleft()
                    queued -= 1
                    pacer.take(now, chat_id)
                    in_flight.add(asyncio.create_task(one(chat_id, reminder)))
                    continue
                delay = at - now
            wake.clear()
            with contextlib.suppress(TimeoutError):  # at least once a second: app.running
                await asyncio.wait_for(wake.wait(), 1.0 if delay is None else min(delay, 1.0))
    finally:
        if in_flight:  # sends already begun end normally (their rows are marked)
            await asyncio.gather(*in_flight, return_exceptions=True)
    return sent, seen


OutboxSender = Callable[[Application, Reminder], Awaitable[bool]]
OutboxClaimer = Callable[[Database, datetime], int]


def register_outbox_kind(
    app: Application, kind: str, sender: OutboxSender, claimer: OutboxClaimer | None = None
) -> None:
    """Lets the reminder job deliver outbox rows of `kind` with `sender` (which sends through
    `deliver`); `claimer(db, now)`, run before each delivery, queues the rows that are due and
    returns how many things it claimed (CLAIM_BATCH: call again)."""
    app.bot_data.setdefault("outbox_senders", {})[kind] = sender
    if claimer is not None and claimer not in app.bot_data.setdefault("outbox_claimers", []):
        app.bot_data["outbox_claimers"].append(claimer)


async def send_reminder(app: Application, reminder: Reminder) -> bool:
    """Sends one review reminder."""
    db = app.bot_data["db"]
    chat = get_chat(db, reminder.chat_id)
    journey = get_map(db, reminder.chat_id, reminder.map_id)
    if chat is None or journey is None:
        mark_failed(db, reminder.id, "map or chat deleted")
        return False
    text, keyboard = reminder_message(db, chat.lang, journey, reminder)
    return await deliver(app, reminder, chat.id, text, keyboard) is not None


async def deliver(
    app: Application,
    reminder: Reminder,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    on_blocked: Callable[[str], None] | None = None,
) -> Message | None:
    """Sends one outbox message, recording the outcome before and after the send; the sent
    message, or None. A chat that blocked the bot or is gone gets its schedules paused, unless
    `on_blocked(reason)` handles it (the row is marked failed either way)."""
    db = app.bot_data["db"]
    mark_sending(db, reminder.id)
    try:
        message = await app.bot.send_message(chat_id, text, reply_markup=keyboard)
    except Forbidden as error:
        _blocked(db, reminder, chat_id, f"forbidden: {error.message}", on_blocked)
        log.warning("chat blocked the bot", extra={"chat_id": chat_id})
        return None
    except BadRequest as error:
        if any(reason in error.message.lower() for reason in _GONE):
            _blocked(db, reminder, chat_id, f"gone: {error.message}", on_blocked)
            return None
        mark_failed(db, reminder.id, error.message)
        log.error("reminder refused", extra={"chat_id": chat_id, "error": error.message})
        return None
    except RetryAfter as error:  # flood control: the whole outbox waits
        mark_retry(db, reminder.id, str(error))
        seconds = retry_seconds(error)
        pacer = app.bot_data.get("outbox_pacer")
        if pacer is not None:
            pacer.pause(seconds)
        log.warning("flood control: the outbox waits", extra={"seconds": seconds})
        return None
    except (TimedOut, NetworkError) as error:
        mark_retry(db, reminder.id, str(error))
        return None
    mark_sent(db, reminder, message.message_id, utcnow())
    return message


def _blocked(db, reminder: Reminder, chat_id: int, reason: str, on_blocked) -> None:
    mark_failed(db, reminder.id, reason)
    if on_blocked is None:
        pause_chat(db, chat_id, reason)
    else:
        on_blocked(reason)


def reminder_message(
    db, lang: str, journey, reminder: Reminder
) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder: map name, what changed since the last review, empty lanes, three buttons."""
    previous = last_finished_review(db, journey.chat_id, journey.id)
    since: datetime | None = previous.finished_at if previous else None
    changes = changes_since(db, journey.chat_id, journey.id, since)
    lines = [t(lang, "reminder.title", name=esc(journey.name))]
    lines.append(
        t(
            lang,
            "reminder.since_last" if since else "reminder.since_start",
            notes=changes["new_notes"],
            resolved=changes["resolved"],
        )
    )
    by_position = changes["new_pain_points_by_position"]
    for stage in journey.stages:
        if by_position.get(stage.position):
            lines.append(
                t(
                    lang,
                    "reminder.new_pain_points",
                    stage=esc(stage_name(lang, stage)),
                    count=by_position[stage.position],
                )
            )
    filled = filled_lanes(db, journey.chat_id, journey.id)
    empty = [
        stage
        for stage in journey.stages
        if sum((stage.id, lane) in filled for lane in LANES) < len(LANES)
    ]
    if empty:
        names = ", ".join(esc(stage_name(lang, stage)) for stage in empty)
        lines.append(t(lang, "reminder.empty_lanes", stages=names))
    chat = get_chat(db, journey.chat_id)
    late = overdue_line(db, lang, journey, local_today(utcnow(), chat.timezone if chat else "UTC"))
    if late:
        lines.append(t(lang, "reminder.overdue", items=late))
    keyboard = keyboards.stacked(
        [(t(lang, "button.start_review"), f"rv:start:{journey.id}")],
        [
            (t(lang, "button.snooze"), f"rs:snooze:{reminder.schedule_id}"),
            (t(lang, "button.skip_review"), f"rs:skip:{reminder.schedule_id}"),
        ],
    )
    return "\n".join(lines), keyboard
