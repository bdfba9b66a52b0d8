"""WAL checkpoints in a thread of their own, so that commits on the event loop stay short.

In WAL mode a commit appends pages to the `-wal` file; a checkpoint copies them back into the
database file and syncs it. By default SQLite runs that checkpoint inside the commit that takes
the WAL past 1,000 pages, on whichever connection made it: on the bot's event loop, one step in
about ten of a long write (removing a stage, deleting a map) took 100–700 ms instead of a few
(docs/scaling.md).

`start_checkpointer(db)` hands the copying to a thread with a connection of its own (sqlite3
releases the GIL while SQLite works, so the loop runs meanwhile), and the loop's connection
never checkpoints (`wal_autocheckpoint = 0`):

* Every `INTERVAL` seconds (or at once when `wake()`d), if anything was committed since its
  last checkpoint or the last one left frames behind (`PRAGMA data_version`, no I/O), the
  thread runs a PASSIVE checkpoint: it copies every committed page no reader still needs and
  syncs, without ever waiting for or blocking a reader or the writer. The loop's next write
  after a complete one starts the WAL over from its beginning.
* Under writes with no pause as long as a checkpoint, no PASSIVE checkpoint ends with the WAL
  fully copied, so the WAL would not start over. The writers pause instead (backpressure,
  `bot.offload.wal_room`): a long write (a map deleted or a stage removed in steps, an
  import, the reminder claims) waits asynchronously between its transactions while the WAL
  holds more than `SOFT_PAGES` pages that are not all copied yet, and past `HARD_PAGES` the
  inbox takes no new update in until the thread has caught up. `wal_pages()` reads the WAL's
  size and how much of it is copied from the WAL index (the `-shm` file: no SQL, no lock).
  Stronger checkpoints from the thread (RESTART, TRUNCATE) would take SQLite's write lock, and
  a loop transaction that has begun reading then fails at once with "database is locked"
  instead of waiting (SQLite calls no busy handler when a read transaction cannot become a
  write one): so the thread never takes it while the bot runs. Before this, the loop's own
  automatic checkpoint at 25,000 pages was the backstop, and the commit that crossed it (a
  reminder claim right after a 10,000-note map was deleted) took 123–172 ms.
* After a burst the `-wal` file is cut back to `WAL_LIMIT_BYTES` when the WAL starts over
  (`journal_size_limit`), and `stop()` — after the loop's connection is closed — ends with a
  TRUNCATE checkpoint, so a clean shutdown leaves an empty `-wal` file.

Durability is SQLite's: a checkpoint copies committed frames only, syncing the WAL before it
copies and the database file before the WAL is reused. The thread's connection keeps SQLite's
default `synchronous = FULL`, which syncs checkpoints exactly as `open_db`'s NORMAL does (it
never commits). A checkpoint that fails (the database busy or locked by another program) is
logged and tried again at the next interval; the thread never ends on an error, and while it
fails nobody waits for it.

Only the process that runs the bot (`journeybot run`, the webhook app, the console chat: the
Application's post_init) starts one. Everything else that opens the database (`journeybot
import`, `eval`, scripts, tests) keeps SQLite's default automatic checkpoint at 1,000 pages.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import threading
import time
import weakref

from sqlite_utils import Database

from storage.db import database_path

log = logging.getLogger(__name__)

INTERVAL = 0.25  # seconds between looks at the WAL
SOFT_PAGES = 4_000  # WAL pages (~16 MiB) past which a long write waits for the checkpointer
HARD_PAGES = 25_000  # WAL pages (~100 MiB) past which no new update is taken in either
WAL_LIMIT_BYTES = 16 * 2**20  # the -wal file is cut back to this when the WAL starts over
STOP_WAIT_MS = 2_000  # how long the TRUNCATE at shutdown may wait for readers


class Checkpointer:
    """A thread that checkpoints the WAL of the database file at `path`."""

    def __init__(self, path: str, *, interval: float = INTERVAL) -> None:
        self.path, self.interval = path, interval
        self.checkpoints = 0  # PASSIVE checkpoints run (read by tests and benchmarks)
        self.failures = 0  # checkpoints that raised
        self.waits = 0  # times a writer waited for room (bot.offload.wal_room)
        self.last_result: tuple[int, int, int] | None = None  # (busy, WAL frames, copied)
        self._version: int | None = None  # PRAGMA data_version at the last checkpoint
        self._failing = False
        self._stopping = threading.Event()
        self._wake = threading.Event()  # a writer waits for room: checkpoint now
        self._index = WalIndex(path)
        self._thread = threading.Thread(target=self._run, name="journeybot-checkpoints",
                                        daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def failing(self) -> bool:
        """Whether the last checkpoint failed (nobody should wait for the next one)."""
        return self._failing or not self.running

    def wal_pages(self) -> tuple[int, int]:
        """(pages in the WAL, pages of them copied back): read from the WAL index, no SQL."""
        return self._index.read()

    def needs_room(self, limit: int) -> bool:
        """Whether the WAL holds more than `limit` pages and not all are copied yet: the next
        write would make it longer instead of starting it over."""
        frames, copied = self.wal_pages()
        return frames > limit and copied < frames

    def wake(self) -> None:
        """Runs the next checkpoint now instead of at the next interval."""
        self._wake.set()

    def stop(self) -> None:
        """Ends the thread with a TRUNCATE checkpoint (waits for it). Close the loop's
        connection first: TRUNCATE takes the write lock."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()
        for db, checkpointer in list(_RUNNING.items()):
            if checkpointer is self:
                del _RUNNING[db]
        self._index.close()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0.1)  # reads only
        try:
            while not self._stopping.is_set():
                self._wake.wait(self.interval)
                self._wake.clear()
                if self._stopping.is_set() or (version := self._changed(conn)) is None:
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
        """The data_version if something was committed since the last checkpoint or the last
        one left pages behind (a reader still needed them), else None."""
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as error:
            self._failed("data_version", error)
            return None
        left_behind = self.last_result is not None and self.last_result[2] < self.last_result[1]
        return None if version == self._version and not left_behind else version

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


_U32 = struct.Struct("=I")


class WalIndex:
    """Reads the WAL's length and how much of it is checkpointed from the WAL index, the
    `-shm` file every connection maps (https://www.sqlite.org/walformat.html): its header's
    mxFrame (offset 16) and the checkpoint info's nBackfill (offset 96), native byte order.
    A pread of 100 bytes from the page cache: ~2 µs, no SQL, no lock."""

    def __init__(self, path: str) -> None:
        self.path = f"{path}-shm"
        self._fd: int | None = None

    def read(self) -> tuple[int, int]:
        """(frames in the WAL, frames copied back); (0, 0) if there is no WAL index."""
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDONLY)
            data = os.pread(self._fd, 100, 0)
        except OSError:
            return 0, 0
        if len(data) < 100:
            return 0, 0
        frames, copied = _U32.unpack_from(data, 16)[0], _U32.unpack_from(data, 96)[0]
        return frames, min(copied, frames)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# the loop's connection → the checkpointer started on it
_RUNNING: weakref.WeakKeyDictionary[Database, Checkpointer] = weakref.WeakKeyDictionary()


def running_checkpointer(db: Database) -> Checkpointer | None:
    """The checkpointer started on `db` in this process and still running, if any."""
    checkpointer = _RUNNING.get(db)
    return checkpointer if checkpointer is not None and checkpointer.running else None


def start_checkpointer(db: Database, *, interval: float = INTERVAL) -> Checkpointer:
    """Moves the WAL checkpoints of `db`, the connection the event loop writes through, to a
    Checkpointer on its file (see above): the loop's connection never checkpoints again. Close
    `db`, then `stop()` the checkpointer."""
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    checkpointer = Checkpointer(database_path(db), interval=interval)
    _RUNNING[db] = checkpointer
    return checkpointer.start()


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
