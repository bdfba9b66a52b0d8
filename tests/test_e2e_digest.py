"""End to end: /digest and /history on a team with a past (reviews, resolved and deleted notes,
owners and due dates), in English and Polish; the charts' pixels and the numbers behind them."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import timedelta

import pytest
from PIL import Image

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.render import PAIN, RESOLVED_BAR
from storage.chats import remember_chat, remember_user, set_active_map
from storage.checkins import remember_member, save_checkin_schedule, set_checkins_off
from storage.db import from_iso, open_db, to_iso, utcnow
from storage.digests import claim_weekly_digests, weekly_digest_at
from storage.items import resolve_item, set_owner_and_due
from storage.maps import create_map
from storage.notes import add_note, delete_note
from storage.reviews import finish_review, record_outcome, start_review
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(801, "Anna", language_code="en")
BOGDAN = User(802, "Bogdan", language_code="en")
OLENA = User(803, "Olena", language_code="en")
TEAM = -8001
NOW = utcnow().replace(microsecond=0)


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        # the background work starts once the people waiting at start are answered (none here)
        await asyncio.wait_for(bot.app.bot_data["background"], 60)
        await asyncio.wait_for(bot.app.bot_data["worker"], 60)  # matplotlib loaded (busy CI)
        yield bot


def write(db, chat_id, journey, stage_key, text, author, days_ago, kind="pain_point", lang="en"):
    draft = NoteDraft(text=text, lang=lang, kind=kind, stage_key=stage_key)
    note = add_note(db, chat_id, journey.id, journey.stage_for_key(stage_key).id, draft, author)
    when = to_iso(NOW - timedelta(days=days_ago))
    db.execute("UPDATE notes SET created_at = ? WHERE id = ?", [when, note.id])
    return note


def team_with_a_past(db, chat_id: int, lang: str, texts: dict[str, str]):
    """Three weeks of a team: a finished review, an abandoned one, resolved and deleted notes,
    owners with due dates (one overdue)."""
    for user in (ANNA, BOGDAN, OLENA):
        remember_user(db, user.id, user.first_name, None, lang)
    remember_chat(db, chat_id, "supergroup", "Bakery", lang)
    journey = create_map(db, chat_id, "Cake orders", None, ANNA.id, [(k, None) for k in STAGE_KEYS])
    if chat_id < 0:  # the bot has seen the three of them write in the group
        for user in (ANNA, BOGDAN, OLENA):
            remember_member(db, chat_id, user.id, NOW - timedelta(days=30))
    write(db, chat_id, journey, "awareness", texts["posts"], OLENA.id, 21, kind="touchpoint")
    card = write(db, chat_id, journey, "purchase", texts["card"], ANNA.id, 21)
    basket = write(db, chat_id, journey, "purchase", texts["basket"], ANNA.id, 21)
    slots = write(db, chat_id, journey, "decision", texts["slots"], ANNA.id, 21)
    review = start_review(db, chat_id, journey.id, ANNA.id, NOW - timedelta(days=20))
    review = record_outcome(db, review, slots.id, "resolved", BOGDAN.id, NOW - timedelta(days=20))
    finish_review(db, review, NOW - timedelta(days=20, minutes=-5))
    start_review(db, chat_id, journey.id, BOGDAN.id, NOW - timedelta(days=9))  # abandoned
    cash = write(db, chat_id, journey, "purchase", texts["cash"], BOGDAN.id, 2)
    loyalty = write(db, chat_id, journey, "retention", texts["loyalty"], BOGDAN.id, 2)
    typo = write(db, chat_id, journey, "purchase", "typo", BOGDAN.id, 2)
    delete_note(db, chat_id, typo.id)
    resolve_item(db, chat_id, basket.id, BOGDAN.id, NOW - timedelta(days=1))
    today = NOW.date()
    set_owner_and_due(db, chat_id, card.id, ANNA.id, today - timedelta(days=3), now=NOW)
    set_owner_and_due(db, chat_id, loyalty.id, BOGDAN.id, today + timedelta(days=5), now=NOW)
    return journey, {"card": card, "cash": cash, "loyalty": loyalty, "basket": basket}


def png_of(message) -> tuple[Image.Image, dict]:
    assert message.method == "sendPhoto"
    image = Image.open(io.BytesIO(message.files[0].data))
    return image.convert("RGB"), json.loads(image.text["Description"])


def has_colour(image: Image.Image, hex_colour: str) -> bool:
    wanted = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(count and colour == wanted for count, colour in image.getcolors(1 << 20))


def series(data: dict, stage_id: int) -> tuple[list[int], list[int]]:
    found = next(s for s in data["stages"] if s["stage_id"] == stage_id)
    return found["open"], found["resolved"]


EN = {
    "posts": "instagram posts with cakes",
    "card": "card payment fails",
    "basket": "basket empties after login",
    "slots": "no delivery slots",
    "cash": "cash only on delivery",
    "loyalty": "no loyalty card",
}


async def test_digest_in_a_group_with_a_past_agrees_with_the_data(bot):
    journey, notes = team_with_a_past(bot.db, TEAM, "en", EN)
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    text, chart = await anna.says("/digest")
    lines = text.text.splitlines()
    assert lines[0] == "📬 Digest: Cake orders"
    assert "📝 2 new notes: Purchase 1 (⚠️ 1), Retention 1 (⚠️ 1)" in lines
    assert "⚠️ New pain points, still open (2):" in lines
    assert f"• #{notes['cash'].number} cash only on delivery · Purchase" in lines
    assert "✅ Resolved (1):" in lines
    basket = f"• #{notes['basket'].number} basket empties after login · Purchase"
    assert f"{basket} — resolved by Bogdan" in lines  # who closed it (notes.resolved_by)
    assert "🙌 Thanks for the notes: Bogdan (2)" in lines
    assert "👋 Not heard from this time: Anna, Olena." in text.text
    items = lines.index("📌 Open items (2, ⏰ 1 overdue):")
    assert lines[items + 1].startswith(f"⏰ #{notes['card'].number} card payment fails — Anna")
    assert lines[items + 2].startswith(f"• #{notes['loyalty'].number} no loyalty card — Bogdan")
    assert "Weekly digest: off." in text.text
    assert text.button_texts == ["📬 Every Monday"]

    image, data = png_of(chart)
    purchase = journey.stage_for_key("purchase").id
    decision = journey.stage_for_key("decision").id
    assert len(data["moments"]) == 2 and data["labels"][-1] == "now"  # one finished review, now
    assert series(data, purchase) == ([2, 2], [0, 1])  # card+basket; then card+cash, basket ✓
    assert series(data, decision) == ([0, 0], [1, 1])
    assert has_colour(image, PAIN) and has_colour(image, RESOLVED_BAR)

    # deleting a note changes every count at once
    await anna.says(f"/delete {notes['cash'].number}")
    await anna.presses("Yes")
    text, chart = await anna.says("/digest")
    assert "📝 1 new note: Retention 1 (⚠️ 1)" in text.text
    assert "cash only on delivery" not in text.text
    assert series(png_of(chart)[1], purchase) == ([2, 1], [0, 1])


async def test_who_wrote_on_another_map_this_week_is_not_named_as_not_heard_from(bot):
    """Olena wrote nothing on Cake orders but made the team's second map this week: the
    digest of Cake orders thanks her for nothing there and never says it has not heard from
    her. Anna's only note elsewhere is a month old (and one of this week deleted): still
    quiet."""
    journey, _ = team_with_a_past(bot.db, TEAM, "en", EN)
    weddings = create_map(bot.db, TEAM, "Wedding cakes", None, OLENA.id,
                          [(k, None) for k in STAGE_KEYS])
    write(bot.db, TEAM, weddings, "decision", "tasting costs extra", OLENA.id, 2)
    write(bot.db, TEAM, weddings, "decision", "asks for a tasting", ANNA.id, 30)
    gone = write(bot.db, TEAM, weddings, "purchase", "typo", ANNA.id, 1)
    delete_note(bot.db, TEAM, gone.id)
    set_active_map(bot.db, TEAM, journey.id)  # the team switched back to Cake orders
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    text, _ = await anna.says("/digest")
    assert text.text.splitlines()[0] == "📬 Digest: Cake orders"
    assert "🙌 Thanks for the notes: Bogdan (2)" in text.text
    assert "👋 Not heard from this time: Anna." in text.text  # not Olena




async def test_history_lists_reviews_with_outcomes_and_draws_them(bot):
    journey, _ = team_with_a_past(bot.db, TEAM, "en", EN)
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    text, chart = await anna.says("/history")
    lines = text.text.splitlines()
    assert lines[0] == "🗂 Review history: Cake orders · 2 reviews"
    assert lines[2].startswith("⏸ ") and lines[2].endswith("· Bogdan · not finished")
    assert lines[5].startswith("📋 ") and lines[5].endswith("· Anna, Bogdan")
    assert "✅ resolved: 1 · ⏳ still open: 0 · 💡 ideas: 0" in lines[6]
    image, data = png_of(chart)
    assert series(data, journey.stage_for_key("decision").id) == ([0, 0], [1, 1])
    assert has_colour(image, RESOLVED_BAR)
    assert chart.caption.startswith("📈 Open and resolved pain points per stage")


async def test_history_pages_through_many_reviews(bot):
    journey, _ = team_with_a_past(bot.db, TEAM, "en", EN)
    for day in range(10, 0, -1):
        review = start_review(bot.db, TEAM, journey.id, ANNA.id, NOW - timedelta(days=day))
        finish_review(bot.db, review, NOW - timedelta(days=day, minutes=-1))
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    first, chart = await anna.says("/history")
    assert "12 reviews" in first.text and "… 4 more — press “Older”." in first.text
    assert first.text.count("📋") + first.text.count("⏸") == 8
    assert len(png_of(chart)[1]["moments"]) == 12  # the last eleven finished reviews, and now
    await anna.presses("Older", first)
    second = anna.message(first.message_id)
    assert second.text.count("📋") + second.text.count("⏸") == 4
    assert "more — press" not in second.text and second.button_texts == ["Newer »"]


PL = {
    "posts": "posty na instagramie z tortami",
    "card": "płatność kartą nie działa",
    "basket": "koszyk się czyści po zalogowaniu",
    "slots": "brak terminów dostawy",
    "cash": "tylko gotówka przy odbiorze",
    "loyalty": "brak karty stałego klienta",
}
ANIA = User(811, "Ania", language_code="pl")


async def test_digest_and_weekly_switch_in_polish_in_a_private_chat(bot):
    team_with_a_past(bot.db, ANIA.id, "pl", PL)
    remember_chat(bot.db, ANIA.id, "private", "Ania", "pl")
    ania = Person(bot, ANIA.id, ANIA)
    text, chart = await ania.says("/digest")
    assert text.text.startswith("📬 Podsumowanie: Cake orders")
    assert "📝 2 nowe notatki: Zakup 1 (⚠️ 1), Lojalność 1 (⚠️ 1)" in text.text
    assert "Tym razem bez notatek" not in text.text  # nobody is named in a private chat
    assert "📌 Otwarte zadania (2, ⏰ po terminie: 1):" in text.text
    assert "koszyk się czyści po zalogowaniu · Zakup — rozwiązane przez: Bogdan" in text.text
    assert chart.caption.startswith("📈 Problemy na etapach")
    await ania.presses("Co poniedziałek", text)
    confirmed = ania.emu.last_bot_message(ANIA.id)
    assert "Cotygodniowe podsumowanie mapy „Cake orders” włączone" in confirmed.text
    assert "(Europe/Warsaw)" in confirmed.text
    assert ania.message(text.message_id).button_texts == ["🔕 Wyłącz cotygodniowe"]
    replies = await ania.says("/digest 400")
    assert "/digest 30" in replies[0].text  # the usage, nothing else
    replies = await ania.says("/digest off")
    assert "wyłączone" in replies[0].text


async def test_exports_carry_the_review_history(bot):
    team_with_a_past(bot.db, TEAM, "en", EN)
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    (document,) = await anna.says("/export json")
    exported = json.loads(document.files[0].data)["map"]
    history = exported["history"]
    assert [row["finished_at"] is None for row in history] == [False, True]  # oldest first
    first = history[0]
    assert (first["resolved"], first["people"]) == (1, ["Anna", "Bogdan"])
    stages = {s["stage"]: (s["open"], s["resolved"]) for s in first["stages"]}
    assert stages["Purchase"] == (2, 0) and stages["Decision"] == (0, 1)
    assert history[1]["stages"] is None and history[1]["new_notes"] is None
    (markdown,) = await anna.says("/export md")
    text = markdown.files[0].data.decode()
    table = text[text.index("## Review history") :].splitlines()
    assert table[2].startswith("| Day | Taken part | ✅ Resolved")
    assert table[4].endswith(" ⏸ | Bogdan | 0 | 0 | 0 | 0 | — | — |")
    assert table[5].endswith("| Anna, Bogdan | 1 | 0 | 0 | 0 | 0 | Purchase 2 |")


def digests_in(emu, chat_id: int, title: str = "📬 Weekly digest") -> list:
    return [m for m in emu.bot_messages(chat_id) if m.text and m.text.startswith(title)]


async def test_the_weekly_digest_is_posted_once_across_restarts(bot):
    journey, _ = team_with_a_past(bot.db, TEAM, "en", EN)
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    anna = Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery")
    (switched,) = await anna.says("/digest weekly")
    assert "every Monday at 9:00 (UTC)" in switched.text
    monday = weekly_digest_at(bot.db, TEAM, journey.id)
    assert (monday.weekday(), monday.hour, monday.minute) == (0, 9, 0) and monday > NOW

    await bot.stop()
    db = open_db(bot.db_path)
    due = utcnow() - timedelta(seconds=1)
    db.execute("UPDATE digest_settings SET next_run_at = ?", [to_iso(due)])
    claim_weekly_digests(db, utcnow())  # claimed by a bot that stopped before sending
    db.close()
    await bot.start()
    await bot.emu.wait_for(lambda: digests_in(bot.emu, TEAM), timeout=30)
    await bot.restart()
    await bot.restart()
    (posted,) = digests_in(bot.emu, TEAM)
    assert "📝 2 new notes" in posted.text and "🔕 Stop the weekly digest" in posted.button_texts
    await bot.emu.wait_for(
        lambda: [m for m in bot.emu.bot_messages(TEAM) if m.method == "sendPhoto"], timeout=30
    )
    status = bot.db.execute("SELECT status FROM reminders WHERE kind = 'digest'").fetchall()
    assert status == [("sent",)]
    since, until = bot.db.execute("SELECT since, until FROM digests").fetchone()
    assert until == to_iso(due)
    assert from_iso(until) - from_iso(since) == timedelta(days=7)
    following = weekly_digest_at(bot.db, TEAM, journey.id)
    assert following > utcnow() and following.weekday() == 0

    # the next one starts where this one ended, and a /digest now does too
    (now_digest, _) = await anna.says("/digest")
    assert f"🗓 {until[:10]} → " in now_digest.text


async def test_a_check_in_round_ends_with_the_digest_once(bot):
    team_with_a_past(bot.db, TEAM, "en", EN)
    bot.emu.create_chat(TEAM, chat_type="supergroup", title="Bakery")
    set_checkins_off(bot.db, TEAM, OLENA.id, True)  # opted out: never named as quiet
    save_checkin_schedule(bot.db, TEAM, ReviewRule("weekly"), "UTC", now=utcnow())
    bot.db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())]
    )
    asked = await bot.emu.wait_for(
        lambda: [m for m in bot.emu.bot_messages(TEAM) if "customers" in (m.text or "")],
        timeout=30,
    )
    bogdan = Person(bot, TEAM, BOGDAN, chat_type="supergroup", title="Bakery")
    await bogdan.says("delivery came an hour late", reply_to=asked[0].message_id)
    bot.db.execute("UPDATE checkin_rounds SET closes_at = ?", [to_iso(utcnow())])

    def posted():
        return [m for m in bot.emu.bot_messages(TEAM) if "After the check-in" in (m.text or "")]

    (digest,) = await bot.emu.wait_for(posted, timeout=30)
    lines = digest.text.splitlines()
    assert lines[0].startswith("🗣 Check-in of ") and "Answered: 1 of 2." in lines
    assert "📬 After the check-in: Cake orders" in lines
    assert "🙌 Thanks for the notes: Bogdan (3)" in lines  # two earlier this week, one now
    assert "👋 Not heard from this time: Anna." in digest.text  # not Olena: she opted out
    await bot.restart()
    await bot.settle()
    assert len(posted()) == 1
    assert not [m for m in bot.emu.bot_messages(TEAM) if "closed" in (m.text or "")][1:]
    row = bot.db.execute("SELECT trigger, until FROM digests").fetchone()
    assert row[0] == "checkin"
