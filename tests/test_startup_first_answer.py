"""What `journeybot run` has imported when it sends its first answer: only what that answer
needs. spaCy, numpy, matplotlib and the classifier take seconds to import and load; they come
after the people who were waiting have been answered (bot/startup.py, issue 14). Timings live
in bench/scale.py (`first_answer_after_start`); this test checks the order, not the clock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bot.app import command_menu
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.texts import t
from storage.chats import remember_chat, remember_user
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.notes import add_note, delete_note
from storage.reminders import save_schedule
from tests.emulator.models import User
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parent.parent
OLENA = User(731, "Olena", language_code="uk")
TEAM = -100731
# Imported before the first answer, any of these is seconds (or tens of ms) of start-up spent
# on something the answer does not use.
NOT_BEFORE_THE_FIRST_ANSWER = (
    "spacy", "thinc", "numpy", "matplotlib", "simplemma", "nlp.classify", "nlp.pipeline",
    "cryptography", "starlette", "httpcore", "anyio",
)


def second_day_database(path: Path) -> None:
    """Olena's chat with a map, notes (one deleted) and an old conversation language; a team
    whose weekly review fell due while the bot was down (its reminder waits in the outbox)."""
    db = open_db(path)
    remember_chat(db, OLENA.id, "private", None, "uk")
    remember_user(db, OLENA.id, OLENA.first_name, None, "uk")
    journey = create_map(db, OLENA.id, "Кавʼярня на Подолі", None, OLENA.id,
                         [(key, None) for key in STAGE_KEYS])
    stage = journey.stage_for_key("purchase")
    for text in ("довго чекали на каву", "термінал не приймав картку", "немає вільних столиків"):
        draft = NoteDraft(text=text, lang="uk", kind="pain_point", stage_key="purchase")
        note = add_note(db, OLENA.id, journey.id, stage.id, draft, OLENA.id)
    delete_note(db, OLENA.id, note.id)
    remember_chat(db, TEAM, "group", "Bakery", "en")
    team_map = create_map(db, TEAM, "Cake orders", None, None, [(k, None) for k in STAGE_KEYS])
    save_schedule(db, TEAM, team_map.id, ReviewRule("weekly"), "UTC", now=utcnow())
    db.execute("UPDATE schedules SET next_run_at = ?", [to_iso(utcnow() - timedelta(hours=1))])
    db.close()


def imported(log: Path) -> set[str]:
    """The modules `-X importtime` has reported so far (each once its import finished)."""
    names = set()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rpartition("|")[2].strip())
    return names


def heavy(names: set[str]) -> set[str]:
    """The modules of NOT_BEFORE_THE_FIRST_ANSWER among `names`. `-X importtime` logs a package
    once its import has finished and its submodules earlier, so a submodule alone means the
    package's import is under way: it counts. Except for cryptography: python-telegram-bot's
    failed import of cryptography.hazmat (cryptography hidden, bot/__init__.py) is logged too,
    so a cryptography submodule counts only once `cryptography` itself is there."""
    found = set()
    for name in names:
        top = name.partition(".")[0]
        if top == "cryptography" and top not in names:
            continue
        if any(name == heavy or name.startswith(heavy + ".")
               for heavy in NOT_BEFORE_THE_FIRST_ANSWER):
            found.add(name)
    return found


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.01)


def test_the_first_answer_goes_out_before_spacy_numpy_matplotlib_and_the_classifier(
    emu, tmp_path
):
    """Olena's /start waits while the bot is down. The bot answers it with none of the heavy
    modules imported — checked at the moment Telegram receives the answer, which is held there
    unanswered for a while, so nothing the bot runs meanwhile is missed — and before the team's
    overdue reminder; the classifier then loads in the background (so the check sees it) and
    the command menus are set."""
    path = tmp_path / "bot.db"
    second_day_database(path)
    emu.create_chat(TEAM, chat_type="group", title="Bakery")
    emu.send_message(OLENA.id, "/start", user=OLENA)
    emu.inject("sendMessage", chat_id=OLENA.id, answer_delay=2.0)
    log = tmp_path / "run.log"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONPROFILEIMPORTTIME": "1"}
    command = [sys.executable, "-m", "bot.cli", "run", "--db", str(path),
               "--base-url", emu.base_url, "--no-rate-limit"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        wait_until(lambda: emu.calls("sendMessage"), 60, "an answer to /start")
        at_the_answer = imported(log)
        first = emu.calls("sendMessage")[0]
        assert int(first.params["chat_id"]) == OLENA.id  # before the team's reminder
        assert first.params["text"] == t("uk", "start.welcome")
        assert {"telegram.ext", "aiohttp", "sqlite_utils", "bot.app"} <= at_the_answer
        assert heavy(at_the_answer) == set()
        assert emu.commands(language_code="uk") == []  # the menus go out after the answers
        wait_until(lambda: {"spacy", "nlp.pipeline"} <= imported(log), 120,
                   "the classifier loading after the first answer")
        has_map = t("uk", "start.has_map", name="Кавʼярня на Подолі")
        wait_until(lambda: has_map in [m.text for m in emu.bot_messages(OLENA.id)], 30,
                   "the second answer, naming Olena's map")
        wait_until(lambda: emu.bot_messages(TEAM), 60, "the team's reminder")
        menu = [command.command for command in command_menu("uk")]
        wait_until(lambda: [c["command"] for c in emu.commands(language_code="uk")] == menu, 60,
                   "the uk command menu, set after the first answers")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_group_board_link_is_built_without_the_board_web_side():
    """A group's /board builds its t.me link on the event loop: importing bot.board there
    (starlette, telegram_webapp_auth, cryptography) blocked the loop for 42–85 ms."""
    code = (
        "import sys\n"
        "from bot.flows.board import board_links\n"
        "link = board_links('https://b.example', 'jbot', -100731, 'supergroup')\n"
        "assert link == {'url': 'https://t.me/jbot/board?startapp=c-100731'}, link\n"
        "print(sorted(m for m in ('bot.board', 'starlette', 'telegram_webapp_auth',\n"
        "                         'cryptography') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_nothing_passes_a_passport_private_key_while_cryptography_is_hidden_from_ptb():
    """bot/__init__.py hides cryptography while python-telegram-bot is imported, so PTB holds
    CRYPTO_INSTALLED = False and a Passport private key would make the bot refuse to start:
    no code of ours may pass one (a keyword argument, or the builder's .private_key())."""
    import ast

    # in a fresh process, as at start (in this one an earlier test may have imported
    # cryptography or telegram before bot, and PTB then records it as installed)
    left = subprocess.run(
        [sys.executable, "-c", "import bot, telegram._bot; print(telegram._bot.CRYPTO_INSTALLED)"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    assert left.stdout.strip() == "False"  # what `import bot` leaves behind
    passing = []
    for folder in ("bot", "bench", "nlp", "storage"):
        for module in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(module.read_text())):
                if isinstance(node, ast.keyword) and node.arg and "private_key" in node.arg:
                    passing.append(f"{module.name}:{node.value.lineno} {node.arg}=")
                elif isinstance(node, ast.Attribute) and node.attr.startswith("private_key"):
                    passing.append(f"{module.name}:{node.lineno} .{node.attr}")
    assert passing == []
