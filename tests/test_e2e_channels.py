"""End to end: Change channels under a note — a tap adds or removes a channel, each change is
kept as a correction, and the classifier's per-chat memory is not confused by it."""

from __future__ import annotations

import json

import pytest

from storage.notes import chat_corrections, corrected_examples
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

OLA = User(621, "Ola", language_code="pl")
ANNA = User(622, "Anna", language_code="en")


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


def channels_of(bot, chat_id):
    return [json.loads(row[0]) for row in bot.db.execute(
        "SELECT channels FROM notes WHERE chat_id = ? ORDER BY id", [chat_id])]


async def test_channels_are_corrected_with_taps_and_kept_as_corrections(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    ack = (await ola.says("/note klienci pytają o dostawę na Instagramie i dzwonią"))[-1]
    assert channels_of(bot, OLA.id) == [["Instagram", "phone"]]
    assert "Zmień kanały" in ack.button_texts
    await ola.presses("Zmień kanały", ack)
    picker = ola.message(ack.message_id)
    assert "Jakie kanały" in picker.text
    assert picker.button_texts[:3] == ["✓ Instagram", "✓ telefon", "strona www"]
    await ola.presses("✓ telefon", picker)  # remove
    await ola.presses("SMS", ola.message(ack.message_id))  # add
    picker = ola.message(ack.message_id)
    assert "✓ SMS" in picker.button_texts and "telefon" in picker.button_texts
    assert channels_of(bot, OLA.id) == [["Instagram", "sms"]]
    await ola.presses("✓ Gotowe", picker)
    back = ola.message(ack.message_id)
    assert "Instagram, SMS" in back.text and "Cofnij" in back.button_texts
    rows = bot.db.execute(
        "SELECT field, old_value, new_value, user_id FROM corrections ORDER BY id").fetchall()
    assert rows == [
        ("channels", '["Instagram", "phone"]', '["Instagram"]', OLA.id),
        ("channels", '["Instagram"]', '["Instagram", "sms"]', OLA.id),
    ]
    # a channel correction teaches the stage/kind classifier nothing
    assert chat_corrections(bot.db, OLA.id) == [] and corrected_examples(bot.db) == []


async def test_a_channel_button_of_another_chat_or_a_gone_channel_changes_nothing(bot):
    ola, anna = Person(bot, OLA.id, OLA), Person(bot, ANNA.id, ANNA)
    await ola.says("/start")
    await anna.says("/start")
    ack = (await ola.says("/note zamówienia przez Allegro"))[-1]
    note_id = ack.callback_data[0].split(":")[2]
    hers = (await anna.says("/help"))[-1]
    await anna.presses_data(hers.message_id, f"nb:tch:{note_id}:phone:a", force=True)  # not hers
    await ola.presses_data(ack.message_id, f"nb:tch:{note_id}:Temu:a", force=True)  # not a choice
    assert channels_of(bot, OLA.id) == [["Allegro"]]
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone() == (0,)
