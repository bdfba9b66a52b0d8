"""Per-user flood protection: a token bucket per (chat, user), the clock passed in.

A user may send `burst` messages at once and then `per_minute` a minute. Beyond that their
messages are dropped (not stored, not answered) and they get one "slow down" notice, at most
once per `notice_every` seconds however long the flood lasts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass

BURST = 20
PER_MINUTE = 30
NOTICE_EVERY = 60.0
MAX_TRACKED = 10_000


@dataclass(frozen=True)
class Verdict:
    """`allowed`: handle the message. Otherwise `notify` says whether to send the notice now."""

    allowed: bool
    notify: bool = False


ALLOW = Verdict(True)


@dataclass
class _Bucket:
    tokens: float
    updated_at: float
    noticed_at: float | None = None


class RateLimiter:
    """Token buckets keyed by anything hashable, e.g. `(chat_id, user_id)`."""

    def __init__(
        self,
        *,
        burst: int = BURST,
        per_minute: float = PER_MINUTE,
        notice_every: float = NOTICE_EVERY,
        max_tracked: int = MAX_TRACKED,
    ) -> None:
        if burst < 1 or per_minute <= 0:
            raise ValueError("RateLimiter(burst=20, per_minute=30): both must be positive")
        self.burst = burst
        self.per_minute = per_minute
        self.notice_every = notice_every
        self.max_tracked = max_tracked
        self._buckets: dict[Hashable, _Bucket] = {}

    def check(self, key: Hashable, now: float) -> Verdict:
        """Spends one token of `key`'s bucket at time `now` (seconds, any monotonic clock)."""
        bucket = self._bucket(key, now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return ALLOW
        return self._refusal(bucket, now)

    def refuse(self, key: Hashable, now: float) -> Verdict:
        """A message of `key` refused for another reason (a full queue), without spending a
        token: the notice shares `check`'s clock, so a person hears at most one a while."""
        return self._refusal(self._bucket(key, now), now)

    def _bucket(self, key: Hashable, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_tracked:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        elapsed = max(0.0, now - bucket.updated_at)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.per_minute / 60)
        bucket.updated_at = now
        return bucket

    def _refusal(self, bucket: _Bucket, now: float) -> Verdict:
        if bucket.noticed_at is None or now - bucket.noticed_at >= self.notice_every:
            bucket.noticed_at = now
            return Verdict(False, notify=True)
        return Verdict(False)

    def _forget_idle(self, now: float) -> None:
        """Drops buckets that have refilled completely: they hold nothing worth keeping."""
        full_after = self.burst * 60 / self.per_minute
        for key in [k for k, b in self._buckets.items() if now - b.updated_at >= full_after]:
            del self._buckets[key]
        if len(self._buckets) >= self.max_tracked:  # all busy: forget the oldest half
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k].updated_at)
            for key in oldest[: len(oldest) // 2]:
                del self._buckets[key]


class SlidingWindow:
    """At most `limit` events in any `period` seconds (Telegram's "20 messages a minute in a
    group" read strictly: a burst never borrows from the next minute)."""

    def __init__(self, limit: int, period: float) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("SlidingWindow(limit=20, period=60): both must be positive")
        self.limit = limit
        self.period = period
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds from `now` until one more event fits (0: it fits now)."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.period - now

    def record(self, now: float) -> None:
        """One event at `now` (call when `wait(now)` is 0)."""
        self._times.append(now)

    def count(self, now: float) -> int:
        """Events in the window ending at `now`."""
        self.wait(now)
        return len(self._times)
