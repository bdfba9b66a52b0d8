"""Benchmark of the note classifier on one core.

    python bench/classify.py [--single N] [--cold-runs N]

* cold start: a fresh process imports nlp.classify, loads all four pipelines (`warm_up`;
  the language identifier loads in a thread meanwhile) and then waits for the language
  identifier too — wall time of each step from the start, measured 3 times;
* batch: `classify_many` over every note of the corpus (language detected). The first pass
  meets every word for the first time in this process (spaCy creates its lexemes, our
  components memoise each word's lemma, polarity and features): "first sight". The next
  passes are the steady state of a bot that has run a while: word-level memos are warm, no
  memo keeps whole notes, and fold()'s memo is emptied before each run, so no note is
  "seen" twice.
  Then each language's notes with the language given, and the same notes through
  `journeybot classify`'s loop (stdin lines in, JSON lines out);
* one note: `classify()` latency p50/p99 over single calls;
* memory: RSS with the pipelines and the language identifier loaded.

Thread pools are limited to one thread and the process is pinned to one CPU when possible.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = """
import time, resource
t = time.perf_counter()
from nlp.classify import warm_up
from nlp.langid import load_identifier
t_import = time.perf_counter() - t
warm_up()  # the four pipelines; the language identifier loads in a thread meanwhile
t_pipelines = time.perf_counter() - t
load_identifier()  # waits for that thread
t_all = time.perf_counter() - t
rss = 0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
print(f"{t_import:.3f} {t_pipelines:.3f} {t_all:.3f} {rss:.1f}")
"""


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def cold_start(runs: int) -> list[tuple[float, float, float, float]]:
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True,
                              text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        results.append(tuple(float(x) for x in done.stdout.split()))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=1000, help="single-note calls")
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()

    pinned = pin_to_one_core()
    from bot.core.vocabulary import fold
    from nlp.classify import classify, classify_many, warm_up
    from nlp.cli import classify_stream
    from nlp.training.corpus import read_notes

    cold = cold_start(args.cold_runs)
    warm_up()
    # every note of the corpus once: a stream of notes the process has not classified before
    # (repeating notes would make the figure look better than a real stream)
    notes = [n for split in ("dev", "test", "train") for n in read_notes(ROOT / "nlp/data" / split)]
    texts = [n["text"] for n in notes]
    langs = [n["lang"] for n in notes]
    classify_many(texts[:300])  # the pipelines' first batch pays for lazy set-up

    def rate(batch: list[str], **kwargs) -> str:
        """Notes per CPU second of classify_many(batch), no text memoised beforehand."""
        fold.cache_clear()
        start = time.process_time()
        classify_many(batch, **kwargs)
        return f"{len(batch) / (time.process_time() - start):,.0f} notes/s"

    rows = [(f"batch, first sight of every word ({len(texts):,} notes)", rate(texts))]
    rows.append((f"batch, language detected ({len(texts):,} notes)", rate(texts)))
    for lang in sorted(set(langs)):
        group = [t for t, lg in zip(texts, langs, strict=True) if lg == lang]
        rows.append((f"batch, {lang} given ({len(group):,} notes)", rate(group, lang=lang)))
    lines = [text.replace("\n", " ") + "\n" for text in texts]
    fold.cache_clear()
    start = time.process_time()
    classify_stream(iter(lines), io.StringIO())  # what `journeybot classify` does, JSON included
    rows.append(("journeybot classify: stdin lines → JSON lines, detected",
                 f"{len(lines) / (time.process_time() - start):,.0f} notes/s"))

    latencies = []
    for i in range(args.single):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        classify(text)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    rows.append(("one note, p50 (detect + classify)", f"{p50:.2f} ms"))
    rows.append(("one note, p99", f"{p99:.2f} ms"))
    for i, (t_import, t_pipelines, t_all, _rss) in enumerate(cold, 1):
        rows.append((f"cold start #{i}: import / + 4 pipelines / + language id",
                     f"{t_import:.2f} / {t_pipelines:.2f} / {t_all:.2f} s"))
    rows.append(("RSS with everything loaded (fresh process)", f"{cold[-1][3]:.0f} MiB"))
    size = sum(p.stat().st_size for p in (ROOT / "nlp" / "model").rglob("*") if p.is_file())
    rows.append(("model size on disk (nlp/model)", f"{size / 1e6:.1f} MB"))

    width = max(len(r[0]) for r in rows)
    print(f"journeybot classifier benchmark ({pinned}, one thread)")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{name:<{width}}  {value:>16}")
    if "--json" in sys.argv:
        print(json.dumps(dict(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
