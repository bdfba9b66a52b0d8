"""Keeping one busy chat from slowing down the others.

* `throttle` drops a user's messages beyond their rate (bot/core/limits.py) with one polite,
  localized notice per minute, before anything is classified or answered.
* `ChatOrderedProcessor` handles updates of different chats concurrently and the updates of one
  chat strictly in order, so a flood in one chat does not queue everybody else behind it.
  Every update runs inside `logs.update_scope`, which tags its log records and logs one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor

from bot.context import BotContext
from bot.core.limits import PER_MINUTE, RateLimiter
from bot.logs import update_scope
from bot.replies import reply
from bot.texts import t

log = logging.getLogger(__name__)

CONCURRENT_CHATS = 16


async def throttle(update: Update, context: BotContext) -> None:
    """A user over their message rate: the message is dropped; the first one gets a notice."""
    if update.message is None or update.effective_user is None:
        return
    limiter: RateLimiter = context.bot_data["limiter"]
    verdict = limiter.check((update.effective_chat.id, update.effective_user.id), time.monotonic())
    if verdict.allowed:
        return
    log.info("throttled", extra={"user_id": update.effective_user.id, "notified": verdict.notify})
    if verdict.notify:
        await reply(update, t(context.lang, "limit.slow_down", limit=PER_MINUTE))
    raise ApplicationHandlerStop


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to `concurrent_chats` chats at a time; within a chat, one update after the other."""

    def __init__(self, concurrent_chats: int = CONCURRENT_CHATS) -> None:
        # PTB's own semaphore only bounds the number of waiting tasks; ours bounds the work.
        super().__init__(max_concurrent_updates=1 if concurrent_chats == 1 else 100_000)
        self._working = asyncio.BoundedSemaphore(concurrent_chats)
        self._chats: dict[int | None, tuple[asyncio.Lock, list[int]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat else None
        lock, waiting = self._chats.setdefault(key, (asyncio.Lock(), [0]))
        waiting[0] += 1
        try:
            async with lock, self._working:
                with update_scope(update):
                    await coroutine
        finally:
            waiting[0] -= 1
            if not waiting[0]:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
