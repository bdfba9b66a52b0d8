"""Asking bot.core.permissions from handlers: the sender's role in this chat, then the policy.

The role comes from Telegram (getChatMember), asked at most once per update; in a private chat
its one person is its administrator. A refusal is a NotAllowed (explained in the chat) for
commands, an alert for buttons.
"""

from __future__ import annotations

import contextlib

from telegram import ChatMember, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.core.model import NotAllowed, NotYourItem, NotYourNote
from bot.core.permissions import (
    OWN_ITEM_ACTIONS,
    OWN_NOTE_ACTIONS,
    Action,
    Role,
    in_chat,
    may,
    may_answer,
    role_from_status,
)
from bot.texts import t


def member_role(member: ChatMember) -> Role:
    """The role of a getChatMember answer or a chat_member update's side (bot.core.permissions:
    a restricted person counts only while `is_member`)."""
    return role_from_status(member.status, is_member=getattr(member, "is_member", None))


def is_in_chat(member: ChatMember) -> bool:
    """Whether the person of a ChatMember is in the chat now — the rule every place uses that
    asks (buttons pressed in a group, who check-ins ask, whom /assign names, the bot itself)."""
    return in_chat(member.status, is_member=getattr(member, "is_member", None))


async def role_in_chat(update: Update, context: BotContext) -> Role:
    """The sender's role in the chat the update came from (cached for the update)."""
    if context.role is not None:
        return context.role
    chat, user = update.effective_chat, update.effective_user
    if chat.type == "private":
        role = Role.ADMIN if chat.id == user.id else Role.OUTSIDER
    else:
        member = await context.bot.get_chat_member(chat.id, user.id)
        role = member_role(member)
    context.role = role
    return role


def _everyone_edits(context: BotContext) -> bool:
    return bool(context.chat_record and context.chat_record.everyone_edits)


async def allowed(
    update: Update, context: BotContext, action: Action, *, own: bool = False
) -> bool:
    """Whether the sender may do `action` here (`own`: on their own note)."""
    role = await role_in_chat(update, context)
    return may(role, action, everyone_edits=_everyone_edits(context), own=own)


async def require(
    update: Update, context: BotContext, action: Action, *, own: bool = False
) -> None:
    """Raises NotAllowed (a localized reply) unless the sender may do `action`."""
    if not await allowed(update, context, action, own=own):
        if action in OWN_ITEM_ACTIONS:
            raise NotYourItem()
        raise NotYourNote() if action in OWN_NOTE_ACTIONS else NotAllowed()


async def permitted_press(
    update: Update, context: BotContext, action: Action, *, own: bool = False
) -> bool:
    """For buttons: True if the presser may do `action`; otherwise answers with an alert."""
    if await allowed(update, context, action, own=own):
        return True
    key = NotYourNote.key if action in OWN_NOTE_ACTIONS else NotAllowed.key
    await refuse_press(update, context, key)
    return False


async def may_answer_confirmation(
    update: Update, context: BotContext, asker_id: int | None
) -> bool:
    """For Yes/No buttons: only the person who asked (or an admin) answers; others get an alert.

    The asker is the author of the command the question replies to when Telegram says so, else
    the id the button carries (buttons made before this check carry none: admins only).
    """
    question = update.callback_query.message
    replied = getattr(question, "reply_to_message", None) if question else None
    if replied is not None and replied.from_user is not None:
        asker_id = replied.from_user.id
    role = await role_in_chat(update, context)
    if may_answer(role, user_id=update.effective_user.id, asker_id=asker_id):
        return True
    await refuse_press(update, context, "error.not_your_question")
    return False


async def refuse_press(update: Update, context: BotContext, key: str = "error.not_allowed") -> None:
    with contextlib.suppress(TelegramError):
        await update.callback_query.answer(t(context.lang, key), show_alert=True)
