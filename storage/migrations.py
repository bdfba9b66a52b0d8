"""The schema, as sqlite-utils migrations. Never edit a migration that has shipped: add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("journeybot")


def _run_statements(db: Database, script: str) -> None:
    """Runs `;`-separated DDL inside the migration's transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_create_core_tables(db: Database) -> None:
    """Chats, users, maps, stages, notes, corrections, schedules, reviews and dialogs."""
    _run_statements(
        db,
        """
        CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            title TEXT,
            lang TEXT NOT NULL,
            timezone TEXT NOT NULL,
            active_map_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL,
            username TEXT,
            language_code TEXT,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE maps (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            persona TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_maps_chat ON maps(chat_id);

        CREATE TABLE stages (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            key TEXT,
            name TEXT
        ) STRICT;
        CREATE INDEX idx_stages_map ON stages(map_id, position);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'typed',
            stage_score REAL,
            kind_score REAL,
            sentiment REAL NOT NULL DEFAULT 0,
            channels TEXT NOT NULL DEFAULT '[]',
            classified_stage TEXT,
            classified_kind TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            resolved_at TEXT,
            parent_id INTEGER REFERENCES notes(id) ON DELETE SET NULL
        ) STRICT;
        CREATE INDEX idx_notes_map ON notes(map_id, stage_id, kind);
        CREATE INDEX idx_notes_chat ON notes(chat_id);

        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            note_id INTEGER REFERENCES notes(id) ON DELETE SET NULL,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_corrections_note ON corrections(note_id);

        CREATE TABLE schedules (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            next_run_at TEXT,
            last_sent_at TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            skip_weekends INTEGER NOT NULL DEFAULT 0,
            quiet_start TEXT,
            quiet_end TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_schedules_due ON schedules(paused, next_run_at);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            started_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            participants TEXT NOT NULL DEFAULT '[]',
            summary TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE dialogs (
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            flow TEXT NOT NULL,
            state TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id)
        ) STRICT;

        CREATE TABLE handled_updates (
            update_id INTEGER PRIMARY KEY,
            chat_id INTEGER,
            handled_at TEXT NOT NULL
        ) STRICT;
        """,
    )
