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
