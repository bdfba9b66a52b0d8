"""`journeybot doctor`: checks what a deployment needs and says what to fix.

Five checks, each one line (✓ fine, ! worth a look, ✗ broken) with the fix under it:
the token (getMe), the database (intact, writable, schema), Telegram's view of the webhook
(getWebhookInfo: URL, last error, updates waiting), the public URL (its /healthz, through the
HTTPS proxy) and the backup folder (writable, a recent backup that passes its check).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.logs import redact, secret_forms
from bot.settings import Settings
from storage.backup import backup_time, check_backup, list_backups
from storage.db import utcnow
from storage.health import database_health

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TIMEOUT = 10.0
RECENT_ERROR = timedelta(hours=1)  # a webhook error older than this is history
PENDING_WARNING = 100  # updates waiting at Telegram
BACKUP_STALE = timedelta(hours=26)  # a daily backup plus slack

OK, WARN, FAIL = "✓", "!", "✗"


@dataclass(frozen=True)
class Finding:
    """One check's verdict: `mark` is OK, WARN or FAIL; `fix` says what to do."""

    check: str
    mark: str
    said: str
    fix: str | None = None

    def lines(self) -> list[str]:
        head = f"{self.mark} {self.check}: {self.said}"
        return [head] if not self.fix else [head, f"    fix: {self.fix}"]


async def diagnose(settings: Settings, *, now: datetime | None = None) -> list[Finding]:
    """Every check, in the order an operator would fix them."""
    now = now or utcnow()
    bot = await _bot(settings)
    findings = [await check_token(bot, settings)]
    findings.append(await asyncio.to_thread(check_database_file, settings, now))
    if findings[0].mark == OK:
        findings.append(await check_webhook(bot, settings, now))
    else:
        findings.append(Finding("webhook", WARN, "not checked (the token does not work)"))
    await _close(bot)
    findings.append(await check_public_url(settings))
    findings.append(await asyncio.to_thread(check_backups, settings, now))
    secrets = secret_forms(settings.token)
    return [
        Finding(f.check, f.mark, redact(f.said, secrets), f.fix and redact(f.fix, secrets))
        for f in findings
    ]


# --- the token ----------------------------------------------------------------------------


async def _bot(settings: Settings) -> Bot | None:
    if not settings.token:
        return None
    return Bot(settings.token, base_url=settings.base_url or TELEGRAM_BASE_URL)


async def _close(bot: Bot | None) -> None:
    if bot is not None:
        with contextlib.suppress(Exception):  # nothing to close after a failed start
            await bot.shutdown()


async def check_token(bot: Bot | None, settings: Settings) -> Finding:
    if bot is None:
        return Finding("token", FAIL, "TELEGRAM_BOT_TOKEN is not set",
                       "put the token @BotFather gave you in TELEGRAM_BOT_TOKEN")
    server = _server(settings)
    try:
        async with asyncio.timeout(TIMEOUT):
            await bot.initialize()  # getMe
    except InvalidToken:
        return Finding("token", FAIL, f"{server} rejected the token (getMe: 401 or 404)",
                       "copy the token again from @BotFather (/mybots → API Token) into "
                       "TELEGRAM_BOT_TOKEN; with --base-url, check it ends in /bot")
    except (NetworkError, TimeoutError) as error:
        return Finding("token", FAIL, f"cannot reach {server} ({error or 'timed out'})",
                       "check the machine's network and DNS, and --base-url / "
                       "TELEGRAM_API_BASE_URL if you use a local Bot API server")
    me = bot.bot
    return Finding("token", OK, f"@{me.username} (id {me.id}) answers getMe on {server}")


def _server(settings: Settings) -> str:
    if not settings.base_url:
        return "Telegram"
    return f"the Bot API server at {settings.base_url.removesuffix('/bot')}"


# --- the database -------------------------------------------------------------------------


def check_database_file(settings: Settings, now: datetime) -> Finding:
    """Intact (quick_check), writable, and how far its schema is from this version's."""
    from storage.migrations import migrations

    path = Path(settings.db_path)
    try:
        from storage.db import DatabaseUnusable, check_database
    except ImportError:  # before issue 13's start-up check: the light probe only
        DatabaseUnusable, check_database = None, None
    if check_database is not None:
        try:
            check_database(path, thorough_up_to=None)  # every page, whatever the size
        except DatabaseUnusable as error:
            return Finding("database", FAIL, f"{path}: {error.problem}", error.fix)
    if not path.exists():
        return Finding("database", WARN, f"{path} does not exist yet",
                       "the bot creates it at its first start; if it should exist, check "
                       "--db / JOURNEYBOT_DB")
    health = database_health(path, now)
    if not health.ok:
        return Finding("database", FAIL, health.problem,
                       "stop the bot and restore the latest backup (journeybot restore)")
    from sqlite_utils import Database

    db = Database(path)
    try:
        pending = len(migrations.pending(db))
    finally:
        db.close()
    schema = "schema up to date" if not pending else (
        f"{pending} migration(s) will run at the next start")
    return Finding(
        "database", OK,
        f"{path}: intact and writable, {schema}; {health.updates_waiting} update(s) waiting, "
        f"last update handled {health.last_update_handled_at or 'never'}, "
        f"{health.reminders_due} reminder(s) due",
    )


# --- the webhook --------------------------------------------------------------------------


async def check_webhook(bot: Bot, settings: Settings, now: datetime) -> Finding:
    try:
        async with asyncio.timeout(TIMEOUT):
            info = await bot.get_webhook_info()
    except (TelegramError, TimeoutError) as error:
        return Finding("webhook", FAIL, f"getWebhookInfo failed ({error})")
    pending = f"{info.pending_update_count} update(s) waiting at Telegram"
    if not settings.webhook_mode:
        if info.url:
            return Finding("webhook", WARN, f"Telegram posts updates to {info.url}, but "
                           "journeybot is set up for long polling (it deletes that webhook "
                           "when it starts)",
                           "set JOURNEYBOT_WEBHOOK_URL to use the webhook, or ignore this if "
                           "you are moving to polling")
        return Finding("webhook", OK, f"none (long polling); {pending}")
    if not info.url:
        return Finding("webhook", WARN, f"no webhook set at Telegram; {pending}",
                       "the bot sets it when it starts: is it running? "
                       "(systemctl status journeybot)")
    if info.url != settings.webhook_url:
        return Finding("webhook", FAIL, f"Telegram posts to {info.url}, not to "
                       f"{settings.webhook_url}",
                       "another bot instance set it, or the settings changed: restart the bot "
                       "with the right JOURNEYBOT_WEBHOOK_URL")
    error_at = info.last_error_date
    if error_at is not None and now - _aware(error_at) < RECENT_ERROR:
        minutes = max(1, int((now - _aware(error_at)).total_seconds() // 60))
        return Finding("webhook", FAIL, f"Telegram's last delivery failed {minutes} min ago: "
                       f"{info.last_error_message!r}; {pending}",
                       _webhook_fix(info.last_error_message or ""))
    if info.pending_update_count > PENDING_WARNING:
        return Finding("webhook", WARN, f"{info.url}; {pending}",
                       "the bot is behind: look at /healthz and the logs (journalctl -u "
                       "journeybot)")
    return Finding("webhook", OK, f"{info.url}; no recent delivery error; {pending}")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _webhook_fix(message: str) -> str:
    lowered = message.lower()
    if "403" in lowered or "401" in lowered:
        return ("the bot refused Telegram's secret: TELEGRAM_WEBHOOK_SECRET differs from the "
                "one the running bot set; restart the bot so it sets the webhook again")
    if "404" in lowered or "405" in lowered:
        return ("the proxy does not route the webhook's path to the bot: check the Caddy / "
                "nginx site (docs/deploy.md)")
    if "502" in lowered or "503" in lowered or "refused" in lowered or "timeout" in lowered:
        return ("Telegram cannot reach the bot: is it running (systemctl status journeybot) "
                "and does the proxy forward to its --listen address?")
    if "ssl" in lowered or "certificate" in lowered:
        return "the HTTPS certificate is not accepted: check the proxy's certificate"
    return "see docs/deploy.md (Troubleshooting) and the logs (journalctl -u journeybot)"


# --- the public URL -----------------------------------------------------------------------


async def check_public_url(settings: Settings) -> Finding:
    root = settings.public_root
    if root is None:
        return Finding("public URL", OK, "not set (needed only for the webhook and the board)")
    url = f"{root}/healthz"
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as client:
            answer = await client.get(url)
    except httpx.HTTPError as error:
        return Finding("public URL", FAIL, f"{url} cannot be reached ({type(error).__name__}: "
                       f"{error})", "check DNS, the firewall (ports 80 and 443) and that "
                       "Caddy / nginx runs (docs/deploy.md)")
    report = _json(answer)
    if answer.status_code == 503 and report:
        return Finding("public URL", FAIL, f"{url} answers 503: the bot's database is not "
                       f"usable ({report.get('database')})",
                       "see the database line above; restore the latest backup if needed")
    if answer.status_code != 200 or not report or "database" not in report:
        return Finding("public URL", FAIL, f"{url} answered {answer.status_code}, not the "
                       "bot's health report",
                       "the proxy does not reach the bot: forward the site to the bot's "
                       "--listen address (docs/deploy.md)")
    warning = not root.startswith("https://") and not settings.base_url
    return Finding(
        "public URL", WARN if warning else OK,
        f"{url} answers: database {report['database']}, {report.get('updates_waiting')} "
        f"update(s) waiting",
        "Telegram needs HTTPS: put Caddy or nginx in front (docs/deploy.md)" if warning else None,
    )


def _json(answer: httpx.Response) -> dict | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


# --- backups ------------------------------------------------------------------------------


def check_backups(settings: Settings, now: datetime) -> Finding:
    if not settings.backup_dir:
        return Finding("backups", WARN, "no daily backups (JOURNEYBOT_BACKUP_DIR is not set)",
                       "set JOURNEYBOT_BACKUP_DIR to a folder, ideally on another disk, or "
                       "run journeybot backup from cron")
    folder = Path(settings.backup_dir)
    if not folder.is_dir():
        parent_ok = folder.parent.is_dir() and os.access(folder.parent, os.W_OK)
        return Finding("backups", WARN if parent_ok else FAIL,
                       f"{folder} does not exist" + (" (the bot creates it)" if parent_ok
                                                     else " and cannot be created"),
                       None if parent_ok else f"mkdir -p {folder} and let the bot's user "
                       "write there")
    if not os.access(folder, os.W_OK):
        return Finding("backups", FAIL, f"{folder} is not writable",
                       f"let the user running journeybot write to {folder} (chown / chmod)")
    backups = list_backups(folder)
    if not backups:
        return Finding("backups", WARN, f"{folder}: no backup yet",
                       "the bot makes one a few seconds after it starts; is it running?")
    newest = backups[-1]
    age = now - backup_time(newest)
    check = check_backup(newest)
    if not check.ok:
        return Finding("backups", FAIL, f"the newest backup {newest.name} is unusable: "
                       f"{check.problems[0]}", "make a fresh one: journeybot backup "
                       f"{folder}")
    said = (f"{folder}: {len(backups)} kept (keep {settings.backup_keep}), newest "
            f"{newest.name}, {_age(age)} old, integrity ok")
    if age > BACKUP_STALE:
        return Finding("backups", FAIL, said, "the daily backup has stopped: is the bot "
                       "running? see its logs (journalctl -u journeybot | grep backup)")
    return Finding("backups", OK, said)


def _age(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


# --- the command ----------------------------------------------------------------------------


def report(findings: list[Finding], say: Callable[[str], None] = print) -> int:
    """Prints the findings; the exit status: 1 if anything is broken, else 0."""
    for finding in findings:
        for line in finding.lines():
            say(line)
    broken = sum(f.mark == FAIL for f in findings)
    warned = sum(f.mark == WARN for f in findings)
    if broken:
        say(f"{broken} problem(s) to fix" + (f", {warned} to look at." if warned else "."))
    elif warned:
        say(f"Nothing broken; {warned} thing(s) to look at.")
    else:
        say("All good.")
    return 1 if broken else 0
