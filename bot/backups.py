"""The daily backup: with JOURNEYBOT_BACKUP_DIR set, the running bot copies its database there
once a day (storage/backup.py, in a worker thread) and keeps the newest JOURNEYBOT_BACKUP_KEEP.

"Daily" means: whenever the newest backup in the folder is a day old or more, checked at start
and then every hour, so restarts neither skip nor repeat a day.

The copy runs as a task of its own, not inside the job: PTB's stop waits for running jobs, and
a backup of a large file takes seconds. At shutdown `stop_backup` sets the backup's cancel
event; the copy stops between two steps (or in its integrity check) and deletes its partial
file, so shutdown is prompt and never leaves a half backup that looks complete.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from telegram.ext import Application, ContextTypes

from bot.core.alerts import alert_text
from bot.settings import Settings
from storage.backup import (
    BackupCancelled,
    BackupError,
    backup_database,
    backup_time,
    list_backups,
    prune_backups,
    remove_partial_backups,
)
from storage.db import utcnow

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(hours=1)
BACKUP_EVERY = timedelta(days=1)
FIRST_CHECK_AFTER = 1.0  # seconds after start


@dataclass
class DailyBackups:
    """The backup job's state: its settings, the copy under way (if any) and its cancel event."""

    settings: Settings
    cancel: threading.Event = field(default_factory=threading.Event)
    running: asyncio.Task | None = None


def start_backup_job(app: Application, settings: Settings) -> None:
    """Schedules the daily backup when a backup folder is set."""
    if not settings.backup_dir:
        return
    backups = app.bot_data["backups"] = DailyBackups(settings)
    app.job_queue.run_repeating(
        backup_if_due,
        interval=CHECK_EVERY,
        first=FIRST_CHECK_AFTER,
        name="daily-backup",
        data=backups,
    )


async def backup_if_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Starts today's backup unless one is under way (the copy runs beside the job)."""
    backups: DailyBackups = context.job.data
    if backups.running is None or backups.running.done():
        backups.running = asyncio.create_task(
            _backup(context.application, backups), name="daily-backup"
        )


async def _backup(app: Application, backups: DailyBackups) -> None:
    """Makes today's backup unless the newest one is less than a day old; prunes old ones."""
    settings = backups.settings
    try:
        made = await asyncio.to_thread(daily_backup, settings, backups.cancel)
    except BackupCancelled:
        log.info("daily backup stopped at shutdown; its partial file was removed")
        return
    except (BackupError, OSError, sqlite3.Error) as error:  # a full disk, a broken copy…
        log.error("daily backup failed: %s", error, extra={"backup_dir": settings.backup_dir})
        await _alert(app, error, detail=f"{error} — backup folder {settings.backup_dir}")
        return
    except Exception as error:  # the copy runs in a task of its own: nobody else would see it
        log.exception("daily backup failed", extra={"backup_dir": settings.backup_dir})
        await _alert(app, error, detail=f"backup folder {settings.backup_dir}")
        return
    if made is not None:
        log.info("daily backup made", extra={"backup": str(made)})


BACKUP_FAILED = "daily backup failed"


async def _alert(app: Application, error: Exception, *, detail: str) -> None:
    """Tells the operator, as "daily backup failed" with the reason (a full disk, a read-only
    or missing folder, SQLite's message: no user's words are in them) and the folder — not
    as an "unhandled OSError" (the job's own errors reached PTB's error handler; this task's
    would reach nobody)."""
    alerts = app.bot_data.get("alerts")
    if alerts is not None:
        text = alert_text(BACKUP_FAILED, error, detail=detail)
        await alerts.send(app.bot, BACKUP_FAILED, text)


async def stop_backup(app: Application) -> None:
    """Stops a backup under way and waits for its thread (one copy step at most)."""
    backups: DailyBackups | None = app.bot_data.get("backups")
    if backups is None:
        return
    backups.cancel.set()
    if backups.running is not None:
        await asyncio.gather(backups.running, return_exceptions=True)


def daily_backup(settings: Settings, cancel: threading.Event | None = None) -> Path | None:
    """The blocking part of `backup_if_due`: the new backup's path, or None if not due."""
    folder = Path(settings.backup_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for left in remove_partial_backups(folder):  # a backup a killed process did not finish
        log.warning("unfinished backup removed", extra={"backup": str(left)})
    now = utcnow()
    newest = list_backups(folder)[-1:]
    if newest and now - backup_time(newest[0]) < BACKUP_EVERY:
        log.debug("daily backup not due", extra={"newest": newest[0].name})
        return None
    if cancel is not None and cancel.is_set():
        raise BackupCancelled("the bot is shutting down")
    log.info("daily backup started", extra={"backup_dir": str(folder)})
    made = backup_database(settings.db_path, folder, now=now, cancel=cancel)
    for old in prune_backups(folder, settings.backup_keep):
        log.info("old backup removed", extra={"backup": str(old)})
    return made
