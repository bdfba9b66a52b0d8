"""The bot's `Bot`: python-telegram-bot's `ExtBot` with a send whose answer is not read.

Telegram answers every `sendMessage` with the message it sent, and PTB turns that answer into a
`telegram.Message` (its chat, sender, keyboard and date as objects; `Message.__init__` alone
sets ~180 attributes). Nearly every message the bot sends — a note's acknowledgement above
all — is never looked at again: buttons pressed later arrive with their own message. Building
that `Message` was ~0.1 ms of CPU a send, 15–20 % of the whole send through
bot/aiohttp_request.py (docs/scaling.md, "The send path").

`send_message_unparsed` goes through PTB's own `send_message` — its checks, `Defaults` (HTML
parse mode, no link previews), reply parameters, keyboard handling, the rate limiter, the
request and PTB's mapping of Telegram's errors (`BadRequest`, `Forbidden`, `RetryAfter`…) —
and stops before the answer is parsed. It marks the call with a key in `api_kwargs` that
`_post` takes out before anything is sent; `_post` then hands PTB's `_send_message` the `True`
it already returns as is for edits of inline messages, so no `Message` is built.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import JSONDict, ODVInput
from telegram.ext import ExtBot

_ANSWER_UNREAD = "_journeybot_answer_unread"  # taken out in _post: never reaches Telegram


class JourneyBot(ExtBot):
    """`ExtBot` plus `send_message_unparsed`; built by bot/app.py's `build_application`."""

    __slots__ = ()

    async def send_message_unparsed(
        self,
        chat_id: int | str,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_to_message_id: int | None = None,
        allow_sending_without_reply: ODVInput[bool] = DEFAULT_NONE,
    ) -> None:
        """`send_message` with these arguments, raising what it raises; returns nothing (the
        sent message is not parsed)."""
        await self.send_message(
            chat_id,
            text,
            reply_markup=reply_markup,
            reply_to_message_id=reply_to_message_id,
            allow_sending_without_reply=allow_sending_without_reply,
            api_kwargs={_ANSWER_UNREAD: True},
        )

    async def _post(
        self,
        endpoint: str,
        data: JSONDict | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> Any:
        unread = bool(api_kwargs) and api_kwargs.pop(_ANSWER_UNREAD, False)
        result = await super()._post(
            endpoint,
            data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs or None,
        )
        return True if unread else result
