"""/roles: who may change what in this chat, and the "everyone edits" setting (admins switch it).

Buttons: "roles:on" and "roles:off"; each press is checked against the presser's role.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import keyboards
from bot.context import BotContext
from bot.core.model import Chat
from bot.core.permissions import Action
from bot.permissions import permitted_press
from bot.replies import edit_or_reply, reply
from bot.texts import t
from storage.chats import set_everyone_edits


def roles_text(lang: str, chat: Chat) -> str:
    """What members and administrators may do here, and the setting's current state."""
    if not chat.is_group:
        return t(lang, "roles.private")
    state = "roles.everyone_edits_on" if chat.everyone_edits else "roles.everyone_edits_off"
    return "\n".join([t(lang, "roles.title"), "", t(lang, "roles.rules"), "", t(lang, state)])


def roles_keyboard(lang: str, chat: Chat) -> InlineKeyboardMarkup | None:
    if not chat.is_group:
        return None
    if chat.everyone_edits:
        return keyboards.column([(t(lang, "button.everyone_edits_off"), "roles:off")])
    return keyboards.column([(t(lang, "button.everyone_edits_on"), "roles:on")])


async def roles_command(update: Update, context: BotContext) -> None:
    """/roles: the rules of this chat, with a button to switch "everyone edits"."""
    chat = context.chat_record
    await reply(update, roles_text(context.lang, chat), roles_keyboard(context.lang, chat))


async def roles_pressed(update: Update, context: BotContext) -> None:
    """Switches "everyone edits" on or off (group administrators only)."""
    query = update.callback_query
    wanted = query.data.partition(":")[2]
    if wanted not in ("on", "off") or not context.chat_record.is_group:
        await query.answer(t(context.lang, "stale.button"))
        return
    if not await permitted_press(update, context, Action.CHANGE_ROLES):
        return
    await query.answer()
    chat = set_everyone_edits(context.db, context.chat_record.id, allowed=wanted == "on")
    context.chat_record = chat
    await edit_or_reply(update, roles_text(context.lang, chat), roles_keyboard(context.lang, chat))


def add_handlers(app: Application) -> None:
    app.add_handler(CommandHandler("roles", roles_command, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CallbackQueryHandler(roles_pressed, pattern=r"^roles:"))
