"""What a chat has stored: its reviews, all of it as one export, and forgetting all of it.

`forget_chat` deletes the chat's rows in one transaction with SQLite's `secure_delete` on (freed
pages are overwritten with zeros), rebuilds the search index without them and checkpoints the
write-ahead log, so the deleted texts do not linger in the database file.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from bot.core.model import JourneyMap
from storage.checkpoints import truncate_wal
from storage.db import from_iso, to_iso
from storage.maps import _map_from_row

EXPORT_SCHEMA = "journeybot.chat/1"
_JSON_COLUMNS = {"channels", "participants", "summary", "data"}
# updates as Telegram sent them, kept against loss and redelivery: not the chat's content
_NOT_EXPORTED = {"handled_updates", "inbox"}
_DERIVED_COLUMNS = {"search_keys"}  # the search index's keys: computed from the text, not content


def chat_tables(db: Database) -> list[tuple[str, str]]:
    """Every table that holds rows of a chat, with the condition that selects them, children
    first and `chats` last. Found from the schema, so tables added later are covered too."""
    found = []
    for table in db.table_names():
        if table == "chats" or table.startswith(("_", "sqlite_", "notes_search")):
            continue
        columns = db[table].columns_dict
        if "chat_id" in columns:
            found.append((table, "chat_id = :chat"))
        elif "map_id" in columns:
            found.append((table, "map_id IN (SELECT id FROM maps WHERE chat_id = :chat)"))
        elif "note_id" in columns:
            found.append((table, "note_id IN (SELECT id FROM notes WHERE chat_id = :chat)"))
    found.sort(key=lambda item: {"notes": 1, "maps": 2}.get(item[0], 0))  # parents last
    return [*found, ("chats", "id = :chat")]


def _user_references(db: Database) -> list[tuple[str, str]]:
    """(table, column) pairs that point at a user: foreign keys, dialogs and private chats."""
    found = [
        (fk.table, fk.column)
        for table in db.table_names()
        if not table.startswith(("_", "sqlite_", "notes_search"))
        for fk in db[table].foreign_keys
        if fk.other_table == "users"
    ]
    return [*found, ("dialogs", "user_id"), ("chats", "id")]


def find_map(db: Database, map_id: int) -> JourneyMap | None:
    """Any chat's map by id: for the operator's command line, never for chat handlers."""
    rows = list(db.query("SELECT * FROM maps WHERE id = ?", [map_id]))
    return _map_from_row(db, rows[0]) if rows else None


def chat_language(db: Database, chat_id: int) -> str | None:
    row = db.execute("SELECT lang FROM chats WHERE id = ?", [chat_id]).fetchone()
    return row[0] if row else None


def list_reviews(db: Database, chat_id: int, map_id: int) -> list[dict]:
    """The map's reviews, oldest first, with `participants` and `summary` decoded."""
    rows = db.query(
        "SELECT * FROM reviews WHERE map_id = ? AND +chat_id = ? ORDER BY started_at, id",
        [map_id, chat_id],
    )
    return [_decoded(row) for row in rows]


def last_review_at(db: Database, chat_id: int, map_id: int) -> datetime | None:
    """When the map's latest finished review ended; None if it was never reviewed."""
    row = db.execute(
        "SELECT max(finished_at) FROM reviews WHERE map_id = ? AND +chat_id = ?",
        [map_id, chat_id],
    ).fetchone()
    return from_iso(row[0])


def chat_counts(db: Database, chat_id: int) -> dict[str, int]:
    """How many rows the chat has per table (what /forget would delete)."""
    return {
        table: db.execute(
            f"SELECT count(*) FROM {table} WHERE {where}", {"chat": chat_id}
        ).fetchone()[0]
        for table, where in chat_tables(db)
    }


def export_chat(db: Database, chat_id: int, now: datetime) -> dict:
    """Everything stored for the chat as one JSON-ready dict: rows per table, as stored.

    Also the people who appear in it (name, username) and no other chat's data.
    """
    tables = {
        table: [
            _decoded(row)
            for row in db.query(
                f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", {"chat": chat_id}
            )
        ]
        for table, where in reversed(chat_tables(db))
        if table not in _NOT_EXPORTED
    }
    people = db.query(
        f"SELECT id, first_name, username FROM users WHERE id IN ({_chat_user_ids(db)})"
        " ORDER BY id",
        {"chat": chat_id},
    )
    return {
        "schema": EXPORT_SCHEMA,
        "exported_at": to_iso(now),
        "chat_id": chat_id,
        "tables": {**tables, "users": [dict(row) for row in people]},
    }


def forget_chat(db: Database, chat_id: int) -> dict[str, int]:
    """Deletes every row of the chat (and people nothing else mentions); returns the counts."""
    counts = chat_counts(db, chat_id)
    db.execute("PRAGMA secure_delete = ON")
    try:
        with db.atomic():
            people = [row[0] for row in db.execute(_chat_user_ids(db), {"chat": chat_id})]
            for table, where in chat_tables(db):
                db.execute(f"DELETE FROM {table} WHERE {where}", {"chat": chat_id})
            references = _user_references(db)
            counts["users"] = sum(
                _delete_unmentioned_user(db, user_id, references) for user_id in people
            )
        db.execute("INSERT INTO notes_search (notes_search) VALUES ('optimize')")
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    truncate_wal(db)
    return counts


def _chat_user_ids(db: Database) -> str:
    """SQL selecting the ids of the people the chat's rows mention."""
    references = _user_references(db)
    selects = [
        f"SELECT {column} FROM {table} WHERE {where} AND {column} IS NOT NULL"
        for table, where in chat_tables(db)
        for ref_table, column in references
        if ref_table == table
    ]
    return " UNION ".join(selects)


def _delete_unmentioned_user(db: Database, user_id: int, references: list[tuple[str, str]]) -> int:
    mentioned = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE {column} = :user)" for table, column in references
    )
    cursor = db.execute(
        f"DELETE FROM users WHERE id = :user AND NOT ({mentioned})", {"user": user_id}
    )
    return cursor.rowcount


def _decoded(row: dict) -> dict:
    return {
        key: json.loads(value) if key in _JSON_COLUMNS and isinstance(value, str) else value
        for key, value in dict(row).items()
        if key not in _DERIVED_COLUMNS
    }
