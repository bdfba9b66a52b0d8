"""The daily backup's cost and how fast it stops: a whole backup (old: one step; new: steps of
`BACKUP_STEP_PAGES`), then backups stopped half-way through the copy and during the check, the
way shutdown stops them, timing cancel → the thread's end.

    python bench/backup.py [--db FILE] [--runs 2]

Without --db it uses the million-note database bench/scale.py built (~/.cache/journeybot-bench),
or else builds a 128 MiB one. Each line: `op=<name> wall_ms=… cpu_ms=…` with the load average.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.backup import BACKUP_STEP_PAGES, BackupCancelled, backup_database  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "journeybot-bench"


def default_database(scratch: Path) -> Path:
    built = sorted(CACHE.glob("scale-*-n1000000-*.db"))
    if built:
        return built[-1]
    path = scratch / "ballast.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE ballast (b BLOB)")
        conn.executemany("INSERT INTO ballast VALUES (randomblob(1048576))", [()] * 128)
    return path


def load() -> str:
    return f"load={os.getloadavg()[0]:.1f}"


def whole(db: Path, out: Path, step_pages: int, name: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    made = backup_database(db, out / f"{name}.db", step_pages=step_pages)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"op={name} wall_ms={wall * 1000:.0f} cpu_ms={cpu * 1000:.0f} "
          f"size_mib={made.stat().st_size / 2**20:.0f} {load()}", flush=True)
    made.unlink()


def stopped(db: Path, out: Path, after: float, name: str) -> None:
    """Starts a backup in a thread (as the bot does), sets its cancel event after `after`
    seconds and times how long the thread takes to end."""
    cancel, outcome = threading.Event(), []

    def run() -> None:
        try:
            backup_database(db, out / f"{name}.db", cancel=cancel)
            outcome.append("finished before the cancel")
        except BackupCancelled as error:
            outcome.append(str(error))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(after)
    set_at = time.perf_counter()
    cancel.set()
    thread.join()
    waited = (time.perf_counter() - set_at) * 1000
    left = [p.name for p in out.iterdir()]
    print(f"op={name} after_s={after:g} stop_ms={waited:.1f} outcome=\"{outcome[0]}\" "
          f"files_left={len(left)} {load()}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to back up (default: see above)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jb-backup-bench-") as scratch:
        scratch = Path(scratch)
        db = Path(args.db) if args.db else default_database(scratch)
        out = scratch / "out"
        out.mkdir()
        print(f"database {db} ({db.stat().st_size / 2**20:.0f} MiB), steps of "
              f"{BACKUP_STEP_PAGES} pages", flush=True)
        for _ in range(args.runs):  # old and new in turn
            whole(db, out, -1, "backup_one_step")
            whole(db, out, BACKUP_STEP_PAGES, "backup_in_steps")
        # how far a whole copy gets in its first half-second, and well into its check
        for after in (0.5, 2.0, 5.0):
            stopped(db, out, after, "backup_stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
