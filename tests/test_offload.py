"""What keeps the event loop free: worker threads with their own connection, claims in short
batches, and a start that does not wait for spaCy or matplotlib."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

import bot.classifier
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.offload import close_readers, database_path, read_in_worker, reader
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


async def test_a_worker_reads_committed_rows_through_its_own_read_only_connection(db):
    remember_chat(db, 1, "private", "Ann", "en")
    journey = create_map(db, 1, "Shop", None, None, [(k, None) for k in STAGE_KEYS])
    add_note(db, 1, journey.id, None, NoteDraft("late courier", "en", "pain_point", None), None)

    path = database_path(db)

    def read(worker_db, chat_id, map_id):
        assert threading.current_thread() is not threading.main_thread()
        assert worker_db is not db and worker_db is reader(path)
        with pytest.raises(Exception, match="readonly"):
            worker_db.execute("DELETE FROM notes")
        return [note.text for note in list_notes(worker_db, chat_id, map_id)]

    assert await read_in_worker(db, read, 1, journey.id) == ["late courier"]
    add_note(db, 1, journey.id, None, NoteDraft("no BLIK", "en", "pain_point", None), None)
    assert await read_in_worker(db, read, 1, journey.id) == ["late courier", "no BLIK"]
    close_readers(path)  # at shutdown; a later read opens a new connection
    assert len(await read_in_worker(db, read, 1, journey.id)) == 2
    close_readers(path)


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
