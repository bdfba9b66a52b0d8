"""The console chat runs the same conversations as Telegram: scripted through stdin."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import timedelta

from bot.app import build_application
from bot.console import Screen, html_to_terminal, run_console
from bot.settings import Settings
from storage.db import open_db, utcnow
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

JOURNEYBOT = [sys.executable, "-m", "bot.cli"]

# One script, two transports: typed lines and button labels, as a person would answer.
SCRIPT = [
    ("say", "/newmap"),
    ("say", "Ordering a birthday cake online"),
    ("say", "busy parent planning a party"),
    ("press", "Rename"),
    ("press", "Awareness"),
    ("say", "Discovery"),
    ("press", "Remove"),
    ("press", "Advocacy"),
    ("press", "Add"),
    ("say", "Pick-up"),
    ("press", "Move"),
    ("press", "Pick-up"),
    ("press", "Before “Discovery”"),
    ("press", "Use these stages"),
    ("say", "the shop counter, phone and Instagram"),
    ("say", "they call to ask if the cake is ready"),
    ("press", "Next stage"),
    ("press", "Skip"),
    ("say", "nobody finds us on Google Maps"),
    ("press", "Finish"),
    ("say", "/note klienci porzucaja koszyk bo platnosc BLIKiem nie dziala"),
]


def map_rows(db_path) -> dict:
    """The map as plain rows, ids left out, for comparing two databases."""
    db = open_db(db_path)
    try:
        return {
            "maps": db.execute("SELECT name, persona FROM maps").fetchall(),
            "stages": db.execute("SELECT position, key, name FROM stages ORDER BY position")
            .fetchall(),
            "notes": db.execute(
                "SELECT stages.position, notes.kind, notes.text, notes.source, notes.lang "
                "FROM notes LEFT JOIN stages ON stages.id = notes.stage_id ORDER BY notes.id"
            ).fetchall(),
        }
    finally:
        db.close()


def console(db_path, lines: list[str], *extra: str, cwd=None, **env_vars: str) -> str:
    env = {**os.environ, "JOURNEYBOT_DB": str(db_path), **env_vars}
    done = subprocess.run(
        [*JOURNEYBOT, "chat", "--db", str(db_path), *extra],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=120,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_scripted_console_speaks_polish_after_language_and_leaves_rows(tmp_path):
    db_path = tmp_path / "x.db"
    out = console(db_path, ["/start", "/help", "/language", "Polski"])
    assert "journeybot" in out and "[1]" in out  # the welcome, and buttons as numbered choices
    assert "/newmap" in out  # /help
    assert "po polsku" in out  # the language button pressed by its label, answered in Polish
    db = open_db(db_path)
    assert db.execute("SELECT lang, type FROM chats").fetchall() == [("pl", "private")]
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    db.close()


def test_a_second_console_session_on_the_same_database_answers(tmp_path):
    """Issue 12 item 1: every launch numbered its updates from 1, so a second run was ignored."""
    db_path = tmp_path / "r.db"
    first = console(db_path, ["/start", "/help"])
    second = console(db_path, ["/start", "/help"])
    third = console(db_path, ["/help", "/help", "/help"])
    assert first.count("/newmap — ") == 1
    assert second == first
    assert third.count("/newmap — ") == 3


def test_console_answers_buttons_by_number_too(tmp_path):
    out = console(tmp_path / "x.db", ["/language", "4"], "--lang", "en")
    assert "български" in out.lower()


async def test_console_builds_the_same_map_as_telegram(emu, tmp_path):
    telegram_db, console_db = tmp_path / "telegram.db", tmp_path / "console.db"
    bot = BotUnderTest(emu, telegram_db)
    await bot.start()
    anna = Person(bot, 801, User(801, "Anna", language_code="en"))
    for action, text in SCRIPT:
        if action == "say":
            await anna.says(text)
        else:
            await anna.presses(text)
    await bot.stop()

    out = io.StringIO()
    settings = Settings(db_path=str(console_db))
    await run_console(
        lambda request: build_application(settings, request=request),
        chat_id=801, user_name="Anna", lang="en",
        stdin=io.StringIO("\n".join(text for _, text in SCRIPT) + "\n"), stdout=out,
    )
    assert "Ordering a birthday cake online is ready" in out.getvalue()
    assert map_rows(console_db) == map_rows(telegram_db)
    assert len(map_rows(console_db)["notes"]) == 6


def test_html_is_shown_as_plain_text_in_a_pipe():
    assert html_to_terminal("<b>Map</b> &lt;b&gt;x&lt;/b&gt; &amp; <i>y</i>", color=False) == \
        "Map <b>x</b> & y"
    assert html_to_terminal("<b>Map</b>", color=True) == "\033[1mMap\033[0m"


def test_screen_matches_labels_ignoring_emoji_and_case():
    screen = Screen(out=io.StringIO(), chat={"id": 1, "type": "private"})
    screen.show("sendMessage", {"chat_id": 1, "text": "Pick", "reply_markup": {
        "inline_keyboard": [[{"text": "🇵🇱 Polski", "callback_data": "lang:pl"},
                             {"text": "✅ Use these stages", "callback_data": "nm:keep:"}]]}})
    assert screen.choice_for("polski")[0] == "lang:pl"
    assert screen.choice_for("2")[0] == "nm:keep:"
    assert screen.choice_for("use these stages!")[0] == "nm:keep:"
    assert screen.choice_for("3") is None
    assert screen.choice_for("Instagram") is None
    assert screen.choice_for("/polski") is None  # a command, never a button (/rename ≠ Rename)


def test_a_pain_point_resolved_in_a_second_session_is_resolved_in_every_view(tmp_path):
    """Issue 12 item 4 in the console: day one adds pain points, day two resolves one in /review;
    /map text, /insights and the Markdown export then count it as resolved, in Polish."""
    db_path = tmp_path / "day.db"
    console(
        db_path,
        [
            "/language pl",
            "/note Kurier spóźnia się z dostawą tortu",
            "/note Nie ma parkingu przy sklepie",
            "/note Strona nie działa na telefonie",
        ],
    )
    lines = ["/review", "Rozwiązany", "/map text", "/insights", "/export md"]
    out = console(db_path, lines, cwd=tmp_path)  # files go to ./exports
    assert "3 notatki · 2 otwarte problemy · ✓ rozwiązane: 1" in out
    assert "✓ Rozwiązane problemy (1)" in out
    assert "Cała ścieżka: 3 notatki, 2 otwarte problemy" in out
    markdown = next((tmp_path / "exports").glob("*.md")).read_text()
    assert "2 otwarte problemy · ✓ rozwiązane: 1" in markdown


def test_board_in_the_console_shows_the_boards_address(tmp_path):
    db_path = tmp_path / "x.db"
    lines = ["/newmap Cake", "Skip", "Use these stages", "/board"]
    out = console(db_path, lines, JOURNEYBOT_PUBLIC_URL="https://bot.example.org")
    assert "🔗 🗺 Open the board: https://bot.example.org/board/?chat_id=" in out
    unset = console(db_path, ["/board"], "--lang", "pl", JOURNEYBOT_PUBLIC_URL="")
    assert "publicznego adresu HTTPS" in unset and "🔗" not in unset


def test_in_a_group_console_each_name_is_its_own_person(tmp_path):
    """`--user` in a group console is a team member: the same name is the same person on the
    next day, another name another person — it renamed the one console user (and every note
    that person wrote), so the digest thanked the last name for everyone's notes."""
    db_path = tmp_path / "team.db"
    group = ("--chat", "-5001", "--lang", "en")
    console(db_path, ["/note The courier was late again"], *group, "--user", "Ivan")
    console(db_path, ["/note Customers ask about returns"], *group, "--user", "Maria")
    out = console(db_path, ["/note The website is slow on phones", "/map text", "/digest"],
                  *group, "--user", "Ivan")
    db = open_db(db_path)
    authors = db.execute(
        "SELECT notes.number, users.first_name FROM notes JOIN users ON users.id = author_id "
        "ORDER BY notes.number").fetchall()
    members = db.execute("SELECT count(*) FROM chat_members WHERE chat_id = -5001").fetchone()
    titles = db.execute("SELECT title FROM chats").fetchall()
    db.close()
    assert authors == [(1, "Ivan"), (2, "Maria"), (3, "Ivan")]
    assert members == (2,)
    assert titles == [("Ivan's team",)]  # the group keeps its name whoever opens it
    assert "Customers ask about returns — Maria #2" in out
    assert "Thanks for the notes: Ivan (2), Maria (1)" in out


def test_a_forwarded_photo_with_a_caption_in_the_console_is_a_customer_quote(tmp_path):
    db_path = tmp_path / "q.db"
    out = console(db_path, ["/start", ":forward-photo Marta: Tort przyjechał zgnieciony"],
                  "--lang", "pl")
    assert "❝ Zapisane jako cytat klienta (Marta, " in out
    assert "samego załącznika nie przechowuję" in out
    db = open_db(db_path)
    assert db.execute("SELECT text, source, quote, quoted_from FROM notes").fetchall() == [
        ("Tort przyjechał zgnieciony", "forwarded", 1, "Marta")]
    db.close()


class Typist(io.TextIOBase):
    """Console input typed by a person who reads first: each line once `ready(what the screen
    shows since the previous line was typed)` holds (at most 60 s)."""

    def __init__(self, screen: io.StringIO, script: list) -> None:
        self.screen, self.script, self.seen = screen, list(script), 0

    def readline(self, size: int = -1) -> str:
        if not self.script:
            return ""
        ready, line = self.script.pop(0)
        deadline = time.monotonic() + 60
        while not ready(self.screen.getvalue()[self.seen:]) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.seen = len(self.screen.getvalue())
        return line + "\n"


async def test_a_message_for_another_chat_is_labelled_and_its_buttons_are_not_pressed(tmp_path):
    """Played: a Ukrainian group's console (-5) showed the review reminder due in Kasia's
    Polish private chat as if it were the group's, and "1" pressed its "Start review" there:
    "Не можу цього знайти". It is now shown under a line naming Kasia's chat, in Ukrainian, its
    buttons as plain labels; "1" is no button, and the console's own lines are Ukrainian."""
    db_path = tmp_path / "team.db"
    console(db_path, ["/newmap Sklep", "Pomiń", "Zostaw te etapy", "/schedule", "Co tydzień",
                      "Tak"], "--chat", "1001", "--user", "Kasia", "--lang", "pl")
    db = open_db(db_path)
    db.execute("UPDATE schedules SET next_run_at = ?",
               [(utcnow() - timedelta(minutes=5)).isoformat(timespec="seconds")])
    db.conn.commit()
    db.close()

    out = io.StringIO()
    typed = Typist(out, [
        (lambda shown: "Pora na przegląd" in shown, "1"),
        (lambda shown: shown.strip(), "/note курʼєр знову запізнився на дві години"),
    ])
    await run_console(
        lambda request: build_application(Settings(db_path=str(db_path)), request=request),
        chat_id=-5, user_name="Olena", lang="uk", stdin=typed, stdout=out,
    )
    shown = out.getvalue()
    assert "✉️ Для іншого чату (Kasia), не цього" in shown
    assert "journeybot chat --chat 1001:\n🔔 Pora na przegląd mapy „Sklep”" in shown
    assert "(▶️ Zacznij przegląd)" in shown and "[1] ▶️ Zacznij przegląd" not in shown
    assert "Кнопки [1] зараз немає" in shown and "Не можу цього знайти" not in shown
    assert "на вашому повідомленні)" in shown and "on your message" not in shown
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
    # the group a Ukrainian console starts is named in Ukrainian (reminders and check-ins
    # quote it: "Замовлення торта · Olena's team")
    assert db.execute("SELECT title FROM chats WHERE id = -5").fetchone() == ("Команда Olena",)
    db.close()
