"""Scale benchmark: a database as heavy use leaves it, and what each per-map operation costs in it.

    python bench/scale.py [--notes 1000000] [--chats 10000] [--maps 12000] [--repeat 15]
                          [--only remove_stage,delete_map,delete_note]

The database is built through the project's own storage functions (chats, users, maps with
their stages, schedules, corrections, deleted notes, reviews, dialogs; notes through the bulk
path `storage.notes.add_notes`, with the real schema, indexes and search triggers) and cached in
~/.cache/journeybot-bench (`--cache`), so a second run only copies it. Measurements run on a
copy. The notes sit in maps of 10, 1,000 and 10,000 notes in one chat of about 100,000 notes,
a chat of exactly 1,000 notes (search) and thousands of ordinary maps around them.

Each operation prints one line — `op=<name> map_notes=<n> db_notes=<N> median_ms=<x>
max_ms=<y>` — and a summary compares the figures with the targets of issue 14. Operations that
run in the worker process (pictures, insights, exports) are timed as a whole; the loop-lag probe
shows what the event loop felt meanwhile. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.model import STAGE_KEYS, Dialog, NoteDraft  # noqa: E402
from bot.core.schedule import ReviewRule  # noqa: E402
from bot.offload import wal_room  # noqa: E402
from storage.chats import remember_chat, remember_user  # noqa: E402
from storage.checkpoints import Checkpointer, start_checkpointer  # noqa: E402
from storage.db import open_db, to_iso  # noqa: E402
from storage.dialogs import save_dialog  # noqa: E402
from storage.maps import create_map  # noqa: E402
from storage.notes import add_notes, correct_note, delete_note  # noqa: E402
from storage.reminders import save_schedule  # noqa: E402

BUILD_VERSION = 3  # bump when the built database changes shape
BUILD_CACHE_MIB = 1024  # SQLite's page cache while building (the bot keeps the default)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "journeybot-bench"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
KINDS = ("touchpoint", "action", "need", "emotion", "pain_point", "opportunity")
LANGS = ("en", "pl", "uk", "bg")
SIZES = (10, 1_000, 10_000)  # the measured maps' sizes
BIG_CHAT, SEARCH_CHAT = -1_000_001, -1_000_002
SEARCH_CHAT_NOTES = 1_000
BIG_CHAT_NOTES = 100_000

# Words people write about shops, clinics and hotels; "the" and "delivery" occur everywhere.
WORDS = {
    lang: text.split()
    for lang, text in {
        "en": "the the the delivery was late again and nobody called us checkout asked for "
        "address twice card payment failed courier lost parcel website slow coupon did not "
        "work return policy hidden support answered after days loved free samples in box "
        "booking confirmation email went to spam price changed at the last step",
        "pl": "dostawa znowu spóźniona kurier nie zadzwonił płatność BLIK nie przeszła koszyk "
        "zgubił produkty strona wolno działa kod rabatowy nie działa zwrot trudny obsługa "
        "odpisała po trzech dniach paczka uszkodzona cena wzrosła przy kasie the delivery",
        "uk": "доставка знову запізнилася кур'єр не подзвонив оплата карткою не пройшла кошик "
        "загубив товари сайт повільний промокод не працює повернення складне підтримка "
        "відповіла через три дні посилка пошкоджена ціна зросла the delivery",
        "bg": "доставката закъсня отново куриерът не се обади плащането с карта не мина "
        "количката изгуби продуктите сайтът е бавен кодът за отстъпка не работи връщането "
        "е трудно поддръжката отговори след три дни пратката е повредена the delivery",
    }.items()
}
CHANNELS = ("email", "phone", "website", "Instagram", "BLIK", "InPost", "Nova Poshta", "Econt")


def database_notes(db) -> int:
    return db.execute("SELECT count(*) FROM notes").fetchone()[0]


# --- building ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """Which chat each map belongs to and how many notes it gets."""

    maps: list[tuple[int, int]] = field(default_factory=list)  # (chat id, notes)
    measured: dict[str, int] = field(default_factory=dict)  # label -> index into maps


def plan_database(notes: int, chats: int, maps: int, rng: random.Random) -> Plan:
    plan = Plan()

    def add(chat_id: int, size: int, label: str | None = None) -> None:
        if label:
            plan.measured[label] = len(plan.maps)
        plan.maps.append((chat_id, size))

    scale = min(1.0, notes / 1_000_000)
    sizes = [max(1, round(size * scale)) for size in SIZES]
    for size in sizes:  # the measured maps and spares to delete, in a ~100k-note chat
        add(BIG_CHAT, size, f"map{size}")
        for spare in range(3 if size < 10_000 * scale else 1):
            add(BIG_CHAT, size, f"delete{size}.{spare}")
    used = sum(size for _, size in plan.maps)
    while used < BIG_CHAT_NOTES * scale and len(plan.maps) < 45:
        add(BIG_CHAT, round(5_000 * scale))
        used += round(5_000 * scale)
    add(SEARCH_CHAT, SEARCH_CHAT_NOTES * 3 // 5, "search0")
    add(SEARCH_CHAT, SEARCH_CHAT_NOTES * 2 // 5, "search1")
    used += SEARCH_CHAT_NOTES
    ordinary = max(1, maps - len(plan.maps))
    weights = [rng.lognormvariate(0, 1.2) for _ in range(ordinary)]
    remaining = max(0, notes - used)
    total = sum(weights)
    for i, weight in enumerate(weights):
        chat_id = 1 + i % max(1, chats - 2)
        plan.maps.append((chat_id, round(remaining * weight / total)))
    return plan


def note_text(rng: random.Random, lang: str) -> str:
    words = WORDS[lang]
    return " ".join(rng.choice(words) for _ in range(rng.randint(5, 14)))


def build(path: Path, args: argparse.Namespace) -> None:
    """Builds the database at `path` through the storage functions (progress on stderr)."""
    rng = random.Random(args.seed)
    started, cpu = time.monotonic(), time.process_time()

    def progress(what: str) -> None:
        print(f"  build: {what} ({time.monotonic() - started:.0f} s, "
              f"CPU {time.process_time() - cpu:.0f} s)", file=sys.stderr, flush=True)

    db = open_db(path)
    build_pragmas(db)
    plan = plan_database(args.notes, args.chats, args.maps, rng)
    chat_ids = sorted({chat_id for chat_id, _ in plan.maps} | set(range(1, args.chats - 1)))
    with db.atomic():
        for user_id in range(1, 2 * len(chat_ids) + 1):
            remember_user(db, user_id, f"User{user_id}", None, rng.choice(LANGS))
        for chat_id in chat_ids:
            remember_chat(db, chat_id, "group" if chat_id < 0 or chat_id % 3 else "private",
                          f"Team {chat_id}", rng.choice(LANGS))
    progress(f"{len(chat_ids)} chats")
    stages = [(key, None) for key in STAGE_KEYS]
    journeys = []
    with db.atomic():
        for number, (chat_id, _) in enumerate(plan.maps):
            journeys.append(create_map(db, chat_id, f"Map {number}", None, None, stages))
    progress(f"{len(journeys)} maps")
    # Notes arrive interleaved across maps, as they do over a year of use: a map's notes are
    # spread over the whole table, not stored side by side.
    tickets = array("l", (index for index, (_, size) in enumerate(plan.maps)
                          for _ in range(size)))
    rng.shuffle(tickets)
    chat_langs = dict(db.execute("SELECT id, lang FROM chats").fetchall())
    stage_ids = [[stage.id for stage in journey.stages] + [None] for journey in journeys]
    users = 2 * len(chat_ids)
    batch: list[tuple] = []
    for written, index in enumerate(tickets, start=1):
        journey = journeys[index]
        chat_id = journey.chat_id
        lang = chat_langs[chat_id]
        kind = rng.choice(KINDS)
        draft = NoteDraft(
            text=note_text(rng, lang),
            lang=lang,
            kind=kind,
            stage_key=None,
            stage_score=round(rng.random(), 3),
            kind_score=round(rng.random(), 3),
            sentiment=round(rng.uniform(-1, 1), 2) if kind != "pain_point" else -0.6,
            channels=tuple(rng.sample(CHANNELS, rng.randint(0, 2))),
            classified_stage=rng.choice(STAGE_KEYS),
            classified_kind=kind,
        )
        created = NOW - timedelta(minutes=(len(tickets) - written) // 2)
        author = 1 + (abs(chat_id) * 2 + rng.randrange(2)) % users
        batch.append((chat_id, journey.id, rng.choice(stage_ids[index]), draft, author,
                      to_iso(created), None))
        if len(batch) == 20_000:
            with db.atomic():
                add_notes(db, batch)
            batch.clear()
            if written % 200_000 < 20_000:
                progress(f"{written:,} notes")
    with db.atomic():
        add_notes(db, batch)
    progress(f"{len(tickets):,} notes")
    with db.atomic():  # ideas answering the map's latest pain point
        latest_pain: dict[int, int] = {}
        answers = []
        for note_id, map_id, kind in db.execute("SELECT id, map_id, kind FROM notes ORDER BY id"):
            if kind == "pain_point":
                latest_pain[map_id] = note_id
            elif kind == "opportunity" and map_id in latest_pain and rng.random() < 0.1:
                answers.append((latest_pain[map_id], note_id))
        db.conn.executemany("UPDATE notes SET parent_id = ? WHERE id = ?", answers)
    with db.atomic():  # a second-day history: resolved pain points with owners
        db.execute(
            "UPDATE notes SET status = 'resolved', resolved_at = created_at, owner_id = author_id"
            " WHERE kind = 'pain_point' AND id % 7 = 0"
        )
        total = db.execute("SELECT max(id) FROM notes").fetchone()[0]
        for corrected in rng.sample(range(1, total + 1), min(10_000, total // 100)):
            row = db.execute("SELECT chat_id FROM notes WHERE id = ?", [corrected]).fetchone()
            correct_note(db, row[0], corrected, None, kind=rng.choice(KINDS))
        for deleted in rng.sample(range(1, total + 1), min(10_000, total // 100)):
            row = db.execute("SELECT chat_id FROM notes WHERE id = ?", [deleted]).fetchone()
            if row:
                delete_note(db, row[0], deleted)
    progress("corrections and deleted notes")
    weekly = ReviewRule.from_rrule("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYHOUR=9;BYMINUTE=0")
    with db.atomic():
        for journey in journeys[: args.schedules]:
            save_schedule(db, journey.chat_id, journey.id, weekly, "Europe/Warsaw",
                          now=NOW - timedelta(days=3), created_by=None)
        # ~260 reviews per 1,000 maps' worth of notes: the measured maps get 50 each
        reviews = []
        for index, journey in enumerate(journeys):
            count = 50 if index in plan.measured.values() else rng.randrange(0, 40)
            for _ in range(count):
                started_at = NOW - timedelta(days=rng.randrange(1, 700))
                reviews.append({
                    "map_id": journey.id, "chat_id": journey.chat_id, "started_by": None,
                    "started_at": to_iso(started_at),
                    "finished_at": to_iso(started_at + timedelta(minutes=20)),
                    "participants": "[]", "summary": '{"queue": [], "position": 0}',
                })
        db["reviews"].insert_all(reviews, batch_size=10_000)
        for chat_id in chat_ids[:2_000]:  # abandoned conversations
            save_dialog(db, Dialog(chat_id, 1, "note", "text", {}))
        db["handled_updates"].insert_all(
            # ids far above the emulator's (it numbers updates from 1 in each run)
            ({"bot_id": 123456, "update_id": i, "chat_id": rng.choice(chat_ids),
              "handled_at": to_iso(NOW)}
             for i in range(10**9, 10**9 + 200_000)),
            batch_size=10_000,
        )
    progress(f"{min(args.schedules, len(journeys))} schedules, {len(reviews):,} reviews, "
             "dialogs, handled updates")
    db["_bench"].insert_all(
        [{"label": label, "map_id": journeys[index].id, "chat_id": journeys[index].chat_id}
         for label, index in plan.measured.items()]
    )
    index_for_search(db)
    db.execute("PRAGMA journal_mode = WAL")  # as the bot keeps it
    db.close()
    progress("done")


def build_pragmas(db) -> None:
    """For building only (a benchmark file need not survive a crash or power cut): no WAL and
    no syncing — the WAL of a 20,000-note transaction grows to hundreds of MB and SQLite
    looks up every page read in it —, and a page cache big enough for the notes' indexes, which
    the interleaved inserts touch all over (2 MiB by default: nearly every insert missed)."""
    db.execute("PRAGMA journal_mode = MEMORY")  # still rolled back by db.atomic() on error
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{BUILD_CACHE_MIB * 1024}")
    db.execute("PRAGMA temp_store = MEMORY")


def index_for_search(db) -> None:
    """Indexes every note waiting for the search index, as the bot's background job would."""
    from bot.classifier import note_search_keys
    from storage.search import index_notes

    started, total = time.monotonic(), 0
    while done := index_notes(db, note_search_keys, limit=20_000):
        total += done
        print(f"  search index: {total:,} notes ({time.monotonic() - started:.0f} s)",
              file=sys.stderr, flush=True)
    if total and db.journal_mode == "wal":
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def cached_database(args: argparse.Namespace) -> tuple[Path, tuple[float, float] | None]:
    """The built database (building it if needed) and how long building took: (wall seconds,
    CPU seconds of this process)."""
    name = f"scale-v{BUILD_VERSION}-n{args.notes}-c{args.chats}-m{args.maps}-s{args.seed}.db"
    path = Path(args.cache) / name
    if path.exists() and not args.rebuild:
        db = open_db(path)  # migrations added since it was built are applied once, here
        index_for_search(db)
        db.close()
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started, cpu = time.monotonic(), time.process_time()
    build(partial, args)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    partial.rename(path)
    return path, (seconds, cpu)


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Figure:
    op: str
    map_notes: int
    samples: list[float]
    target_ms: float | None = None
    note: str = ""
    cpu: list[float] = field(default_factory=list)  # CPU ms of the same runs (this thread)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def worst(self) -> float:
        return max(self.samples)

    @property
    def ok(self) -> bool | None:
        return None if self.target_ms is None else self.worst <= self.target_ms


def timed(operation: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of each run; each run's CPU time goes to CPU_SAMPLES and the
    garbage collector's share of it (ms, collections of the oldest generation) to GC_SAMPLES."""
    samples = []
    CPU_SAMPLES.clear()
    GC_SAMPLES.clear()
    for _ in range(repeat):
        GC_CLOCK.reset()
        started, cpu = time.perf_counter(), time.thread_time()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
        CPU_SAMPLES.append((time.thread_time() - cpu) * 1000)
        GC_SAMPLES.append((GC_CLOCK.ms, GC_CLOCK.full))
    return samples


class GcClock:
    """How long the garbage collector ran (ms) and how many full collections it made since
    `reset`, through `gc.callbacks`: shows whether a run's outlier was a collection."""

    def __init__(self) -> None:
        self.ms, self.full, self._started = 0.0, 0, 0.0
        gc.callbacks.append(self._observe)

    def reset(self) -> None:
        self.ms, self.full = 0.0, 0

    def _observe(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._started) * 1000
            self.full += info["generation"] == 2


CPU_SAMPLES: list[float] = []  # CPU milliseconds of the runs of the last `timed` call
GC_SAMPLES: list[tuple[float, int]] = []  # (gc ms, full collections) of the same runs
GC_CLOCK = GcClock()


async def in_steps(
    step: Callable[..., int], args: tuple, final: Callable[[], object]
) -> list[float]:
    """What bot.offload.in_steps does on the loop, timed: the milliseconds of each step (each
    a transaction of its own, the loop free in between) and of the final call; their CPU
    milliseconds go to STEP_CPU. `args[0]` is the database."""
    steps = []
    STEP_CPU.clear()
    while True:
        started, cpu = time.perf_counter(), time.thread_time()
        changed = step(*args)
        steps.append((time.perf_counter() - started) * 1000)
        STEP_CPU.append((time.thread_time() - cpu) * 1000)
        if not changed:
            break
        await room_between_steps(args[0])
    started, cpu = time.perf_counter(), time.thread_time()
    final()
    steps.append((time.perf_counter() - started) * 1000)
    STEP_CPU.append((time.thread_time() - cpu) * 1000)
    return steps


STEP_CPU: list[float] = []  # CPU milliseconds of each step of the last `in_steps`
CHECKPOINTERS: list[Checkpointer] = []  # the one started on the measured database
WAL_PEAK = [0]  # the most WAL pages seen between two steps


async def room_between_steps(db) -> None:
    """What the bot does between two steps of a long write: bot.offload.wal_room itself (the
    loop yields; while the WAL holds more than SOFT_PAGES pages not yet copied back, it waits
    for the checkpointer's thread), after noting the WAL's length (WAL_PEAK). With
    --old-checkpoints (no CHECKPOINTERS) it only yields, as before the checkpointer."""
    if not CHECKPOINTERS:
        await wal_room(None)
        return
    WAL_PEAK[0] = max(WAL_PEAK[0], CHECKPOINTERS[0].wal_pages()[0])
    await wal_room(db)


async def stepwise(
    operation: Callable[[], Awaitable[list[float]]], repeat: int
) -> tuple[list[float], list[float]]:
    """Runs a stepped operation `repeat` times: (its longest step, its total) per run, in ms;
    CPU_SAMPLES gets each run's most CPU-costly step."""
    runs, cpu = [], []
    for _ in range(repeat):
        runs.append(await operation())
        cpu.append(max(STEP_CPU))
    CPU_SAMPLES[:] = cpu
    return [max(steps) for steps in runs], [sum(steps) for steps in runs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--maps", type=int, default=12_000)
    parser.add_argument("--schedules", type=int, default=10_000, help="maps with a due review")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--cache", default=str(CACHE), help="folder of built databases")
    parser.add_argument("--rebuild", action="store_true", help="build even if cached")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--lag-seconds", type=float, default=10.0)
    parser.add_argument("--no-png", action="store_true", help="skip drawing pictures")
    parser.add_argument("--no-start", action="store_true", help="skip the start-up timing")
    parser.add_argument("--cold", action="store_true",
                        help="start-up timing from a cold page cache (database, code, venv)")
    parser.add_argument("--bot-root", default=str(ROOT),
                        help="the checkout whose bot the start-up timing runs (an old one, to "
                        "compare in the same minutes)")
    parser.add_argument("--compare-root", action="append", default=[],
                        help="another checkout whose bot starts in turn with --bot-root's, start "
                        "by start (first_answer_after_start_compared)")
    parser.add_argument("--starts", type=int, default=3,
                        help="starts of each checkout's bot for first_answer_after_start")
    parser.add_argument("--no-freeze", action="store_true",
                        help="for comparison: leave what imports made to the garbage collector "
                        "(the bot's worker freezes it after importing matplotlib; Babel's plural "
                        "rules and the stop words still load first, as the worker's warm-up "
                        "does)")
    parser.add_argument(
        "--one-lane", action="store_true",
        help="as before December 7: the chat's export in the picture worker, not its own lane")
    parser.add_argument(
        "--old-checkpoints", action="store_true",
        help="as before December 7: the loop checkpoints at 25,000 WAL pages, no writer waits")
    parser.add_argument(
        "--only", type=lambda text: set(text.split(",")), default=None,
        help="measure only these operations (comma-separated op names, e.g. "
        "remove_stage,delete_map,delete_note; an op's _total/_step/_p99 line comes with it)")
    args = parser.parse_args()
    path, build_time = cached_database(args)
    if build_time is not None:
        wall, cpu = build_time
        print(f"built {path} in {wall:.0f} s, {cpu:.0f} s of CPU "
              f"({path.stat().st_size / 2**20:.0f} MiB; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores)", flush=True)
    if args.build_only:
        return 0
    with tempfile.TemporaryDirectory(prefix="journeybot-scale-") as folder:
        work = Path(folder) / "scale.db"
        shutil.copyfile(path, work)
        figures = asyncio.run(measure_all(work, args))
    return report(figures, args)


async def measure_all(path: Path, args: argparse.Namespace) -> list[Figure]:
    from bot.classifier import theme_stop_words, word_search_keys
    from bot.exports import build_export
    from bot.flows.share import map_insights
    from bot.texts import load_plural_rules
    from bot.views import render_map
    from storage.maps import (
        delete_map,
        delete_some_notes_of_map,
        get_map,
        list_maps,
        replace_stages,
        unstage_some_notes,
    )
    from storage.notes import list_notes
    from storage.ownership import export_chat, last_review_at, list_reviews
    from storage.reviews import last_finished_review
    from storage.search import search_notes, search_terms

    figures: list[Figure] = []
    load_plural_rules()  # Babel's and the stop words load once, as the bot's worker warms up
    theme_stop_words()
    if not args.no_freeze:  # as the worker (bot.offload.warm_up_worker) once it has imported
        gc.collect()
        gc.freeze()
    db = open_db(path)
    checkpointer = start_checkpointer(db)  # as the bot's post_init: no checkpoint on the loop
    CHECKPOINTERS[:] = [checkpointer]
    if args.old_checkpoints:  # for comparison: the loop's backstop, no backpressure
        db.execute("PRAGMA wal_autocheckpoint = 25000")
        CHECKPOINTERS.clear()
    total = database_notes(db)
    measured = {row["label"]: (row["chat_id"], row["map_id"]) for row in db["_bench"].rows}
    rng = random.Random(args.seed)
    repeat = args.repeat

    def record(op: str, map_notes: int, samples: list[float], target: float | None = None,
               note: str = "") -> None:
        cpu = list(CPU_SAMPLES) if len(CPU_SAMPLES) == len(samples) else []
        collected = list(GC_SAMPLES) if len(GC_SAMPLES) == len(samples) else []
        CPU_SAMPLES.clear()
        GC_SAMPLES.clear()
        figure = Figure(op, map_notes, samples, target, note, cpu)
        figures.append(figure)
        cpu_text = (f" cpu_median_ms={figure.cpu_median:.2f} cpu_max_ms={max(cpu):.2f}"
                    if cpu else "")
        if collected:  # the collector's share of the slowest run
            gc_ms, full = collected[samples.index(max(samples))]
            cpu_text += f" slowest_gc_ms={gc_ms:.1f} slowest_full_gcs={full}"
        print(f"op={op} map_notes={map_notes} db_notes={total} median_ms={figure.median:.2f} "
              f"max_ms={figure.worst:.2f}{cpu_text}", flush=True)

    def wanted(*ops: str) -> bool:
        """Whether `--only` names one of `ops` (or the start of one: remove_stage names
        remove_stage_total too)."""
        return args.only is None or any(op.startswith(name) for op in ops for name in args.only)

    def journey_of(label: str):
        chat_id, map_id = measured[label]
        return get_map(db, chat_id, map_id)

    sizes = sorted({int(label[3:]) for label in measured if label.startswith("map")})
    for size in sizes:
        journey = journey_of(f"map{size}")
        n = len(list_notes(db, journey.chat_id, journey.id))
        small = size <= 1_000 * max(1, args.notes // 1_000_000)
        if wanted("list_notes"):
            record("list_notes", n, timed(lambda j=journey: list_notes(db, j.chat_id, j.id),
                                          repeat), 30 if small and n <= 1_000 else None)
        messages: list[str] = []

        def map_text(j=journey, messages=messages):
            messages[:] = render_map("en", j, list_notes(db, j.chat_id, j.id), show_authors=True)

        if wanted("map_text"):
            record("map_text", n, timed(map_text, repeat), 30 if n <= 1_000 else None,
                   f"{len(messages)} messages")

        def insights(j=journey):
            """What /insights runs in the worker: the notes' facts, the insights with each
            language's stop words, the open items and the text (bot/flows/share.py)."""
            map_insights(db, "en", j, "UTC")

        if wanted("insights"):
            record("insights", n, timed(insights, max(3, repeat // 3)), 300, "worker process")

        def reviews(j=journey):
            last_review_at(db, j.chat_id, j.id)
            list_reviews(db, j.chat_id, j.id)
            last_finished_review(db, j.chat_id, j.id)

        if wanted("review_lookups"):
            record("review_lookups", n, timed(reviews, repeat), 10)
        for fmt in ("csv", "md", "json"):
            if wanted(f"export_{fmt}"):
                record(f"export_{fmt}", n, timed(
                    lambda j=journey, f=fmt: build_export(
                        "en", j, list_notes(db, j.chat_id, j.id), f,
                        reviews=list_reviews(db, j.chat_id, j.id), now=NOW),
                    max(3, repeat // 5)), None, "worker process")
        if not args.no_png and wanted("map_png"):
            from bot.render import map_picture

            record("map_png", n, timed(
                lambda j=journey: map_picture("en", j, list_notes(db, j.chat_id, j.id)), 3),
                None, "worker process")
        note_ids = [row[0] for row in db.execute(
            "SELECT id FROM notes WHERE map_id = ? ORDER BY random() LIMIT ?",
            [journey.id, repeat])]
        deletions = iter(note_ids)
        if wanted("delete_note"):
            record("delete_note", n, timed(
                lambda j=journey, d=deletions: delete_note(db, j.chat_id, next(d)),
                len(note_ids)), 10)

        audit_map_ops(db, journey, n, record, wanted, repeat)

        async def remove_stage(j=journey):
            """/stages → Remove → Yes (bot/flows/stages.py: removal_confirmed), its storage
            calls: the first stage's notes moved off it in steps, then the stage removed."""
            current = get_map(db, j.chat_id, j.id)
            kept = [(s.id, s.key, s.name) for s in current.stages[1:]]
            return await in_steps(unstage_some_notes, (db, j.chat_id, j.id, kept),
                            lambda: replace_stages(db, j.chat_id, j.id, kept))

        if wanted("remove_stage"):
            longest, whole = await stepwise(remove_stage, 3)
            record("remove_stage", n, longest, 50, "longest step on the loop")
            record("remove_stage_total", n, whole, None, "all steps")
    search_chat = measured["search0"][0]
    word_search_keys("delivery")  # the lemma tables load once, as at the bot's start
    notes_in_chat = db.execute(
        "SELECT count(*) FROM notes WHERE chat_id = ?", [search_chat]).fetchone()[0]
    for word, op in (("the", "search_common_word"), ("delivery", "search_common_word2"),
                     ("zzzqx", "search_absent_word"), ("late courier", "search_two_words")):
        terms = search_terms(word)
        if wanted(op):
            record(op, notes_in_chat, timed(
                lambda t=terms: search_notes(db, search_chat, t, word_search_keys, limit=5),
                repeat), 30)
    if wanted("list_maps"):
        record("list_maps", BIG_CHAT_NOTES, timed(lambda: list_maps(db, BIG_CHAT), repeat),
               None, "the ~100k-note chat")
    if wanted("export_chat"):
        record("export_chat", notes_in_chat, timed(lambda: export_chat(db, search_chat, NOW), 3),
               None, "worker process")
    await audit_chat_ops(db, measured, record, wanted, repeat, rng, args)
    for size in sizes if wanted("delete_map_step", "delete_map") else ():
        labels = [label for label in measured if label.startswith(f"delete{size}.")]
        journeys = [journey_of(label) for label in labels]
        n = len(list_notes(db, journeys[0].chat_id, journeys[0].id))
        doomed = iter(journeys)

        async def delete_stepwise(d=doomed):
            journey = next(d)
            return await in_steps(delete_some_notes_of_map, (db, BIG_CHAT, journey.id),
                            lambda: delete_map(db, BIG_CHAT, journey.id))

        longest, whole = await stepwise(delete_stepwise, len(journeys))
        record("delete_map_step", n, longest, 50, "longest step on the loop")
        record("delete_map", n, whole, 1_000 if n <= 1_000 else None, "all steps")
    if wanted("claim_reminder_batch", "claim_all_reminders"):
        await claim_all_reminders(db, record)
    if wanted("loop_lag"):
        lag = await loop_lag_under_load(db, measured, args, rng)
        record("loop_lag", 1_000, lag, None, "every 10 ms probe; the target is on the p99")
        lag.sort()
        record("loop_lag_p99", 1_000, [lag[min(len(lag) - 1, round(0.99 * (len(lag) - 1)))]],
               50)
    wal_bytes = Path(f"{path}-wal").stat().st_size
    db.close()
    checkpointer.stop()
    print(f"  checkpoints in their thread: {checkpointer.checkpoints}, "
          f"{checkpointer.failures} failed; writers waited for room {checkpointer.waits} times; "
          f"WAL at most {WAL_PEAK[0]} pages between steps; "
          f"WAL file {wal_bytes / 2**20:.1f} MiB at the end", flush=True)
    if not args.no_start and wanted("first_answer_after_start"):
        roots = [Path(args.bot_root), *(Path(root) for root in args.compare_root)]
        starts = first_answers(path, args.starts, cold=args.cold, roots=roots)
        for root, (walls, cpu) in starts.items():
            CPU_SAMPLES[:] = cpu  # the bot process's CPU time by its answer
            compared = root != roots[0]
            record("first_answer_after_start" + ("_compared" if compared else ""), 0, walls,
                   1_000, "process start → /start answered"
                   + (", cold page cache" if args.cold else "") + (f", {root}" if compared else ""))
    return figures


# --- the audit of every other feature (issue 14: "try each feature on a million-note database")


def audit_map_ops(db, journey, n: int, record, wanted, repeat: int) -> None:
    """What /stages, /review, /todo, /maps (switching), the board, /digest, /history and the
    map's exports cost on this map. On the loop: ≤ 50 ms; in the worker: timed as a whole."""
    from bot.board import CELL_CARDS, CELL_PAGE, CardFilter, read_board, read_cell
    from bot.flows.digest import collect_digest, collect_history
    from bot.flows.share import map_export
    from storage.chats import set_active_map
    from storage.items import open_items
    from storage.maps import get_map, stage_note_counts
    from storage.reviews import open_pain_point_ids

    chat_id, map_id = journey.chat_id, journey.id
    if wanted("stage_counts"):  # /stages: notes per stage
        record("stage_counts", n, timed(lambda: stage_note_counts(db, chat_id, map_id), repeat),
               50)
    if wanted("review_queue"):  # /review: the queue of open pain points
        record("review_queue", n, timed(lambda: open_pain_point_ids(db, chat_id, map_id),
                                        repeat), 50)
    if wanted("open_items"):  # /todo, the digest's open items
        record("open_items", n, timed(lambda: open_items(db, chat_id, map_id=map_id), repeat),
               50)
    if wanted("switch_map"):  # /maps → a map: made active and read
        record("switch_map", n, timed(
            lambda: (set_active_map(db, chat_id, map_id), get_map(db, chat_id, map_id)),
            repeat), 50)
    board: list[int] = []

    def board_json():
        set_active_map(db, chat_id, map_id)
        data = read_board(db, chat_id, {"id": 1, "status": "member"})
        board[:] = [len(data or b"")]

    if wanted("board_json"):  # GET /api/board: what the page draws first (30 cards a cell)
        record("board_json", n, timed(board_json, max(3, repeat // 5)), None,
               f"worker process; {board[0] / 2**10:.0f} KiB")
    cell: list[int] = []

    fullest = db.execute(  # the map's fullest cell (a map may have no staged note at all)
        "SELECT stage_id, kind FROM notes WHERE map_id = ? AND stage_id IS NOT NULL "
        "GROUP BY stage_id, kind ORDER BY count(*) DESC LIMIT 1", [map_id]).fetchone()

    def board_cell():  # GET /api/board/cell: the next 200 cards of the map's fullest cell
        stage_id, kind = fullest
        last_drawn = db.execute(  # the page asks for the cards after the last one it drew
            "SELECT number FROM notes WHERE map_id = ? AND stage_id = ? AND kind = ? ORDER BY id"
            " LIMIT 1 OFFSET ?", [map_id, stage_id, kind, CELL_CARDS - 1]).fetchone()
        data = read_cell(db, chat_id, map_id, stage_id, kind, last_drawn[0] if last_drawn else 0,
                         CELL_PAGE, CardFilter())
        cell[:] = [len(data)]

    if wanted("board_cell") and fullest is not None:
        set_active_map(db, chat_id, map_id)
        record("board_cell", n, timed(board_cell, max(3, repeat // 5)), None,
               f"worker process; {cell[0] / 2**10:.0f} KiB")
    since, until = NOW - timedelta(days=7), NOW
    if wanted("digest"):
        record("digest", n, timed(lambda: collect_digest(
            db, "en", journey, "UTC", True, since, until), max(3, repeat // 5)), None,
            "worker process, with its chart")
    if wanted("history_page"):
        record("history_page", n, timed(lambda: collect_history(
            db, "en", journey, "UTC", 8, False), max(3, repeat // 5)), None, "worker process")
    sizes: dict[str, int] = {}
    for fmt in ("csv", "json"):
        def export(f=fmt):
            made, _ = map_export(db, "en", journey, f, NOW)
            sizes[f] = len(made.data)

        if wanted(f"export_{fmt}_file"):  # what /export sends (zipped above 20 MB)
            record(f"export_{fmt}_file", n, timed(export, 3), None,
                   f"worker process; {sizes[fmt] / 2**20:.1f} MiB")


async def audit_chat_ops(db, measured, record, wanted, repeat: int, rng: random.Random,
                         args: argparse.Namespace) -> None:
    """/search in the ~100k-note chat, the chat's export, the correction memory of a chat with
    thousands of corrections, due-item reminders."""
    from bot.classifier import word_search_keys
    from bot.flows.share import chat_export
    from storage.search import search_notes, search_terms

    big_notes = db.execute(
        "SELECT count(*) FROM notes WHERE chat_id = ?", [BIG_CHAT]).fetchone()[0]
    for word, op, offset in (("delivery", "search_big_chat", 0),
                             ("delivery", "search_big_chat_page200", 1_000),
                             ("late courier", "search_big_chat_two_words", 0)):
        terms = search_terms(word)
        if wanted(op):
            record(op, big_notes, timed(
                lambda t=terms, o=offset: search_notes(db, BIG_CHAT, t, word_search_keys,
                                                       offset=o, limit=5), repeat), 50)
    size: list[int] = []

    def export_all():
        made, _ = chat_export(db, BIG_CHAT, NOW)
        size[:] = [len(made.data)]

    if wanted("chat_export_file"):
        record("chat_export_file", big_notes, timed(export_all, 1), None,
               f"worker process; {size[0] / 2**20:.1f} MiB sent")
    if wanted("picture_during_chat_export") and not args.no_png:
        await picture_during_chat_export(db, record, big_notes, one_lane=args.one_lane)
    if wanted("correction_memory"):
        await correction_memory(db, measured, record, rng)
    if wanted("claim_due_items"):
        claim_due_items(db, record)


def cpu_ms_of(db, fn, *args, **kwargs) -> float:
    """Runs `fn(db, *args, **kwargs)` (in the worker) and returns the CPU milliseconds it took
    there."""
    started = time.thread_time()
    fn(db, *args, **kwargs)
    return (time.thread_time() - started) * 1000


async def picture_during_chat_export(db, record, big_notes: int, *, one_lane: bool) -> None:
    """Another chat's /map picture, alone and while the ~100k-note chat's whole export is
    built as the bot builds it (`send_chat_export`: the export lane; `--one-lane`: the picture
    worker, as before December 7), and how long that export took."""
    from bot.flows.manage_maps import map_view
    from bot.flows.share import chat_export
    from bot.offload import read_in_file_worker, read_in_worker, start_worker
    from storage.maps import get_map

    await start_worker()
    chat_id, map_id, n = db.execute(
        "SELECT chat_id, map_id, count(*) AS n FROM notes WHERE chat_id > 0 "
        "GROUP BY chat_id, map_id HAVING n BETWEEN 50 AND 500 LIMIT 1").fetchone()
    other = get_map(db, chat_id, map_id)

    cpu: list[float] = []

    async def picture() -> float:
        started = time.perf_counter()
        cpu.append(await read_in_worker(db, cpu_ms_of, map_view, "en", other, picture=True,
                                        text=False, group=True))
        return (time.perf_counter() - started) * 1000

    alone = [await picture() for _ in range(5)]
    alone_cpu, cpu[:] = cpu[:], []
    lane = read_in_worker if one_lane else read_in_file_worker
    started = time.perf_counter()
    export = asyncio.ensure_future(lane(db, chat_export, BIG_CHAT, NOW))
    await asyncio.sleep(0.5)  # the export is under way
    during = []
    while not export.done() or not during:
        during.append(await picture())
        await asyncio.sleep(0.5)  # a person asks every half second or so
    await export
    export_ms = (time.perf_counter() - started) * 1000
    which = "picture worker (one lane)" if one_lane else "export lane"
    CPU_SAMPLES[:] = alone_cpu
    record("picture_alone", n, alone, None, "another chat's /map picture, worker idle")
    CPU_SAMPLES[:] = cpu
    record("picture_during_chat_export", n, during, None,
           f"the same picture while the 100k-note chat's export runs ({which})")
    record("chat_export_in_lane", big_notes, [export_ms], None, which)


async def correction_memory(db, measured, record, rng: random.Random) -> None:
    """A note in a chat with thousands of corrections after one more correction: the chat's
    memory is rebuilt (bot.classifier.load_chat_memory); the longest turn of the event loop."""
    from bot.classifier import freeze_what_loading_left, load_chat_memory, warm_up
    from bot.looplag import LoopLagProbe
    from storage.notes import correct_note

    warm_up()
    freeze_what_loading_left()  # as the bot does once its classifier has loaded
    chat_id, map_id = measured["map10000"]
    ids = [row[0] for row in db.execute(
        "SELECT id FROM notes WHERE map_id = ? ORDER BY id LIMIT 5000", [map_id])]
    with db.atomic():
        for note_id in ids[:4_000]:
            correct_note(db, chat_id, note_id, None, kind=rng.choice(KINDS))
    corrections = db.execute(
        "SELECT count(*) FROM corrections WHERE chat_id = ?", [chat_id]).fetchone()[0]
    longest, whole, cpu, turn_cpu = [], [], [], []
    sleep = asyncio.sleep

    async def counted_sleep(delay):  # the CPU of each turn load_chat_memory holds the loop
        turns.append((time.thread_time() - turn_started[0]) * 1000)
        await sleep(delay)
        turn_started[0] = time.thread_time()

    for note_id in ids[4_000:4_005]:
        correct_note(db, chat_id, note_id, None, kind=rng.choice(KINDS))
        started, turns, turn_started = time.perf_counter(), [], [time.thread_time()]
        cpu.append(time.thread_time())
        async with LoopLagProbe(0.001) as probe:
            await sleep(0.005)  # the probe's first sample
            turn_started[0] = time.thread_time()
            asyncio.sleep = counted_sleep
            try:
                memory = await load_chat_memory(db, chat_id)
            finally:
                asyncio.sleep = sleep
            turns.append((time.thread_time() - turn_started[0]) * 1000)
            await sleep(0.005)
        whole.append((time.perf_counter() - started) * 1000)
        cpu[-1] = (time.thread_time() - cpu[-1]) * 1000
        longest.append(probe.max_ms)
        turn_cpu.append(max(turns))
    CPU_SAMPLES[:] = turn_cpu
    record("correction_memory", corrections, longest, 50,
           f"longest turn of the loop (CPU: its costliest turn); {len(memory)} remembered")
    CPU_SAMPLES[:] = cpu
    record("correction_memory_total", corrections, whole, None, "rebuilt after a correction")


def claim_due_items(db, record: Callable[..., None]) -> None:
    """10,000 items whose due-date reminder is due at once, claimed as the job does."""
    from storage.items import CLAIM_BATCH, claim_due_items_batch

    with db.atomic():
        db.execute(
            "UPDATE notes SET owner_id = author_id, due_on = ?, remind_at = ? WHERE id IN ("
            " SELECT id FROM notes WHERE kind = 'pain_point' AND status = 'open'"
            " AND author_id IS NOT NULL LIMIT 10000)",
            [NOW.date().isoformat(), to_iso(NOW - timedelta(minutes=1))])
    batches: list[float] = []
    CPU_SAMPLES.clear()
    while True:
        started, cpu = time.perf_counter(), time.thread_time()
        claimed = claim_due_items_batch(db, NOW)
        batches.append((time.perf_counter() - started) * 1000)
        CPU_SAMPLES.append((time.thread_time() - cpu) * 1000)
        if claimed < CLAIM_BATCH:
            break
    record("claim_due_items_batch", CLAIM_BATCH, batches, 50, f"{len(batches)} batches")


async def claim_all_reminders(db, record: Callable[..., None]) -> None:
    """Every schedule due at once, claimed in short transactions as the reminder job does."""
    from storage.reminders import CLAIM_BATCH, claim_due_batch, waiting_reminders

    due = db.execute("UPDATE schedules SET next_run_at = ?, paused = 0",
                     [to_iso(NOW - timedelta(minutes=1))]).rowcount
    batches: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    while True:
        batch_started, batch_cpu = time.perf_counter(), time.thread_time()
        claimed = claim_due_batch(db, NOW)
        batches.append((time.perf_counter() - batch_started) * 1000)
        cpu.append((time.thread_time() - batch_cpu) * 1000)
        if claimed < CLAIM_BATCH:
            break
        await room_between_steps(db)  # as bot.reminders.claim_due_messages between batches
    waiting = waiting_reminders(db)
    whole = (time.perf_counter() - started) * 1000
    slowest = sorted(range(len(batches)), key=batches.__getitem__)[-3:]
    print("  slowest claim batches: " + ", ".join(
        f"{batches[i]:.1f} ms ({cpu[i]:.1f} ms CPU)" for i in reversed(slowest)), flush=True)
    CPU_SAMPLES[:] = cpu
    record("claim_reminder_batch", CLAIM_BATCH, batches, 50, f"{len(batches)} batches")
    record("claim_all_reminders", due, [whole], None, f"{len(waiting)} reminders in the outbox")


async def loop_lag_under_load(db, measured, args, rng: random.Random) -> list[float]:
    """Ten maps drawn over and over in the worker pool while fifty users send notes; returns
    every lag the probe saw (ms)."""
    from bot.classifier import draft_note, warm_up
    from bot.flows.manage_maps import map_view
    from bot.looplag import LoopLagProbe
    from bot.offload import read_in_worker, start_worker
    from storage.chats import get_chat
    from storage.inbox import mark_update_handled
    from storage.maps import get_map
    from storage.notes import add_note

    warm_up()
    await start_worker()  # as `journeybot run` does at start: matplotlib loaded in the worker
    big = [(chat, map_id) for label, (chat, map_id) in measured.items()
           if label.startswith(("map", "delete")) and chat == BIG_CHAT]
    maps = [get_map(db, chat, map_id) for chat, map_id in big]
    maps = [j for j in maps if j is not None][:10]
    writers = [(chat_id, map_id) for chat_id, map_id in db.execute(
        "SELECT chat_id, id FROM maps WHERE chat_id > 0 ORDER BY random() LIMIT 50")]
    stop_at = time.monotonic() + args.lag_seconds
    drawn = sent = 0
    update_id = 10_000_000

    async def draw(journey) -> None:
        nonlocal drawn
        while time.monotonic() < stop_at:
            await read_in_worker(db, map_view, "en", journey, picture=True, text=True, group=True)
            drawn += 1

    async def write(chat_id: int, map_id: int, user_rng: random.Random) -> None:
        nonlocal sent, update_id
        journey = get_map(db, chat_id, map_id)
        lang = get_chat(db, chat_id).lang
        while time.monotonic() < stop_at:
            await asyncio.sleep(user_rng.uniform(0.4, 1.6))
            update_id += 1
            mark_update_handled(db, 123456, update_id, chat_id)
            draft = await draft_note(note_text(user_rng, lang), lang)
            stage = journey.stage_for_key(draft.stage_key)
            add_note(db, chat_id, journey.id, stage.id if stage else None, draft, None)
            sent += 1

    async with LoopLagProbe(0.01) as probe:
        await asyncio.gather(*(draw(j) for j in maps),
                             *(write(c, m, random.Random(rng.random())) for c, m in writers))
    print(f"  loop lag: {len(probe.lags_ms)} samples, {drawn} pictures drawn, {sent} notes "
          f"written in {args.lag_seconds:g} s; p50 {probe.percentile(50):.1f} ms, "
          f"p99 {probe.percentile(99):.1f} ms, max {probe.max_ms:.1f} ms", flush=True)
    return list(probe.lags_ms)


def evict_from_page_cache(paths: list[Path]) -> tuple[int, int]:
    """Drops the files under `paths` from the operating system's page cache
    (`posix_fadvise(POSIX_FADV_DONTNEED)`), as after a reboot: the next read comes from disk.
    Returns (files, MiB) evicted."""
    files = size = 0
    for root in paths:
        found = [root] if root.is_file() else [
            Path(folder) / name for folder, _, names in os.walk(root) for name in names]
        for path in found:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:  # a dangling link, a socket
                continue
            try:
                size += os.fstat(fd).st_size
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                files += 1
            finally:
                os.close(fd)
    return files, size // 2**20


def cold_files(path: Path, root: Path = ROOT) -> list[Path]:
    """What a cold start reads: the database and its WAL, the checkout (code, models), the
    venv (site-packages) and the standard library the venv's Python uses."""
    stdlib = Path(os.__file__).parent
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), root / "bot",
                        root / "nlp", root / "storage", Path(sys.prefix), stdlib) if p.exists()]


def first_answers(path: Path, times: int, *, cold: bool = False,
                  roots: Sequence[Path] = (ROOT,)) -> dict[Path, tuple[list[float], list[float]]]:
    """Starts `journeybot run` on the database `times` times and times process start → the
    answer to a /start sent at once; a note sent at once must be answered too. With `cold`,
    every start is a cold one: the database, the code, the venv and the standard library are
    evicted from the page cache first (`evict_from_page_cache`). `roots`: the checkouts whose
    bot runs, taking turns start by start (old and new in the same minutes). Returns, for each
    root, the wall times of its starts and the bot's CPU time at each answer (ms)."""
    from bench.botproc import cpu_ms, start_bot, stop_bot
    from tests.emulator import TelegramEmulator
    from tests.emulator.models import User

    results: dict[Path, tuple[list[float], list[float]]] = {root: ([], []) for root in roots}
    with sqlite3.connect(path) as conn:  # the chats the outbox will write to exist on Telegram
        waiting = [row[0] for row in conn.execute(
            "SELECT DISTINCT chat_id FROM reminders WHERE status IN ('pending', 'sending')")]
    with TelegramEmulator() as emu:
        for attempt, root in ((a, r) for a in range(times) for r in roots):
            samples, cpu = results[root]
            emu.reset()
            for chat_id in waiting:
                emu.create_chat(chat_id, chat_type="group" if chat_id < 0 else "private",
                                title=f"Team {chat_id}", user=None if chat_id < 0 else
                                User(chat_id, f"Person{chat_id}"))
            user = User(500 + attempt, f"Starter{attempt}", language_code="pl")
            emu.send_message(user.id, "/start", user=user)
            emu.send_message(user.id, "Kurier spóźnił się dwa dni", user=user)
            if cold:
                files, mib = evict_from_page_cache(cold_files(path, root))
                print(f"  cold start: {files:,} files ({mib:,} MiB) evicted from the page cache",
                      flush=True)
            started = time.time()
            process = start_bot(emu.base_url, path, root=root, rate_limit=False)
            try:
                deadline = time.time() + 120
                answers: list = []
                cpu_at_answer = None  # the bot's CPU time when its answer is seen (±10 ms)
                while len(answers) < 2 and time.time() < deadline:
                    time.sleep(0.01)
                    answers = [c for c in emu.calls("sendMessage")
                               if int(c.params.get("chat_id", 0)) == user.id and c.ok]
                    if answers and cpu_at_answer is None:
                        cpu_at_answer = cpu_ms(process.pid)
                if len(answers) < 2:
                    raise RuntimeError("the bot did not answer /start and the note")
                samples.append((answers[0].time - started) * 1000)
                cpu.append(cpu_at_answer)
                others = [c.time for c in emu.calls("sendMessage")
                          if int(c.params.get("chat_id", 0)) != user.id]
                before = sum(t < answers[0].time for t in others)
                side = "" if len(roots) == 1 else f" ({root})"
                print(f"  start {attempt + 1}{side}: /start answered after {samples[-1]:.0f} ms "
                      f"({cpu_at_answer:.0f} ms of the bot's CPU by then), "
                      f"the note after {(answers[1].time - started) * 1000:.0f} ms; outbox "
                      f"messages sent before the answer {before}, in all {len(others)} "
                      f"(load average {os.getloadavg()[0]:.1f})", flush=True)
                print("    timeline (ms after the process started): " + start_timeline(
                    emu.calls(), started, answers[0].time), flush=True)
            finally:
                stop_bot(process)
    return results


def start_timeline(calls: list, started: float, answered: float) -> str:
    """The Bot API calls a start made before its first answer, in order, with their times."""
    shown, last = [], None
    for call in calls:
        if call.time > answered:
            break
        if call.method == "sendMessage":
            continue
        if call.method != last:
            shown.append(f"{call.method} {(call.time - started) * 1000:.0f}")
        last = call.method
    return ", ".join([*shown, f"answer {(answered - started) * 1000:.0f}"])


def report(figures: list[Figure], args: argparse.Namespace) -> int:
    load = os.getloadavg()[0]
    print(f"\nsummary (target: worst of the runs; load average {load:.1f} on "
          f"{os.cpu_count()} cores — wall times grow with it, CPU times do not):")
    missed = 0
    for f in figures:
        verdict = "" if f.ok is None else ("ok" if f.ok else "MISSED")
        target = f"≤ {f.target_ms:g} ms" if f.target_ms is not None else "—"
        cpu = f"cpu {f.cpu_median:>8.1f} ms" if f.cpu_median is not None else " " * 15
        print(f"  {f.op:<26} {f.map_notes:>7} notes  median {f.median:>9.1f} ms  "
              f"max {f.worst:>9.1f} ms  {cpu}  target {target:<12} {verdict} {f.note}")
        missed += f.ok is False
    print(f"{missed} target(s) missed" if missed else "every target met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
