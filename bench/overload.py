"""Overload benchmark (issue 13 §3): `journeybot run` as deployed (sending paced to Telegram's
limits) against the Bot API emulator, with Telegram's flood control switched on in the emulator.

    python bench/overload.py [--users 50] [--seconds 60] [--only private|group]
    python bench/overload.py --root /path/to/an/older/checkout   # the same, for that version

1. Private chats, flat out: `--users` people each send a note every 0.5–1.3 s (about 1.1 a
   second, as fast as people type short notes) for `--seconds`. Prints how many notes were
   sent, accepted (stored), shed with a notice, answered, and lost (accepted, never answered),
   and the answer time of accepted notes (p50/p95/max). Target: p95 ≤ 5 s, nothing lost.
2. A group: 6 people send 60 notes in 20 s. Prints when the last note was acknowledged (its ✍
   reaction, and its place in a combined acknowledgement — or, for a version without them, its
   own reply), the most messages sent to the group in any 60 s, and how many sends Telegram
   refused (429). Target: all acknowledged within 30 s, never over 20 messages a minute.

Figures from before this change are printed beside (measured with `--root` on the commit
before issue 13 §3, on the same 2-core machine). Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botproc import start_bot, stop_bot  # noqa: E402
from tests.emulator import TelegramEmulator  # noqa: E402
from tests.emulator.models import User  # noqa: E402

GROUP_ID = -900_001
NOTES = [
    "The delivery took nine days and nobody told us",
    "Checkout asked for my address twice",
    "Kurier spóźnił się dwa dni",
    "Не зміг знайти таблицю розмірів",
    "Доставката закъсня с три дни",
    "Could not find the return policy anywhere",
]
# Measured with `--root` on commit 45d169d (before the inbox, the arrival gate and the group
# acknowledgements), on the same 2-core machine, same seeds, `--drain 240`.
BEFORE = {
    "private": "sent 3,352, accepted 3,352, shed 0, answered 3,352; p50 29.4 s, p95 55.6 s, "
    "max 60.5 s (the queue grew: the per-person limit was checked when a note was handled)",
    "group": "60 notes in 21 s: last acknowledged 182.8 s after the first note (p95 wait "
    "122.4 s, one reply each); 20 messages to the group in 60 s; 429 answers: 10",
}


@dataclass
class Run:
    sent: dict[str, float] = field(default_factory=dict)  # tag → time sent
    message_ids: dict[int, str] = field(default_factory=dict)  # user message id → tag


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


async def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


def stored_tags(db_path: str) -> dict[int, str]:
    """note id → the tag at the end of its text, "(…)"."""
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT id, text FROM notes").fetchall()
    finally:
        db.close()
    return {note_id: text.rsplit("(", 1)[-1].rstrip(")") for note_id, text in rows if "(" in text}


async def private_chats(emu: TelegramEmulator, root: Path, args) -> bool:
    users = [User(500_000 + i, f"User{i}", language_code="en") for i in range(args.users)]
    rng = random.Random(args.seed)
    run = Run()
    with tempfile.TemporaryDirectory() as folder:
        started = time.time()
        process = start_bot(emu.base_url, f"{folder}/bench.db", root=root)
        try:
            await wait_until(lambda: any(c.time >= started for c in emu.calls("getUpdates")), 120)
            for user in users:  # warm-up: each chat's first note starts its map
                emu.send_message(user.id, "Warming up (warm)", user=user)
            await wait_until(lambda: len(emu.calls("sendMessage")) >= 2 * len(users), 60)
            await asyncio.sleep(2.0)
            warm_calls = len(emu.calls("sendMessage"))

            async def person(user: User, user_rng: random.Random) -> None:
                count = 0
                await asyncio.sleep(user_rng.uniform(0, 1))
                while time.time() < stop_at:
                    count += 1
                    tag = f"u{user.id}-{count}"
                    run.sent[tag] = time.time()
                    emu.send_message(user.id, f"{user_rng.choice(NOTES)} ({tag})", user=user)
                    await asyncio.sleep(user_rng.uniform(0.5, 1.3))

            stop_at = time.time() + args.seconds
            await asyncio.gather(*(person(u, random.Random(rng.random())) for u in users))
            ended = time.time()
            await wait_until(lambda: not emu.pending_updates(), 60)
            last = [time.time()]

            def quiet() -> bool:
                calls = emu.calls("sendMessage")
                if len(calls) > warm_calls and calls[-1].time > last[0]:
                    last[0] = calls[-1].time
                return time.time() - last[0] > 5

            await wait_until(quiet, args.drain)
        finally:
            stop_bot(process)
        notes = stored_tags(f"{folder}/bench.db")
    accepted = {tag for tag in notes.values() if tag in run.sent}
    # each chat's answers come in the order its accepted notes were sent
    answers: dict[int, list[float]] = {}
    notices = 0
    for call in emu.calls("sendMessage")[warm_calls:]:
        text = call.params.get("text", "")
        if call.ok and text.startswith("📌"):
            answers.setdefault(int(call.params["chat_id"]), []).append(call.time)
        elif call.ok and text.startswith("⏳"):
            notices += 1
    latencies, lost = [], 0
    for user in users:
        mine = sorted((run.sent[tag], tag) for tag in accepted if tag.startswith(f"u{user.id}-"))
        times = answers.get(user.id, [])
        latencies += [answer - sent for (sent, _), answer in zip(mine, times, strict=False)]
        lost += max(0, len(mine) - len(times))
    p95 = percentile(latencies, 95)
    refused = sum(1 for c in emu.calls() if c.error_code == 429)
    print(
        f"\nprivate chats: {args.users} people flat out for {args.seconds:.0f} s "
        f"(answers until {time.time() - ended:.0f} s after)\n"
        f"  now:    sent {len(run.sent):,}, accepted {len(accepted):,}, "
        f"shed {len(run.sent) - len(accepted):,} ({notices} notices), "
        f"answered {len(latencies):,}, unanswered {lost}; p50 {percentile(latencies, 50):.1f} s, "
        f"p95 {p95:.1f} s, max {max(latencies, default=0):.1f} s; 429 answers: {refused}\n"
        f"  before: {BEFORE['private']}",
        flush=True,
    )
    return p95 <= 5.0 and lost == 0


async def group(emu: TelegramEmulator, root: Path, args) -> bool:
    people = [User(600_000 + i, f"Member{i}", language_code="en") for i in range(6)]
    rng = random.Random(args.seed + 1)
    run = Run()
    emu.create_chat(GROUP_ID, chat_type="group", title="Bench team")
    with tempfile.TemporaryDirectory() as folder:
        started = time.time()
        process = start_bot(emu.base_url, f"{folder}/bench.db", root=root)
        try:
            await wait_until(lambda: any(c.time >= started for c in emu.calls("getUpdates")), 120)
            emu.send_message(GROUP_ID, "/start", user=people[0], title="Bench team")
            await wait_until(lambda: emu.bot_messages(GROUP_ID), 30)
            await asyncio.sleep(2.0)
            before_calls = len(emu.calls())

            async def member(user: User, user_rng: random.Random) -> None:
                for count in range(10):
                    await asyncio.sleep(user_rng.uniform(0, 4.0) if count else user_rng.random())
                    tag = f"g{user.id}-{count}"
                    run.sent[tag] = time.time()
                    message = emu.send_message(
                        GROUP_ID, f"/note {user_rng.choice(NOTES)} ({tag})", user=user,
                        title="Bench team",
                    )
                    run.message_ids[message["message_id"]] = tag

            await asyncio.gather(*(member(u, random.Random(rng.random())) for u in people))
            await asyncio.sleep(min(args.drain, 45) if args.drain <= 60 else args.drain)
        finally:
            stop_bot(process)
        notes = stored_tags(f"{folder}/bench.db")
    calls = emu.calls()[before_calls:]
    acked: dict[str, float] = {}
    reacted: dict[str, float] = {}
    for call in calls:
        if not call.ok:
            continue
        if call.method == "setMessageReaction":
            tag = run.message_ids.get(int(call.params.get("message_id", 0)))
            if tag:
                reacted.setdefault(tag, call.time)
        if call.method == "sendMessage" and str(call.params.get("chat_id")) == str(GROUP_ID):
            reply = call.params.get("reply_parameters") or {}
            replied = call.params.get("reply_to_message_id") or (
                reply.get("message_id") if isinstance(reply, dict) else None
            )
            tag = run.message_ids.get(int(replied or 0))
            if tag and call.params.get("text", "").startswith("📌"):
                acked.setdefault(tag, call.time)
            markup = str(call.params.get("reply_markup", ""))
            for note_id, note_tag in notes.items():
                if f"nb:open:{note_id}'" in markup or f'nb:open:{note_id}"' in markup:
                    acked.setdefault(note_tag, call.time)
    sends = sorted(c.time for c in calls if c.method.startswith("send")
                   and str(c.params.get("chat_id")) == str(GROUP_ID) and c.ok)  # fmt: skip
    busiest = max((sum(1 for u in sends if t <= u < t + 60) for t in sends), default=0)
    refused = sum(1 for c in calls if c.error_code == 429)
    waits = [acked[tag] - sent for tag, sent in run.sent.items() if tag in acked]
    reaction_waits = [reacted[tag] - sent for tag, sent in run.sent.items() if tag in reacted]
    last = max(acked.get(tag, float("inf")) for tag in run.sent) - min(run.sent.values())
    print(
        f"\na group: 6 people, {len(run.sent)} notes in "
        f"{max(run.sent.values()) - min(run.sent.values()):.0f} s\n"
        f"  now:    stored {len(notes)}, acknowledged {len(waits)}, last at {last:.1f} s "
        f"after the first note (p95 wait {percentile(waits, 95):.1f} s; "
        f"reactions {len(reaction_waits)}, p95 {percentile(reaction_waits, 95):.2f} s); "
        f"most messages to the group in 60 s: {busiest}; 429 answers: {refused}\n"
        f"  before: {BEFORE['group']}",
        flush=True,
    )
    return last <= 30 and busiest <= 20 and refused == 0 and len(waits) == len(run.sent)


async def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else ROOT
    met = True
    with TelegramEmulator() as emu:
        emu.set_rate_limits(global_per_second=30, per_group_per_minute=20)
        if args.only in (None, "private"):
            met &= await private_chats(emu, root, args)
        if args.only in (None, "group"):
            emu.reset()
            emu.set_rate_limits(global_per_second=30, per_group_per_minute=20)
            met &= await group(emu, root, args)
    print("\ntargets " + ("met" if met else "MISSED"))
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", choices=["private", "group"])
    parser.add_argument("--root", help="run the bot from this checkout (e.g. an older commit)")
    parser.add_argument(
        "--drain", type=float, default=60.0, help="seconds to wait for the last answers"
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
