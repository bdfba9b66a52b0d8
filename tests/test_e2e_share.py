"""End to end through the Bot API emulator: the map picture, exports as documents, insights,
search with paging, /export all and /forget — each only ever about the chat it is used in."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import matplotlib.image
import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from storage.maps import create_map
from storage.notes import add_note
from storage.search import notes_to_index
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(601, "Anna", username="anna", language_code="en")
OLA = User(602, "Ola", language_code="pl")
BOSS = User(603, "Boss", language_code="en")
TEAM = -6001


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def fill_map(db, chat_id, author_id, notes):
    """A map with the six standard stages and `notes` (text, kind, stage key, sentiment)."""
    journey = create_map(
        db, chat_id, "Cake orders", "busy parent", author_id, [(key, None) for key in STAGE_KEYS]
    )
    stage = {s.key: s.id for s in journey.stages}
    for text, kind, key, sentiment in notes:
        draft = NoteDraft(text, "en", kind, key, sentiment=sentiment)
        add_note(db, chat_id, journey.id, stage[key], draft, author_id)
    return journey


NOTES = [
    ("Instagram posts", "touchpoint", "awareness", 0.3),
    ("No prices on the website", "pain_point", "consideration", -0.6),
    ("The basket empties after login", "pain_point", "purchase", -0.8),
    ("Card payment fails on the phone", "pain_point", "purchase", -0.7),
    ("Offer BLIK", "opportunity", "purchase", 0.4),
]


def png_shape(data: bytes):
    return matplotlib.image.imread(io.BytesIO(data), format="png").shape


async def test_map_sends_the_picture_then_the_text(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    fill_map(bot.db, ANNA.id, ANNA.id, NOTES)
    replies = await anna.says("/map")
    assert [m.method for m in replies][:2] == ["sendPhoto", "sendMessage"]
    photo = replies[0]
    assert photo.caption == "🗺 Cake orders"
    height, width, _ = png_shape(photo.document)
    assert width > height > 500
    assert "Card payment fails" in replies[1].text
    only_picture = await anna.says("/map image")
    assert [m.method for m in only_picture] == ["sendPhoto"]
    only_text = await anna.says("/map text")
    assert {m.method for m in only_text} == {"sendMessage"}


async def test_export_buttons_send_parseable_documents(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    journey = fill_map(bot.db, ANNA.id, ANNA.id, NOTES)
    menu = (await anna.says("/export"))[-1]
    assert len(menu.callback_data) == 5 and all(d.startswith("ex:") for d in menu.callback_data)

    csv_file = (await anna.presses("CSV", menu))[-1]
    assert csv_file.method == "sendDocument"
    assert csv_file.files[0].file_name.startswith("cake-orders-")
    assert csv_file.files[0].file_name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(csv_file.document.decode("utf-8-sig"))))
    assert len(rows) == len(NOTES)
    assert {row["kind"] for row in rows} == {"touchpoint", "pain_point", "opportunity"}

    json_file = (await anna.presses("JSON", menu))[-1]
    document = json.loads(json_file.document)
    assert document["schema"] == "journeybot.map/1"
    assert document["map"]["id"] == journey.id and len(document["map"]["notes"]) == len(NOTES)

    markdown = (await anna.presses("Markdown", menu))[-1].document.decode()
    assert "## 4. Purchase" in markdown

    picture = (await anna.presses("Picture", menu))[-1]
    assert picture.files[0].file_name.endswith(".png")
    png_shape(picture.document)

    direct = (await anna.says("/export md"))[-1]
    assert direct.method == "sendDocument" and direct.document.decode() == markdown


async def test_buttons_never_export_another_chats_map(bot):
    anna, ola = Person(bot, ANNA.id, ANNA), Person(bot, OLA.id, OLA)
    await anna.says("/start")
    await ola.says("/start")
    annas = fill_map(bot.db, ANNA.id, ANNA.id, NOTES)
    fill_map(bot.db, OLA.id, OLA.id, [("koszyk", "pain_point", "purchase", -0.5)])
    menu = (await ola.says("/export"))[-1]
    assert await ola.presses_data(menu.message_id, f"ex:csv:{annas.id}", force=True) == []
    assert "can't find" in ola.last_answer()["text"].lower() or ola.last_answer()["show_alert"]
    assert not [m for m in bot.emu.bot_messages(OLA.id) if m.method == "sendDocument"]


async def test_insights_lines_and_chart(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    fill_map(bot.db, ANNA.id, ANNA.id, NOTES)
    replies = await anna.says("/insights")
    text = replies[0].text
    assert "Where it hurts: Purchase (2 open pain points, 3 notes)" in text
    assert "Lowest mood: Consideration (−0.6)" in text
    assert "No review has been finished yet" in text
    assert "Path to purchase (Awareness → Purchase): 5 notes, 3 open pain points" in text
    assert replies[1].method == "sendPhoto"
    png_shape(replies[1].document)


async def test_search_finds_inflections_pages_and_stays_in_the_chat(bot):
    anna, ola = Person(bot, ANNA.id, ANNA), Person(bot, OLA.id, OLA)
    await anna.says("/start")
    await ola.says("/start")
    polish = [(f"Klient porzuca koszyk nr {n}", "pain_point", "purchase", -0.5) for n in range(7)]
    fill_map(bot.db, OLA.id, OLA.id, polish)
    fill_map(bot.db, ANNA.id, ANNA.id, [("koszyk in Anna's chat", "pain_point", "purchase", 0)])
    first = (await ola.says("/search koszyka"))[-1]
    assert "nr 6" in first.text and "Anna" not in first.text
    assert first.text.count("•") == 5
    assert first.callback_data == ["sr:5:koszyka"]
    assert await ola.presses("»", first) == []  # the page is edited in place
    second = ola.message(first.message_id)
    assert second.text.count("•") == 2 and "nr 0" in second.text
    assert second.callback_data == ["sr:0:koszyka"]
    assert "Anna" not in (await anna.says("/search koszyk"))[-1].text.replace("Anna's", "")
    nothing = (await anna.says("/search"))[-1]
    assert "/search" in nothing.text


async def test_an_old_next_page_after_deletions_shows_the_last_page_that_is_left(bot):
    """« » of an older search, pressed after notes were deleted: the last page there is now,
    never "7 found · page 2 of 1" with no notes on it."""
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    polish = [(f"Klient porzuca koszyk nr {n}", "pain_point", "purchase", -0.5) for n in range(7)]
    fill_map(bot.db, OLA.id, OLA.id, polish)
    first = (await ola.says("/search koszyk"))[-1]
    for number in (7, 6, 5):
        await ola.says(f"/delete {number}")
        await ola.presses("Tak, usuń")
    await ola.presses("»", first)
    page = ola.message(first.message_id).text
    assert page.startswith("🔎 „koszyk”: znaleziono 4 · strona 1 z 1")
    assert page.count("•") == 4


async def test_search_finds_every_inflection_and_the_background_job_indexes_all(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    await Person(bot, ANNA.id, ANNA).says("/start")
    cakes = ["Tort się rozpadł", "Klient odebrał tortem", "Torty za drogie", "tortow brak"]
    fill_map(bot.db, OLA.id, OLA.id, [(text, "pain_point", "purchase", -0.5) for text in cakes])
    fill_map(bot.db, ANNA.id, ANNA.id, [("Tort for Anna", "need", "purchase", 0)])
    found = (await ola.says("/search tortów"))[-1].text
    assert "znaleziono 4" in found and all(text in found for text in cakes), found
    for _ in range(100):  # the background job indexes the other chat's note within seconds
        if not notes_to_index(bot.db):
            break
        await asyncio.sleep(0.1)
    assert notes_to_index(bot.db) == []


async def test_export_all_and_forget_in_a_group(bot):
    boss = Person(bot, TEAM, BOSS, title="Bakery")
    member = Person(bot, TEAM, ANNA, title="Bakery")
    await boss.says("/start")
    fill_map(bot.db, TEAM, BOSS.id, NOTES)
    everything = (await member.says("/export all"))[-1]
    data = json.loads(everything.document)
    assert data["schema"] == "journeybot.chat/1" and len(data["tables"]["notes"]) == len(NOTES)

    bot.emu.set_member_status(TEAM, ANNA.id, "member")
    refused = (await member.says("/forget"))[-1]
    assert "administrators" in refused.text
    bot.emu.set_member_status(TEAM, BOSS.id, "administrator")
    confirm = (await boss.says("/forget"))[-1]
    assert "maps: 1, notes: 5" in confirm.text
    await member.presses("Yes, delete", confirm)  # a member's press changes nothing
    assert bot.db.execute("SELECT count(*) FROM notes WHERE chat_id = ?", [TEAM]).fetchone()[0]
    await boss.presses("Yes, delete", confirm)
    done = boss.message(confirm.message_id)
    assert "Deleted — maps: 1, notes: 5" in done.text
    for table in ("maps", "notes", "stages", "dialogs"):
        count = bot.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count == 0, table
