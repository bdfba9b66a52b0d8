"""Review schedules and the reminders outbox.

Delivery is exactly-once in practice: a due schedule is *claimed* — a `reminders` row is written
and the schedule moves to its next slot in one transaction —, the row is marked `sending` right
before the message goes out and `sent` (with the message id) right after. A restart resends only
rows still `pending`; a row caught in `sending` by a crash is resent too (Telegram has no
idempotency key), a window of a few milliseconds per message.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlite_utils import Database

from bot.core.schedule import QuietHours, Reminder, ReviewRule, Schedule, missed_run_decision
from storage.db import from_iso, to_iso
from storage.ids import NEXT_ID


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def schedule_from_row(row: dict) -> Schedule:
    """A `schedules` row (or a `checkin_schedules` row, which has no map) as a Schedule."""
    start, end = _time(row["quiet_start"]), _time(row["quiet_end"])
    return Schedule(
        id=row["id"],
        map_id=row.get("map_id"),
        chat_id=row["chat_id"],
        rule=ReviewRule.from_rrule(row["rule"]),
        timezone=row["timezone"],
        next_run_at=from_iso(row["next_run_at"]),
        last_sent_at=from_iso(row["last_sent_at"]),
        paused=bool(row["paused"]),
        skip_weekends=bool(row["skip_weekends"]),
        quiet=QuietHours(start, end) if start and end else None,
        created_at=from_iso(row["created_at"]),
    )


def get_schedule(db: Database, chat_id: int, map_id: int) -> Schedule | None:
    """The review schedule of the chat's map, or None."""
    rows = list(
        db.query("SELECT * FROM schedules WHERE chat_id = ? AND map_id = ?", [chat_id, map_id])
    )
    return schedule_from_row(rows[0]) if rows else None


def get_schedule_by_id(db: Database, chat_id: int, schedule_id: int) -> Schedule | None:
    rows = list(
        db.query("SELECT * FROM schedules WHERE chat_id = ? AND id = ?", [chat_id, schedule_id])
    )
    return schedule_from_row(rows[0]) if rows else None


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
    """Sets (or replaces) the map's schedule; the next run is computed from `now`."""
    with db.atomic():
        db.execute("DELETE FROM schedules WHERE chat_id = ? AND map_id = ?", [chat_id, map_id])
        draft = Schedule(
            0, map_id, chat_id, rule, timezone, None, None, False, skip_weekends, quiet, now
        )
        db.execute(
            """
            INSERT INTO schedules (id, map_id, chat_id, rule, timezone, next_run_at, paused,
                                   skip_weekends, quiet_start, quiet_end, created_by, created_at)
            VALUES ({next_id}, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
            """.format(next_id=NEXT_ID["schedules"]),
            [
                map_id,
                chat_id,
                rule.to_rrule(),
                timezone,
                to_iso(draft.following_run(now)),
                int(skip_weekends),
                quiet.start.isoformat() if quiet else None,
                quiet.end.isoformat() if quiet else None,
                created_by,
                to_iso(now),
            ],
        )
    schedule = get_schedule(db, chat_id, map_id)
    assert schedule is not None
    return schedule


def set_paused(db: Database, chat_id: int, schedule_id: int, paused: bool, now: datetime) -> None:
    """Pauses or resumes; resuming recomputes the next run from `now` (no backlog)."""
    schedule = get_schedule_by_id(db, chat_id, schedule_id)
    if schedule is None:
        return
    next_run_at = None if paused else to_iso(schedule.following_run(now))
    db.execute(
        "UPDATE schedules SET paused = ?, next_run_at = COALESCE(?, next_run_at) WHERE id = ?",
        [int(paused), next_run_at, schedule_id],
    )


def postpone(db: Database, chat_id: int, schedule_id: int, until: datetime) -> None:
    """Moves the next run to `until` (snooze)."""
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE id = ? AND chat_id = ?",
        [to_iso(until), schedule_id, chat_id],
    )


def delete_schedule(db: Database, chat_id: int, schedule_id: int) -> bool:
    cursor = db.execute(
        "DELETE FROM schedules WHERE id = ? AND chat_id = ?", [schedule_id, chat_id]
    )
    return cursor.rowcount == 1


def pause_chat(db: Database, chat_id: int, reason: str) -> int:
    """Pauses every schedule of a chat the bot can no longer write to (blocked, deleted)."""
    with db.atomic():
        cursor = db.execute("UPDATE schedules SET paused = 1 WHERE chat_id = ?", [chat_id])
        db.execute(
            "UPDATE reminders SET status = 'failed', error = ? "
            "WHERE chat_id = ? AND status IN ('pending', 'sending')",
            [reason, chat_id],
        )
    return cursor.rowcount


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
    with db.atomic():
        due = list(
            db.query(
                "SELECT * FROM schedules WHERE paused = 0 AND next_run_at IS NOT NULL "
                "AND next_run_at <= ? ORDER BY next_run_at LIMIT ?",
                [to_iso(now), limit],
            )
        )
        for schedule in [schedule_from_row(row) for row in due]:
            if missed_run_decision(schedule.next_run_at, now) == "send":
                db.execute(
                    "INSERT OR IGNORE INTO reminders (schedule_id, chat_id, map_id, due_at,"
                    " created_at) VALUES (?, ?, ?, ?, ?)",
                    [
                        schedule.id,
                        schedule.chat_id,
                        schedule.map_id,
                        to_iso(schedule.next_run_at),
                        to_iso(now),
                    ],
                )
            db.execute(
                "UPDATE schedules SET next_run_at = ? WHERE id = ?",
                [to_iso(schedule.following_run(now)), schedule.id],
            )
    return len(due)


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
    )


def waiting_reminders(db: Database) -> list[Reminder]:
    """Every message of the outbox not sent yet (any kind), oldest first."""
    return [
        reminder_from_row(row)
        for row in db.query(
            "SELECT * FROM reminders WHERE status IN ('pending', 'sending') ORDER BY id"
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
