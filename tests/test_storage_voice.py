"""The customer's voice in storage: quote columns (m030), upgrading an older database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_chat, remember_user
from storage.db import open_db
from storage.maps import create_map
from storage.migrations import migrations
from storage.notes import add_note, delete_note, list_notes, note_texts

VOICE_MIGRATION = "m030_customer_voice"
SAID = datetime(2026, 11, 3, 14, 30, tzinfo=UTC)


def draft(text, kind="pain_point", stage="purchase"):
    return NoteDraft(text=text, lang="en", kind=kind, stage_key=stage)


def test_an_older_database_gets_the_quote_columns_and_keeps_its_notes(db_path):
    db = open_db(db_path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=names[names.index(VOICE_MIGRATION):])
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "pl")
    journey = create_map(db, -100, "Shop", None, 7, [(k, None) for k in STAGE_KEYS])
    purchase = journey.stage_for_key("purchase").id
    kept = add_note(db, -100, journey.id, purchase, draft("card payment fails"), 7)
    gone = add_note(db, -100, journey.id, purchase, draft("typo"), 7)
    delete_note(db, -100, gone.id)
    db.close()

    db = open_db(db_path)  # the new release starts
    assert migrations.pending(db) == []
    [old] = list_notes(db, -100, journey.id)
    assert (old.id, old.text, old.quote, old.quoted_from, old.said_at) == (
        kept.id, "card payment fails", False, None, None)
    quote = replace(draft("The courier never called"), quote=True, quoted_from="Marta",
                    said_at=SAID, source="forwarded")
    added = add_note(db, -100, journey.id, purchase, quote, 7)
    assert (added.quote, added.quoted_from, added.said_at, added.number) == (
        True, "Marta", SAID, 3)
    db.close()
    db = open_db(db_path)  # a second start changes nothing
    assert [n.quote for n in list_notes(db, -100, journey.id)] == [False, True]
    db.close()


def test_the_duplicate_check_reads_only_the_maps_notes_through_its_index(db):
    """`note_texts` is O(the map): SQLite searches the map's index, never scans all notes."""
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT text FROM notes WHERE map_id = ? AND +chat_id = ?", [1, 1]
    ).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert details.startswith("SEARCH notes USING INDEX") and "(map_id=?)" in details
    assert "SCAN" not in details
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "pl")
    remember_chat(db, -200, "group", "Other", "pl")
    stages = [(k, None) for k in STAGE_KEYS]
    mine, other = create_map(db, -100, "A", None, 7, stages), create_map(db, -200, "B", None, 7,
                                                                          stages)
    add_note(db, -100, mine.id, None, draft("mine"), 7)
    add_note(db, -200, other.id, None, draft("theirs"), 7)
    assert list(note_texts(db, -100, mine.id)) == ["mine"]
    assert list(note_texts(db, -100, other.id)) == []  # another chat's map: nothing
