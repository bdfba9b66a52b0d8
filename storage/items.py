"""Items: pain points and opportunities with an owner and a due date; resolving them.

Every read goes through a partial index of open items (`idx_notes_open_items` per chat,
`idx_notes_owner_open` per owner, `idx_notes_remind_at` for reminders), so its cost grows with
the chat's open items, never with the database (tests/test_storage_items.py checks the plans).
Every way of resolving an item — a review's Resolved, the note card, /todo — goes through
`resolve_item`, which records who and when.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final, Literal

from sqlite_utils import Database

from bot.core.items import reminder_moment
from bot.core.model import ITEM_KINDS, Note
from bot.core.schedule import Reminder
from storage.db import from_iso, to_iso
from storage.notes import _SELECT_NOTES, _note_from_row, get_note
from storage.reminders import CLAIM_BATCH, get_schedule, queue_message
from storage.schedules import Scheduled, find_schedule

KEEP: Final = "keep"  # set_owner_and_due: leave this field as it is
Keep = Literal["keep"]

# The partial index of open items, word for word (SQLite uses it only then).
_OPEN_ITEM = (
    "notes.status = 'open' AND (notes.owner_id IS NOT NULL OR notes.due_on IS NOT NULL)"
    f" AND notes.kind IN {ITEM_KINDS}"  # an item corrected to another kind keeps its owner
)
_ORDER = "ORDER BY notes.due_on IS NULL, notes.due_on, notes.map_id, notes.number"


def _select_notes_by(index: str) -> str:
    """The notes query read through `index` (SQLite refuses the query if the WHERE cannot use
    it, so a plan can never fall back to all of a chat's notes)."""
    return _SELECT_NOTES.replace("FROM notes ", f"FROM notes INDEXED BY {index} ", 1)


_BY_CHAT = _select_notes_by("idx_notes_open_items")
_BY_OWNER = _select_notes_by("idx_notes_owner_open")


def set_owner_and_due(
    db: Database,
    chat_id: int,
    note_id: int,
    owner_id: int | Keep | None = KEEP,
    due_on: date | Keep | None = KEEP,
    *,
    now: datetime,
) -> Note | None:
    """Gives the chat's note an owner and/or a due date (None clears one, KEEP leaves it).

    When either changes on an open item, its due-date reminder is (re)planned: `REMIND_AT` on
    the due date in the chat's time zone, after the map's quiet hours. None if the note is not
    in this chat."""
    with db.atomic():
        note = get_note(db, chat_id, note_id)
        if note is None:
            return None
        new_owner = note.owner_id if owner_id == KEEP else owner_id
        new_due = note.due_on if due_on == KEEP else due_on
        if (new_owner, new_due) == (note.owner_id, note.due_on):
            return note
        remind_at = None
        if note.is_item and not note.is_resolved and new_due is not None:
            remind_at = reminder_at(db, chat_id, note.map_id, new_due, now)
        db.execute(
            "UPDATE notes SET owner_id = ?, due_on = ?, remind_at = ? WHERE id = ?",
            [new_owner, new_due.isoformat() if new_due else None, remind_at, note_id],
        )
    return get_note(db, chat_id, note_id)


def resolve_item(
    db: Database, chat_id: int, note_id: int, user_id: int | None, now: datetime
) -> Note | None:
    """Closes the chat's note, recording who and when; its pending reminder is dropped.
    A note already resolved keeps its first who and when. None if it is not in this chat."""
    db.execute(
        "UPDATE notes SET status = 'resolved', resolved_at = ?, resolved_by = ?, remind_at = NULL"
        " WHERE id = ? AND chat_id = ? AND status = 'open'",
        [to_iso(now), user_id, note_id, chat_id],
    )
    return get_note(db, chat_id, note_id)


def reopen_item(db: Database, chat_id: int, note_id: int, now: datetime) -> Note | None:
    """Opens a resolved note again (who and when are cleared; its due-date reminder is
    planned again if the date is still to come)."""
    with db.atomic():
        note = get_note(db, chat_id, note_id)
        if note is None or not note.is_resolved:
            return note
        when = reminder_at(db, chat_id, note.map_id, note.due_on, now) if note.due_on else None
        db.execute(
            "UPDATE notes SET status = 'open', resolved_at = NULL, resolved_by = NULL,"
            " remind_at = ? WHERE id = ?",
            [when, note_id],
        )
    return get_note(db, chat_id, note_id)


def open_items(
    db: Database, chat_id: int, *, map_id: int | None = None, owner_id: int | None = None
) -> list[Note]:
    """The chat's open items that have an owner or a due date (of one map, of one owner):
    by due date — so overdue ones come first —, then those without a date."""
    where, params = [f"notes.chat_id = ? AND {_OPEN_ITEM}"], [chat_id]
    if map_id is not None:
        where.append("+notes.map_id = ?")
        params.append(map_id)
    if owner_id is not None:
        where.append("+notes.owner_id = ?")
        params.append(owner_id)
    rows = db.query(f"{_BY_CHAT} WHERE {' AND '.join(where)} {_ORDER}", params)
    return [_note_from_row(row) for row in rows]


def overdue_items(
    db: Database, chat_id: int, today: date, *, map_id: int | None = None
) -> list[Note]:
    """The chat's open items whose due date is before `today` (the chat's date), the longest
    overdue first."""
    where, params = [f"notes.chat_id = ? AND {_OPEN_ITEM} AND notes.due_on < ?"], [
        chat_id,
        today.isoformat(),
    ]
    if map_id is not None:
        where.append("+notes.map_id = ?")
        params.append(map_id)
    rows = db.query(f"{_BY_CHAT} WHERE {' AND '.join(where)} {_ORDER}", params)
    return [_note_from_row(row) for row in rows]


def count_overdue(db: Database, chat_id: int, map_id: int, today: date) -> int:
    """How many of the map's open items are overdue (read from the open-items index)."""
    return db.execute(
        "SELECT count(*) FROM notes INDEXED BY idx_notes_open_items"
        f" WHERE notes.chat_id = ? AND {_OPEN_ITEM} AND notes.due_on < ? AND +notes.map_id = ?",
        [chat_id, today.isoformat(), map_id],
    ).fetchone()[0]


def owner_open_items(
    db: Database, owner_id: int, *, chat_id: int | None = None
) -> list[tuple[Note, str, str | None]]:
    """(item, map name, chat title) for each open item `owner_id` owns — in every chat, or in
    one —, by due date (overdue first), then undated."""
    where = [f"notes.owner_id = ? AND notes.status = 'open' AND notes.kind IN {ITEM_KINDS}"]
    params: list = [owner_id]
    if chat_id is not None:
        where.append("+notes.chat_id = ?")
        params.append(chat_id)
    rows = db.query(
        f"""
        SELECT item.*, maps.name AS map_name, chats.title AS chat_title
        FROM ({_BY_OWNER} WHERE {' AND '.join(where)}) AS item
        JOIN maps ON maps.id = item.map_id JOIN chats ON chats.id = item.chat_id
        ORDER BY item.due_on IS NULL, item.due_on, item.chat_id, item.map_id, item.number
        """,
        params,
    )
    return [(_note_from_row(row), row["map_name"], row["chat_title"]) for row in rows]


DUE_KIND = "due"  # the outbox kind of due-date reminders (ref_id: the note)


def claim_due_items_batch(db: Database, now: datetime, limit: int = CLAIM_BATCH) -> int:
    """Turns at most `limit` items whose reminder time has come into 'due' messages of the
    outbox (for the owner, `ref_id` the note), in one transaction; returns how many it claimed.

    The item's `remind_at` is cleared in the same transaction, and the message's dedupe key
    (`due:<note>:<date>:<owner>`) is queued once, so each is claimed once: a restart neither
    repeats nor skips it (an item due while the bot was down is claimed when it is back)."""
    with db.atomic():
        due = db.execute(
            "SELECT id, chat_id, map_id, owner_id, due_on, remind_at FROM notes"
            " WHERE remind_at IS NOT NULL AND remind_at <= ? AND kind IN"
            f" {ITEM_KINDS} ORDER BY remind_at LIMIT ?",
            [to_iso(now), limit],
        ).fetchall()
        for note_id, chat_id, map_id, owner_id, due_on, remind_at in due:
            queue_message(
                db,
                DUE_KIND,
                chat_id,
                f"due:{note_id}:{due_on}:{owner_id or 0}",
                from_iso(remind_at),
                now,
                user_id=owner_id,
                ref_id=note_id,
                map_id=map_id,
            )
            db.execute("UPDATE notes SET remind_at = NULL WHERE id = ?", [note_id])
    return len(due)


def replan_reminders(db: Database, chat_id: int, now: datetime) -> int:
    """Plans again the chat's due-date reminders not sent yet — after its time zone or a map's
    quiet hours changed —; returns how many. (Reads only the chat's open items.)"""
    rows = db.execute(
        "SELECT id, map_id, due_on FROM notes INDEXED BY idx_notes_open_items"
        f" WHERE notes.chat_id = ? AND {_OPEN_ITEM} AND notes.remind_at IS NOT NULL",
        [chat_id],
    ).fetchall()
    timezone = _timezone(db, chat_id)
    options_of: dict[int, dict] = {}
    with db.atomic():
        for note_id, map_id, due_on in rows:
            if map_id not in options_of:
                options_of[map_id] = due_reminder_rules(db, chat_id, map_id)
            day = date.fromisoformat(due_on) if due_on else None
            moment = reminder_moment(day, timezone, now=now, **options_of[map_id])
            db.execute(
                "UPDATE notes SET remind_at = ? WHERE id = ?",
                [to_iso(moment) if moment else None, note_id],
            )
    return len(rows)


def reminder_at(
    db: Database, chat_id: int, map_id: int, due_on: date, now: datetime
) -> str | None:
    """When (UTC, ISO) an open item of the map due on `due_on` is reminded (the chat's time
    zone, the map's quiet hours); None if that day has passed."""
    moment = reminder_moment(
        due_on, _timezone(db, chat_id), now=now, **due_reminder_rules(db, chat_id, map_id)
    )
    return to_iso(moment) if moment else None


def _timezone(db: Database, chat_id: int) -> str:
    row = db.execute("SELECT timezone FROM chats WHERE id = ?", [chat_id]).fetchone()
    return row[0] if row else "UTC"


def due_reminder_rules(db: Database, chat_id: int, map_id: int) -> dict:
    """The quiet hours and weekends due-date reminders follow: the map's review schedule's;
    without one, the chat's check-in schedule's (a team that skips weekends for check-ins
    skips them for reminders too); else none."""
    schedule = get_schedule(db, chat_id, map_id) or find_schedule(db, Scheduled.checkins(chat_id))
    if schedule is None:
        return {"quiet": None, "skip_weekends": False}
    return {"quiet": schedule.quiet, "skip_weekends": schedule.skip_weekends}


def planned_due_on(reminder: Reminder) -> date | None:
    """The due date a 'due' reminder was claimed for (its dedupe key `due:<note>:<date>:…`)."""
    parts = (reminder.dedupe_key or "").split(":")
    try:
        return date.fromisoformat(parts[2]) if len(parts) > 2 and parts[2] != "None" else None
    except ValueError:
        return None
