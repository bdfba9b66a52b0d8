"""Limits: a flooding user is throttled politely (one notice, other chats keep being answered
promptly), and the size limits — note length, maps per chat, stages per map — answer with a
clear message in the chat's language."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.core.admission import PER_CHAT
from bot.core.limits import BURST, PER_MINUTE, RateLimiter, SlidingWindow
from bot.core.model import MAX_MAPS_PER_CHAT, MAX_NOTE_LENGTH, MAX_STAGES, STAGE_KEYS
from bot.pacing import TelegramPacing, is_group_chat
from bot.texts import t
from storage.maps import create_map, list_maps
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, button_data

FLOODER = User(701, "Flo", language_code="en")
BYSTANDER = User(702, "Bea", language_code="en")
OLA = User(703, "Ola", language_code="pl")
OKSANA = User(704, "Оксана", language_code="uk")
BOYAN = User(705, "Боян", language_code="bg")
REFILL_PER_SECOND = PER_MINUTE / 60


# --- the token bucket (pure) ---------------------------------------------------------------


def test_bucket_allows_a_burst_then_refuses_with_one_notice():
    limiter = RateLimiter(burst=3, per_minute=60, notice_every=60)
    verdicts = [limiter.check("a", now=100.0) for _ in range(6)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False, False]
    assert [v.notify for v in verdicts] == [False, False, False, True, False, False]


def test_bucket_refills_with_time_and_notices_again_only_after_a_while():
    limiter = RateLimiter(burst=2, per_minute=60, notice_every=30)
    for _ in range(3):
        limiter.check("a", now=0.0)
    assert limiter.check("a", now=0.5).allowed is False  # half a token
    assert limiter.check("a", now=1.5).allowed is True  # one token back after a second
    assert limiter.check("a", now=1.6).notify is False  # still inside the first flood's notice
    refused = limiter.check("a", now=31.0)
    assert refused.allowed is True  # refilled
    limiter.check("a", now=31.0)
    assert limiter.check("a", now=31.0).notify is True  # a new flood, 30 s later: new notice


def test_buckets_are_independent_and_never_hold_more_than_the_burst():
    limiter = RateLimiter(burst=2, per_minute=60)
    assert limiter.check(("chat", 1), now=0).allowed and limiter.check(("chat", 1), now=0).allowed
    assert not limiter.check(("chat", 1), now=0).allowed
    assert limiter.check(("chat", 2), now=0).allowed
    allowed = [limiter.check(("chat", 1), now=3600).allowed for _ in range(3)]
    assert allowed == [True, True, False]  # an hour idle gives the burst, not 3600 tokens


def test_idle_buckets_are_forgotten_when_many_users_are_tracked():
    limiter = RateLimiter(burst=1, per_minute=60, max_tracked=3)
    for key in "abc":
        limiter.check(key, now=0)
    limiter.check("d", now=10)  # a, b, c are full again: forgotten
    assert not limiter.check("d", now=10).allowed
    assert limiter.check("a", now=10).allowed
    with pytest.raises(ValueError):
        RateLimiter(burst=0)


# --- through the emulator ------------------------------------------------------------------


@pytest.fixture
async def bot(emu, tmp_path):
    # the classifier is loaded at start, as deployed
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


def acks(emu, chat_id: int) -> list[str]:
    return [m.text for m in emu.bot_messages(chat_id) if m.text.startswith("📌")]


def notices(emu, chat_id: int) -> list[str]:
    return [m.text for m in emu.bot_messages(chat_id) if m.text.startswith("⏳")]


async def test_a_flood_of_1000_notes_is_throttled_and_other_chats_are_answered_promptly(bot):
    emu = bot.emu
    sent_help: list[float] = []

    def flood() -> None:
        for n in range(1000):
            emu.send_message(FLOODER.id, f"Note number {n}: the queue was long", user=FLOODER)
            if n == 500:  # someone else asks for help in the middle of the flood
                sent_help.append(time.time())
                emu.send_message(BYSTANDER.id, "/help", user=BYSTANDER)

    started = time.monotonic()
    bot.expected += 1001
    await asyncio.to_thread(flood)
    answered = await emu.wait_for(
        lambda: [c for c in emu.calls("sendMessage") if int(c.params["chat_id"]) == BYSTANDER.id],
        timeout=10,
    )
    help_latency = answered[0].time - sent_help[0]
    await bot.settle(timeout=60)
    elapsed = time.monotonic() - started
    print(f"\n/help answered in {help_latency:.2f} s during the flood")
    assert "/newmap" in emu.bot_messages(BYSTANDER.id)[0].text
    assert help_latency < 1.5, f"/help waited {help_latency:.2f} s behind the flood"
    stored = bot.db.execute("SELECT count(*) FROM notes WHERE chat_id = ?", [FLOODER.id])
    saved = stored.fetchone()[0]
    assert saved == len(acks(emu, FLOODER.id))  # every stored note acknowledged, and only those
    # shed where they arrive: the chat's queue holds PER_CHAT, the allowance is BURST
    assert 1 <= saved <= BURST + REFILL_PER_SECOND * elapsed + 1
    assert bot.app.update_queue.shed == 1000 - saved  # the rest never reached a handler
    assert len(notices(emu, FLOODER.id)) == 1  # one polite notice, not 980
    handled = bot.db.execute("SELECT count(*) FROM handled_updates WHERE chat_id = ?", [FLOODER.id])
    assert handled.fetchone()[0] == 1000  # shed messages are recorded, never redelivered
    assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0


async def test_in_a_group_each_member_has_their_own_allowance(bot):
    chat_id = -6001
    bystander = Person(bot, chat_id, BYSTANDER, title="Shop team")
    for n in range(BURST + 5):
        bot.emu.send_message(chat_id, f"/note Customer {n} could not find the size chart",
                             user=FLOODER, title="Shop team")
    bot.expected += BURST + 5
    await bot.settle(timeout=30)
    # sent in one go: at least the group's queue (PER_CHAT), at most the person's allowance
    stored = bot.db.execute("SELECT id FROM notes WHERE chat_id = ?", [chat_id]).fetchall()
    assert PER_CHAT <= len(stored) <= BURST + 1
    assert sorted(listed_notes(bot.emu, chat_id)) == sorted(row[0] for row in stored)
    assert len(notices(bot.emu, chat_id)) == 1
    replies = await bystander.says("/note The checkout asked for the address twice")
    assert replies[-1].text.startswith("📌") and "Bea: The checkout" in replies[-1].text
    for n in range(BURST):  # the flooder goes on: shed again, quietly (noticed a moment ago)
        bot.emu.send_message(chat_id, f"/note Again {n}", user=FLOODER, title="Shop team")
    bot.expected += BURST
    await bot.settle(timeout=30)
    assert len(notices(bot.emu, chat_id)) == 1


async def test_too_long_note_is_refused_in_the_chats_language(bot):
    ola = Person(bot, OLA.id, OLA)
    replies = await ola.says("x" * (MAX_NOTE_LENGTH + 1))
    assert replies[-1].text == t(
        "pl", "error.text_too_long", length=MAX_NOTE_LENGTH + 1, limit=MAX_NOTE_LENGTH
    )
    assert "Za długi tekst" in replies[-1].text
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    replies = await ola.says("y" * MAX_NOTE_LENGTH)  # exactly at the limit: stored
    assert replies[-1].text.startswith("📌")
    assert bot.db.execute("SELECT length(text) FROM notes").fetchone()[0] == MAX_NOTE_LENGTH


async def test_a_map_cannot_get_more_than_the_maximum_of_stages(bot):
    oksana = Person(bot, OKSANA.id, OKSANA)
    await oksana.says("/newmap Запис до лікаря")
    await oksana.presses(t("uk", "button.skip"))
    for n in range(MAX_STAGES - len(STAGE_KEYS)):
        await oksana.presses(t("uk", "button.add_stage"))
        listed = await oksana.says(f"Етап {n}")
    assert f"{MAX_STAGES}. Етап" in listed[-1].text
    refused = await oksana.presses(t("uk", "button.add_stage"))
    assert refused[-1].text == t("uk", "error.too_many_stages", limit=MAX_STAGES)
    assert "щонайбільше 12 етапів" in refused[-1].text
    await oksana.presses(t("uk", "button.keep_stages"))  # the 12 stages are kept
    stages = bot.db.execute("SELECT count(*) FROM stages").fetchone()[0]
    assert stages == MAX_STAGES


async def test_a_chat_cannot_get_more_than_the_maximum_of_maps(bot):
    boyan = Person(bot, BOYAN.id, BOYAN)
    await boyan.says("/start")
    for n in range(MAX_MAPS_PER_CHAT):
        create_map(bot.db, BOYAN.id, f"Карта {n}", None, BOYAN.id, [(STAGE_KEYS[0], None)])
    refused = await boyan.says("/newmap Още една")  # refused at once, not after the questions
    assert refused[-1].text == t("bg", "error.too_many_maps", limit=MAX_MAPS_PER_CHAT)
    assert "най-много 50 карти" in refused[-1].text
    assert len(list_maps(bot.db, BOYAN.id)) == MAX_MAPS_PER_CHAT
    replies = await boyan.says("/cancel")  # no conversation was started
    assert replies[-1].text == t("bg", "cancel.nothing")


# --- a group's acknowledgements (issue 13 §3) ----------------------------------------------

GROUP = -6101
TEAM = [User(720 + n, name, language_code="en")
        for n, name in enumerate(["Ada", "Ben", "Cyd", "Dan", "Eve", "Fay"])]


def listed_notes(emu, chat_id: int) -> list[int]:
    """The note ids of every combined acknowledgement, in order (a note may appear once)."""
    return [int(data.rsplit(":", 1)[1]) for m in emu.bot_messages(chat_id)
            if m.text.startswith("📌") for data in m.callback_data if data.startswith("nb:open:")]


async def test_a_group_gets_reactions_and_a_few_combined_acknowledgements(emu, tmp_path):
    """60 notes from 6 people: each gets a ✍ on the message, all are listed exactly once in a
    few combined messages, the group is never sent more than 20 messages a minute (Telegram's
    flood control in the emulator never answers 429), and a listed note can be corrected."""
    emu.set_rate_limits(global_per_second=30, per_group_per_minute=20)
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, rate_limit=True,
                            group_ack_delay=0.5) as bot:
        opener = Person(bot, GROUP, TEAM[0], title="Shop team")
        emu.set_member_status(GROUP, TEAM[0].id, "administrator")  # corrects others' notes
        await opener.says("/note The queue at the till was long")
        sent = []
        for round_ in range(10):  # six people at once, ten times
            for person in TEAM:
                message = emu.send_message(
                    GROUP, f"/note {person.first_name}: customers asked about parking {round_}",
                    user=person, title="Shop team",
                )
                sent.append(message["message_id"])
            bot.expected += len(TEAM)
            await emu.wait_for(lambda: bot.done >= bot.expected, timeout=10)
        await bot.settle(timeout=30)
        notes = bot.db.execute("SELECT id FROM notes ORDER BY id").fetchall()
        assert len(notes) == 61
        listed = listed_notes(emu, GROUP)
        assert sorted(listed) == [row[0] for row in notes]  # each note listed exactly once
        combined = [m for m in emu.bot_messages(GROUP) if m.text.startswith("📌")]
        assert len(combined) <= 15, "not combined: about one message per note"
        reacted = {m.message_id for m in emu.messages(GROUP)
                   if m.reactions == [{"type": "emoji", "emoji": "✍"}]}
        assert set(sent) <= reacted
        to_group = sorted(c.time for c in emu.calls() if c.method.startswith("send")
                          and str(c.params.get("chat_id")) == str(GROUP))
        assert all(c.ok for c in emu.calls() if str(c.params.get("chat_id")) == str(GROUP))
        assert max(sum(1 for t2 in to_group if t1 <= t2 < t1 + 60) for t1 in to_group) <= 20
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0

        # a note of the list opens as its own card, and its kind can be changed there
        label = combined[-1].button_texts[2]  # "✏️ #N": the third note of the last list
        third = int(button_data(combined[-1], label).rsplit(":", 1)[1])
        card = (await opener.presses(label, combined[-1]))[-1]
        assert card.text.startswith("📌") and f"nb:kind:{third}:a" in card.callback_data
        await opener.presses("Change kind", card)
        await opener.presses("Opportunity")
        kind = bot.db.execute("SELECT kind FROM notes WHERE id = ?", [third]).fetchone()[0]
        assert kind == "opportunity"


# --- pacing: a group's messages in any window (bot/pacing.py) -------------------------------


def test_a_sliding_window_never_lets_more_than_its_limit_into_any_period():
    window = SlidingWindow(limit=3, period=60.0)
    for now in (0.0, 1.0, 2.0):
        assert window.wait(now) == 0.0
        window.record(now)
    assert window.wait(30.0) == 30.0  # the first leaves the window at 60
    assert window.wait(60.0) == 0.0 and window.count(60.0) == 2
    with pytest.raises(ValueError):
        SlidingWindow(limit=0, period=1.0)


async def test_pacing_holds_group_messages_to_the_window_and_lets_reactions_through():
    pacing = TelegramPacing(messages_per_second=1000, group_limit=2, group_period=0.5)
    started = time.monotonic()
    times: dict[str, list[float]] = {}

    async def call(endpoint: str) -> bool:
        times.setdefault(endpoint, []).append(time.monotonic() - started)
        return True

    async def send(endpoint: str, chat_id: object) -> None:
        await pacing.process_request(call, (endpoint,), {}, endpoint, {"chat_id": chat_id}, None)

    await asyncio.gather(
        *(send("sendMessage", -100) for _ in range(3)),
        *(send("setMessageReaction", -100) for _ in range(5)),
        send("sendMessage", 42),  # a private chat: no group window
    )
    group_sends = sorted(times["sendMessage"])
    assert len(group_sends) == 4
    assert group_sends[-1] >= 0.45  # the third group message waited for the window
    assert max(times["setMessageReaction"]) < 0.25  # reactions are not messages
    assert is_group_chat(-100) and is_group_chat("@team") and not is_group_chat(42)
