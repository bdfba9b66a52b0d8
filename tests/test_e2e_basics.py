"""End to end through the Bot API emulator: /start, buttons that edit, /language, /help,
non-text messages, unknown commands, and a restart in the middle of a conversation."""

from __future__ import annotations

import pytest

from storage.chats import get_chat
from storage.dialogs import get_dialog
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(501, "Anna", username="anna", language_code="en")
OLA = User(502, "Ola", language_code="pl-PL")


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


async def test_start_welcomes_and_offers_the_first_map(bot):
    anna = Person(bot, ANNA.id, ANNA)
    replies = await anna.says("/start")
    assert "journeybot" in replies[0].text
    assert replies[-1].button_texts == ["🗺 Create a map"]
    # the button opens /newmap's first question
    asked = await anna.presses("Create a map")
    assert "What shall we call it?" in asked[-1].text
    assert get_dialog(bot.db, ANNA.id, ANNA.id).state == "naming"
    chat = get_chat(bot.db, ANNA.id)
    assert (chat.type, chat.lang) == ("private", "en")


async def test_language_defaults_from_telegram_and_button_edits_the_message(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    assert get_chat(bot.db, OLA.id).lang == "pl"
    picker = (await ola.says("/language"))[-1]
    assert len(picker.callback_data) == 4
    assert await ola.presses("Українська", picker) == []  # no new message: the picker is edited
    edited = ola.message(picker.message_id)
    assert edited.edits and edited.callback_data == []
    assert "українською" in edited.text
    assert get_chat(bot.db, OLA.id).lang == "uk"
    help_reply = (await ola.says("/help"))[-1]
    assert "/newmap" in help_reply.text and "/language" in help_reply.text
    assert "What I can do" not in help_reply.text


async def test_help_lists_every_command_and_explains_groups(bot):
    anna = Person(bot, ANNA.id, ANNA)
    private_help = (await anna.says("/help"))[-1].text
    for command in ("/start", "/newmap", "/note", "/map", "/maps", "/language", "/cancel"):
        assert command in private_help
    team = Person(bot, -4001, ANNA, title="Bakery team")
    group_help = (await team.says("/help"))[-1].text
    assert "privacy" in group_help


async def test_sticker_and_unknown_command_get_localized_hints(bot):
    ola = Person(bot, OLA.id, OLA)
    hint = (await ola.sends_sticker())[-1]
    assert "tekst" in hint.text.lower()
    unknown = (await ola.says("/fly"))[-1]
    assert "/fly" in unknown.text and "/help" in unknown.text


async def test_conversation_survives_a_restart(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap")
    await anna.says("Booking a hotel room")
    await bot.restart()
    stages = await anna.presses("Skip")  # the persona question's button, pressed after restart
    assert "Awareness" in stages[-1].text
    await anna.presses("Use these stages")
    row = bot.db.execute("SELECT name, persona FROM maps").fetchone()
    assert row == ("Booking a hotel room", None)


async def test_cancel_stops_the_conversation_and_keeps_what_was_saved(bot):
    anna = Person(bot, ANNA.id, ANNA)
    assert "nothing to stop" in (await anna.says("/cancel"))[-1].text
    await anna.says("/newmap Cake orders")
    assert "Stopped" in (await anna.says("/cancel"))[-1].text
    assert get_dialog(bot.db, ANNA.id, ANNA.id) is None
    stale = anna.latest_with_buttons()
    await anna.presses("Skip", stale)
    assert "ended" in anna.last_answer()["text"]


async def test_user_text_is_escaped(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap")
    reply = await anna.says("<b>Cakes</b> & *pies*")
    assert reply  # the emulator rejects unparsable HTML, so a reply means escaping worked
    await anna.presses("Skip")
    await anna.presses("Use these stages")
    assert "<b>Cakes</b> & *pies*" in anna.emu.bot_messages(ANNA.id)[-2].text
