"""Admission at arrival: which fetched updates are queued for handling, which are shed.

Decided the moment an update arrives (not when its turn comes), so a flood never builds a
queue nobody can catch up with:

* each person's messages spend their allowance (`RateLimiter`: 20 at once, then 30 a minute);
* each chat holds at most `per_chat` updates waiting or being handled;
* all chats together hold about `total` — the replies the bot can send in `MAX_WAIT` seconds at
  its 28 messages a second: once it is reached, each busy chat may hold an equal share of it
  (at least one), so a crowd is served in turn instead of first come, first served; `2 × total`
  is a hard ceiling (more than `total` busy chats, one update each). Below `total` nothing is
  rationed: 50 people who each write again as soon as they see the answer are all accepted.

A shed message is answered with one polite notice per person per `notice_every` seconds
(shared with the rate limit's notices). Button presses and other updates are never shed: they
are few, and a press left unanswered looks broken.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from bot.core.limits import RateLimiter

# Telegram allows about 30 messages a second; sends are paced a little below it, because two
# sends spaced exactly 1/30 s apart can arrive closer together and be refused (429), and a
# refusal pauses all sending for a second.
MESSAGES_PER_SECOND = 28
MAX_WAIT = 3.0  # seconds a queued note may wait for its answer, at full sending speed
PER_CHAT = 10
BACKLOG_AGE = 10.0  # seconds: a message older than this on arrival waited for the bot
TOTAL = int(MESSAGES_PER_SECOND * MAX_WAIT)

RATE = "rate"  # over the person's allowance
BUSY = "busy"  # the chat's or the bot's queue is full


@dataclass(frozen=True)
class Admission:
    """`accepted`: queue the update. Otherwise `reason` says why and `notify` whether to send
    the person the notice now."""

    accepted: bool
    reason: str = ""
    notify: bool = False


ACCEPT = Admission(True)


class ArrivalGate:
    """Counts each chat's queued updates; `admit` on arrival, `finished` when handled."""

    def __init__(
        self,
        limiter: RateLimiter | None = None,
        *,
        per_chat: int = PER_CHAT,
        total: int = TOTAL,
    ) -> None:
        if per_chat < 1 or total < 1:
            raise ValueError("ArrivalGate(per_chat=10, total=84): both must be positive")
        self.limiter = limiter or RateLimiter()
        self.per_chat = per_chat
        self.total = total
        self._queued: dict[Hashable, int] = {}
        self._sum = 0
        self.opened_at = float("-inf")  # when the bot began taking updates (see `open`)

    def open(self, now: float) -> None:
        """The bot starts taking updates at `now`: anything sent earlier is a backlog."""
        self.opened_at = now

    def admit(
        self, chat_id: Hashable, user_id: Hashable | None, *, now: float, sent_at: float | None
    ) -> Admission:
        """Decides about one update of `user_id` in `chat_id` arriving at `now`: a message sent
        at `sent_at` (seconds, the clock of `now`), or — `sent_at` None — a button press or
        another update, which is always accepted and counted.

        A person's allowance is spent at the time they sent the message, so notes written
        while the bot was stopped are judged as they were typed. Such a backlog (sent before
        `opened_at`, or more than `BACKLOG_AGE` seconds before arriving) is not held to the
        queue bounds: nobody is waiting for its answer, and shedding it would punish people
        for the bot's downtime.
        """
        if sent_at is None or user_id is None:
            self._add(chat_id)
            return ACCEPT
        person = (chat_id, user_id)
        live = sent_at >= self.opened_at and now - sent_at < BACKLOG_AGE
        if live and not self._has_room(chat_id):
            verdict = self.limiter.refuse(person, sent_at)
            return Admission(False, BUSY, verdict.notify)
        verdict = self.limiter.check(person, sent_at)
        if not verdict.allowed:
            return Admission(False, RATE, verdict.notify)
        self._add(chat_id)
        return ACCEPT

    def requeued(self, chat_id: Hashable) -> None:
        """An update taken back from the inbox at start: counted, never refused."""
        self._add(chat_id)

    def finished(self, chat_id: Hashable) -> None:
        """One queued update of the chat has been handled."""
        count = self._queued.get(chat_id, 0)
        if count <= 1:
            self._queued.pop(chat_id, None)
        else:
            self._queued[chat_id] = count - 1
        self._sum = max(0, self._sum - (1 if count else 0))

    def queued(self, chat_id: Hashable | None = None) -> int:
        """Updates waiting or being handled: of one chat, or of all."""
        return self._sum if chat_id is None else self._queued.get(chat_id, 0)

    def _has_room(self, chat_id: Hashable) -> bool:
        mine = self._queued.get(chat_id, 0)
        if mine >= self.per_chat or self._sum >= 2 * self.total:
            return False
        if self._sum < self.total:  # room for everybody: no need to ration it
            return True
        busy_chats = len(self._queued) + (0 if mine else 1)
        return mine < max(1, self.total // busy_chats)

    def _add(self, chat_id: Hashable) -> None:
        self._queued[chat_id] = self._queued.get(chat_id, 0) + 1
        self._sum += 1
