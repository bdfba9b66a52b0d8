"""WAL checkpoints in a thread of their own, so that commits on the event loop stay short.

In WAL mode a commit appends pages to the `-wal` file; a checkpoint copies them back into the
database file and syncs it. By default SQLite runs that checkpoint inside the commit that takes
the WAL past 1,000 pages, on whichever connection made it: on the bot's event loop, one step in
about ten of a long write (removing a stage, deleting a map) took 100–700 ms instead of a few
(docs/scaling.md).

`start_checkpointer(db)` hands the copying to a thread with a connection of its own (sqlite3
releases the GIL while SQLite works, so the loop runs meanwhile):

* Every `INTERVAL` seconds, if anything was committed since its last checkpoint (`PRAGMA
  data_version`, no I/O), the thread runs a PASSIVE checkpoint: it copies every committed page
  no reader still needs and syncs, without ever waiting for or blocking a reader or the writer.
  The loop's next write after a complete one starts the WAL over from its beginning.
* The loop's own automatic checkpoint stays as a backstop, at `BACKSTOP_PAGES` (~100 MiB) instead
  of 1,000: under a write load with no pause as long as a checkpoint, no PASSIVE checkpoint ends
  with the WAL fully copied, so the WAL is never started over; at `BACKSTOP_PAGES` the loop
  checkpoints once itself (copying only what the thread has not: the last fraction of a
  second) and starts the WAL over. Stronger checkpoints from the thread (RESTART, TRUNCATE)
  would take SQLite's write lock, and a loop transaction that has begun reading then fails at
  once with "database is locked" instead of waiting (SQLite calls no busy handler when a read
  transaction cannot become a write one): so the thread never takes it while the bot runs.
* After a burst the `-wal` file is cut back to `WAL_LIMIT_BYTES` when the WAL starts over
  (`journal_size_limit`), and `stop()` — after the loop's connection is closed — ends with a
  TRUNCATE checkpoint, so a clean shutdown leaves an empty `-wal` file.

Durability is SQLite's: a checkpoint copies committed frames only, syncing the WAL before it
copies and the database file before the WAL is reused. The thread's connection keeps SQLite's
default `synchronous = FULL`, which syncs checkpoints exactly as `open_db`'s NORMAL does (it
never commits). A checkpoint that fails (the database busy or locked by another program) is
logged and tried again at the next interval; the thread never ends on an error.

Only the process that runs the bot (`journeybot run`, the webhook app, the console chat: the
Application's post_init) starts one. Everything else that opens the database (`journeybot
import`, `eval`, scripts, tests) keeps SQLite's default automatic checkpoint at 1,000 pages.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from sqlite_utils import Database

from storage.db import database_path

log = logging.getLogger(__name__)

INTERVAL = 0.25  # seconds between looks at the WAL
BACKSTOP_PAGES = 25_000  # WAL pages (~100 MiB) at which the loop's connection checkpoints
WAL_LIMIT_BYTES = 16 * 2**20  # the -wal file is cut back to this when the WAL starts over
STOP_WAIT_MS = 2_000  # how long the TRUNCATE at shutdown may wait for readers


class Checkpointer:
    """A thread that checkpoints the WAL of the database file at `path`."""

    def __init__(self, path: str, *, interval: float = INTERVAL) -> None:
        self.path, self.interval = path, interval
        self.checkpoints = 0  # PASSIVE checkpoints run (read by tests and benchmarks)
        self.failures = 0  # checkpoints that raised
        self.last_result: tuple[int, int, int] | None = None  # (busy, WAL frames, copied)
        self._version: int | None = None  # PRAGMA data_version at the last checkpoint
        self._failing = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journeybot-checkpoints",
                                        daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ends the thread with a TRUNCATE checkpoint (waits for it). Close the loop's
        connection first: TRUNCATE takes the write lock."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0.1)  # reads only
        try:
            while not self._stopping.wait(self.interval):
                if (version := self._changed(conn)) is None:
                    continue
                result = self._checkpoint(conn, "PASSIVE")
                if result is not None and not result[0]:  # busy: another one was running
                    self.checkpoints += 1
                    self._version = version
            conn.execute(f"PRAGMA busy_timeout = {STOP_WAIT_MS}")
            self._checkpoint(conn, "TRUNCATE")
        finally:
            conn.close()

    def _changed(self, conn: sqlite3.Connection) -> int | None:
        """The data_version if something was committed since the last checkpoint, else None."""
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as error:
            self._failed("data_version", error)
            return None
        return None if version == self._version else version

    def _checkpoint(self, conn: sqlite3.Connection, mode: str) -> tuple[int, int, int] | None:
        """Runs a checkpoint; returns (busy, WAL frames, frames copied), None if it raised."""
        try:
            result = tuple(conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone())
        except sqlite3.Error as error:
            self._failed(mode, error)
            return None
        self.last_result, self._failing = result, False
        return result

    def _failed(self, what: str, error: sqlite3.Error) -> None:
        """Counts a failure; logs the first of a run of them."""
        self.failures += 1
        if not self._failing:
            log.warning("WAL checkpoint failed; trying again every %s s", self.interval,
                        extra={"checkpoint": what, "error": str(error), "db": self.path})
        self._failing = True


def start_checkpointer(
    db: Database, *, backstop_pages: int = BACKSTOP_PAGES, interval: float = INTERVAL
) -> Checkpointer:
    """Moves the WAL checkpoints of `db`, the connection the event loop writes through, to a
    Checkpointer on its file (see above). Close `db`, then `stop()` the checkpointer."""
    db.execute(f"PRAGMA wal_autocheckpoint = {backstop_pages}")
    db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    return Checkpointer(database_path(db), interval=interval).start()


def truncate_wal(db: Database, *, attempts: int = 100) -> bool:
    """A TRUNCATE checkpoint on `db` (the -wal file emptied), tried again for a moment while
    another connection — the checkpointer's thread — is checkpointing: SQLite then answers busy
    at once, with -1 frames. Returns whether it went through (readers still using the WAL after
    the busy timeout make it fail)."""
    for _ in range(attempts):
        busy, frames, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy or frames != -1:
            return not busy
        time.sleep(0.01)
    return False
