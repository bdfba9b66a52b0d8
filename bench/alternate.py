"""Old against new: journeybot's closed-loop throughput run (the throughput scenario of
bench/latency.py: flood limits off, each user's next note as soon as the last is answered),
from this checkout and from another one, alternately against one emulator, so that both see
the same machine load. Prints each run's CPU a note, then the medians.

    git worktree add --detach /tmp/journeybot-old main
    python bench/alternate.py /tmp/journeybot-old [--runs 6] [--users 50] [--burst 20]
    python bench/alternate.py . --new-env JOURNEYBOT_EVENT_LOOP=uvloop  # one checkout, 2 settings

Both bots run with this checkout's Python environment. On the shared 2-core machine one run's
CPU a note swings by ±0.5 ms at load 10–20: compare medians of many alternating runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.latency import measure  # noqa: E402
from tests.emulator import TelegramEmulator  # noqa: E402


async def alternate(args: argparse.Namespace) -> None:
    sides = {"new": ROOT, "old": Path(args.old).resolve()}
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    new_env = dict(pair.split("=", 1) for pair in args.new_env)
    settings = argparse.Namespace(users=args.users, seconds=15.0, think=2.5, seed=7,
                                  burst=args.burst, bot_log=None)
    with TelegramEmulator() as emu:
        for run in range(args.runs):
            for offset, (side, root) in enumerate(sides.items()):
                emu.reset()
                first_user = 100_000 * (10 + 2 * run + offset)
                saved = {name: os.environ.get(name) for name in new_env}
                if side == "new":  # the bot process inherits them
                    os.environ.update(new_env)
                try:
                    result = await measure("journeybot", emu, settings, False, first_user,
                                           args.burst, root=root)
                finally:
                    for name, value in saved.items():
                        if value is None:
                            os.environ.pop(name, None)
                        else:
                            os.environ[name] = value
                cpu[side].append(result.cpu_ms_per_note)
                print(f"{side} run {run + 1} {time.strftime('%H:%M:%S')}: "
                      f"{result.cpu_ms_per_note:.2f} ms CPU a note, "
                      f"{result.replies}/{result.sent} answered, "
                      f"{result.replies / result.seconds:.1f} notes/s, "
                      f"load {result.load[0]:.1f} → {result.load[1]:.1f}", flush=True)
    for side, figures in cpu.items():
        print(f"{side}: median {statistics.median(figures):.2f} ms CPU a note "
              f"({min(figures):.2f}–{max(figures):.2f}, {len(figures)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the other checkout (a git worktree of the old commit)")
    parser.add_argument("--runs", type=int, default=6, help="runs of each bot")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--burst", type=int, default=20, help="notes each user sends")
    parser.add_argument("--new-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the new side's bot only (repeatable)")
    asyncio.run(alternate(parser.parse_args()))


if __name__ == "__main__":
    main()
