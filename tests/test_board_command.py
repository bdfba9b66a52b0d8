"""/board in the chat, through the emulator: a web_app button in private chats, the Mini App's
direct link for a group, and a localized explanation when no public address is set."""

from __future__ import annotations

import pytest

from tests.board_support import fill_board
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(711, "Anna", language_code="en")
OLA = User(712, "Ola", language_code="pl")
TEAM = -7101
PUBLIC = "https://bot.example.org"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, public_url=PUBLIC) as bot:
        yield bot


async def test_private_board_is_a_web_app_button(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    fill_board(bot.db, ANNA.id, [ANNA, ANNA])
    (message,) = await anna.says("/board")
    assert "Cake orders" in message.text
    (button,) = message.buttons[0]
    assert button["web_app"] == {"url": f"{PUBLIC}/board/?chat_id={ANNA.id}"}


async def test_group_board_is_the_mini_apps_direct_link(bot):
    ola = Person(bot, TEAM, OLA, chat_type="supergroup", title="Piekarnia")
    await ola.says("/start")
    bot.db.execute("UPDATE chats SET lang = 'pl' WHERE id = ?", [TEAM])
    fill_board(bot.db, TEAM, [OLA, OLA])
    (message,) = await ola.says("/board")
    (button,) = message.buttons[0]
    assert button["text"] == "🗺 Otwórz tablicę"
    assert button["url"] == f"https://t.me/{bot.app.bot.username}/board?startapp=c{TEAM}"
    assert "web_app" not in button


async def test_board_without_a_map_says_how_to_start_one(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    (message,) = await anna.says("/board")
    assert "/newmap" in message.text
    assert not message.buttons


@pytest.mark.parametrize(("user", "words"), [(ANNA, "JOURNEYBOT_PUBLIC_URL"),
                                             (OLA, "publicznego adresu")])
async def test_without_a_public_url_board_says_how_to_set_it(emu, tmp_path, user, words):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        person = Person(bot, user.id, user)
        await person.says("/start")
        fill_board(bot.db, user.id, [user, user])
        (message,) = await person.says("/board")
        assert words in message.text and "JOURNEYBOT_PUBLIC_URL" in message.text
        assert not message.buttons
