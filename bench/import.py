"""Import benchmark: `journeybot import` of 10,000 varied reviews, and where the time goes.

    python bench/import.py [--rows 10000] [--existing 1000] [--seed 7]

The CSV is made from the corpus's training notes (nlp/data/train, four languages) with the
variations real exports have: a "Review:" prefix or a star rating suffix, emoji, Polish without
diacritics, two notes run together, upper case, a date and an author column; about 3 % of rows
repeat an earlier row in other case or punctuation (duplicates), and a few rows are empty or
emoji only (bad rows). The map already holds `--existing` notes, some of which the file repeats.

It prints, for the real command line in a fresh process (`journeybot import --map ID FILE
--db PATH`), the wall time with and without loading spaCy, notes/s, and the second run of the
same file (which must add nothing); then the phases in this process: reading and duplicate
check (`plan_import`), classification (`draft_many`, nlp.pipe batches), storing (`add_notes` in
one transaction). Last, the chat's way (bot/flows/import_file.py:
`classify_and_store`, slices on the event loop) with a probe waking every millisecond: how late
a 1 ms timer fired (wall; on a busy machine that includes time the process was not running) and
the CPU time of each step the loop ran (a probe runs on every turn of the loop, so each step is
one slice of classification or one chunk stored: how long the import holds the loop).
The exit status is 1 if the target (1,000 notes/s) is missed or the second run adds a note.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.model import STAGE_KEYS, NoteDraft  # noqa: E402
from storage.chats import remember_chat, remember_user  # noqa: E402
from storage.db import open_db, to_iso, utcnow  # noqa: E402
from storage.maps import create_map  # noqa: E402
from storage.notes import add_notes  # noqa: E402

TARGET = 1_000  # notes/s (issue 16)
PREFIXES = ("", "", "", "Review: ", "Opinia: ", "Відгук: ", "Отзив: ", "★★☆☆☆ ", "Update: ")
SUFFIXES = ("", "", "", " 😡", " 👍", " (2/5)", "!!", " — again.", " 🙏")
AUTHORS = ("Marta K.", "Jan", "Ірина", "Петър", "Anna S.", "Olek", "Oksana", "Георги", "")
DIACRITICS = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def corpus() -> list[str]:
    texts = []
    for path in sorted((ROOT / "nlp" / "data" / "train").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def varied(rng: random.Random, texts: list[str]) -> str:
    text = rng.choice(texts)
    roll = rng.random()
    if roll < 0.15:
        text = f"{text}. {rng.choice(texts)}"
    elif roll < 0.25:
        text = text.translate(DIACRITICS)
    elif roll < 0.3:
        text = text.upper()
    return f"{rng.choice(PREFIXES)}{text}{rng.choice(SUFFIXES)}"


def make_csv(path: Path, rows: int, rng: random.Random, texts: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=rng.choice(",;"))
    writer.writerow(["Date", "Author", "Review", "Stars"])
    written: list[str] = []
    for _ in range(rows):
        roll = rng.random()
        if roll < 0.03 and written:  # a duplicate in other case and punctuation
            text = rng.choice(written).lower().rstrip("!.") + "."
        elif roll < 0.035:
            text = rng.choice(("", "   ", "👍👍", "???"))
        else:
            text = varied(rng, texts)
            written.append(text)
        day = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026"
        writer.writerow([day, rng.choice(AUTHORS), text, rng.randint(1, 5)])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def make_db(path: Path, existing: int, rng: random.Random, texts: list[str]) -> int:
    db = open_db(path)
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "en")
    journey = create_map(db, -100, "Reviews", None, 7, [(key, None) for key in STAGE_KEYS])
    now = to_iso(utcnow())
    rows = [
        (-100, journey.id, journey.stages[0].id, NoteDraft(varied(rng, texts), "en", "need", None),
         7, now, None)
        for _ in range(existing)
    ]
    with db.atomic():
        add_notes(db, rows)
    db.close()
    return journey.id


def run_cli(db_path: Path, map_id: int, source: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of `journeybot import` in a fresh process, and its summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "import", "--map", str(map_id), str(source),
         "--db", str(db_path), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def load_seconds() -> float:
    """The CPU seconds loading the classifier costs a fresh process (part of every CLI run)."""
    code = ("import time; s = time.process_time(); from bot.classifier import warm_up; "
            "warm_up(); print(time.process_time() - s)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def phases(db_path: Path, map_id: int, source: Path) -> dict[str, float]:
    """The import's steps in this process (the classifier already loaded), on a copy."""
    from bot.classifier import draft_many, warm_up
    from bot.imports import as_quotes, note_rows, plan_import
    from storage.ownership import find_map

    warm_up()
    db = open_db(db_path)
    journey = find_map(db, map_id)
    times = {}
    started = time.process_time()
    plan = plan_import(db, -100, map_id, source.read_bytes(), source.name)
    times["read_and_dedupe_cpu_s"] = time.process_time() - started
    started = time.process_time()
    drafts = as_quotes(plan, draft_many(plan.texts, "en"))
    times["classify_cpu_s"] = time.process_time() - started
    started = time.process_time()
    with db.atomic():
        add_notes(db, note_rows(journey, drafts, None))
    times["store_cpu_s"] = time.process_time() - started
    times["notes"] = len(drafts)
    db.close()
    return times


def chat_path(db_path: Path, map_id: int, source: Path) -> dict[str, float]:
    """The chat's import as bot/flows/import_file.py runs it — the file read and checked in the
    worker process, the chat's correction memory, classified and stored in slices on the event
    loop, the summary, then the search index of the new notes (the index job's batches) — with
    a probe that wakes every millisecond: how late the loop answered, and the CPU time of
    every step the loop ran."""
    from bot.classifier import freeze_what_loading_left, load_chat_memory, warm_up
    from bot.flows.import_file import classify_and_store
    from bot.imports import plan_import, summarize, summary_text
    from bot.offload import read_in_worker, start_worker
    from bot.search_index import index_chat
    from storage.ownership import find_map

    warm_up()
    freeze_what_loading_left()  # as the bot does once loaded (full collections walk the rest)
    db = open_db(db_path)
    journey = find_map(db, map_id)
    data = source.read_bytes()
    lags: list[float] = []  # how late a 1 ms timer fired (wall: includes time not running)
    held: list[float] = []  # CPU time of each step the loop ran between two turns of a probe

    async def timer_probe(done: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            started = loop.time()
            await asyncio.sleep(0.001)
            lags.append((loop.time() - started - 0.001) * 1000)

    phase = ["start"]
    worst: dict[str, float] = {}  # phase → its costliest step (CPU ms)

    def step_probe(loop: asyncio.AbstractEventLoop, done: asyncio.Event, cpu: float) -> None:
        now = time.thread_time()
        held.append((now - cpu) * 1000)
        worst[phase[0]] = max(worst.get(phase[0], 0.0), held[-1])
        if not done.is_set():  # again on the loop's next turn: one step of the import between
            loop.call_soon(step_probe, loop, done, time.thread_time())

    async def run() -> float:
        nonlocal plan
        await start_worker()  # as the bot's start: the worker is there before the file
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        watcher = asyncio.create_task(timer_probe(done))
        loop.call_soon(step_probe, loop, done, time.thread_time())
        started = time.perf_counter()
        phase[0] = "plan"
        plan = await read_in_worker(db, plan_import, -100, map_id, data, source.name)
        phase[0] = "memory"
        memory = await load_chat_memory(db, -100)
        phase[0] = "classify_store"
        drafts = await classify_and_store(db, journey, plan, "en", memory, 7)
        phase[0] = "summary"
        summary_text("en", journey, summarize("en", journey, plan, drafts))
        await asyncio.sleep(0)
        phase[0] = "search_index"
        await index_chat(db, -100)
        phase[0] = "end"
        seconds = time.perf_counter() - started
        done.set()
        await watcher
        return seconds

    plan = None
    seconds = asyncio.run(run())
    db.close()
    lags.sort()
    held.sort()
    return {"notes": len(plan.texts), "wall_s": seconds,
            "loop_lag_p99_ms": lags[int(len(lags) * 0.99)] if lags else 0.0,
            "loop_lag_max_ms": lags[-1] if lags else 0.0,
            "loop_steps": len(held),
            "loop_held_cpu_median_ms": held[len(held) // 2] if held else 0.0,
            "loop_held_cpu_p99_ms": held[int(len(held) * 0.99)] if held else 0.0,
            "loop_held_cpu_max_ms": held[-1] if held else 0.0,
            **{f"max_cpu_ms_{name}": ms for name, ms in worst.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = corpus()
    work = Path(tempfile.mkdtemp(prefix="journeybot-import-"))
    try:
        source, db_path = work / "reviews.csv", work / "bench.db"
        make_csv(source, args.rows, rng, texts)
        map_id = make_db(db_path, args.existing, rng, texts)
        shutil.copy(db_path, work / "copy.db")
        seconds, cpu, summary = run_cli(db_path, map_id, source)
        added = int(summary.split()[1].replace(",", ""))
        load = load_seconds()
        again_seconds, again_cpu, again = run_cli(db_path, map_id, source)
        added_again = int(again.split()[1].replace(",", ""))
        print(summary.strip())
        print(f"op=cli_import rows={args.rows} added={added} wall_s={seconds:.2f} "
              f"cpu_s={cpu:.2f} notes_per_wall_s={added / seconds:.0f} "
              f"notes_per_cpu_s={added / cpu:.0f} "
              f"notes_per_cpu_s_without_spacy_load={added / max(cpu - load, 1e-9):.0f} "
              f"(loading spaCy: {load:.2f} cpu s)")
        print(f"op=cli_import_again added={added_again} wall_s={again_seconds:.2f} "
              f"cpu_s={again_cpu:.2f}")
        shutil.copy(work / "copy.db", work / "chat.db")
        steps = phases(work / "copy.db", map_id, source)
        total = steps["read_and_dedupe_cpu_s"] + steps["classify_cpu_s"] + steps["store_cpu_s"]
        print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in steps.items())
              + f" in_process_notes_per_cpu_s={steps['notes'] / total:.0f}")
        chat = chat_path(work / "chat.db", map_id, source)
        print("op=chat_import " + " ".join(
            f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in chat.items()))
        # wall time is what the target is about; on a shared machine CPU time shows what an
        # idle one would do (the command is single-threaded)
        ok = added / seconds >= TARGET and added_again == 0
        print(f"target {TARGET} notes/s (wall) for the CLI: {'met' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
