"""End to end: check-ins across a group and private chats, answers as notes, opting out,
restarts in the middle of a round, quiet hours, and buttons that are forged or stale."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.classifier import classifier_ready
from bot.core.schedule import QuietHours, ReviewRule
from storage.checkins import get_checkin_schedule, save_checkin_schedule
from storage.db import from_iso, open_db, to_iso, utcnow
from tests.emulator.models import RecordedMessage, User
from tests.harness import BotUnderTest, Person

ANNA = User(801, "Anna", language_code="en")  # administrator, has a private chat
BOGDAN = User(802, "Bogdan", language_code="en")  # has a private chat
CEZARY = User(803, "Cezary", language_code="en")  # never started the bot in private
DANA = User(804, "Dana", language_code="en")  # opts out
TEAM = -8001
QUESTION = "what did you hear from customers"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


def questions(emu, chat_id: int) -> list:
    return [
        m
        for m in emu.bot_messages(chat_id)
        if m.text and QUESTION in m.text.lower() and "/checkin" not in m.text
    ]


def make_due(db, chat_id: int) -> None:
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin' AND chat_id = ?",
        [to_iso(utcnow() - timedelta(seconds=1)), chat_id],
    )


def notes_of(db, chat_id: int) -> list[tuple]:
    return db.execute(
        "SELECT text, author_id, source FROM notes WHERE chat_id = ? ORDER BY id", [chat_id]
    ).fetchall()


async def team_with_members(bot, lang: str = "en") -> dict[str, Person]:
    """Anna (admin) and Bogdan started the bot privately; Cezary only writes in the group;
    Dana joined the group (a service message) and opts out."""
    bot.emu.create_chat(TEAM, chat_type="group", title="Bakery")
    people = {u.first_name: Person(bot, TEAM, u, title="Bakery") for u in (ANNA, BOGDAN, CEZARY)}
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    for user in (ANNA, BOGDAN):
        await Person(bot, user.id, user).says("/start")
    await people["Anna"].starts_map("Cake orders", finish=True)
    if lang != "en":
        await people["Anna"].says("/language")
        await people["Anna"].presses({"pl": "Polski", "uk": "Українська"}[lang])
    for name in ("Bogdan", "Cezary"):
        await people[name].says("/help")
    bot.emu.add_chat_member(TEAM, DANA)
    bot.expected += 2  # the chat_member update and the service message
    await bot.settle()
    people["Dana"] = Person(bot, TEAM, DANA, title="Bakery")
    await people["Dana"].says("/checkin off")
    # the classifier loads in the background at start (seconds on a busy machine): the
    # answers below are its first notes
    await asyncio.wait_for(classifier_ready(), timeout=120)
    return people


async def test_a_round_across_the_group_and_private_chats_survives_a_restart(bot):
    team = await team_with_members(bot)
    anna = team["Anna"]
    status = (await anna.says("/checkin"))[-1]
    assert "No check-ins yet" in status.text
    assert "Asked (3): Anna, Bogdan, Cezary 👥" in status.text
    assert "Not asked (opted out): Dana" in status.text
    await anna.presses("Weekly", status)
    await anna.presses("Yes", anna.message(status.message_id))
    shown = anna.message(status.message_id).text
    assert "Every Monday at 10:00" in shown and "Next check-in: Monday" in shown
    assert get_checkin_schedule(bot.db, TEAM).rule == ReviewRule("weekly")

    make_due(bot.db, TEAM)
    await bot.emu.wait_for(lambda: questions(bot.emu, TEAM), timeout=5)
    await bot.emu.wait_for(
        lambda: questions(bot.emu, ANNA.id) and questions(bot.emu, BOGDAN.id), timeout=5
    )
    in_group = questions(bot.emu, TEAM)
    assert len(in_group) == 1  # one message for everyone asked in the group …
    assert "Cezary" in in_group[0].text and "tg://user?id=803" in str(in_group[0].message)
    assert "Anna" not in in_group[0].text and "Dana" not in in_group[0].text  # … only them
    assert "lately" in in_group[0].text  # the first round
    assert questions(bot.emu, DANA.id) == []
    assert "Bakery" in questions(bot.emu, ANNA.id)[0].text

    # Anna answers with the next message after the question (two lines: two notes)
    anna_private = Person(bot, ANNA.id, ANNA)
    announced = bot.app.update_queue.arrivals.announced
    thanks = (await anna_private.says("the card terminal fails at lunch\nthey want BLIK"))[-1]
    # an answer is classified item by item: not announced to the notes' batch (bot/inbox.py)
    assert bot.app.update_queue.arrivals.announced == announced
    assert "Thank you" in thanks.text and "Cake orders" in thanks.text and "#" in thanks.text

    await bot.restart()  # in the middle of the round
    await bot.restart()
    await bot.settle()
    assert [len(questions(bot.emu, c)) for c in (TEAM, ANNA.id, BOGDAN.id)] == [1, 1, 1]

    # Bogdan replies to his question; Cezary replies to the group's
    bogdan_private = Person(bot, BOGDAN.id, BOGDAN)
    announced = bot.app.update_queue.arrivals.announced
    await bogdan_private.says(
        "parking near the shop is hard to find",
        reply_to=questions(bot.emu, BOGDAN.id)[0].message_id,
    )
    await team["Cezary"].says("people ask for gluten-free bread", reply_to=in_group[0].message_id)
    assert bot.app.update_queue.arrivals.announced == announced  # replies to the questions

    authors = {text: (author, source) for text, author, source in notes_of(bot.db, TEAM)}
    assert authors["the card terminal fails at lunch"] == (ANNA.id, "checkin")
    assert authors["they want BLIK"] == (ANNA.id, "checkin")
    assert authors["parking near the shop is hard to find"] == (BOGDAN.id, "checkin")
    assert authors["people ask for gluten-free bread"] == (CEZARY.id, "checkin")
    assert notes_of(bot.db, ANNA.id) == []  # nothing went to Anna's own chat

    # everyone asked has answered: the round closes and its summary is posted once
    def summary():
        return [m for m in bot.emu.bot_messages(TEAM) if m.text and "closed" in m.text]

    await bot.emu.wait_for(summary, timeout=5)
    text = summary()[0].text
    assert "Answered: 3 of 3." in text and "Notes added to the map “Cake orders”: 4." in text
    assert "Anna (2)" in text and "Bogdan (1)" in text and "Cezary (1)" in text
    assert "Dana" not in text
    await bot.restart()
    await bot.settle()
    assert len(summary()) == 1
    # after her answer, Anna's private messages are ordinary notes in her own chat again
    await anna_private.says("my own idea for the shop window")
    assert [n[0] for n in notes_of(bot.db, ANNA.id)] == ["my own idea for the shop window"]


async def test_a_check_in_due_while_the_bot_was_down_asks_once_and_reminds_once(bot):
    team = await team_with_members(bot)
    save_checkin_schedule(bot.db, TEAM, ReviewRule("weekly"), "UTC", now=utcnow())
    await bot.stop()
    db = open_db(bot.db_path)
    make_due(db, TEAM)  # due while the bot was down
    db.close()
    await bot.start()
    await bot.emu.wait_for(lambda: questions(bot.emu, BOGDAN.id), timeout=5)
    await bot.restart()  # perhaps in the middle of the round: the outbox is paced
    await bot.settle()
    everyone = (TEAM, ANNA.id, BOGDAN.id)
    await bot.emu.wait_for(lambda: all(questions(bot.emu, c) for c in everyone), timeout=5)
    assert [len(questions(bot.emu, c)) for c in everyone] == [1, 1, 1]
    # Bogdan has nothing to report; later in the round the others get one gentle reminder
    await Person(bot, BOGDAN.id, BOGDAN).presses("Nothing this time")
    bot.db.execute("UPDATE checkin_rounds SET nudge_at = ?", [to_iso(utcnow())])
    await bot.emu.wait_for(lambda: len(questions(bot.emu, ANNA.id)) == 2, timeout=5)
    await bot.emu.wait_for(lambda: len(questions(bot.emu, TEAM)) == 2, timeout=5)
    await bot.restart()
    await bot.settle()
    nudge = questions(bot.emu, TEAM)[-1]
    assert "gentle reminder" in nudge.text and "Cezary" in nudge.text
    assert len(questions(bot.emu, BOGDAN.id)) == 1  # he answered: no reminder
    assert len(questions(bot.emu, ANNA.id)) == 2 and len(questions(bot.emu, TEAM)) == 2
    # the round ends after its time; who did not answer is named gently
    bot.db.execute("UPDATE checkin_rounds SET closes_at = ?", [to_iso(utcnow())])
    await bot.emu.wait_for(
        lambda: [m for m in bot.emu.bot_messages(TEAM) if "closed" in (m.text or "")], timeout=5
    )
    closed = next(m for m in bot.emu.bot_messages(TEAM) if "closed" in (m.text or "")).text
    assert "Answered: 1 of 3." in closed and "Maybe next time: Anna, Cezary" in closed
    del team


async def test_polish_quiet_hours_hold_the_summary_until_they_end(bot):
    team = await team_with_members(bot, "pl")
    now = utcnow()
    start = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    save_checkin_schedule(
        bot.db, TEAM, ReviewRule("weekly"), "UTC", now=now, quiet=QuietHours(start, end)
    )
    status = (await team["Anna"].says("/checkin"))[-1]
    assert f"Godziny ciszy: {start:%H:%M}–{end:%H:%M}" in status.text
    assert "Następny check-in" in status.text
    await team["Anna"].presses("Zapytaj teraz", status)
    await bot.emu.wait_for(lambda: questions_pl(bot.emu, BOGDAN.id), timeout=5)
    assert "co usłyszałeś od klientów ostatnio" in questions_pl(bot.emu, BOGDAN.id)[0].text
    for user in (ANNA, BOGDAN):
        await Person(bot, user.id, user).says("klienci pytają o płatność BLIK")
    # the outbox is paced (one message a second per chat): the group's question may come last
    await bot.emu.wait_for(lambda: questions_pl(bot.emu, TEAM), timeout=5)
    group_question = questions_pl(bot.emu, TEAM)[0]
    await team["Cezary"].says("nie ma gdzie zaparkować", reply_to=group_question.message_id)
    closes_at = from_iso(bot.db.execute("SELECT closes_at FROM checkin_rounds").fetchone()[0])
    assert closes_at == datetime.combine(now.date(), end, UTC) + (
        timedelta(days=1) if end < now.time() else timedelta()
    )  # everyone answered during quiet hours: the summary waits for their end …
    await bot.restart()
    await bot.settle()
    assert not [m for m in bot.emu.bot_messages(TEAM) if "zakończony" in (m.text or "")]
    bot.db.execute("UPDATE checkin_rounds SET closes_at = ?", [to_iso(utcnow())])  # … now
    await bot.emu.wait_for(
        lambda: [m for m in bot.emu.bot_messages(TEAM) if "zakończony" in (m.text or "")],
        timeout=5,
    )
    summary = next(m for m in bot.emu.bot_messages(TEAM) if "zakończony" in (m.text or ""))
    assert "Odpowiedzi: 3 z 3." in summary.text and "Notatki dodane do mapy" in summary.text


async def test_a_reply_to_the_check_in_question_is_an_answer_while_a_conversation_waits(bot):
    """Played: a member with a conversation still open (here /newmap waiting for the map's
    name; /stages waiting for a button answered "use the buttons" and dropped the text)
    replied to the check-in question: the conversation took the answer. A reply to the
    question is the answer; the conversation still waits for its own."""
    team = await team_with_members(bot)
    anna = team["Anna"]
    status = (await anna.says("/checkin"))[-1]
    await anna.presses("Weekly", status)
    await anna.presses("Yes", anna.message(status.message_id))
    cezary = team["Cezary"]
    asked_name = (await cezary.says("/newmap"))[-1]
    assert "What shall we call it" in asked_name.text
    bogdan_private = Person(bot, BOGDAN.id, BOGDAN)
    await bogdan_private.says("/note")  # a bare /note: "What is the note?"
    make_due(bot.db, TEAM)
    await bot.emu.wait_for(
        lambda: questions(bot.emu, TEAM) and questions(bot.emu, BOGDAN.id), timeout=10
    )

    await cezary.says("people ask for gluten-free bread",
                      reply_to=questions(bot.emu, TEAM)[0].message_id)
    await bogdan_private.says("parking near the shop is hard to find",
                              reply_to=questions(bot.emu, BOGDAN.id)[0].message_id)
    authors = {text: (author, source) for text, author, source in notes_of(bot.db, TEAM)}
    assert authors["people ask for gluten-free bread"] == (CEZARY.id, "checkin")
    assert authors["parking near the shop is hard to find"] == (BOGDAN.id, "checkin")
    assert bot.db.execute("SELECT name FROM maps ORDER BY id").fetchall() == [("Cake orders",)]

    # the conversations still wait: Cezary's next reply names his map, Bogdan's is his note
    persona = (await cezary.says("Bread orders", reply_to=asked_name.message_id))[-1]
    assert "Who is the customer" in persona.text
    await bogdan_private.says("the shop window is dusty")
    assert [n[0] for n in notes_of(bot.db, BOGDAN.id)] == ["the shop window is dusty"]


async def test_ask_now_during_a_round_says_it_ends_that_round(bot):
    """Played: "▶️ Ask now" while a round was open closed that round — its summary named the
    people asked minutes before under "Maybe next time" — and the status said only "Asking
    everyone now". The button says what it does while a round is open, and so does the
    answer."""
    team = await team_with_members(bot)
    anna = team["Anna"]
    status = (await anna.says("/checkin"))[-1]
    await anna.presses("Weekly", status)
    await anna.presses("Yes", anna.message(status.message_id))
    assert "▶️ Ask now" in anna.message(status.message_id).button_texts  # no round yet
    make_due(bot.db, TEAM)
    await bot.emu.wait_for(lambda: questions(bot.emu, TEAM), timeout=10)
    await team["Cezary"].says("people ask for rye bread",
                              reply_to=questions(bot.emu, TEAM)[0].message_id)

    status = await checkin_answer(anna)
    assert "Round open: answered 1 of 3." in status.text
    assert "⏹ End this round, ask again" in status.button_texts
    assert "▶️ Ask now" not in status.button_texts
    await anna.presses("⏹ End this round, ask again", status)
    today = utcnow().strftime("%d.%m")  # the team's zone is UTC (English)
    shown = anna.message(status.message_id).text
    assert shown.startswith(f"⏹ The round of {today} is closed (answered 1 of 3) — asking "
                            "everyone again now.")
    assert "Round open: answered 0 of 3." in shown
    rounds = bot.db.execute("SELECT closed_at IS NOT NULL FROM checkin_rounds ORDER BY id")
    assert rounds.fetchall() == [(1,), (0,)]



async def test_end_this_round_pressed_twice_in_one_second_keeps_the_new_round(bot, monkeypatch):
    """Played: "⏹ End this round, ask again" pressed twice within a second. The second press
    closed the round the first had just started (its summary put everyone under "Maybe next
    time") and started none (a round is one per second), saying "Nobody to ask yet". Now the
    second press leaves the new round open and says it is asking everyone. Both presses are
    made in one second by holding the flow's clock (utcnow) still."""
    import bot.flows.checkin as checkin_flow

    team = await team_with_members(bot)
    anna = team["Anna"]
    status = (await anna.says("/checkin"))[-1]
    await anna.presses("Weekly", status)
    await anna.presses("Yes", anna.message(status.message_id))
    make_due(bot.db, TEAM)
    await bot.emu.wait_for(lambda: questions(bot.emu, TEAM), timeout=10)
    status = await checkin_answer(anna)
    held = utcnow().replace(microsecond=0) + timedelta(seconds=1)
    monkeypatch.setattr(checkin_flow, "utcnow", lambda: held)

    await anna.presses("⏹ End this round, ask again", status)
    assert "asking everyone again now" in anna.message(status.message_id).text
    await anna.presses("⏹ End this round, ask again", anna.message(status.message_id))
    shown = anna.message(status.message_id).text
    assert shown.startswith("▶️ Asking everyone now."), shown
    assert "Nobody to ask yet" not in shown and "Round open: answered 0 of 3." in shown
    rounds = bot.db.execute("SELECT closed_at IS NOT NULL FROM checkin_rounds ORDER BY id")
    assert rounds.fetchall() == [(1,), (0,)]  # the round started by the first press is open

async def checkin_answer(person: Person) -> RecordedMessage:
    """/checkin's answer (its status, or the refusal), whatever paced check-in question of the
    round under way the outbox sent to the group beside it."""
    replies = await person.says("/checkin")
    return next(m for m in reversed(replies)
                if m.text.startswith("🗣") or "administrators" in m.text)


def questions_pl(emu, chat_id: int) -> list:
    return [m for m in emu.bot_messages(chat_id) if (m.text or "").startswith("🗣 Check-in")]


async def test_forged_and_stale_check_in_buttons_change_nothing(bot):
    team = await team_with_members(bot)
    save_checkin_schedule(bot.db, TEAM, ReviewRule("weekly"), "UTC", now=utcnow())
    make_due(bot.db, TEAM)
    await bot.emu.wait_for(lambda: questions(bot.emu, BOGDAN.id), timeout=5)
    bogdan = Person(bot, BOGDAN.id, BOGDAN)
    question = questions(bot.emu, BOGDAN.id)[0]
    # a group Bogdan is not in, and a round of another group: refused, nothing changes
    await bogdan.presses_data(question.message_id, "ck:off:-9999", force=True)
    assert "can't find" in bogdan.last_answer()["text"]
    await bogdan.presses_data(question.message_id, "ck:none:424242", force=True)
    assert "can't find" in bogdan.last_answer()["text"]
    await bogdan.presses_data(question.message_id, "ck:bogus:1", force=True)
    # a member cannot change the check-ins, nor use the buttons of Anna's /checkin
    refused = await checkin_answer(team["Bogdan"])
    assert "administrators" in refused.text and not refused.buttons
    status = await checkin_answer(team["Anna"])
    await team["Bogdan"].presses("ask again", status)  # a round is open
    assert len(questions(bot.emu, BOGDAN.id)) == 1
    # Bogdan opts out with the button under his question, and back in from /checkin
    await bogdan.presses("Don't ask me", question)
    assert "won't ask you" in bogdan.last_answer()["text"]
    assert "Ask me again" in bogdan.message(question.message_id).button_texts[-1]
    mine = (await bogdan.says("/checkin"))[-1]
    assert "Bakery: you are not asked" in mine.text
    await bogdan.presses("Ask me again", mine)
    assert "Bakery: you are asked" in bogdan.message(mine.message_id).text
    # the round ends; its "Nothing this time" is stale afterwards
    bot.db.execute("UPDATE checkin_rounds SET closes_at = ?", [to_iso(utcnow())])
    await bot.emu.wait_for(
        lambda: [m for m in bot.emu.bot_messages(TEAM) if "closed" in (m.text or "")], timeout=5
    )
    await bogdan.presses("Nothing this time", question)
    assert "over" in bogdan.last_answer()["text"]
    # someone seen leaving is no longer asked
    bot.emu.remove_chat_member(TEAM, CEZARY)
    bot.expected += 2  # the chat_member update and the service message
    await bot.settle()
    await team["Cezary"].presses("Don't ask me", questions(bot.emu, TEAM)[0])  # an old button
    assert "Only members" in team["Cezary"].last_answer()["text"]
    status = await checkin_answer(team["Anna"])
    assert "Asked (2): Anna, Bogdan" in status.text and "Cezary" not in status.text
    assert (
        bot.db.execute(
            "SELECT count(*) FROM checkin_asks WHERE answered_at IS NOT NULL"
        ).fetchone()[0]
        == 0
    )


async def test_a_private_answer_with_questions_of_two_groups_asks_which(bot):
    await team_with_members(bot)
    other = Person(bot, -8002, ANNA, title="Flower shop")
    await other.starts_map("Bouquets", finish=True)
    for chat in (TEAM, -8002):
        save_checkin_schedule(bot.db, chat, ReviewRule("weekly"), "UTC", now=utcnow())
        make_due(bot.db, chat)
    await bot.emu.wait_for(lambda: len(questions(bot.emu, ANNA.id)) == 2, timeout=5)
    anna = Person(bot, ANNA.id, ANNA)
    which = (await anna.says("a customer asked for roses delivered on Sunday"))[-1]
    assert "Which team" in which.text and which.button_texts == ["Bakery", "Flower shop"]
    await anna.presses("Flower shop", which)
    assert [n[:2] for n in notes_of(bot.db, -8002)][-1] == (
        "a customer asked for roses delivered on Sunday",
        ANNA.id,
    )
    assert not [n for n in notes_of(bot.db, TEAM) if "roses" in n[0]]
    await anna.presses("Bakery", which)  # the question was answered: stale
    assert not [n for n in notes_of(bot.db, TEAM) if "roses" in n[0]]


def test_round_times_keep_out_of_quiet_hours_and_weekends():
    from bot.core.checkin import round_times
    from bot.core.schedule import Schedule

    friday_evening = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    schedule = Schedule(
        1,
        None,
        TEAM,
        ReviewRule("weekly", 4, time(18)),
        "UTC",
        None,
        None,
        False,
        True,
        QuietHours(time(21), time(8)),
        friday_evening,
    )
    nudge_at, closes_at = round_times(schedule, friday_evening)
    # 12 h later is Saturday 06:00 and 24 h later Saturday 18:00: both move to Monday
    assert nudge_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # (and out of quiet hours)
    assert closes_at == datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    # started Tuesday 10:00: the reminder at 22:00 falls in quiet hours: Wednesday 08:00
    nudge_at, closes_at = round_times(schedule, datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    assert nudge_at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert closes_at == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    # a reminder that would come at the close is not sent
    short = round_times(schedule, datetime(2026, 12, 1, 20, 0, tzinfo=UTC), timedelta(hours=2))
    assert short == (None, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
