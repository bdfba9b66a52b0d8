"""Review schedules (rows of storage/schedules.py keyed by map) and the reminders outbox.

Delivery is exactly-once in practice: a due schedule is *claimed* — a `reminders` row is written
and the schedule moves to its next slot in one transaction —, the row is marked `sending` right
before the message goes out and `sent` (with the message id) right after. A restart resends only
rows still `pending`; a row caught in `sending` by a crash is resent too (Telegram has no
idempotency key), a window of a few milliseconds per message.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.core.schedule import QuietHours, Reminder, ReviewRule, Schedule
from storage.db import from_iso, to_iso
from storage.schedules import (
    REVIEW,
    Scheduled,
    claim_due_runs,
    find_schedule,
    find_schedule_by_id,
    pause_or_resume,
    store_schedule,
)


def get_schedule(db: Database, chat_id: int, map_id: int) -> Schedule | None:
    """The review schedule of the chat's map, or None."""
    return find_schedule(db, Scheduled.reviews(chat_id, map_id))


def get_schedule_by_id(db: Database, chat_id: int, schedule_id: int) -> Schedule | None:
    return find_schedule_by_id(db, REVIEW, chat_id, schedule_id)


def save_schedule(
    db: Database,
    chat_id: int,
    map_id: int,
    rule: ReviewRule,
    timezone: str,
    *,
    now: datetime,
    skip_weekends: bool = False,
    quiet: QuietHours | None = None,
    created_by: int | None = None,
) -> Schedule:
    """Sets (or replaces, with a new id) the map's schedule; the next run is computed from
    `now`."""
    return store_schedule(
        db, Scheduled.reviews(chat_id, map_id), rule, timezone, now=now, keep_id=False,
        skip_weekends=skip_weekends, quiet=quiet, created_by=created_by,
    )  # fmt: skip


def set_paused(db: Database, chat_id: int, schedule_id: int, paused: bool, now: datetime) -> None:
    """Pauses or resumes; resuming recomputes the next run from `now` (no backlog)."""
    schedule = get_schedule_by_id(db, chat_id, schedule_id)
    if schedule is not None:
        pause_or_resume(db, schedule, paused, now)


def postpone(db: Database, chat_id: int, schedule_id: int, until: datetime) -> None:
    """Moves the next run to `until` (snooze)."""
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE id = ? AND chat_id = ? AND kind = 'review'",
        [to_iso(until), schedule_id, chat_id],
    )


def delete_schedule(db: Database, chat_id: int, schedule_id: int) -> bool:
    cursor = db.execute(
        "DELETE FROM schedules WHERE id = ? AND chat_id = ? AND kind = 'review'",
        [schedule_id, chat_id],
    )
    return cursor.rowcount == 1


CLAIM_BATCH = 25  # schedules claimed per transaction (~5 ms): the event loop never waits long


def claim_due(db: Database, now: datetime) -> list[Reminder]:
    """Turns every due schedule into one pending reminder and moves it to its next slot.

    A schedule missed for longer than the grace period just moves on (no reminder); one missed
    several times still yields a single reminder. Returns every reminder waiting to be sent,
    oldest first, including ones left over from before a restart. (The bot claims in batches,
    yielding to the event loop in between: `claim_due_batch`.)
    """
    while claim_due_batch(db, now) == CLAIM_BATCH:
        pass
    return waiting_reminders(db)


def claim_due_batch(db: Database, now: datetime, limit: int = CLAIM_BATCH) -> int:
    """Claims at most `limit` due schedules, the longest overdue first, in one transaction;
    returns how many it claimed (fewer than `limit`: none is left)."""

    def queue_review(schedule: Schedule) -> None:
        db.execute(
            "INSERT OR IGNORE INTO reminders (schedule_id, chat_id, map_id, due_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [schedule.id, schedule.chat_id, schedule.map_id, to_iso(schedule.next_run_at),
             to_iso(now)],
        )

    with db.atomic():
        return claim_due_runs(db, REVIEW, now, limit, queue_review)


def reminder_from_row(row: dict) -> Reminder:
    return Reminder(
        row["id"],
        row["schedule_id"],
        row["chat_id"],
        row["map_id"],
        from_iso(row["due_at"]),
        row["status"],
        kind=row["kind"],
        user_id=row["user_id"],
        ref_id=row["ref_id"],
        dedupe_key=row["dedupe_key"],
    )


def waiting_reminders(db: Database) -> list[Reminder]:
    """Every message of the outbox not sent yet (any kind), oldest first."""
    return [
        reminder_from_row(row)
        for row in db.query(
            "SELECT * FROM reminders WHERE status IN ('pending', 'sending') ORDER BY id"
        )
    ]


def waiting_reminders_after(db: Database, after_id: int, limit: int) -> list[Reminder]:
    """At most `limit` messages of the outbox not sent yet with an id above `after_id`, oldest
    first: the outbox read a page at a time (10,000 waiting rows are not held at once)."""
    return [
        reminder_from_row(row)
        for row in db.query(
            "SELECT * FROM reminders WHERE status IN ('pending', 'sending') AND id > ?"
            " ORDER BY id LIMIT ?",
            [after_id, limit],
        )
    ]


def queue_message(
    db: Database,
    kind: str,
    chat_id: int,
    dedupe_key: str,
    due_at: datetime,
    now: datetime,
    *,
    user_id: int | None = None,
    ref_id: int | None = None,
    map_id: int | None = None,
) -> bool:
    """Puts one message of `kind` for `chat_id` into the outbox, unless a message with the same
    `dedupe_key` was ever queued (then nothing changes: False). Call it inside the transaction
    that decides the message is owed, so a restart can neither lose nor repeat it."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO reminders (kind, chat_id, map_id, user_id, ref_id, dedupe_key,"
        " due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [kind, chat_id, map_id, user_id, ref_id, dedupe_key, to_iso(due_at), to_iso(now)],
    )
    return cursor.rowcount == 1


def mark_sending(db: Database, reminder_id: int) -> None:
    db.execute(
        "UPDATE reminders SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
        [reminder_id],
    )


def mark_sent(db: Database, reminder: Reminder, message_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute(
            "UPDATE reminders SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
            [message_id, to_iso(now), reminder.id],
        )
        if reminder.schedule_id is not None:
            db.execute(
                "UPDATE schedules SET last_sent_at = ? WHERE id = ?",
                [to_iso(now), reminder.schedule_id],
            )


def mark_retry(db: Database, reminder_id: int, error: str) -> None:
    """Back to pending after a temporary failure (flood control, server error)."""
    db.execute(
        "UPDATE reminders SET status = 'pending', error = ? WHERE id = ?", [error, reminder_id]
    )


def mark_failed(db: Database, reminder_id: int, error: str) -> None:
    db.execute(
        "UPDATE reminders SET status = 'failed', error = ? WHERE id = ?", [error, reminder_id]
    )
