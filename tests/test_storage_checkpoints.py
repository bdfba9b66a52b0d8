"""WAL checkpoints off the event loop (storage/checkpoints.py), on real SQLite files.

The loop's connection must never checkpoint (that is what made one step in ten of a long write
cost 100–700 ms, and the commit that crossed the old 25,000-page backstop 123–172 ms); the
checkpointer's thread must keep the WAL short — long writes wait for it (`wal_room`) —, survive
a database another program holds, and empty the WAL when it stops.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

from bot.offload import wal_room
from storage.checkpoints import Checkpointer, start_checkpointer, truncate_wal
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
        frames, copied = checkpointer.wal_pages()  # read from the WAL index
        assert frames > 2_500 and copied == 0, (frames, copied)
        write_rows(db, 30_000 - frames)  # past the old backstop: still nothing copied
        assert checkpointer.wal_pages()[0] > 25_000 and checkpointer.wal_pages()[1] == 0
    finally:
        checkpointer.stop()


def test_a_connection_without_the_checkpointer_checkpoints_automatically(db, db_path):
    """`journeybot import`, `eval`, scripts and tests open the file this way."""
    write_rows(db, 3_000)
    assert wal_size(db_path) < 1_500 * PAGE
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1_000


def test_the_thread_keeps_the_wal_short_while_the_loop_writes_in_bursts(db, db_path):
    """Bursts of writes with pauses, as the bot makes them: the thread's checkpoints start the
    WAL over after each pause, long before the loop's backstop (25,000 pages) would."""
    checkpointer = start_checkpointer(db, interval=0.02)
    largest = 0
    try:
        for _ in range(30):
            write_rows(db, 100)
            largest = max(largest, wal_size(db_path))
            time.sleep(0.15)
    finally:
        checkpointer.stop()
    assert checkpointer.checkpoints >= 10
    assert largest < 1_000 * PAGE, f"the WAL grew to {largest // PAGE} pages (3,000 written)"


def _write_without_pause(db, checkpointer, *, room: int | None) -> tuple[int, int]:
    """200 batches of 100 commits back to back, as a long write in steps makes them, waiting
    for `wal_room(db, room)` between batches (None: only yielding, as before); returns the
    longest the WAL grew (pages) and how often the writer waited."""
    largest = 0

    async def write() -> None:
        nonlocal largest
        for _ in range(200):
            write_rows(db, 100)
            largest = max(largest, checkpointer.wal_pages()[0])
            if room is None:
                await asyncio.sleep(0)
            else:
                await wal_room(db, room)

    asyncio.run(write())
    return largest, checkpointer.waits


def test_the_wal_grows_without_bound_when_writes_never_wait(db, db_path):
    """Commits back to back: a checkpoint in the thread never ends with the whole WAL copied,
    so the WAL is never started over and, with no checkpoint on the loop, grows by every page
    written (20,000 here). This is why long writes wait for room (next test)."""
    checkpointer = start_checkpointer(db, interval=0.02)
    try:
        largest, waits = _write_without_pause(db, checkpointer, room=None)
    finally:
        checkpointer.stop()
    assert largest > 15_000 and waits == 0, largest


def test_the_wal_stays_bounded_when_long_writes_wait_for_room(db, db_path):
    """The same writes, each batch followed by `wal_room`: past 2,000 pages the writer waits
    (asynchronously) until the thread has copied the WAL, and the next commit starts it over;
    the loop's connection never checkpoints, and no row is lost."""
    checkpointer = start_checkpointer(db, interval=0.02)
    try:
        largest, waits = _write_without_pause(db, checkpointer, room=2_000)
    finally:
        checkpointer.stop()
    # + one batch: 100 commits of ~1.5 pages each
    assert largest <= 2_000 + 200, f"the WAL grew to {largest} pages"
    assert waits >= 5
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM scratch").fetchone()[0] == 20_000


def test_a_writer_waits_only_for_a_running_checkpointer(db, db_path):
    """Past the limit a writer waits while a checkpointer runs; once it is stopped (or was
    never started: one-shot commands) a long write goes on at once."""
    checkpointer = start_checkpointer(db, interval=3600)  # idle: only `wake` makes it work
    write_rows(db, 300)
    assert checkpointer.needs_room(100)
    assert asyncio.run(wal_room(db, 100)) > 0  # woken, it copied the WAL
    assert not checkpointer.needs_room(100) and checkpointer.checkpoints == 1
    checkpointer.stop()
    write_rows(db, 300)
    assert asyncio.run(wal_room(db, 100)) == 0.0


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


async def test_the_bot_checkpoints_in_its_thread_and_leaves_an_empty_wal_at_each_stop(
    emu, db_path
):
    """The real Application: post_init starts the checkpointer on the loop's connection,
    post_shutdown stops it; a second start on the same file works the same way."""
    from tests.emulator.models import User
    from tests.harness import BotUnderTest, Person

    ann = User(7301, "Ann", language_code="en")
    bot = BotUnderTest(emu, db_path, load_nlp=False)
    for run, note in enumerate(("The courier was late", "Checkout asked twice"), start=1):
        async with bot:
            checkpointer = bot.app.bot_data["checkpointer"]
            assert checkpointer.running
            assert bot.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            await Person(bot, ann.id, ann).says(note)
            await asyncio.to_thread(wait_for, lambda c=checkpointer: c.checkpoints >= 1)
        assert not checkpointer.running
        assert wal_size(db_path) == 0
        with sqlite3.connect(db_path) as conn:
            texts = [row[0] for row in conn.execute("SELECT text FROM notes ORDER BY id")]
        assert texts == ["The courier was late", "Checkout asked twice"][:run]


def test_a_truncate_on_the_loop_waits_for_the_threads_checkpoint_to_end(db, db_path):
    """/forget empties the WAL on the loop's connection; another connection holding the
    checkpoint lock at that moment (the thread) must not leave the deleted texts in the -wal
    file: SQLite answers busy at once then, without calling the busy handler."""
    write_rows(db, 500)
    reader = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM scratch").fetchone()  # a snapshot inside the WAL
    other = sqlite3.connect(db_path, isolation_level=None, timeout=5, check_same_thread=False)
    # holds the checkpoint lock while it waits for the reader
    checkpointing = threading.Thread(
        target=lambda: other.execute("PRAGMA wal_checkpoint(RESTART)").fetchone())
    checkpointing.start()
    time.sleep(0.2)
    threading.Timer(0.2, lambda: reader.execute("ROLLBACK")).start()
    try:
        assert truncate_wal(db)
    finally:
        checkpointing.join()
        other.close()
        reader.close()
    assert wal_size(db_path) == 0
