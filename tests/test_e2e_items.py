"""End to end: owners and due dates over the emulator — /assign and the review's date choice,
the reminder on the day (in the group with a mention, or privately), restarts in between,
resolving with who and when, /todo, unknown people, forged and stale buttons; in English and
Polish."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates import next_week
from bot.core.items import local_today
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.texts import t
from bot.views import format_day
from storage.db import from_iso, to_iso, utcnow
from storage.maps import create_map
from storage.notes import add_note, get_note, list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, button_data

ANNA = User(801, "Anna", username="anna_b", language_code="en")
BOGDAN = User(802, "Bogdan", username="Bogdan_K", language_code="en")
OLA = User(803, "Ola", username="ola", language_code="pl")
PIOTR = User(804, "Piotr", username="piotr", language_code="pl")
CARL = User(805, "Carl", username="carl_x", language_code="en")
DANA = User(806, "Dana", language_code="en")  # no username: mentioned by name
TEAM = -8001
ZESPOL = -8002


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


def pain(text: str, lang: str = "en", kind: str = "pain_point") -> NoteDraft:
    return NoteDraft(text=text, lang=lang, kind=kind, stage_key="purchase")


def seed(bot, chat_id: int, author: int, *texts: str, lang: str = "en") -> list:
    journey_id = bot.db.execute(
        "SELECT id FROM maps WHERE chat_id = ?", [chat_id]).fetchone()[0]
    stage = bot.db.execute(
        "SELECT id FROM stages WHERE map_id = ? AND key = 'purchase'", [journey_id]).fetchone()[0]
    return [add_note(bot.db, chat_id, journey_id, stage, pain(text, lang), author)
            for text in texts]


def make_due_today(db, note_id: int, timezone: str = "UTC") -> None:
    """Moves the clock to the item's due day: due today, its reminder time just passed."""
    today = local_today(utcnow(), timezone)
    db.execute(
        "UPDATE notes SET due_on = ?, remind_at = ? WHERE id = ?",
        [today.isoformat(), to_iso(utcnow() - timedelta(seconds=1)), note_id],
    )


def reminded_on(db, note_id: int, timezone: str = "Europe/Warsaw") -> tuple:
    """(local date, hour) of the item's planned due-date reminder."""
    moment = from_iso(db.execute("SELECT remind_at FROM notes WHERE id = ?",
                                 [note_id]).fetchone()[0])
    local = moment.astimezone(ZoneInfo(timezone))
    return local.date(), local.hour


def due_reminders(emu, chat_id: int, marker: str) -> list:
    return [m for m in emu.bot_messages(chat_id) if m.text and marker in m.text]


async def test_assign_remind_in_the_group_and_resolve_in_english(bot):
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bogdan = Person(bot, TEAM, BOGDAN, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    await anna.starts_map("Cake orders", finish=True)
    await bogdan.says("/help")  # the bot has seen Bogdan (and his @username)
    card_fails, parking, idea = seed(bot, TEAM, ANNA.id, "card payment fails", "no parking",
                                     "offer BLIK")
    bot.db.execute("UPDATE notes SET kind = 'touchpoint' WHERE id = ?", [idea.id])

    # an unknown person, a note that is no item, a bad date: each says why, nothing changes
    unknown = (await anna.says(f"/assign {card_fails.number} @nobody friday"))[-1]
    assert "I don't know @nobody yet" in unknown.text
    touch = (await anna.says(f"/assign {idea.number} @bogdan_k"))[-1]
    assert "only pain points and opportunities" in touch.text
    bad = (await anna.says(f"/assign {card_fails.number} @bogdan_k someday"))[-1]
    assert "I didn't get that date" in bad.text
    assert get_note(bot.db, TEAM, card_fails.id).owner_id is None

    done = (await anna.says(f"/assign {card_fails.number} @Bogdan_K tomorrow"))[-1]
    tomorrow = local_today(utcnow(), "UTC") + timedelta(days=1)
    assert f"#{card_fails.number}" in done.text and "Bogdan" in done.text
    assert format_day("en", tomorrow) in done.text
    assert 'href="tg://user?id=802"' in done.raw_text  # a mention that notifies him
    item = get_note(bot.db, TEAM, card_fails.id)
    assert (item.owner_id, item.due_on) == (BOGDAN.id, tomorrow)

    # a member may not give away someone else's item
    refused = (await bogdan.says(f"/assign {parking.number} @anna_b"))[-1]
    assert "Only the item's owner" in refused.text

    todo = (await bogdan.says("/todo"))[-1]
    assert "Your open items here" in todo.text and "card payment fails" in todo.text

    await bot.restart()  # the plan is in SQLite
    make_due_today(bot.db, card_fails.id)
    await bot.emu.wait_for(lambda: due_reminders(bot.emu, TEAM, "due today"), timeout=10)
    await bot.restart()
    await bot.restart()
    [reminder] = due_reminders(bot.emu, TEAM, "due today")
    assert "Bogdan" in reminder.text and "card payment fails" in reminder.text
    assert 'href="tg://user?id=802"' in reminder.raw_text
    row = bot.db.execute("SELECT kind, status, user_id FROM reminders").fetchone()
    assert row == ("due", "sent", BOGDAN.id)

    # forged and stale presses change nothing
    await bogdan.presses_data(reminder.message_id, "ib:res:999999:r", force=True)
    assert "deleted" in bogdan.last_answer()["text"] or "can't find" in bogdan.last_answer()["text"]
    await bogdan.presses_data(reminder.message_id, f"ib:set:{card_fails.id}:2020-01-01:r",
                              force=True)
    assert "already passed" in bogdan.last_answer()["text"]
    await bogdan.presses_data(reminder.message_id, f"ib:set:{card_fails.id}:soon:r", force=True)
    assert "ended" in bogdan.last_answer()["text"]
    assert get_note(bot.db, TEAM, card_fails.id).status == "open"

    await bogdan.presses("Resolved", reminder)
    closed = get_note(bot.db, TEAM, card_fails.id)
    assert (closed.status, closed.resolved_by) == ("resolved", BOGDAN.id)
    assert utcnow() - closed.resolved_at < timedelta(minutes=1)
    assert "resolved by Bogdan" in bogdan.message(reminder.message_id).text
    await bogdan.presses_data(reminder.message_id, f"ib:res:{card_fails.id}:r", force=True)
    assert "already resolved" in bogdan.last_answer()["text"]
    assert get_note(bot.db, TEAM, card_fails.id).resolved_by == BOGDAN.id

    # every view agrees
    assert "Nothing assigned to you is open" in (await bogdan.says("/todo"))[-1].text
    text = "\n".join(m.text for m in await anna.says("/map text"))
    assert "✓ card payment fails" in text and "resolved by Bogdan" in text
    card = (await anna.says(f"/note {card_fails.number}"))[-1]
    assert "resolved by Bogdan" in card.text and "Reopen" in " ".join(card.button_texts)


async def test_a_reminder_moved_to_tomorrow_says_the_new_date_not_a_weekend_day(bot):
    """Played on a Monday: "Tomorrow" under a due-date reminder edited it into "⏰ Due Tue,
    Dec 8 — a weekend day your team skips, so I'm reminding you now" (the team skips no
    weekends; any date still to come was taken for one)."""
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    [late] = seed(bot, TEAM, ANNA.id, "the courier came two hours late")
    await anna.says(f"/assign {late.number} me")
    make_due_today(bot.db, late.id)
    await bot.emu.wait_for(lambda: due_reminders(bot.emu, TEAM, "Due today"), timeout=10)
    [reminder] = due_reminders(bot.emu, TEAM, "Due today")

    await anna.presses("Tomorrow", reminder)
    tomorrow = local_today(utcnow(), "UTC") + timedelta(days=1)
    assert get_note(bot.db, TEAM, late.id).due_on == tomorrow
    moved = anna.message(reminder.message_id).text
    assert moved.startswith(f"📅 Now due {format_day('en', tomorrow)} — I'll remind you again: "
                            f"#{late.number} the courier came two hours late")
    assert "weekend" not in moved
    assert "🙋 Anna · 📅" in moved  # still names its owner
    assert reminded_on(bot.db, late.id, "UTC") == (tomorrow, 9)  # reminded again, as said

    await anna.presses("Resolved", anna.message(reminder.message_id))
    closed = anna.message(reminder.message_id).text
    assert closed.startswith(f"📅 Due {format_day('en', tomorrow)}: #{late.number}")
    assert "resolved by Anna" in closed and "weekend" not in closed and "remind" not in closed


async def test_review_date_choice_private_reminder_and_todo_in_polish(bot):
    ola = Person(bot, ZESPOL, OLA, title="Piekarnia")
    piotr = Person(bot, ZESPOL, PIOTR, title="Piekarnia")
    ola_private = Person(bot, OLA.id, OLA)
    await ola_private.says("/start")  # Ola has started the bot: she is reminded privately
    await ola.says("/help")  # a Polish group (from Ola's language)
    create_map(bot.db, ZESPOL, "Zamówienia", None, OLA.id, [(k, None) for k in STAGE_KEYS])
    await piotr.says("/help")
    slow, cold = seed(bot, ZESPOL, PIOTR.id, "kurier się spóźnia", "zimne pieczywo", lang="pl")
    today = local_today(utcnow(), "Europe/Warsaw")

    card = (await ola.says("/review"))[-1]
    assert "kurier się spóźnia" in card.text
    await ola.presses(t("pl", "button.assign_me"), card)
    choosing = ola.message(card.message_id)
    later = next_week(today)
    assert t("pl", "button.next_week", date=format_day("pl", later)) in choosing.button_texts
    await ola.presses(t("pl", "button.next_week", date=format_day("pl", later)), choosing)
    assert get_note(bot.db, ZESPOL, slow.id).due_on == later
    assert format_day("pl", later) in ola.message(card.message_id).text

    # the next card: assign to me, then a typed date
    second = (await ola.presses(t("pl", "button.still_open"), ola.message(card.message_id)))[-1]
    assert "zimne pieczywo" in second.text
    await ola.presses(t("pl", "button.assign_me"), second)
    asked = (await ola.presses(t("pl", "button.pick_date"), ola.message(second.message_id)))[-1]
    assert "Napisz termin" in asked.text
    wrong = (await ola.answers("kiedyś"))[-1]
    assert "Nie rozumiem tej daty" in wrong.text
    shown = (await ola.answers("jutro"))[-1]
    tomorrow = today + timedelta(days=1)
    assert get_note(bot.db, ZESPOL, cold.id).due_on == tomorrow
    assert format_day("pl", tomorrow) in shown.text

    await bot.restart()
    todo = (await ola_private.says("/todo"))[-1]
    assert "we wszystkich czatach" in todo.text and "Piekarnia" in todo.text
    assert todo.text.index("zimne pieczywo") < todo.text.index("kurier się spóźnia")

    make_due_today(bot.db, cold.id, "Europe/Warsaw")
    await bot.emu.wait_for(
        lambda: due_reminders(bot.emu, OLA.id, "Termin mija dziś"), timeout=10)
    await bot.restart()
    [reminder] = due_reminders(bot.emu, OLA.id, "Termin mija dziś")
    assert "zimne pieczywo" in reminder.text and "Zamówienia" in reminder.text
    assert not due_reminders(bot.emu, ZESPOL, "Termin mija dziś")  # not in the group too

    # Piotr (who wrote it) may not resolve from Ola's reminder: it is not in his chat
    await piotr.presses_data(reminder.message_id, f"ib:res:{cold.id}:r", force=True)
    assert get_note(bot.db, ZESPOL, cold.id).status == "open"
    await ola_private.presses(t("pl", "button.resolved"), reminder)
    closed = get_note(bot.db, ZESPOL, cold.id)
    assert (closed.status, closed.resolved_by) == ("resolved", OLA.id)
    assert "rozwiązane przez: Ola" in ola_private.message(reminder.message_id).text

    # overdue: the review and its list flag it
    bot.db.execute("UPDATE notes SET due_on = ? WHERE id = ?",
                   [(today - timedelta(days=2)).isoformat(), slow.id])
    text = "\n".join(m.text for m in await ola.says("/map text"))
    assert "⏰ po terminie" in text
    await ola.presses(t("pl", "button.still_open"), ola.latest_with_buttons())
    await ola.presses(t("pl", "button.finish_review"), ola.latest_with_buttons())
    started = await ola.says("/review")
    assert any("Zadania po terminie" in m.text and "kurier" in m.text for m in started)
    export = next(n for n in list_notes(bot.db, ZESPOL, slow.map_id) if n.id == cold.id)
    assert export.resolved_by_name == "Ola"


async def test_item_buttons_on_a_note_card(bot):
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bogdan = Person(bot, TEAM, BOGDAN, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    [note] = seed(bot, TEAM, ANNA.id, "card payment fails")
    card = (await bogdan.says(f"/note {note.number}"))[-1]
    await bogdan.presses("Assign to me", card)  # nobody owned it: a member may take it
    choosing = bogdan.message(card.message_id)
    assert "When should" in choosing.text
    this_week = next(label for label in choosing.button_texts if label.startswith("This week"))
    await bogdan.presses(this_week, choosing)
    item = get_note(bot.db, TEAM, note.id)
    assert item.owner_id == BOGDAN.id and item.due_on is not None
    redrawn = bogdan.message(card.message_id)
    assert "📅" in redrawn.text and "Due date" in " ".join(redrawn.button_texts)
    # Anna (not an admin) wrote it but Bogdan owns it now: she may not resolve it
    await anna.presses_data(card.message_id, button_data(redrawn, "Resolved"))
    assert "Only the item's owner" in anna.last_answer()["text"]
    await bogdan.presses("Resolved", redrawn)
    assert get_note(bot.db, TEAM, note.id).resolved_by == BOGDAN.id
    await bogdan.presses("Reopen", bogdan.message(card.message_id))
    reopened = get_note(bot.db, TEAM, note.id)
    assert (reopened.status, reopened.resolved_by, reopened.resolved_at) == ("open", None, None)

    # someone who left is no owner; someone without a username is mentioned by name
    [other] = seed(bot, TEAM, ANNA.id, "no parking")
    carl = Person(bot, TEAM, CARL, title="Bakery")
    await carl.says("/help")
    bot.emu.set_member_status(TEAM, CARL.id, "left")
    left = (await anna.says(f"/assign {other.number} @carl_x"))[-1]
    assert "@carl_x is not a member of this chat" in left.text
    bot.emu.set_member_status(TEAM, DANA.id, "member")
    command = f"/assign {other.number} Dana tomorrow"
    anna._fresh()
    bot.emu.send_message(TEAM, command, user=ANNA, title="Bakery", entities=[
        {"type": "bot_command", "offset": 0, "length": 7},
        {"type": "text_mention", "offset": command.index("Dana"), "length": 4,
         "user": DANA.to_json()}])
    bot.expected += 1
    await bot.settle()
    assert "Dana" in anna._fresh()[-1].text
    assigned = get_note(bot.db, TEAM, other.id)
    assert (assigned.owner_id, assigned.owner_name) == (DANA.id, "Dana")
    assert get_note(bot.db, TEAM, note.id).owner_id == BOGDAN.id  # the other item unchanged


async def test_old_item_buttons_say_what_changed_since(bot):
    """Item buttons of an older message, pressed after the note changed elsewhere, say what
    changed — not "conversation ended" — and change nothing."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("Cake orders", finish=True)
    resolved_one, made_touchpoint = seed(bot, ANNA.id, ANNA.id, "card fails", "no parking")
    old_resolved = (await anna.says(f"/note {resolved_one.number}"))[-1]
    old_touch = (await anna.says(f"/note {made_touchpoint.number}"))[-1]
    await bot.restart()  # the next day

    fresh = (await anna.says(f"/note {resolved_one.number}"))[-1]
    await anna.presses("Resolved", fresh)
    await anna.presses("Due date", old_resolved)
    assert anna.last_answer()["text"] == "It was already resolved."
    assert "✓ resolved by Anna" in anna.message(old_resolved.message_id).text  # redrawn
    await anna.presses_data(  # a second old card's button
        old_resolved.message_id, button_data(old_resolved, "Assign to me"), force=True)
    assert anna.last_answer()["text"] == "It was already resolved."
    reopen_card = anna.message(fresh.message_id)
    await anna.presses("Reopen", reopen_card)
    await anna.presses_data(  # pressed twice: the second press is stale
        fresh.message_id, button_data(reopen_card, "Reopen"), force=True)
    assert anna.last_answer()["text"] == "It is already open."

    fresh = (await anna.says(f"/note {made_touchpoint.number}"))[-1]
    await anna.presses("Change kind", fresh)
    await anna.presses("Touchpoint", anna.message(fresh.message_id))
    await anna.presses("Assign to me", old_touch)
    assert anna.last_answer()["text"] == (
        f"#{made_touchpoint.number} is a note of kind “Touchpoint”: only pain points and "
        "opportunities get an owner and a due date."
    )
    rows = bot.db.execute("SELECT kind, status, owner_id, due_on FROM notes ORDER BY id").fetchall()
    assert rows == [("pain_point", "open", None, None), ("touchpoint", "open", None, None)]


async def test_with_weekends_skipped_a_saturday_item_is_reminded_on_friday_in_polish(bot):
    from bot.core.schedule import ReviewRule
    from storage.items import replan_reminders
    from storage.reminders import save_schedule

    ola = Person(bot, ZESPOL, OLA, title="Piekarnia")
    bot.emu.set_member_status(ZESPOL, OLA.id, "administrator")
    await ola.says("/help")  # a Polish group (from Ola's language)
    journey = create_map(bot.db, ZESPOL, "Zamówienia", None, OLA.id,
                         [(k, None) for k in STAGE_KEYS])
    [cold] = seed(bot, ZESPOL, OLA.id, "zimne pieczywo", lang="pl")
    today = local_today(utcnow(), "Europe/Warsaw")
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)  # next week's Saturday
    friday = saturday - timedelta(days=1)

    # the team allows weekends: the reminder goes on the day
    await ola.says(f"/assign {cold.number} @ola {saturday.isoformat()}")
    assert get_note(bot.db, ZESPOL, cold.id).due_on == saturday
    assert reminded_on(bot.db, cold.id) == (saturday, 9)
    # weekends skipped in the map's schedule (what /schedule's toggle saves, then replans)
    save_schedule(bot.db, ZESPOL, journey.id, ReviewRule("weekly"), "Europe/Warsaw",
                  now=utcnow(), skip_weekends=True)
    replan_reminders(bot.db, ZESPOL, utcnow())
    assert reminded_on(bot.db, cold.id) == (friday, 9)
    # a date set again (or another item's) is planned the same way
    await ola.says(f"/assign {cold.number} @ola {friday.isoformat()}")
    await ola.says(f"/assign {cold.number} @ola {saturday.isoformat()}")
    assert reminded_on(bot.db, cold.id) == (friday, 9)

    # Friday 9:00 comes: the reminder goes out, says the date is a skipped weekend day
    bot.db.execute("UPDATE notes SET remind_at = ? WHERE id = ?",
                   [to_iso(utcnow() - timedelta(seconds=1)), cold.id])
    ahead = f"Termin: {format_day('pl', saturday)}"
    await bot.emu.wait_for(lambda: due_reminders(bot.emu, ZESPOL, ahead), timeout=10)
    [reminder] = due_reminders(bot.emu, ZESPOL, ahead)
    assert "dzień weekendu" in reminder.text and "zimne pieczywo" in reminder.text
    await bot.emu.wait_for(  # marked sent right after the message went out
        lambda: bot.db.execute("SELECT status FROM reminders WHERE kind = 'due'").fetchone()
        == ("sent",), timeout=10)


async def test_an_item_corrected_to_an_emotion_is_not_reminded_until_it_is_an_item_again(bot):
    """The reminder job sends nothing for an item corrected to an emotion — neither a plan nor
    a message claimed before the correction —; corrected back, it is reminded (in Polish)."""
    from storage.items import DUE_KIND
    from storage.notes import correct_note
    from storage.reminders import queue_message

    ola = Person(bot, ZESPOL, OLA, title="Piekarnia")
    await ola.says("/help")  # a Polish group (from Ola's language)
    create_map(bot.db, ZESPOL, "Zamówienia", None, OLA.id, [(k, None) for k in STAGE_KEYS])
    [late] = seed(bot, ZESPOL, OLA.id, "kurier się spóźnia", lang="pl")
    assigned = (await ola.says(f"/assign {late.number} @ola jutro"))[-1]
    assert get_note(bot.db, ZESPOL, late.id).owner_id == OLA.id, assigned.text
    correct_note(bot.db, ZESPOL, late.id, OLA.id, kind="emotion")
    assert bot.db.execute("SELECT remind_at FROM notes WHERE id = ?", [late.id]).fetchone()[0] \
        is None
    # a reminder claimed just before the correction (its owner and date still hold): refused
    due_on = get_note(bot.db, ZESPOL, late.id).due_on
    queue_message(bot.db, DUE_KIND, ZESPOL, f"due:{late.id}:{due_on}:{OLA.id}", utcnow(),
                  utcnow(), user_id=OLA.id, ref_id=late.id, map_id=late.map_id)
    await bot.emu.wait_for(lambda: bot.db.execute(
        "SELECT status FROM reminders WHERE ref_id = ?", [late.id]).fetchone()[0] == "failed",
        timeout=10)
    assert not [m for m in bot.emu.bot_messages(ZESPOL) + bot.emu.bot_messages(OLA.id)
                if m.text and "kurier się spóźnia" in m.text and "dziś" in m.text]
    correct_note(bot.db, ZESPOL, late.id, OLA.id, kind="pain_point")
    make_due_today(bot.db, late.id, "Europe/Warsaw")
    await bot.emu.wait_for(lambda: bot.db.execute(
        "SELECT count(*) FROM reminders WHERE ref_id = ? AND status = 'sent'",
        [late.id]).fetchone()[0] == 1, timeout=10)


@pytest.mark.parametrize("user, chat, lang", [(ANNA, TEAM, "en"), (OLA, ZESPOL, "pl")])
async def test_a_resolved_pain_point_made_a_touchpoint_shows_no_resolution_anywhere(
    bot, user, chat, lang
):
    """Corrected on its card to a touchpoint, a resolved pain point is no longer "✓ resolved"
    on the card, in /search or in /map text; corrected back, it is resolved again."""
    person = Person(bot, chat, user, title="Bakery")
    await person.says("/help")
    create_map(bot.db, chat, "Cakes", None, user.id, [(k, None) for k in STAGE_KEYS])
    [slow] = seed(bot, chat, user.id, "slow checkout queue", lang=lang)
    card = (await person.says(f"/note {slow.number}"))[-1]
    await person.presses(t(lang, "button.resolved"), card)
    resolved_by = t(lang, "item.resolved_by", who=user.first_name, date="")[:-1]
    assert resolved_by in person.message(card.message_id).text

    await person.presses(t(lang, "button.change_kind"), person.message(card.message_id))
    await person.presses(t(lang, "kind.touchpoint"), person.message(card.message_id))
    shown = [(await person.says(f"/note {slow.number}"))[-1].text,
             (await person.says("/search checkout"))[-1].text,
             "\n".join(m.text for m in await person.says("/map text"))]
    for text in shown:
        assert "slow checkout queue" in text and "✓" not in text and resolved_by not in text
    assert t(lang, "kind.resolved", kind=t(lang, "kind.touchpoint")) not in shown[0]

    card = (await person.says(f"/note {slow.number}"))[-1]
    await person.presses(t(lang, "button.change_kind"), card)
    await person.presses(t(lang, "kind.pain_point"), person.message(card.message_id))
    assert resolved_by in (await person.says(f"/note {slow.number}"))[-1].text
    assert "✓ slow checkout queue" in "\n".join(m.text for m in await person.says("/map text"))
