"""Opening the database: one SQLite file in WAL mode, foreign keys on, migrations applied."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

DEFAULT_DB_PATH = "journeybot.db"


def default_db_path() -> str:
    """The database file from `JOURNEYBOT_DB`, else `./journeybot.db`."""
    return os.environ.get("JOURNEYBOT_DB") or DEFAULT_DB_PATH


class DatabaseUnusable(Exception):
    """The database cannot be used; `problem` says what is wrong with `path`, `fix` what to do."""

    def __init__(self, path: Path, problem: str, fix: str) -> None:
        super().__init__(f"{problem}: {path}; {fix}")
        self.path, self.problem, self.fix = path, problem, fix


QUICK_CHECK_AT_START_MAX_BYTES = 64 * 1024 * 1024  # quick_check reads the whole file


def check_database(
    path: str | os.PathLike[str], *, thorough_up_to: int | None = QUICK_CHECK_AT_START_MAX_BYTES
) -> None:
    """Makes sure the bot can read and write the database at `path` and that it is intact;
    raises DatabaseUnusable otherwise. A file that does not exist yet in an existing
    directory is fine (the first start creates it).

    "Intact" is `PRAGMA quick_check`, which reads every page: ~0.1 s for 64 MiB, 1.25 s for a
    million-note database (664 MiB). Files larger than `thorough_up_to` bytes get only the
    light check at start — SQLite's header and schema readable, a write possible — so a big
    database does not delay the first answer; `journeybot doctor` passes None (always
    thorough)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise DatabaseUnusable(
            path,
            "the database's directory does not exist",
            "create the directory, or point --db / JOURNEYBOT_DB at the right file",
        )
    if path.is_dir():
        raise DatabaseUnusable(
            path, "the database path is a directory", "point --db / JOURNEYBOT_DB at a file"
        )
    if not path.exists():
        if not os.access(path.parent, os.W_OK):
            raise _read_only(path)
        return
    if not os.access(path, os.R_OK):
        raise DatabaseUnusable(
            path,
            "the database cannot be read (permission denied)",
            "give the user running journeybot read and write access to the file",
        )
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise _read_only(path)  # SQLite also writes its -wal and -shm files next to it
    try:
        conn = sqlite3.connect(path, timeout=5)
    except sqlite3.Error as error:
        raise _unusable(path, error) from error
    try:
        if thorough_up_to is None or path.stat().st_size <= thorough_up_to:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        else:  # the header and the schema only ("file is not a database" raises here)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = ["ok"]
        if problems != ["ok"]:
            found = " ".join(" ".join(problems).replace("*** in database main ***", "").split())
            raise DatabaseUnusable(
                path, f"the database is damaged (quick_check: {found[:160]})", _RESTORE
            )
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock: fails on a read-only file
        conn.execute("PRAGMA user_version = user_version")  # a write, rolled back
        conn.rollback()
    except sqlite3.Error as error:
        raise _unusable(path, error) from error
    finally:
        conn.close()


_RESTORE = (
    "stop the bot, keep a copy of the file, then restore the latest backup "
    "(or salvage what is left: sqlite3 OLD.db .recover | sqlite3 NEW.db)"
)


def _read_only(path: Path) -> DatabaseUnusable:
    return DatabaseUnusable(
        path,
        "the database is read-only",
        "give the user running journeybot write access to the file and its directory",
    )


def _unusable(path: Path, error: sqlite3.Error) -> DatabaseUnusable:
    message = str(error).lower()
    if "readonly" in message or "read-only" in message:
        return _read_only(path)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return DatabaseUnusable(path, f"the database is damaged ({error})", _RESTORE)
    if "locked" in message or "busy" in message:
        return DatabaseUnusable(
            path, "the database is locked", "stop the other program (or bot) that holds it"
        )
    return DatabaseUnusable(
        path,
        f"the database cannot be opened ({error})",
        "check that the path is right and that the user running journeybot may read and write it",
    )


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


def database_path(db: Database) -> str:
    """The file behind a connection (what another connection or process opens for itself)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file
    raise ValueError("no main database")


@contextmanager
def one_snapshot(db: Database) -> Iterator[Database]:
    """Reads inside the block all see the database as it was at the first of them (one read
    transaction), so a view made of several reads agrees with itself even when the team acts
    between two of them. Keep the block to the reads: a snapshot held open holds back the
    checkpoint of every write made since it began."""
    db.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.rollback()  # nothing was written: a read transaction ends either way


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the storage layer's only clock)."""
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """Stored timestamps: ISO 8601 in UTC with seconds precision."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
