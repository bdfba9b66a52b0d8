"""One repository for what the bot does on a schedule: a map's reviews and a group's check-ins.

Both are rows of `schedules` (m064 folded the former `checkin_schedules` into it), told apart
by `kind` and keyed by what is scheduled (`Scheduled`): a review schedule by its map, a
check-in schedule by its chat (one per group, `map_id` NULL). storage/reminders.py and
storage/checkins.py keep their own names for these functions (`save_schedule`,
`save_checkin_schedule`…) as one-line calls into this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from sqlite_utils import Database

from bot.core.schedule import QuietHours, ReviewRule, Schedule, missed_run_decision
from storage.db import from_iso, to_iso
from storage.ids import NEXT_ID

REVIEW, CHECKIN = "review", "checkin"


@dataclass(frozen=True)
class Scheduled:
    """What a schedule is for: a map's reviews (`map_id`), or a group's check-ins (no map)."""

    kind: str
    chat_id: int
    map_id: int | None = None

    @classmethod
    def reviews(cls, chat_id: int, map_id: int) -> Scheduled:
        return cls(REVIEW, chat_id, map_id)

    @classmethod
    def checkins(cls, chat_id: int) -> Scheduled:
        return cls(CHECKIN, chat_id)


_WHERE = "kind = ? AND chat_id = ? AND map_id IS ?"


def _key(scheduled: Scheduled) -> list:
    return [scheduled.kind, scheduled.chat_id, scheduled.map_id]


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def schedule_from_row(row: dict) -> Schedule:
    """A `schedules` row as a Schedule (a check-in schedule has no map)."""
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


def find_schedule(db: Database, scheduled: Scheduled) -> Schedule | None:
    """The schedule of `scheduled`, or None."""
    rows = list(db.query(f"SELECT * FROM schedules WHERE {_WHERE}", _key(scheduled)))
    return schedule_from_row(rows[0]) if rows else None


def find_schedule_by_id(db: Database, kind: str, chat_id: int, schedule_id: int) -> Schedule | None:
    """The chat's schedule of that kind with that id (a button carries it), or None."""
    rows = list(
        db.query(
            "SELECT * FROM schedules WHERE kind = ? AND chat_id = ? AND id = ?",
            [kind, chat_id, schedule_id],
        )
    )
    return schedule_from_row(rows[0]) if rows else None


def store_schedule(
    db: Database,
    scheduled: Scheduled,
    rule: ReviewRule,
    timezone: str,
    *,
    now: datetime,
    keep_id: bool,
    skip_weekends: bool = False,
    quiet: QuietHours | None = None,
    created_by: int | None = None,
) -> Schedule:
    """Sets (or replaces) the schedule of `scheduled`; the next run is computed from `now`.

    `keep_id`: a replaced schedule keeps its id and row (check-ins: their rounds go on);
    otherwise the old row is deleted — with the reminders it had queued — and the new one
    gets a new id, so an old reminder's Snooze / Skip buttons no longer act on it (reviews)."""
    draft = Schedule(
        0, scheduled.map_id, scheduled.chat_id, rule, timezone, None, None, False,
        skip_weekends, quiet, now,
    )  # fmt: skip
    values = [
        rule.to_rrule(),
        timezone,
        to_iso(draft.following_run(now)),
        int(skip_weekends),
        quiet.start.isoformat() if quiet else None,
        quiet.end.isoformat() if quiet else None,
        created_by,
        to_iso(now),
    ]
    with db.atomic():
        old = find_schedule(db, scheduled)
        if old is not None and keep_id:
            db.execute(
                "UPDATE schedules SET rule = ?, timezone = ?, next_run_at = ?, paused = 0, "
                "paused_while_out = 0, "
                "skip_weekends = ?, quiet_start = ?, quiet_end = ?, created_by = ?, "
                "created_at = ? WHERE id = ?",
                [*values, old.id],
            )
        else:
            if old is not None:
                db.execute("DELETE FROM schedules WHERE id = ?", [old.id])
            db.execute(
                f"""
                INSERT INTO schedules (id, kind, chat_id, map_id, rule, timezone, next_run_at,
                                       paused, skip_weekends, quiet_start, quiet_end,
                                       created_by, created_at)
                VALUES ({NEXT_ID["schedules"]}, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                """,
                [*_key(scheduled), *values],
            )
    schedule = find_schedule(db, scheduled)
    assert schedule is not None
    return schedule


def pause_or_resume(db: Database, schedule: Schedule, paused: bool, now: datetime) -> None:
    """Pauses or resumes; resuming recomputes the next run from `now` (no backlog). The team's
    choice: the bot's return to the chat no longer resumes it (storage.chat_presence)."""
    next_run_at = None if paused else to_iso(schedule.following_run(now))
    db.execute(
        "UPDATE schedules SET paused = ?, paused_while_out = 0,"
        " next_run_at = COALESCE(?, next_run_at) WHERE id = ?",
        [int(paused), next_run_at, schedule.id],
    )


def drop_schedule(db: Database, scheduled: Scheduled) -> bool:
    """Deletes the schedule of `scheduled`; False if there was none."""
    return db.execute(f"DELETE FROM schedules WHERE {_WHERE}", _key(scheduled)).rowcount == 1


def claim_due_runs(
    db: Database,
    kind: str,
    now: datetime,
    limit: int,
    run: Callable[[Schedule], object],
    *,
    mark_sent: bool = False,
) -> int:
    """The claim step of reviews and check-ins alike, inside the caller's transaction: at most
    `limit` due schedules of `kind`, the longest overdue first; `run(schedule)` for each whose
    run is still worth doing (missed by less than the grace period, `missed_run_decision`: a
    run missed while the bot was down just moves on), then each moves to its next slot from
    `now` (`mark_sent`: its `last_sent_at` is now too). Returns how many were due (`limit`:
    call again)."""
    due = due_schedules(db, kind, now, limit)
    for schedule in due:
        if missed_run_decision(schedule.next_run_at, now) == "send":
            run(schedule)
        db.execute(
            "UPDATE schedules SET next_run_at = ?, last_sent_at = coalesce(?, last_sent_at)"
            " WHERE id = ?",
            [to_iso(schedule.following_run(now)), to_iso(now) if mark_sent else None,
             schedule.id],
        )
    return len(due)


def due_schedules(db: Database, kind: str, now: datetime, limit: int) -> list[Schedule]:
    """At most `limit` running schedules of `kind` whose next run is due, the longest overdue
    first (idx_schedules_due)."""
    rows = db.query(
        "SELECT * FROM schedules WHERE kind = ? AND paused = 0 AND next_run_at IS NOT NULL "
        "AND next_run_at <= ? ORDER BY next_run_at LIMIT ?",
        [kind, to_iso(now), limit],
    )
    return [schedule_from_row(row) for row in rows]
