"""Every view shows an item's owner and due date, overdue ones flagged, and who resolved it:
map text, the picture's cards, CSV/JSON/Markdown, /insights, search, the board's data."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from bot.board import _map_json
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.exports import build_export
from bot.render import _card_lines
from bot.reports import items_summary, search_text
from bot.views import format_day, item_status, render_map
from storage.chats import remember_chat, remember_user
from storage.items import resolve_item, set_owner_and_due
from storage.maps import create_map
from storage.notes import add_note, list_notes

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 12)  # after the first item's due date


def board_cards(db, journey) -> list[dict]:
    """The board's cards of the map (every cell here holds fewer than 30)."""
    return [n for cell in _map_json(db, "en", journey, TODAY)["cells"] for n in cell["notes"]]


@pytest.fixture
def items(db):
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Ivan", "ivan_k", "uk")
    remember_chat(db, -100, "group", "Piekarnia", "pl")
    journey = create_map(db, -100, "Sklep", None, 7, [(k, None) for k in STAGE_KEYS])
    purchase = journey.stage_for_key("purchase").id

    def note(text, kind="pain_point"):
        return add_note(db, -100, journey.id, purchase,
                        NoteDraft(text=text, lang="pl", kind=kind, stage_key="purchase"), 7)

    late, later, done = note("kurier się spóźnia"), note("dodać BLIK", "opportunity"), note("kasa")
    set_owner_and_due(db, -100, late.id, 8, date(2026, 12, 10), now=NOW)
    set_owner_and_due(db, -100, later.id, 7, date(2026, 12, 18), now=NOW)
    resolve_item(db, -100, done.id, 8, NOW)
    return journey, {n.text: n for n in list_notes(db, -100, journey.id)}


def test_the_status_line_in_each_language(items):
    _, notes = items
    late = notes["kurier się spóźnia"]
    assert item_status("en", late, TODAY) == "🙋 Ivan · 📅 Thu, Dec 10 · ⏰ overdue"
    assert item_status("pl", late, TODAY) == "🙋 Ivan · 📅 czw., 10 gru · ⏰ po terminie"
    assert item_status("uk", late, date(2026, 12, 10)).endswith("⏰ термін сьогодні")
    assert item_status("bg", notes["kasa"], TODAY) == "✓ решено от Ivan, пн, 7.12."
    assert item_status("en", notes["dodać BLIK"], TODAY, owner=False) == "📅 Fri, Dec 18"


def test_map_text_and_picture_cards(items):
    journey, notes = items
    text = "\n".join(render_map("pl", journey, list(notes.values()), show_authors=False,
                                today=TODAY))
    assert "kurier się spóźnia <i>#1</i> · 🙋 Ivan · 📅 czw., 10 gru · ⏰ po terminie" in text
    assert "✓ kasa <i>#3</i> · ✓ rozwiązane przez: Ivan" in text
    assert "✓ dodać BLIK" not in text  # open: no tick
    assert _card_lines("pl", notes["kurier się spóźnia"], TODAY) == [
        "kurier się spóźnia", "→ Ivan · ! 10.12"]
    assert _card_lines("pl", notes["dodać BLIK"], TODAY) == ["dodać BLIK", "→ Ola · 18.12"]
    assert _card_lines("pl", notes["kasa"], TODAY) == ["✓ kasa"]


def test_exports_carry_owner_due_date_and_who_resolved(items):
    journey, notes = items
    rows = list(csv.DictReader(io.StringIO(
        build_export("pl", journey, list(notes.values()), "csv", reviews=[], now=NOW)
        .data.decode("utf-8-sig"))))
    by_text = {row["text"]: row for row in rows}
    assert {k: by_text["kurier się spóźnia"][k] for k in
            ("owner", "due_on", "resolved_by", "resolved_at")} == {
        "owner": "Ivan", "due_on": "2026-12-10", "resolved_by": "", "resolved_at": ""}
    assert (by_text["kasa"]["resolved_by"], by_text["kasa"]["resolved_at"]) == (
        "Ivan", "2026-12-07T09:00:00+00:00")
    document = json.loads(build_export("pl", journey, list(notes.values()), "json", reviews=[],
                                       now=NOW).data)
    kasa = next(n for n in document["map"]["notes"] if n["text"] == "kasa")
    assert (kasa["resolved_by"], kasa["resolved_at"], kasa["owner"], kasa["due_on"]) == (
        "Ivan", "2026-12-07T09:00:00+00:00", None, None)
    markdown = build_export("pl", journey, list(notes.values()), "md", reviews=[], now=NOW,
                            today=TODAY).data.decode()
    line = "- kurier się spóźnia — Ola (#1) · 🙋 Ivan · 📅 czw., 10 gru · ⏰ po terminie"
    assert line in markdown


def test_insights_search_and_board_agree(items, db):
    journey, notes = items
    summary = items_summary("en", list(notes.values()), TODAY)
    assert summary.startswith("📋 2 open items with an owner or a due date, <b>1 overdue</b>")
    assert "#1 kurier się spóźnia (🙋 Ivan · 📅 Thu, Dec 10)" in summary
    assert items_summary("en", [notes["kasa"]], TODAY) is None
    page = search_text("en", ("kurier",), [notes["kurier się spóźnia"]], 1, 0, 5,
                       {journey.id: journey}, journey.id, today=TODAY)
    assert "🙋 Ivan · 📅 Thu, Dec 10 · ⏰ overdue" in page
    cards = board_cards(db, journey)
    card = next(n for n in cards if n["text"] == "kurier się spóźnia")
    assert (card["owner"], card["due_on"], card["due"], card["overdue"]) == (
        "Ivan", "2026-12-10", format_day("en", date(2026, 12, 10)), True)
    resolved = next(n for n in cards if n["text"] == "kasa")
    assert (resolved["resolved"], resolved["resolved_by"]) == (True, "Ivan")


def test_a_resolved_pain_point_made_another_kind_shows_no_resolution_until_made_one_again(
    items, db
):
    """Resolution belongs to pain points and opportunities: a resolved pain point corrected to
    a touchpoint shows no ✓ and no "resolved by" on its card, in search, /map text, the
    picture's card, the exports and the board; corrected back, it is resolved again (by the
    same person), as stored."""
    from bot.views import note_label
    from storage.notes import correct_note

    journey, notes = items
    kasa = notes["kasa"]
    correct_note(db, -100, kasa.id, 7, kind="touchpoint")
    [kasa] = [n for n in list_notes(db, -100, journey.id) if n.text == "kasa"]
    every = [n if n.text != "kasa" else kasa for n in notes.values()]
    assert note_label("en", journey, kasa).endswith("Purchase · Touchpoint")
    assert "rozwiązan" not in note_label("pl", journey, kasa)
    page = search_text("en", ("kasa",), [kasa], 1, 0, 5, {journey.id: journey}, journey.id,
                       today=TODAY)
    assert "resolved" not in page and "✓" not in page
    text = "\n".join(render_map("pl", journey, every, show_authors=False, today=TODAY))
    assert "• kasa <i>#3</i>" in text and "rozwiązane przez" not in text and "✓" not in text
    assert _card_lines("pl", kasa, TODAY) == ["kasa"]
    assert item_status("en", kasa, TODAY) == ""
    markdown = build_export("pl", journey, every, "md", reviews=[], now=NOW,
                            today=TODAY).data.decode()
    assert "- kasa — Ola (#3)" in markdown and "✓" not in markdown
    rows = list(csv.DictReader(io.StringIO(
        build_export("en", journey, every, "csv", reviews=[], now=NOW).data.decode("utf-8-sig"))))
    row = next(r for r in rows if r["text"] == "kasa")
    assert (row["kind"], row["status"], row["resolved_by"], row["resolved_at"]) == (
        "touchpoint", "open", "", "")
    document = json.loads(build_export("en", journey, every, "json", reviews=[], now=NOW).data)
    card = next(n for n in document["map"]["notes"] if n["text"] == "kasa")
    assert (card["status"], card["resolved_by"], card["resolved_at"]) == ("open", None, None)
    board = next(n for n in board_cards(db, journey) if n["text"] == "kasa")
    assert (board["status"], board["resolved"], board["resolved_by"]) == ("open", False, None)

    correct_note(db, -100, kasa.id, 7, kind="pain_point")
    [kasa] = [n for n in list_notes(db, -100, journey.id) if n.text == "kasa"]
    assert note_label("en", journey, kasa).endswith("Pain point (✓ resolved)")
    assert item_status("en", kasa, TODAY) == "✓ resolved by Ivan, Mon, Dec 7"
    board = next(n for n in board_cards(db, journey) if n["text"] == "kasa")
    assert (board["status"], board["resolved"], board["resolved_by"]) == ("resolved", True, "Ivan")


def test_an_item_made_another_kind_shows_no_owner_or_date_until_made_one_again(items, db):
    """Like the text views, the picture's card, the board and CSV/JSON leave out the owner and
    due date an item keeps after it is corrected to an emotion; corrected back, they show."""
    from storage.notes import correct_note

    journey, notes = items
    late = notes["kurier się spóźnia"]
    correct_note(db, -100, late.id, 7, kind="emotion")
    every = list_notes(db, -100, journey.id)
    [late] = [n for n in every if n.id == late.id]
    assert _card_lines("pl", late, TODAY) == ["kurier się spóźnia"]
    board = next(n for n in board_cards(db, journey)
                 if n["number"] == late.number)
    assert (board["owner"], board["due_on"], board["due"], board["overdue"]) == (
        None, None, None, False)
    rows = list(csv.DictReader(io.StringIO(
        build_export("en", journey, every, "csv", reviews=[], now=NOW).data.decode("utf-8-sig"))))
    row = next(r for r in rows if r["text"] == "kurier się spóźnia")
    assert (row["owner"], row["due_on"]) == ("", "")
    document = json.loads(build_export("en", journey, every, "json", reviews=[], now=NOW).data)
    card = next(n for n in document["map"]["notes"] if n["number"] == late.number)
    assert (card["owner"], card["due_on"]) == (None, None)

    correct_note(db, -100, late.id, 7, kind="pain_point")
    [late] = [n for n in list_notes(db, -100, journey.id) if n.id == late.id]
    assert _card_lines("pl", late, TODAY) == ["kurier się spóźnia", "→ Ivan · ! 10.12"]
    board = next(n for n in board_cards(db, journey)
                 if n["number"] == late.number)
    assert (board["owner"], board["due_on"], board["overdue"]) == (
        "Ivan", "2026-12-10", True)
