"""The event loop `journeybot run` uses: asyncio's own, or uvloop when asked for.

`JOURNEYBOT_EVENT_LOOP=uvloop` runs the bot on uvloop (libuv, in C; `pip install uvloop`;
python-telegram-bot, httpx and uvicorn run on it unchanged). It is not the default: on this
2-core machine it did not lower the CPU time of a note (bench/latency.py --only throughput,
docs/scaling.md) — a note's cost is the classifier, SQLite, python-telegram-bot's objects and
the socket writes themselves, not the loop's bookkeeping. Asked for where it is not installed
(or on Windows, which it does not support), the bot says so and runs on asyncio's loop.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os

log = logging.getLogger(__name__)

ASYNCIO, UVLOOP = "asyncio", "uvloop"
ENV = "JOURNEYBOT_EVENT_LOOP"


def choose_event_loop(wanted: str | None = None) -> str:
    """Makes new event loops uvloop's or asyncio's (`wanted`; None: the environment's choice,
    asyncio by default); returns the loop in use from now on."""
    wanted = (wanted or os.environ.get(ENV) or ASYNCIO).strip().lower()
    if wanted not in (ASYNCIO, UVLOOP):
        raise ValueError(f"{ENV}={wanted!r}: use {ASYNCIO} (the default) or {UVLOOP}")
    if wanted == UVLOOP:
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError:
            log.warning("uvloop is not installed (pip install uvloop): running on asyncio's loop")
        else:
            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
            return UVLOOP
    asyncio.set_event_loop_policy(None)  # asyncio's default
    return ASYNCIO


def running_loop_name() -> str:
    """"uvloop" or "asyncio": the loop this coroutine runs on."""
    return UVLOOP if type(asyncio.get_running_loop()).__module__.startswith(UVLOOP) else ASYNCIO
