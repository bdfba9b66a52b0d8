"""The inbox (issue 13 §2) and admission at arrival (§3): storage rules, the pure gate, and the
bot taking back what the inbox held after a stop (the SIGKILL runs are in test_durability.py).
"""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Update

from bot.core.admission import BUSY, RATE, ArrivalGate
from bot.core.limits import RateLimiter
from bot.texts import t
from storage.db import open_db
from storage.inbox import (
    is_known_update,
    keep_update,
    mark_update_handled,
    owed_note_id,
    record_note,
    start_update,
    waiting_updates,
)
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

BOT = 123456
ANN = User(8101, "Ann", language_code="en")
OLA = User(8102, "Ola", language_code="pl")


# --- storage -------------------------------------------------------------------------------


def test_an_update_is_kept_once_and_moves_to_handled_when_done(db):
    assert keep_update(db, BOT, 5, 1, 1, {"update_id": 5}) is True
    assert keep_update(db, BOT, 5, 1, 1, {"update_id": 5}) is False  # redelivered
    assert is_known_update(db, BOT, 5) and not is_known_update(db, BOT + 1, 5)
    assert mark_update_handled(db, BOT, 5, 1) is True
    assert waiting_updates(db, BOT) == []
    assert keep_update(db, BOT, 5, 1, 1, {"update_id": 5}) is False  # handled: still known
    assert is_known_update(db, BOT, 5)


def test_waiting_updates_come_back_in_order_with_their_state(db):
    for update_id in (9, 3, 7):
        keep_update(db, BOT, update_id, 1, 1, {"update_id": update_id, "x": "ż"})
    start_update(db, BOT, 3, replayable=True)
    start_update(db, BOT, 7, replayable=False)
    start_update(db, BOT, 7, replayable=True)  # once claimed, always claimed
    record_note(db, BOT, 9, 42)
    entries = waiting_updates(db, BOT)
    assert [e.update_id for e in entries] == [3, 7, 9]
    assert [(e.attempts, e.replayable, e.note_id) for e in entries] == [
        (1, True, None),
        (2, False, None),
        (0, True, 42),
    ]
    assert entries[0].payload == {"update_id": 3, "x": "ż"}
    assert owed_note_id(db, BOT, 9) == 42 and owed_note_id(db, BOT, 3) is None


# --- the arrival gate (pure) ---------------------------------------------------------------


def gate(**kwargs) -> ArrivalGate:
    opened = ArrivalGate(RateLimiter(burst=kwargs.pop("burst", 100)), **kwargs)
    opened.open(0.0)
    return opened


def test_a_chats_queue_is_bounded_and_takes_more_as_updates_are_handled():
    arrivals = gate(per_chat=3, total=100)
    verdicts = [arrivals.admit(1, 7, now=1.0, sent_at=1.0) for _ in range(5)]
    assert [v.accepted for v in verdicts] == [True, True, True, False, False]
    assert (verdicts[3].reason, verdicts[3].notify, verdicts[4].notify) == (BUSY, True, False)
    assert arrivals.admit(2, 8, now=1.0, sent_at=1.0).accepted  # another chat is not affected
    arrivals.finished(1)
    assert arrivals.admit(1, 7, now=1.5, sent_at=1.5).accepted
    assert arrivals.queued(1) == 3 and arrivals.queued() == 4


def test_busy_chats_share_the_total_equally():
    arrivals = gate(per_chat=10, total=6)
    rounds = [[arrivals.admit(chat, chat, now=1.0, sent_at=1.0).accepted for chat in (1, 2, 3)]
              for _ in range(4)]  # three chats typing at once: two places each
    assert rounds == [[True] * 3, [True] * 3, [False] * 3, [False] * 3]
    assert arrivals.queued() == 6
    alone = gate(per_chat=10, total=6)  # a chat alone may take the whole total
    assert sum(alone.admit(1, 1, now=1.0, sent_at=1.0).accepted for _ in range(9)) == 6


def test_the_total_is_never_exceeded_twice_over_however_many_chats():
    arrivals = gate(per_chat=10, total=5)
    taken = sum(arrivals.admit(chat, chat, now=1.0, sent_at=1.0).accepted for chat in range(50))
    assert taken == 10  # one each for 2 × total chats, then nothing


def test_below_the_total_nothing_is_rationed_however_many_chats_are_busy():
    """50 people who each write again as soon as they see the answer: every chat holds one
    note being answered and sends the next; the bot holds far less than its total."""
    arrivals = gate(per_chat=10, total=84)
    first = [arrivals.admit(chat, chat, now=1.0, sent_at=1.0).accepted for chat in range(50)]
    second = [arrivals.admit(chat, chat, now=1.0, sent_at=1.0).accepted for chat in range(20)]
    assert all(first) and all(second) and arrivals.queued() == 70
    # from the total on, each busy chat gets its share: 84 // 50 = 1, and these hold 2 already
    more = [arrivals.admit(chat, chat, now=1.0, sent_at=1.0).accepted for chat in range(20)]
    assert sum(more) == 14 and arrivals.queued() == 84
    assert not arrivals.admit(30, 30, now=1.0, sent_at=1.0).accepted  # holds 1, its share


def test_the_allowance_is_spent_when_a_message_was_sent():
    arrivals = gate(per_chat=100, total=1000, burst=3)
    # sent a minute apart while the bot was down, fetched together: all within the allowance
    assert all(arrivals.admit(1, 7, now=900.0, sent_at=60.0 * n).accepted for n in range(6))
    flood = [arrivals.admit(1, 7, now=900.0, sent_at=899.0) for _ in range(5)]
    assert [v.accepted for v in flood] == [True, True, True, False, False]
    assert flood[3].reason == RATE and flood[3].notify


def test_a_backlog_is_not_held_to_the_queue_bound():
    arrivals = ArrivalGate(RateLimiter(burst=20), per_chat=2, total=4)
    arrivals.open(100.0)
    before_start = [arrivals.admit(1, 7, now=100.5, sent_at=90.0).accepted for _ in range(20)]
    assert all(before_start)
    assert not arrivals.admit(1, 7, now=100.5, sent_at=100.5).accepted  # live: bounded


def test_one_notice_per_person_a_minute_whatever_the_reason():
    arrivals = gate(per_chat=1, total=100, burst=1)
    assert arrivals.admit(1, 7, now=0.0, sent_at=0.0).accepted
    busy = arrivals.admit(1, 7, now=0.0, sent_at=0.0)
    arrivals.finished(1)
    over = arrivals.admit(1, 7, now=1.0, sent_at=1.0)
    assert (busy.reason, busy.notify) == (BUSY, True)
    assert (over.reason, over.notify) == (RATE, False)  # told a second ago
    assert arrivals.admit(1, 7, now=61.0, sent_at=61.0).accepted  # refilled
    arrivals.finished(1)
    assert arrivals.admit(1, 7, now=61.0, sent_at=61.0).notify  # a new flood, a minute on
    with pytest.raises(ValueError):
        ArrivalGate(per_chat=0)


# --- the bot: what the inbox held when it stopped ------------------------------------------


async def test_after_a_stop_notes_are_handled_once_and_begun_steps_not_again(emu, tmp_path):
    """Rows as a SIGKILL leaves them: a note never started, a note stored but not acknowledged,
    a /newmap whose handling had begun. At start the first is stored and acknowledged, the
    second acknowledged (not stored again), the third dropped — in order, inbox empty."""
    bot = BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False)
    async with bot:
        ann = Person(bot, ANN.id, ANN)
        await ann.says("/start")
        stored = await ann.says("The parcel came a week late")
        note_id = int(stored[-1].callback_data[-1].rsplit(":", 1)[1])
        bot_id = bot.app.bot.id
    for text in ("Nobody answered the phone", "The parcel came a week late", "/newmap X"):
        emu.send_message(ANN.id, text, user=ANN)
    updates = emu.pending_updates()  # fetched by the bot that was killed: in its inbox
    db = open_db(bot.db_path)
    for update in updates:
        keep_update(db, bot_id, update["update_id"], ANN.id, ANN.id, update)
    record_note(db, bot_id, updates[1]["update_id"], note_id)  # stored, not acknowledged
    start_update(db, bot_id, updates[1]["update_id"], replayable=True)
    start_update(db, bot_id, updates[2]["update_id"], replayable=False)  # /newmap had begun
    db.close()
    before = len(emu.bot_messages(ANN.id))
    async with bot:
        bot.expected = 2
        await bot.settle()
        new = emu.bot_messages(ANN.id)[before:]
        assert [m.text[:1] for m in new] == ["📌", "📌"]
        assert new[1].callback_data[-1] == f"nb:undo:{note_id}"  # owed: acknowledged again
        texts = [r[0] for r in bot.db.execute("SELECT text FROM notes ORDER BY id")]
        assert texts == ["The parcel came a week late", "Nobody answered the phone"]
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert bot.db.execute("SELECT count(*) FROM maps").fetchone()[0] == 1  # no map "X"


async def test_a_shed_message_gets_one_notice_in_the_chats_language(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        bot.app.update_queue.gate = ArrivalGate(RateLimiter(), per_chat=1, total=100)
        bot.app.update_queue.gate.open(0.0)
        ola = Person(bot, OLA.id, OLA)
        await ola.says("/start")
        for n in range(6):
            emu.send_message(OLA.id, f"Kurier spóźnił się {n} dni", user=OLA)
        bot.expected += 6
        await bot.settle()
        await emu.wait_for(
            lambda: any(m.text.startswith("⏳") for m in emu.bot_messages(OLA.id)), timeout=5
        )
        await asyncio.sleep(0.2)  # a second notice would come now
        notices = [m.text for m in emu.bot_messages(OLA.id) if m.text.startswith("⏳")]
        assert notices == [t("pl", "limit.busy")]
        assert "nie została zapisana" in notices[0]
        stored = bot.db.execute("SELECT count(*) FROM notes").fetchone()[0]
        assert 1 <= stored < 6 and bot.app.update_queue.shed == 6 - stored


async def test_a_webhook_hands_updates_over_once_they_are_in_the_inbox(emu, tmp_path):
    """What a webhook does before answering 200: `receive_all` returns once every update is
    written to the inbox (or shed); the same update delivered again is ignored."""
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        queue = bot.app.update_queue
        message = {
            "message_id": 77, "date": int(time.time()), "text": "Parcel arrived late",
            "chat": {"id": ANN.id, "type": "private", "first_name": "Ann"},
            "from": {"id": ANN.id, "is_bot": False, "first_name": "Ann"},
        }  # fmt: skip
        update = Update.de_json({"update_id": 900_001, "message": message}, bot.app.bot)
        await queue.receive_all([update])
        rows = bot.db.execute("SELECT update_id, payload FROM inbox").fetchall()
        handled = bot.db.execute("SELECT update_id FROM handled_updates").fetchall()
        assert (900_001,) in [(r[0],) for r in rows] + handled  # written before returning
        bot.expected += 1
        await bot.settle()
        await queue.receive_all([update])  # Telegram retried: not handled twice
        await asyncio.sleep(0.1)
        assert bot.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0


async def test_an_answered_update_leaves_the_inbox_and_frees_its_place_at_once(emu, tmp_path):
    """A private note's acknowledgement (`answered`) takes its update out of the inbox and
    frees its place in the chat's queue before the handling ends, so the person's next note is
    taken even where the chat may hold only one; the end of the handling (`finished`) then
    changes nothing: no second transaction, no place freed twice."""
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        queue = bot.app.update_queue
        queue.gate = ArrivalGate(RateLimiter(), per_chat=1, total=100)
        queue.gate.open(0.0)

        def note(update_id: int, text: str) -> Update:
            message = {
                "message_id": update_id, "date": int(time.time()), "text": text,
                "chat": {"id": ANN.id, "type": "private", "first_name": "Ann"},
                "from": {"id": ANN.id, "is_bot": False, "first_name": "Ann"},
            }  # fmt: skip
            return Update.de_json({"update_id": update_id, "message": message}, bot.app.bot)

        first, second = note(900_101, "Parcel arrived late"), note(900_102, "Nobody called")
        assert queue.receive(first) and queue.gate.queued(ANN.id) == 1
        queue.answered(first)
        assert queue.gate.queued(ANN.id) == 0
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert queue.receive(second)  # taken: the first one's place is free
        statements: list[str] = []
        bot.db.conn.set_trace_callback(statements.append)
        queue.finished(first)  # its handling ends after the answer
        bot.db.conn.set_trace_callback(None)
        assert statements == [] and queue.gate.queued(ANN.id) == 1  # the second still counted
        queue.finished(second)  # not answered early: out of the inbox now
        assert queue.gate.queued(ANN.id) == 0
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        handled = bot.db.execute(
            "SELECT update_id FROM handled_updates WHERE update_id > 900000 ORDER BY update_id"
        ).fetchall()
        assert handled == [(900_101,), (900_102,)]


async def test_an_update_the_inbox_cannot_store_is_apologised_for_and_taken_later(emu, tmp_path):
    """The database refuses the inbox write (here: a trigger, as a full or read-only disk
    would): the sender is told, in their language, that it was not saved — once, however often
    Telegram sends it again — and the update stays with Telegram; when the database works
    again, the note is stored once."""
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        ola = Person(bot, OLA.id, OLA)
        await ola.says("/start")
        bot.db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'disk full');"
            " END"
        )
        emu.send_message(OLA.id, "Kurier spóźnił się dwa dni", user=OLA)
        apology = t("pl", "error.database")
        await emu.wait_for(
            lambda: any(m.text == apology for m in emu.bot_messages(OLA.id)), timeout=10
        )
        await asyncio.sleep(1.0)  # the Updater retries the batch meanwhile
        assert [m.text for m in emu.bot_messages(OLA.id)].count(apology) == 1
        assert bot.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
        bot.db.execute("DROP TRIGGER refuse")
        bot.expected += 1
        await emu.wait_for(
            lambda: bot.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 1, timeout=30
        )
        await bot.settle()
        assert bot.db.execute("SELECT text FROM notes").fetchall() == [
            ("Kurier spóźnił się dwa dni",)
        ]
