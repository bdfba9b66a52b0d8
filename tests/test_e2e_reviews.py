"""End to end: review schedules, reminders that survive restarts and flood control, reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from storage.chats import remember_chat
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.notes import add_note, list_notes
from storage.reminders import claim_due, get_schedule, save_schedule
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(701, "Anna", language_code="en")
BOGDAN = User(702, "Bogdan", language_code="en")
TEAM = -7001
REMINDER = "Time to review"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


def pain(text: str, stage: str = "purchase") -> NoteDraft:
    return NoteDraft(text=text, lang="en", kind="pain_point", stage_key=stage)


def make_due(db, chat_id: int) -> None:
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE chat_id = ?",
        [to_iso(utcnow() - timedelta(seconds=1)), chat_id],
    )


def reminders_in(emu, chat_id: int) -> list:
    return [m for m in emu.bot_messages(chat_id) if m.text and REMINDER in m.text]


async def test_schedule_reminder_review_and_summary(bot):
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bogdan = Person(bot, TEAM, BOGDAN, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")  # plans the reviews
    summary_of_map = (await anna.starts_map("Cake orders", finish=True))[-1]
    offered = (await anna.presses("Plan regular reviews", summary_of_map))[-1]
    assert "No reviews planned yet" in offered.text
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    stage = bot.db.execute("SELECT id FROM stages WHERE key = 'purchase'").fetchone()[0]
    for text in ("card payment fails", "no parking near the shop"):
        add_note(bot.db, TEAM, journey_id, stage, pain(text), ANNA.id)

    status = (await anna.says("/schedule"))[-1]
    assert "No reviews planned yet" in status.text
    await anna.presses("Weekly", status)
    assert "Europe" not in anna.message(status.message_id).text  # an English chat: UTC
    await anna.presses("Yes", anna.message(status.message_id))
    saved = anna.message(status.message_id).text
    assert "Every Monday at 10:00" in saved and "Next review: Monday" in saved
    assert get_schedule(bot.db, TEAM, journey_id).timezone == "UTC"

    make_due(bot.db, TEAM)  # move time: the review is due now
    await bot.emu.wait_for(lambda: reminders_in(bot.emu, TEAM), timeout=5)
    reminder = reminders_in(bot.emu, TEAM)[0]
    assert "Cake orders" in reminder.text and "2 notes" in reminder.text
    assert reminder.button_texts == ["▶️ Start review", "Snooze 1 day", "Skip this time"]

    card = (await anna.presses("Start review", reminder))[-1]
    assert "Pain point 1 of 2" in card.text and "card payment fails" in card.text
    second = (await bogdan.presses("Resolved", card))[-1]
    assert "Resolved — Bogdan" in anna.message(card.message_id).text
    assert "no parking" in second.text
    await anna.presses("Assign to me", second)
    asked = (await anna.presses("Add an idea", second))[-1]
    assert "What could fix" in asked.text
    await anna.answers("partner with the car park next door")
    ask_new = (await anna.presses("Still open", anna.message(second.message_id)))[-1]
    assert "Anything new" in ask_new.text
    await anna.answers("/note customers want to pay with BLIK")
    summary = (await anna.presses("Finish review", ask_new))[-1]
    assert "Resolved: 1 · still open: 1 · new ideas: 1 · new notes: 1" in summary.text
    assert "Anna" in summary.text and "Bogdan" in summary.text

    review = bot.db.execute("SELECT finished_at, participants FROM reviews").fetchone()
    assert review[0] is not None and set(eval(review[1])) == {ANNA.id, BOGDAN.id}
    notes = {n.text: n for n in list_notes(bot.db, TEAM, journey_id)}
    assert notes["card payment fails"].status == "resolved"
    assert notes["no parking near the shop"].owner_id == ANNA.id
    idea = bot.db.execute("SELECT kind, parent_id FROM notes WHERE text LIKE 'partner%'").fetchone()
    assert idea == ("opportunity", notes["no parking near the shop"].id)
    # the buttons of a finished review are stale
    review_id = bot.db.execute("SELECT id FROM reviews").fetchone()[0]
    await anna.presses_data(ask_new.message_id, f"rp:res:{review_id}:1", force=True)
    assert "ended" in anna.last_answer()["text"]


def schedule_for(db, chat_id: int, name: str = "Map") -> int:
    remember_chat(db, chat_id, "group", f"Team {chat_id}", "en")
    journey = create_map(db, chat_id, name, None, None, [(k, None) for k in STAGE_KEYS])
    save_schedule(db, chat_id, journey.id, ReviewRule("weekly"), "UTC", now=utcnow())
    return journey.id


async def test_a_reminder_due_during_downtime_is_sent_exactly_once(bot):
    bot.emu.create_chat(TEAM, chat_type="group", title="Bakery")
    schedule_for(bot.db, TEAM)
    await bot.stop()
    db = open_db(bot.db_path)
    make_due(db, TEAM)  # due while the bot was down …
    claim_due(db, utcnow())  # … and claimed by a bot that crashed before sending
    db.close()
    await bot.start()
    await bot.emu.wait_for(lambda: reminders_in(bot.emu, TEAM), timeout=5)
    await bot.restart()
    await bot.restart()
    assert len(reminders_in(bot.emu, TEAM)) == 1
    row = bot.db.execute("SELECT status, message_id FROM reminders").fetchone()
    assert row[0] == "sent" and row[1] == reminders_in(bot.emu, TEAM)[0].message_id


async def test_flood_control_still_delivers_every_reminder_once(emu, tmp_path):
    bot = BotUnderTest(emu, tmp_path / "bot.db", rate_limit=True)
    await bot.start()
    try:
        chats = [-7100 - i for i in range(6)]
        for chat_id in chats:
            emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
            schedule_for(bot.db, chat_id)
        emu.inject("sendMessage", status=429, retry_after=1, times=4)
        for chat_id in chats:
            make_due(bot.db, chat_id)
        await emu.wait_for(lambda: all(reminders_in(emu, c) for c in chats), timeout=15)
        await bot.restart()
        assert [len(reminders_in(emu, c)) for c in chats] == [1] * 6
        assert sum(1 for c in emu.calls("sendMessage") if c.error_code == 429) == 4
    finally:
        await bot.stop()


async def test_a_chat_that_is_gone_without_a_word_gets_its_schedules_paused(bot):
    """No `my_chat_member` update came (a group deleted, or the bot was removed while it was
    down and the update never arrived): the failed send pauses the chat's schedules. (With the
    update, they pause at once: tests/test_e2e_chat_presence.py.)"""
    gone = -7999  # a group Telegram does not know (any more): "chat not found"
    journey_id = schedule_for(bot.db, gone)
    make_due(bot.db, gone)
    await bot.emu.wait_for(
        lambda: bot.db.execute("SELECT paused FROM schedules").fetchone()[0] == 1, timeout=5
    )
    assert get_schedule(bot.db, gone, journey_id).paused
    assert bot.db.execute("SELECT status FROM reminders").fetchone()[0] == "failed"


async def test_the_first_reminder_check_runs_as_soon_as_the_bot_is_up(emu, tmp_path):
    """A slow start used to push the first check a whole interval later; now it runs when the
    bot is up, whatever the interval (the test fails if it waits for the 60 s interval: checked
    by removing the delivery in bot/app.py _start_background). The slow step is deleteWebhook,
    answered 1 s late: polling begins with it, after post_init has added the repeating check,
    and the first delivery follows the first poll's answers. Before, setMyCommands was delayed;
    the command menus now go out after the first answers, so they no longer slow the start."""
    emu.create_chat(TEAM, chat_type="group", title="Bakery")
    db = open_db(tmp_path / "bot.db")
    schedule_for(db, TEAM)
    make_due(db, TEAM)
    db.close()
    emu.inject("deleteWebhook", delay=1.0)
    bot = BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, reminder_interval=60)
    async with bot:  # well before the 60 s interval
        await emu.wait_for(lambda: reminders_in(emu, TEAM), timeout=10)


async def test_a_pain_point_resolved_in_review_is_resolved_in_every_view(bot):
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    stages = dict(bot.db.execute("SELECT key, id FROM stages").fetchall())
    add_note(bot.db, TEAM, journey_id, stages["purchase"], pain("card payment fails"), ANNA.id)
    add_note(bot.db, TEAM, journey_id, stages["purchase"], pain("card declined twice"), ANNA.id)
    add_note(bot.db, TEAM, journey_id, stages["decision"], pain("no delivery slots"), ANNA.id)

    card = (await anna.says("/review"))[-1]
    assert "no delivery slots" in card.text  # Decision comes before Purchase
    await anna.presses("Resolved", card)

    text = "\n".join(m.text for m in await anna.says("/map text"))
    assert "3 notes · 2 open pain points · ✓ 1 resolved" in text
    decision = text[text.index("3. Decision") : text.index("4. Purchase")]
    assert "⚠️ Pain points" not in decision
    assert "✓ Resolved pain points (1)\n• ✓ no delivery slots" in decision
    purchase = text[text.index("4. Purchase") :]
    assert "⚠️ Pain points (2)\n• card payment fails" in purchase
    replies = await anna.says("/insights")
    assert "Where it hurts: Purchase (2 open pain points, 2 notes)" in replies[0].text
    assert "Decision (" not in replies[0].text
    assert "Whole journey: 3 notes, 2 open pain points" in replies[0].text
    assert replies[1].method == "sendPhoto"


async def test_a_review_card_whose_pain_point_changed_since_changes_nothing(bot):
    """A card pressed after its pain point was resolved, re-kinded or deleted elsewhere says
    so, changes nothing, and the review moves on (second day: the review was left open)."""
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    stages = dict(bot.db.execute("SELECT key, id FROM stages").fetchall())
    slow, card_fails, parking = (
        add_note(bot.db, TEAM, journey_id, stages[stage], pain(text), ANNA.id)
        for stage, text in [("awareness", "ads are everywhere"), ("decision", "card fails"),
                            ("purchase", "no parking")]
    )
    first = (await anna.says("/review"))[-1]
    assert "ads are everywhere" in first.text
    await bot.restart()

    # resolved from its note card meanwhile: "Still open" on the old card keeps it resolved
    await anna.presses("Resolved", (await anna.says(f"/note {slow.number}"))[-1])
    replies = await anna.presses("Still open", first)
    assert anna.last_answer()["text"] == f"#{slow.number} is already resolved — nothing changed."
    assert "Still open" not in anna.message(first.message_id).text
    assert "card fails" in replies[-1].text  # the review went on to the next pain point
    second = replies[-1]

    # made an emotion meanwhile: "Resolved" on the old card does not resolve it
    note_card = (await anna.says(f"/note {card_fails.number}"))[-1]
    await anna.presses("Change kind", note_card)
    await anna.presses("Emotion", anna.message(note_card.message_id))
    replies = await anna.presses("Resolved", second)
    assert anna.last_answer()["text"] == (
        f"#{card_fails.number} is no longer a pain point (now: Emotion) — nothing changed."
    )
    assert "no parking" in replies[-1].text
    third = replies[-1]

    # deleted meanwhile: its buttons say so
    await anna.says(f"/delete {parking.number}")
    await anna.presses("Yes")
    await anna.presses("Assign to me", third)
    assert anna.last_answer()["text"] == "That note has been deleted — nothing changed."

    rows = dict(bot.db.execute("SELECT number, kind || ':' || status || ':' || "
                               "coalesce(owner_id, '') FROM notes").fetchall())
    assert rows == {slow.number: "pain_point:resolved:", card_fails.number: "emotion:open:"}
    history = (await anna.says("/history"))[0].text
    assert "✅ resolved: 0 · ⏳ still open: 0" in history


async def test_a_changed_pain_point_on_an_old_review_card_in_polish(emu, tmp_path):
    ola = User(703, "Ola", language_code="pl")
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        person = Person(bot, ola.id, ola)
        await person.says("/newmap Piekarnia")
        await person.presses("Pomiń")
        await person.presses("Zostaw te etapy")
        await person.presses("Zakończ")
        journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
        stage = bot.db.execute("SELECT id FROM stages WHERE key = 'purchase'").fetchone()[0]
        draft = NoteDraft(text="karta odrzucona", lang="pl", kind="pain_point",
                          stage_key="purchase")
        note = add_note(bot.db, ola.id, journey_id, stage, draft, ola.id)
        card = (await person.says("/review"))[-1]
        note_card = (await person.says(f"/note {note.number}"))[-1]
        await person.presses("Zmień rodzaj", note_card)
        await person.presses("Możliwość", person.message(note_card.message_id))
        await person.presses("Rozwiązany", card)
        assert person.last_answer()["text"] == (
            f"#{note.number} nie jest już problemem (teraz: Możliwość) — nic się nie zmieniło."
        )
        kind, status = bot.db.execute("SELECT kind, status FROM notes").fetchone()
        assert (kind, status) == ("opportunity", "open")


async def test_an_idea_for_a_pain_point_deleted_meanwhile_is_kept(bot):
    """"Add an idea", then someone deletes the pain point before the idea is typed: the idea
    is still stored (as an opportunity of the map) and the reply says so with its number."""
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bogdan = Person(bot, TEAM, BOGDAN, title="Bakery")
    bot.emu.set_member_status(TEAM, BOGDAN.id, "administrator")
    await anna.starts_map("Cake orders", finish=True)
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    stage = bot.db.execute("SELECT id FROM stages WHERE key = 'purchase'").fetchone()[0]
    parking = add_note(bot.db, TEAM, journey_id, stage, pain("no parking near the shop"), ANNA.id)
    card = (await anna.says("/review"))[-1]
    await anna.presses("Add an idea", card)
    await bogdan.says(f"/delete {parking.number}")
    await bogdan.presses("Yes")
    said = (await anna.answers("partner with the garage next door"))[-1]
    rows = bot.db.execute("SELECT number, kind, text, parent_id FROM notes").fetchall()
    assert rows == [(2, "opportunity", "partner with the garage next door", None)]
    assert said.text == (
        "💡 Idea saved as note #2 — the pain point it answered was deleted meanwhile."
    )


async def test_a_review_continued_the_next_day_takes_the_pain_points_added_since(bot):
    """A review left open yesterday, continued with /review today, also walks the pain points
    added since (it walked yesterday's queue only, then asked "anything new?")."""
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    stages = dict(bot.db.execute("SELECT key, id FROM stages").fetchall())
    add_note(bot.db, TEAM, journey_id, stages["purchase"], pain("card fails"), ANNA.id)
    first = (await anna.says("/review"))[-1]
    assert "Pain point 1 of 1" in first.text
    await bot.restart()
    add_note(bot.db, TEAM, journey_id, stages["decision"], pain("no prices online"), ANNA.id)

    again = await anna.says("/review")
    assert again[0].text == "A review of this map is already running — continuing it."
    assert "Pain point 1 of 2" in again[-1].text and "card fails" in again[-1].text
    nxt = (await anna.presses("Resolved", again[-1]))[-1]
    assert "Pain point 2 of 2" in nxt.text and "no prices online" in nxt.text


async def test_a_review_of_the_other_map_and_a_split_offer_are_headed_by_their_map(bot):
    """A chat with two maps: the reminder of the map that is not active starts a review whose
    overdue line, cards, date question and typed-date prompt all say which map "#N" is on (the
    active map's numbers are different notes); a split offer and its "kept" say theirs."""
    from bot.texts import t
    from storage.items import set_owner_and_due
    from tests.test_e2e_voice import REVIEW_EN

    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map("Cake orders", finish=True)
    cakes = bot.db.execute("SELECT id FROM maps WHERE name = 'Cake orders'").fetchone()[0]
    stage = bot.db.execute("SELECT id FROM stages WHERE map_id = ? AND key = 'purchase'",
                           [cakes]).fetchone()[0]
    late = add_note(bot.db, TEAM, cakes, stage, pain("the courier is always late"), ANNA.id)
    set_owner_and_due(bot.db, TEAM, late.id, ANNA.id, (utcnow() - timedelta(days=3)).date(),
                      now=utcnow())
    add_note(bot.db, TEAM, cakes, stage, pain("card payment fails"), ANNA.id)
    await anna.starts_map("Bread box", finish=True)  # now the active map
    save_schedule(bot.db, TEAM, cakes, ReviewRule("weekly"), "UTC", now=utcnow())
    make_due(bot.db, TEAM)
    await bot.emu.wait_for(lambda: reminders_in(bot.emu, TEAM), timeout=5)

    cakes_title, bread_title = "🗺 Cake orders\n", "🗺 Bread box\n"
    started = await anna.presses("Start review", reminders_in(bot.emu, TEAM)[0])
    overdue = next(m for m in started if "Overdue items" in m.text)
    assert overdue.text.startswith(cakes_title) and "#1 the courier" in overdue.text
    card = started[-1]
    assert card.text.startswith(cakes_title + "🔎 Pain point 1 of 2"), card.text
    await anna.presses("Assign to me", card)
    picking = anna.message(card.message_id)
    assert picking.text.startswith(cakes_title) and "When should #1" in picking.text
    asked = (await anna.presses("Pick a date…", picking))[-1]
    assert asked.text.startswith(cakes_title + "Type the due date for #1"), asked.text

    await anna.says("/cancel")
    await anna.says(f"/note {REVIEW_EN}")
    offer = next(m for m in reversed(bot.emu.bot_messages(TEAM))
                 if t("en", "split.keep") in (m.button_texts or []))
    assert offer.text.startswith(bread_title), offer.text
    await anna.presses("Keep as one", offer)
    kept = anna.message(offer.message_id).text
    assert kept.startswith(bread_title + "Kept as one note, #"), kept


async def test_a_stale_review_card_alert_names_a_long_map_in_plain_text(bot):
    """Pop-up alerts are plain text of at most 200 characters: in a chat with two maps, the
    alert of a stale review card is headed "🗺 Name" without <b> or &amp;, a 120-character
    name is cut so the alert fits (Telegram refused it before: MESSAGE_TOO_LONG, and the
    review stuck on that card), and the review goes on."""
    long_name = ("Cakes & pies & R&D & Q&A " * 5)[:120].strip()  # "&amp;" was 4 more each
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    await anna.starts_map(long_name, finish=True)
    journey_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    assert bot.db.execute("SELECT name FROM maps").fetchone()[0] == long_name
    stages = dict(bot.db.execute("SELECT key, id FROM stages").fetchall())
    slow, _ = (add_note(bot.db, TEAM, journey_id, stages[stage], pain(text), ANNA.id)
               for stage, text in [("awareness", "ads are everywhere"),
                                   ("decision", "card fails")])
    first = (await anna.says("/review"))[-1]
    await anna.presses("Resolved", (await anna.says(f"/note {slow.number}"))[-1])
    await anna.starts_map("Bread box", finish=True)  # a second map: alerts name theirs

    replies = await anna.presses("Still open", first)
    alert = anna.last_answer()
    said = f"#{slow.number} is already resolved — nothing changed."
    assert alert["show_alert"] and alert["text"].endswith("\n" + said), alert
    assert len(alert["text"]) <= 200
    assert alert["text"].split("\n")[0] == f"🗺 {long_name}"  # no <b>, no &amp;
    assert "card fails" in replies[-1].text  # the review went on to the next pain point

    # a longer alert (an item's "no longer an item", 97 characters) cuts the name to fit
    from types import SimpleNamespace

    from bot.flows.common import alert_on_map
    from bot.texts import t
    from storage.maps import get_map
    said = t("en", "item.not_item", number=12, kind=t("en", "kind.emotion"))
    cut = alert_on_map(SimpleNamespace(db=bot.db), get_map(bot.db, TEAM, journey_id), said)
    assert len(cut) <= 200 and cut.endswith("…\n" + said) and cut.startswith("🗺 Cakes & pies")
