"""What every flow needs: the chat's active map and the map a button points at.

Who may do what is asked from bot/permissions.py (the policy: bot/core/permissions.py)."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.context import BotContext
from bot.core.items import local_today
from bot.core.journey import parse_id
from bot.core.model import JourneyMap, NoActiveMap
from bot.texts import t
from storage.db import utcnow
from storage.maps import get_map


def active_map(context: BotContext) -> JourneyMap:
    """The chat's active map; NoActiveMap (explained to the user) when there is none."""
    chat = context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    if journey is None:
        raise NoActiveMap()
    return journey


async def map_of_button(update: Update, context: BotContext, map_id: str) -> JourneyMap | None:
    """The map a button points at, if it is this chat's; otherwise the presser is told so."""
    journey = get_map(context.db, update.effective_chat.id, parse_id(map_id))
    if journey is None:
        await update.callback_query.answer(t(context.lang, "error.not_found"), show_alert=True)
    return journey


def today_here(context: BotContext) -> date:
    """Today in the chat's time zone (due dates and overdue items are days of the chat)."""
    return local_today(utcnow(), context.chat_record.timezone)
