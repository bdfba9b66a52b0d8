"""Digests and the review history: what a period of one map holds, its reviews, the settings.

Every query reads one map (or one chat's members) through an index: notes of a period through
`idx_notes_map_created` / `idx_notes_map_resolved`, the timeline through the map's pain points
(`idx_notes_map`), reviews through `idx_reviews_map`. A digest posted to the team is recorded
with its period (`digests`), so the next one starts where it ended; a digest asked for with
/digest is a view and records nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.core.digest import (
    History,
    Listed,
    PainTimeline,
    Person,
    ReviewRecord,
    listed,
    next_weekly_digest,
    pain_timeline,
    period_start,
)
from bot.core.model import JourneyMap, Note
from bot.core.schedule import QuietHours, missed_run_decision
from storage.db import from_iso, to_iso
from storage.notes import _SELECT_NOTES, _note_from_row
from storage.reminders import CLAIM_BATCH, get_schedule, queue_message

_PERIOD = (
    "notes.map_id = ? AND notes.created_at > ? AND notes.created_at <= ? AND +notes.chat_id = ?"
)


def _period(journey: JourneyMap, since: datetime, until: datetime) -> list:
    return [journey.id, to_iso(since), to_iso(until), journey.chat_id]


def period_counts(
    db: Database, journey: JourneyMap, since: datetime, until: datetime
) -> list[tuple[int | None, str, int]]:
    """(stage id, kind, notes) written on the map in the period."""
    return db.execute(
        f"SELECT stage_id, kind, count(*) FROM notes WHERE {_PERIOD} GROUP BY stage_id, kind",
        _period(journey, since, until),
    ).fetchall()


# the notes' columns and how many rows the whole query has (the first `limit` are read)
_SELECT_LISTED = _SELECT_NOTES.replace("SELECT ", "SELECT count(*) OVER () AS listed_total, ", 1)


def _listed(db: Database, sql: str, params: list, limit: int) -> Listed:
    rows = list(db.query(sql + f" LIMIT {int(limit)}", params))
    total = rows[0]["listed_total"] if rows else 0
    return listed([_note_from_row(row) for row in rows], total, limit)


def new_pain_points(
    db: Database, journey: JourneyMap, since: datetime, until: datetime, limit: int
) -> Listed:
    """Pain points written in the period and still open, oldest first (the first `limit`)."""
    return _listed(
        db,
        _SELECT_LISTED + f" WHERE {_PERIOD} AND notes.kind = 'pain_point'"
        " AND notes.status = 'open'"
        " ORDER BY notes.created_at, notes.id",
        _period(journey, since, until),
        limit,
    )


def resolved_pain_points(
    db: Database, journey: JourneyMap, since: datetime, until: datetime, limit: int
) -> Listed:
    """Pain points resolved in the period (and still resolved), in the order they were."""
    return _listed(
        db,
        _SELECT_LISTED + " WHERE notes.map_id = ? AND notes.resolved_at > ?"
        " AND notes.resolved_at <= ?"
        " AND +notes.chat_id = ? AND notes.kind = 'pain_point' AND notes.status = 'resolved'"
        " ORDER BY notes.resolved_at, notes.id",
        _period(journey, since, until),
        limit,
    )


def open_pain_points_of_map(db: Database, journey: JourneyMap) -> list[Note]:
    """The map's open pain points (for their themes)."""
    return [
        _note_from_row(row)
        for row in db.query(
            _SELECT_NOTES + " WHERE notes.map_id = ? AND +notes.chat_id = ?"
            " AND notes.kind = 'pain_point' AND notes.status = 'open' ORDER BY notes.id",
            [journey.id, journey.chat_id],
        )
    ]


def _name(first_name: str | None, username: str | None, user_id: int) -> str:
    return first_name or (f"@{username}" if username else str(user_id))


def contributors(
    db: Database, journey: JourneyMap, since: datetime, until: datetime
) -> list[Person]:
    """Who wrote notes on the map in the period, with how many."""
    rows = db.execute(
        "SELECT notes.author_id, users.first_name, users.username, count(*)"
        f" FROM notes JOIN users ON users.id = notes.author_id WHERE {_PERIOD}"
        " GROUP BY notes.author_id",
        _period(journey, since, until),
    )
    return [
        Person(user_id, _name(first, username, user_id), n) for user_id, first, username, n in rows
    ]


def wrote_on_other_maps(
    db: Database, journey: JourneyMap, since: datetime, until: datetime, user_ids: Sequence[int]
) -> set[int]:
    """Which of `user_ids` wrote notes on the chat's other maps in the period: a member who
    wrote on another map was heard from, even if not on this one. Reads each other map's notes
    of the period through `idx_notes_map_created`."""
    if not user_ids:
        return set()
    marks = ", ".join("?" for _ in user_ids)
    rows = db.execute(
        "SELECT DISTINCT notes.author_id FROM maps"
        " JOIN notes INDEXED BY idx_notes_map_created ON notes.map_id = maps.id"
        " AND notes.created_at > ? AND notes.created_at <= ?"
        f" WHERE maps.chat_id = ? AND maps.id != ? AND notes.author_id IN ({marks})",
        [to_iso(since), to_iso(until), journey.chat_id, journey.id, *user_ids],
    )
    return {user_id for (user_id,) in rows}


def review_moments(
    db: Database, journey: JourneyMap, until: datetime, limit: int
) -> list[datetime]:
    """When the map's last `limit` reviews finished (up to `until`), oldest first."""
    rows = db.execute(
        "SELECT finished_at FROM reviews WHERE map_id = ? AND finished_at IS NOT NULL"
        " AND finished_at <= ? AND +chat_id = ? ORDER BY finished_at DESC LIMIT ?",
        [journey.id, to_iso(until), journey.chat_id, limit],
    ).fetchall()
    return [from_iso(row[0]) for row in reversed(rows)]


def timeline(db: Database, journey: JourneyMap, moments: Sequence[datetime]) -> PainTimeline:
    """Open and resolved pain points per stage at each moment (bot.core.digest), counted by
    SQLite in one pass over the map's pain points."""
    if not moments:
        return pain_timeline(journey, (), ())
    isos = [to_iso(moment) for moment in moments]
    born = " ".join(f"WHEN created_at <= ? THEN {i}" for i in range(len(isos)))
    closed = " ".join(f"WHEN resolved_at <= ? THEN {i}" for i in range(len(isos)))
    width = len(isos)
    rows = db.execute(
        f"""
        SELECT stage_id,
               CASE {born} ELSE {width} END AS born,
               CASE WHEN status != 'resolved' THEN {width}
                    WHEN resolved_at IS NULL THEN -1
                    {closed} ELSE {width} END AS closed,
               count(*)
        FROM notes WHERE map_id = ? AND +chat_id = ? AND kind = 'pain_point'
        GROUP BY stage_id, born, closed
        """,
        [*isos, *isos, journey.id, journey.chat_id],
    ).fetchall()
    groups = [(stage, b, c, n) for stage, b, c, n in rows if b < width]
    return pain_timeline(journey, moments, groups)


def last_digest_until(db: Database, chat_id: int, map_id: int) -> datetime | None:
    """Where the last digest posted for the map ended."""
    row = db.execute(
        "SELECT max(until) FROM digests WHERE map_id = ? AND +chat_id = ?", [map_id, chat_id]
    ).fetchone()
    return from_iso(row[0])


# --- the review history ---------------------------------------------------------------------


def count_reviews(db: Database, chat_id: int, map_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM reviews WHERE map_id = ? AND +chat_id = ?", [map_id, chat_id]
    ).fetchone()[0]


def review_page(
    db: Database, journey: JourneyMap, offset: int, limit: int, now: datetime
) -> list[ReviewRecord]:
    """A page of the map's reviews, newest first, each counted from the notes that still
    exist: a deleted note leaves the history too."""
    rows = list(
        db.query(
            "SELECT * FROM reviews WHERE map_id = ? AND +chat_id = ?"
            " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
            [journey.id, journey.chat_id, limit, offset],
        )
    )
    summaries = [json.loads(row["summary"]) for row in rows]
    mentioned = {
        int(note_id)
        for summary in summaries
        for key in ("resolved", "still_open", "ideas", "owners")
        for note_id in summary.get(key, ())
    }
    kinds = existing_note_kinds(db, journey, mentioned)
    people = _names(db, {p for row in rows for p in json.loads(row["participants"])})
    records = []
    for row, summary in zip(rows, summaries, strict=True):

        def alive(key: str, summary: dict = summary, pain: bool = False) -> int:
            return outcomes_alive(summary, key, kinds, pain=pain)

        finished = from_iso(row["finished_at"])
        records.append(
            ReviewRecord(
                id=row["id"],
                started_at=from_iso(row["started_at"]),
                finished_at=finished,
                people=tuple(people[p] for p in json.loads(row["participants"]) if p in people),
                resolved=alive("resolved", pain=True),
                still_open=alive("still_open", pain=True),
                ideas=alive("ideas"),
                assigned=alive("owners"),
                new_notes=_notes_during(db, journey, row, summary, finished or now),
            )
        )
    return records


def outcomes_alive(summary: dict, key: str, kinds: dict[int, str], *, pain: bool) -> int:
    """How many of a review summary's `key` outcomes are of notes that still exist (`kinds`,
    from `existing_note_kinds`) — and, for `pain`, are still pain points: one deleted or made
    another kind since leaves the pain point counts (as /map does)."""
    return sum(
        1 for note_id in summary.get(key, ())
        if int(note_id) in kinds and (not pain or kinds[int(note_id)] == "pain_point")
    )


def existing_note_kinds(db: Database, journey: JourneyMap, ids: set[int]) -> dict[int, str]:
    """The kind of each of `ids` that is still a note of the map."""
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(
                f"SELECT id, kind FROM notes WHERE id IN ({marks}) AND map_id = ?",
                [*chunk, journey.id],
            ).fetchall()
        )
    return found


def _names(db: Database, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    marks = ", ".join("?" * len(user_ids))
    rows = db.execute(
        f"SELECT id, first_name, username FROM users WHERE id IN ({marks})", sorted(user_ids)
    )
    return {user_id: _name(first, username, user_id) for user_id, first, username in rows}


def _notes_during(
    db: Database, journey: JourneyMap, row: dict, summary: dict, until: datetime
) -> int:
    """Notes added while the review ran (ideas answering its pain points aside)."""
    return db.execute(
        "SELECT count(*) FROM notes WHERE map_id = ? AND created_at >= ? AND created_at <= ?"
        " AND id > ? AND parent_id IS NULL AND +chat_id = ?",
        [
            journey.id,
            row["started_at"],
            to_iso(until),
            summary.get("last_note_before", 0),
            journey.chat_id,
        ],
    ).fetchone()[0]


# --- the weekly digest's setting ----------------------------------------------------------


def weekly_digest_at(db: Database, chat_id: int, map_id: int) -> datetime | None:
    """When the map's next weekly digest goes out; None when the weekly digest is off."""
    row = db.execute(
        "SELECT next_run_at FROM digest_settings WHERE map_id = ? AND chat_id = ? AND weekly = 1",
        [map_id, chat_id],
    ).fetchone()
    return from_iso(row[0]) if row else None


def set_weekly_digest(
    db: Database,
    chat_id: int,
    map_id: int,
    next_run_at: datetime | None,
    user_id: int | None,
    now: datetime,
) -> None:
    """Turns the map's weekly digest on (next at `next_run_at`) or off (None)."""
    db.execute(
        """
        INSERT INTO digest_settings (map_id, chat_id, weekly, next_run_at, updated_by, updated_at)
        VALUES (:map, :chat, :weekly, :next, :user, :now)
        ON CONFLICT (map_id) DO UPDATE SET weekly = :weekly, next_run_at = :next,
            paused_while_out = 0, updated_by = :user, updated_at = :now
        WHERE chat_id = :chat
        """,
        {
            "map": map_id,
            "chat": chat_id,
            "weekly": int(next_run_at is not None),
            "next": to_iso(next_run_at) if next_run_at else None,
            "user": user_id,
            "now": to_iso(now),
        },
    )


def review_history(db: Database, journey: JourneyMap, now: datetime) -> History:
    """Every review of the map (newest first) and the pain points per stage when each finished:
    what exports carry. Linear in the map's pain points times its finished reviews."""
    total = count_reviews(db, journey.chat_id, journey.id)
    moments = review_moments(db, journey, now, max(total, 1))
    return History(
        journey=journey,
        reviews=tuple(review_page(db, journey, 0, max(total, 1), now)),
        total=total,
        offset=0,
        timeline=timeline(db, journey, moments) if moments else None,
    )


# --- digests posted to the team (weekly, after a check-in round) ----------------------------

DIGEST_KIND = "digest"  # the outbox kind (reminders.kind) of a posted digest


@dataclass(frozen=True)
class PostedDigest:
    """A digest owed to a chat: its map, period and why it is posted ("weekly", "checkin")."""

    id: int
    chat_id: int
    map_id: int
    since: datetime
    until: datetime
    trigger: str
    key: str


def queue_digest(
    db: Database, chat_id: int, map_id: int, trigger: str, key: str, until: datetime, now: datetime
) -> bool:
    """Records the digest `key` of the map — from where the last one ended (else a week back)
    to `until` — and queues it in the outbox, inside the caller's transaction; False (nothing
    changes) if that digest was queued before."""
    since = period_start(last_digest_until(db, chat_id, map_id), until)
    cursor = db.execute(
        "INSERT OR IGNORE INTO digests (chat_id, map_id, since, until, trigger, key, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [chat_id, map_id, to_iso(since), to_iso(until), trigger, key, to_iso(now)],
    )
    if cursor.rowcount != 1:
        return False
    return queue_message(
        db,
        DIGEST_KIND,
        chat_id,
        f"digest:{key}",
        until,
        now,
        ref_id=cursor.lastrowid,
        map_id=map_id,
    )


def get_posted_digest(db: Database, digest_id: int | None) -> PostedDigest | None:
    rows = list(db.query("SELECT * FROM digests WHERE id = ?", [digest_id]))
    if not rows:
        return None
    row = rows[0]
    return PostedDigest(
        row["id"],
        row["chat_id"],
        row["map_id"],
        from_iso(row["since"]),
        from_iso(row["until"]),
        row["trigger"],
        row["key"],
    )


def digest_timezone(db: Database, chat_id: int, map_id: int) -> tuple[str, QuietHours | None]:
    """The weekly digest's time zone and quiet hours: the map's review schedule's, else the
    chat's time zone."""
    schedule = get_schedule(db, chat_id, map_id)
    if schedule is not None:
        return schedule.timezone, schedule.quiet
    row = db.execute("SELECT timezone FROM chats WHERE id = ?", [chat_id]).fetchone()
    return (row[0] if row else "UTC"), None


def claim_weekly_digests(db: Database, now: datetime, limit: int = CLAIM_BATCH) -> int:
    """Queues the weekly digests that are due (at most `limit`, in one transaction) and moves
    each map to its next Monday; returns how many were due (`limit`: call again). A digest
    missed by more than a day (the bot was down) is skipped, the next one covers its week."""
    with db.atomic():
        due = db.execute(
            "SELECT map_id, chat_id, next_run_at FROM digest_settings WHERE weekly = 1"
            " AND next_run_at <= ? ORDER BY next_run_at LIMIT ?",
            [to_iso(now), limit],
        ).fetchall()
        for map_id, chat_id, next_run_at in due:
            due_at = from_iso(next_run_at)
            if missed_run_decision(due_at, now) == "send":
                queue_digest(
                    db, chat_id, map_id, "weekly", f"weekly:{map_id}:{next_run_at}", due_at, now
                )
            timezone, quiet = digest_timezone(db, chat_id, map_id)
            db.execute(
                "UPDATE digest_settings SET next_run_at = ? WHERE map_id = ?",
                [to_iso(next_weekly_digest(timezone, max(now, due_at), quiet)), map_id],
            )
    return len(due)
