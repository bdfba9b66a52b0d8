"""Notes on a map, and the corrections a team makes to how they were classified."""

from __future__ import annotations

import json

from sqlite_utils import Database

from bot.core.model import Note, NoteDraft
from storage.db import from_iso, to_iso, utcnow
from storage.ids import NEXT_ID

_SELECT_NOTES = """
    SELECT notes.*, users.first_name AS author_name
    FROM notes LEFT JOIN users ON users.id = notes.author_id
"""


def _note_from_row(row: dict) -> Note:
    return Note(
        id=row["id"],
        chat_id=row["chat_id"],
        map_id=row["map_id"],
        stage_id=row["stage_id"],
        kind=row["kind"],
        text=row["text"],
        lang=row["lang"],
        author_id=row["author_id"],
        author_name=row.get("author_name"),
        created_at=from_iso(row["created_at"]),
        source=row["source"],
        stage_score=row["stage_score"],
        kind_score=row["kind_score"],
        sentiment=row["sentiment"],
        channels=tuple(json.loads(row["channels"] or "[]")),
        status=row["status"],
        owner_id=row["owner_id"],
        number=row["number"],
    )


def add_note(
    db: Database,
    chat_id: int,
    map_id: int,
    stage_id: int | None,
    draft: NoteDraft,
    author_id: int | None,
    *,
    parent_id: int | None = None,
) -> Note:
    """Stores one note (an idea may point at the pain point it answers); committed on return.

    The note gets an id never used before and the next number on its map (a trigger counts)."""
    cursor = db.execute(
        """
        INSERT INTO notes (id, chat_id, map_id, stage_id, kind, text, lang, author_id,
                           created_at, source, stage_score, kind_score, sentiment, channels,
                           classified_stage, classified_kind, parent_id)
        VALUES ({next_id}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """.format(next_id=NEXT_ID["notes"]),
        [
            chat_id,
            map_id,
            stage_id,
            draft.kind,
            draft.text,
            draft.lang,
            author_id,
            to_iso(utcnow()),
            draft.source,
            draft.stage_score,
            draft.kind_score,
            draft.sentiment,
            json.dumps(list(draft.channels), ensure_ascii=False),
            draft.classified_stage,
            draft.classified_kind,
            parent_id,
        ],
    )
    note = get_note(db, chat_id, cursor.lastrowid)
    assert note is not None
    return note


def get_note(db: Database, chat_id: int, note_id: int) -> Note | None:
    """The note if it exists *and belongs to this chat*; None otherwise."""
    rows = list(
        db.query(_SELECT_NOTES + " WHERE notes.id = ? AND notes.chat_id = ?", [note_id, chat_id])
    )
    return _note_from_row(rows[0]) if rows else None


def note_exists(db: Database, note_id: int) -> bool:
    """Whether a note with this id exists in any chat (ids are never reused: if not, it was
    deleted)."""
    return db.execute("SELECT 1 FROM notes WHERE id = ?", [note_id]).fetchone() is not None


def get_note_by_number(db: Database, chat_id: int, map_id: int, number: int) -> Note | None:
    """Note `number` of the chat's map (the number the team sees), or None."""
    rows = list(
        db.query(
            _SELECT_NOTES
            + " WHERE notes.map_id = ? AND notes.number = ? AND notes.chat_id = ?",
            [map_id, number, chat_id],
        )
    )
    return _note_from_row(rows[0]) if rows else None


def edit_note_text(db: Database, chat_id: int, note_id: int, text: str) -> Note | None:
    """Replaces the note's text (its stage, kind and number stay); None if it is not here."""
    cursor = db.execute(
        "UPDATE notes SET text = ? WHERE id = ? AND chat_id = ?", [text, note_id, chat_id]
    )
    return get_note(db, chat_id, note_id) if cursor.rowcount == 1 else None


def list_notes(db: Database, chat_id: int, map_id: int) -> list[Note]:
    """All notes of the chat's map, oldest first."""
    return [
        _note_from_row(row)
        for row in db.query(
            _SELECT_NOTES + " WHERE notes.map_id = ? AND notes.chat_id = ? ORDER BY notes.id",
            [map_id, chat_id],
        )
    ]


def delete_note(db: Database, chat_id: int, note_id: int) -> bool:
    """Deletes only this note of this chat; False if there was none."""
    cursor = db.execute("DELETE FROM notes WHERE id = ? AND chat_id = ?", [note_id, chat_id])
    return cursor.rowcount == 1


def correct_note(
    db: Database,
    chat_id: int,
    note_id: int,
    user_id: int | None,
    *,
    stage_id: int | None = None,
    stage_key: str | None = None,
    kind: str | None = None,
) -> Note | None:
    """Moves a note to another stage and/or kind and records each change in `corrections`.

    `stage_key` is the canonical key of the new stage (None for a custom stage): that is
    what the classifier learns from. Returns the updated note, or None if it is not in this chat.
    """
    with db.atomic():
        note = get_note(db, chat_id, note_id)
        if note is None:
            return None
        now = to_iso(utcnow())
        changes: list[tuple[str, str | None, str | None]] = []
        if stage_id is not None and stage_id != note.stage_id:
            old_key = _stage_key(db, note.stage_id)
            db.execute("UPDATE notes SET stage_id = ? WHERE id = ?", [stage_id, note_id])
            changes.append(("stage", old_key, stage_key))
        if kind is not None and kind != note.kind:
            db.execute("UPDATE notes SET kind = ? WHERE id = ?", [kind, note_id])
            changes.append(("kind", note.kind, kind))
        for field, old, new in changes:
            db.execute(
                """
                INSERT INTO corrections (note_id, chat_id, user_id, field, old_value, new_value,
                                         text, lang, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [note_id, chat_id, user_id, field, old, new, note.text, note.lang, now],
            )
    return get_note(db, chat_id, note_id)


def _stage_key(db: Database, stage_id: int | None) -> str | None:
    if stage_id is None:
        return None
    row = db.execute("SELECT key FROM stages WHERE id = ?", [stage_id]).fetchone()
    return row[0] if row else None


def corrected_examples(db: Database) -> list[dict]:
    """Training examples from notes a team corrected: text, lang and the final stage and kind.

    Only notes whose final stage carries a canonical key are returned; a note corrected onto a
    custom stage teaches nothing about the canonical stages.
    """
    rows = db.query(
        """
        SELECT notes.text, notes.lang, stages.key AS stage, notes.kind
        FROM notes JOIN stages ON stages.id = notes.stage_id
        WHERE stages.key IS NOT NULL
          AND notes.id IN (SELECT note_id FROM corrections WHERE note_id IS NOT NULL)
        ORDER BY notes.id
        """
    )
    return [dict(row) for row in rows]
