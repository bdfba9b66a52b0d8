"""Backups: `journeybot backup` copies the database consistently while the bot writes to it,
`journeybot restore` checks a backup before putting it back, and the running bot makes a daily
backup and keeps the newest few."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.model import NoteDraft
from storage.backup import (
    BACKUP_STEP_PAGES,
    BackupCancelled,
    backup_database,
    backup_name,
    check_backup,
    list_backups,
    remove_partial_backups,
)
from storage.chats import remember_chat
from storage.db import open_db, utcnow
from storage.maps import create_map
from storage.notes import add_note
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, eventually
from tests.test_durability import acknowledged

ROOT = Path(__file__).resolve().parent.parent
WRITERS = [User(6101, "Ann", language_code="en"), User(6102, "Piotr", language_code="pl"),
           User(6103, "Olena", language_code="uk")]
PHRASES = ["The courier was late again", "Kurier spóźnił się dwa dni", "Доставка тривала тиждень"]


def journeybot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


async def test_a_backup_made_while_notes_are_written_restores_every_acknowledged_note(
    emu, tmp_path
):
    db_path, out, restored = tmp_path / "bot.db", tmp_path / "backup.db", tmp_path / "back.db"
    stop = asyncio.Event()

    async def write(bot: BotUnderTest, user: User, phrase: str) -> None:
        person, count = Person(bot, user.id, user), 0
        while not stop.is_set():
            count += 1
            await person.says(f"{phrase} ({user.id}-{count})")

    async with BotUnderTest(emu, db_path, load_nlp=False) as bot:
        writers = [asyncio.create_task(write(bot, u, p)) for u, p in zip(WRITERS, PHRASES,
                                                                          strict=True)]
        try:
            await emu.wait_for(lambda: len(acknowledged(emu, [u.id for u in WRITERS])) >= 6,
                               timeout=60)
            before = acknowledged(emu, [u.id for u in WRITERS])
            made = await asyncio.to_thread(journeybot, "backup", "--db", str(db_path), str(out))
            during = acknowledged(emu, [u.id for u in WRITERS])
            await emu.wait_for(
                lambda: len(acknowledged(emu, [u.id for u in WRITERS])) >= len(during) + 3,
                timeout=30)
        finally:
            stop.set()
            await asyncio.gather(*writers, return_exceptions=True)
    assert made.returncode == 0, made.stderr
    assert len(during) > len(before), "no note was written while the backup ran"

    back = journeybot("restore", str(out), "--db", str(restored))

    assert back.returncode == 0, back.stderr
    assert "integrity ok" in back.stdout
    assert integrity(restored) == "ok"
    conn = sqlite3.connect(restored)
    stored = {row[0] for row in conn.execute("SELECT id FROM notes")}
    conn.close()
    missing = set(before) - stored
    assert not missing, f"acknowledged before the backup but not in it: {sorted(missing)}"
    assert len(stored) < len(acknowledged(emu, [u.id for u in WRITERS])), "taken after the end?"


@pytest.mark.parametrize("step_pages", [BACKUP_STEP_PAGES, 8])
def test_a_backup_is_one_consistent_moment_while_a_writer_commits(tmp_path, step_pages):
    """A writer commits one note per transaction, flat out, during the copy: the backup holds
    every note committed before it began and a gap-free prefix of the rest — also when the copy
    goes in many small steps, with commits between them."""
    db_path = tmp_path / "bot.db"
    db = open_db(db_path)
    remember_chat(db, 1, "private", None, "en")
    journey = create_map(db, 1, "Shop", None, None, [("awareness", None)])
    committed: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        conn = open_db(db_path)
        while not stop.is_set():
            draft = NoteDraft(f"note {len(committed)} " + "x" * 200, "en", "need", None)
            committed.append(add_note(conn, 1, journey.id, None, draft, None).id)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 3000:
            threading.Event().wait(0.01)
        before = list(committed)
        out = backup_database(db_path, tmp_path, step_pages=step_pages)
        after = len(committed)
    finally:
        stop.set()
        thread.join()
    db.close()

    assert after > len(before), "nothing was written during the backup"
    assert check_backup(out).ok
    conn = sqlite3.connect(out)
    ids = [row[0] for row in conn.execute("SELECT id FROM notes ORDER BY id")]
    conn.close()
    assert set(before) <= set(ids)
    assert ids == committed[: len(ids)], "the backup is not one moment of the database"


@pytest.fixture
def backup(tmp_path):
    db = open_db(tmp_path / "bot.db")
    db.close()
    return backup_database(tmp_path / "bot.db", tmp_path / "good-backup.db")


def test_restore_refuses_a_damaged_backup(tmp_path, backup, capsys):
    data = bytearray(backup.read_bytes())
    page = 4096
    data[2 * page : 3 * page] = b"\xff" * page  # a page overwritten
    backup.write_bytes(bytes(data))

    status = main(["restore", str(backup), "--db", str(tmp_path / "new.db")])

    assert status == 2
    assert "not restored" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()


def test_restore_refuses_what_is_not_a_journeybot_database(tmp_path, capsys):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    (tmp_path / "text.db").write_text("hello")

    assert main(["restore", str(other), "--db", str(tmp_path / "new.db")]) == 2
    assert "not a journeybot database" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "text.db"), "--db", str(tmp_path / "new.db")]) == 2
    assert "not restored" in capsys.readouterr().err


def test_restore_refuses_a_backup_from_a_newer_journeybot(tmp_path, backup, capsys):
    conn = sqlite3.connect(backup)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('journeybot', 'm999_from_the_future', '')")
    conn.commit()
    conn.close()

    assert main(["restore", str(backup), "--db", str(tmp_path / "new.db")]) == 2
    assert "newer journeybot" in capsys.readouterr().err


def test_restore_refuses_while_the_bot_has_the_database_open(tmp_path, backup, capsys):
    running = open_db(tmp_path / "bot.db")
    try:
        status = main(["restore", str(backup), "--db", str(tmp_path / "bot.db")])
    finally:
        running.close()
    assert status == 2
    assert "in use" in capsys.readouterr().err


def test_restore_keeps_the_database_it_replaces(tmp_path, backup, capsys):
    db = open_db(tmp_path / "bot.db")
    db.execute("INSERT INTO chats (id, type, lang, timezone, created_at, updated_at)"
               " VALUES (1, 'private', 'en', 'UTC', '', '')")
    db.conn.commit()
    db.close()

    assert main(["restore", str(backup), "--db", str(tmp_path / "bot.db")]) == 0

    kept = next(tmp_path.glob("bot.db.before-restore-*"))
    assert str(kept) in capsys.readouterr().out
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT count(*) FROM chats").fetchone()[0] == 1
    db = open_db(tmp_path / "bot.db")
    assert db.execute("SELECT count(*) FROM chats").fetchone()[0] == 0
    db.close()


async def test_the_bot_makes_a_daily_backup_and_keeps_the_newest(emu, tmp_path, caplog):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = utcnow()
    for days in (9, 8, 7):  # older backups: only the newest `keep` stay
        (folder / backup_name(now - timedelta(days=days))).write_bytes(b"old")
    bot = BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, backup_dir=folder,
                       backup_keep=2)
    async with bot:
        await Person(bot, 6201, User(6201, "Ann")).says("/start")
        await eventually(lambda: len(list_backups(folder)) == 2
                         and list_backups(folder)[-1].read_bytes() != b"old")
    backups = list_backups(folder)
    assert backups[0].name == backup_name(now - timedelta(days=7))
    assert check_backup(backups[-1]).ok
    caplog.set_level(logging.DEBUG, logger="bot.backups")
    async with bot:  # a restart the same day makes no second backup
        await Person(bot, 6201, User(6201, "Ann")).says("/help")
        await eventually(lambda: "daily backup not due" in caplog.messages)
    assert list_backups(folder) == backups


def test_a_backup_into_a_folder_that_does_not_exist_is_refused(tmp_path, capsys):
    open_db(tmp_path / "bot.db").close()

    status = main(["backup", "--db", str(tmp_path / "bot.db"), f"{tmp_path / 'missing'}/"])

    assert status == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


class CancelAfter:
    """A cancel event that becomes set at its `calls`-th look (between copy steps, then during
    the integrity check), so a test stops a backup at a known point."""

    def __init__(self, calls: int) -> None:
        self.calls, self.looks = calls, 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks >= self.calls


def database_with_history(path: Path, notes: int = 2000) -> int:
    """A database of a few MiB: one map's notes, some deleted; returns its page count."""
    db = open_db(path)
    remember_chat(db, 1, "private", None, "en")
    journey = create_map(db, 1, "Shop", None, None, [("awareness", None)])
    for i in range(notes):
        draft = NoteDraft(f"note {i} " + "the courier was late " * 8, "en", "pain", None)
        note = add_note(db, 1, journey.id, None, draft, None)
        if i % 7 == 0:
            db.execute("DELETE FROM notes WHERE id = ?", [note.id])
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    return pages


@pytest.mark.parametrize("where", ["copying", "checking"])
def test_a_stopped_backup_leaves_nothing_that_looks_like_a_backup(tmp_path, where):
    db_path, folder = tmp_path / "bot.db", tmp_path / "backups"
    folder.mkdir()
    pages = database_with_history(db_path)
    steps = -(-pages // 64)
    assert steps > 4, "the database is too small to stop the copy half-way"
    cancel = CancelAfter(3 if where == "copying" else steps + 1)

    with pytest.raises(BackupCancelled) as stopped:
        backup_database(db_path, folder, cancel=cancel, step_pages=64)

    said = "before it was complete" if where == "copying" else "while it was checked"
    assert said in str(stopped.value)
    if where == "copying":
        assert cancel.looks == 3, "the copy went on after it was stopped"
    assert list(folder.iterdir()) == []
    made = backup_database(db_path, folder, step_pages=64)  # the next one is whole
    assert check_backup(made).ok
    assert [p.name for p in folder.iterdir()] == [made.name]


async def test_shutdown_stops_a_daily_backup_under_way_and_leaves_no_file(emu, tmp_path, caplog):
    db_path, folder = tmp_path / "bot.db", tmp_path / "backups"
    folder.mkdir()
    database_with_history(db_path, notes=200)
    with sqlite3.connect(db_path) as conn:  # ~96 MiB: the copy and its check take a while
        conn.execute("CREATE TABLE ballast (b BLOB)")
        conn.executemany("INSERT INTO ballast VALUES (randomblob(1048576))", [()] * 96)
    left = folder / f".{backup_name(utcnow() - timedelta(days=3))}.partial"
    left.write_bytes(b"half")
    os.utime(left, (time.time() - 3 * 86400,) * 2)  # a killed process's, untouched since
    caplog.set_level(logging.INFO, logger="bot.backups")
    bot = BotUnderTest(emu, db_path, load_nlp=False, backup_dir=folder)
    async with bot:
        await Person(bot, 6202, User(6202, "Ann")).says("/start")
        await eventually(lambda: "daily backup started" in caplog.messages, step=0.005)
    assert "daily backup stopped at shutdown; its partial file was removed" in caplog.messages
    assert "unfinished backup removed" in caplog.messages  # the one a killed process left
    assert list(folder.iterdir()) == []
    assert integrity(db_path) == "ok"


def test_a_partial_file_being_written_is_not_taken_for_a_killed_process_s(tmp_path):
    """An operator's `journeybot backup` into the bot's backup folder writes its partial file
    while the bot's hourly check runs: only one idle for an hour is removed."""
    fresh = tmp_path / f".{backup_name(utcnow())}.partial"
    old = tmp_path / f".{backup_name(utcnow() - timedelta(days=1))}.partial"
    for path in (fresh, old):
        path.write_bytes(b"half")
    os.utime(old, (time.time() - 7200,) * 2)
    assert remove_partial_backups(tmp_path) == [old]
    assert fresh.exists() and not old.exists()


OPERATOR = 4243  # JOURNEYBOT_ADMIN_CHAT_ID


@contextlib.contextmanager
def small_disk(where: Path, options: str):
    """A tmpfs of its own at `where` (`options`: "size=32k", "ro"): a backup folder on a disk
    that is full or read-only for real, even for root. Skips where mounting is not allowed."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


@pytest.mark.parametrize(
    ("problem", "reason"),
    [
        ("disk full", "full"),  # SQLite: "database or disk is full"
        ("read-only disk", "Read-only file system"),
        ("a file where the folder should be", "File exists"),
    ],
)
async def test_a_failed_daily_backup_alerts_the_operator_once_and_the_bot_goes_on(
    emu, tmp_path, caplog, problem, reason
):
    db_path = tmp_path / "bot.db"
    database_with_history(db_path, notes=400)  # about a MiB: more than the small disk holds
    emu.create_chat(OPERATOR, chat_type="private")
    with contextlib.ExitStack() as stack:
        if problem == "disk full":
            folder = stack.enter_context(small_disk(tmp_path / "backups", "size=32k"))
        elif problem == "read-only disk":
            folder = stack.enter_context(small_disk(tmp_path / "backups", "ro"))
        else:
            folder = tmp_path / "backups"
            folder.write_text("not a folder")
        caplog.set_level(logging.INFO, logger="bot.backups")
        bot = BotUnderTest(emu, db_path, load_nlp=False, backup_dir=folder,
                           admin_chat_id=OPERATOR)
        async with bot:
            anna = Person(bot, 6203, User(6203, "Ann"))
            await anna.says("/start")
            await bot.emu.wait_for(lambda: bot.emu.bot_messages(OPERATOR), timeout=30)
            alerts = bot.emu.bot_messages(OPERATOR)
            assert len(alerts) == 1
            assert "daily backup failed" in alerts[0].text and reason in alerts[0].text
            assert str(folder) in alerts[0].text and "unhandled" not in alerts[0].text
            assert "courier" not in alerts[0].text  # the notes' words never go out
            assert any(m.startswith("daily backup failed") for m in caplog.messages)
            # the bot goes on, and the next hourly check alerts no second time (10 minutes)
            assert "What I can do" in (await anna.says("/help"))[0].text
            await backup_if_due_now(bot)
            assert len(bot.emu.bot_messages(OPERATOR)) == 1
        if folder.is_dir():
            assert list(folder.iterdir()) == []  # no partial file left
    assert integrity(db_path) == "ok"


async def backup_if_due_now(bot) -> None:
    """Runs the hourly check at once and waits for the copy it starts."""
    (job,) = bot.app.job_queue.get_jobs_by_name("daily-backup")
    await job.run(bot.app)
    backups = bot.app.bot_data["backups"]
    if backups.running is not None:
        await backups.running
