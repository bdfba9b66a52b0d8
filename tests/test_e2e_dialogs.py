"""Everyday use, end to end (issue 12): the real Application against the Bot API emulator and
the console, on databases that already have a history."""

from __future__ import annotations

import io

import pytest

from bot.app import build_application
from bot.console import run_console
from bot.settings import Settings
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(601, "Anna", language_code="en")
OLA = User(602, "Ola", language_code="pl")


async def console_session(db_path, lines: list[str], *, chat_id: int = 601, lang: str = "en"):
    """One console launch on `db_path`: the lines typed, the screen returned."""
    out = io.StringIO()
    settings = Settings(db_path=str(db_path), load_nlp=False)
    await run_console(
        lambda request: build_application(settings, request=request),
        chat_id=chat_id, user_name="Anna", lang=lang,
        stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out,
    )
    return out.getvalue()


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


# --- item 1: update ids of the console and of Telegram never collide -------------------------


async def test_console_sessions_and_telegram_share_a_database(emu, tmp_path):
    db_path = tmp_path / "shared.db"
    for _ in range(2):  # two console launches: both answered
        out = await console_session(db_path, ["/help", "/help"])
        assert out.count("/newmap — ") == 2
    async with BotUnderTest(emu, db_path, load_nlp=False) as bot:  # Telegram's ids start at 1
        anna = Person(bot, ANNA.id, ANNA)
        assert "/newmap — " in (await anna.says("/help"))[-1].text
        assert "/newmap — " in (await anna.says("/help"))[-1].text
