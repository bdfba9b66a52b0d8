"""`journeybot import --map ID FILE --db PATH`: on a database with a history, twice."""

from __future__ import annotations

from bot.cli import main
from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_chat, remember_user
from storage.db import open_db
from storage.maps import create_map
from storage.notes import add_note, delete_note, list_notes

CSV = (
    "text,date,author\n"
    "Kurier się spóźnił dwie godziny,2026-11-03,Jan\n"
    "Płatność BLIK nie przeszła,2026-11-04,Ola\n"
    ",2026-11-05,Nobody\n"
    "Strona ładuje się bardzo wolno na telefonie,2026-11-06,Ewa\n"
)


def history(db_path):
    """A Polish team's map with notes, one deleted, and another chat's map beside it."""
    db = open_db(db_path)
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Piekarnia", "pl")
    remember_chat(db, 5, "private", "Ivan", "uk")
    stages = [(key, None) for key in STAGE_KEYS]
    journey = create_map(db, -100, "Sklep", None, 7, stages)
    other = create_map(db, 5, "Інша", None, 7, stages)
    purchase = journey.stage_for_key("purchase").id
    add_note(db, -100, journey.id, purchase,
             NoteDraft("kurier sie spoznil dwie godziny!", "pl", "pain_point", "purchase"), 7)
    gone = add_note(db, -100, journey.id, purchase,
                    NoteDraft("Płatność BLIK nie przeszła", "pl", "pain_point", "purchase"), 7)
    delete_note(db, -100, gone.id)  # deleted: importing it again is not a duplicate
    add_note(db, 5, other.id, None,
             NoteDraft("Strona ładuje się bardzo wolno na telefonie", "pl", "pain_point", None), 7)
    db.close()
    return journey.id


def test_import_twice_adds_nothing_the_second_time(tmp_path, capsys):
    db_path, source = tmp_path / "x.db", tmp_path / "reviews.csv"
    map_id = history(db_path)
    source.write_text(CSV, encoding="utf-8")

    assert main(["import", "--map", str(map_id), str(source), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("📥 Dodałem 2 notatki z pliku reviews.csv do mapy „Sklep”.")
    assert "Pominąłem 1 duplikat" in out
    assert "Pominąłem 1 wiersz bez tekstu: wiersz 4." in out
    db = open_db(db_path)
    notes = list_notes(db, -100, map_id)
    assert [(n.number, n.text, n.quoted_from) for n in notes] == [
        (1, "kurier sie spoznil dwie godziny!", None),
        (3, "Płatność BLIK nie przeszła", "Ola"),
        (4, "Strona ładuje się bardzo wolno na telefonie", "Ewa"),
    ]
    assert all(n.author_id is None for n in notes[1:])
    db.close()

    assert main(["import", "--map", str(map_id), str(source), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("📥 Dodałem 0 notatek")
    assert "Pominąłem 3 duplikaty" in out
    db = open_db(db_path)
    assert len(list_notes(db, -100, map_id)) == 3
    db.close()


def test_a_refused_file_imports_nothing_and_says_why(tmp_path, capsys):
    db_path, source = tmp_path / "x.db", tmp_path / "scores.csv"
    map_id = history(db_path)
    source.write_text("id;rating\n1;5\n", encoding="utf-8")
    assert main(["import", "--map", str(map_id), str(source), "--db", str(db_path),
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "I found no text column in that file (its columns: id, rating)." in err
    assert err.rstrip().endswith("Nothing was imported.")
    assert main(["import", "--map", "999", str(source), "--db", str(db_path)]) == 1
    assert "there is no map 999" in capsys.readouterr().err
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 2
    db.close()
