"""Telegram faults, injected with the emulator: the bot retries what should be retried, gives up
cleanly on the rest, never stores a note twice, never loops, and handles the next update normally.

What the bot does, fault by fault (bot/replies.py, bot/flows/add_note.py, bot/errors.py):

* **429 Too Many Requests** — with the rate limiter (as in production) the call waits
  `retry_after` and goes out again: the user gets every message once.
* **5xx / refused connection** on sending a message — the message did not go out, so `reply()`
  sends it again after 0.25 s and 1 s; after three failures it gives up (logged, no apology
  loop). The note is stored *before* anything is said about it (also the "I started a map"
  notice), so a failed acknowledgement never loses a note, and as the update is recorded as
  handled it is never stored twice.
* **Timeout** — not retried: Telegram may well have sent the message (the emulator does, late),
  and a retry would say everything twice. The note is stored once; the late answer arrives.
* **403 bot was blocked** — nothing is retried; the note is stored; the next update (the user
  writes again, which unblocks) is handled normally.
* **400 message is not modified** on an edit — nothing to do; **400 message to edit not found**
  — the answer is sent as a new message instead.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bot.replies import SEND_RETRY_DELAYS
from bot.texts import t
from storage.chats import remember_chat
from storage.db import DatabaseUnusable, check_database, open_db
from tests.emulator.emulator import TelegramEmulator
from tests.emulator.models import User
from tests.harness import TOKEN, BotUnderTest, Person

ANNA = User(901, "Anna", language_code="en")
NOTE = "the card terminal was broken at the till"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, rate_limit=True) as bot:
        yield bot


def stored(bot: BotUnderTest, text: str) -> int:
    return bot.db.execute("SELECT count(*) FROM notes WHERE text = ?", [text]).fetchone()[0]


def sends(bot: BotUnderTest) -> list:
    return bot.emu.calls("sendMessage")


async def first_note(anna: Person) -> None:
    """A map and one note already exist, so a note gets exactly one message back."""
    await anna.says("/note we post on instagram every day")


async def test_flood_control_is_waited_out_and_every_message_goes_out_once(bot):
    anna = Person(bot, ANNA.id, ANNA)
    bot.emu.inject("sendMessage", status=429, retry_after=1)
    replies = await anna.says(NOTE)
    assert stored(bot, NOTE) == 1
    texts = [m.text for m in replies]
    assert len(texts) == len(set(texts)) == 2  # "I started a map" and the acknowledgement
    assert [c.error_code for c in sends(bot)] == [429, None, None]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_error_on_the_acknowledgement_is_retried_and_the_note_stored_once(
    bot, status
):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", status=status, times=2)
    replies = await anna.says(NOTE)
    assert stored(bot, NOTE) == 1
    assert len(replies) == 1 and "Undo" in " ".join(replies[0].button_texts)
    assert [c.error_code for c in sends(bot)[before:]] == [status, status, None]


async def test_a_lasting_server_error_gives_up_after_a_few_tries_and_keeps_the_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    bot.emu.inject("sendMessage", status=500, times=None)
    assert await anna.says(NOTE) == []  # the map notice fails: the note is stored all the same
    assert stored(bot, NOTE) == 1
    assert len(sends(bot)) == len(SEND_RETRY_DELAYS) + 1  # bounded: no loop, no apology storm
    bot.emu.clear_faults()
    ack = await anna.says("/map text")  # the next update is handled normally
    assert NOTE in "\n".join(m.text for m in ack)
    assert stored(bot, NOTE) == 1


async def test_a_timed_out_acknowledgement_is_not_sent_twice(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", delay=5.5)  # longer than PTB's 5 s read timeout
    await anna.says(NOTE)
    late = await bot.emu.wait_for(lambda: len(sends(bot)) > before, timeout=5)
    assert late and stored(bot, NOTE) == 1
    note_id = bot.db.execute("SELECT id FROM notes WHERE text = ?", [NOTE]).fetchone()[0]
    acks = [m for m in bot.emu.bot_messages(ANNA.id) if f"nb:undo:{note_id}" in m.callback_data]
    assert len(acks) == 1  # Telegram sent it; the bot did not send it again
    assert len(sends(bot)) == before + 1
    replies = await anna.says("/help")
    assert len(replies) == 1 and "/newmap" in replies[0].text


async def test_a_user_who_blocked_the_bot_is_not_retried_and_the_note_is_kept(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    before = len(sends(bot))
    bot.emu.inject("sendMessage", status=403, times=1)  # Forbidden: bot was blocked by the user
    assert await anna.says(NOTE) == []
    assert stored(bot, NOTE) == 1
    assert [c.error_code for c in sends(bot)[before:]] == [403]
    replies = await anna.says("delivery came two hours late")  # writing again unblocks
    assert len(replies) == 1 and stored(bot, "delivery came two hours late") == 1


async def test_edits_that_telegram_refuses_are_handled(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    ack = (await anna.says(NOTE))[-1]
    bot.emu.inject("editMessageText", status=400, description="Bad Request: message is not "
                   "modified: specified new message content and reply markup are exactly the same "
                   "as a current content and reply markup of the message")
    assert await anna.presses("Change kind", ack) == []
    assert anna.last_answer()["text"] is None  # answered once, without an apology
    bot.emu.inject("editMessageText", status=400,
                   description="Bad Request: message to edit not found")
    sent = await anna.presses("Change stage", ack)
    assert len(sent) == 1 and sent[0].callback_data  # the picker came as a new message
    stage = bot.db.execute(
        "SELECT s.key FROM notes n JOIN stages s ON s.id = n.stage_id WHERE n.text = ?", [NOTE]
    ).fetchone()
    picked = await anna.presses("Awareness" if stage != ("awareness",) else "Advocacy", sent[0])
    assert picked == [] and stored(bot, NOTE) == 1
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1


async def test_a_failing_button_answer_changes_nothing_and_the_next_press_works(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    ack = (await anna.says(NOTE))[-1]
    bot.emu.inject("answerCallbackQuery", status=502, times=1)
    await anna.presses("Undo", ack)
    assert stored(bot, NOTE) == 1  # the press failed before anything happened
    await anna.presses("Undo", ack)
    assert stored(bot, NOTE) == 0
    assert anna.message(ack.message_id).text == t("en", "note.undone", number=2)


async def test_polling_survives_a_bad_gateway(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    bot.emu.inject("getUpdates", status=502, times=1)
    replies = await anna.says(NOTE)  # delivered once the next poll succeeds
    assert len(replies) == 1 and stored(bot, NOTE) == 1


async def test_a_bad_request_is_logged_with_its_traceback_and_apologised_for(bot, caplog):
    """Issue 12 item 21: BadRequest is a NetworkError subclass in PTB; it used to be taken for
    a passing network failure — a warning, no traceback, the user left waiting."""
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    bot.emu.inject("sendMessage", status=400, description="Bad Request: can't parse entities",
                   times=1)
    with caplog.at_level("WARNING", logger="bot.errors"):
        replies = await anna.says(NOTE)
    assert [m.text for m in replies] == [t("en", "error.generic")]
    errors = [r for r in caplog.records if r.name == "bot.errors" and r.levelname == "ERROR"]
    assert errors and errors[0].exc_info is not None
    assert stored(bot, NOTE) == 1


async def test_the_error_handler_never_raises_even_when_the_database_is_gone(caplog):
    """An error whose handling fails too (the database is closed) is logged, never raised."""
    from types import SimpleNamespace

    from telegram import Chat, Message, Update
    from telegram import User as TelegramUser

    from bot.errors import handle_error

    chat = Chat(5, "private")
    message = Message(1, None, chat, from_user=TelegramUser(5, "Anna", False), text="x")
    update = Update(1, message=message)

    class Broken:
        chat_record = None
        error = RuntimeError("boom")
        lang = "en"

        @property
        def db(self):
            raise RuntimeError("database closed")

    context = Broken()
    context.bot = SimpleNamespace()
    with caplog.at_level("WARNING"):
        await handle_error(update, context)  # must not raise
    assert any("boom" in repr(r.exc_info) or "unhandled" in r.getMessage()
               for r in caplog.records)


# --- issue 13 §5: failures say what to do ---------------------------------------------------

OPERATOR = 4242  # JOURNEYBOT_ADMIN_CHAT_ID
PIOTR = User(902, "Piotr", language_code="pl")


@pytest.fixture
async def watched_bot(emu, tmp_path):
    emu.create_chat(OPERATOR, chat_type="private")
    db_path = tmp_path / "bot.db"
    async with BotUnderTest(emu, db_path, load_nlp=False, admin_chat_id=OPERATOR) as bot:
        yield bot


# A database that refuses every write already refuses the update's inbox row (bot/inbox.py):
# the update then stays with Telegram, unconfirmed, until the database works again.
@pytest.mark.parametrize("breakage", ["table gone"])
async def test_a_database_error_gets_an_apology_and_one_operator_alert(watched_bot, breakage):
    bot = watched_bot
    piotr = Person(bot, PIOTR.id, PIOTR)
    await first_note(piotr)
    secret = "nasz dostawca spóźnia się w każdy piątek"
    if breakage == "read-only":  # as if the disk went read-only under the bot
        bot.db.execute("PRAGMA query_only = ON")
    else:  # even the error handler cannot read the chat's language any more
        bot.db.execute("ALTER TABLE chats RENAME TO chats_away")
    first = await piotr.says(secret)
    second = await piotr.says(f"/note {secret} znowu")
    apology = t("pl", "error.database")
    assert [m.text for m in first + second] == [apology, apology]
    alerts = bot.emu.bot_messages(OPERATOR)
    assert len(alerts) == 1  # one per kind per 10 minutes
    assert "database error" in alerts[0].text and "update" in alerts[0].text
    assert "spóźnia" not in alerts[0].text and "TEST-token" not in alerts[0].text
    if breakage == "read-only":
        bot.db.execute("PRAGMA query_only = OFF")
    else:
        bot.db.execute("ALTER TABLE chats_away RENAME TO chats")
    assert len(await piotr.says(secret)) == 1 and stored(bot, secret) == 1  # works again


async def test_commands_addressed_to_another_bot_are_ignored(bot):
    anna = Person(bot, ANNA.id, ANNA)
    assert await anna.says("/help@OtherBot") == []
    assert await anna.says("/frobnicate@OtherBot now") == []
    assert await anna.says("/note@OtherBot this is not for us") == []
    assert stored(bot, "this is not for us") == 0
    assert len(await anna.says("/help@journeybot_test_bot")) == 1
    bot.emu.set_privacy_mode(False)
    group = Person(bot, -9401, ANNA, title="Shop")
    assert await group.says("/start@OtherBot") == []
    assert len(await group.says("/start@JourneyBot_Test_Bot")) >= 1


HUGE = "9" * 5000


async def test_ids_with_thousands_of_digits_are_refused_as_not_found(bot, caplog):
    anna = Person(bot, ANNA.id, ANNA)
    await first_note(anna)
    own = bot.emu.last_bot_message(ANNA.id)
    not_found = t("en", "error.not_found")
    for data in (f"nb:undo:{HUGE}", f"nb:setstage:1:{HUGE}", f"maps:use:{HUGE}",
                 f"dm:yes:{HUGE}", f"rv:start:{HUGE}", f"rp:res:{HUGE}:1", f"rs:snooze:{HUGE}",
                 f"ex:csv:{HUGE}", f"sr:{HUGE}:cake"[:64]):
        await anna.presses_data(own.message_id, data[:64], force=True)
        assert anna.last_answer()["text"] in (not_found, t("en", "stale.button")), data
    assert (await anna.says(f"/delete {HUGE}"))[-1].text == not_found
    assert (await anna.says(f"/delete #{HUGE}"))[-1].text == not_found
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


# --- start-up: one line naming the path (or server) and the fix, exit status 2 -----------------

ROOT = Path(__file__).resolve().parent.parent


def journeybot_run(db: Path, base_url: str, *extra: str, env: dict | None = None,
                   user: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bot.cli", *extra, "run", "--db", str(db),
               "--base-url", base_url]
    environment = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, **(env or {})}
    if user == "nobody":  # root writes anywhere: drop to an unprivileged user
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        environment["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="journeybot-mpl-")
        Path(environment["MPLCONFIGDIR"]).chmod(0o777)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=60)


def damaged_database(path: Path) -> Path:
    """A real bot database whose pages were overwritten in the middle."""
    db = open_db(path)
    remember_chat(db, 1, "private", "Ann", "en")
    for number in range(300):
        db.execute("INSERT INTO users (id, first_name, created_at, last_seen_at) "
                   "VALUES (?, ?, '2026-01-01', '2026-01-01')", [number + 10, "x" * 200])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\x17" * (4096 * 3)
    path.write_bytes(bytes(data))
    return path


def test_a_large_database_gets_the_light_check_at_start_and_doctor_reads_every_page(tmp_path):
    """quick_check reads the whole file (1.25 s for a million notes), so above the size limit
    start only checks that the header and schema read and a write is possible; damage in the
    middle is then found by `journeybot doctor`, and a file that is no database still fails."""
    damaged = damaged_database(tmp_path / "bot.db")
    with pytest.raises(DatabaseUnusable, match="damaged"):
        check_database(damaged)  # small: thorough
    check_database(damaged, thorough_up_to=1024)  # "large": light, the middle is not read
    with pytest.raises(DatabaseUnusable, match="damaged"):
        check_database(damaged, thorough_up_to=None)  # doctor's
    text = tmp_path / "notes.txt"
    text.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(DatabaseUnusable, match="not a database"):
        check_database(text, thorough_up_to=1024)


def read_only_database(tmp_path: Path) -> tuple[Path, str | None]:
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="journeybot-ro-"))
    open_db(folder / "bot.db").close()
    folder.chmod(0o755)
    (folder / "bot.db").chmod(0o644)
    if os.geteuid() == 0:
        return folder / "bot.db", "nobody"
    folder.chmod(0o555)
    (folder / "bot.db").chmod(0o444)
    return folder / "bot.db", None


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("damaged", "the database is damaged"),
        ("not a database", "the database is damaged (file is not a database)"),
        ("missing directory", "the database's directory does not exist"),
        ("a directory", "the database path is a directory"),
        ("read-only", "the database is read-only"),
    ],
)
def test_an_unusable_database_stops_the_bot_with_one_line(emu, tmp_path, case, said):
    user = None
    if case == "damaged":
        db = damaged_database(tmp_path / "bot.db")
    elif case == "not a database":
        db = tmp_path / "notes.txt"
        db.write_text("these are my notes, not a database\n" * 200)
    elif case == "missing directory":
        db = tmp_path / "no-such-dir" / "bot.db"
    elif case == "a directory":
        db = tmp_path
    else:
        db, user = read_only_database(tmp_path)
    done = journeybot_run(db, emu.base_url, user=user)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"journeybot: {said}"), done.stderr
    assert str(db) in lines[0] and "; " in lines[0]  # the path, then what to do
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr
    assert emu.calls("getUpdates") == []  # it never started polling


def test_with_verbose_the_traceback_is_shown_and_the_operator_is_alerted(emu, tmp_path):
    emu.create_chat(OPERATOR, chat_type="private")
    db = damaged_database(tmp_path / "bot.db")
    done = journeybot_run(db, emu.base_url, "-v",
                          env={"JOURNEYBOT_ADMIN_CHAT_ID": str(OPERATOR)})
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "journeybot: the database is damaged" in done.stderr
    assert TOKEN not in done.stderr and TOKEN.partition(":")[2] not in done.stderr
    alerts = emu.bot_messages(OPERATOR)
    assert len(alerts) == 1 and "did not start: the database is damaged" in alerts[0].text


def test_a_socks_proxy_stops_the_bot_with_one_line_and_no_password(emu, tmp_path):
    """aiohttp takes http:// proxies only: `journeybot run` says which variable and the way out
    (JOURNEYBOT_HTTP=httpx) in one line, exit 2 — it died with a CRITICAL traceback, exit 1."""
    done = journeybot_run(tmp_path / "bot.db", emu.base_url,
                          env={"HTTPS_PROXY": "socks5://ola:s3cret-pw@127.0.0.1:1080",
                               "JOURNEYBOT_HTTP": "aiohttp"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "journeybot: HTTPS_PROXY=socks5://127.0.0.1:1080: the aiohttp backend takes http:// "
        "proxies only; for this one set JOURNEYBOT_HTTP=httpx (SOCKS also needs "
        "python-telegram-bot[socks])"
    ]
    assert "s3cret-pw" not in done.stderr + done.stdout and "ola" not in done.stderr
    assert emu.calls("getMe") == []


def test_a_base_url_answering_404_is_reported_as_such(emu, tmp_path):
    wrong = emu.url + "/telegram/bot"
    done = journeybot_run(tmp_path / "bot.db", wrong)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"journeybot: the Bot API server at {emu.url}/telegram answered 404 Not Found to getMe: "
        "check --base-url / TELEGRAM_API_BASE_URL (a Bot API server's URL ends in /bot, e.g. "
        "http://127.0.0.1:8081/bot)."
    ]
    assert "rejected" not in done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_refused_connection_at_start_is_retried_and_said_plainly(tmp_path):
    port = free_port()
    log_path = tmp_path / "stderr.log"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "bot.db"),
             "--base-url", f"http://127.0.0.1:{port}/bot"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while log_path.read_text().count("cannot reach") < 2:  # 1 s, then 2 s
            assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
            await asyncio.sleep(0.1)
        lines = log_path.read_text().splitlines()
        assert lines[0].startswith(
            f"journeybot: cannot reach the Bot API server at http://127.0.0.1:{port} ("
        ) and lines[0].endswith("trying again in 1 s"), lines
        assert lines[1].endswith("trying again in 2 s"), lines
        with TelegramEmulator(port=port) as late:  # the server comes up: the bot starts
            await late.wait_for(lambda: late.calls("getUpdates"), timeout=60)
            late.send_message(ANNA.id, "/help", user=ANNA)
            assert await late.wait_for_messages(ANNA.id, 1, timeout=20)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert TOKEN not in log_path.read_text()
