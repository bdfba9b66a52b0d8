"""Search over notes: lemmas in four languages, diacritics, paging, one chat only — and only
that chat's part of the index is read."""

import re

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from nlp.classify import note_search_keys, word_search_keys
from storage.chats import remember_chat
from storage.db import open_db
from storage.maps import create_map, delete_map
from storage.migrations import migrations
from storage.notes import add_note, delete_note
from storage.search import (
    chat_prefix,
    index_notes,
    notes_to_index,
    search_notes,
    search_terms,
    word_prefix,
)

STAGES = [(key, None) for key in STAGE_KEYS]


def add(db, chat_id, journey, text, lang="pl"):
    draft = NoteDraft(text=text, lang=lang, kind="pain_point", stage_key="purchase")
    return add_note(db, chat_id, journey.id, journey.stages[3].id, draft, None)


def search(db, chat_id, query, **page):
    """What /search does: index the chat's waiting notes, then search them."""
    index_notes(db, note_search_keys, chat_id=chat_id)
    return search_notes(db, chat_id, search_terms(query), word_search_keys, **page)


@pytest.fixture
def maps(db):
    remember_chat(db, 1, "private", "Ola", "pl")
    remember_chat(db, -1002, "group", "Команда", "uk")
    return create_map(db, 1, "Sklep", None, None, STAGES), create_map(
        db, -1002, "Магазин", None, None, STAGES
    )


def index_terms(db):
    """{term: notes} of the whole index, straight from FTS5's vocabulary."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab"
        " USING fts5vocab(main, notes_search, row)"
    )
    return {term: notes for term, notes in db.execute("SELECT term, doc FROM temp.search_vocab")}


def texts(page):
    return sorted(note.text for note in page.notes)


@pytest.mark.parametrize(
    ("lang", "notes", "queries"),
    [
        ("pl", ["Tort był suchy", "Zamówili tortem", "Torty za drogie", "tortow brak"],
         ["tortów", "tort", "TORTY", "tortem"]),
        ("en", ["Delivery was late", "Two deliveries lost", "It was delivered late"],
         ["deliveries", "delivery", "delivered"]),
        ("uk", ["Кошик не зберігається", "Немає кошика", "Товар у кошику зник"],
         ["кошика", "кошик", "кошику"]),
        ("bg", ["Доставката закъснява", "Две доставки изгубени", "Доставка до офис"],
         ["доставката", "доставки", "доставка"]),
    ],
)
def test_inflected_forms_find_each_other(db, maps, lang, notes, queries):
    ours, _ = maps
    for text in notes:
        add(db, 1, ours, text, lang=lang)
    add(db, 1, ours, "Kawa zimna", lang="pl")
    for query in queries:
        assert texts(search(db, 1, query)) == sorted(notes), query


def test_diacritics_do_not_matter_either_way(db, maps):
    ours, _ = maps
    add(db, 1, ours, "Płatność kartą nie działa")
    add(db, 1, ours, "Platnosc karta odrzucona")
    for query in ("płatności", "platnosci", "PŁATNOŚĆ", "karty"):
        assert search(db, 1, query).total == 2, query


def test_a_prefix_still_finds_words_the_lemma_tables_do_not_know(db, maps):
    ours, _ = maps
    add(db, 1, ours, "Zamówienie przez Glovo nie doszło", lang="pl")
    add(db, 1, ours, "Kurier Glovoapp się spóźnił", lang="pl")
    assert search(db, 1, "glovo").total == 2


def test_cyrillic_letters_stay_themselves(db, maps):
    _, theirs = maps
    add(db, -1002, theirs, "Сайт не відкривається", lang="uk")
    add(db, -1002, theirs, "Саит", lang="uk")  # a typo: и is not й
    assert texts(search(db, -1002, "сайту")) == ["Сайт не відкривається"]


def test_never_returns_another_chats_notes(db, maps):
    ours, theirs = maps
    add(db, 1, ours, "koszyk się nie zapisuje")
    add(db, -1002, theirs, "koszyk — ta sama uwaga w innym czacie")
    assert [n.chat_id for n in search(db, 1, "koszyk").notes] == [1]
    assert [n.chat_id for n in search(db, -1002, "koszyk").notes] == [-1002]
    assert search(db, 3, "koszyk").total == 0


def test_a_search_reads_only_the_chats_part_of_the_index(db, maps):
    """Each key is stored under its chat: the lists of notes a search of chat 1 can read hold
    chat 1's notes only, however many notes of other chats have the same word."""
    ours, theirs = maps
    for number in range(3):
        add(db, 1, ours, f"kurier spóźniony {number}")
    for number in range(60):
        add(db, -1002, theirs, f"kurier spóźniony {number}")
    assert search(db, 1, "kurierem").total == 3
    index_notes(db, note_search_keys)
    terms = index_terms(db)
    assert terms[chat_prefix(1) + "kurier"] == 3
    assert terms[chat_prefix(-1002) + "kurier"] == 60
    readable = {term: n for term, n in terms.items() if term.startswith(chat_prefix(1))}
    assert readable and max(readable.values()) <= 3  # no list of chat 1 names another note
    assert all(term.startswith(("1_", "m1002_")) for term in terms)  # every term has its chat


def test_the_query_plans_read_the_chat_only(db, maps):
    """The search goes through the index and then notes by primary key; waiting notes are
    found through the index that holds only waiting notes: no statement scans `notes`."""
    ours, _ = maps
    add(db, 1, ours, "kolejka w sklepie")
    plan = " | ".join(
        row[3]
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id, text FROM notes"
            " WHERE search_keys IS NULL AND chat_id = ?",
            [1],
        )
    )
    assert "USING INDEX idx_notes_unindexed (chat_id=?)" in plan, plan
    everyone = [row[3] for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT id, text FROM notes WHERE search_keys IS NULL LIMIT 300")]
    assert everyone == ["SCAN notes USING INDEX idx_notes_unindexed"], everyone  # the job's
    assert len(notes_to_index(db, chat_id=1)) == 1
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        search(db, 1, "kolejki")
    finally:
        db.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    plans = [row[3] for s in selects for row in db.execute("EXPLAIN QUERY PLAN " + s)]
    assert any(plan.startswith("SCAN notes_search VIRTUAL TABLE INDEX 0:M") for plan in plans)
    assert not [plan for plan in plans if re.match(r"SCAN notes\b(?!_search)", plan)], plans


def test_all_words_must_match_unless_none_matches_them_all(db, maps):
    ours, _ = maps
    add(db, 1, ours, "koszyk i dostawa")
    add(db, 1, ours, "sam koszyk")
    assert texts(search(db, 1, "koszyk dostawy")) == ["koszyk i dostawa"]
    assert search(db, 1, "koszyk rabat").total == 2  # nothing has both: any word


def test_pages_are_limited_and_cover_every_hit_once(db, maps):
    ours, _ = maps
    for number in range(12):
        add(db, 1, ours, f"problem z dostawą numer {number}")
    pages = [search(db, 1, "dostawa", offset=offset, limit=5) for offset in (0, 5, 10)]
    assert [len(p.notes) for p in pages] == [5, 5, 2]
    assert [p.has_next for p in pages] == [True, True, False]
    ids = [n.id for p in pages for n in p.notes]
    assert len(set(ids)) == 12 and all(p.total == 12 for p in pages)


def test_index_follows_new_notes_edits_and_deletes(db, maps):
    ours, _ = maps
    note = add(db, 1, ours, "kolejka w sklepie")
    assert [n.id for n in notes_to_index(db)] == [note.id]  # a new note waits to be indexed
    assert search(db, 1, "kolejki").total == 1
    assert notes_to_index(db) == []
    db.execute("UPDATE notes SET text = ? WHERE id = ?", ["długie czekanie", note.id])
    assert [n.id for n in notes_to_index(db)] == [note.id]  # its text changed: waits again
    assert search(db, 1, "kolejki").total == 0
    assert search(db, 1, "czekania").total == 1
    delete_note(db, 1, note.id)
    assert search(db, 1, "czekania").total == 0
    add(db, 1, ours, "kolejka znowu")
    assert search(db, 1, "kolejka").total == 1
    delete_map(db, 1, ours.id)  # the cascade removes the notes from the index too
    assert search(db, 1, "kolejka").total == 0
    assert {t: n for t, n in index_terms(db).items() if n} == {}  # no stale index entries


def test_keys_made_from_an_older_text_are_not_saved(db, maps):
    from storage.search import save_search_keys

    ours, _ = maps
    note = add(db, 1, ours, "kolejka")
    (waiting,) = notes_to_index(db)
    db.execute("UPDATE notes SET text = 'czekanie' WHERE id = ?", [note.id])
    save_search_keys(db, [(waiting.id, waiting.text, "kolejka")])  # keyed before the edit
    assert [n.text for n in notes_to_index(db)] == ["czekanie"]


def test_any_text_keeps_its_keys_inside_its_chat(db, maps):
    ours, theirs = maps
    nasty = [
        "🦷🦷", "з'явився ім’я сімʼї", "e\u0301cole café", "a_b __init__ x_y",
        '"; DROP TABLE notes; --', "OR AND NOT NEAR(x y)", "* ^ : ( ) +", "10:00 2×3 ½ ⅓ ²",
        "東京 ラーメン", "ÆØÅ ß ǅ İ", "\u200b\u00ad tab\there", "ﬁnal ﬂow",
    ]
    for text in nasty:
        add(db, 1, ours, text)
        add(db, -1002, theirs, text, lang="uk")
    index_notes(db, note_search_keys)
    assert all(term.startswith(("1_", "m1002_")) for term in index_terms(db))
    for text in nasty:
        search(db, 1, text)  # no FTS5 syntax error, whatever is typed
    assert search(db, 1, "ім'я").total == 1
    assert search(db, 1, "ramen 東京").total == 1


def test_terms_are_words_and_fit_in_callback_data():
    assert search_terms("Koszyka, płatność! koszyka") == ("koszyka", "płatność")
    assert search_terms("a do") == ("do",)
    assert search_terms("płatność platnosc") == ("płatność",)  # the same word, folded
    terms = search_terms("доставка оплата кошик повернення знижка", max_bytes=40)
    assert len(" ".join(terms).encode()) <= 40 and terms[0] == "доставка"
    assert search_terms('"; DROP TABLE notes; --') == ("drop", "table", "notes")
    assert word_prefix("koszyka") == "koszy" and word_prefix("kawa") == "kaw"
    assert chat_prefix(-100123) == "m100123_" and chat_prefix(42) == "42_"


def test_migration_makes_an_older_database_searchable(db_path):
    """A database made by the code before m006 (m002's index, notes stored by add_note):
    the migration drops the old index and its notes wait; the first search finds them."""
    db = open_db(db_path, migrate=False)
    migrations.apply(db, stop_before="m006_search_by_lemma_per_chat")
    assert db["notes"].detect_fts() == "notes_fts"
    remember_chat(db, 1, "private", "Ola", "pl")
    remember_chat(db, 2, "private", "Ivan", "pl")
    ours = create_map(db, 1, "Sklep", None, None, STAGES)
    theirs = create_map(db, 2, "Sklep", None, None, STAGES)
    for text in ("Tort urodzinowy się rozpadł", "Łódź: kurier z tortem się spóźnia"):
        add(db, 1, ours, text)
        add(db, 2, theirs, text)
    deleted = add(db, 1, ours, "tort skasowany")
    delete_note(db, 1, deleted.id)
    migrations.apply(db)
    assert "notes_fts" not in db.table_names() and db["notes"].detect_fts() is None
    assert len(notes_to_index(db)) == 4
    assert texts(search(db, 1, "tortów")) == [
        "Tort urodzinowy się rozpadł",
        "Łódź: kurier z tortem się spóźnia",
    ]
    assert search(db, 1, "kuriera lodz").total == 1
    assert len(notes_to_index(db)) == 2  # the other chat's notes wait for their own search
    migrations.apply(db)  # applying again changes nothing
    assert search(db, 1, "tort").total == 2
    db.close()
