"""/search in a 1,000-note chat of a big database, however often the word occurs elsewhere.

    .venv/bin/python bench/search.py --notes 1000000 --db /tmp/search.db

Builds (once; an existing file is reused) a database of `--notes` notes in 1,000 group chats
from the corpus's training texts: the first chat gets 1,000 notes, the others share the rest,
so every searched word also occurs in hundreds of thousands of other chats' notes. All notes
are indexed (each distinct text keyed once), then each query runs what /search runs — index the
chat's waiting notes, look up the words' keys, search — and prints
`op=search query=<q> chat_notes=1000 db_notes=<N> hits=<n> median_ms=<x> max_ms=<y>`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.model import STAGE_KEYS
from nlp.classify import note_search_keys, word_search_keys
from nlp.pipeline import DATA_DIR
from storage.chats import remember_chat
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.search import (
    index_notes,
    notes_to_index,
    save_search_keys,
    search_notes,
    search_terms,
)

CHATS = 1000
CHAT_NOTES = 1000
QUERIES = ("dostawa", "klient", "the", "kurier", "tortów", "не", "доставка", "client order",
           "zamówienie klient")


def build(db, notes: int) -> None:
    random.seed(1)
    texts = [
        json.loads(line)["text"]
        for path in sorted((DATA_DIR / "train").glob("*.jsonl"))
        for line in path.read_text(encoding="utf8").splitlines()
        if line.strip()
    ]
    started = time.perf_counter()
    maps = []
    for number in range(CHATS):
        chat_id = -1000 - number
        remember_chat(db, chat_id, "group", f"team {number}", "pl")
        maps.append(create_map(db, chat_id, "M", None, None, [(k, None) for k in STAGE_KEYS]))
    now = to_iso(utcnow())

    def rows():
        for i in range(notes):
            journey = maps[0 if i < CHAT_NOTES else random.randrange(1, CHATS)]
            yield (journey.chat_id, journey.id, journey.stages[i % 6].id, "need",
                   random.choice(texts), "pl", now)

    with db.atomic():
        db.conn.executemany(
            "INSERT INTO notes (chat_id, map_id, stage_id, kind, text, lang, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
    print(f"built {notes} notes in {time.perf_counter() - started:.0f} s", flush=True)
    started, keys = time.perf_counter(), {}

    def keyed(text: str) -> str:
        if text not in keys:
            keys[text] = " ".join(note_search_keys(text))
        return keys[text]

    while waiting := notes_to_index(db, limit=20_000):
        save_search_keys(db, [(note.id, note.text, keyed(note.text)) for note in waiting])
    print(f"indexed in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--db", default="search-bench.db")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    path = Path(args.db)
    fresh = not path.exists()
    db = open_db(path)
    if fresh:
        build(db, args.notes)
    total = db.execute("SELECT count(*) FROM notes").fetchone()[0]
    chat = -1000
    for query in QUERIES:
        terms = search_terms(query)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            index_notes(db, note_search_keys, chat_id=chat)
            keys = {term: word_search_keys(term) for term in terms}
            page = search_notes(db, chat, terms, keys.__getitem__, limit=5)
            times.append((time.perf_counter() - started) * 1000)
        print(f"op=search query={query!r} chat_notes={CHAT_NOTES} db_notes={total} "
              f"hits={page.total} median_ms={statistics.median(times):.2f} "
              f"max_ms={max(times):.2f}", flush=True)


if __name__ == "__main__":
    main()
