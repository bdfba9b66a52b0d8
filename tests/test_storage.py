"""Repository functions on a real SQLite file."""

import sqlite3
from dataclasses import FrozenInstanceError, fields, replace

import pytest

from bot.core.model import STAGE_KEYS, Dialog, Note, NoteDraft
from storage.chats import get_chat, remember_chat, remember_user, set_active_map, set_chat_language
from storage.db import open_db
from storage.dialogs import end_dialog, get_dialog, save_dialog
from storage.inbox import mark_update_handled
from storage.maps import (
    create_map,
    delete_map,
    get_map,
    list_maps,
    rename_map,
    replace_stages,
    stage_note_counts,
)
from storage.migrations import migrations
from storage.notes import (
    add_note,
    chat_corrections,
    correct_note,
    corrected_examples,
    corrections_mark,
    delete_note,
    edit_note_text,
    get_note,
    list_notes,
)

DEFAULT_STAGES = [(key, None) for key in STAGE_KEYS]


def draft(text="card payment fails", kind="pain_point", stage="purchase", channels=()):
    return NoteDraft(
        text=text,
        lang="en",
        kind=kind,
        stage_key=stage,
        channels=channels,
        classified_stage=stage,
        classified_kind=kind,
    )


@pytest.fixture
def team(db):
    remember_user(db, 7, "Ola", "ola", "pl")
    return remember_chat(db, -100, "group", "Bakery team", "pl")


def test_migrations_apply_twice_and_keep_data(db_path):
    db = open_db(db_path)
    remember_chat(db, 1, "private", "Ann", "en")
    db.close()
    db = open_db(db_path)  # a second start applies nothing and recreates nothing
    assert get_chat(db, 1).lang == "en"
    assert [m.name for m in migrations.applied(db)][:2] == [
        "m001_create_core_tables",
        "m002_notes_full_text_search",
    ]
    assert migrations.pending(db) == []
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_new_chat_gets_language_and_its_timezone(db, team):
    assert (team.lang, team.timezone, team.is_group) == ("pl", "Europe/Warsaw", True)
    again = remember_chat(db, -100, "supergroup", "Bakery", "en")
    assert (again.lang, again.type, again.title) == ("pl", "supergroup", "Bakery")
    assert set_chat_language(db, -100, "uk").lang == "uk"


def test_map_with_stages_becomes_active_and_is_scoped_to_its_chat(db, team):
    remember_chat(db, -200, "group", "Other team", "en")
    journey = create_map(db, -100, "Cake orders", "busy parent", 7, DEFAULT_STAGES)
    assert [s.key for s in journey.stages] == list(STAGE_KEYS)
    assert get_chat(db, -100).active_map_id == journey.id
    assert get_map(db, -200, journey.id) is None
    assert rename_map(db, -200, journey.id, "stolen") is False
    assert delete_map(db, -200, journey.id) is False
    assert get_map(db, -100, journey.id).name == "Cake orders"


def test_notes_and_corrections(db, team):
    journey = create_map(db, -100, "Cake orders", None, 7, DEFAULT_STAGES)
    purchase, decision = journey.stage_for_key("purchase"), journey.stage_for_key("decision")
    note = add_note(db, -100, journey.id, purchase.id, draft(channels=("BLIK",)), 7)
    assert (note.kind, note.channels, note.author_name) == ("pain_point", ("BLIK",), "Ola")

    corrected = correct_note(
        db, -100, note.id, 7, stage_id=decision.id, stage_key="decision", kind="need"
    )
    assert (corrected.stage_id, corrected.kind) == (decision.id, "need")
    rows = list(db.query("SELECT field, old_value, new_value, user_id FROM corrections"))
    assert rows == [
        {"field": "stage", "old_value": "purchase", "new_value": "decision", "user_id": 7},
        {"field": "kind", "old_value": "pain_point", "new_value": "need", "user_id": 7},
    ]
    assert corrected_examples(db) == [
        {"text": "card payment fails", "lang": "en", "stage": "decision", "kind": "need"}
    ]
    assert correct_note(db, -999, note.id, 7, kind="emotion") is None


def test_a_note_read_back_has_every_field_as_its_constructor_sets_them(db, team):
    """Notes are read through `Note.from_fields` (no dataclass `__init__`): every field is set,
    and the note is the one `Note(...)` makes of them — equal, hashed alike, replaceable."""
    journey = create_map(db, -100, "Cake orders", None, 7, DEFAULT_STAGES)
    purchase = journey.stage_for_key("purchase")
    note = add_note(db, -100, journey.id, purchase.id, draft(channels=("BLIK",)), 7)
    read = list_notes(db, -100, journey.id)[0]
    assert list(vars(read)) == [field.name for field in fields(Note)]
    made = Note(**vars(read))
    assert read == made and hash(read) == hash(made) and repr(read) == repr(made)
    assert (read.id, read.author_name, read.channels, read.status) == (
        note.id, "Ola", ("BLIK",), "open")
    assert replace(read, kind="need").kind == "need" and read.kind == "pain_point"
    with pytest.raises(FrozenInstanceError):
        read.kind = "need"


def test_delete_note_only_in_its_chat(db, team):
    remember_chat(db, -200, "group", "Other", "en")
    journey = create_map(db, -100, "Map", None, 7, DEFAULT_STAGES)
    first = add_note(db, -100, journey.id, None, draft("one"), 7)
    second = add_note(db, -100, journey.id, None, draft("two"), 7)
    assert delete_note(db, -200, first.id) is False
    assert delete_note(db, -100, first.id) is True
    assert [n.text for n in list_notes(db, -100, journey.id)] == ["two"]
    assert get_note(db, -100, second.id).text == "two"


def test_deleting_a_map_deletes_its_notes_and_clears_active(db, team):
    journey = create_map(db, -100, "Map", None, 7, DEFAULT_STAGES)
    add_note(db, -100, journey.id, journey.stages[0].id, draft(), 7)
    assert delete_map(db, -100, journey.id)
    assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM stages").fetchone()[0] == 0
    assert get_chat(db, -100).active_map_id is None
    assert list_maps(db, -100) == []


def test_replace_stages_keeps_notes_of_kept_stages(db, team):
    journey = create_map(db, -100, "Map", None, 7, DEFAULT_STAGES)
    kept, dropped = journey.stages[3], journey.stages[0]
    on_kept = add_note(db, -100, journey.id, kept.id, draft("kept"), 7)
    on_dropped = add_note(db, -100, journey.id, dropped.id, draft("dropped"), 7)
    replace_stages(db, -100, journey.id, [(None, None, "Visit"), (kept.id, kept.key, "Paying")])
    stages = get_map(db, -100, journey.id).stages
    assert [(s.key, s.name) for s in stages] == [(None, "Visit"), ("purchase", "Paying")]
    assert get_note(db, -100, on_kept.id).stage_id == kept.id
    assert get_note(db, -100, on_dropped.id).stage_id is None


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO maps (chat_id, name, created_at, updated_at) VALUES (5, 'x', '', '')"
        )


def test_dialog_state_roundtrip(db):
    dialog = Dialog(-100, 7, "nm", "persona", {"name": "Cake ✨", "stages": [{"key": None}]})
    save_dialog(db, dialog)
    assert get_dialog(db, -100, 7) == dialog
    save_dialog(db, dialog.to("stages", picked=2))
    assert get_dialog(db, -100, 7).data["picked"] == 2
    assert get_dialog(db, -100, 8) is None
    assert end_dialog(db, -100, 7) and not end_dialog(db, -100, 7)


def test_update_is_handled_once(db):
    assert mark_update_handled(db, 7, 41, -100) is True
    assert mark_update_handled(db, 7, 41, -100) is False


def test_update_ids_of_two_bots_never_collide(db):
    """The console (bot 1000) and a Telegram bot sharing the file both send update 1."""
    assert mark_update_handled(db, 1000, 1, 1) is True
    assert mark_update_handled(db, 123456, 1, 1) is True
    assert mark_update_handled(db, 123456, 1, 1) is False


def test_set_active_map(db, team):
    first = create_map(db, -100, "First", None, 7, DEFAULT_STAGES)
    create_map(db, -100, "Second", None, 7, DEFAULT_STAGES)
    set_active_map(db, -100, first.id)
    assert get_chat(db, -100).active_map_id == first.id
    assert [(m.name, count) for m, count in list_maps(db, -100)] == [("First", 0), ("Second", 0)]



def test_chat_corrections_keep_the_last_value_of_each_field_and_what_the_team_left_as_it_was(db):
    remember_chat(db, 1, "private", "Ann", "en")
    remember_chat(db, 2, "private", "Bo", "en")
    stages = [("awareness", None), ("purchase", None), (None, "Pick-up")]
    journey = create_map(db, 1, "Cakes", None, None, stages)
    other = create_map(db, 2, "Shoes", None, None, stages)
    cream = draft("cream melted", kind="need", stage="awareness")
    note = add_note(db, 1, journey.id, journey.stages[0].id, cream, None)
    assert chat_corrections(db, 1) == [] and corrections_mark(db, 1)[0] == 0
    correct_note(db, 1, note.id, None, kind="emotion")
    correct_note(db, 1, note.id, None, kind="pain_point")
    purchase, pickup = journey.stages[1], journey.stages[2]
    correct_note(db, 1, note.id, None, stage_id=purchase.id, stage_key="purchase")
    assert chat_corrections(db, 1) == [("cream melted", "en", "purchase", "pain_point")]
    correct_note(db, 1, note.id, None, stage_id=pickup.id, stage_key=None)  # a custom stage
    assert chat_corrections(db, 1) == [("cream melted", "en", None, "pain_point")]
    correct_note(db, 1, note.id, None, stage_id=purchase.id, stage_key="purchase")
    mark = corrections_mark(db, 1)
    delete_note(db, 1, note.id)  # undone: the team's judgement of the text still holds
    assert chat_corrections(db, 1) == [("cream melted", "en", "purchase", "pain_point")]
    assert corrections_mark(db, 1) == mark
    other_note = add_note(db, 2, other.id, other.stages[0].id, cream, None)
    correct_note(db, 2, other_note.id, None, kind="touchpoint")
    # the stage the team saw and left is confirmed while the note exists
    assert chat_corrections(db, 2) == [("cream melted", "en", "awareness", "touchpoint")]
    delete_note(db, 2, other_note.id)
    assert chat_corrections(db, 2) == [("cream melted", "en", None, "touchpoint")]
    assert corrections_mark(db, 1) == mark


def test_an_unchanged_sender_is_not_rewritten_but_a_change_or_a_minute_later_is(db):
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, 7, "private", "Ola", "pl")
    changes = db.conn.total_changes
    remember_user(db, 7, "Ola", "ola", "pl")  # every update of hers calls both
    remember_chat(db, 7, "private", "Ola", "pl")
    assert db.conn.total_changes == changes
    remember_user(db, 7, "Ola K.", "ola", "pl")
    remember_chat(db, 7, "private", "Ola K.", "pl")
    assert db.conn.total_changes == changes + 2
    assert get_chat(db, 7).title == "Ola K."
    db.execute("UPDATE users SET last_seen_at = '2026-01-01T00:00:00+00:00' WHERE id = 7")
    remember_user(db, 7, "Ola K.", "ola", "pl")
    seen = db.execute("SELECT last_seen_at FROM users WHERE id = 7").fetchone()[0]
    assert seen > "2026-01-01T00:00:00+00:00"


def test_stage_note_counts_per_stage_and_without_one(db):
    remember_chat(db, 8, "private", "Ana", "en")
    journey = create_map(db, 8, "Map", None, None, [(k, None) for k in STAGE_KEYS])
    first, second = journey.stages[:2]
    for stage in (first, first, second):
        add_note(db, 8, journey.id, stage.id, NoteDraft("x", "en", "need", stage.key), None)
    replace_stages(db, 8, journey.id, [(s.id, s.key, s.name) for s in journey.stages[1:]])
    assert stage_note_counts(db, 8, journey.id) == {None: 2, second.id: 1}


def test_an_unsure_notes_choices_are_kept_until_the_team_sets_that_field(db):
    remember_chat(db, 1, "private", "Ann", "en")
    journey = create_map(db, 1, "Cakes", None, None, [("purchase", None), ("decision", None)])
    unsure = replace(draft("kurs"), stage_choices=("purchase", "decision"),
                     kind_choices=("need", "action"))
    note = add_note(db, 1, journey.id, journey.stages[0].id, unsure, None)
    assert (note.stage_choices, note.kind_choices) == (("purchase", "decision"), ("need", "action"))
    sure = add_note(db, 1, journey.id, journey.stages[0].id, draft("card payment fails"), None)
    assert (sure.stage_choices, sure.kind_choices) == ((), ())
    # the top choice tapped: nothing moves, but the question is answered
    note = correct_note(db, 1, note.id, None, stage_id=journey.stages[0].id, stage_key="purchase")
    assert (note.stage_choices, note.kind_choices) == ((), ("need", "action"))
    assert db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    note = correct_note(db, 1, note.id, None, kind="action", sentiment=-0.2)
    assert (note.kind, note.kind_choices, note.sentiment) == ("action", (), -0.2)
    again = add_note(db, 1, journey.id, journey.stages[0].id, unsure, None)
    edited = edit_note_text(db, 1, again.id, draft("kurs angielskiego"))
    assert (edited.stage_choices, edited.kind_choices) == ((), ())
