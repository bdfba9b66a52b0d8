"""Pacing what the bot sends to Telegram's flood limits.

Telegram allows about 30 messages a second overall and 20 a minute in a group. PTB's
AIORateLimiter paces every request that names a chat, edits and reactions included, and its
per-group bucket lets up to 39 messages through in a minute that starts with a full bucket.
`TelegramPacing` keeps its overall pacing and its RetryAfter handling, and instead:

* counts only messages (`MESSAGE_METHODS`) against the limits: editing a message, reacting to
  one, answering a button or looking up a member is not a message;
* holds each group to at most `group_limit` messages in ANY `group_period` seconds
  (bot/core/limits.py `SlidingWindow`), waiting for a slot in the order messages were sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

from bot.core.limits import SlidingWindow

MESSAGE_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendAnimation",
        "sendVoice", "sendVideoNote", "sendSticker", "sendMediaGroup", "sendLocation",
        "sendVenue", "sendContact", "sendPoll", "sendDice", "copyMessage", "copyMessages",
        "forwardMessage", "forwardMessages",
    }
)  # fmt: skip
GROUP_LIMIT = 20
GROUP_PERIOD = 60.0
MAX_TRACKED_GROUPS = 10_000


def is_group_chat(chat_id: object) -> bool:
    """Negative ids are groups and channels; an @username names a public group or channel."""
    if isinstance(chat_id, str):
        return chat_id.startswith(("@", "-"))
    return isinstance(chat_id, int) and chat_id < 0


class TelegramPacing(AIORateLimiter):
    """AIORateLimiter, messages only, with a strict per-group window (see the module)."""

    def __init__(
        self,
        *,
        messages_per_second: float = 30,
        group_limit: int = GROUP_LIMIT,
        group_period: float = GROUP_PERIOD,
        max_retries: int = 5,
    ) -> None:
        # One message per 1/30 s: sends go out evenly spaced instead of in bursts (a bucket of
        # 30 would let up to 60 through in the second after a pause, and Telegram answers 429).
        super().__init__(
            overall_max_rate=1,
            overall_time_period=1 / messages_per_second,
            group_max_rate=0,  # groups: our own window below
            max_retries=max_retries,
        )
        self.group_limit = group_limit
        self.group_period = group_period
        self._windows: dict[object, tuple[SlidingWindow, asyncio.Lock]] = {}

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if endpoint not in MESSAGE_METHODS:  # not a message: not paced (RetryAfter still is)
            data = {key: value for key, value in data.items() if key != "chat_id"}
        elif is_group_chat(chat_id):
            await self._group_slot(chat_id)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )

    async def _group_slot(self, chat_id: object) -> None:
        """Waits until the group's window has room for one more message, and takes it."""
        key = str(chat_id)
        if key not in self._windows and len(self._windows) >= MAX_TRACKED_GROUPS:
            now = time.monotonic()
            for idle in [k for k, (w, lock) in self._windows.items() if not w.count(now)]:
                del self._windows[idle]
        if key not in self._windows:
            self._windows[key] = (
                SlidingWindow(self.group_limit, self.group_period),
                asyncio.Lock(),
            )
        window, lock = self._windows[key]
        async with lock:  # first come, first served within a group
            while (pause := window.wait(time.monotonic())) > 0:
                await asyncio.sleep(pause)
            window.record(time.monotonic())


OUTBOX_PER_SECOND = 20  # queued messages a second: 2/3 of Telegram's ~30, the rest for answers
CHAT_INTERVAL = 1.0  # seconds between two queued messages to one chat (Telegram: ~1 a second)
OUTBOX_SENDERS = 4  # queued messages prepared and in flight at once
OUTBOX_GROUP_LIMIT = 15  # queued messages a group gets in any GROUP_PERIOD: 5 of Telegram's 20
# stay for answers to the team


def retry_seconds(error: object) -> float:
    """A RetryAfter's wait in seconds (PTB gives an int or a timedelta)."""
    wait = getattr(error, "retry_after", 1)
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)


class OutboxPacer:
    """The pace of everything the bot sends on its own (review reminders, check-in questions,
    digests, due-date reminders: the outbox, bot/reminders.py) — independent of, and below,
    the request pacing above, so that answers to people always find room:

    * at most `per_second` queued messages a second, evenly spaced (20 of Telegram's ~30: an
      answer waits behind at most the few queued messages already handed to the request
      pacing, instead of behind a backlog of thousands);
    * at most one queued message a `chat_interval` to any one chat, in the outbox's order (the
      delivery loop keeps one message of a chat in flight at a time);
    * at most `group_limit` queued messages to a group in any `group_period` seconds, whatever
      their kind (reminders, check-ins, digests, due-date reminders): a group whose outbox holds
      more waits for its window here, holding no sender, instead of in the request pacing's
      group window, where every answer to that team would queue behind it for up to a minute;
    * after a RetryAfter (flood control), nothing queued goes out until it has passed.
    """

    def __init__(self, *, per_second: float = OUTBOX_PER_SECOND,
                 chat_interval: float = CHAT_INTERVAL, senders: int = OUTBOX_SENDERS,
                 group_limit: int = OUTBOX_GROUP_LIMIT,
                 group_period: float = GROUP_PERIOD) -> None:
        self.spacing = 1 / per_second
        self.chat_interval = chat_interval
        self.senders = senders
        self.group_limit, self.group_period = group_limit, group_period
        self._groups: dict[object, SlidingWindow] = {}  # group → its queued messages' window
        self._next = 0.0  # monotonic time the next queued message may go at
        self.paused_until = 0.0
        self.sent = 0  # slots given (read by tests and benchmarks)

    def pause(self, seconds: float) -> None:
        """Flood control: nothing queued is sent for `seconds`."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def next_slot(self, now: float) -> float:
        """When the next queued message may go (not before `now`)."""
        return max(now, self._next, self.paused_until)

    def chat_free_at(self, chat_id: object, now: float) -> float:
        """When the chat's window has room for one more queued message (`now` for a person)."""
        window = self._groups.get(chat_id)
        return now if window is None else now + window.wait(now)

    def take(self, now: float, chat_id: object = None) -> None:
        """Takes the slot at `now` (which must be `next_slot`, and `chat_free_at` the chat's)."""
        self._next = now + self.spacing
        self.sent += 1
        self.count_message(chat_id, now)

    def count_message(self, chat_id: object, now: float) -> None:
        """Counts a message to the chat in its group's window (a slot's, or a digest's chart)."""
        if is_group_chat(chat_id):
            if chat_id not in self._groups and len(self._groups) >= MAX_TRACKED_GROUPS:
                for idle in [k for k, w in self._groups.items() if not w.count(now)]:
                    del self._groups[idle]
            window = self._groups.setdefault(
                chat_id, SlidingWindow(self.group_limit, self.group_period)
            )
            window.record(now)
