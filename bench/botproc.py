"""Running `journeybot run` (or any bot process) against the Bot API emulator, for benchmarks:
start it, wait for it, read its memory from /proc, stop it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH-token"


def journeybot_command(base_url: str, db_path: str | Path, *, rate_limit: bool = True) -> list[str]:
    """`journeybot run` on `db_path` against the emulator at `base_url`."""
    command = [sys.executable, "-m", "bot.cli", "run", "--db", str(db_path), "--base-url", base_url]
    return command + ([] if rate_limit else ["--no-rate-limit"])


def start_process(command: list[str], *, root: Path = ROOT, log=None) -> subprocess.Popen:
    """Starts a bot process from checkout `root` with the bench token; its output goes to
    `log` (a file) or nowhere."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONPATH": str(root)}
    out = log if log is not None else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=out)


def start_bot(base_url: str, db_path: str | Path, *, root: Path = ROOT, rate_limit: bool = True,
              log=None) -> subprocess.Popen:
    """Starts `journeybot run` against the emulator at `base_url`."""
    return start_process(journeybot_command(base_url, db_path, rate_limit=rate_limit), root=root,
                         log=log)


def stop_bot(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, as a deployment stops the bot; SIGKILL when it has not ended after `timeout` s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def status_mib(pid: int | str, field: str) -> float:
    """A /proc/<pid>/status field in MiB (VmRSS: resident now, VmHWM: the peak so far)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_ms(pid: int | str) -> float:
    """The CPU time (user + system) a process has used so far, in ms (/proc, 10 ms steps)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def wait_until(predicate, timeout: float, what: str, poll: float = 0.05) -> None:
    """Polls `predicate` every `poll` s; TimeoutError(what) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(poll)
