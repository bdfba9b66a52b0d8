"""Benchmark of what a team sees of a big map: /insights and /map text, on one core.

    python bench/views.py [--notes 1000,10000,100000] [--runs 5]

Maps of N notes are built in memory from the corpus' note texts (all four languages, a third
of them pain points, a third of those resolved), so the figures are the views' own cost, not
SQLite's. One line per operation and size, as bench/scale.py prints them:
`op=<name> map_notes=<n> median_ms=<x> max_ms=<y>`.

* insights: `compute_insights` with spaCy's stop words (hotspots, themes, gaps, segments);
* map_text: `render_map` (three messages at most, "… N more — /export for all").
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classifier import theme_stop_words  # noqa: E402
from bot.core.insights import compute_insights  # noqa: E402
from bot.core.model import STAGE_KEYS, JourneyMap, Note, Stage  # noqa: E402
from bot.views import render_map  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ("pain_point", "pain_point", "touchpoint", "action", "need", "emotion", "opportunity")


def corpus_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "nlp" / "data" / "train").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            texts.append((row["text"], row.get("lang") or path.stem))
    return texts


def big_map(size: int, texts: list[tuple[str, str]], rng: random.Random):
    stages = tuple(Stage(10 + i, 1, i, key) for i, key in enumerate(STAGE_KEYS))
    journey = JourneyMap(1, 1, "Bench", None, None, T0, stages)
    notes = []
    for number in range(1, size + 1):
        text, lang = rng.choice(texts)
        kind = rng.choice(KINDS)
        status = "resolved" if kind == "pain_point" and rng.random() < 1 / 3 else "open"
        notes.append(
            Note(number, 1, 1, rng.choice(stages).id, kind, text, lang, None, T0,
                 sentiment=rng.uniform(-1, 1), status=status, number=number,
                 author_name="Ola")
        )  # fmt: skip
    return journey, notes


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts, rng = corpus_texts(), random.Random(20261207)
    stop_words = theme_stop_words()
    for size in (int(n) for n in args.notes.split(",")):
        journey, notes = big_map(size, texts, rng)
        operations = {
            "insights": lambda j=journey, n=notes: compute_insights(j, n, stop_words=stop_words),
            "map_text": lambda j=journey, n=notes: render_map("en", j, n, show_authors=True),
        }
        for name, operation in operations.items():
            median, worst = timed(operation, args.runs)
            print(f"op={name} map_notes={size} median_ms={median:.1f} max_ms={worst:.1f}")


if __name__ == "__main__":
    main()
