"""Backups of the database, made while the bot runs, and putting one back.

`backup_database` copies the file with SQLite's online backup API in steps of
`BACKUP_STEP_PAGES` pages, all inside one read transaction: the copy is one consistent snapshot,
the bot's writers are not blocked meanwhile (WAL), and between two steps a `cancel` event (the
bot's shutdown) stops it. The copy is written beside its destination under a temporary name
(`.journeybot-<time>.db.partial`, which no listing counts as a backup), checked with
`PRAGMA integrity_check` (also stoppable), switched to a self-contained rollback journal,
flushed to disk and only then renamed into place, so a backup file either is complete or does
not exist; a stopped backup deletes its partial file, and one left by a killed process is
removed before the next daily backup (`remove_partial_backups`).

`restore_database` first checks the backup (integrity, that it is journeybot's database and that
this version of journeybot knows every migration it has), refuses while another program has the
database open, keeps the current file as `<db>.before-restore-<time>`, then copies the backup in
through the same API. Older backups are fine: the missing migrations run when the bot starts.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from storage.db import utcnow

BACKUP_PREFIX = "journeybot-"
BACKUP_SUFFIX = ".db"
STAMP_FORMAT = "%Y%m%d-%H%M%S"
PARTIAL_SUFFIX = ".partial"
# s without a write after which a partial file is taken for a killed process's (a copy step
# writes every few ms; the integrity check after the copy takes under a minute per GiB)
PARTIAL_IDLE_SECONDS = 3600.0
BACKUP_STEP_PAGES = 1024  # 4 MiB a step with SQLite's 4 KiB pages: ~2–5 ms of copying
CHECK_INSTRUCTIONS = 100_000  # how often (in SQLite VM instructions) the check looks at `cancel`


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


class BackupCancelled(BackupError):
    """The backup was stopped (the bot is shutting down); nothing of it was left behind."""


@dataclass(frozen=True)
class BackupCheck:
    """What `check_backup` found. `problems` is empty for a backup that can be restored."""

    path: Path
    problems: tuple[str, ...]
    migrations_applied: int = 0
    migrations_pending: int = 0  # run at the next start after a restore
    notes: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def backup_name(moment: datetime) -> str:
    """journeybot-20261207-031500.db"""
    return f"{BACKUP_PREFIX}{moment.strftime(STAMP_FORMAT)}{BACKUP_SUFFIX}"


def backup_database(
    db_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    now: datetime | None = None,
    cancel: threading.Event | None = None,
    step_pages: int = BACKUP_STEP_PAGES,
) -> Path:
    """Copies the database at `db_path` to `out` (a file, or a folder to put
    `journeybot-<time>.db` in) while the bot may be writing to it; returns the backup's path.

    Raises BackupCancelled, leaving no file, if `cancel` is set before the backup is complete.
    """
    meant_folder = str(out).endswith(("/", os.sep))  # Path() drops the trailing slash
    source_path, out = Path(db_path), Path(out)
    if meant_folder and not out.is_dir():
        raise BackupError(f"the folder {out} does not exist; create it first")
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}; check --db / JOURNEYBOT_DB")
    if out.is_dir():
        out = out / backup_name(now or utcnow())
    if out.exists():
        raise BackupError(f"{out} already exists; choose another name (backups never overwrite)")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist; create it first")
    partial = out.with_name(f".{out.name}{PARTIAL_SUFFIX}")
    try:
        _copy(source_path, partial, source_uri_mode="ro", cancel=cancel, step_pages=step_pages)
        problems = _integrity_problems(partial, cancel=cancel)
        if problems:
            raise BackupError(
                f"the copy of {source_path} is damaged ({problems[0]}): the database itself "
                "needs repair; see `journeybot doctor`"
            )
        _fsync(partial)
        if cancel is not None and cancel.is_set():
            raise BackupCancelled("the backup was stopped before it was complete")
        os.replace(partial, out)
        _fsync(out.parent)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _copy(
    source: Path,
    target: Path,
    *,
    source_uri_mode: str,
    cancel: threading.Event | None = None,
    step_pages: int = BACKUP_STEP_PAGES,
) -> None:
    """SQLite's online backup of `source` into `target`, `step_pages` pages a step.

    The source's read transaction is held across the steps, so the copy is one snapshot and a
    writer's commit between two steps does not restart it (SQLite restarts a step-wise backup
    whose source changed under it; with the snapshot held, nothing changed for it)."""
    src = sqlite3.connect(
        f"{source.resolve().as_uri()}?mode={source_uri_mode}", uri=True, isolation_level=None
    )

    def between_steps(status: int, remaining: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            raise BackupCancelled("the backup was stopped before it was complete")

    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=step_pages, progress=between_steps)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()


def _integrity_problems(path: Path, *, cancel: threading.Event | None = None) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    if cancel is not None:  # a non-zero answer interrupts the statement
        conn.set_progress_handler(cancel.is_set, CHECK_INSTRUCTIONS)
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    except sqlite3.OperationalError as error:
        if cancel is not None and cancel.is_set():
            raise BackupCancelled("the backup was stopped while it was checked") from error
        raise
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_backup(path: str | os.PathLike[str]) -> BackupCheck:
    """Whether the file at `path` is an intact journeybot database this version can use."""
    from storage.migrations import migrations

    path = Path(path)
    if not path.is_file():
        return BackupCheck(path, (f"{path} does not exist",))
    try:
        problems = _integrity_problems(path)
    except sqlite3.DatabaseError as error:
        return BackupCheck(path, (f"{path} is not a SQLite database ({error})",))
    if problems:
        return BackupCheck(path, (f"integrity_check failed: {'; '.join(problems)}",))
    db = Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
    try:
        applied = {m.name for m in migrations.applied(db)}
        known = {m.name for m in migrations.pending(Database(memory=True))}
        if not applied:
            return BackupCheck(path, (f"{path} is not a journeybot database (no migrations)",))
        newer = sorted(applied - known)
        if newer:
            return BackupCheck(path, (
                f"{path} was made by a newer journeybot (migration {newer[0]} is unknown "
                "here); upgrade journeybot first",
            ), len(applied))
        notes = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        return BackupCheck(path, (), len(applied), len(known - applied), notes)
    finally:
        db.close()


def database_in_use(db_path: Path) -> bool:
    """Whether another connection (the bot) has the database open: it then holds a shared lock
    that an exclusive-mode connection cannot get past."""
    conn = sqlite3.connect(db_path, timeout=0.2)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.rollback()
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        conn.close()


def restore_database(
    backup: str | os.PathLike[str], db_path: str | os.PathLike[str], *,
    now: datetime | None = None,
) -> tuple[BackupCheck, Path | None]:
    """Puts `backup` in place of the database at `db_path` after checking it; returns the check
    and where the replaced database was kept (None if there was none)."""
    backup, db_path = Path(backup), Path(db_path)
    check = check_backup(backup)
    if not check.ok:
        raise BackupError(f"not restored: {check.problems[0]}")
    if backup.resolve() == db_path.resolve():
        raise BackupError("the backup and the database are the same file")
    kept = None
    if db_path.exists():
        if database_in_use(db_path):
            raise BackupError(
                f"{db_path} is in use (is the bot running?); stop it first, e.g. "
                "systemctl stop journeybot"
            )
        stamp = (now or utcnow()).strftime(STAMP_FORMAT)
        kept = backup_database(db_path, db_path.with_name(f"{db_path.name}.before-restore-{stamp}"))
    elif not db_path.parent.is_dir():
        raise BackupError(f"the folder {db_path.parent} does not exist; create it first")
    target = sqlite3.connect(db_path)
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(target)
        finally:
            source.close()
        target.execute("PRAGMA journal_mode = WAL")
    finally:
        target.close()
    if _integrity_problems(db_path):
        raise BackupError(f"the restored {db_path} fails integrity_check; the old file is {kept}")
    return check, kept


def remove_partial_backups(
    folder: str | os.PathLike[str], *, idle_for: float = PARTIAL_IDLE_SECONDS
) -> list[Path]:
    """Deletes the partial files of backups that never finished (a killed process): those
    nobody has written for `idle_for` seconds — a backup under way writes its file every step,
    and an operator's `journeybot backup` into the same folder may be one. Returns them."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    now, left = time.time(), []
    for path in sorted(folder.glob(f".{BACKUP_PREFIX}*{BACKUP_SUFFIX}{PARTIAL_SUFFIX}")):
        try:
            if now - path.stat().st_mtime > idle_for:
                path.unlink(missing_ok=True)
                left.append(path)
        except FileNotFoundError:  # finished (renamed) or removed meanwhile
            continue
    return left


def list_backups(folder: str | os.PathLike[str]) -> list[Path]:
    """The daily backups in `folder` (journeybot-<time>.db), oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}")
        if _stamp(p) is not None
    )


def backup_time(path: Path) -> datetime | None:
    """When a daily backup was made, from its name."""
    return _stamp(path)


def _stamp(path: Path) -> datetime | None:
    stamp = path.name.removeprefix(BACKUP_PREFIX).removesuffix(BACKUP_SUFFIX)
    try:
        return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=utcnow().tzinfo)
    except ValueError:
        return None


def prune_backups(folder: str | os.PathLike[str], keep: int) -> list[Path]:
    """Deletes all but the `keep` newest daily backups in `folder`; returns what was deleted."""
    backups = list_backups(folder)
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
