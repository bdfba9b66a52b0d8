"""Telegram faults, injected with the emulator: the bot retries what should be retried, gives up
cleanly on the rest, never stores a note twice, never loops, and handles the next update normally.

What the bot does, fault by fault (bot/replies.py, bot/flows/add_note.py, bot/errors.py):

* **429 Too Many Requests** — with the rate limiter (as in production) the call waits
  `retry_after` and goes out again: the user gets every message once.
* **5xx / refused connection** on sending a message — the message did not go out, so `reply()`
  sends it again after 0.25 s and 1 s; after three failures it gives up (logged, no apology
  loop). The note is stored *before* anything is said about it (also the "I started a map"
  notice), so a failed acknowledgement never loses a note, and as the update is recorded as
  handled it is never stored twice.
* **Timeout** — not retried: Telegram may well have sent the message (the emulator does, late),
  and a retry would say everything twice. The note is stored once; the late answer arrives.
* **403 bot was blocked** — nothing is retried; the note is stored; the next update (the user
  writes again, which unblocks) is handled normally.
* **400 message is not modified** on an edit — nothing to do; **400 message to edit not found**
  — the answer is sent as a new message instead.
"""

from __future__ import annotations

import pytest

from bot.replies import SEND_RETRY_DELAYS
from bot.texts import t
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(901, "Anna", language_code="en")
NOTE = "the card terminal was broken at the till"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, rate_limit=True) as bot:
        yield bot


def stored(bot: BotUnderTest, text: str) -> int:
    return bot.db.execute("SELECT count(*) FROM notes WHERE text = ?", [text]).fetchone()[0]


def sends(bot: BotUnderTest) -> list:
    return bot.emu.calls("sendMessage")


async def first_note(anna: Person) -> None:
    """A map and one note already exist, so a note gets exactly one message back."""
    await anna.says("/note we post on instagram every day")


async def test_flood_control_is_waited_out_and_every_message_goes_out_once(bot):
    anna = Person(bot, ANNA.id, ANNA)
    bot.emu.inject("sendMessage", status=429, retry_after=1)
    replies = await anna.says(NOTE)
    assert stored(bot, NOTE) == 1
    texts = [m.text for m in replies]
    assert len(texts) == len(set(texts)) == 2  # "I started a map" and the acknowledgement
    assert [c.error_code for c in sends(bot)] == [429, None, None]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_error_on_the_acknowledgement_is_retried_and_the_note_stored_once(
    bot, status
):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", status=status, times=2)
    replies = await anna.says(NOTE)
    assert stored(bot, NOTE) == 1
    assert len(replies) == 1 and "Undo" in " ".join(replies[0].button_texts)
    assert [c.error_code for c in sends(bot)[before:]] == [status, status, None]


async def test_a_lasting_server_error_gives_up_after_a_few_tries_and_keeps_the_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    bot.emu.inject("sendMessage", status=500, times=None)
    assert await anna.says(NOTE) == []  # the map notice fails: the note is stored all the same
    assert stored(bot, NOTE) == 1
    assert len(sends(bot)) == len(SEND_RETRY_DELAYS) + 1  # bounded: no loop, no apology storm
    bot.emu.clear_faults()
    ack = await anna.says("/map text")  # the next update is handled normally
    assert NOTE in "\n".join(m.text for m in ack)
    assert stored(bot, NOTE) == 1


async def test_a_timed_out_acknowledgement_is_not_sent_twice(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", delay=5.5)  # longer than PTB's 5 s read timeout
    await anna.says(NOTE)
    late = await bot.emu.wait_for(lambda: len(sends(bot)) > before, timeout=5)
    assert late and stored(bot, NOTE) == 1
    note_id = bot.db.execute("SELECT id FROM notes WHERE text = ?", [NOTE]).fetchone()[0]
    acks = [m for m in bot.emu.bot_messages(ANNA.id) if f"nb:undo:{note_id}" in m.callback_data]
    assert len(acks) == 1  # Telegram sent it; the bot did not send it again
    assert len(sends(bot)) == before + 1
    replies = await anna.says("/help")
    assert len(replies) == 1 and "/newmap" in replies[0].text


async def test_a_user_who_blocked_the_bot_is_not_retried_and_the_note_is_kept(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", status=403, times=1)  # Forbidden: bot was blocked by the user
    assert await anna.says(NOTE) == []
    assert stored(bot, NOTE) == 1
    assert [c.error_code for c in sends(bot)[before:]] == [403]
    replies = await anna.says("delivery came two hours late")  # writing again unblocks
    assert len(replies) == 1 and stored(bot, "delivery came two hours late") == 1


async def test_edits_that_telegram_refuses_are_handled(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    ack = (await anna.says(NOTE))[-1]
    bot.emu.inject("editMessageText", status=400, description="Bad Request: message is not "
                   "modified: specified new message content and reply markup are exactly the same "
                   "as a current content and reply markup of the message")
    assert await anna.presses("Change kind", ack) == []
    assert anna.last_answer()["text"] is None  # answered once, without an apology
    bot.emu.inject("editMessageText", status=400,
                   description="Bad Request: message to edit not found")
    sent = await anna.presses("Change stage", ack)
    assert len(sent) == 1 and sent[0].callback_data  # the picker came as a new message
    stage = bot.db.execute(
        "SELECT s.key FROM notes n JOIN stages s ON s.id = n.stage_id WHERE n.text = ?", [NOTE]
    ).fetchone()
    picked = await anna.presses("Awareness" if stage != ("awareness",) else "Advocacy", sent[0])
    assert picked == [] and stored(bot, NOTE) == 1
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1


async def test_a_failing_button_answer_changes_nothing_and_the_next_press_works(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    ack = (await anna.says(NOTE))[-1]
    bot.emu.inject("answerCallbackQuery", status=502, times=1)
    await anna.presses("Undo", ack)
    assert stored(bot, NOTE) == 1  # the press failed before anything happened
    await anna.presses("Undo", ack)
    assert stored(bot, NOTE) == 0
    assert anna.message(ack.message_id).text == t("en", "note.undone", number=2)


async def test_polling_survives_a_bad_gateway(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    bot.emu.inject("getUpdates", status=502, times=1)
    replies = await anna.says(NOTE)  # delivered once the next poll succeeds
    assert len(replies) == 1 and stored(bot, NOTE) == 1


async def test_a_bad_request_is_logged_with_its_traceback_and_apologised_for(bot, caplog):
    """Issue 12 item 21: BadRequest is a NetworkError subclass in PTB; it used to be taken for
    a passing network failure — a warning, no traceback, the user left waiting."""
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    bot.emu.inject("sendMessage", status=400, description="Bad Request: can't parse entities",
                   times=1)
    with caplog.at_level("WARNING", logger="bot.errors"):
        replies = await anna.says(NOTE)
    assert [m.text for m in replies] == [t("en", "error.generic")]
    errors = [r for r in caplog.records if r.name == "bot.errors" and r.levelname == "ERROR"]
    assert errors and errors[0].exc_info is not None
    assert stored(bot, NOTE) == 1


async def test_the_error_handler_never_raises_even_when_the_database_is_gone(caplog):
    """An error whose handling fails too (the database is closed) is logged, never raised."""
    from types import SimpleNamespace

    from telegram import Chat, Message, Update
    from telegram import User as TelegramUser

    from bot.errors import handle_error

    chat = Chat(5, "private")
    message = Message(1, None, chat, from_user=TelegramUser(5, "Anna", False), text="x")
    update = Update(1, message=message)

    class Broken:
        chat_record = None
        error = RuntimeError("boom")
        lang = "en"

        @property
        def db(self):
            raise RuntimeError("database closed")

    context = Broken()
    context.bot = SimpleNamespace()
    with caplog.at_level("WARNING"):
        await handle_error(update, context)  # must not raise
    assert any("boom" in repr(r.exc_info) or "unhandled" in r.getMessage()
               for r in caplog.records)
