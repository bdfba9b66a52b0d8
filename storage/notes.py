"""Notes on a map, and the corrections a team makes to how they were classified."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from itertools import groupby

from sqlite_utils import Database

from bot.core.model import ITEM_KINDS, OPEN, Note, NoteDraft, NoteFacts
from storage.db import from_iso, to_iso, utcnow
from storage.ids import NEXT_ID

_SELECT_NOTES = """
    SELECT notes.*, users.first_name AS author_name,
           coalesce(nullif(owners.first_name, ''), '@' || owners.username) AS owner_name,
           coalesce(nullif(resolvers.first_name, ''), '@' || resolvers.username)
               AS resolved_by_name
    FROM notes LEFT JOIN users ON users.id = notes.author_id
    LEFT JOIN users AS owners ON owners.id = notes.owner_id
    LEFT JOIN users AS resolvers ON resolvers.id = notes.resolved_by
"""


_SELECT_NEW_NOTE = """
    SELECT notes.*, users.first_name AS author_name
    FROM notes LEFT JOIN users ON users.id = notes.author_id WHERE notes.id = ?
"""


def _note_from_row(row: dict) -> Note:
    return Note.from_fields(dict(
        id=row["id"],
        chat_id=row["chat_id"],
        map_id=row["map_id"],
        stage_id=row["stage_id"],
        kind=row["kind"],
        text=row["text"],
        lang=row["lang"],
        author_id=row["author_id"],
        created_at=from_iso(row["created_at"]),
        source=row["source"],
        author_name=row.get("author_name"),
        stage_score=row["stage_score"],
        kind_score=row["kind_score"],
        sentiment=row["sentiment"],
        channels=_channels(row["channels"]),
        status=row["status"],
        owner_id=row["owner_id"],
        number=row["number"],
        due_on=date.fromisoformat(row["due_on"]) if row.get("due_on") else None,
        resolved_by=row.get("resolved_by"),
        resolved_at=from_iso(row.get("resolved_at")),
        owner_name=row.get("owner_name"),
        resolved_by_name=row.get("resolved_by_name"),
        quote=bool(row.get("quote")),
        quoted_from=row.get("quoted_from"),
        said_at=from_iso(row.get("said_at")),
        stage_choices=_choices(row.get("stage_choices")),
        kind_choices=_choices(row.get("kind_choices")),
    ))


@lru_cache(maxsize=4096)
def _channels(value: str | None) -> tuple[str, ...]:
    """A note's channels from their JSON; a map's notes repeat a few dozen lists of channels,
    so each is parsed once (listing a 10,000-note map parsed ~6,500 of them)."""
    return tuple(json.loads(value)) if value not in ("[]", None) else ()


def _choices(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value)) if value else ()


def _choices_json(choices: tuple[str, ...]) -> str | None:
    return json.dumps(list(choices)) if choices else None


_NOTE_COLUMNS = (
    "chat_id, map_id, stage_id, kind, text, lang, author_id, created_at, source, stage_score,"
    " kind_score, sentiment, channels, classified_stage, classified_kind, parent_id"
)
_QUOTE_COLUMNS = ", quote, quoted_from, said_at"


def _insert_sql(quote: bool) -> str:
    """The INSERT of one note; a customer quote's columns (m030) only for quotes, so a plain
    note is stored the same way on a database of any release."""
    columns = _NOTE_COLUMNS + (_QUOTE_COLUMNS if quote else "")
    marks = ", ".join("?" * (columns.count(",") + 1))
    return f"INSERT INTO notes (id, {columns}) VALUES ({NEXT_ID['notes']}, {marks})"


_INSERT_NOTE, _INSERT_QUOTE = _insert_sql(False), _insert_sql(True)


def _note_values(
    chat_id: int,
    map_id: int,
    stage_id: int | None,
    draft: NoteDraft,
    author_id: int | None,
    created_at: str,
    parent_id: int | None,
) -> list:
    values = [
        chat_id,
        map_id,
        stage_id,
        draft.kind,
        draft.text,
        draft.lang,
        author_id,
        created_at,
        draft.source,
        draft.stage_score,
        draft.kind_score,
        draft.sentiment,
        json.dumps(list(draft.channels), ensure_ascii=False),
        draft.classified_stage,
        draft.classified_kind,
        parent_id,
    ]
    if draft.quote:
        values += [1, draft.quoted_from, to_iso(draft.said_at) if draft.said_at else None]
    return values


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
        _INSERT_QUOTE if draft.quote else _INSERT_NOTE,
        _note_values(chat_id, map_id, stage_id, draft, author_id, to_iso(utcnow()), parent_id),
    )
    if draft.stage_choices or draft.kind_choices:  # unsure: what to offer (m047)
        db.execute(
            "UPDATE notes SET stage_choices = ?, kind_choices = ? WHERE id = ?",
            [_choices_json(draft.stage_choices), _choices_json(draft.kind_choices),
             cursor.lastrowid],
        )
    # read back without the owner's and resolver's names (a new note has neither), so that
    # databases from before m020 (tests of older releases) still take notes
    rows = list(db.query(_SELECT_NEW_NOTE, [cursor.lastrowid]))
    return _note_from_row(rows[0])


def add_notes(db: Database, rows: Iterable[tuple]) -> None:
    """Stores many notes in one statement per batch (imports, the scale benchmark).

    Each row is `(chat_id, map_id, stage_id, draft, author_id, created_at, parent_id)`; the
    same columns, defaults and triggers (search index) as `add_note`. The caller commits.
    """
    for quote, run in groupby(rows, key=lambda row: row[3].quote):  # in order: numbers
        db.conn.executemany(
            _INSERT_QUOTE if quote else _INSERT_NOTE,
            (
                _note_values(chat_id, map_id, stage_id, draft, author_id, created_at, parent_id)
                for chat_id, map_id, stage_id, draft, author_id, created_at, parent_id in run
            ),
        )


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


def last_note_number(db: Database, chat_id: int, map_id: int) -> int:
    """The highest number the chat's map has given a note (deleted notes included)."""
    row = db.execute(
        "SELECT last_note_number FROM maps WHERE id = ? AND chat_id = ?", [map_id, chat_id]
    ).fetchone()
    return row[0] if row else 0


def number_was_given(db: Database, chat_id: int, map_id: int, number: int) -> bool:
    """Whether the chat's map has given `number` to a note (numbers start at 1): a missing
    note with such a number was deleted; any other never existed."""
    return 1 <= number <= last_note_number(db, chat_id, map_id)


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


def edit_note_text(db: Database, chat_id: int, note_id: int, draft: NoteDraft) -> Note | None:
    """Replaces the note's text with the draft's, and what was read from it (language,
    sentiment, channels); its stage, kind and number stay, and a question the classifier had
    about the old text is dropped. None if it is not in this chat."""
    cursor = db.execute(
        "UPDATE notes SET text = ?, lang = ?, sentiment = ?, channels = ?,"
        " stage_choices = NULL, kind_choices = NULL WHERE id = ? AND chat_id = ?",
        [
            draft.text,
            draft.lang,
            draft.sentiment,
            json.dumps(list(draft.channels), ensure_ascii=False),
            note_id,
            chat_id,
        ],
    )
    return get_note(db, chat_id, note_id) if cursor.rowcount == 1 else None


def list_notes(db: Database, chat_id: int, map_id: int) -> list[Note]:
    """All notes of the chat's map, oldest first. O(the map's notes): the unary `+` keeps
    SQLite from reading all of the chat's notes through `idx_notes_chat` instead."""
    return [
        _note_from_row(row)
        for row in db.query(
            _SELECT_NOTES + " WHERE notes.map_id = ? AND +notes.chat_id = ? ORDER BY notes.id",
            [map_id, chat_id],
        )
    ]


_SELECT_FACTS = (
    "SELECT id, stage_id, kind, status, sentiment, created_at, text, lang, channels FROM notes"
    " WHERE map_id = ? AND +chat_id = ? ORDER BY id"
)


def list_note_facts(db: Database, chat_id: int, map_id: int) -> list[NoteFacts]:
    """What /insights reads of each note of the chat's map, oldest first: one query on the map's
    rows (no joins, tuples instead of dicts), about a third of `list_notes`' CPU time on a
    10,000-note map. The unary `+` keeps SQLite off `idx_notes_chat`, as in `list_notes`."""
    return [
        NoteFacts(id_, stage_id, kind, status, sentiment, from_iso(created_at), text, lang,
                  _channels(channels))
        for id_, stage_id, kind, status, sentiment, created_at, text, lang, channels
        in db.execute(_SELECT_FACTS, [map_id, chat_id])
    ]


def list_cell_notes(
    db: Database, chat_id: int, map_id: int, stage_id: int, kind: str
) -> list[Note]:
    """The notes of one stage × lane cell of the chat's map, oldest first: O(the cell), read
    through `idx_notes_map (map_id, stage_id, kind)` (the board's "+ N more")."""
    return [
        _note_from_row(row)
        for row in db.query(
            _SELECT_NOTES + " WHERE notes.map_id = ? AND notes.stage_id = ? AND notes.kind = ?"
            " AND +notes.chat_id = ? ORDER BY notes.id",
            [map_id, stage_id, kind, chat_id],
        )
    ]


def count_notes(db: Database, chat_id: int, map_id: int) -> int:
    """How many notes the chat's map has (read from the map's index, no rows built: the chat
    is checked on the map's row — `+chat_id` on notes read one table row per note)."""
    return db.execute(
        "SELECT count(*) FROM notes"
        " WHERE map_id = (SELECT id FROM maps WHERE id = ? AND chat_id = ?)",
        [map_id, chat_id],
    ).fetchone()[0]


def count_chat_notes(db: Database, chat_id: int) -> int:
    """How many notes the chat has in all its maps (read from the chat's index)."""
    return db.execute("SELECT count(*) FROM notes WHERE chat_id = ?", [chat_id]).fetchone()[0]


def filled_lanes(db: Database, chat_id: int, map_id: int) -> set[tuple[int | None, str]]:
    """The (stage id, kind) pairs that have at least one note on the chat's map."""
    rows = db.execute(
        "SELECT DISTINCT stage_id, kind FROM notes WHERE map_id = ? AND +chat_id = ?",
        [map_id, chat_id],
    )
    return {(stage_id, kind) for stage_id, kind in rows}


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
    channels: tuple[str, ...] | None = None,
    sentiment: float | None = None,
    now: datetime | None = None,
) -> Note | None:
    """Moves a note to another stage and/or kind, or gives it other channels, and records each
    change in `corrections` (channels as JSON lists). `sentiment`: the note's sentiment for its
    new kind (a pain point is negative), stored with a kind change.

    `stage_key` is the canonical key of the new stage (None for a custom stage): that is
    what the classifier learns from. Returns the updated note, or None if it is not in this chat.
    """
    with db.atomic():
        note = get_note(db, chat_id, note_id)
        if note is None:
            return None
        now = now or utcnow()
        changes: list[tuple[str, str | None, str | None]] = []
        if stage_id is not None and note.stage_choices:  # the question is answered
            db.execute("UPDATE notes SET stage_choices = NULL WHERE id = ?", [note_id])
        if kind is not None and note.kind_choices:
            db.execute("UPDATE notes SET kind_choices = NULL WHERE id = ?", [note_id])
        if stage_id is not None and stage_id != note.stage_id:
            old_key = _stage_key(db, note.stage_id)
            db.execute("UPDATE notes SET stage_id = ? WHERE id = ?", [stage_id, note_id])
            changes.append(("stage", old_key, stage_key))
        if kind is not None and kind != note.kind:
            db.execute("UPDATE notes SET kind = ? WHERE id = ?", [kind, note_id])
            changes.append(("kind", note.kind, kind))
            _follow_item_kind(db, note, kind, now)
            if sentiment is not None:
                db.execute("UPDATE notes SET sentiment = ? WHERE id = ?", [sentiment, note_id])
        if channels is not None and tuple(channels) != tuple(note.channels):
            old, new = (json.dumps(list(c), ensure_ascii=False) for c in (note.channels, channels))
            db.execute("UPDATE notes SET channels = ? WHERE id = ?", [new, note_id])
            changes.append(("channels", old, new))
        for field, old, new in changes:
            db.execute(
                """
                INSERT INTO corrections (note_id, chat_id, user_id, field, old_value, new_value,
                                         text, lang, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [note_id, chat_id, user_id, field, old, new, note.text, note.lang, to_iso(now)],
            )
    return get_note(db, chat_id, note_id)


def _follow_item_kind(db: Database, note: Note, kind: str, now: datetime) -> None:
    """An item's due-date reminder follows its kind: corrected to a kind that gets no owner
    (an emotion…), the reminder is dropped; corrected back to a pain point or opportunity, it
    is planned again from the owner and date it kept (if the item is open and the date is to
    come)."""
    if kind not in ITEM_KINDS:
        db.execute("UPDATE notes SET remind_at = NULL WHERE id = ?", [note.id])
    elif not note.is_item and note.status == OPEN and note.due_on is not None:
        from storage.items import reminder_at  # storage.items reads notes through this module

        when = reminder_at(db, note.chat_id, note.map_id, note.due_on, now)
        db.execute("UPDATE notes SET remind_at = ? WHERE id = ?", [when, note.id])


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
          AND notes.id IN (SELECT note_id FROM corrections
                           WHERE note_id IS NOT NULL AND field IN ('stage', 'kind'))
        ORDER BY notes.id
        """
    )
    return [dict(row) for row in rows]


def chat_corrections(db: Database, chat_id: int) -> list[tuple[str, str, str | None, str | None]]:
    """What the chat's team taught the classifier, oldest first: (text, lang, stage key, kind)
    per corrected text, with the last value of each field it corrected. A field the team saw
    and left as it was is confirmed: while the note exists, its current stage key or kind
    stands there (the team that fixed only the kind of "courier late, cream melted" accepted
    its stage). None where neither is known, or for a custom stage. Corrections outlive an
    undone note: the team's judgement of the text still holds. Read by the per-chat memory
    (bot/classifier.py, nlp/memory.py)."""
    return corrections_taught(chat_correction_rows(db, chat_id))


def chat_correction_rows(
    db: Database, chat_id: int, *, after_id: int = 0, limit: int = -1
) -> list[tuple]:
    """The rows `chat_corrections` reads, by id: (id, text, lang, field, value, note id,
    note's stage key, note's kind); those after `after_id`, at most `limit` (-1: all). A
    handler reads them page by page (bot.classifier.load_chat_memory): 4,000 corrections
    joined to their notes cost 22 ms of CPU."""
    return db.execute(
        """
        SELECT corrections.id, corrections.text, corrections.lang, corrections.field,
               corrections.new_value, notes.id, stages.key, notes.kind
        FROM corrections
        LEFT JOIN notes ON notes.id = corrections.note_id
        LEFT JOIN stages ON stages.id = notes.stage_id
        WHERE corrections.chat_id = ? AND corrections.id > ? ORDER BY corrections.id LIMIT ?
        """,
        [chat_id, after_id, limit],
    ).fetchall()


def corrections_taught(rows: Iterable[tuple]) -> list[tuple[str, str, str | None, str | None]]:
    """`chat_corrections` from its rows (`chat_correction_rows`, oldest first)."""
    # keyed by the text, not the note: an undone note's corrections lose their note_id
    taught: dict[tuple[str, str], list] = {}  # → [text, lang, stage, kind, confirmed]
    for _, text, lang, field, value, note_id, stage_key, kind in rows:
        if field not in ("stage", "kind"):
            continue  # channels: the rules find them, the classifier does not learn them
        entry = taught.setdefault((text, lang), [text, lang, None, None, (None, None)])
        entry[2 if field == "stage" else 3] = value
        if note_id is not None:
            entry[4] = (stage_key, kind)
    found = []
    for text, lang, stage, kind, (confirmed_stage, confirmed_kind) in taught.values():
        if stage or kind:
            found.append((text, lang, stage or confirmed_stage, kind or confirmed_kind))
    return found


def corrections_mark(db: Database, chat_id: int) -> tuple[int, int, str]:
    """(number, last id, last time) of the chat's corrections: changes whenever one is added
    or deleted (also when /forget deleted them and a new one reuses the last id)."""
    count, last, when = db.execute(
        "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(created_at), '') FROM corrections"
        " WHERE chat_id = ?",
        [chat_id],
    ).fetchone()
    return count, last, when


def note_texts(db: Database, chat_id: int, map_id: int) -> Iterator[str]:
    """The texts of the chat's map, for the duplicate check of an import: O(the map's notes)
    through the map's index (`idx_notes_map`), never a scan of all notes."""
    for (text,) in db.execute(
        "SELECT text FROM notes WHERE map_id = ? AND +chat_id = ?", [map_id, chat_id]
    ):
        yield text
