"""Work that would hold the event loop for more than a few milliseconds runs here instead.

Every chat is answered by one event loop, so a handler that computes for 200 ms freezes every
chat for 200 ms. Drawing pictures, insights, exports and anything that reads a whole map run in
a small pool of worker threads:

* `run_blocking(fn, *args)` runs a function that touches no database (drawing a PNG).
* `read_in_worker(db, fn, *args)` runs `fn(reader, *args)` where `reader` is the worker
  thread's own read-only connection to the same SQLite file. The loop's connection
  (`context.db`) must never be used from a worker: it belongs to the event-loop thread and all
  writes go through it, so a worker never holds SQLite's write lock and the loop never waits for
  one. In WAL mode a reader sees the last committed state and never blocks the writer.

The pool has one thread. Pure-Python work (matplotlib is mostly Python) holds the GIL, so a
second worker thread would add no throughput, only a third contender for the GIL: with one
worker, the event loop gets the GIL back within `SWITCH_INTERVAL` whenever it has something to
do (the interpreter's default, 5 ms, is lowered to 2 ms). More pictures at once queue here.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlite_utils import Database

T = TypeVar("T")

WORKERS = 1
SWITCH_INTERVAL = 0.002  # seconds a thread may hold the GIL while another one waits for it

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_local = threading.local()
_readers: dict[str, list[Database]] = {}  # every open reader by database file, to close them
_generations: dict[str, int] = {}  # bumped by close_readers: threads then open new readers
_readers_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
            _executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="journeybot-worker")
        return _executor


async def run_blocking(fn: Callable[..., T], /, *args, **kwargs) -> T:
    """Runs `fn(*args, **kwargs)` in a worker thread and returns its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(), functools.partial(fn, *args, **kwargs))


def database_path(db: Database) -> str:
    """The file behind a connection (what the worker threads open for themselves)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file
    raise ValueError("no main database")


async def read_in_worker(db: Database, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """Runs `fn(reader, *args, **kwargs)` in a worker thread with its own read-only
    connection to `db`'s file."""
    path = database_path(db)
    return await run_blocking(_with_reader, path, fn, *args, **kwargs)


def _with_reader(path: str, fn: Callable[..., T], /, *args, **kwargs) -> T:
    return fn(reader(path), *args, **kwargs)


def reader(path: str) -> Database:
    """This thread's read-only connection to the database at `path` (opened once per thread)."""
    connections: dict[str, tuple[int, Database]] = getattr(_local, "connections", None) or {}
    _local.connections = connections
    generation = _generations.get(path, 0)
    known = connections.get(path)
    if known is not None and known[0] == generation:
        return known[1]
    # check_same_thread=False only so that close_readers() may close it from the loop thread
    # at shutdown; otherwise a reader is used by its own thread alone.
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA query_only = ON")
    db = Database(conn)
    connections[path] = (generation, db)
    with _readers_lock:
        _readers.setdefault(path, []).append(db)
    return db


def close_readers(path: str) -> None:
    """Closes the workers' connections to `path` (at shutdown, when no work is running); a
    later read opens new ones."""
    with _readers_lock:
        readers = _readers.pop(path, [])
        _generations[path] = _generations.get(path, 0) + 1
    for db in readers:
        db.close()
