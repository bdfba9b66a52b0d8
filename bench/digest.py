"""Digest and history benchmark on the million-note database of bench/scale.py.

    python bench/digest.py [--notes 1000000] [--repeat 5]

Uses (and builds, if needed) the cached database of `bench/scale.py` with the same arguments,
copies it, and times, for its measured maps of 10, 1,000 and 10,000 notes (each with 50
reviews, in a chat of ~100,000 notes):

* `digest` — `bot.flows.digest.collect_digest` for the last seven days, text and chart: what
  the worker process does for /digest and for each weekly digest;
* `history` — `collect_history`, the first page and the chart of the last twelve reviews;
* `digest_queries` — the digest's storage queries alone (the rest of `digest` is the chart);
* `history_export` — `storage.digests.review_history`, every review and its timeline (exports);
* `loop_lookups` — what runs on the event loop for /digest: the last digest, the weekly
  setting and the schedule (index lookups).

Prints one line per operation (`op=… map_notes=… median_ms=… max_ms=…`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import CACHE, NOW, cached_database, timed  # noqa: E402
from bot.flows.digest import collect_digest, collect_history  # noqa: E402
from storage.checkins import list_members  # noqa: E402
from storage.db import open_db  # noqa: E402
from storage.digests import (  # noqa: E402
    contributors,
    last_digest_until,
    new_pain_points,
    open_pain_points_of_map,
    period_counts,
    resolved_pain_points,
    review_history,
    review_moments,
    timeline,
    weekly_digest_at,
)
from storage.items import open_items  # noqa: E402
from storage.maps import get_map  # noqa: E402
from storage.reminders import get_schedule  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--maps", type=int, default=12_000)
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path, _ = cached_database(args)
    with tempfile.TemporaryDirectory(prefix="journeybot-digest-") as folder:
        work = Path(folder) / "scale.db"
        shutil.copyfile(path, work)
        db = open_db(work)
        total = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        measured = {row["label"]: (row["chat_id"], row["map_id"]) for row in db["_bench"].rows}
        for label in sorted(
            (label for label in measured if label.startswith("map")), key=lambda x: int(x[3:])
        ):
            chat_id, map_id = measured[label]
            journey = get_map(db, chat_id, map_id)
            notes = db.execute("SELECT count(*) FROM notes WHERE map_id = ?", [map_id]).fetchone()
            size = notes[0]

            def report(op: str, samples: list[float], size: int = size) -> None:
                print(
                    f"op={op} map_notes={size} db_notes={total} "
                    f"median_ms={sorted(samples)[len(samples) // 2]:.1f} max_ms={max(samples):.1f}",
                    flush=True,
                )

            def digest(j=journey):
                collect_digest(db, "en", j, "Europe/Warsaw", True, NOW - timedelta(days=7), NOW)

            def queries(j=journey):
                since = NOW - timedelta(days=7)
                period_counts(db, j, since, NOW)
                new_pain_points(db, j, since, NOW, 5)
                resolved_pain_points(db, j, since, NOW, 5)
                open_pain_points_of_map(db, j)
                contributors(db, j, since, NOW)
                list_members(db, j.chat_id)
                open_items(db, j.chat_id, map_id=j.id)
                timeline(db, j, [*review_moments(db, j, NOW, 5), NOW])

            def history(j=journey):
                collect_history(db, "en", j, "Europe/Warsaw", 0, True)

            def lookups(j=journey):
                last_digest_until(db, j.chat_id, j.id)
                weekly_digest_at(db, j.chat_id, j.id)
                get_schedule(db, j.chat_id, j.id)

            report("digest", timed(digest, args.repeat))
            report("digest_queries", timed(queries, args.repeat))
            report("history", timed(history, args.repeat))
            report("history_export", timed(lambda j=journey: review_history(db, j, NOW), 3))
            report("loop_lookups", timed(lookups, 50))
        db.close()
    return 0


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    print(f"took {time.monotonic() - started:.0f} s", file=sys.stderr)
    sys.exit(status)
