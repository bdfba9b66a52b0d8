"""How late the event loop runs a timer: the time every chat waits behind blocking work.

`LoopLagProbe` sleeps `interval` seconds over and over and records how much later than asked
it woke up. A loop that nobody blocks wakes within a millisecond; a handler that computes for
200 ms without awaiting shows as a 200 ms lag. `journeybot run` keeps one running and logs a
warning for every lag above `WARN_MS` (with the lag); the scale benchmark and the tests read
its percentiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

log = logging.getLogger(__name__)

WARN_MS = 50.0


class LoopLagProbe:
    """Measures the event loop's lag while it runs (`start()` … `await stop()`)."""

    def __init__(self, interval: float = 0.01, *, warn_ms: float | None = None) -> None:
        self.interval = interval
        self.warn_ms = warn_ms
        self.lags_ms: list[float] = []
        self._task: asyncio.Task | None = None

    def start(self) -> LoopLagProbe:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="loop-lag-probe")
        return self

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def __aenter__(self) -> LoopLagProbe:
        return self.start()

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()

    async def _run(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(self.interval)
            lag = (time.perf_counter() - asked - self.interval) * 1000
            self.lags_ms.append(max(lag, 0.0))
            if self.warn_ms is not None and lag > self.warn_ms:
                log.warning("event loop blocked", extra={"lag_ms": round(lag, 1)})
            if len(self.lags_ms) > 100_000:  # a long-running bot keeps the recent past only
                del self.lags_ms[:50_000]

    def percentile(self, p: float) -> float:
        """The `p`-th percentile of the lags so far, in milliseconds (0 before any sample)."""
        if not self.lags_ms:
            return 0.0
        ordered = sorted(self.lags_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def max_ms(self) -> float:
        return max(self.lags_ms, default=0.0)
