"""Gives the operating system back the memory the process has freed (glibc's allocator).

glibc keeps freed memory for later allocations, and by default decides how much by what the
program did so far: once a large block (spaCy's and numpy's loading make many) is freed, it
raises its thresholds for mapping large blocks apart and for trimming the heap's top up to
32 and 64 MiB. A process that loaded four pipelines then keeps tens of MiB it no longer uses.

* `tune_allocator()` (at start, before anything is loaded) fixes both thresholds: blocks of
  256 KiB and more are mapped apart and unmapped when freed, and more than 1 MiB free at the
  heap's top is given back.
* `release_freed_memory()` (`malloc_trim(0)`) gives back the free pages inside the heap too;
  the bot calls it once the classifier is loaded and then every minute, in a thread
  (`start_release_job`; it takes 0.3–15 ms and holds the allocator's lock, not the GIL).

Both do nothing, and say so by returning False, where the C library is not glibc (musl,
macOS): memory is then as the platform's allocator leaves it.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telegram.ext import Application, ContextTypes

MMAP_THRESHOLD = 256 * 1024  # bytes: larger blocks are mapped apart, returned when freed
TRIM_THRESHOLD = 1024 * 1024  # bytes free at the heap's top before they are given back
RELEASE_INTERVAL = 60.0  # seconds between two releases in the bot
RELEASE_JOB = "heap:release"

_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has malloc_trim and mallopt), else None. It is
    found among the symbols the process already has (`CDLL(None)`): `ctypes.util.find_library`
    runs `ldconfig -p` in a child process, 18–29 ms before the first answer (issue 14)."""
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim, libc.mallopt  # noqa: B018  (AttributeError on other C libraries)
    except (OSError, AttributeError, TypeError):  # TypeError: CDLL(None) on Windows
        return None
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    return libc


def tune_allocator() -> bool:
    """Fixes glibc's mmap and trim thresholds (see the module docstring); True when set."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release_freed_memory() -> bool:
    """Gives the free pages of the heap back to the system (`malloc_trim(0)`); True when
    glibc did (it returns 0 when there was nothing to give back)."""
    libc = _glibc()
    return libc is not None and libc.malloc_trim(0) == 1


async def release_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's job: `release_freed_memory` in a worker thread."""
    await asyncio.to_thread(release_freed_memory)


def start_release_job(app: Application) -> None:
    """Gives freed memory back every RELEASE_INTERVAL seconds (one run at a time)."""
    from bot.jobs import run_alone_every  # telegram: not for bot.classifier's other users

    run_alone_every(app, release_job, interval=RELEASE_INTERVAL, first=RELEASE_INTERVAL,
                    name=RELEASE_JOB)
