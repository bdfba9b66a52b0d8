"""One-shot commands and catch-alls: /start, /help, /language, /cancel, unknown input."""

from __future__ import annotations

import contextlib
import logging
import sqlite3

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot import keyboards
from bot.context import BotContext
from bot.core.journey import language_from_code, shorten
from bot.core.model import LANGUAGES
from bot.core.permissions import Action
from bot.dialogs import ask_again, end_running, running_dialog, stop_text
from bot.errors import apologise_and_alert
from bot.flows.add_note import may_become_note
from bot.permissions import is_in_chat, member_role, permitted_press, require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import find_language_by_label, t
from storage.chat_presence import pause_chat, resume_chat
from storage.chats import remember_chat, remember_user, set_chat_language
from storage.checkins import member_left, remember_member
from storage.db import utcnow
from storage.dialogs import end_dialog
from storage.inbox import start_update
from storage.maps import get_map

log = logging.getLogger(__name__)

HELP_COMMANDS = (
    "start",
    "newmap",
    "note",
    "map",
    "board",
    "maps",
    "rename",
    "stages",
    "delete",
    "deletemap",
    "schedule",
    "checkin",
    "review",
    "assign",
    "todo",
    "insights",
    "digest",
    "history",
    "search",
    "export",
    "forget",
    "language",
    "roles",
    "cancel",
    "help",
)


async def remember_sender(update: Update, context: BotContext) -> None:
    """Records the chat and user of every update and loads the chat's settings (language).

    Redeliveries never get here: the inbox ignores them where updates arrive."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type == "channel":
        raise ApplicationHandlerStop
    try:
        with context.db.atomic():  # one commit per update for all three
            # A note can be handled again after a crash (bot/inbox.py); its attempt is counted by
            # store_note once the classifier is ready, so kills while it loads never use up the
            # note's attempts. Anything else is claimed now: once begun, it is not repeated.
            if not may_become_note(update, context.bot.id):
                start_update(context.db, context.bot.id, update.update_id, replayable=False)
            remember_user(context.db, user.id, user.first_name, user.username, user.language_code)
            title = chat.title or chat.full_name
            context.chat_record = remember_chat(
                context.db, chat.id, chat.type, title, language_from_code(user.language_code)
            )
            if context.chat_record.is_group:
                remember_group_members(update, context)
    except sqlite3.Error as error:  # no handler can work without the database: stop here
        await apologise_and_alert(update, context, error)
        raise ApplicationHandlerStop from error
    if update.callback_query and chat.type != "private":
        await _refuse_former_members(update, context)
        if context.chat_record.is_group and not user.is_bot:  # known now to be in the group
            remember_member(context.db, chat.id, user.id, utcnow())


def remember_group_members(update: Update, context: BotContext) -> None:
    """Who is in the group, for check-ins (storage/checkins.py): who writes there, who is added
    and who leaves (a button's presser once they are known to be in the group: see
    `remember_sender`). Bots are not members."""
    chat, user, message = update.effective_chat, update.effective_user, update.message
    now = utcnow()
    change = update.chat_member
    if change is not None:  # someone joined, left or was removed (when Telegram sends it)
        subject = change.new_chat_member.user
        if not subject.is_bot:
            gone = not is_in_chat(change.new_chat_member)  # a restricted person who left too
            remember_user(
                context.db, subject.id, subject.first_name, subject.username,
                subject.language_code,
            )  # fmt: skip
            (member_left if gone else remember_member)(context.db, chat.id, subject.id, now)
        return
    if message is None:  # a button (see above), an edit
        return
    left = message.left_chat_member
    if not user.is_bot and not (left and left.id == user.id):
        remember_member(context.db, chat.id, user.id, now)
    for added in message.new_chat_members or ():
        if not added.is_bot:
            remember_user(
                context.db, added.id, added.first_name, added.username, added.language_code
            )
            remember_member(context.db, chat.id, added.id, now)
    if left is not None and not left.is_bot:
        member_left(context.db, chat.id, left.id, now)


async def _refuse_former_members(update: Update, context: BotContext) -> None:
    """A button pressed in a group by someone who is no longer in it (left, banned — they can
    still see old messages of a public group) is refused; so is any press while Telegram cannot
    say who is in the group."""
    query = update.callback_query
    try:
        member = await context.bot.get_chat_member(update.effective_chat.id, query.from_user.id)
        context.role = member_role(member)
        gone = not is_in_chat(member)
        key = "error.not_a_member" if gone else None
    except TelegramError as error:
        log.warning("membership unknown, button refused: %s", error)
        key = "error.generic"
    if key is None:
        return
    with contextlib.suppress(TelegramError):
        await query.answer(t(context.lang, key), show_alert=True)
    raise ApplicationHandlerStop


async def start(update: Update, context: BotContext) -> None:
    """Greets the team, explains the bot in three lines and offers the first map. What was
    paused while the bot was out of the chat goes on again: /start proves it is back even when
    Telegram's `my_chat_member` update never came (the bot was down for over a day)."""
    await _greet(update, context)
    if resume_chat(context.db, context.chat_record.id, utcnow()):
        await reply(update, t(context.lang, "start.resumed"))


async def _greet(update: Update, context: BotContext) -> None:
    lang = context.lang
    await reply(update, t(lang, "start.welcome"))
    active = get_map(context.db, context.chat_record.id, context.chat_record.active_map_id)
    if active:
        await reply(update, t(lang, "start.has_map", name=esc(active.name)))
    else:
        await reply(update, t(lang, "start.first_map"), keyboards.first_map_offer(lang))


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to a group, removed from it, blocked or unblocked (`my_chat_member`).

    Removed or blocked: what it would send on its own (reviews, check-ins, digests) pauses at
    once rather than at the next failed send. Back: what that paused goes on again and the team
    is told; a group that adds the bot is greeted as /start would."""
    change = update.my_chat_member
    was_in, is_in = is_in_chat(change.old_chat_member), is_in_chat(change.new_chat_member)
    chat_id, now = context.chat_record.id, utcnow()
    if was_in and not is_in:
        paused = pause_chat(context.db, chat_id, f"bot {change.new_chat_member.status}")
        log.info("bot left a chat", extra={"chat_id": chat_id, "paused": paused})
    elif is_in and not was_in:
        resumed = resume_chat(context.db, chat_id, now)
        log.info("bot is in a chat again", extra={"chat_id": chat_id, "resumed": resumed})
        if context.chat_record.is_group:
            await _greet(update, context)
        if resumed:
            await reply(update, t(context.lang, "start.resumed"))


def help_text(lang: str, *, is_group: bool) -> str:
    """Every command with one line, and how notes reach the bot in this kind of chat."""
    lines = [t(lang, "help.title"), ""]
    lines += [t(lang, f"help.{command}") for command in HELP_COMMANDS]
    lines += ["", t(lang, "help.group_notes" if is_group else "help.private_notes")]
    lines.append(t(lang, "help.group_voice" if is_group else "help.private_voice"))
    return "\n".join(lines)


async def show_help(update: Update, context: BotContext) -> None:
    """Lists every command."""
    await reply(update, help_text(context.lang, is_group=context.chat_record.is_group))


async def choose_language(update: Update, context: BotContext) -> None:
    """Shows the language picker (or sets the language given as an argument)."""
    await require(update, context, Action.LANGUAGE)
    if context.args:
        lang = find_language_by_label(" ".join(context.args))
        if lang:
            await _set_language(update, context, lang)
            return
    await reply(update, t(context.lang, "language.choose"), keyboards.language_picker())


async def language_chosen(update: Update, context: BotContext) -> None:
    """Stores the picked language for the chat and confirms in that language."""
    query = update.callback_query
    lang = query.data.partition(":")[2]
    if lang not in LANGUAGES:
        await query.answer(t(context.lang, "language.unknown"))
        return
    if not await permitted_press(update, context, Action.LANGUAGE):
        return
    await query.answer()
    await _set_language(update, context, lang)


async def _set_language(update: Update, context: BotContext, lang: str) -> None:
    """Sets the chat's language; a conversation the user is in asks its question again, with its
    buttons, in the new language (the picker had taken the question's place)."""
    context.chat_record = set_chat_language(context.db, context.chat_record.id, lang)
    await edit_or_reply(update, t(lang, "language.set"))
    dialog, _ = running_dialog(context, update.effective_chat.id, update.effective_user.id)
    if dialog is not None:
        await ask_again(update, context, dialog)


async def cancel(update: Update, context: BotContext) -> None:
    """Stops the user's running conversation and says truthfully what it keeps."""
    dialog, _ = running_dialog(context, update.effective_chat.id, update.effective_user.id)
    if dialog is None:
        await reply(update, t(context.lang, "cancel.nothing"))
        return
    end_dialog(context.db, dialog.chat_id, dialog.user_id)
    await reply(update, stop_text(context, dialog) or t(context.lang, "cancel.done"))


KEEPS_DIALOG = ("cancel", "language")  # /cancel ends it itself; /language asks it again


def known_commands(context: BotContext) -> frozenset[str]:
    """Every command a CommandHandler of the application answers (lowercase)."""
    known = context.bot_data.get("known_commands")
    if known is None:
        known = frozenset(
            command.lower()
            for group in context.application.handlers.values()
            for handler in group
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        )
        context.bot_data["known_commands"] = known
    return known


async def end_dialog_on_command(update: Update, context: BotContext) -> None:
    """A command (other than /cancel and /language) ends the user's running conversation, so a
    later message is never taken as the answer to a question abandoned long ago. If that loses
    answers, the user is told. A command the bot does not know (a typo, "/skip") ends nothing:
    it is answered as unknown and the question is asked again."""
    command, _, addressee = update.effective_message.text.split()[0][1:].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # a command for another bot in the group
    command = command.lower()
    if command not in KEEPS_DIALOG and command in known_commands(context):
        await end_running(update, context)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answers a command the bot does not know with a pointer to /help; a command addressed to
    another bot ("/help@OtherBot") is not ours and gets no answer."""
    command, _, addressee = (update.effective_message.text or "").split()[0].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return
    await reply(update, t(context.lang, "hint.unknown_command", command=esc(shorten(command, 40))))
    dialog, _ = running_dialog(context, update.effective_chat.id, update.effective_user.id)
    if dialog is not None:  # the conversation goes on: its question again, with its buttons
        await ask_again(update, context, dialog)


async def non_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice…: the bot reads text only and says so (in a group only to
    someone answering the bot, not to people replying to each other)."""
    replied = update.effective_message.reply_to_message
    to_bot = bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
    if update.effective_chat.type != "private" and not to_bot:
        return
    await reply(update, t(context.lang, "hint.non_text"))


async def unknown_button(update: Update, context: BotContext) -> None:
    """A button whose data the bot does not recognise (old version, forged)."""
    await update.callback_query.answer(t(context.lang, "stale.button"))
