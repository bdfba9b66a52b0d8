"""Owners and due dates on a big database: the m020 upgrade and every item query.

    python bench/items.py [--db PATH] [--notes 200000] [--items 50000] [--repeat 15]

With `--db`, a copy of that database is measured (e.g. the million-note database bench/scale.py
caches in ~/.cache/journeybot-bench; made before m020, so the upgrade itself is timed);
otherwise one is built here with `--notes` notes in 2,000 chats. `--items` pain points across
the database get an owner and a due date (a third of them overdue); the busiest chat gets 2,000
of them. Each operation prints `op=<name> db_notes=<N> chat_items=<n> median_ms=<x>
max_ms=<y>`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.model import STAGE_KEYS, NoteDraft  # noqa: E402
from storage.chats import remember_chat, remember_user  # noqa: E402
from storage.db import open_db, to_iso  # noqa: E402
from storage.items import (  # noqa: E402
    claim_due_items_batch,
    count_overdue,
    open_items,
    overdue_items,
    owner_open_items,
    resolve_item,
    set_owner_and_due,
)
from storage.maps import create_map  # noqa: E402
from storage.migrations import migrations  # noqa: E402
from storage.notes import add_notes  # noqa: E402

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
KINDS = ("touchpoint", "action", "need", "emotion", "pain_point", "opportunity")


def build(path: Path, notes: int, rng: random.Random) -> None:
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before="m020_item_owners_and_due_dates")
    chats = 2_000
    with db.atomic():
        for user in range(1, 201):
            remember_user(db, user, f"User{user}", f"user{user}", "en")
        maps = []
        for chat in range(chats):
            chat_id = -1_000_000 - chat
            remember_chat(db, chat_id, "group", f"Team {chat}", "en")
            maps.append(create_map(db, chat_id, "Map", None, 1, [(k, None) for k in STAGE_KEYS]))
    rows = []
    for i in range(notes):
        journey = maps[0] if i % 10 == 0 else maps[rng.randrange(chats)]  # a tenth: one chat
        stage = journey.stages[i % 6].id
        draft = NoteDraft(text=f"note {i} about delivery", lang="en", kind=KINDS[i % 6],
                          stage_key=None)
        rows.append((journey.chat_id, journey.id, stage, draft, 1 + i % 200, to_iso(NOW), None))
        if len(rows) == 50_000:
            with db.atomic():
                add_notes(db, rows)
            rows = []
    with db.atomic():
        add_notes(db, rows)
    db.close()


def timed(operation, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(16)
    work = Path(tempfile.mkdtemp(prefix="journeybot-items-"))
    path = work / "bench.db"
    try:
        if args.db:
            shutil.copy(args.db, path)
        else:
            build(path, args.notes, rng)
        start = time.perf_counter()
        db = open_db(path)  # applies m020 (and anything else pending)
        upgrade_ms = (time.perf_counter() - start) * 1000
        total = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        print(f"op=upgrade db_notes={total} ms={upgrade_ms:.0f}")
        busiest = db.execute(
            "SELECT chat_id FROM notes GROUP BY chat_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        owners = [row[0] for row in db.execute("SELECT id FROM users LIMIT 200")]
        pains = db.execute(
            "SELECT id, chat_id FROM notes WHERE kind = 'pain_point' AND status = 'open'"
            " ORDER BY random() LIMIT ?", [args.items]).fetchall()
        in_busiest = [n for n in pains if n[1] == busiest][:2_000]
        chosen = in_busiest + [n for n in pains if n[1] != busiest][: args.items - len(in_busiest)]
        with db.atomic():
            for index, (note_id, _chat) in enumerate(chosen):
                due = TODAY + timedelta(days=rng.randrange(-10, 20))
                db.execute(
                    "UPDATE notes SET owner_id = ?, due_on = ?, remind_at = ? WHERE id = ?",
                    [owners[index % len(owners)], due.isoformat(),
                     to_iso(datetime.combine(due, datetime.min.time(), UTC)) if due >= TODAY
                     else None, note_id],
                )
        chat_items = len(open_items(db, busiest))
        owner = owners[0]
        figures = {
            "open_items(chat)": lambda: open_items(db, busiest),
            "overdue_items(chat)": lambda: overdue_items(db, busiest, TODAY),
            "count_overdue(map)": lambda: count_overdue(db, busiest, 1, TODAY),
            "owner_open_items(all chats)": lambda: owner_open_items(db, owner),
            "owner_open_items(chat)": lambda: owner_open_items(db, owner, chat_id=busiest),
            "claim_due_items_batch(none due)": lambda: claim_due_items_batch(
                db, datetime(2000, 1, 1, tzinfo=UTC)),
        }
        for name, operation in figures.items():
            samples = timed(operation, args.repeat)
            print(f"op={name} db_notes={total} chat_items={chat_items}"
                  f" median_ms={statistics.median(samples):.2f} max_ms={max(samples):.2f}")
        note_id, chat_id = chosen[0]
        samples = timed(lambda: set_owner_and_due(
            db, chat_id, note_id, owners[rng.randrange(200)], TODAY + timedelta(days=3),
            now=NOW), args.repeat)
        print(f"op=set_owner_and_due db_notes={total} median_ms={statistics.median(samples):.2f}"
              f" max_ms={max(samples):.2f}")
        claims = timed(lambda: claim_due_items_batch(db, NOW + timedelta(days=1)), 5)
        print(f"op=claim_due_items_batch(25 due) db_notes={total}"
              f" median_ms={statistics.median(claims):.2f} max_ms={max(claims):.2f}")
        samples = timed(lambda: resolve_item(db, chat_id, note_id, owner, NOW), args.repeat)
        print(f"op=resolve_item db_notes={total} median_ms={statistics.median(samples):.2f}"
              f" max_ms={max(samples):.2f}")
        db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
