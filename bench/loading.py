"""The event loop while the classifier loads in its background thread (`start_loading`, as
`journeybot run` does once the first answers are out): how long it waited, how long the loading
took, and which single C calls of the loading thread were long — a C call that does not release
the GIL cannot be interrupted by the switch interval, so it holds the event loop for its whole
length.

    python bench/loading.py [--runs 3] [--root OTHER_CHECKOUT] [--calls]

Each run is a fresh process (the classifier loads once per process). Printed per run: when the
classifier was ready (wall) and the process's CPU; the loop's lag p99 and max (probe every
5 ms); the part of each lag the loading thread spent on a CPU meanwhile — an upper bound on what
it held the GIL for; the rest was the machine's load (waiting for a core) — and, with --calls,
the loading thread's C calls over 15 ms of its own CPU time (a profiler slows the loading).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 0.005  # s between two looks of the lag probe
LONG_CALL_MS = 15.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def watch_c_calls(found: list[tuple[float, str, str]]) -> None:
    """A profiler for this thread: C calls that ran no Python code inside and used more than
    LONG_CALL_MS of this thread's CPU."""
    stack: list[list] = []

    def profile(frame, event, arg):
        if event == "c_call":
            stack.append([time.thread_time(), arg, f"{frame.f_code.co_filename}:{frame.f_lineno}",
                          True])
        elif event == "call":
            for entry in stack:  # Python code ran inside: not one uninterruptible call
                entry[3] = False
        elif event in ("c_return", "c_exception") and stack:
            started, fn, where, leaf = stack.pop()
            spent = (time.thread_time() - started) * 1000
            if leaf and spent > LONG_CALL_MS:
                found.append((spent, getattr(fn, "__qualname__", str(fn)), where))

    sys.setprofile(profile)


async def one_run(calls: bool) -> None:
    import bot.classifier as classifier

    found: list[tuple[float, str, str]] = []
    if calls:
        load = classifier._load

        def profiled_load() -> None:
            watch_c_calls(found)
            load()

        classifier._load = profiled_load
    started, cpu = time.perf_counter(), time.process_time()
    classifier.start_loading()
    loader = time.pthread_getcpuclockid(classifier._loader.ident)
    lags, loader_cpu = [], []
    while not classifier._ready.is_set():
        asked = time.perf_counter()
        try:
            before = time.clock_gettime(loader)
        except OSError:  # the thread has just ended
            break
        await asyncio.sleep(INTERVAL)
        lags.append(max((time.perf_counter() - asked - INTERVAL) * 1000, 0.0))
        try:
            loader_cpu.append(min(lags[-1], (time.clock_gettime(loader) - before) * 1000))
        except OSError:
            loader_cpu.append(0.0)
    await classifier.classifier_ready()
    ready = (time.perf_counter() - started) * 1000
    print(f"ready_ms={ready:.0f} cpu_ms={(time.process_time() - cpu) * 1000:.0f} "
          f"lag_p99_ms={percentile(lags, 99):.1f} lag_max_ms={max(lags, default=0):.1f} "
          f"loader_cpu_in_lag_p99_ms={percentile(loader_cpu, 99):.1f} "
          f"loader_cpu_in_lag_max_ms={max(loader_cpu, default=0):.1f} "
          f"load={os.getloadavg()[0]:.1f}", flush=True)
    for spent, name, where in sorted(found, reverse=True)[:10]:
        print(f"  long C call: {spent:.1f} ms CPU  {name}  ({where})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", default=str(ROOT), help="checkout whose classifier loads")
    parser.add_argument("--calls", action="store_true", help="list the long C calls")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a child run
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, args.root)
        asyncio.run(one_run(args.calls))
        return 0
    for _ in range(args.runs):
        command = [sys.executable, __file__, "--one", "--root", args.root]
        subprocess.run(command + (["--calls"] if args.calls else []), check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
