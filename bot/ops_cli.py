"""Operating commands: `journeybot backup`, `journeybot restore` and `journeybot doctor`."""

from __future__ import annotations

import argparse
import sqlite3
import sys

from storage.backup import BackupError, backup_database, restore_database
from storage.db import default_db_path

DB_HELP = "SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)"


def backup(args: argparse.Namespace) -> int:
    """A consistent copy of the database, safe while the bot runs."""
    db_path = args.db or default_db_path()
    try:
        made = backup_database(db_path, args.out)
    except (BackupError, OSError, sqlite3.Error) as error:  # a full disk, a vanished file…
        print(f"journeybot: backup not made: {error}", file=sys.stderr)
        return 2
    print(f"Backed up {db_path} to {made} (integrity ok).")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Puts a checked backup in place of the database (the bot must be stopped)."""
    db_path = args.db or default_db_path()
    try:
        check, kept = restore_database(args.backup, db_path)
    except BackupError as error:
        print(f"journeybot: {error}", file=sys.stderr)
        return 2
    print(f"Restored {args.backup} into {db_path}: integrity ok, {check.notes} notes.")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}.")
    if check.migrations_pending:
        print(f"{check.migrations_pending} schema migration(s) will run when the bot starts.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Adds `backup`, `restore` and `doctor` to the `journeybot` parser."""
    made = commands.add_parser(
        "backup", help="copy the database consistently, even while the bot runs"
    )
    made.add_argument("out", metavar="OUT", help="backup file to write, or a folder for "
                      "journeybot-<time>.db")
    made.add_argument("--db", help=DB_HELP)
    made.set_defaults(func=backup)

    back = commands.add_parser(
        "restore", help="check a backup (integrity, schema version) and put it in place"
    )
    back.add_argument("backup", metavar="BACKUP", help="the backup file")
    back.add_argument("--db", help=DB_HELP)
    back.set_defaults(func=restore)

    check = commands.add_parser(
        "doctor",
        help="check the token, database, webhook, public URL and backups; say what to fix",
    )
    check.add_argument("--db", help=DB_HELP)
    check.add_argument("--base-url", help="Bot API base URL (default: $TELEGRAM_API_BASE_URL)")
    check.add_argument("--webhook-url", help="the webhook URL the bot runs with (default: "
                       "$JOURNEYBOT_WEBHOOK_URL)")
    check.set_defaults(func=doctor)


def doctor(args: argparse.Namespace) -> int:
    """Checks token, database, webhook, public URL and backups; prints what to fix."""
    import asyncio

    from bot.doctor import diagnose, report
    from bot.settings import Settings

    settings = Settings.from_env(
        db_path=args.db, base_url=args.base_url, webhook_url=args.webhook_url
    )
    return report(asyncio.run(diagnose(settings)))
