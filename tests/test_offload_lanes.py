"""A long export has a worker of its own: another chat's picture is not drawn after it
(issue 14: a 100,000-note chat's export occupied the one worker 25–33 s, and every other
chat's /map picture, text and /insights waited behind it)."""

from __future__ import annotations

import asyncio
import json
import os

import bot.flows.share
from bot.offload import read_in_file_worker, read_in_worker
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, eventually
from tests.offload_support import held_chat_export, held_file
from tests.test_e2e_share import NOTES, fill_map

ANN = User(8101, "Ann", language_code="en")
BEN = User(8102, "Ben", language_code="pl")


def _pid(db) -> int:
    return os.getpid()


async def test_big_exports_run_in_a_process_of_their_own(db):
    quick, files = await read_in_worker(db, _pid), await read_in_file_worker(db, _pid)
    assert len({quick, files, os.getpid()}) == 3
    assert await read_in_file_worker(db, _pid) == files  # one export lane, kept


async def test_a_slow_export_does_not_delay_another_chats_map(emu, tmp_path, monkeypatch):
    monkeypatch.setattr(bot.flows.share, "chat_export", held_chat_export)
    monkeypatch.setattr(bot.flows.share, "FILE_LANE_NOTES", 3)  # Ann's 5 notes: a big chat
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as running:
        ann, ben = Person(running, ANN.id, ANN), Person(running, BEN.id, BEN)
        await ann.says("/start")
        await ben.says("/start")
        fill_map(running.db, ANN.id, ANN.id, NOTES)
        fill_map(running.db, BEN.id, BEN.id, NOTES)
        await ben.says("/map", timeout=60)  # the picture worker has started and drawn once

        def sent(method: str, chat_id: int) -> list:
            return [c for c in emu.calls(method) if c.ok and int(c.params["chat_id"]) == chat_id]

        emu.send_message(ANN.id, "/export all", user=ANN)
        running.expected += 1
        await asyncio.sleep(0.5)  # Ann's export is in its worker
        pictures = len(sent("sendPhoto", BEN.id))
        emu.send_message(BEN.id, "/map", user=BEN)
        running.expected += 1
        try:  # Ann's export is held until the picture is there (or 60 s)
            await eventually(lambda: len(sent("sendPhoto", BEN.id)) > pictures, timeout=60)
        finally:
            held_file(running.db).touch()
        picture = sent("sendPhoto", BEN.id)[-1]
        assert not sent("sendDocument", ANN.id), "the picture waited for the export"
        await running.settle(timeout=60)
    document = sent("sendDocument", ANN.id)
    assert len(document) == 1 and document[0].time > picture.time
    data = json.loads(emu.bot_messages(ANN.id)[-1].document)
    assert len(data["tables"]["notes"]) == len(NOTES)  # the export is whole, only later


def test_only_big_exports_take_the_export_lane():
    assert bot.flows.share.builder(40) is read_in_worker  # answered as fast as a picture
    assert bot.flows.share.builder(bot.flows.share.FILE_LANE_NOTES + 1) is read_in_file_worker
