"""What keeps the event loop free: a worker process with its own connection, claims in short
batches, and a start that does not wait for spaCy or matplotlib."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bot.classifier
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.offload import read_in_worker, run_blocking
from storage.chats import remember_chat
from storage.maps import create_map
from storage.notes import add_note, list_notes
from storage.reminders import claim_due_batch, save_schedule, waiting_reminders
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_starting_the_bot_imports_neither_spacy_nor_matplotlib():
    """They take seconds to import; the bot answers /start before they are needed."""
    code = (
        "import sys, bot.cli, bot.app\n"
        "heavy = {'spacy', 'matplotlib', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "import sqlite_utils.db\n"
        "assert sqlite_utils.db.np is None\n"  # its numpy column types are never used
        "import numpy\n"  # … and numpy itself still imports (spaCy needs it)
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_worker_ends_when_the_bot_is_killed():
    """A bot killed outright (SIGKILL) cannot stop its worker; the worker notices and ends, so
    crashes do not leave processes holding memory behind."""
    code = (
        "import asyncio, os, sys, time\n"
        "from bot.offload import run_blocking\n"
        "print(asyncio.run(run_blocking(os.getpid)), flush=True)\n"
        "time.sleep(600)\n"
    )
    bot = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(bot.stdout.readline())
        os.kill(worker, 0)  # alive while the bot is
        bot.kill()
        bot.wait()
        for _ in range(300):  # the worker looks once a second; allow a slow machine 30 s
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            threading.Event().wait(0.1)
        else:
            os.kill(worker, 9)
            raise AssertionError("the worker outlived the killed bot by 30 s")
    finally:
        bot.kill()


def test_a_worker_ends_when_the_bot_is_killed_while_it_starts():
    """Killed before its worker has even started up: the worker, reparented by then, still
    knows whose it was and ends."""
    code = (
        "import os, sys, time\n"
        "from bot.offload import _pool\n"
        "_pool().submit(os.getpid)\n"
        "print('asked', flush=True)\n"
        "time.sleep(600)\n"
    )
    bot = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert bot.stdout.readline().strip() == "asked"
        children = [
            int(pid) for pid in os.listdir("/proc") if pid.isdigit()
            and _parent_of(int(pid)) == bot.pid
        ]
        bot.kill()  # the worker is still importing: it has not run its initializer yet
        bot.wait()
        assert children
        for _ in range(300):
            alive = [pid for pid in children if _parent_of(pid) is not None]
            if not alive:
                break
            threading.Event().wait(0.1)
        else:
            for pid in alive:
                os.kill(pid, 9)
            raise AssertionError(f"{alive} outlived the killed bot by 30 s")
    finally:
        bot.kill()


def _parent_of(pid: int) -> int | None:
    """The parent process id of a living process; None when it is gone (or a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, parent = stat.rpartition(")")[2].split()[:2]
    return None if state == "Z" else int(parent)


def _texts_in_worker(worker_db, chat_id: int, map_id: int) -> tuple[int, list[str], str]:
    """Runs in the worker: its process id, the map's notes, and what a write attempt says."""
    try:
        worker_db.execute("DELETE FROM notes")
        refused = "nothing"
    except sqlite3.OperationalError as error:
        refused = str(error)
    return os.getpid(), [note.text for note in list_notes(worker_db, chat_id, map_id)], refused


async def test_a_worker_reads_committed_rows_through_its_own_read_only_connection(db):
    remember_chat(db, 1, "private", "Ann", "en")
    journey = create_map(db, 1, "Shop", None, None, [(k, None) for k in STAGE_KEYS])
    add_note(db, 1, journey.id, None, NoteDraft("late courier", "en", "pain_point", None), None)

    pid, texts, refused = await read_in_worker(db, _texts_in_worker, 1, journey.id)
    assert pid != os.getpid()  # another process: its own GIL, the loop keeps running
    assert texts == ["late courier"] and "readonly" in refused
    add_note(db, 1, journey.id, None, NoteDraft("no BLIK", "en", "pain_point", None), None)
    _, texts, _ = await read_in_worker(db, _texts_in_worker, 1, journey.id)
    assert texts == ["late courier", "no BLIK"]  # committed on the loop, seen by the worker
    assert await run_blocking(os.getpid) == pid  # one worker, started once


def test_due_schedules_are_claimed_a_few_at_a_time(db):
    weekly = ReviewRule.from_rrule("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYHOUR=9;BYMINUTE=0")
    for chat_id in range(1, 8):
        remember_chat(db, chat_id, "private", f"Team {chat_id}", "en")
        journey = create_map(db, chat_id, "Shop", None, None, [(k, None) for k in STAGE_KEYS])
        save_schedule(db, chat_id, journey.id, weekly, "UTC", now=NOW - timedelta(days=3))
    claimed = [claim_due_batch(db, NOW, limit=3) for _ in range(4)]
    assert claimed == [3, 3, 1, 0]
    assert len(waiting_reminders(db)) == 7


async def test_a_note_sent_before_the_classifier_is_ready_waits_for_it(emu, tmp_path, monkeypatch):
    """The bot answers at once after start; a note waits for the classifier, then is stored."""
    bot.classifier.warm_up()  # loaded, but the bot is made to believe it is still loading
    loading = threading.Event()
    monkeypatch.setattr(bot.classifier, "_ready", loading)
    monkeypatch.setattr(bot.classifier, "_loader", threading.current_thread())
    user = User(901, "Early", language_code="en")
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=True) as running:
        early = Person(running, user.id, user)
        try:
            welcome = await early.says("/start")  # answered while the classifier "loads"
            assert "journey" in welcome[0].text.lower()
            emu.send_message(user.id, "The courier was two days late", user=user)
            running.expected += 1
            await asyncio.sleep(0.3)
            assert len(emu.bot_messages(user.id)) == len(welcome)  # the note waits…
        finally:
            loading.set()
        await running.settle()
        answer = emu.bot_messages(user.id)[-1].text  # … and is stored once it is ready
        assert running.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
        assert "Unsorted" not in answer and "error" not in answer.lower(), answer
