"""Map reviews: walking through open pain points, and the record of each review."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from bot.core.model import Note
from storage.db import from_iso, to_iso, utcnow
from storage.ids import NEXT_ID
from storage.items import KEEP, Keep, resolve_item, set_owner_and_due
from storage.notes import _SELECT_NOTES, _note_from_row


@dataclass(frozen=True)
class Review:
    """A review in progress or finished. `summary` holds the queue and the outcomes."""

    id: int
    map_id: int
    chat_id: int
    started_by: int | None
    started_at: datetime
    finished_at: datetime | None
    participants: tuple[int, ...] = ()
    summary: dict = field(default_factory=dict)

    @property
    def queue(self) -> list[int]:
        return list(self.summary.get("queue", []))

    @property
    def position(self) -> int:
        return int(self.summary.get("position", 0))


def _review_from_row(row: dict) -> Review:
    return Review(
        id=row["id"],
        map_id=row["map_id"],
        chat_id=row["chat_id"],
        started_by=row["started_by"],
        started_at=from_iso(row["started_at"]),
        finished_at=from_iso(row["finished_at"]),
        participants=tuple(json.loads(row["participants"])),
        summary=json.loads(row["summary"]),
    )


def open_pain_points(db: Database, chat_id: int, map_id: int) -> list[Note]:
    """The map's open pain points, in stage order, oldest first within a stage."""
    rows = db.query(
        _SELECT_NOTES
        + """
        LEFT JOIN stages ON stages.id = notes.stage_id
        WHERE +notes.chat_id = ? AND notes.map_id = ? AND notes.kind = 'pain_point'
          AND notes.status = 'open'
        ORDER BY stages.position IS NULL, stages.position, notes.id
        """,
        [chat_id, map_id],
    )
    return [_note_from_row(row) for row in rows]


def open_pain_point_ids(db: Database, chat_id: int, map_id: int) -> list[int]:
    """The ids of the map's open pain points, in `open_pain_points`' order, without building
    a note: a review's queue holds ids (1,400 notes built for it held the loop 80–270 ms on a
    10,000-note map)."""
    return [
        note_id
        for (note_id,) in db.execute(
            """
            SELECT notes.id FROM notes LEFT JOIN stages ON stages.id = notes.stage_id
            WHERE notes.map_id = (SELECT id FROM maps WHERE id = ? AND chat_id = ?)
              AND notes.kind = 'pain_point' AND notes.status = 'open'
            ORDER BY stages.position IS NULL, stages.position, notes.id
            """,
            [map_id, chat_id],
        )
    ]


def start_review(
    db: Database, chat_id: int, map_id: int, user_id: int | None, now: datetime
) -> Review:
    """Opens a review whose queue is the map's open pain points right now."""
    queue = open_pain_point_ids(db, chat_id, map_id)
    last_note = db.execute(
        "SELECT coalesce(max(id), 0) FROM notes WHERE map_id = ?", [map_id]
    ).fetchone()[0]
    summary = {
        "queue": queue,
        "position": 0,
        "last_note_before": last_note,
        "resolved": [],
        "still_open": [],
        "ideas": [],
        "owners": {},
    }
    cursor = db.execute(
        "INSERT INTO reviews (id, map_id, chat_id, started_by, started_at, participants, summary)"
        f" VALUES ({NEXT_ID['reviews']}, ?, ?, ?, ?, ?, ?)",
        [
            map_id,
            chat_id,
            user_id,
            to_iso(now),
            json.dumps([user_id] if user_id else []),
            json.dumps(summary),
        ],
    )
    review = get_review(db, chat_id, cursor.lastrowid)
    assert review is not None
    return review


def take_new_pain_points(db: Database, review: Review) -> Review:
    """Adds to the end of a running review's queue the map's open pain points it does not hold
    yet (written, or made pain points, since it started): continuing a review the next day
    walks them too."""
    queued = set(review.queue)
    new = [i for i in open_pain_point_ids(db, review.chat_id, review.map_id) if i not in queued]
    if not new:
        return review
    return _save(db, review, {**review.summary, "queue": [*review.queue, *new]}, None)


def card_counter(db: Database, review: Review, note_id: int) -> tuple[int, int]:
    """(number, total) for "Pain point 2 of 3": the pain points this review walks — those it
    has answered, and those ahead that are still open pain points. One resolved, made another
    kind or deleted elsewhere before the review reached it is not counted (it is skipped)."""
    skipped = {int(n) for n in review.summary.get("skipped", ())}
    queue, position = review.queue, review.position
    answered = [n for n in queue[:position] if n not in skipped]
    ahead = db.execute(
        "SELECT count(*) FROM notes WHERE id IN (SELECT value FROM json_each(?))"
        " AND +kind = 'pain_point' AND +status = 'open' AND +map_id = ?",
        [json.dumps(queue[position:]), review.map_id],
    ).fetchone()[0]
    index = queue.index(note_id)
    number = 1 + sum(1 for n in queue[:index] if n not in skipped)
    return number, len(answered) + ahead


def get_review(db: Database, chat_id: int, review_id: int) -> Review | None:
    """The review if it belongs to this chat."""
    rows = list(
        db.query("SELECT * FROM reviews WHERE id = ? AND chat_id = ?", [review_id, chat_id])
    )
    return _review_from_row(rows[0]) if rows else None


def last_finished_review(db: Database, chat_id: int, map_id: int) -> Review | None:
    rows = list(
        db.query(
            "SELECT * FROM reviews WHERE +chat_id = ? AND map_id = ? AND finished_at IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT 1",
            [chat_id, map_id],
        )
    )
    return _review_from_row(rows[0]) if rows else None


def _save(db: Database, review: Review, summary: dict, participant: int | None) -> Review:
    participants = list(review.participants)
    if participant is not None and participant not in participants:
        participants.append(participant)
    db.execute(
        "UPDATE reviews SET summary = ?, participants = ? WHERE id = ?",
        [json.dumps(summary, ensure_ascii=False), json.dumps(participants), review.id],
    )
    updated = get_review(db, review.chat_id, review.id)
    assert updated is not None
    return updated


def record_outcome(
    db: Database, review: Review, note_id: int, outcome: str, user_id: int | None, now: datetime
) -> Review:
    """Marks the pain point `resolved` or `still_open`, records who said so, moves the queue on."""
    summary = dict(review.summary)
    with db.atomic():
        if outcome == "resolved":
            resolve_item(db, review.chat_id, note_id, user_id, now)
        summary[outcome] = [*summary.get(outcome, []), note_id]
        summary["position"] = review.position + 1
        return _save(db, review, summary, user_id)


def assign_owner(
    db: Database,
    review: Review,
    note_id: int,
    user_id: int,
    now: datetime | None = None,
    due_on: date | Keep | None = KEEP,
) -> Review:
    """Makes `user_id` the owner of the pain point (and sets its due date, unless KEEP)."""
    with db.atomic():
        set_owner_and_due(db, review.chat_id, note_id, user_id, due_on, now=now or utcnow())
        summary = dict(review.summary)
        summary["owners"] = {**summary.get("owners", {}), str(note_id): user_id}
        return _save(db, review, summary, user_id)


def record_idea(db: Database, review: Review, idea_note_id: int, user_id: int | None) -> Review:
    summary = dict(review.summary)
    summary["ideas"] = [*summary.get("ideas", []), idea_note_id]
    return _save(db, review, summary, user_id)


def notes_added_during(db: Database, review: Review) -> int:
    """Notes added to the map since the review started (ideas answering pain points aside)."""
    return db.execute(
        "SELECT count(*) FROM notes WHERE map_id = ? AND id > ? AND parent_id IS NULL",
        [review.map_id, review.summary.get("last_note_before", 0)],
    ).fetchone()[0]


def finish_review(db: Database, review: Review, now: datetime) -> Review:
    """Closes the review, recording how many notes were added while it ran (one write: a
    review is never finished without its count, nor counted twice)."""
    with db.atomic():
        summary = {**review.summary, "new_note_count": notes_added_during(db, review)}
        db.execute(
            "UPDATE reviews SET summary = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL",
            [json.dumps(summary, ensure_ascii=False), to_iso(now), review.id],
        )
    finished = get_review(db, review.chat_id, review.id)
    assert finished is not None
    return finished


def open_review(db: Database, chat_id: int, map_id: int) -> Review | None:
    """The map's unfinished review, if one is running."""
    rows = list(
        db.query(
            "SELECT * FROM reviews WHERE +chat_id = ? AND map_id = ? AND "
            "finished_at IS NULL ORDER BY id DESC LIMIT 1",
            [chat_id, map_id],
        )
    )
    return _review_from_row(rows[0]) if rows else None


def changes_since(db: Database, chat_id: int, map_id: int, since: datetime | None) -> dict:
    """What happened on the map since `since` (all time when None): counts for the reminder.

    New pain points are the ones still open: one added and resolved since is counted as
    resolved, not as new pain."""
    since_iso = to_iso(since) if since else ""
    rows = db.query(
        """
        SELECT notes.kind, stages.key AS stage_key, stages.name AS stage_name,
               stages.position AS position, count(*) AS n,
               sum(notes.status = 'open') AS still_open
        FROM notes LEFT JOIN stages ON stages.id = notes.stage_id
        WHERE +notes.chat_id = ? AND notes.map_id = ? AND notes.created_at > ?
        GROUP BY notes.kind, notes.stage_id ORDER BY stages.position
        """,
        [chat_id, map_id, since_iso],
    )
    new_notes, new_pain = 0, {}
    for row in rows:
        new_notes += row["n"]
        if row["kind"] == "pain_point" and row["still_open"]:
            new_pain[row["position"]] = new_pain.get(row["position"], 0) + row["still_open"]
    resolved = db.execute(  # pain points, as /map, /digest and /history count them
        "SELECT count(*) FROM notes WHERE +chat_id = ? AND map_id = ? AND resolved_at > ?"
        " AND +kind = 'pain_point' AND +status = 'resolved'",
        [chat_id, map_id, since_iso],
    ).fetchone()[0]
    return {"new_notes": new_notes, "new_pain_points_by_position": new_pain, "resolved": resolved}
