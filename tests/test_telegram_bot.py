"""The bot's `Bot` (bot/telegram_bot.py) against the emulator: a send whose answer is not parsed
sends what `send_message` sends and raises what it raises."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Defaults

from bot.aiohttp_request import AiohttpRequest
from bot.app import build_application
from bot.pacing import TelegramPacing
from bot.settings import Settings
from bot.telegram_bot import JourneyBot
from tests.emulator import TelegramEmulator, User

TOKEN = "123:ABC"
ALICE = User(42, "Alice", username="alice")
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Змінити етап ✏️", callback_data="nb:1"),
                                  InlineKeyboardButton("↩ Cofnij", callback_data="nb:undo:1")]])


def journey_bot(emu: TelegramEmulator) -> JourneyBot:
    """As bot/app.py builds it: HTML and no link previews by default, over aiohttp."""
    return JourneyBot(TOKEN, base_url=emu.base_url, request=AiohttpRequest(),
                      defaults=Defaults(parse_mode=ParseMode.HTML,
                                        link_preview_options=LinkPreviewOptions(is_disabled=True)))


def test_the_application_is_built_on_it(tmp_path):
    app = build_application(Settings(db_path=str(tmp_path / "bot.db"), token=TOKEN,
                                     load_nlp=False))
    assert type(app.bot) is JourneyBot and app.updater.bot is app.bot
    assert app.bot.defaults.parse_mode == ParseMode.HTML


async def test_an_unparsed_send_sends_what_send_message_sends(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    text = "<b>Notatka</b> #1 · ból 😣 &amp; więcej https://example.com"
    async with journey_bot(emu) as bot:
        parsed = await bot.send_message(ALICE.id, text, reply_markup=KEYBOARD,
                                        reply_to_message_id=1, allow_sending_without_reply=True)
        unparsed = await bot.send_message_unparsed(ALICE.id, text, reply_markup=KEYBOARD,
                                                   reply_to_message_id=1,
                                                   allow_sending_without_reply=True)
    assert parsed.text == "Notatka #1 · ból 😣 & więcej https://example.com"
    assert unparsed is None
    first, second = emu.calls("sendMessage")
    assert first.ok and second.ok
    assert first.params == second.params  # the marker never reaches Telegram
    assert second.params["parse_mode"] == "HTML"
    first_message, second_message = emu.bot_messages(ALICE.id)
    assert first_message.raw_text == second_message.raw_text == text
    assert first_message.reply_markup == second_message.reply_markup == KEYBOARD.to_dict()


async def test_the_answer_of_other_calls_is_still_parsed(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    async with journey_bot(emu) as bot:
        await bot.send_message_unparsed(ALICE.id, "first")
        message = await bot.send_message(ALICE.id, "second")
        edited = await bot.edit_message_text("second, edited", ALICE.id, message.message_id)
    assert message.text == "second" and message.chat.id == ALICE.id
    assert edited.text == "second, edited"


FAULTS = [
    (dict(status=429, retry_after=7), RetryAfter),
    (dict(status=400, description="Bad Request: chat not found"), BadRequest),
    (dict(status=403, description="Forbidden: bot was blocked by the user"), Forbidden),
    (dict(status=502), NetworkError),
]


@pytest.mark.parametrize(("fault", "expected"), FAULTS, ids=[str(f["status"]) for f, _ in FAULTS])
async def test_an_unparsed_send_raises_what_send_message_raises(emu, fault, expected):
    emu.create_chat(ALICE.id, user=ALICE)
    raised = []
    async with journey_bot(emu) as bot:
        for send in (bot.send_message, bot.send_message_unparsed):
            emu.inject("sendMessage", **fault)
            with pytest.raises(expected) as error:
                await send(ALICE.id, "hello")
            raised.append((type(error.value), str(error.value)))
    assert raised[0] == raised[1]


async def test_an_unparsed_send_is_paced_and_retried_after_a_flood_wait(emu):
    """Deployed, every send goes through the pacing (bot/pacing.py): a RetryAfter is waited
    out and the message sent again, the marker dropped both times."""
    emu.create_chat(ALICE.id, user=ALICE)
    bot = JourneyBot(TOKEN, base_url=emu.base_url, request=AiohttpRequest(),
                     rate_limiter=TelegramPacing(messages_per_second=30, max_retries=1))
    async with bot:
        emu.inject("sendMessage", status=429, retry_after=1)
        assert await bot.send_message_unparsed(ALICE.id, "after the wait") is None
    refused, sent = emu.calls("sendMessage")
    assert not refused.ok and sent.ok and refused.params == sent.params
    assert [m.raw_text for m in emu.bot_messages(ALICE.id)] == ["after the wait"]
