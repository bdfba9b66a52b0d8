"""What /healthz and `journeybot doctor` read from the database, on a connection of their own.

The probe is cheap (no `PRAGMA quick_check`, which reads the whole file): it opens the file
without creating it, reads the few figures below and takes the write lock for an instant, so a
read-only, missing, locked-for-long or damaged database is "not usable".
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from storage.db import to_iso

WRITE_LOCK_WAIT = 2.0  # seconds a healthy bot may hold the write lock


@dataclass(frozen=True)
class DatabaseHealth:
    """`problem` is None when the database is usable; the figures are None when unknown."""

    problem: str | None
    updates_waiting: int | None = None  # in the inbox, not handled yet
    last_update_handled_at: str | None = None
    reminders_due: int | None = None  # schedules past their time + reminders not yet sent

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict:
        return asdict(self)


def database_health(path: str | os.PathLike[str], now: datetime) -> DatabaseHealth:
    """Probes the database at `path` (blocking: call it from a worker thread)."""
    path = Path(path)
    if not path.is_file():
        return DatabaseHealth(f"no database file at {path}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                               timeout=WRITE_LOCK_WAIT)
    except sqlite3.Error as error:
        return DatabaseHealth(f"cannot open {path}: {error}")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        health = DatabaseHealth(
            problem=None,
            updates_waiting=_count(conn, "SELECT count(*) FROM inbox") if "inbox" in tables else 0,
            last_update_handled_at=conn.execute(
                "SELECT max(handled_at) FROM handled_updates"
            ).fetchone()[0],
            reminders_due=_reminders_due(conn, to_iso(now)),
        )
        conn.execute("BEGIN IMMEDIATE")  # a read-only or stuck database fails here
        conn.rollback()
        return health
    except sqlite3.Error as error:
        return DatabaseHealth(f"database not usable: {error}")
    finally:
        conn.close()


def _count(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> int:
    return conn.execute(sql, params).fetchone()[0]


def _reminders_due(conn: sqlite3.Connection, now: str) -> int:
    overdue = _count(
        conn,
        "SELECT count(*) FROM schedules WHERE paused = 0 AND next_run_at IS NOT NULL"
        " AND next_run_at <= ?",
        (now,),
    )
    unsent = _count(conn, "SELECT count(*) FROM reminders WHERE status IN ('pending', 'sending')")
    return overdue + unsent
