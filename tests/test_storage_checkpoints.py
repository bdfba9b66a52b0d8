"""WAL checkpoints off the event loop (storage/checkpoints.py), on real SQLite files.

The loop's connection must never checkpoint (that is what made one step in ten of a long
write cost 100–700 ms); the checkpointer's thread must keep the WAL bounded anyway, survive a
database another program holds, and empty the WAL when it stops.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from storage.checkpoints import Checkpointer, start_checkpointer
from storage.db import open_db

PAGE = 4096
ROW = 3000  # bytes of a scratch row: about one WAL page written per row


def wal_size(db_path: Path) -> int:
    wal = Path(f"{db_path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def write_rows(db, count: int) -> None:
    """`count` commits of one ~3 KB row each, as the loop's short transactions are."""
    db.execute("CREATE TABLE IF NOT EXISTS scratch (data BLOB)")
    for _ in range(count):
        with db.conn:
            db.execute("INSERT INTO scratch (data) VALUES (randomblob(?))", [ROW])


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_loops_connection_does_not_checkpoint_itself(db, db_path):
    checkpointer = start_checkpointer(db, interval=3600)  # the thread stays idle here
    try:
        write_rows(db, 3_000)
        # SQLite's automatic checkpoint would have started the WAL over after ~1,000 pages
        assert wal_size(db_path) > 2_500 * PAGE
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert checkpointer.checkpoints == 0
    finally:
        checkpointer.stop()


def test_a_connection_without_the_checkpointer_checkpoints_automatically(db, db_path):
    """`journeybot import`, `eval`, scripts and tests open the file this way."""
    write_rows(db, 3_000)
    assert wal_size(db_path) < 1_500 * PAGE
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1_000


def test_the_wal_stays_bounded_under_a_steady_stream_of_writes(db, db_path):
    """Commits every millisecond or so: a PASSIVE checkpoint never catches up with them, so
    without the RESTART the WAL grows by every page written (here ~12,000)."""
    checkpointer = start_checkpointer(db, interval=0.05, restart_pages=500)
    largest = 0
    try:
        for _ in range(120):
            write_rows(db, 100)
            largest = max(largest, wal_size(db_path))
            time.sleep(0.001)
    finally:
        checkpointer.stop()
    assert checkpointer.restarts >= 1
    assert largest < 4_000 * PAGE, f"the WAL grew to {largest // PAGE} pages"
    assert db.execute("SELECT count(*) FROM scratch").fetchone()[0] == 12_000


def test_stop_ends_the_thread_and_empties_the_wal(db, db_path):
    reader = sqlite3.connect(db_path)  # as the worker process's: the last close is not ours
    reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
    checkpointer = start_checkpointer(db, interval=3600)
    write_rows(db, 500)
    assert wal_size(db_path) > 400 * PAGE
    db.close()
    checkpointer.stop()
    assert not checkpointer.running
    assert "journeybot-checkpoints" not in {thread.name for thread in threading.enumerate()}
    assert wal_size(db_path) == 0
    assert checkpointer.last_result == (0, 0, 0)
    assert reader.execute("SELECT count(*) FROM scratch").fetchone()[0] == 500
    reader.close()


def test_a_second_start_on_the_same_file_checkpoints_again(db_path):
    for run in (1, 2):
        db = open_db(db_path)
        checkpointer = start_checkpointer(db, interval=0.02)
        write_rows(db, 200)
        wait_for(lambda c=checkpointer: c.checkpoints >= 1)
        assert db.execute("SELECT count(*) FROM scratch").fetchone()[0] == 200 * run
        db.close()
        checkpointer.stop()
        assert wal_size(db_path) == 0


def test_the_checkpointer_outlives_a_database_another_program_holds(db_path):
    db = open_db(db_path)
    write_rows(db, 10)
    db.close()
    holder = sqlite3.connect(db_path, isolation_level=None)  # holds the file exclusively
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO scratch (data) VALUES (x'00')")
    holder.execute("COMMIT")
    checkpointer = Checkpointer(str(db_path), interval=0.02).start()
    try:
        wait_for(lambda: checkpointer.failures >= 3)  # "database is locked", round after round
        assert checkpointer.running and checkpointer.checkpoints == 0
        holder.close()
        wait_for(lambda: checkpointer.checkpoints >= 1)
        assert checkpointer.running
    finally:
        checkpointer.stop()
    assert wal_size(db_path) == 0


def test_a_restart_kept_waiting_by_a_reader_gives_up_without_an_error(db, db_path):
    """A RESTART checkpoint waits for readers; one that keeps its snapshot gets a busy answer,
    not an exception, and the RESTART goes through once it is gone."""
    write_rows(db, 50)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM scratch").fetchone()  # a snapshot inside the WAL
    checkpointer = start_checkpointer(db, interval=0.02, restart_pages=100)
    try:
        write_rows(db, 300)
        wait_for(lambda: checkpointer.last_result is not None and checkpointer.last_result[0])
        assert checkpointer.running and checkpointer.failures == 0
        assert checkpointer.restarts == 0
        reader.execute("ROLLBACK")
        write_rows(db, 10)
        wait_for(lambda: checkpointer.restarts >= 1)
    finally:
        reader.close()
        checkpointer.stop()
    assert db.execute("SELECT count(*) FROM scratch").fetchone()[0] == 360
