"""The daily backup: with JOURNEYBOT_BACKUP_DIR set, the running bot copies its database there
once a day (storage/backup.py, in a worker thread) and keeps the newest JOURNEYBOT_BACKUP_KEEP.

"Daily" means: whenever the newest backup in the folder is a day old or more, checked at start
and then every hour, so restarts neither skip nor repeat a day.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from telegram.ext import Application, ContextTypes

from bot.settings import Settings
from storage.backup import BackupError, backup_database, backup_time, list_backups, prune_backups
from storage.db import utcnow

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(hours=1)
BACKUP_EVERY = timedelta(days=1)
FIRST_CHECK_AFTER = 1.0  # seconds after start


def start_backup_job(app: Application, settings: Settings) -> None:
    """Schedules the daily backup when a backup folder is set."""
    if not settings.backup_dir:
        return
    app.job_queue.run_repeating(
        backup_if_due,
        interval=CHECK_EVERY,
        first=FIRST_CHECK_AFTER,
        name="daily-backup",
        data=settings,
    )


async def backup_if_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Makes today's backup unless the newest one is less than a day old; prunes old ones."""
    settings: Settings = context.job.data
    try:
        made = await asyncio.to_thread(daily_backup, settings)
    except (BackupError, OSError) as error:
        log.error("daily backup failed: %s", error, extra={"backup_dir": settings.backup_dir})
        return
    if made is not None:
        log.info("daily backup made", extra={"backup": str(made)})


def daily_backup(settings: Settings) -> Path | None:
    """The blocking part of `backup_if_due`: the new backup's path, or None if not due."""
    folder = Path(settings.backup_dir)
    folder.mkdir(parents=True, exist_ok=True)
    now = utcnow()
    newest = list_backups(folder)[-1:]
    if newest and now - backup_time(newest[0]) < BACKUP_EVERY:
        log.debug("daily backup not due", extra={"newest": newest[0].name})
        return None
    made = backup_database(settings.db_path, folder, now=now)
    for old in prune_backups(folder, settings.backup_keep):
        log.info("old backup removed", extra={"backup": str(old)})
    return made
