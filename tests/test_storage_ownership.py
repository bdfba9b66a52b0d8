"""A chat's data as one export, and /forget: everything of that chat goes, nothing else."""

import json
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.core.model import STAGE_KEYS, Dialog, NoteDraft
from nlp.classify import note_search_keys, word_search_keys
from storage.chats import get_chat, remember_chat, remember_user
from storage.dialogs import get_dialog, save_dialog
from storage.inbox import mark_update_handled
from storage.maps import create_map, list_maps
from storage.notes import add_note, correct_note, list_notes
from storage.ownership import EXPORT_SCHEMA, chat_counts, export_chat, forget_chat
from storage.search import index_notes, search_notes, search_terms

NOW = datetime(2025, 5, 1, tzinfo=UTC)
SECRET = "Zupełnie-tajna-uwaga-XYZZY"


def fill(db, chat_id, user_id, text):
    """A chat with two maps, notes, a correction, a schedule, a review and a dialog."""
    remember_chat(db, chat_id, "group", f"Team {chat_id}", "pl")
    stages = [(key, None) for key in STAGE_KEYS]
    first = create_map(db, chat_id, "Mapa A", None, user_id, stages)
    create_map(db, chat_id, "Mapa B", None, user_id, stages)
    draft = NoteDraft(text, "pl", "pain_point", "purchase")
    note = add_note(db, chat_id, first.id, first.stages[3].id, draft, user_id)
    add_note(
        db, chat_id, first.id, first.stages[0].id, NoteDraft("drugie", "pl", "need", None), user_id
    )
    correct_note(db, chat_id, note.id, user_id, stage_id=first.stages[2].id, stage_key="decision")
    now = NOW.isoformat()
    db.execute(
        "INSERT INTO schedules (map_id, chat_id, rule, timezone, created_by, created_at)"
        " VALUES (?, ?, 'FREQ=WEEKLY', 'Europe/Warsaw', ?, ?)",
        [first.id, chat_id, user_id, now],
    )
    db.execute(
        "INSERT INTO reviews (map_id, chat_id, started_by, started_at, finished_at, participants)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [first.id, chat_id, user_id, now, now, json.dumps([user_id])],
    )
    save_dialog(db, Dialog(chat_id, user_id, "note", "text"))
    mark_update_handled(db, 7, 1000 + abs(chat_id), chat_id)
    return first


@pytest.fixture
def two_teams(db):
    remember_user(db, 7, "Ola", "ola", "pl")  # only in team -100
    remember_user(db, 8, "Ivan", None, "bg")  # in both teams
    remember_user(db, 9, "Taras", None, "uk")  # only in team -200
    fill(db, -100, 7, SECRET)
    add_note(
        db, -100, list_maps(db, -100)[0][0].id, None, NoteDraft("od Ivana", "pl", "need", None), 8
    )
    other = fill(db, -200, 9, "koszyk w innym czacie")
    add_note(db, -200, other.id, None, NoteDraft("від Івана", "uk", "need", None), 8)
    assert index_notes(db, note_search_keys) == 6
    return db


def test_export_all_has_every_table_of_the_chat_and_nothing_else(two_teams):
    data = export_chat(two_teams, -100, NOW)
    assert data["schema"] == EXPORT_SCHEMA and data["chat_id"] == -100
    tables = data["tables"]
    counts = {name: len(rows) for name, rows in tables.items()}
    assert counts["chats"] == 1 and counts["maps"] == 2 and counts["stages"] == 12
    assert counts["notes"] == 3 and counts["corrections"] == 1 and counts["reviews"] == 1
    assert counts["schedules"] == 1 and counts["dialogs"] == 1
    assert "handled_updates" not in tables
    assert {row["chat_id"] for name in ("notes", "maps", "reviews") for row in tables[name]} == {
        -100
    }
    assert tables["notes"][0]["channels"] == [] and tables["reviews"][0]["participants"] == [7]
    assert sorted(user["first_name"] for user in tables["users"]) == ["Ivan", "Ola"]
    assert "koszyk" not in json.dumps(data, ensure_ascii=False)
    assert "search_keys" not in tables["notes"][0]  # derived from the text: not exported


def test_forget_deletes_only_that_chat_and_reports_counts(two_teams):
    db = two_teams
    before = chat_counts(db, -200)
    counts = forget_chat(db, -100)
    assert (counts["maps"], counts["notes"], counts["corrections"]) == (2, 3, 1)
    assert (counts["schedules"], counts["reviews"], counts["chats"]) == (1, 1, 1)
    assert counts["users"] == 1  # Ola; Ivan still has a note in the other team
    assert all(count == 0 for count in chat_counts(db, -100).values())
    assert chat_counts(db, -200) == before
    assert get_chat(db, -100) is None and get_dialog(db, -100, 7) is None
    assert get_chat(db, -200) is not None and get_dialog(db, -200, 9) is not None
    assert [row["first_name"] for row in db.query("SELECT * FROM users ORDER BY id")] == [
        "Ivan",
        "Taras",
    ]
    assert len(list_notes(db, -200, list_maps(db, -200)[0][0].id)) == 3
    assert search_notes(db, -100, search_terms("tajna"), word_search_keys).total == 0
    assert search_notes(db, -200, search_terms("koszyka"), word_search_keys).total == 1


def test_forgotten_text_is_not_left_in_the_database_file(two_teams, db_path):
    forget_chat(two_teams, -100)
    two_teams.close()
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    content = b"".join(path.read_bytes() for path in files if path.exists())
    assert SECRET.encode() not in content
    assert b"tajna" not in content  # nor its words in the search index


def test_database_stays_readable_by_plain_sqlite(two_teams, db_path):
    forget_chat(two_teams, -100)
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 3
    connection.close()


def test_forgetting_an_unknown_chat_deletes_nothing(two_teams):
    counts = forget_chat(two_teams, -999)
    assert set(counts.values()) == {0}
    assert chat_counts(two_teams, -100)["notes"] == 3
