"""Delivering review reminders: a frequent, idempotent job sends whatever the outbox holds.

The outbox holds other kinds of messages too (check-in questions, bot/checkins.py): a feature
registers its kind with `register_outbox_kind` and sends each row through `deliver`, which
gives it the same guarantees.

Schedules live in SQLite (`schedules.next_run_at`), so nothing is lost across restarts: the job
runs at start and then every few seconds, claims due schedules into the `reminders` outbox and
sends each reminder once. Telegram's limits are kept by bot/pacing.py (30 messages/s
overall, 20/min per group); a `RetryAfter` that outlasts its retries leaves the reminder pending
for the next round; a chat that blocked the bot or no longer exists gets its schedules paused.
"""

from __future__ import annotations

import asyncio
import logging
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
from bot.replies import esc
from bot.texts import t
from bot.views import stage_name
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
    pause_chat,
    waiting_reminders,
)
from storage.reviews import changes_since, last_finished_review

log = logging.getLogger(__name__)

JOB_NAME = "review-reminders"
# Reminders prepared and in flight at once: enough to keep up with Telegram's 30 messages/s,
# few enough that preparing them never starves the rest of the bot.
SENDERS = 8
_GONE = ("chat not found", "bot was kicked", "group chat was deactivated", "chat was deleted")


def start_reminder_job(app: Application, interval: float) -> None:
    """Runs `deliver_reminders` as soon as the bot is up, then every `interval` seconds (one
    instance at a time).

    The first check is a job of its own: a repeating job's first run is fixed when it is added
    (here, during start-up), and if start-up outlasts that moment APScheduler moves it a whole
    interval later. A one-off job due "now" with no misfire grace runs when the scheduler starts.
    """
    app.bot_data["reminder_lock"] = asyncio.Lock()
    run_alone_every(app, deliver_reminders, interval=interval, first=interval, name=JOB_NAME)
    app.job_queue.run_once(
        deliver_reminders,
        when=0,
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )


def deliver_soon(app: Application) -> None:
    """Runs the delivery at once (a round started or closed by a button) instead of at the
    job's next tick."""
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
        now = utcnow()
        while claim_due_batch(db, now) == CLAIM_BATCH:
            await asyncio.sleep(0)  # a short transaction at a time: every chat keeps being answered
        for claim in app.bot_data.get("outbox_claimers", ()):
            while claim(db, now) == CLAIM_BATCH:
                await asyncio.sleep(0)
        waiting = waiting_reminders(db)
        if not waiting:
            return
        senders = asyncio.Semaphore(SENDERS)
        by_kind = {"review": send_reminder, **app.bot_data.get("outbox_senders", {})}

        async def send(reminder: Reminder) -> bool:
            sender = by_kind.get(reminder.kind)
            if sender is None:  # a kind this version does not know: kept for one that does
                return False
            async with senders:
                return await sender(app, reminder)

        results = await asyncio.gather(*(send(r) for r in waiting))
        log.info("reminders delivered", extra={"sent": sum(results), "waiting": len(waiting)})


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
    except (RetryAfter, TimedOut, NetworkError) as error:
        mark_retry(db, reminder.id, str(error))
        return None
    mark_sent(db, reminder, message.message_id, utcnow())
    return message


def _blocked(db, reminder: Reminder, chat_id: int, reason: str, on_blocked) -> None:
    if on_blocked is None:
        pause_chat(db, chat_id, reason)
    else:
        mark_failed(db, reminder.id, reason)
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
