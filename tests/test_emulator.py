"""The Bot API emulator: raw HTTP shapes and errors, long polling, and real PTB against it."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.emulator import TelegramEmulator, User, entity_text, parse_html, tiny_png
from tests.emulator.markup import MarkupError, parse_markdown_v2

TOKEN = "123:ABC"
ALICE = User(42, "Alice", username="alice")
BOB = User(77, "Bob", username="bob")


async def call(emu: TelegramEmulator, method: str, *, token: str = TOKEN,
               encoding: str = "json", **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a Bot API request the way any client would; return (HTTP status, JSON body)."""
    url = f"{emu.base_url}{token}/{method}"
    as_strings = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with aiohttp.ClientSession() as session:
        if encoding == "json":
            request = session.post(url, json=params)
        elif encoding == "form":
            request = session.post(url, data=as_strings)
        else:
            request = session.get(url, params=as_strings)
        async with request as response:
            return response.status, await response.json()


def ptb_bot(emu: TelegramEmulator, *, read_timeout: float = 5.0) -> Bot:
    """A real PTB Bot talking to the emulator."""
    return Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url,
               request=HTTPXRequest(read_timeout=read_timeout))


# --------------------------------------------------------------------------- raw HTTP


async def test_get_me_has_the_shape_of_a_bot_user(emu):
    status, body = await call(emu, "getMe", token="987654:XYZ")
    assert status == 200 and body["ok"] is True
    me = body["result"]
    assert me["id"] == 987654 and me["is_bot"] is True
    assert me["username"] == "journeybot_test_bot" and me["first_name"]
    assert me["can_join_groups"] is True and me["can_read_all_group_messages"] is False


async def test_unknown_method_and_bad_token_answer_like_telegram(emu):
    assert await call(emu, "sendTelepathy") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert await call(emu, "getMe", token="nonsense") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    emu.register_token(TOKEN)
    assert (await call(emu, "getMe", token="123:WRONG"))[0] == 401
    assert (await call(emu, "getme"))[0] == 200  # method names are case-insensitive


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
async def test_send_message_accepts_every_encoding_and_returns_a_message(emu, encoding):
    emu.send_message(42, "hi", user=ALICE)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go:1"}]]}
    status, body = await call(emu, "sendMessage", encoding=encoding, chat_id=42,
                              text="Hello <b>Alice</b>", parse_mode="HTML", reply_markup=markup,
                              reply_parameters={"message_id": 1})
    assert status == 200, body
    message = body["result"]
    assert message["message_id"] == 2  # per chat, after the user's message 1
    assert isinstance(message["date"], int) and abs(message["date"] - time.time()) < 5
    assert message["chat"] == {"id": 42, "type": "private", "first_name": "Alice",
                               "username": "alice"}
    assert message["from"]["is_bot"] is True
    assert message["text"] == "Hello Alice"
    assert message["entities"] == [{"type": "bold", "offset": 6, "length": 5}]
    assert message["reply_markup"] == markup
    assert message["reply_to_message"]["text"] == "hi"
    [recorded] = emu.bot_messages(42)
    assert recorded.raw_text == "Hello <b>Alice</b>" and recorded.parse_mode == "HTML"
    assert recorded.callback_data == ["go:1"]
    assert emu.calls("sendMessage")[0].params["reply_markup"] == markup


async def test_user_messages_carry_command_entities_in_utf16_units(emu):
    message = emu.send_message(-1001, "/add@journeybot_test_bot 😀 #idea @bobby_b")
    assert message["chat"]["type"] == "supergroup"
    command, hashtag, mention = message["entities"]
    assert command == {"type": "bot_command", "offset": 0, "length": 24}
    assert hashtag["type"] == "hashtag" and hashtag["offset"] == 28  # the emoji counts 2
    assert entity_text(message["text"], hashtag) == "#idea"
    assert entity_text(message["text"], mention) == "@bobby_b"


async def test_errors_for_unknown_chats_and_missing_text(emu):
    assert await call(emu, "sendMessage", chat_id=5, text="x") == (
        400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    emu.create_chat(5)
    status, body = await call(emu, "sendMessage", chat_id=5, text="")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await call(emu, "sendMessage", chat_id=5, text="x" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await call(emu, "sendMessage", chat_id=5, text="x",
                              reply_markup={"inline_keyboard": [[
                                  {"text": "too long", "callback_data": "d" * 65}]]})
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"


# --------------------------------------------------------------------------- updates


async def test_long_poll_returns_as_soon_as_an_update_arrives(emu):
    started = time.monotonic()
    poll = asyncio.create_task(call(emu, "getUpdates", timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    emu.send_message(42, "hello", user=ALICE)
    status, body = await asyncio.wait_for(poll, 3)
    assert status == 200 and [u["message"]["text"] for u in body["result"]] == ["hello"]
    assert time.monotonic() - started < 2


async def test_long_poll_times_out_with_an_empty_list(emu):
    started = time.monotonic()
    assert await call(emu, "getUpdates", timeout=0.3) == (200, {"ok": True, "result": []})
    assert 0.25 < time.monotonic() - started < 2


async def test_offset_confirms_updates_and_limit_caps_them(emu):
    ids = [emu.send_message(42, f"m{i}", user=ALICE) and emu.pending_updates()[-1]["update_id"]
           for i in range(4)]
    _, body = await call(emu, "getUpdates", limit=2)
    assert [u["update_id"] for u in body["result"]] == ids[:2]
    _, body = await call(emu, "getUpdates", offset=ids[1] + 1)
    assert [u["update_id"] for u in body["result"]] == ids[2:]
    assert [u["update_id"] for u in emu.pending_updates()] == ids[2:]
    _, body = await call(emu, "getUpdates", offset=-1)
    assert [u["update_id"] for u in body["result"]] == ids[3:]


async def test_allowed_updates_default_excludes_chat_member(emu):
    emu.add_chat_member(-500, BOB, service_message=False)
    emu.send_message(-500, "/start", user=BOB)
    _, body = await call(emu, "getUpdates")
    assert [next(k for k in u if k != "update_id") for u in body["result"]] == ["message"]
    emu.add_chat_member(-500, ALICE, service_message=False)
    _, body = await call(emu, "getUpdates", allowed_updates=["chat_member"])
    kinds = [next(k for k in u if k != "update_id") for u in body["result"]]
    assert kinds == ["chat_member"]


async def test_a_second_poller_ends_the_first_with_409(emu):
    first = asyncio.create_task(call(emu, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = await call(emu, "getUpdates", timeout=0)
    status, body = await asyncio.wait_for(first, 2)
    assert second[0] == 200
    assert status == 409 and body["description"].startswith("Conflict: terminated by other")


async def test_privacy_mode_hides_plain_group_messages(emu):
    emu.send_message(-300, "just chatting", user=BOB)
    emu.send_message(-300, "/help@other_bot", user=BOB)
    emu.send_message(-300, "/help", user=BOB)
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["/help"]
    emu.set_privacy_mode(False)
    emu.send_message(-300, "now visible", user=BOB)
    assert emu.pending_updates()[-1]["message"]["text"] == "now visible"


@pytest.mark.parametrize("status", ["left", "kicked", "restricted-left"])
async def test_a_bot_out_of_a_group_gets_no_updates_and_may_not_send(emu, status):
    """Restricted with is_member false is out of the group, as left and kicked are."""
    emu.send_message(-310, "/help", user=BOB)
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["/help"]
    emu.set_bot_status(-310, status, by=BOB)
    emu.send_message(-310, "/start", user=BOB)
    assert "message" not in emu.pending_updates()[-1]  # only the bot's my_chat_member
    status_code, body = await call(emu, "sendMessage", chat_id=-310, text="hello?")
    assert status_code == 403 and body["description"].startswith("Forbidden: bot ")


async def test_wait_for_times_out_with_a_useful_message(emu):
    with pytest.raises(TimeoutError, match="1 bot message"):
        await emu.wait_for_messages(42, 1, timeout=0.05)


# --------------------------------------------------------------------------- faults & limits


async def test_injected_faults_use_telegram_error_bodies(emu):
    emu.create_chat(42, user=ALICE)
    emu.inject("sendMessage", status=429, retry_after=7)
    emu.inject("sendMessage", status=403, chat_id=99)
    emu.inject("sendMessage", status=502, times=2)
    assert await call(emu, "sendMessage", chat_id=42, text="x") == (429, {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7}})
    assert (await call(emu, "sendMessage", chat_id=42, text="x"))[1]["description"] == (
        "Bad Gateway")
    assert (await call(emu, "sendMessage", chat_id=42, text="x"))[0] == 502
    assert (await call(emu, "sendMessage", chat_id=42, text="x"))[0] == 200
    emu.create_chat(99)
    assert (await call(emu, "sendMessage", chat_id=99, text="x"))[1]["description"] == (
        "Forbidden: bot was blocked by the user")
    assert [c.error_code for c in emu.calls("sendMessage")] == [429, 502, 502, None, 403]


async def test_group_flood_control_answers_429_with_retry_after(emu):
    emu.create_chat(-200)
    emu.set_rate_limits(global_per_second=None, per_group_per_minute=20)
    for _ in range(20):
        assert (await call(emu, "sendMessage", chat_id=-200, text="x"))[0] == 200
    status, body = await call(emu, "sendMessage", chat_id=-200, text="x")
    assert status == 429 and 55 <= body["parameters"]["retry_after"] <= 60
    emu.create_chat(42)
    assert (await call(emu, "sendMessage", chat_id=42, text="private is fine"))[0] == 200
    assert (await call(emu, "sendChatAction", chat_id=-200, action="typing"))[0] == 200


async def test_global_flood_control_counts_every_chat(emu):
    for chat_id in range(1, 5):
        emu.create_chat(chat_id)
    emu.set_rate_limits(global_per_second=3)
    codes = [(await call(emu, "sendMessage", chat_id=c, text="x"))[0] for c in range(1, 5)]
    assert codes == [200, 200, 200, 429]


# --------------------------------------------------------------------------- markup


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", 'Unescaped "&"'),
    ],
)
async def test_html_parse_errors_are_400_like_telegram(emu, text, error):
    emu.create_chat(42)
    status, body = await call(emu, "sendMessage", chat_id=42, text=text, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith(f"Bad Request: can't parse entities: {error}")
    assert emu.bot_messages(42) == []


def test_html_renders_text_and_utf16_entities():
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> &lt;tag&gt; &amp; <a href="https://x.org">link</a> '
        '<pre><code class="language-python">x = 1</code></pre>')
    assert text == "😀 bold both <tag> & link x = 1"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 21, "length": 4, "url": "https://x.org"},
        {"type": "pre", "offset": 26, "length": 5, "language": "python"},
    ]


def test_markdown_v2_requires_escaping_reserved_characters():
    assert parse_markdown_v2(r"*Hi* there\.")[0] == "Hi there."
    with pytest.raises(MarkupError, match=r"Character '\.' is reserved"):
        parse_markdown_v2("Hi there.")


# --------------------------------------------------------------------------- PTB application


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echoes the text back with a button."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Like", callback_data="like")]])
    await update.message.reply_text(f"You said: {update.message.text}", reply_markup=keyboard)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the user in HTML."""
    await update.message.reply_html(f"Hello, <b>{update.effective_user.first_name}</b>!")


async def liked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the button press and edits the message."""
    await update.callback_query.answer("Thanks!")
    await update.callback_query.edit_message_text(f"{update.callback_query.message.text} ❤️")


@pytest.fixture
async def app(emu):
    application = (
        Application.builder().token(TOKEN).base_url(emu.base_url)
        .base_file_url(emu.base_file_url).build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(liked))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_ptb_application_echoes_and_edits_on_button_press(emu, app):
    emu.send_message(42, "/start", user=ALICE)
    [greeting] = await emu.wait_for_messages(42, 1)
    assert greeting.text == "Hello, Alice!"
    assert greeting.entities == [{"type": "bold", "offset": 7, "length": 5}]

    emu.send_message(42, "my journey", user=ALICE)
    messages = await emu.wait_for_messages(42, 2)
    reply = messages[1]
    assert reply.text == "You said: my journey" and reply.callback_data == ["like"]
    assert "reply_to_message" not in reply.message  # PTB 22 quotes only in groups

    query = emu.press_button(42, reply.message_id, "like", user=ALICE)
    await emu.wait_for(lambda: emu.bot_messages(42)[1].edits)
    edited = emu.bot_messages(42)[1]
    assert edited.text == "You said: my journey ❤️"
    assert edited.reply_markup is None  # editMessageText without reply_markup drops it
    assert edited.edits[0]["text"] == "You said: my journey"
    assert "edit_date" in edited.message
    await emu.wait_for(lambda: emu.answered_callbacks)
    assert emu.answered_callbacks[0]["callback_query_id"] == query["id"]
    assert emu.answered_callbacks[0]["text"] == "Thanks!"


async def test_a_reaction_is_set_replaced_and_checked(emu, app):
    from telegram import ReactionTypeEmoji
    from telegram.error import BadRequest

    sent = emu.send_message(-42, "a note", user=ALICE, title="Team")
    message_id = sent["message_id"]
    def reactions() -> list[dict]:
        return next(m for m in emu.messages(-42) if m.message_id == message_id).reactions

    await app.bot.set_message_reaction(-42, message_id, "✍")
    assert reactions() == [{"type": "emoji", "emoji": "✍"}]
    await app.bot.set_message_reaction(-42, message_id, [ReactionTypeEmoji("👌")])
    assert reactions() == [{"type": "emoji", "emoji": "👌"}]
    with pytest.raises(BadRequest, match=r"(?i)reaction_invalid"):
        await app.bot.set_message_reaction(-42, message_id, "🦆")
    with pytest.raises(BadRequest, match="not found"):
        await app.bot.set_message_reaction(-42, 999_999, "👌")
    await app.bot.set_message_reaction(-42, message_id, [])
    assert reactions() == []


async def test_press_button_checks_the_keyboard_unless_forced(emu, app):
    emu.send_message(42, "hi", user=ALICE)
    [reply] = await emu.wait_for_messages(42, 1)
    with pytest.raises(LookupError, match="no button"):
        emu.press_button(42, reply.message_id, "forged")
    with pytest.raises(LookupError, match="no bot message"):
        emu.press_button(42, 999, "like")
    emu.press_button(42, reply.message_id, "forged", force=True)
    await emu.wait_for(lambda: emu.answered_callbacks)


async def test_ptb_errors_map_from_emulator_answers(emu, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    emu.create_chat(42, user=ALICE)
    async with ptb_bot(emu) as bot:
        emu.inject("sendMessage", status=429, retry_after=13)
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(42, "x")
        assert retry.value.retry_after == dtm.timedelta(seconds=13)

        message = await bot.send_message(42, "same")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("same", chat_id=42, message_id=message.message_id)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("new", chat_id=42, message_id=999)
        with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
            await bot.send_message(42, "1 < 2", parse_mode=ParseMode.HTML)

        emu.block_bot(42)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(42, "still there?")
        emu.send_message(42, "/start", user=ALICE)  # writing again unblocks
        await bot.send_message(42, "welcome back")


async def test_delay_fault_makes_ptb_time_out_but_the_message_is_sent(emu):
    emu.create_chat(42, user=ALICE)
    emu.inject("sendMessage", delay=0.5)
    async with ptb_bot(emu, read_timeout=0.1) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(42, "slow")
    await emu.wait_for_messages(42, 1)


async def test_ptb_invalid_token(emu):
    emu.register_token("555:OTHER")
    with pytest.raises(InvalidToken):
        async with ptb_bot(emu):
            pass


async def test_upload_and_download_roundtrip_through_ptb(emu):
    emu.create_chat(42, user=ALICE)
    png = tiny_png(3, 2)
    async with ptb_bot(emu) as bot:
        photo_message = await bot.send_photo(42, png, caption="<i>map</i>",
                                              parse_mode=ParseMode.HTML)
        assert (photo_message.photo[-1].width, photo_message.photo[-1].height) == (3, 2)
        assert photo_message.caption == "map"
        doc_message = await bot.send_document(42, b"stage,note\n1,slow\n",
                                              filename="journey.csv")
        document = doc_message.document
        assert (document.file_name, document.mime_type, document.file_size) == (
            "journey.csv", "text/csv", 18)
        photo_file = await bot.get_file(photo_message.photo[-1].file_id)
        assert bytes(await photo_file.download_as_bytearray()) == png
        doc_file = await bot.get_file(document.file_id)
        assert bytes(await doc_file.download_as_bytearray()) == b"stage,note\n1,slow\n"
        with pytest.raises(BadRequest, match="Image_process_failed"):
            await bot.send_photo(42, b"not an image")
        resent = await bot.send_photo(42, photo_message.photo[-1].file_id)
        assert resent.photo[-1].file_id == photo_message.photo[-1].file_id
    photo_record, doc_record, _ = emu.bot_messages(42)
    assert photo_record.files[0].data == png and photo_record.caption == "map"
    assert doc_record.document == b"stage,note\n1,slow\n"


async def test_user_photo_can_be_downloaded_by_the_bot(emu):
    message = emu.send_photo(42, caption="receipt", user=ALICE)
    async with ptb_bot(emu) as bot:
        file = await bot.get_file(message["photo"][-1]["file_id"])
        assert bytes(await file.download_as_bytearray()) == tiny_png()


async def test_members_chat_info_and_commands_through_ptb(emu):
    emu.add_chat_member(-100500, ALICE, status="creator", title="Shop team")
    emu.add_chat_member(-100500, BOB)
    emu.set_bot_status(-100500, "administrator", by=ALICE)
    async with ptb_bot(emu) as bot:
        assert (await bot.get_chat_member(-100500, ALICE.id)).status == "creator"
        assert (await bot.get_chat_member(-100500, BOB.id)).status == "member"
        assert (await bot.get_chat_member(-100500, 31337)).status == "left"
        admins = await bot.get_chat_administrators(-100500)
        assert {a.user.id for a in admins} == {ALICE.id, bot.id}
        chat = await bot.get_chat(-100500)
        assert (chat.type, chat.title) == ("supergroup", "Shop team")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.get_chat_member(42, 42)
    emu.set_member_status(-100500, BOB.id, "kicked")
    assert emu.member_status(-100500, BOB.id) == "kicked"


async def test_set_my_commands_roundtrip(emu):
    async with ptb_bot(emu) as bot:
        await bot.set_my_commands([("start", "Start"), ("map", "Show the map")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "map"]
        with pytest.raises(BadRequest, match="Bot_command_invalid"):
            await bot.set_my_commands([("Bad-Name", "x")])
        await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
    assert emu.commands() == []


def test_sync_waiting_from_another_thread_and_a_standalone_server():
    with TelegramEmulator() as other:
        timer = threading.Timer(0.1, other.send_message, args=(1, "hello"))
        timer.start()
        updates = other.wait_for_sync(other.pending_updates, timeout=2)
        timer.join()
        assert updates[0]["message"]["text"] == "hello"
        with pytest.raises(TimeoutError):
            other.wait_for_messages_sync(1, timeout=0.05)
    assert not other.server.running
