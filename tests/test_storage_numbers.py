"""Note numbers and row ids are never reused (issue 12 item 2), and old databases are upgraded."""

from __future__ import annotations

from datetime import time

from bot.core.model import STAGE_KEYS, NoteDraft
from nlp.classify import note_search_keys, word_search_keys
from storage.chats import remember_chat, remember_user
from storage.db import open_db, utcnow
from storage.maps import create_map, delete_map
from storage.migrations import migrations
from storage.notes import add_note, delete_note, get_note_by_number, list_notes
from storage.reviews import start_review
from storage.search import index_notes, search_notes, search_terms

STAGES = [(key, None) for key in STAGE_KEYS]
NOW = "2026-01-01T00:00:00+00:00"


def draft(text: str) -> NoteDraft:
    return NoteDraft(text=text, lang="en", kind="pain_point", stage_key="purchase")


def chat(db, chat_id: int):
    remember_user(db, 7, "Ola", None, "en")
    remember_chat(db, chat_id, "private", "Ola", "en")
    return create_map(db, chat_id, "Cakes", None, 7, STAGES)


def test_a_note_added_after_deleting_the_newest_gets_a_new_id_and_number(db):
    journey = chat(db, 7)
    first = add_note(db, 7, journey.id, None, draft("one"), 7)
    second = add_note(db, 7, journey.id, None, draft("two"), 7)
    assert (first.number, second.number) == (1, 2)
    assert delete_note(db, 7, second.id)
    third = add_note(db, 7, journey.id, None, draft("three"), 7)
    assert third.id != second.id and third.number == 3
    assert get_note_by_number(db, 7, journey.id, 2) is None
    assert get_note_by_number(db, 7, journey.id, 3).text == "three"


def test_numbers_start_at_one_on_every_map(db):
    bakery = chat(db, 7)
    for text in ("a", "b", "c"):
        add_note(db, 7, bakery.id, None, draft(text), 7)
    remember_chat(db, 8, "private", "Ivan", "en")
    clinic = create_map(db, 8, "Clinic", None, 7, STAGES)
    assert add_note(db, 8, clinic.id, None, draft("first"), 7).number == 1
    second_map = create_map(db, 7, "Deliveries", None, 7, STAGES)
    assert add_note(db, 7, second_map.id, None, draft("first"), 7).number == 1


def test_map_stage_and_review_ids_are_never_reused(db):
    journey = chat(db, 7)
    add_note(db, 7, journey.id, None, draft("x"), 7)
    review = start_review(db, 7, journey.id, 7, utcnow())
    old_stage_ids = {stage.id for stage in journey.stages}
    assert delete_map(db, 7, journey.id)
    again = create_map(db, 7, "Cakes again", None, 7, STAGES)
    assert again.id != journey.id
    assert not old_stage_ids & {stage.id for stage in again.stages}
    assert start_review(db, 7, again.id, 7, utcnow()).id != review.id


def test_schedule_ids_are_never_reused(db):
    from bot.core.schedule import ReviewRule
    from storage.reminders import delete_schedule, save_schedule

    first_map, now = chat(db, 7), utcnow()
    second_map = create_map(db, 7, "Pies", None, 7, STAGES)
    rule = ReviewRule("weekly", 0, time(10))
    first = save_schedule(db, 7, first_map.id, rule, "UTC", now=now, created_by=7)
    delete_schedule(db, 7, first.id)
    second = save_schedule(db, 7, second_map.id, rule, "UTC", now=now, created_by=7)
    assert second.id != first.id


def test_notes_inserted_without_an_id_or_number_still_get_both(db):
    """Any insert path (a bulk load, a test fixture) gets a number; explicit ids stay ahead."""
    journey = chat(db, 7)
    db.execute(
        "INSERT INTO notes (chat_id, map_id, kind, text, lang, created_at)"
        " VALUES (7, ?, 'need', 'raw', 'en', ?)",
        [journey.id, NOW],
    )
    after = add_note(db, 7, journey.id, None, draft("through the app"), 7)
    assert [n.number for n in list_notes(db, 7, journey.id)] == [1, 2]
    assert after.number == 2


def test_upgrading_a_database_numbers_existing_notes_per_map(db_path):
    """A database written by the code before numbers: two chats, deleted notes, ids reused."""
    db = open_db(db_path, migrate=False)
    migrations.apply(db, stop_before="m004b_note_numbers")
    for chat_id in (1, 2):
        db.execute(
            "INSERT INTO chats (id, type, lang, timezone, created_at, updated_at)"
            " VALUES (?, 'private', 'pl', 'UTC', ?, ?)",
            [chat_id, NOW, NOW],
        )
        db.execute(
            "INSERT INTO maps (chat_id, name, created_at, updated_at) VALUES (?, 'M', ?, ?)",
            [chat_id, NOW, NOW],
        )

    def old_add(map_id: int, text: str) -> int:
        return db.execute(
            "INSERT INTO notes (chat_id, map_id, kind, text, lang, created_at)"
            " VALUES (?, ?, 'pain_point', ?, 'pl', ?)",
            [map_id, map_id, text, NOW],
        ).lastrowid

    old_add(1, "kurier się spóźnia")
    gone = old_add(2, "brak parkingu")
    old_add(1, "płatność BLIK nie działa")
    db.execute("DELETE FROM notes WHERE id = ?", [gone])
    old_add(2, "kolejka przy kasie")
    old_add(1, "nikt nie odbiera telefonu")
    newest = old_add(2, "za drogo")
    db.execute("DELETE FROM notes WHERE id = ?", [newest])
    db.close()

    db = open_db(db_path)  # what the new version does on start
    numbered = db.execute("SELECT map_id, number, text FROM notes ORDER BY map_id, id").fetchall()
    assert numbered == [
        (1, 1, "kurier się spóźnia"),
        (1, 2, "płatność BLIK nie działa"),
        (1, 3, "nikt nie odbiera telefonu"),
        (2, 1, "kolejka przy kasie"),
    ]
    later = add_note(db, 2, 2, None, draft("parking"), None)
    assert later.number == 2 and later.id > newest
    assert add_note(db, 1, 1, None, draft("x"), None).number == 4
    index_notes(db, note_search_keys, chat_id=1)  # what /search does first
    assert search_notes(db, 1, search_terms("kuriera"), word_search_keys).total == 1
    db.close()
