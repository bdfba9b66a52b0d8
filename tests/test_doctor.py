"""`journeybot doctor` against the emulator: a healthy webhook deployment passes every check;
a wrong secret, a rejected token, an unreachable public URL and stale or missing backups are
each named with their fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.cli import main
from bot.doctor import FAIL, OK, WARN, diagnose, report
from storage.backup import backup_database, backup_name, list_backups
from storage.db import open_db, utcnow
from tests.emulator.models import User
from tests.harness import TOKEN, BotUnderTest, Person, eventually, free_port

ANN = User(5301, "Ann", language_code="en")


def by_check(findings):
    return {f.check: f for f in findings}


async def test_a_healthy_webhook_deployment_passes_every_check(emu, tmp_path):
    folder = tmp_path / "backups"
    bot = BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, webhook=True,
                       backup_dir=folder)
    async with bot:
        await Person(bot, ANN.id, ANN).says("/start")
        await eventually(lambda: list_backups(folder))
        settings = replace(bot.settings, public_url=bot.web_url)
        findings = await diagnose(settings)
    lines: list[str] = []
    status = report(findings, lines.append)

    assert [f.mark for f in findings] == [OK] * 5, lines
    assert status == 0
    found = by_check(findings)
    assert "@journeybot_test_bot" in found["token"].said
    assert "no recent delivery error" in found["webhook"].said
    assert "database ok" in found["public URL"].said
    assert "integrity ok" in found["backups"].said
    assert lines[-1] == "All good."


async def test_a_webhook_refusing_telegrams_secret_is_reported_with_the_fix(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False, webhook=True) as bot:
        await bot.app.bot.set_webhook(f"{bot.web_url}/tg", secret_token="another-secret")
        emu.send_message(ANN.id, "/start", user=ANN)
        await emu.wait_for(lambda: emu.webhook_deliveries(), timeout=5)
        webhook = by_check(await diagnose(bot.settings))["webhook"]

    assert webhook.mark == FAIL
    assert "403 Forbidden" in webhook.said
    assert "1 update(s) waiting" in webhook.said
    assert "TELEGRAM_WEBHOOK_SECRET" in webhook.fix


async def test_a_rejected_token_is_reported_and_never_printed(emu, tmp_path):
    emu.register_token("999:the-only-good-token")
    findings = by_check(await diagnose(BotUnderTest(emu, tmp_path / "bot.db").settings))

    assert findings["token"].mark == FAIL
    assert "rejected the token" in findings["token"].said
    assert "@BotFather" in findings["token"].fix
    assert findings["webhook"].mark == WARN
    assert not any(TOKEN.partition(":")[2] in line for f in findings.values()
                   for line in f.lines())


def test_doctor_command_names_each_problem_and_its_fix(emu, tmp_path, monkeypatch, capsys):
    db_path = tmp_path / "bot.db"
    open_db(db_path).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = backup_database(db_path, folder / backup_name(utcnow() - timedelta(days=3)))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("JOURNEYBOT_PUBLIC_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("JOURNEYBOT_BACKUP_DIR", str(folder))

    status = main(["doctor", "--db", str(db_path), "--base-url", emu.base_url])

    out = capsys.readouterr().out
    assert status == 1
    assert "✓ token: @journeybot_test_bot" in out
    assert "✓ database:" in out and "schema up to date" in out
    assert "✓ webhook: none (long polling)" in out
    assert "✗ public URL:" in out and "cannot be reached" in out
    assert f"✗ backups: {folder}: 1 kept" in out and stale.name in out
    assert "the daily backup has stopped" in out
    assert out.rstrip().endswith("2 problem(s) to fix.")
