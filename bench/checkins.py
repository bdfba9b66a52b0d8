"""Check-ins on a big database: migration m026 (who is in which group, from the history) on
1,000,000 notes, then 1,000 groups due for a check-in at once, claimed in short transactions.
Prints the migration's time and the claim batches' median and 95th percentile (each batch holds
the event loop).

    python bench/checkins.py [--notes 1000000] [--groups 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database

from bot.core.schedule import ReviewRule
from storage.checkins import CLAIM_BATCH, claim_checkins, save_checkin_schedule
from storage.db import open_db, to_iso, utcnow
from storage.migrations import migrations


def history(path: Path, notes: int, groups: int, people: int) -> None:
    """A database as the release before check-ins left it: `notes` notes by `people` people."""
    db = Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    migrations.apply(db, stop_before="m026_checkins")
    now = to_iso(utcnow())
    count = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) "
    with db.conn:
        db.conn.execute(
            count + "INSERT INTO chats (id, type, title, lang, timezone, created_at, updated_at) "
            "SELECT -i, 'group', 'Team ' || i, 'en', 'UTC', ?, ? FROM c", [groups, now, now])
        db.conn.execute(
            count + "INSERT INTO users (id, first_name, created_at, last_seen_at) "
            "SELECT i, 'Person ' || i, ?, ? FROM c", [people, now, now])
        db.conn.execute("INSERT INTO maps (chat_id, name, created_at, updated_at) "
                        "SELECT id, 'Map', ?, ? FROM chats", [now, now])
        db.conn.execute(
            count + "INSERT INTO notes (chat_id, map_id, kind, text, lang, author_id, created_at) "
            "SELECT -(i % ?) - 1, (i % ?) + 1, 'need', 'note ' || i, 'en', (i % ?) + 1, ? FROM c",
            [notes, groups, groups, people, now])  # fmt: skip
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        history(path, args.notes, args.groups, people=args.groups * 5)
        db = Database(path)
        start = time.perf_counter()
        migrations.apply(db)
        members = db.execute("SELECT count(*) FROM chat_members").fetchone()[0]
        print(f"m026 on {args.notes:,} notes: {time.perf_counter() - start:.2f} s "
              f"({members:,} members found)")
        db.close()
        db = open_db(path)
        for group in range(1, args.groups + 1):
            save_checkin_schedule(db, -group, ReviewRule("weekly"), "UTC", now=utcnow())
        db.execute(
            "UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())]
        )
        batches = []
        while True:
            start = time.perf_counter()
            more = claim_checkins(db, utcnow())
            batches.append(time.perf_counter() - start)
            if more != CLAIM_BATCH:
                break
        batches.sort()
        asks = db.execute("SELECT count(*) FROM checkin_asks").fetchone()[0]
        print(f"{args.groups:,} groups due at once: {sum(batches):.2f} s in {len(batches)} "
              f"batches ({asks:,} people asked); a batch holds the loop "
              f"median {batches[len(batches) // 2] * 1000:.1f} ms, "
              f"p95 {batches[int(len(batches) * 0.95)] * 1000:.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
