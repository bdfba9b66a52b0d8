"""Memory benchmark: the bot's resident memory with all four languages loaded, and under load.

    python bench/memory.py [--notes 5000] [--concurrency 50] [--root PATH] [--components]

`journeybot run` is started against the Bot API emulator (tests/emulator), as deployed but
unpaced (`--no-rate-limit`). Each user sends one note first: the answer means the classifier
has loaded (all four pipelines and the language identifier). Then `--notes` varied notes
arrive from `--notes / 20` users (20 each, the next as soon as the last is answered, at most
`--concurrency` users at a time, so no flood limit bites): notes of the corpus in all four
languages, and as many again with one to four words nobody ever typed inserted (random letters
of the note's alphabet) — real users bring new words, and every new word is a new entry in
spaCy's vocabulary and in the classifier's memos. The bot process's VmRSS is sampled every
0.1 s; its VmHWM (the peak, start-up included) is read at the end. The worker process that
draws pictures (bot/offload.py) is not counted in the verdict (it has its own memory: it is
idle in this benchmark): its RSS and peak are printed at the end.

Prints RSS after loading, RSS after each thousand notes, the peak, and the verdict against
issue 14's target (RSS ≤ 250 MiB with all four languages loaded, under load); exit status 1
when the peak misses it.

`--components`: where the memory goes, in a fresh process: RSS after each import and each
pipeline, the language identifier, then after classifying the same varied notes in-process.
`--root`: run the bot (or the components) from another checkout, e.g. an older commit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botproc import start_bot, status_mib, stop_bot, wait_until  # noqa: E402

TARGET_MIB = 250.0
PER_USER = 20  # a person's burst allowance (bot/core/limits.py BURST)
ANSWERS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "setMessageReaction"}

# letters of each language's alphabet, for words no corpus and no dictionary holds
ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
}


def new_word(rng: random.Random, lang: str) -> str:
    word = "".join(rng.choice(ALPHABETS[lang]) for _ in range(rng.randint(3, 11)))
    return word.capitalize() if rng.random() < 0.2 else word


def corpus_notes() -> list[dict]:
    """Every note of the corpus's train, dev and test splits, in the four languages."""
    notes = []
    for split in ("train", "dev", "test"):
        for file in sorted((ROOT / "nlp" / "data" / split).glob("*.jsonl")):
            for line in file.read_text(encoding="utf8").splitlines():
                if line.strip():
                    note = json.loads(line)
                    if note.get("text"):
                        notes.append({"text": note["text"], "lang": note.get("lang", file.stem)})
    return notes


def varied_notes(count: int, seed: int = 7) -> list[str]:
    """`count` notes: every second one a corpus note as it is, the others a corpus note with
    one to four new words inserted at random places."""
    rng = random.Random(seed)
    notes = corpus_notes()
    texts = []
    for number in range(count):
        note = rng.choice(notes)
        words = note["text"].split()
        if number % 2:
            for _ in range(rng.randint(1, 4)):
                words.insert(rng.randrange(len(words) + 1), new_word(rng, note["lang"]))
        texts.append(" ".join(words))
    return texts


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the bot's worker, bot/offload.py; and the
    multiprocessing resource tracker)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def child_role(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    if "resource_tracker" in command:
        return "multiprocessing's resource tracker"
    return "the worker (pictures, insights, exports; idle in this benchmark)"


# --- the bot under load ----------------------------------------------------------------------


async def bot_under_load(args: argparse.Namespace, root: Path) -> int:
    from tests.emulator import TelegramEmulator
    from tests.emulator.models import User

    texts = varied_notes(args.notes, args.seed)
    n_users = -(-len(texts) // PER_USER)
    users = [User(700_000 + i, f"User{i}", language_code="en") for i in range(n_users)]
    answers: dict[int, int] = {}
    samples: list[tuple[int, float]] = []  # (notes answered, VmRSS)

    with TelegramEmulator() as emu, tempfile.TemporaryDirectory() as folder:
        started = time.time()
        process = start_bot(emu.base_url, f"{folder}/bench.db", root=root, rate_limit=False)
        pid = process.pid

        async def count_answers() -> None:  # any message the bot sends or edits in the chat
            seen = 0
            while True:
                calls = emu.calls()
                for call in calls[seen:]:
                    if call.ok and call.method in ANSWERS:
                        chat_id = int(call.params.get("chat_id", 0))
                        answers[chat_id] = answers.get(chat_id, 0) + 1
                seen = len(calls)
                samples.append((sum(answers.values()), status_mib(pid, "VmRSS")))
                await asyncio.sleep(0.1)

        counter = asyncio.create_task(count_answers())
        try:
            await wait_until(lambda: any(c.time >= started for c in emu.calls("deleteWebhook")),
                             120, "the bot starting", poll=0.02)
            # one note each: the first waits for the classifier (the four pipelines and the
            # language identifier); the answers create each chat's first map
            for user in users:
                emu.send_message(user.id, "Warming up: first note", user=user)
            await wait_until(lambda: all(answers.get(u.id) for u in users), 300, "warm-up",
                             poll=0.02)
            await asyncio.sleep(1.0)
            loaded_rss, loaded_peak = status_mib(pid, "VmRSS"), status_mib(pid, "VmHWM")
            warm = dict(answers)
            warm_total = sum(warm.values())
            queue = list(zip(users, [texts[i::n_users] for i in range(n_users)], strict=True))
            begin = time.monotonic()

            async def user_loop(user: User, notes: list[str]) -> None:
                for text in notes:
                    before = answers.get(user.id, 0)
                    emu.send_message(user.id, text, user=user)
                    deadline = time.monotonic() + 10  # a note may get no message of its own
                    while answers.get(user.id, 0) == before and time.monotonic() < deadline:
                        await asyncio.sleep(0.005)

            async def worker() -> None:
                while queue:
                    await user_loop(*queue.pop())

            await asyncio.wait_for(
                asyncio.gather(*(worker() for _ in range(args.concurrency))), timeout=1800)
            seconds = time.monotonic() - begin
            await asyncio.sleep(0.5)
            final_rss, peak = status_mib(pid, "VmRSS"), status_mib(pid, "VmHWM")
            children = {child: (status_mib(child, "VmRSS"), status_mib(child, "VmHWM"),
                                child_role(child)) for child in child_pids(pid)}
        finally:
            counter.cancel()
            stop_bot(process)

    under_load = [rss for answered, rss in samples if answered >= warm_total]
    sampled_max = max(under_load, default=final_rss)
    new_words = sum(1 for i in range(len(texts)) if i % 2)
    print(f"journeybot memory: the bot process (`journeybot run`, emulator, no pacing), "
          f"{root if root != ROOT else 'this checkout'}")
    print(f"after start, four languages loaded ({len(users):,} chats, one note each): "
          f"RSS {loaded_rss:.0f} MiB (peak so far {loaded_peak:.0f} MiB)")
    line = []
    for thousand in range(1000, len(texts) + 1, 1000):
        at = [rss for answered, rss in samples if answered >= warm_total + thousand]
        if at:
            line.append(f"{at[0]:.0f}")
    print(f"RSS after each 1,000 notes: {' '.join(line)} MiB")
    print(f"after {len(texts):,} varied notes ({new_words:,} of them with new words; "
          f"{len(texts) / seconds:.0f} notes/s): RSS {final_rss:.0f} MiB, "
          f"sampled max {sampled_max:.0f} MiB, peak (VmHWM, start-up included) {peak:.0f} MiB")
    for child, (rss, child_peak, role) in sorted(children.items(), key=lambda item: -item[1][0]):
        print(f"child process {child}, {role}: RSS {rss:.0f} MiB, peak {child_peak:.0f} MiB")
    met = peak <= TARGET_MIB
    print(f"target: RSS ≤ {TARGET_MIB:.0f} MiB with all four languages loaded, under load "
          f"(issue 14): {'met' if met else 'MISSED'} (peak {peak:.0f} MiB)")
    return 0 if met else 1


# --- where the memory goes -------------------------------------------------------------------

COMPONENTS = """
import gc, json, sys, time
def rss():
    gc.collect()
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return [int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")]
steps = [("python", rss())]
import numpy; steps.append(("numpy", rss()))
import spacy; steps.append(("spaCy", rss()))
import telegram.ext, sqlite_utils; steps.append(("python-telegram-bot, sqlite-utils", rss()))
import bot.app; steps.append(("bot.app (the bot's modules)", rss()))
from nlp.classify import get_pipeline, get_calibration, classify
for lang in ("en", "pl", "uk", "bg"):
    get_pipeline(lang); steps.append((f"pipeline {lang}", rss()))
get_calibration()
from nlp.langid import load_identifier
load_identifier(); steps.append(("language identifier (n-gram model)", rss()))
texts = json.loads(sys.stdin.read())
for start in range(0, len(texts), 1000):
    for text in texts[start:start + 1000]:
        classify(text)
    steps.append((f"classified {start + 1000:,} varied notes", rss()))
print(json.dumps(steps))
"""


def components(args: argparse.Namespace, root: Path) -> int:
    texts = varied_notes(args.notes, args.seed)
    done = subprocess.run([sys.executable, "-c", COMPONENTS], cwd=root, input=json.dumps(texts),
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(root)})
    steps = json.loads(done.stdout.splitlines()[-1])
    print(f"where the memory goes (one process, {root if root != ROOT else 'this checkout'})")
    print(f"{'step':<42} {'RSS':>9} {'+':>8} {'peak':>9}")
    previous = 0.0
    for name, (rss, peak) in steps:
        print(f"{name:<42} {rss:>5.1f} MiB {rss - previous:>+6.1f} {peak:>5.1f} MiB")
        previous = rss
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50, help="users writing at once")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", help="run from this checkout (e.g. an older commit)")
    parser.add_argument("--components", action="store_true",
                        help="RSS per import, pipeline and the identifier, in-process")
    args = parser.parse_args()
    root = Path(args.root).resolve() if args.root else ROOT
    if args.components:
        return components(args, root)
    return asyncio.run(bot_under_load(args, root))


if __name__ == "__main__":
    sys.exit(main())
