"""Delivering reminders: a frequent, idempotent job sends whatever the outbox holds — review
reminders (claimed from due schedules) and due-date reminders of items (claimed from
`notes.remind_at`, storage/items.py), each claimed once and marked sending/sent around its send.

Schedules live in SQLite (`schedules.next_run_at`), so nothing is lost across restarts: the job
runs at start and then every few seconds, claims due schedules into the `reminders` outbox and
sends each reminder once. Telegram's limits are kept by bot/pacing.py (30 messages/s
overall, 20/min per group); a `RetryAfter` that outlasts its retries leaves the reminder pending
for the next round; a chat that blocked the bot or no longer exists gets its schedules paused.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot import keyboards
from bot.core.items import local_today
from bot.core.model import LANES
from bot.core.schedule import Reminder
from bot.flows.items import due_reminder_message
from bot.flows.review import overdue_line
from bot.jobs import run_alone_every
from bot.replies import esc
from bot.texts import t
from bot.views import mention, stage_name
from storage.chats import get_chat, get_user, has_private_chat
from storage.db import utcnow
from storage.items import claim_due_items_batch
from storage.maps import get_map
from storage.notes import filled_lanes, get_note
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


async def deliver_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claims due schedules and sends every waiting reminder, oldest first."""
    app = context.application
    async with app.bot_data["reminder_lock"]:
        db = app.bot_data["db"]
        now = utcnow()
        while claim_due_batch(db, now) == CLAIM_BATCH:
            await asyncio.sleep(0)  # a short transaction at a time: every chat keeps being answered
        while claim_due_items_batch(db, now) == CLAIM_BATCH:
            await asyncio.sleep(0)
        waiting = waiting_reminders(db)
        if not waiting:
            return
        senders = asyncio.Semaphore(SENDERS)

        async def send(reminder: Reminder) -> bool:
            async with senders:
                return await send_reminder(app, reminder)

        results = await asyncio.gather(*(send(r) for r in waiting))
        log.info("reminders delivered", extra={"sent": sum(results), "waiting": len(waiting)})


async def send_reminder(app: Application, reminder: Reminder) -> bool:
    """Sends one reminder; records the outcome before and after the send."""
    if reminder.kind == "due":
        return await send_due_reminder(app, reminder)
    db = app.bot_data["db"]
    chat = get_chat(db, reminder.chat_id)
    journey = get_map(db, reminder.chat_id, reminder.map_id)
    if chat is None or journey is None:
        mark_failed(db, reminder.id, "map or chat deleted")
        return False
    text, keyboard = reminder_message(db, chat.lang, journey, reminder)
    mark_sending(db, reminder.id)
    try:
        message = await app.bot.send_message(chat.id, text, reply_markup=keyboard)
    except Forbidden as error:
        pause_chat(db, chat.id, f"forbidden: {error.message}")
        log.warning("chat blocked the bot; its schedules are paused", extra={"chat_id": chat.id})
        return False
    except BadRequest as error:
        if any(reason in error.message.lower() for reason in _GONE):
            pause_chat(db, chat.id, f"gone: {error.message}")
            return False
        mark_failed(db, reminder.id, error.message)
        log.error("reminder refused", extra={"chat_id": chat.id, "error": error.message})
        return False
    except (RetryAfter, TimedOut, NetworkError) as error:
        mark_retry(db, reminder.id, str(error))
        return False
    mark_sent(db, reminder, message.message_id, utcnow())
    return True


async def send_due_reminder(app: Application, reminder: Reminder) -> bool:
    """Reminds an item's owner on its due date: privately when they have started the bot (in
    their language), otherwise — or if they blocked the bot since — in the item's chat with a
    mention. A reminder whose item was resolved, deleted, given another owner or date since it
    was claimed is dropped (the change planned its own)."""
    db = app.bot_data["db"]
    group = get_chat(db, reminder.chat_id)
    note = get_note(db, reminder.chat_id, reminder.note_id) if reminder.note_id else None
    if group is None or note is None:
        mark_failed(db, reminder.id, "item or chat deleted")
        return False
    planned_for = local_today(reminder.due_at, group.timezone)
    if note.is_resolved or note.owner_id != reminder.user_id or note.due_on != planned_for:
        mark_failed(db, reminder.id, "item resolved or changed since")
        return False
    owner = get_user(db, note.owner_id) if note.owner_id else None
    targets = [(group, mention(owner) if owner else "")]
    if owner is not None and has_private_chat(db, owner.id):
        targets.insert(0, (get_chat(db, owner.id), esc(owner.display_name)))
    mark_sending(db, reminder.id)
    for chat, addressed in targets:
        today = local_today(utcnow(), group.timezone)
        text, keyboard = due_reminder_message(db, chat.lang, note, today, addressed=addressed)
        try:
            message = await app.bot.send_message(chat.id, text, reply_markup=keyboard)
        except Forbidden as error:
            if chat.id != group.id:
                continue  # the owner blocked the bot: the group hears it instead
            pause_chat(db, chat.id, f"forbidden: {error.message}")
            return False
        except BadRequest as error:
            if chat.id != group.id:
                continue
            if any(reason in error.message.lower() for reason in _GONE):
                pause_chat(db, chat.id, f"gone: {error.message}")
                return False
            mark_failed(db, reminder.id, error.message)
            log.error("due reminder refused", extra={"chat_id": chat.id, "error": error.message})
            return False
        except (RetryAfter, TimedOut, NetworkError) as error:
            mark_retry(db, reminder.id, str(error))
            return False
        mark_sent(db, reminder, message.message_id, utcnow())
        return True
    return False


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
