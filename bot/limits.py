"""Keeping one busy chat from slowing down the others.

`ChatOrderedProcessor` handles updates of different chats concurrently and the updates of one
chat strictly in order, so a flood in one chat does not queue everybody else behind it. (A
flood is shed where it arrives, before it is queued: bot/inbox.py.)
Every update runs inside `logs.update_scope`, which tags its log records and logs one line;
when it is over, `on_finished(update)` is called (the inbox marks it handled).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.logs import update_scope

log = logging.getLogger(__name__)

CONCURRENT_CHATS = 16


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to `concurrent_chats` chats at a time; within a chat, one update after the other."""

    def __init__(
        self,
        concurrent_chats: int = CONCURRENT_CHATS,
        on_finished: Callable[[object], None] | None = None,
    ) -> None:
        # PTB's own semaphore only bounds the number of waiting tasks; ours bounds the work.
        super().__init__(max_concurrent_updates=1 if concurrent_chats == 1 else 100_000)
        self._working = asyncio.BoundedSemaphore(concurrent_chats)
        self._chats: dict[int | None, tuple[asyncio.Lock, list[int]]] = {}
        self._on_finished = on_finished

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat else None
        lock, waiting = self._chats.setdefault(key, (asyncio.Lock(), [0]))
        waiting[0] += 1
        try:
            async with lock, self._working:
                with update_scope(update):
                    await coroutine
            if self._on_finished is not None:
                self._on_finished(update)
        finally:
            waiting[0] -= 1
            if not waiting[0]:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
