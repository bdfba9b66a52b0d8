"""Webhook mode over the emulator: Telegram (the emulator) posts updates to the bot's web app
(bot/web.py, Starlette + uvicorn), which checks the secret token, takes the update in and
answers; /healthz reports the bot's vital signs."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.emulator.models import User
from tests.harness import TOKEN, WEBHOOK_SECRET, BotUnderTest, Person, free_port

ROOT = Path(__file__).resolve().parent.parent

ANN = User(5101, "Ann", language_code="en")


@pytest.fixture
async def bot(emu, db_path):
    async with BotUnderTest(emu, db_path, load_nlp=False, webhook=True) as running:
        yield running


async def test_an_update_posted_with_the_right_secret_is_answered(bot, emu):
    hook = emu.calls("setWebhook")[-1].params
    assert hook["url"] == f"{bot.web_url}/tg"
    assert hook["secret_token"] == WEBHOOK_SECRET

    replies = await Person(bot, ANN.id, ANN).says("/start")

    assert replies, "the bot did not answer over the webhook"
    assert [d["status"] for d in emu.webhook_deliveries()] == [200]
    assert emu.pending_updates() == []
    assert not emu.calls("getUpdates"), "webhook mode must not poll"


@pytest.mark.parametrize("secret", [None, "wrong-secret", WEBHOOK_SECRET + "x", ""])
async def test_a_missing_or_wrong_secret_gets_403_and_nothing_is_handled(bot, emu, secret):
    emu.create_chat(ANN.id, user=ANN)
    update = {"update_id": 99_001, "message": {
        "message_id": 1, "date": 0, "text": "/start",
        "chat": {"id": ANN.id, "type": "private", "first_name": "Ann"},
        "from": {"id": ANN.id, "is_bot": False, "first_name": "Ann"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    sent_before = len(emu.calls("sendMessage"))
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{bot.web_url}/tg", json=update, headers=headers)
        # the same update with the right secret is then handled: the app was listening
        right = await client.post(f"{bot.web_url}/tg", json={**update, "update_id": 99_002},
                                  headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})

    assert answer.status_code == 403
    assert right.status_code == 200
    bot.expected += 1
    await bot.settle()
    assert bot.app.bot_data["_processed"] == 1, "the refused update was handled"
    handled = {row[0] for row in bot.db.execute("SELECT update_id FROM handled_updates")}
    assert handled == {99_002}
    assert len(emu.calls("sendMessage")) > sent_before


async def test_telegram_keeps_an_update_the_webhook_refused_and_reports_the_error(bot, emu):
    await bot.app.bot.set_webhook(f"{bot.web_url}/tg", secret_token="not-the-bots-secret")
    emu.send_message(ANN.id, "/start", user=ANN)

    await emu.wait_for(lambda: len(emu.webhook_deliveries()) >= 2, timeout=5)
    info = await bot.app.bot.get_webhook_info()

    assert {d["status"] for d in emu.webhook_deliveries()} == {403}
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert not emu.bot_messages(ANN.id)
    # the right secret again: Telegram's next try gets through and is answered
    await bot.app.bot.set_webhook(f"{bot.web_url}/tg", secret_token=WEBHOOK_SECRET)
    bot.expected += 1
    await bot.settle()
    assert emu.bot_messages(ANN.id)


async def test_healthz_reports_database_updates_and_reminders(bot, emu):
    await Person(bot, ANN.id, ANN).says("/start")
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{bot.web_url}/healthz")

    assert answer.status_code == 200
    report = answer.json()
    assert report["ok"] is True and report["database"] == "ok"
    assert report["mode"] == "webhook"
    assert report["updates_waiting"] == 0
    assert report["last_update_handled_at"] is not None
    assert report["reminders_due"] == 0


async def test_healthz_answers_503_when_the_database_is_not_usable(bot, db_path):
    async with httpx.AsyncClient() as client:
        db_path.with_name("bot.db-moved").write_bytes(b"")
        db_path.rename(db_path.with_name("bot.db-gone"))  # the bot's file vanished
        answer = await client.get(f"{bot.web_url}/healthz")
        db_path.with_name("bot.db-gone").rename(db_path)

    assert answer.status_code == 503
    assert answer.json()["ok"] is False
    assert "no database file" in answer.json()["database"]


async def test_restart_keeps_the_webhook_and_loses_no_handled_update(bot, emu):
    person = Person(bot, ANN.id, ANN)
    await person.says("/start")
    await bot.restart()
    replies = await person.says("/help")
    assert replies
    assert len(emu.calls("setWebhook")) == 2


async def test_sigterm_finishes_the_updates_taken_then_exits(emu, tmp_path):
    """`journeybot run --webhook-url` as a real process: updates answered 200 (taken) before
    SIGTERM are all handled and answered before it exits with status 0."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "PYTHONUNBUFFERED": "1"}
    log_path = tmp_path / "bot.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "bot.db"),
             "--base-url", emu.base_url, "--webhook-url", f"http://{address}/tg",
             "--listen", address],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        await emu.wait_for_calls("setWebhook", timeout=90)
        emu.inject("sendMessage", delay=1.5, times=None)  # every answer takes a while
        users = [User(5200 + i, f"User{i}", language_code="en") for i in range(3)]
        for user in users:
            emu.send_message(user.id, "/help", user=user)
        await emu.wait_for(lambda: len(emu.webhook_deliveries()) >= 3, timeout=10)
        assert all(d["status"] == 200 for d in emu.webhook_deliveries())
        assert not emu.calls("sendMessage"), "answered before SIGTERM: nothing left in hand"

        process.send_signal(signal.SIGTERM)
        status = await asyncio.to_thread(process.wait, 30)
    finally:
        if process.poll() is None:
            process.kill()
    assert status == 0, log_path.read_text()[-3000:]
    for user in users:
        assert emu.bot_messages(user.id), f"{user.first_name}'s update was taken, not answered"


async def test_with_polling_listen_serves_healthz_beside_polling(emu, db_path):
    async with BotUnderTest(emu, db_path, load_nlp=False, web=True) as bot:
        replies = await Person(bot, ANN.id, ANN).says("/start")
        async with httpx.AsyncClient() as client:
            health = await client.get(f"{bot.web_url}/healthz")
            hook = await client.post(f"{bot.web_url}/tg", json={"update_id": 1})

    assert replies and emu.calls("getUpdates")
    assert not emu.calls("setWebhook")
    assert health.status_code == 200 and health.json()["mode"] == "polling"
    assert hook.status_code == 404, "no webhook route without a webhook URL"


async def test_the_web_app_serves_the_board_and_guards_its_api(emu, db_path):
    async with BotUnderTest(emu, db_path, load_nlp=False, web=True) as bot:
        await Person(bot, ANN.id, ANN).says("/start")
        async with httpx.AsyncClient() as client:
            page = await client.get(f"{bot.web_url}/board/")
            api = await client.get(f"{bot.web_url}/api/board?chat_id={ANN.id}")
    assert page.status_code == 200 and "board.js" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert api.status_code == 401


@pytest.mark.parametrize(("args", "env", "said"), [
    (["--webhook-url", "https://bot.example.org/tg"], {}, "needs TELEGRAM_WEBHOOK_SECRET"),
    (["--webhook-url", "http://bot.example.org/tg"], {"TELEGRAM_WEBHOOK_SECRET": "s"},
     "public HTTPS address"),
    (["--webhook-url", "https://bot.example.org/healthz"], {"TELEGRAM_WEBHOOK_SECRET": "s"},
     "is taken by the web app"),
    (["--webhook-url", "https://bot.example.org/tg"], {"TELEGRAM_WEBHOOK_SECRET": "a b"},
     "only 1-256 letters"),
    (["--listen", "8080"], {}, "must be HOST:PORT"),
    ([], {"JOURNEYBOT_BACKUP_KEEP": "0"}, "JOURNEYBOT_BACKUP_KEEP must be 1 or more"),
])
def test_serving_settings_that_cannot_work_stop_with_one_line(
    args, env, said, tmp_path, monkeypatch, capsys
):
    from bot.cli import main

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name in ("TELEGRAM_WEBHOOK_SECRET", "JOURNEYBOT_WEBHOOK_URL", "JOURNEYBOT_LISTEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    status = main(["run", "--db", str(tmp_path / "bot.db"), *args])

    assert status == 2
    assert said in capsys.readouterr().err


async def test_an_update_is_in_the_inbox_before_the_webhook_answers_200(bot, emu):
    emu.create_chat(ANN.id, user=ANN)
    emu.inject("sendMessage", delay=1.0, times=None)  # handling is still going on after the 200
    update = {"update_id": 99_101, "message": {
        "message_id": 1, "date": int(time.time()), "text": "The courier was late",
        "chat": {"id": ANN.id, "type": "private", "first_name": "Ann"},
        "from": {"id": ANN.id, "is_bot": False, "first_name": "Ann"}}}
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{bot.web_url}/tg", json=update,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
        stored = bot.db.execute(
            "SELECT payload FROM inbox WHERE update_id = 99101").fetchone()
        again = await client.post(f"{bot.web_url}/tg", json=update,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
    bot.expected += 1
    await bot.settle()

    assert answer.status_code == 200
    assert stored is not None, "answered 200 before the update was in the inbox"
    assert again.status_code == 200  # a redelivery is acknowledged and not handled again
    assert len([m for m in emu.bot_messages(ANN.id) if (m.text or "").startswith("📌")]) == 1


async def test_a_webhook_update_waits_while_the_wal_is_far_behind(bot, emu, monkeypatch):
    """Past `HARD_PAGES` (here 50) the inbox takes no new update in until the checkpointer has
    caught up — through the webhook as through polling: the POST is answered only then, so
    Telegram keeps the update meanwhile. A reader holding an old snapshot (a long export, say)
    keeps the checkpoint from copying the WAL back."""
    monkeypatch.setattr("bot.inbox.HARD_PAGES", 50)
    emu.create_chat(ANN.id, user=ANN)
    reader = sqlite3.connect(bot.db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM inbox").fetchone()  # its snapshot: from now
    bot.db.execute("CREATE TABLE scratch (data BLOB)")
    with bot.db.atomic():
        for _ in range(80):
            bot.db.execute("INSERT INTO scratch VALUES (randomblob(4000))")
    update = {"update_id": 99_201, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/help",
        "chat": {"id": ANN.id, "type": "private", "first_name": "Ann"},
        "from": {"id": ANN.id, "is_bot": False, "first_name": "Ann"}}}
    async with httpx.AsyncClient(timeout=None) as client:
        post = asyncio.ensure_future(client.post(
            f"{bot.web_url}/tg", json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}))
        await asyncio.sleep(1.5)
        waiting = not post.done()
        stored = bot.db.execute("SELECT count(*) FROM inbox WHERE update_id = 99201").fetchone()
        reader.rollback()  # the snapshot goes: the checkpointer copies the WAL back
        reader.close()
        answer = await asyncio.wait_for(post, 30)
    bot.expected += 1
    await bot.settle()
    assert waiting and stored == (0,), "the webhook took an update in past the WAL's limit"
    assert answer.status_code == 200
    assert emu.bot_messages(ANN.id), "the update was not handled once the WAL had room"
