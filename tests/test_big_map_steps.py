"""Deleting a big map, or removing a stage of one, happens in short transactions with the event
loop free in between (issue 14: a 10,000-note map held the loop for 1.2 s in one transaction)."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.model import NoteDraft
from bot.core.vocabulary import STAGES as STAGE_KEYS
from storage.chats import remember_chat, remember_user
from storage.db import open_db, to_iso, utcnow
from storage.maps import (
    STEP_NOTES,
    create_map,
    delete_map,
    delete_some_notes_of_map,
    get_map,
    list_maps,
    replace_stages,
    unstage_some_notes,
)
from storage.notes import add_notes, count_notes, list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(301, "Anna", language_code="en")
STAGES = [(key, None) for key in STAGE_KEYS]


def _fill(db, chat_id: int, journey, count: int) -> None:
    stage_ids = [stage.id for stage in journey.stages]
    with db.atomic():
        add_notes(db, (
            (chat_id, journey.id, stage_ids[i % len(stage_ids)],
             NoteDraft(text=f"note {i} about the courier", lang="en", kind="pain_point",
                       stage_key=None), None, to_iso(utcnow()), None)
            for i in range(count)))


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "steps.db")
    remember_user(database, 7, "Ola", "ola", "pl")
    remember_chat(database, -100, "group", "Bakery", "pl")
    remember_chat(database, -200, "group", "Hotel", "en")
    yield database
    database.close()


def test_a_step_deletes_at_most_its_limit_of_that_maps_notes_only(db):
    doomed = create_map(db, -100, "Doomed", None, 7, STAGES)
    other = create_map(db, -100, "Other", None, 7, STAGES)
    _fill(db, -100, doomed, 25)
    _fill(db, -100, other, 5)
    assert delete_some_notes_of_map(db, -200, doomed.id, limit=10) == 0  # not that chat's map
    assert delete_some_notes_of_map(db, -100, doomed.id, limit=10) == 10
    assert count_notes(db, -100, doomed.id) == 15
    assert count_notes(db, -200, doomed.id) == 0  # not that chat's map
    steps = []
    while changed := delete_some_notes_of_map(db, -100, doomed.id, limit=10):
        steps.append(changed)
    assert steps == [10, 5]
    assert delete_map(db, -100, doomed.id)
    assert count_notes(db, -100, other.id) == 5
    assert [m.name for m, _ in list_maps(db, -100)] == ["Other"]


def test_unstaging_steps_then_replace_stages_is_what_replace_stages_does_alone(db):
    stepped = create_map(db, -100, "Stepped", None, 7, STAGES)
    at_once = create_map(db, -100, "At once", None, 7, STAGES)
    for journey in (stepped, at_once):
        _fill(db, -100, journey, 60)
    outcomes = []
    for journey, limit in ((stepped, 7), (at_once, None)):
        kept = [(s.id, s.key, s.name) for s in journey.stages if s.key != "decision"]
        kept.append((None, None, "Pick-up"))
        if limit:
            assert unstage_some_notes(db, -200, journey.id, kept, limit) == 0  # other chat
            steps = []
            while changed := unstage_some_notes(db, -100, journey.id, kept, limit):
                steps.append(changed)
            assert steps == [7, 3]  # the 10 notes of "decision"
        replace_stages(db, -100, journey.id, kept)
        after = get_map(db, -100, journey.id)
        names = {stage.id: stage.key or stage.name for stage in after.stages}
        notes = list_notes(db, -100, journey.id)
        outcomes.append((list(names.values()), sorted(
            (note.text, names.get(note.stage_id)) for note in notes)))
    assert outcomes[0] == outcomes[1]
    assert sum(1 for _, stage in outcomes[0][1] if stage is None) == 10


async def test_deletemap_of_a_big_map_lets_other_chats_in_between_its_steps(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        anna = Person(bot, ANNA.id, ANNA)
        await anna.starts_map("Huge", finish=True)
        journey = list_maps(bot.db, ANNA.id)[0][0]
        _fill(bot.db, ANNA.id, journey, STEP_NOTES * 3 + 17)
        seen: set[int] = set()  # the map's note counts another chat's handler could see

        async def other_chats() -> None:
            while True:
                seen.add(bot.db.execute("SELECT count(*) FROM notes WHERE map_id = ?",
                                        [journey.id]).fetchone()[0])
                await asyncio.sleep(0)

        confirm = (await anna.says("/deletemap"))[-1]
        probe = asyncio.create_task(other_chats())
        try:
            await anna.presses("Yes, delete", confirm)
        finally:
            probe.cancel()
        assert list_maps(bot.db, ANNA.id) == []
        assert bot.db.execute("SELECT count(*) FROM notes WHERE map_id = ?",
                              [journey.id]).fetchone()[0] == 0
        total = STEP_NOTES * 3 + 17
        assert {total - STEP_NOTES, total - 2 * STEP_NOTES, total - 3 * STEP_NOTES} <= seen, seen
        assert "deleted" in anna.message(confirm.message_id).text
