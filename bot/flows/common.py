"""What every flow needs: the chat's active map, the map a button points at, admin checks."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.context import BotContext
from bot.core.journey import parse_id
from bot.core.model import JourneyMap, NoActiveMap, NotAllowed
from bot.texts import t
from storage.maps import get_map

ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def active_map(context: BotContext) -> JourneyMap:
    """The chat's active map; NoActiveMap (explained to the user) when there is none."""
    chat = context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    if journey is None:
        raise NoActiveMap()
    return journey


async def require_admin(update: Update, context: BotContext) -> None:
    """In groups, destructive actions are for the chat's administrators (asked from Telegram)."""
    chat = update.effective_chat
    if chat.type == "private":
        return
    member = await context.bot.get_chat_member(chat.id, update.effective_user.id)
    if member.status not in ADMIN_STATUSES:
        raise NotAllowed()


async def map_of_button(update: Update, context: BotContext, map_id: str) -> JourneyMap | None:
    """The map a button points at, if it is this chat's; otherwise the presser is told so."""
    journey = get_map(context.db, update.effective_chat.id, parse_id(map_id))
    if journey is None:
        await update.callback_query.answer(t(context.lang, "error.not_found"), show_alert=True)
    return journey


async def admin_pressed(update: Update, context: BotContext) -> bool:
    """Whether the presser may do something destructive here; refuses with an alert if not."""
    try:
        await require_admin(update, context)
    except NotAllowed:
        await update.callback_query.answer(t(context.lang, "error.not_allowed"), show_alert=True)
        return False
    return True
