"""WAL checkpoints in a thread of their own, so that no commit on the event loop pays for one.

In WAL mode a commit appends pages to the `-wal` file; a checkpoint copies them back into the
database file and syncs it. By default SQLite runs that checkpoint inside the commit that takes
the WAL past 1,000 pages, on whichever connection made it: on the bot's event loop, one step in
about ten of a long write (removing a stage, deleting a map) took 100–700 ms instead of a few
(docs/scaling.md).

`start_checkpointer(db)` turns that off on `db`, the event loop's connection, and starts a
thread with a connection of its own that checkpoints instead (sqlite3 releases the GIL while
SQLite works, so the loop runs meanwhile):

* every `INTERVAL` seconds, if anything was committed since the last look (`PRAGMA
  data_version`), a PASSIVE checkpoint: it copies what it can and never waits for or blocks a
  reader or the writer;
* when the WAL is still over `RESTART_PAGES` after that, a RESTART one. Under steady writes a
  PASSIVE checkpoint never catches up with the commits made while it runs, and SQLite starts the
  WAL over only when a write begins with all of it copied, so it would grow without end. RESTART
  holds the write lock while it copies the last few frames and waits up to `RESTART_WAIT_MS`
  for readers, so the next write starts the WAL over: a commit on the loop may wait that long,
  once every few thousand pages written (measured: a 64 MiB WAL stays under 10 MiB);
* `stop()` ends the thread with a TRUNCATE checkpoint, so the `-wal` file is emptied at a clean
  shutdown.

Durability is SQLite's: a checkpoint only copies committed frames, syncing the WAL before it
copies and the database file before the WAL is reused (so with `synchronous = NORMAL`, which
`open_db` sets, and with FULL, which the thread's connection keeps: it never commits, and
checkpoints sync the same under both; never OFF). A checkpoint that fails (the database busy or locked
by another program) is logged and tried again at the next interval; the thread never ends on an
error.

Only the long-running bot process (`journeybot run`, the webhook app and the console chat: the
Application's post_init) starts one. Everything else that opens the database (`journeybot
import`, `eval`, scripts, tests) keeps SQLite's automatic checkpoints, so no WAL grows unchecked.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from sqlite_utils import Database

from storage.db import database_path

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between looks at the WAL
RESTART_PAGES = 4_000  # WAL frames (16 MiB of 4 KiB pages) past which PASSIVE is not enough
RESTART_WAIT_MS = 100  # how long a RESTART may wait for the write lock and for readers
STOP_WAIT_MS = 2_000  # how long the TRUNCATE at shutdown may wait for them


class Checkpointer:
    """A thread that checkpoints the WAL of the database file at `path`."""

    def __init__(
        self,
        path: str,
        *,
        interval: float = INTERVAL,
        restart_pages: int = RESTART_PAGES,
    ) -> None:
        self.path, self.interval, self.restart_pages = path, interval, restart_pages
        self.checkpoints = 0  # PASSIVE checkpoints run (read by tests and benchmarks)
        self.restarts = 0  # RESTART checkpoints that went through
        self.failures = 0  # checkpoints that raised
        self.last_result: tuple[int, int, int] | None = None  # (busy, WAL frames, copied)
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
        """Ends the thread after a TRUNCATE checkpoint (waits for it)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=RESTART_WAIT_MS / 1000)
        try:
            seen = None
            while not self._stopping.wait(self.interval):
                seen = self._round(conn, seen)
            conn.execute(f"PRAGMA busy_timeout = {STOP_WAIT_MS}")
            self._checkpoint(conn, "TRUNCATE")
        finally:
            conn.close()

    def _round(self, conn: sqlite3.Connection, seen: int | None) -> int | None:
        """One look at the WAL: a PASSIVE checkpoint if anything was committed since `seen`
        (the last data_version), and a RESTART one if the WAL is still too long."""
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as error:
            self._failed("data_version", error)
            return seen
        if version == seen:
            return seen
        result = self._checkpoint(conn, "PASSIVE")
        if result is None or result[0]:  # failed, or another connection was checkpointing
            return seen  # tried again at the next interval
        self.checkpoints += 1
        if result[1] >= self.restart_pages:
            restart = self._checkpoint(conn, "RESTART")
            self.restarts += restart is not None and not restart[0]  # busy: tried next time
        return version

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


def start_checkpointer(db: Database, **options) -> Checkpointer:
    """Turns off automatic checkpoints on `db`, the connection the event loop writes through,
    and starts a Checkpointer on its file. Close `db`, then `stop()` the checkpointer."""
    db.execute("PRAGMA wal_autocheckpoint = 0")
    return Checkpointer(database_path(db), **options).start()
