"""Work that would hold the event loop for more than a few milliseconds runs here instead.

Every chat is answered by one event loop, so a handler that computes for 200 ms freezes every
chat for 200 ms. Drawing pictures, insights, exports and anything that reads a whole map run in
a worker process:

* `run_blocking(fn, *args)` runs `fn(*args)` there (drawing a chart from data at hand).
* `read_in_worker(db, fn, *args)` runs `fn(reader, *args)` there, where `reader` is the worker's
  own read-only connection to the same SQLite file. The loop's connection (`context.db`) is
  never used outside the event-loop thread and all writes go through it, so a worker never holds
  SQLite's write lock and the loop never waits for one. In WAL mode a reader sees the last
  committed state and never blocks the writer.

`fn` must be a module-level function, and its arguments and result are pickled: send back
bytes and short texts (a PNG, the messages of /map), not thousands of notes — unpickling those
would block the loop again.

Why a process and not a thread: matplotlib is mostly Python, and a thread drawing a 1,000-note
map holds the GIL for two seconds of CPU in slices the event loop must queue for (loop lag p99
was 265 ms with a thread while fifty users wrote notes). A process has its own GIL, runs at a
lower priority (`WORKER_NICENESS`) so the operating system serves the event loop first on a busy
machine, and keeps matplotlib's memory out of the bot's process. There is one worker for
what people wait for in the chat (pictures, `/map` text, insights, digests, the board): a second
would compete with the event loop for the same two cores. More requests at once wait in its
queue. The worker starts in the background when the bot starts (`start_worker`).

Big files are the exception: a whole chat's export takes 25–33 s of the worker for a
100,000-note chat, and every other chat's picture, text or insights would wait behind it.
Exports of more than 5,000 notes (bot/flows/share.py `builder`) run in a lane of their own
(`read_in_file_worker`): a second process, started on the first such export,
without matplotlib, niced below the first (`FILES_NICENESS`) so that on a busy machine the
operating system draws a picture before it builds a file; exports queue behind one another
there, never in front of a picture.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import multiprocessing
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from sqlite_utils import Database

from bot.heap import release_freed_memory
from storage.checkpoints import SOFT_PAGES, running_checkpointer
from storage.db import database_path

T = TypeVar("T")
log = logging.getLogger(__name__)

WORKERS = 1
WORKER_NICENESS = 5  # added to the worker's niceness: the event loop's process comes first
FILES_NICENESS = 10  # the export lane's: below the pictures people are waiting for in a chat
MAX_READERS = 4  # database files a worker keeps open (tests open many; the bot one)

QUICK, FILES = "quick", "files"  # the lanes: what a person waits for in the chat; export files
NICENESS = {QUICK: WORKER_NICENESS, FILES: FILES_NICENESS}

_executors: dict[str, ProcessPoolExecutor] = {}
_executor_lock = threading.Lock()
_readers: OrderedDict[str, Database] = OrderedDict()  # in the worker: its connections by file


def _pool(lane: str = QUICK) -> ProcessPoolExecutor:
    with _executor_lock:
        if lane not in _executors:
            _executors[lane] = ProcessPoolExecutor(
                WORKERS,
                mp_context=multiprocessing.get_context("spawn"),  # no copy of the bot's state
                initializer=_start_worker_process,
                initargs=(os.getpid(), NICENESS[lane]),
            )
        return _executors[lane]


PARENT_CHECK_SECONDS = 1.0  # how often a worker looks whether the bot is still there


def _start_worker_process(bot_pid: int, niceness: int = WORKER_NICENESS) -> None:
    """`bot_pid` comes from the bot, not from os.getppid(): a bot killed while its worker was
    still starting would otherwise leave a worker watching init as its "parent"."""
    os.nice(niceness)
    threading.Thread(target=_exit_with_parent, args=(bot_pid,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """Ends the worker once the bot's process is gone. A bot killed outright (SIGKILL, the OOM
    killer) cannot stop its pool, and a worker blocked on its task queue would live on, holding
    its memory, after every such crash."""
    while os.getppid() == parent:
        threading.Event().wait(PARENT_CHECK_SECONDS)
    os._exit(0)


async def run_blocking(fn: Callable[..., T], /, *args, **kwargs) -> T:
    """Runs `fn(*args, **kwargs)` in the worker process and returns its result."""
    return await _run_in(QUICK, fn, *args, **kwargs)


async def _run_in(lane: str, fn: Callable[..., T], /, *args, **kwargs) -> T:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(lane), functools.partial(fn, *args, **kwargs))


async def in_steps(step: Callable[..., int], /, *args) -> int:
    """Calls `step(*args)` — a short write transaction that returns how many rows it changed —
    until it returns 0, letting the event loop serve other chats between steps; returns the
    total. For writes too big for one transaction on the loop (deleting a 10,000-note map:
    1.2 s at once): writes stay on the loop's connection, so no worker waits for SQLite's lock."""
    total = 0
    while changed := step(*args):
        total += changed
        await wal_room(args[0] if args and isinstance(args[0], Database) else None)
    return total


WAL_POLL = 0.01  # seconds between looks at the WAL while a writer waits for room
WAL_PATIENCE = 30.0  # seconds a writer waits at most (readers can hold a checkpoint back)


async def wal_room(db: Database | None, limit: int | None = None) -> float:
    """Between two transactions of a long write: lets the loop serve others (always) and,
    while the WAL holds more than `limit` pages not yet copied back by the checkpointer's
    thread (storage/checkpoints.py), waits for it — asynchronously, so the loop runs on — so
    that the next write starts the WAL over instead of growing it. Returns the seconds waited.
    Without a running checkpointer (one-shot commands, tests) it only yields. `limit` is
    `SOFT_PAGES` unless given."""
    await asyncio.sleep(0)
    limit = SOFT_PAGES if limit is None else limit
    checkpointer = running_checkpointer(db) if db is not None else None
    if checkpointer is None or not checkpointer.needs_room(limit):
        return 0.0
    loop = asyncio.get_running_loop()
    started = loop.time()
    checkpointer.wake()
    while checkpointer.needs_room(limit) and not checkpointer.failing:
        if loop.time() - started > WAL_PATIENCE:
            log.warning("the WAL is not being copied back; writing on",
                        extra={"wal_pages": checkpointer.wal_pages()[0]})
            break
        await asyncio.sleep(WAL_POLL)
    checkpointer.waits += 1
    return loop.time() - started


def start_worker() -> asyncio.Future:
    """Starts the worker and has it import matplotlib (about 1 s) before anyone asks for a
    picture; returns the future of that warm-up."""
    return asyncio.ensure_future(run_blocking(warm_up_worker))


def warm_up_worker() -> None:
    """In the worker: imports matplotlib, then moves what that import left out of the garbage
    collector's sight (`gc.freeze`). Otherwise each full collection, which the 10,000 notes
    an /insights reads can set off, walks matplotlib's ~100,000 objects again (the bot's own
    process does the same once its classifier has loaded). Babel's plural rules and the stop
    words of /insights' themes load here too, not in the first /map text or /insights (a 10-note
    map's first /map text took 15 ms of CPU loading Babel)."""
    from bot.classifier import theme_stop_words
    from bot.render import load_matplotlib
    from bot.texts import load_plural_rules

    load_matplotlib()
    load_plural_rules()
    theme_stop_words()
    gc.collect()
    gc.freeze()


async def read_in_worker(db: Database, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """Runs `fn(reader, *args, **kwargs)` in the worker process, `reader` being its own
    read-only connection to `db`'s file."""
    return await run_blocking(_with_reader, database_path(db), fn, *args, **kwargs)


async def read_in_file_worker(db: Database, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """As `read_in_worker`, in the export lane's process: for files that take seconds to
    build (a whole chat's export), so that nobody's picture waits behind them."""
    return await _run_in(FILES, _with_reader_then_release, database_path(db), fn, *args, **kwargs)


def _with_reader(path: str, fn: Callable[..., T], /, *args, **kwargs) -> T:
    return fn(reader(path), *args, **kwargs)


def _with_reader_then_release(path: str, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """A file built: the rows it was built from are freed; their memory goes back to the system
    (a 100,000-note chat's rows took hundreds of MiB) instead of staying with an idle process."""
    try:
        return fn(reader(path), *args, **kwargs)
    finally:
        release_freed_memory()


def reader(path: str) -> Database:
    """This process's read-only connection to the database at `path` (kept open; the least
    recently used of more than `MAX_READERS` files is closed)."""
    db = _readers.get(path)
    if db is not None:
        _readers.move_to_end(path)
        return db
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA query_only = ON")
    db = _readers[path] = Database(conn)
    while len(_readers) > MAX_READERS:
        _readers.popitem(last=False)[1].close()
    return db
