"""The event loop `journeybot run` chooses (bot/eventloop.py): asyncio's own by default,
uvloop when asked for and installed, and the bot answering notes on either."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.eventloop import ASYNCIO, UVLOOP, choose_event_loop, running_loop_name
from tests.emulator.models import User

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:LOOP-token"
ANN = User(8501, "Ann", language_code="en")
OLA = User(8502, "Ola", language_code="pl")


@pytest.fixture
def default_policy():
    yield
    asyncio.set_event_loop_policy(None)


async def loop_name() -> str:
    return running_loop_name()


def test_asyncio_by_default_and_uvloop_when_asked(default_policy, monkeypatch):
    monkeypatch.delenv("JOURNEYBOT_EVENT_LOOP", raising=False)
    assert choose_event_loop() == ASYNCIO
    assert asyncio.run(loop_name()) == ASYNCIO
    pytest.importorskip("uvloop")
    monkeypatch.setenv("JOURNEYBOT_EVENT_LOOP", "uvloop")
    assert choose_event_loop() == UVLOOP
    assert asyncio.run(loop_name()) == UVLOOP
    assert choose_event_loop("asyncio") == ASYNCIO
    assert asyncio.run(loop_name()) == ASYNCIO


def test_without_uvloop_the_bot_runs_on_asyncios_loop(default_policy, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as if not installed: import fails
    assert choose_event_loop("uvloop") == ASYNCIO
    assert asyncio.run(loop_name()) == ASYNCIO


def test_an_unknown_loop_is_refused_with_the_choices(default_policy, monkeypatch):
    monkeypatch.setenv("JOURNEYBOT_EVENT_LOOP", "trio")
    with pytest.raises(ValueError, match=r"asyncio \(the default\) or uvloop"):
        choose_event_loop()


@pytest.mark.parametrize("loop", [UVLOOP, ASYNCIO])
async def test_journeybot_run_answers_notes_on_either_loop(emu, tmp_path, loop):
    """The bot as deployed (`journeybot run`), a note in English and one in Polish."""
    if loop == UVLOOP:
        pytest.importorskip("uvloop")
    log_path = tmp_path / "bot.log"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "JOURNEYBOT_EVENT_LOOP": loop,
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "bot.db"),
             "--base-url", emu.base_url],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        await emu.wait_for(lambda: emu.calls("getUpdates"), timeout=90)
        emu.send_message(ANN.id, "The parcel came a week late", user=ANN)
        emu.send_message(OLA.id, "Kurier spóźnił się dwa dni", user=OLA)
        for person in (ANN, OLA):
            await emu.wait_for(
                lambda p=person: any(m.text.startswith("📌") for m in emu.bot_messages(p.id)),
                timeout=90,
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
    started = [json.loads(line) for line in log_path.read_text().splitlines()
               if '"journeybot started"' in line]  # fmt: skip
    assert [entry["loop"] for entry in started] == [loop]
    assert "Traceback" not in log_path.read_text()
