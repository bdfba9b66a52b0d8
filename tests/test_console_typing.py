"""What console users type besides notes: parts of button labels, and a reader that goes away."""

from __future__ import annotations

import subprocess
import sys

from storage.db import open_db
from tests.test_console import console

JOURNEYBOT = f"{sys.executable} -m bot.cli"


def notes(db_path) -> list[tuple[int, str, str]]:
    db = open_db(db_path)
    try:
        return db.execute("SELECT number, kind, text FROM notes ORDER BY id").fetchall()
    finally:
        db.close()


def test_part_of_a_button_label_presses_it_and_a_part_of_several_is_asked(tmp_path):
    db_path = tmp_path / "team.db"
    console(db_path, ["the courier was late again and nobody called", "/map text"])
    before = notes(db_path)
    # the next day, in Polish, on the same file: "rodzaj" is the button "Zmień rodzaj"
    out = console(
        db_path,
        ["kasa w sklepie internetowym nie działa na telefonie", "rodzaj", "Emoc",
         "zmien", "/map text"],
        "--lang", "pl",
    )
    rows = notes(db_path)
    assert rows[: len(before)] == before and len(rows) == len(before) + 1
    assert rows[-1][1] == "emotion"  # "Emoc" pressed "Emocja" in the kind picker
    assert "rodzaj" not in [text for _, _, text in rows]  # no note of a button's name
    assert "„zmien” pasuje do kilku przycisków: [1] Zmień etap, [2] Zmień rodzaj" in out


def test_a_typed_part_waits_for_its_question_when_the_buttons_are_older(tmp_path):
    """Once the bot has asked for typed text, a line that is a part of an older button's
    label is that text, not a press."""
    db_path = tmp_path / "team.db"
    console(db_path, ["the courier was late again and nobody called"])
    out = console(db_path, ["/note 1", "Edit text", "channels"])  # the card has "Change channels"
    assert notes(db_path)[0][2] == "channels"
    assert "What kind of note" not in out and "Which channels" not in out


def test_console_exits_quietly_when_nobody_reads_its_output(tmp_path):
    """`journeybot chat … | head -n 1`: the reader goes away; no BrokenPipeError, exit 0."""
    db_path = tmp_path / "team.db"
    console(db_path, ["the courier was late again and nobody called"])  # a file with history
    lines = "\\n".join(["/help", "/map text", "/todo", "/insights", "/help"] * 20)
    done = subprocess.run(
        ["bash", "-c", f"printf '{lines}\\n' | {JOURNEYBOT} chat --db {db_path} | head -n 1;"
         " exit ${PIPESTATUS[1]}"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "BrokenPipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stdout.splitlines()) == 1


def test_a_group_session_s_first_line_is_a_reply_to_the_bot_not_dropped(tmp_path):
    """In a group the console user replies to the bot; at the start of a session, with none
    of its messages on the screen yet, the first line is a reply all the same (it was dropped
    unseen, as a group message that is no reply is under privacy mode)."""
    db_path = tmp_path / "team.db"
    group = ("--chat", "-42", "--user", "Иван", "--lang", "bg")
    console(db_path, ["/note куриерът закъсня два часа"], *group)
    console(db_path, ["плащането с карта не минава на телефона"], *group)
    assert [text for _, _, text in notes(db_path)] == [
        "куриерът закъсня два часа", "плащането с карта не минава на телефона"]
    # "Да" is the start of "Да, изтрий я": two letters are enough for the start of a label
    out = console(db_path, ["/delete 1", "Да"], *group)
    assert [number for number, _, _ in notes(db_path)] == [2] and "е изтрита" in out


def stage_names(db_path) -> list[str]:
    db = open_db(db_path)
    try:
        return [row[0] or row[1] for row in db.execute(
            "SELECT name, key FROM stages ORDER BY position").fetchall()]
    finally:
        db.close()


def test_a_stage_name_typed_after_the_stage_was_removed_says_so(tmp_path):
    """Мария renames "Решение", Иван removes it meanwhile, then Мария types the name."""
    db_path = tmp_path / "team.db"
    as_maria = ("--chat", "-42", "--user", "Мария", "--lang", "bg")
    as_ivan = ("--chat", "-42", "--user", "Иван", "--lang", "bg")
    console(db_path, ["/note куриерът закъсня два часа"], *as_ivan)
    console(db_path, ["/stages", "Преименувай", "Решение"], *as_maria)
    console(db_path, ["/stages", "Премахни", "Решение", "Да"], *as_ivan)
    before = stage_names(db_path)
    assert "decision" not in before
    out = console(db_path, ["Избор"], *as_maria)
    assert "„Решение“ междувременно беше премахнат, затова името „Избор“ не е използвано" in out
    assert stage_names(db_path) == before


def test_a_map_name_typed_after_the_map_was_deleted_says_so(tmp_path):
    """Мария's bare /rename waits for a name; Иван deletes the map meanwhile."""
    db_path = tmp_path / "team.db"
    as_maria = ("--chat", "-42", "--user", "Мария", "--lang", "bg")
    as_ivan = ("--chat", "-42", "--user", "Иван", "--lang", "bg")
    console(db_path, ["/note куриерът закъсня два часа", "/rename"], *as_maria)
    console(db_path, ["/deletemap", "Да"], *as_ivan)
    out = console(db_path, ["Торти по поръчка"], *as_maria)
    assert "междувременно беше изтрита, затова нищо не е преименувано" in out
    assert "/newmap Торти по поръчка" in out


def test_a_lane_answer_typed_after_its_stage_was_removed_says_so(tmp_path):
    """Иван answers /newmap's first lane question (Осведоменост) after Мария removed that
    stage with /stages: the answer is kept and sorted, not put on the stage that moved up."""
    db_path = tmp_path / "team.db"
    as_maria = ("--chat", "-42", "--user", "Мария", "--lang", "bg")
    as_ivan = ("--chat", "-42", "--user", "Иван", "--lang", "bg")
    console(db_path, ["/newmap Торти", "Пропусни", "Запази тези етапи"], *as_ivan)
    console(db_path, ["/stages", "Премахни", "Осведоменост", "Да"], *as_maria)
    out = console(db_path, ["Instagram и Facebook"], *as_ivan)
    assert "Етапът на този въпрос междувременно беше премахнат" in out
    db = open_db(db_path)
    try:
        rows = db.execute("SELECT text, kind FROM notes ORDER BY text").fetchall()
        assert rows == [("Facebook", "touchpoint"), ("Instagram", "touchpoint")]
    finally:
        db.close()


def test_a_typed_answer_that_is_some_button_s_label_is_taken_as_the_answer(tmp_path):
    """A clinic renames "Zakup" to "Termin" on a file with history: while the bot waits for
    the name, "Termin" is the name, not the (never shown) button "📅 Termin"."""
    db_path = tmp_path / "team.db"
    console(db_path, ["kurier spóźnił się dwie godziny"], "--lang", "pl")
    out = console(db_path, ["/stages", "Zmień nazwę", "Zakup", "Termin"], "--lang", "pl")
    assert "Przycisku" not in out
    assert stage_names(db_path)[3] == "Termin"
    # with no question waiting, the whole label of a button is still no note
    out = console(db_path, ["Termin"], "--lang", "pl")
    assert "Przycisku „📅 Termin” już nie ma" in out and len(notes(db_path)) == 1


def test_the_start_of_an_older_message_s_button_label_is_no_note(tmp_path):
    """During a review the team adds a note, then types "Приключи" for the older message's
    "✅ Приключи прегледа": said so, nothing stored (it was stored as a pain point)."""
    db_path = tmp_path / "team.db"
    bg = ("--chat", "77", "--lang", "bg")
    console(db_path, ["куриерът закъсня два часа"], *bg)
    out = console(db_path, ["/review", "Още отворена", "/note клиентите питат за цената",
                            "Приключи"], *bg)
    assert "Бутонът „✅ Приключи прегледа“ вече го няма" in out
    assert [text for _, _, text in notes(db_path)] == [
        "куриерът закъсня два часа", "клиентите питат за цената"]


def test_a_typed_name_equal_to_a_gone_button_s_label_is_the_answer(tmp_path):
    """While a question waits for typed text, typed text is the answer. Second day: a team
    renames "Rozwazanie" back to "Rozważanie" — the stage chooser's button "Rozwazanie" a moment
    ago (the same label once folded), refused before as a gone button — and renames "Zakup"
    to "2024", a bare number that no button has (refused before as "no such choice")."""
    db_path = tmp_path / "team.db"
    console(db_path, ["kurier spóźnił się dwie godziny", "/stages", "Zmień nazwę",
                      "Rozważanie", "Rozwazanie"], "--lang", "pl")
    assert stage_names(db_path)[1] == "Rozwazanie"
    out = console(db_path, ["/stages", "Zmień nazwę", "Rozwazanie", "Rozważanie",
                            "/stages", "Zmień nazwę", "Zakup", "2024"], "--lang", "pl")
    assert "Przycisku" not in out and "Nie ma teraz przycisku" not in out, out
    assert "„Rozwazanie” nazywa się teraz „Rozważanie”" in out
    assert stage_names(db_path)[1] == "Rozważanie" and stage_names(db_path)[3] == "2024"
    assert len(notes(db_path)) == 1  # neither answer became a note
