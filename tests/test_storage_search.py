"""Full-text search over notes: inflections, diacritics, Cyrillic, paging, one chat only."""

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_chat
from storage.db import open_db
from storage.maps import create_map, delete_map
from storage.migrations import migrations
from storage.notes import add_note, delete_note
from storage.search import search_notes, search_terms

STAGES = [(key, None) for key in STAGE_KEYS]


def add(db, chat_id, journey, text, lang="pl"):
    draft = NoteDraft(text=text, lang=lang, kind="pain_point", stage_key="purchase")
    return add_note(db, chat_id, journey.id, journey.stages[3].id, draft, None)


@pytest.fixture
def maps(db):
    remember_chat(db, 1, "private", "Ola", "pl")
    remember_chat(db, 2, "private", "Taras", "uk")
    return create_map(db, 1, "Sklep", None, None, STAGES), create_map(
        db, 2, "Магазин", None, None, STAGES
    )


def indexed(db, match):
    """Row ids straight from the index, without looking at the notes table."""
    return [row[0] for row in db.execute("SELECT rowid FROM notes_fts(?)", [match])]


def texts(page):
    return sorted(note.text for note in page.notes)


def test_inflected_form_finds_the_base_form(db, maps):
    ours, _ = maps
    add(db, 1, ours, "Klient porzuca koszyk przy płatności")
    add(db, 1, ours, "Dostawa kosztuje za dużo")
    page = search_notes(db, 1, search_terms("koszyka"))
    assert texts(page) == ["Klient porzuca koszyk przy płatności"]


def test_diacritics_do_not_matter_either_way(db, maps):
    ours, _ = maps
    add(db, 1, ours, "Płatność kartą nie działa")
    add(db, 1, ours, "Platnosc karta odrzucona")
    for query in ("płatności", "platnosci", "PŁATNOŚĆ", "karty"):
        assert search_notes(db, 1, search_terms(query)).total == 2, query


def test_cyrillic_prefix_matches_other_endings(db, maps):
    _, theirs = maps
    add(db, 2, theirs, "Кошик не зберігається після оплати", lang="uk")
    add(db, 2, theirs, "Доставката закъснява с два дни", lang="bg")
    assert texts(search_notes(db, 2, search_terms("кошика"))) == [
        "Кошик не зберігається після оплати"
    ]
    assert search_notes(db, 2, search_terms("доставка")).total == 1


def test_never_returns_another_chats_notes(db, maps):
    ours, theirs = maps
    add(db, 1, ours, "koszyk się nie zapisuje")
    add(db, 2, theirs, "koszyk — ta sama uwaga w innym czacie")
    assert [n.chat_id for n in search_notes(db, 1, search_terms("koszyk")).notes] == [1]
    assert [n.chat_id for n in search_notes(db, 2, search_terms("koszyk")).notes] == [2]
    assert search_notes(db, 3, search_terms("koszyk")).total == 0


def test_all_words_must_match_unless_none_matches_them_all(db, maps):
    ours, _ = maps
    add(db, 1, ours, "koszyk i dostawa")
    add(db, 1, ours, "sam koszyk")
    assert texts(search_notes(db, 1, search_terms("koszyk dostawy"))) == ["koszyk i dostawa"]
    page = search_notes(db, 1, search_terms("koszyk rabat"))  # nothing has both: any word
    assert page.total == 2


def test_pages_are_limited_and_cover_every_hit_once(db, maps):
    ours, _ = maps
    for number in range(12):
        add(db, 1, ours, f"problem z dostawą numer {number}")
    terms = search_terms("dostawa")
    pages = [search_notes(db, 1, terms, offset=offset, limit=5) for offset in (0, 5, 10)]
    assert [len(p.notes) for p in pages] == [5, 5, 2]
    assert [p.has_next for p in pages] == [True, True, False]
    ids = [n.id for p in pages for n in p.notes]
    assert len(set(ids)) == 12 and all(p.total == 12 for p in pages)


def test_index_follows_deletes_and_edits(db, maps):
    ours, _ = maps
    note = add(db, 1, ours, "kolejka w sklepie")
    assert search_notes(db, 1, search_terms("kolejki")).total == 1
    db.execute("UPDATE notes SET text = ? WHERE id = ?", ["długie czekanie", note.id])
    assert search_notes(db, 1, search_terms("kolejki")).total == 0
    assert search_notes(db, 1, search_terms("czekania")).total == 1
    delete_note(db, 1, note.id)
    assert search_notes(db, 1, search_terms("czekania")).total == 0
    add(db, 1, ours, "kolejka znowu")
    delete_map(db, 1, ours.id)  # the cascade removes the notes from the index too
    assert search_notes(db, 1, search_terms("kolejka")).total == 0
    assert indexed(db, '"kolej"*') == indexed(db, '"czeka"*') == []  # no stale index entries


def test_terms_are_prefixes_and_fit_in_callback_data():
    assert search_terms("Koszyka, płatność!") == ("koszy", "platn")
    assert search_terms("kawa") == ("kaw",)
    assert search_terms("a do") == ("do",)
    terms = search_terms("доставка оплата кошик повернення знижка", max_bytes=40)
    assert len(" ".join(terms).encode()) <= 40 and terms[0] == "доста"
    assert search_terms('"; DROP TABLE notes; --') == ("dro", "tabl", "note")


def test_migration_indexes_notes_written_before_it(db_path):
    db = open_db(db_path, migrate=False)
    migrations.apply(db, stop_before="m002_notes_full_text_search")
    now = "2025-01-01T00:00:00+00:00"
    db.execute(
        "INSERT INTO chats (id, type, lang, timezone, created_at, updated_at)"
        " VALUES (1, 'private', 'pl', 'UTC', ?, ?)",
        [now, now],
    )
    db.execute(
        "INSERT INTO maps (id, chat_id, name, created_at, updated_at) VALUES (1, 1, 'M', ?, ?)",
        [now, now],
    )
    db.execute(
        "INSERT INTO notes (chat_id, map_id, kind, text, lang, created_at)"
        " VALUES (1, 1, 'pain_point', 'Łódź: kurier się spóźnia', 'pl', ?)",
        [now],
    )
    migrations.apply(db)
    assert db["notes"].detect_fts() == "notes_fts"
    assert search_notes(db, 1, search_terms("kuriera lodz")).total == 1
    migrations.apply(db)  # applying again changes nothing
    assert indexed(db, "lodz") == [1]
    db.close()
