"""Latency benchmark: N users sending notes through the Bot API emulator, journeybot beside a
bare python-telegram-bot echo bot on the same emulator. Prints reply latency (p50/p95/p99),
throughput and each bot's peak RSS (each bot runs in its own process: VmHWM from /proc).

    python bench/latency.py [--users 50] [--seconds 15] [--think 2.5]

Every user writes a note, thinks for 0.4–1.6 × --think seconds (open loop: they do not wait
for the answer), and writes the next. Latency is the time from the user's message to the
bot's sendMessage arriving at the emulator. Two scenarios: both bots pacing their sends to
Telegram's flood limits (AIORateLimiter, 30 messages/s, as `journeybot run` does), and both
without (`--only unlimited`), which shows the bots' own processing cost. A third scenario
measures throughput: with pacing off, each user sends `--burst` notes, the next as soon as the
previous one is answered (so no overload limit bites), and the bots answer as fast as they can
(notes answered per second). `--no-rate-limit` runs the two unpaced scenarios only.
The exit status is 1 when journeybot misses
a target: p95 ≤ 1.3 × the echo bot's as deployed (with pacing), or unpaced throughput ≥ 0.8 ×
the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botproc import (  # noqa: E402
    TOKEN,
    journeybot_command,
    start_process,
    status_mib,
    stop_bot,
    wait_until,
)
from tests.emulator import TelegramEmulator  # noqa: E402
from tests.emulator.models import User  # noqa: E402

TARGET = 1.3  # journeybot's p95 may be at most this many times the echo bot's
THROUGHPUT_TARGET = 0.8  # unpaced, journeybot answers at least this share of the echo bot's rate
NOTES = [
    "The delivery took nine days and nobody told us",
    "Checkout asked for my address twice",
    "Kurier spóźnił się dwa dni",
    "Płatność BLIK nie przeszła za pierwszym razem",
    "Не зміг знайти таблицю розмірів",
    "Доставката закъсня с три дни",
    "Loved the free samples in the parcel",
    "Could not find the return policy anywhere",
]


# --- the echo bot: bare python-telegram-bot --------------------------------------------------


def serve_echo(base_url: str, rate_limit: bool) -> None:
    """A bare PTB echo bot (long polling), optionally with the same AIORateLimiter settings."""
    from telegram import Update
    from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters

    async def echo(update: Update, _context) -> None:
        await update.message.reply_text(update.message.text)

    builder = ApplicationBuilder().token(TOKEN).base_url(base_url)
    if rate_limit:
        builder = builder.rate_limiter(
            AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 30, group_max_rate=20,
                           group_time_period=60, max_retries=5)
        )
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=["message"])


# --- running a bot and its users ------------------------------------------------------------


@dataclass
class Result:
    bot: str
    users: int
    sent: int
    replies: int
    latencies: list[float]
    seconds: float
    peak_rss_mib: float
    cpu_seconds: float = float("nan")  # the bot process's CPU time (user + system) while measured
    harness_cpu_seconds: float = float("nan")  # this process's: the emulator and the users
    notices: int = 0  # answers that say a note was not taken (shed on arrival)
    api_calls: dict[str, int] = field(default_factory=dict)  # Bot API calls while measured
    load: tuple[float, float] = (float("nan"), float("nan"))  # load average at start and end

    @property
    def cpu_ms_per_note(self) -> float:
        return self.cpu_seconds * 1000 / self.replies if self.replies else float("nan")

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def bot_command(kind: str, emu: TelegramEmulator, folder: str, rate_limit: bool) -> list[str]:
    if kind == "echo":
        return [sys.executable, __file__, "--serve-echo", emu.base_url] + (
            [] if rate_limit else ["--no-rate-limit"])
    return journeybot_command(emu.base_url, f"{folder}/bench.db", rate_limit=rate_limit)


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, user + system (Linux: /proc/PID/stat fields 14 and 15).
    Unlike wall time, it hardly grows when other jobs share the machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def replies_to(emu: TelegramEmulator, chat_ids: set[int]) -> dict[int, list[float]]:
    times: dict[int, list[float]] = {chat_id: [] for chat_id in chat_ids}
    for call in emu.calls("sendMessage"):
        chat_id = int(call.params.get("chat_id", 0))
        if call.ok and chat_id in times:
            times[chat_id].append(call.time)
    return times


async def measure(kind: str, emu: TelegramEmulator, args: argparse.Namespace,
                  rate_limit: bool, first_user: int, burst: int = 0, root: Path = ROOT) -> Result:
    """One bot's run; `root`: the checkout the bot runs from (bench/alternate.py)."""
    users = [User(first_user + i, f"User{i}", language_code="en") for i in range(args.users)]
    chat_ids = {u.id for u in users}
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        started = time.time()
        log = open(f"{args.bot_log}.{kind}", "a") if args.bot_log else None  # noqa: SIM115
        process = start_process(bot_command(kind, emu, folder, rate_limit), root=root, log=log)
        try:
            await wait_until(lambda: any(c.time >= started for c in emu.calls("deleteWebhook")),
                             120, f"{kind} starting")
            # warm-up: one note each (journeybot creates each chat's first map here)
            for user in users:
                emu.send_message(user.id, "Warming up: first note", user=user)
            await wait_until(lambda: all(replies_to(emu, chat_ids).values()), 60, "warm-up")
            await asyncio.sleep(1.0)
            warm = {c: len(v) for c, v in replies_to(emu, chat_ids).items()}
            cpu_before, harness_before = cpu_seconds(process.pid), time.process_time()
            load_before = os.getloadavg()[0]
            sent: dict[int, list[float]] = {u.id: [] for u in users}
            answers = dict(warm)  # sendMessage calls per chat, warm-up included
            notices = 0  # journeybot's "⏳ not taken" notices: a note shed, not answered
            answered_now = {u.id: asyncio.Event() for u in users}
            loop = asyncio.get_running_loop()
            seen, scan_due = len(emu.calls()), False
            first_call = seen

            def scan() -> None:  # new calls only, on the emulator's signal: no polling
                nonlocal seen, scan_due, notices
                scan_due = False
                with emu.state.lock:
                    calls = emu.state.calls[seen:]
                seen += len(calls)
                for call in calls:
                    chat_id = int(call.params.get("chat_id", 0) or 0)
                    if call.method == "sendMessage" and call.ok and chat_id in answered_now:
                        answers[chat_id] = answers.get(chat_id, 0) + 1
                        notices += str(call.params.get("text", "")).startswith("⏳")
                        answered_now[chat_id].set()

            def on_change() -> None:  # the emulator's thread (or ours): one scan per batch
                nonlocal scan_due
                if not scan_due:
                    scan_due = True
                    with contextlib.suppress(RuntimeError):  # the loop is closed
                        loop.call_soon_threadsafe(scan)

            async def answered_by(user: User, count: int, timeout: float) -> bool:
                deadline = loop.time() + timeout
                while answers.get(user.id, 0) < count:
                    answered_now[user.id].clear()
                    try:
                        await asyncio.wait_for(answered_now[user.id].wait(),
                                               deadline - loop.time())
                    except TimeoutError:
                        return False
                return True

            async def user_loop(user: User, user_rng: random.Random) -> None:
                if burst:  # throughput: each user sends the next note as soon as one is answered
                    for number in range(burst):  # (≤ 1 waiting per chat: no overload limit bites)
                        sent[user.id].append(time.time())
                        emu.send_message(user.id, user_rng.choice(NOTES), user=user)
                        # a lost answer shows in the table
                        if not await answered_by(user, warm[user.id] + number + 1, 60):
                            return
                    return
                await asyncio.sleep(user_rng.uniform(0, args.think))
                while time.time() < stop_at:
                    sent[user.id].append(time.time())
                    emu.send_message(user.id, user_rng.choice(NOTES), user=user)
                    await asyncio.sleep(user_rng.uniform(0.4, 1.6) * args.think)

            with emu.state.lock:
                emu.state.listeners.append(on_change)
            scan()
            begin = time.time()
            stop_at = begin + args.seconds
            try:
                await asyncio.gather(*(user_loop(u, random.Random(rng.random())) for u in users))
                total = sum(len(v) for v in sent.values())
                await asyncio.gather(*(answered_by(u, warm[u.id] + len(sent[u.id]), 120)
                                       for u in users))  # a lost reply shows in the table
            finally:
                with emu.state.lock:
                    emu.state.listeners.remove(on_change)
            scan()
            rss = status_mib(process.pid, "VmHWM")
            cpu = cpu_seconds(process.pid) - cpu_before
            harness_cpu = time.process_time() - harness_before
            with emu.state.lock:
                methods = Counter(c.method for c in emu.state.calls[first_call:])
            load = (load_before, os.getloadavg()[0])
        finally:
            stop_bot(process, timeout=20)
    latencies, last_reply = [], begin
    for chat_id, times in replies_to(emu, chat_ids).items():
        answers = times[warm[chat_id]:]
        last_reply = max([last_reply, *answers])
        latencies += [answer - asked for asked, answer in zip(sent[chat_id], answers,
                                                               strict=False)]
    return Result(kind, args.users, total, len(latencies), latencies, last_reply - begin, rss,
                  cpu, harness_cpu, notices, dict(methods), load)


def throughput_table(results: list[Result], title: str) -> tuple[str, bool]:
    lines = [title, f"{'bot':<11} {'notes':>6} {'answered':>8} {'seconds':>8} {'notes/s':>8} "
             f"{'CPU ms/note':>11} {'emulator':>8} {'peak RSS':>9}"]
    for r in results:
        lines.append(f"{r.bot:<11} {r.sent:>6} {r.replies:>8} {r.seconds:>8.2f} "
                     f"{r.replies / r.seconds:>8.1f} {r.cpu_ms_per_note:>11.2f} "
                     f"{r.harness_cpu_seconds * 1000 / max(r.replies, 1):>8.2f} "
                     f"{r.peak_rss_mib:>6.0f} MiB")
    for r in results:
        per_note = ", ".join(f"{method} {count / max(r.replies, 1):.2f}"
                             for method, count in sorted(r.api_calls.items()))
        lines.append(f"{r.bot}: Bot API calls per note: {per_note}; notes shed (answered with a "
                     f"notice): {r.notices}; load average {r.load[0]:.1f} → {r.load[1]:.1f}")
    echo, journeybot = results
    ratio = (journeybot.replies / journeybot.seconds) / (echo.replies / echo.seconds)
    met = (ratio >= THROUGHPUT_TARGET and journeybot.replies == journeybot.sent
           and not journeybot.notices)
    lines.append(f"journeybot notes/s / echo notes/s = {ratio:.2f} "
                 f"(target ≥ {THROUGHPUT_TARGET}: {'met' if met else 'MISSED'})")
    # CPU per note hardly depends on what else the machine runs: the same ratio, load-proof
    cpu_ratio = echo.cpu_ms_per_note / journeybot.cpu_ms_per_note
    lines.append(f"echo CPU per note / journeybot CPU per note = {cpu_ratio:.2f} "
                 f"(the same target by CPU time; load average {os.getloadavg()[0]:.1f})")
    return "\n".join(lines), met


def table(results: list[Result], title: str) -> str:
    lines = [title, f"{'bot':<11} {'users':>5} {'notes':>6} {'answered':>8} {'p50 ms':>7} "
             f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'replies/s':>9} {'peak RSS':>9}"]
    for r in results:
        lines.append(
            f"{r.bot:<11} {r.users:>5} {r.sent:>6} {r.replies:>8} {r.percentile(50):>7.1f} "
            f"{r.percentile(95):>7.1f} {r.percentile(99):>7.1f} "
            f"{max(r.latencies) * 1000:>7.1f} {r.replies / r.seconds:>9.1f} "
            f"{r.peak_rss_mib:>6.0f} MiB"
        )
    echo, journeybot = results
    ratio = journeybot.percentile(95) / echo.percentile(95)
    verdict = "met" if ratio <= TARGET else "MISSED"
    lines.append(f"journeybot p95 / echo p95 = {ratio:.2f} (target ≤ {TARGET}: {verdict})")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> int:
    scenarios = [("Telegram flood limits on (AIORateLimiter 30 msg/s, as deployed)", True),
                 ("flood limits off (--no-rate-limit): the bots' own cost", False)]
    if args.only:
        scenarios = [s for s in scenarios if args.only != "throughput"
                     and s[1] == (args.only == "limited")]
    elif args.no_rate_limit:  # the scenarios without pacing: open loop and throughput
        scenarios = [s for s in scenarios if not s[1]]
    ratios_met = True
    with TelegramEmulator() as emu:
        if args.only in (None, "throughput") and args.burst:
            results = []
            for offset, kind in enumerate(("echo", "journeybot")):
                emu.reset()
                first_user = 100_000 * (10 + offset)
                results.append(await measure(kind, emu, args, False, first_user, args.burst))
            text, met = throughput_table(
                results, f"\nthroughput, flood limits off: {args.users} users send {args.burst} "
                         "notes each, the next as soon as one is answered")
            print(text, flush=True)
            ratios_met &= met
        for number, (title, rate_limit) in enumerate(scenarios):
            results = []
            for offset, kind in enumerate(("echo", "journeybot")):
                emu.reset()
                first_user = 100_000 * (1 + 2 * number + offset)
                results.append(await measure(kind, emu, args, rate_limit, first_user))
            print(table(results, f"\n{title}; {args.users} users, {args.seconds:.0f} s, "
                                 f"a note every ~{args.think:g} s each"), flush=True)
            echo, journeybot = results
            if rate_limit:  # the target is for the bot as deployed; unpaced is for profiling
                ratios_met &= journeybot.percentile(95) <= TARGET * echo.percentile(95)
    return 0 if ratios_met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--think", type=float, default=2.5, help="mean seconds between notes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["limited", "unlimited", "throughput"])
    parser.add_argument("--burst", type=int, default=20,
                        help="notes each user sends in the throughput scenario (0: skip; past "
                             "20 a person's allowance sheds some: 20 at once, then 30 a minute)")
    parser.add_argument("--bot-log", metavar="PATH", help="append each bot's output to PATH.<bot>")
    parser.add_argument("--serve-echo", metavar="BASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--no-rate-limit", action="store_true",
                        help="only the scenarios without pacing (the bots' own cost, throughput)")
    args = parser.parse_args()
    if args.serve_echo:
        serve_echo(args.serve_echo, rate_limit=not args.no_rate_limit)
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
