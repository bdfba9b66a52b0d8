"""Issue 14's audit of every feature on the million-note database: the queries it fixed read an
index (EXPLAIN QUERY PLAN, no scan of notes or corrections), the results stay the same on a
second-day database, and what runs on the event loop lets other chats in (bench/scale.py times
them; no test here is timed)."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import UTC, datetime

import pytest

import bot.classifier as classifier
import storage.search as search_module
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.exports import ExportFile, fit_for_telegram
from nlp.classify import note_search_keys, word_search_keys
from storage.chats import remember_chat, remember_user
from storage.db import open_db
from storage.items import resolve_item
from storage.maps import create_map, replace_stages, stage_note_counts
from storage.migrations import migrations
from storage.notes import add_note, correct_note, corrections_mark, delete_note
from storage.reviews import open_pain_point_ids, open_pain_points
from storage.search import index_notes, search_notes, search_terms
from tests.sql_support import assert_notes_read_through, query_plans

STAGES = [(key, None) for key in STAGE_KEYS]
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
AUDIT_MIGRATION = "m080_indexes_for_reviews_and_corrections"


def _draft(text: str, kind: str = "pain_point", stage: str = "purchase") -> NoteDraft:
    return NoteDraft(text=text, lang="en", kind=kind, stage_key=stage)


@pytest.fixture
def bakery(db):
    """A second-day chat: two maps, pain points open, resolved, deleted, moved to another
    kind, on a removed stage and on none; corrections; a map of another chat beside it."""
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "en")
    remember_chat(db, 5, "private", "Ivan", "en")
    shop = create_map(db, -100, "Shop", None, 7, STAGES)
    other = create_map(db, -100, "Other", None, 7, STAGES)
    theirs = create_map(db, 5, "Theirs", None, 7, STAGES)
    stage = {s.key: s.id for s in shop.stages}
    notes = [
        add_note(db, -100, shop.id, stage[key], _draft(f"{key} hurts {i}"), 7)
        for i, key in enumerate(["retention", "purchase", "awareness", "purchase", "decision"])
    ]
    add_note(db, -100, shop.id, None, _draft("no stage yet"), 7)
    add_note(db, -100, shop.id, stage["purchase"], _draft("a touchpoint", "touchpoint"), 7)
    resolve_item(db, -100, notes[1].id, 7, NOW)
    delete_note(db, -100, notes[2].id)
    correct_note(db, -100, notes[3].id, 7, kind="emotion")
    correct_note(db, -100, notes[4].id, 7, stage_id=stage["awareness"], stage_key="awareness")
    kept = [(s.id, s.key, s.name) for s in shop.stages if s.key != "retention"]
    replace_stages(db, -100, shop.id, kept)  # notes[0] loses its stage
    add_note(db, -100, other.id, stage["purchase"], _draft("other map hurts"), 7)
    add_note(db, 5, theirs.id, None, _draft("their pain"), 7)
    return shop, other, theirs


def _plan(db, sql: str, params) -> str:
    return " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


# --- m080 ------------------------------------------------------------------------------------


def test_m080_upgrades_a_database_made_before_it_and_applies_twice(db_path):
    db = open_db(db_path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=[AUDIT_MIGRATION])
    remember_chat(db, -100, "group", "Bakery", "en")
    shop = create_map(db, -100, "Shop", None, None, STAGES)
    note = add_note(db, -100, shop.id, shop.stages[3].id, _draft("card declined"), None)
    correct_note(db, -100, note.id, None, kind="pain_point")
    assert "idx_notes_open_pain" not in {index.name for index in db["notes"].indexes}
    migrations.apply(db)
    migrations.apply(db)  # nothing left to do, nothing fails
    assert {m.name for m in migrations.applied(db)} >= set(names)
    indexes = {index.name for index in db["notes"].indexes}
    assert "idx_notes_open_pain" in indexes
    assert "idx_corrections_chat_created" in {index.name for index in db["corrections"].indexes}
    assert open_pain_point_ids(db, -100, shop.id) == [note.id]
    db.close()


# --- the fixed queries read an index ------------------------------------------------------------


def test_stage_counts_read_the_maps_covering_index_only(db, bakery):
    shop, _, _ = bakery
    plans = query_plans(db, lambda: stage_note_counts(db, -100, shop.id))
    assert_notes_read_through(plans, "COVERING INDEX idx_notes_map (map_id=?)")


def test_stage_counts_are_right_and_only_for_the_chats_own_map(db, bakery):
    shop, other, _ = bakery
    counts = stage_note_counts(db, -100, shop.id)
    assert sum(counts.values()) == 6  # 7 written, 1 deleted
    assert counts[None] == 2  # "no stage yet" and the note of the removed stage
    assert stage_note_counts(db, 5, shop.id) == {}  # another chat's map: nothing
    assert sum(stage_note_counts(db, -100, other.id).values()) == 1


def test_a_reviews_queue_reads_the_open_pain_points_index(db, bakery):
    shop, _, _ = bakery
    plans = query_plans(db, lambda: open_pain_point_ids(db, -100, shop.id))
    assert_notes_read_through(plans, "INDEX idx_notes_open_pain (map_id=?)")


def test_a_reviews_queue_holds_the_same_notes_in_the_same_order_as_before(db, bakery):
    """The ids match `open_pain_points` (which builds every note): resolved, deleted and
    re-kinded pain points are out, stage order first, notes without a stage last."""
    shop, _, theirs = bakery
    ids = open_pain_point_ids(db, -100, shop.id)
    assert ids == [note.id for note in open_pain_points(db, -100, shop.id)]
    assert len(ids) == 3
    assert open_pain_point_ids(db, 5, shop.id) == []  # not this chat's map
    assert open_pain_point_ids(db, 5, theirs.id) == [
        note.id for note in open_pain_points(db, 5, theirs.id)]


def test_the_correction_mark_is_read_from_an_index_alone(db, bakery):
    plan = _plan(
        db,
        "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(created_at), '') FROM corrections"
        " WHERE chat_id = ?",
        [-100],
    )
    assert "COVERING INDEX idx_corrections_chat_created (chat_id=?)" in plan, plan
    count, last, when = corrections_mark(db, -100)
    assert count == 2 and last > 0 and when
    assert corrections_mark(db, 5) == (0, 0, "")


# --- /search with many matches -------------------------------------------------------------


def _search(db, chat_id, query, **page):
    index_notes(db, note_search_keys, chat_id=chat_id)
    return search_notes(db, chat_id, search_terms(query), word_search_keys, **page)


def test_many_matches_come_newest_first_and_pages_cover_each_once(db, bakery, monkeypatch):
    """Beyond RANKED_MATCHES no match is ranked (ranking reads every match's size): the newest
    come first, and the pages still cover every match once. Below it, the best come first."""
    shop, _, theirs = bakery
    # the older the note, the more often it says "courier": ranked, the oldest come first
    written = [add_note(db, -100, shop.id, None, _draft("courier " * (9 - i) + f"late {i}"),
                        7).id for i in range(9)]
    add_note(db, 5, theirs.id, None, _draft("courier late elsewhere"), 7)
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 4)
    pages = [_search(db, -100, "courier", offset=offset, limit=4) for offset in (0, 4, 8)]
    assert [note.id for page in pages for note in page.notes] == written[::-1]
    assert all(page.total == 9 for page in pages)
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 2_000)
    assert [note.id for note in _search(db, -100, "courier", limit=20).notes] == written


# --- exports sent to Telegram ---------------------------------------------------------------


def test_a_small_export_is_sent_as_it_is():
    export = ExportFile(b'{"a": 1}', "journeybot-chat-2026-12-07.json", "application/json")
    assert fit_for_telegram(export) is export


def test_a_big_export_is_zipped_with_the_file_inside():
    data = ("{" + ",".join(f'"note {i}": "courier late again"' for i in range(5000)) + "}")
    export = ExportFile(data.encode(), "journeybot-chat-2026-12-07.json", "application/json")
    zipped = fit_for_telegram(export, above=1000)
    assert zipped.filename == "journeybot-chat-2026-12-07.json.zip"
    assert zipped.mime_type == "application/zip"
    assert len(zipped.data) < len(export.data) / 5
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert archive.namelist() == ["journeybot-chat-2026-12-07.json"]
        assert archive.read("journeybot-chat-2026-12-07.json") == export.data


# --- the correction memory lets other chats in while it is built ----------------------------


def test_the_memory_is_built_in_steps_and_recalls_what_the_whole_one_does(db, bakery,
                                                                       monkeypatch):
    shop, _, _ = bakery
    stage = {s.key: s.id for s in shop.stages}
    for i in range(9):
        note = add_note(db, -100, shop.id, stage["purchase"], _draft(f"the box {i} was wet"), 7)
        correct_note(db, -100, note.id, 7, stage_id=stage["decision"], stage_key="decision")
    monkeypatch.setattr(classifier, "MEMORY_STEP", 2)
    monkeypatch.setattr(classifier, "CORRECTION_PAGE", 3)  # read 3 corrections at a time
    turns = 0

    async def other_chat():
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    async def build():
        task = asyncio.ensure_future(other_chat())
        await asyncio.sleep(0)
        started = turns
        memory = await classifier.load_chat_memory(db, -100)
        task.cancel()
        return memory, turns - started

    classifier._memories.pop(db, None)
    stepped, turns_between = asyncio.run(build())
    assert turns_between >= 8  # 11 corrections: 4 pages, 6 steps, the other chat in between
    whole = classifier.chat_memory(db, -100)
    assert whole is stepped  # the same mark: built once, kept
    classifier._memories.pop(db, None)
    rebuilt = classifier.chat_memory(db, -100)
    assert len(rebuilt) == len(stepped) > 0
    assert [(n.lang, n.signature, n.stage, n.kind) for n in rebuilt._notes] == [
        (n.lang, n.signature, n.stage, n.kind) for n in stepped._notes]
    assert asyncio.run(classifier.load_chat_memory(db, 5)) is None  # nothing corrected


def test_a_new_correction_rebuilds_the_memory(db, bakery):
    shop, _, _ = bakery
    stage = {s.key: s.id for s in shop.stages}
    classifier._memories.pop(db, None)
    before = asyncio.run(classifier.load_chat_memory(db, -100))
    note = add_note(db, -100, shop.id, stage["purchase"], _draft("the cake arrived melted"), 7)
    correct_note(db, -100, note.id, 7, stage_id=stage["decision"], stage_key="decision")
    after = asyncio.run(classifier.load_chat_memory(db, -100))
    assert after is not before and len(after) == len(before) + 1
