"""Opening the database: one SQLite file in WAL mode, foreign keys on, migrations applied."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

DEFAULT_DB_PATH = "journeybot.db"


def default_db_path() -> str:
    """The database file from `JOURNEYBOT_DB`, else `./journeybot.db`."""
    return os.environ.get("JOURNEYBOT_DB") or DEFAULT_DB_PATH


def open_db(path: str | os.PathLike[str], *, migrate: bool = True) -> Database:
    """Opens (creating if needed) the database at `path` and brings its schema up to date.

    A database made by an older version is migrated, never recreated.
    """
    from storage.migrations import migrations

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path, strict=True)
    db.conn.execute("PRAGMA busy_timeout = 5000")
    db.enable_wal()
    db.conn.execute("PRAGMA synchronous = NORMAL")
    db.conn.execute("PRAGMA foreign_keys = ON")
    if migrate:
        migrations.apply(db)
    return db


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the storage layer's only clock)."""
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """Stored timestamps: ISO 8601 in UTC with seconds precision."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
