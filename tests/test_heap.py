"""Freed memory goes back to the system (bot/heap.py): glibc's thresholds and malloc_trim."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import heap
from bot.heap import RELEASE_JOB, release_freed_memory, tune_allocator
from tests.harness import BotUnderTest

needs_glibc = pytest.mark.skipif(heap._glibc() is None, reason="the C library is not glibc")

# 60 MiB in 1 KiB blocks (glibc's heap, not pymalloc's arenas), then one more block on top of
# them so the heap cannot shrink from its end; the 60 MiB are freed and stay resident until
# malloc_trim gives their pages back.
FREED_INSIDE_THE_HEAP = """
import sys
from bot.heap import release_freed_memory
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
blocks = [bytearray(1024) for _ in range(60 * 1024)]
keep = [bytearray(1024) for _ in range(100)]
del blocks
before = rss()
released = release_freed_memory()
print(released, before, rss())
"""


@needs_glibc
def test_freed_pages_inside_the_heap_go_back_to_the_system():
    done = subprocess.run([sys.executable, "-c", FREED_INSIDE_THE_HEAP], capture_output=True,
                          text=True, check=True)
    released, before, after = done.stdout.split()
    assert released == "True"
    assert float(before) - float(after) > 40, done.stdout


@needs_glibc
def test_the_allocator_takes_the_fixed_thresholds_and_keeps_working():
    assert tune_allocator() is True
    text = "".join(str(number) for number in range(200_000))  # large blocks, now mapped apart
    assert release_freed_memory() in (True, False)  # nothing to give back is not an error
    assert len(text) > 1_000_000


def test_elsewhere_than_glibc_nothing_happens(monkeypatch):
    monkeypatch.setattr(heap, "_glibc", lambda: None)
    assert tune_allocator() is False
    assert release_freed_memory() is False


@pytest.mark.parametrize("refusal", [OSError, AttributeError, TypeError])
def test_a_c_library_that_cannot_be_opened_or_lacks_malloc_trim_is_no_glibc(
    monkeypatch, refusal
):
    """CDLL(None) raises TypeError on Windows, OSError where dlopen fails; other C libraries
    have no malloc_trim (AttributeError). Each means: not glibc, nothing to tune."""

    def refuse(name):
        raise refusal("no C library here")

    monkeypatch.setattr(heap.ctypes, "CDLL", refuse)
    heap._glibc.cache_clear()
    try:
        assert heap._glibc() is None
    finally:
        heap._glibc.cache_clear()


async def test_the_bot_releases_memory_every_minute(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        (job,) = bot.app.job_queue.get_jobs_by_name(RELEASE_JOB)
        await job.run(bot.app)  # runs in a thread and returns
        assert job.job.trigger.interval.total_seconds() == heap.RELEASE_INTERVAL
