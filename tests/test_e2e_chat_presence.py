"""End to end: the bot removed from a group or blocked in private, and back again.

What the bot sends on its own (review reminders, check-ins, weekly digests) pauses as soon as
Telegram says the bot is out of the chat, and goes on again when it is back — except what the
team had paused itself. A group that adds the bot is greeted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.model import STAGE_KEYS
from bot.core.schedule import ReviewRule
from storage.chat_presence import pause_chat
from storage.chats import remember_chat
from storage.checkins import ASK_PRIVATE, save_checkin_schedule
from storage.db import open_db, to_iso, utcnow
from storage.digests import set_weekly_digest, weekly_digest_at
from storage.items import DUE_KIND
from storage.maps import create_map
from storage.reminders import get_schedule, queue_message, save_schedule, set_paused
from tests.emulator.models import User
from tests.harness import BotUnderTest

ANNA = User(801, "Anna", language_code="en")
OLENA = User(802, "Olena", language_code="uk")
TEAM = -8001


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def a_map(db, chat_id: int, name: str, lang: str = "en") -> int:
    remember_chat(db, chat_id, "group" if chat_id < 0 else "private", "Team", lang)
    return create_map(db, chat_id, name, None, None, [(k, None) for k in STAGE_KEYS]).id


def paused(db, chat_id: int, map_id: int) -> bool:
    return get_schedule(db, chat_id, map_id).paused


async def membership_changes(bot, status: str) -> None:
    bot.emu.set_bot_status(TEAM, status, by=ANNA, chat_type="group", title="Bakery")
    bot.expected += 1
    await bot.settle()


async def test_a_group_that_removes_the_bot_pauses_and_taking_it_back_resumes(bot):
    db, now = bot.db, utcnow()
    await membership_changes(bot, "left")  # (the emulator's new groups have the bot in them)
    await membership_changes(bot, "member")  # added: greeted like /start
    greeting = [m.text for m in bot.emu.bot_messages(TEAM)]
    assert any("journeybot" in text for text in greeting)
    assert any("first map" in text for text in greeting)
    cakes, bread = a_map(db, TEAM, "Cakes"), a_map(db, TEAM, "Bread")
    for map_id in (cakes, bread):
        save_schedule(db, TEAM, map_id, ReviewRule("weekly"), "UTC", now=now)
    chosen = get_schedule(db, TEAM, bread)
    set_paused(db, TEAM, chosen.id, True, now)  # the team paused Bread's reviews itself
    save_checkin_schedule(db, TEAM, ReviewRule("weekly"), "UTC", now=now)
    set_weekly_digest(db, TEAM, cakes, now + timedelta(days=2), ANNA.id, now)
    queue_message(db, "review", TEAM, "waiting", now, now)
    seen = len(bot.emu.bot_messages(TEAM))

    await membership_changes(bot, "kicked")

    assert paused(db, TEAM, cakes) and paused(db, TEAM, bread)
    checkins = db.execute("SELECT paused FROM schedules WHERE kind = 'checkin'").fetchone()[0]
    assert checkins == 1
    assert weekly_digest_at(db, TEAM, cakes) is None
    assert db.execute("SELECT status FROM reminders").fetchone()[0] == "failed"
    assert len(bot.emu.bot_messages(TEAM)) == seen  # nothing sent to a chat it is out of

    later = utcnow()
    await membership_changes(bot, "member")

    assert not paused(db, TEAM, cakes)
    assert get_schedule(db, TEAM, cakes).next_run_at > later
    assert paused(db, TEAM, bread)  # the team's own pause stays
    checkins = db.execute("SELECT paused FROM schedules WHERE kind = 'checkin'").fetchone()[0]
    assert checkins == 0
    assert weekly_digest_at(db, TEAM, cakes) > later
    back = [m.text for m in bot.emu.bot_messages(TEAM)[seen:]]
    assert any("I'm back" in text for text in back), back
    assert any("journeybot" in text for text in back), back  # greeted as /start would


async def test_taking_the_bot_back_twice_resumes_once_and_the_team_pause_wins(bot):
    db, now = bot.db, utcnow()
    await membership_changes(bot, "left")
    await membership_changes(bot, "administrator")
    cakes = a_map(db, TEAM, "Cakes")
    save_schedule(db, TEAM, cakes, ReviewRule("weekly"), "UTC", now=now)
    await membership_changes(bot, "left")
    schedule = get_schedule(db, TEAM, cakes)
    set_paused(db, TEAM, schedule.id, True, now)  # chosen by the team (e.g. another admin tool)
    await membership_changes(bot, "member")
    assert paused(db, TEAM, cakes)
    assert not any("I'm back" in m.text for m in bot.emu.bot_messages(TEAM) if m.text)


async def test_a_person_who_unblocks_the_bot_gets_their_reminders_back_in_their_language(bot):
    db, now = bot.db, utcnow()
    bot.emu.send_message(OLENA.id, "привіт", user=OLENA)  # the private chat exists
    bot.expected += 1
    await bot.settle()
    journey = a_map(db, OLENA.id, "Кав'ярня", lang="uk")
    save_schedule(db, OLENA.id, journey, ReviewRule("weekly"), "UTC", now=now)
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE chat_id = ?",
        [to_iso(now - timedelta(seconds=1)), OLENA.id],
    )
    bot.emu.block_bot(OLENA.id)
    bot.expected += 1
    await bot.settle()
    assert paused(db, OLENA.id, journey)

    bot.emu.send_message(OLENA.id, "/start", user=OLENA)  # writing again unblocks the bot
    bot.expected += 2  # the my_chat_member update, then /start
    await bot.settle()

    assert not paused(db, OLENA.id, journey)
    assert get_schedule(db, OLENA.id, journey).next_run_at > now  # no backlog at once
    texts = [m.text for m in bot.emu.bot_messages(OLENA.id)]
    assert any("Я знову тут" in text for text in texts), texts


async def test_start_resumes_what_was_paused_when_the_update_that_the_bot_is_back_was_lost(bot):
    db, now = bot.db, utcnow()
    cakes = a_map(db, TEAM, "Cakes")
    save_schedule(db, TEAM, cakes, ReviewRule("weekly"), "UTC", now=now)
    await membership_changes(bot, "kicked")
    assert paused(db, TEAM, cakes)
    # the "back" update is lost: the chat is writable again, and nobody said so
    with bot.emu.state.lock:
        bot.emu.state.chats[TEAM].bot_status = "member"
    bot.emu.send_message(TEAM, "/start", user=ANNA)
    bot.expected += 1
    await bot.settle()
    assert not paused(db, TEAM, cakes)
    assert any("I'm back" in m.text for m in bot.emu.bot_messages(TEAM) if m.text)


def test_a_closed_chat_keeps_the_messages_that_have_another_way(tmp_path):
    """A due-date reminder is queued under the group and goes to its owner first; a member's
    check-in question is asked in the group when their private chat is closed."""
    db, now = open_db(tmp_path / "bot.db"), utcnow()
    a_map(db, TEAM, "Cakes")
    remember_chat(db, ANNA.id, "private", "Anna", "en")
    queue_message(db, "review", TEAM, "review", now, now)
    queue_message(db, DUE_KIND, TEAM, "due", now, now)
    queue_message(db, ASK_PRIVATE, ANNA.id, "ask", now, now)
    pause_chat(db, TEAM, "bot kicked")
    pause_chat(db, ANNA.id, "bot kicked")
    status = dict(db.execute("SELECT dedupe_key, status FROM reminders").fetchall())
    assert status == {"review": "failed", "due": "pending", "ask": "pending"}
