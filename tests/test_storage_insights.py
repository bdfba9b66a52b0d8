"""/insights reads each note as `NoteFacts` (storage.notes.list_note_facts), not as a whole
`Note`: on a map with a past, it must give the very answer the whole notes give, and that answer
must be true to the data."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.classifier import theme_stop_words
from bot.core.insights import compute_insights
from bot.core.items import local_today
from bot.core.model import STAGE_KEYS, NoteDraft, NoteFacts
from bot.flows.share import map_insights
from bot.reports import insights_text
from storage.chats import remember_chat, remember_user
from storage.db import to_iso, utcnow
from storage.items import resolve_item, set_owner_and_due
from storage.maps import create_map, get_map, replace_stages
from storage.notes import add_note, correct_note, delete_note, list_note_facts, list_notes
from storage.ownership import last_review_at
from storage.reviews import finish_review, record_outcome, start_review
from tests.sql_support import query_plans

CHAT, OTHER_CHAT = -100, -200
NOW = utcnow().replace(microsecond=0)
TIMEZONE = "Europe/Warsaw"


def write(db, chat_id, journey, stage_key, text, kind="pain_point", *, lang="pl",
          sentiment=-0.5, channels=(), days_ago=0, author=7):
    stage = journey.stage_for_key(stage_key)
    draft = NoteDraft(text=text, lang=lang, kind=kind, stage_key=stage_key,
                      sentiment=sentiment, channels=channels)
    note = add_note(db, chat_id, journey.id, stage.id, draft, author)
    db.execute("UPDATE notes SET created_at = ? WHERE id = ?",
               [to_iso(NOW - timedelta(days=days_ago)), note.id])
    return note


@pytest.fixture
def history(db):
    """A bakery's map used for a month, beside a second map and another chat's map: resolved
    and reopened pain points, a resolved one made a need, a need made a pain point, a deleted
    note, a removed stage, owners and due dates, a finished and an abandoned review."""
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Piotr", None, "pl")
    remember_chat(db, CHAT, "group", "Piekarnia", "pl")
    remember_chat(db, OTHER_CHAT, "group", "Shop", "en")
    journey = create_map(db, CHAT, "Tort", None, 7, [(k, None) for k in STAGE_KEYS])
    late = write(db, CHAT, journey, "purchase", "Dostawa tortu spóźniona o godzinę",
                 channels=("delivery",), days_ago=30)
    write(db, CHAT, journey, "purchase", "Dostawy spóźnione w sobotę", channels=("delivery",),
          days_ago=29)
    card = write(db, CHAT, journey, "purchase", "Płatność kartą nie działa", days_ago=28)
    write(db, CHAT, journey, "awareness", "Instagram z tortami", "touchpoint", sentiment=0.4,
          channels=("instagram",), days_ago=28)
    write(db, CHAT, journey, "decision", "Brak cen tortów na stronie", channels=("website",),
          days_ago=27)
    write(db, CHAT, journey, "decision", "Ceny tortów ukryte na stronie", lang="pl",
          channels=("website",), days_ago=26)
    made_need = write(db, CHAT, journey, "consideration", "Nie wiem, czy jest bez glutenu",
                      days_ago=25)
    made_pain = write(db, CHAT, journey, "retention", "Chcę karty lojalnościowej", "need",
                      sentiment=0.1, days_ago=25)
    write(db, CHAT, journey, "advocacy", "Polecam znajomym", "action", sentiment=0.8,
          days_ago=24)
    write(db, CHAT, journey, "advocacy", "Opinie w Google są złe", sentiment=-0.7,
          channels=("google",), days_ago=24)
    gone = write(db, CHAT, journey, "decision", "Ceny tortów za wysokie", days_ago=23)
    write(db, CHAT, journey, "purchase", "Too long wait at the counter", lang="en",
          days_ago=22)
    write(db, CHAT, journey, "retention", "Доставка торта запізнилася", lang="uk",
          channels=("delivery",), days_ago=21)
    review = start_review(db, CHAT, journey.id, 7, NOW - timedelta(days=20))
    review = record_outcome(db, review, card.id, "resolved", 8, NOW - timedelta(days=20))
    finish_review(db, review, NOW - timedelta(days=20) + timedelta(minutes=5))
    start_review(db, CHAT, journey.id, 8, NOW - timedelta(days=15))  # abandoned
    resolve_item(db, CHAT, made_need.id, 8, NOW - timedelta(days=14))
    correct_note(db, CHAT, made_need.id, 7, kind="need", sentiment=0.0)  # resolved, now a need
    correct_note(db, CHAT, made_pain.id, 7, kind="pain_point", sentiment=-0.4)
    delete_note(db, CHAT, gone.id)
    set_owner_and_due(db, CHAT, late.id, 8, local_today(NOW, TIMEZONE) - timedelta(days=2),
                      now=NOW)
    set_owner_and_due(db, CHAT, card.id, 7, None, now=NOW)  # resolved: no open item
    write(db, CHAT, journey, "purchase", "Kolejka przy kasie za długa", days_ago=2)
    write(db, CHAT, journey, "decision", "Strona nie pokazuje cen tortów",
          channels=("website",), days_ago=1)
    kept = [(s.id, s.key, s.name) for s in get_map(db, CHAT, journey.id).stages
            if s.key != "advocacy"]
    replace_stages(db, CHAT, journey.id, kept)  # its two notes are "not sorted yet" now
    second = create_map(db, CHAT, "Catering", None, 7, [(k, None) for k in STAGE_KEYS])
    write(db, CHAT, second, "purchase", "Dostawa cateringu spóźniona", channels=("delivery",))
    elsewhere = create_map(db, OTHER_CHAT, "Shop", None, 8, [(k, None) for k in STAGE_KEYS])
    write(db, OTHER_CHAT, elsewhere, "purchase", "Delivery late again", lang="en",
          channels=("delivery",))
    return get_map(db, CHAT, journey.id)


def insights_from_whole_notes(db, lang, journey):
    """/insights as it was read before: every note whole, the open items found among them."""
    notes = list_notes(db, CHAT, journey.id)
    insights = compute_insights(journey, notes, reviewed_at=last_review_at(db, CHAT, journey.id),
                                stop_words=theme_stop_words())
    today = local_today(utcnow(), TIMEZONE)
    return insights, insights_text(lang, journey, insights, TIMEZONE, items=notes, today=today)


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_insights_from_facts_are_those_of_the_whole_notes(db, history, lang):
    assert map_insights(db, lang, history, TIMEZONE) == insights_from_whole_notes(
        db, lang, history)


def test_facts_are_the_whole_notes_fields_of_this_map_only(db, history):
    facts = list_note_facts(db, CHAT, history.id)
    notes = list_notes(db, CHAT, history.id)
    assert [f.id for f in facts] == [n.id for n in notes] and len(facts) == 14
    assert facts == [NoteFacts(*(getattr(n, field) for field in NoteFacts._fields))
                     for n in notes]
    assert [f.is_open_pain_point for f in facts] == [n.is_open_pain_point for n in notes]
    assert list_note_facts(db, OTHER_CHAT, history.id) == []  # another chat never reads it


def test_insights_from_facts_are_true_to_the_data(db, history):
    insights, text = map_insights(db, "en", history, TIMEZONE)
    stats = {s.stage.key if s.stage else None: s for s in insights.stages}
    assert (stats["purchase"].pain_points, stats["purchase"].resolved) == (4, 1)
    assert (stats["consideration"].pain_points, stats["consideration"].resolved) == (0, 0)
    assert stats["consideration"].lane_counts[2] == ("need", 1)  # the resolved one made a need
    assert stats["retention"].pain_points == 2  # the need made a pain point counts
    assert stats["decision"].pain_points == 3  # the deleted one is gone
    assert "advocacy" not in stats and (stats[None].notes, stats[None].pain_points) == (2, 1)
    assert insights.total_notes == 14 and insights.whole_journey.pain_points == 10
    assert insights.since_review.notes == 2  # written after the review that ended 20 days ago
    assert insights.worst[0].stage.key == "purchase"
    assert [th.label for th in insights.themes if th.kind == "channel"] == [
        "delivery", "website"]  # not the other map's nor the other chat's deliveries
    delivery = next(th for th in insights.themes if th.label == "delivery")
    assert delivery.count == 3
    # the resolved item with an owner is no open item; the overdue one is named with its owner
    assert "1 overdue</b>: #1 Dostawa" in text and "Piotr" in text


def test_insights_agree_with_themselves_when_an_item_is_resolved_while_they_are_read(
        db, db_path, history):
    """/insights reads the notes, the last review and the open items in three statements; the
    team resolves the overdue item between two of them (from the bot's own connection, as the
    worker's reader runs): the counts and the items line come from one snapshot and agree."""
    late = next(n for n in list_notes(db, CHAT, history.id) if n.text.startswith("Dostawa tortu"))
    reader = Database(sqlite3.connect(db_path))
    reader.execute("PRAGMA query_only = ON")
    selects = []

    def resolve_after_the_first_read(sql):
        if sql.lstrip().upper().startswith("SELECT"):
            selects.append(sql)
            if len(selects) == 2:
                resolve_item(db, CHAT, late.id, 8, NOW)

    reader.conn.set_trace_callback(resolve_after_the_first_read)
    insights, text = map_insights(reader, "en", history, TIMEZONE)
    purchase = next(s for s in insights.stages if s.stage and s.stage.key == "purchase")
    assert len(selects) >= 3  # the item was resolved between two reads
    assert purchase.resolved == 1 and "1 overdue</b>: #1 Dostawa" in text  # both before it

    reader.conn.set_trace_callback(None)
    insights, text = map_insights(reader, "en", history, TIMEZONE)
    purchase = next(s for s in insights.stages if s.stage and s.stage.key == "purchase")
    assert purchase.resolved == 2 and "overdue" not in text  # both after it
    reader.close()


def test_facts_are_read_from_the_maps_rows_alone(db, history):
    plans = query_plans(db, lambda: list_note_facts(db, CHAT, history.id))
    assert len(plans) == 1 and "USING INDEX idx_notes_map" in plans[0], plans
    assert "users" not in plans[0] and "idx_notes_chat" not in plans[0], plans


def test_the_themes_stop_words_are_spacys_read_without_importing_spacy():
    """The worker computing /insights loads no pipeline: its stop words must not import spaCy
    (that was 750 ms of CPU and 58 MiB on the first /insights after each start)."""
    script = """
import importlib, sys
from bot.classifier import theme_stop_words
from bot.core.insights import stop_word_keys
from nlp.stop_words import stop_words
keys = theme_stop_words()
assert "spacy" not in sys.modules, "spaCy imported"
for lang in ("en", "pl", "uk", "bg"):
    spacys = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    assert stop_words(lang) == frozenset(spacys), lang
    assert keys[lang] == stop_word_keys(spacys), lang
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
