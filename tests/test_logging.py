"""Logs: one JSON line per event, tagged with chat and update ids; never the token; no note
text at INFO. The real application runs through the Bot API emulator with `configure_logging`
writing to a buffer, as `journeybot run` writes to stderr."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot.logs import NOISY_LOGGERS, configure_logging, redact, secret_forms
from tests.emulator.models import User
from tests.harness import TOKEN, BotUnderTest, Person

ROOT = Path(__file__).resolve().parent.parent
SECRET_PARTS = (TOKEN, TOKEN.partition(":")[2], TOKEN.replace(":", "%3A"))
NOTE = "Kolejka przy kasie była za długa, lemon-cake-7731"
REPLY_NOTE = "The parking lot was full again, marker-5521"
ANNA = User(601, "Anna", language_code="pl")
BOB = User(602, "Bob", language_code="en")


@pytest.fixture
def captured():
    """configure_logging into a buffer; the root logger is put back afterwards."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *NOISY_LOGGERS)}
    buffers: list[io.StringIO] = []
    handlers: list[logging.Handler] = []

    def configure(*, verbose: bool) -> io.StringIO:
        buffers.append(io.StringIO())
        handlers.append(configure_logging(verbose=verbose, token=TOKEN, stream=buffers[-1]))
        return buffers[-1]

    yield configure
    for handler in handlers:
        root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def events(buffer: io.StringIO) -> list[dict]:
    lines = buffer.getvalue().splitlines()
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # every line is one JSON object


async def talk(bot: BotUnderTest) -> None:
    """A private chat with notes and a /newmap step, a group reply-note, an error, a sticker."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    await anna.says(NOTE)
    await anna.says("/newmap")
    await anna.says("Zamawianie tortu")
    team = Person(bot, -5001, BOB, title="Bakery")
    asked = await team.says("/note")
    await team.says(REPLY_NOTE, reply_to=asked[-1].message_id)
    # all three attempts fail (bot/replies.py retries): logged as a warning, tied to the update
    bot.emu.inject("sendMessage", status=500, description="Internal Server Error", times=3)
    await anna.says("/help")
    await anna.sends_sticker()


@pytest.mark.parametrize("verbose", [False, True], ids=["info", "debug"])
async def test_logs_are_json_lines_tagged_and_free_of_token_and_note_text(
    emu, tmp_path, captured, verbose
):
    buffer = captured(verbose=verbose)
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        await talk(bot)
    logged = events(buffer)
    text = buffer.getvalue()
    for secret in SECRET_PARTS:
        assert secret not in text
    if verbose:  # PTB logs the Bot API URL at DEBUG: it is there, with the token redacted
        assert "[token]" in text
    at_info = json.dumps([e for e in logged if e["level"] != "DEBUG"], ensure_ascii=False)
    for note in (NOTE, REPLY_NOTE, "lemon-cake", "marker-5521", "Zamawianie"):
        assert note not in at_info
    updates = [e for e in logged if e["message"] == "update"]
    assert len(updates) == bot.expected  # one line per update
    assert all(isinstance(e["chat_id"], int) and isinstance(e["update_id"], int) for e in updates)
    assert {e["chat_id"] for e in updates} == {ANNA.id, -5001}
    kinds = [(e["kind"], e.get("command")) for e in updates]
    assert ("command", "/newmap") in kinds and ("text", None) in kinds and ("other", None) in kinds
    failed = [e for e in logged if e["level"] == "WARNING" and e["logger"] == "bot.errors"]
    assert failed and failed[0]["chat_id"] == ANNA.id and "update_id" in failed[0]
    # start-up, the jobs and the loop-lag probe: no update
    not_tied = ("bot.app", "bot.reminders", "bot.search_index", "bot.looplag")
    ours = [
        e
        for e in logged
        if e["logger"].startswith(("bot.", "journeybot.")) and e["logger"] not in not_tied
    ]
    assert len(ours) > len(updates)
    assert all("update_id" in e and "chat_id" in e for e in ours)


def test_token_is_redacted_from_exceptions_and_extras(captured):
    buffer = captured(verbose=False)
    log = logging.getLogger("bot.test")
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        log.exception("startup failed for %s", f"http://127.0.0.1/bot{TOKEN}/getMe")
    log.warning("retrying", extra={"url": f"http://127.0.0.1/bot{TOKEN.replace(':', '%3A')}/x"})
    text = buffer.getvalue()
    assert text.count("[token]") >= 3
    for secret in SECRET_PARTS:
        assert secret not in text
    first = events(buffer)[0]
    assert first["level"] == "ERROR" and "InvalidToken" in first["error"]


def test_secret_forms_cover_the_whole_token_its_url_form_and_its_secret():
    forms = secret_forms("42:AAH-secret_value")
    assert {"42:AAH-secret_value", "42%3AAAH-secret_value", "AAH-secret_value"} <= set(forms)
    assert redact("GET /bot42:AAH-secret_value/getMe", forms) == "GET /bot[token]/getMe"
    assert secret_forms(None) == () and secret_forms("1:short") == ("1%3Ashort", "1:short")


def test_rejected_token_stops_the_cli_with_a_clear_message_and_no_token(emu, tmp_path):
    emu.register_token("999:ANOTHER-token")  # ours is now unknown: 401 Unauthorized
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}
    command = [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "bot.db")]
    done = subprocess.run(
        [*command, "--base-url", emu.base_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "rejected the bot token" in done.stderr
    for secret in SECRET_PARTS:
        assert secret not in output
