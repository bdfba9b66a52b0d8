"""The event loop keeps answering while a big map is drawn, summarised and exported.

A small-scale version of bench/scale.py's loop-lag probe: one chat with an 8,000-note map asks
for its picture, text, insights and a CSV export while another chat sends notes, all through
the real application and the Bot API emulator. Work that used to run on the event loop (the
text of the map, the insights, reading the notes) took over a second here; the bound below is
generous so that a busy machine cannot fail the test, yet such a block would.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.core.model import KINDS, STAGE_KEYS, NoteDraft
from bot.looplag import LoopLagProbe
from storage.db import to_iso, utcnow
from storage.maps import create_map
from storage.notes import add_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

OWNER = User(801, "Marta", language_code="pl")
WRITER = User(802, "Sam", language_code="en")
MAP_NOTES = 8_000
MAX_LAG_MS = 400.0
SYLLABLES = ("ka", "zo", "mi", "dru", "pel", "sta", "wor", "ny", "bez", "lu", "gra", "ti")
# ~1,700 different made-up words: the themes of /insights have many stems to compare
WORDS = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def big_map(db, chat_id: int, author_id: int) -> None:
    journey = create_map(db, chat_id, "Sklep", None, author_id, [(k, None) for k in STAGE_KEYS])
    rng = random.Random(5)
    stages = [s.id for s in journey.stages]
    rows = (
        (
            chat_id,
            journey.id,
            rng.choice(stages),
            NoteDraft(
                " ".join(rng.choices(WORDS, k=8)) + f" {i}",
                "pl",
                rng.choice(KINDS),
                None,
                sentiment=rng.uniform(-1, 1),
            ),
            author_id,
            to_iso(utcnow()),
            None,
        )
        for i in range(MAP_NOTES)
    )
    with db.atomic():
        add_notes(db, rows)


async def test_a_big_map_never_freezes_the_other_chats(bot):
    owner, writer = Person(bot, OWNER.id, OWNER), Person(bot, WRITER.id, WRITER)
    await owner.says("/start")
    await writer.says("/start")
    await writer.says("First note: the courier was late")  # loads the classifier first
    big_map(bot.db, OWNER.id, OWNER.id)

    async with LoopLagProbe(0.005) as probe:
        for command in ("/map", "/insights", "/export csv"):
            bot.emu.send_message(OWNER.id, command, user=OWNER)
            bot.expected += 1
        for n in range(5):
            bot.emu.send_message(WRITER.id, f"Checkout asked for my address {n} times", user=WRITER)
            bot.expected += 1
            await asyncio.sleep(0.05)
        await bot.settle(timeout=120)

    sent = [m.method for m in bot.emu.bot_messages(OWNER.id)]
    assert sent.count("sendPhoto") == 2  # the map's picture and the insights chart
    assert "sendDocument" in sent
    print(f"loop lag max {probe.max_ms:.0f} ms, p99 {probe.percentile(99):.0f} ms")
    assert probe.max_ms < MAX_LAG_MS, (
        f"the event loop was blocked for {probe.max_ms:.0f} ms (p99 {probe.percentile(99):.0f})"
    )
