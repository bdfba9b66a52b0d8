"""Multi-step conversations whose state lives in SQLite, so a restart loses nothing.

A flow is a name and its states. Each state knows how to ask its question (with its buttons),
which typed answer it takes and which buttons it answers: steps are routed by the state the
conversation is in, so a button of an earlier step is answered as stale and changes nothing.
Buttons carry `"<flow>:<action>:<argument>"`.

A conversation ends when its last step returns None, with /cancel, when the user starts
another command (except /language, which asks the current question again in the new
language), and after `Settings.conversation_timeout` without an answer: an expired
conversation never takes a message, which is then handled as a note.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.core.model import Dialog, DomainError
from bot.replies import reply, reply_error
from bot.texts import t
from storage.db import utcnow
from storage.dialogs import (
    answer_awaited,
    end_dialog,
    flow_running_elsewhere,
    get_dialog,
    save_dialog,
)
from storage.inbox import claim_update

TextStep = Callable[[Update, BotContext, Dialog], Awaitable[Dialog | None]]
ButtonStep = Callable[[Update, BotContext, Dialog, str], Awaitable[Dialog | None]]
AskStep = Callable[[Update, BotContext, Dialog], Awaitable[None]]
StopText = Callable[[str, Dialog], str | None]

DEFAULT_CONVERSATION_TIMEOUT = timedelta(minutes=30)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    """One step of a conversation: how it asks, what typed answer and which buttons it takes."""

    ask: AskStep
    text: TextStep | None = None
    buttons: dict[str, ButtonStep] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    """One conversation, started by `command`. `stopped` says truthfully what stopping it
    keeps (None: nothing worth saying — the answers so far were already stored)."""

    name: str
    command: str
    states: dict[str, State]
    stopped: StopText | None = None

    def button(self, action: str, argument: object = "") -> str:
        """Callback data for a button of this flow."""
        return f"{self.name}:{action}:{argument}"


def new_dialog(update: Update, flow: Flow, state: str, **data: object) -> Dialog:
    """A fresh conversation for the user who sent `update`."""
    return Dialog(update.effective_chat.id, update.effective_user.id, flow.name, state, dict(data))


def store(context: BotContext, dialog: Dialog | None, *, chat_id: int, user_id: int) -> None:
    """Saves the conversation's new state, or ends it when `dialog` is None."""
    if dialog is None:
        end_dialog(context.db, chat_id, user_id)
    else:
        save_dialog(context.db, dialog)


def flows_of(context: BotContext) -> dict[str, Flow]:
    return context.bot_data["flows"]


def running_dialog(context: BotContext, chat_id: int, user_id: int) -> tuple[Dialog | None, bool]:
    """The user's conversation if it is still running, and whether one had just expired (it is
    ended then: an idle conversation never takes later messages)."""
    dialog = get_dialog(context.db, chat_id, user_id)
    if dialog is None:
        return None, False
    flow = flows_of(context).get(dialog.flow)
    idle = _idle(context.bot_data, dialog)
    if flow is None or dialog.state not in flow.states or idle:
        end_dialog(context.db, chat_id, user_id)
        return None, idle
    return dialog, False


def awaits_typed_answer(bot_data: dict, chat_id: int, user_id: int) -> bool:
    """Whether the user's running conversation in this chat is at a step that takes typed text
    (a name, a date, an idea…): read only, an expired conversation takes nothing."""
    state = _running_state(bot_data, chat_id, user_id)
    return state is not None and state.text is not None


def takes_typed_message(bot_data: dict, chat_id: int, user_id: int) -> bool:
    """Whether the user's next typed message in this chat goes to their running conversation
    (`run_text_step`: its answer, or "use the buttons"), not to a note: read only."""
    return _running_state(bot_data, chat_id, user_id) is not None


def awaits_answer(bot_data: dict, chat_id: int, user_id: int, *, checkins: bool) -> bool:
    """`takes_typed_message`, or (`checkins`) a private check-in question waiting, in one read
    (storage.dialogs.answer_awaited). A stored conversation of a flow this version no longer
    has counts too: `running_dialog` ends it, and its message becomes a note after all."""
    timeout = bot_data.get("conversation_timeout", DEFAULT_CONVERSATION_TIMEOUT)
    return answer_awaited(bot_data["db"], chat_id, user_id, active_since=utcnow() - timeout,
                          checkins=checkins)


def _running_state(bot_data: dict, chat_id: int, user_id: int) -> State | None:
    """The step the user's conversation in this chat is at, unless it has expired (read only:
    `running_dialog` ends an expired one)."""
    dialog = get_dialog(bot_data["db"], chat_id, user_id)
    if dialog is None:
        return None
    flow = bot_data["flows"].get(dialog.flow)
    state = flow.states.get(dialog.state) if flow else None
    return None if state is None or _idle(bot_data, dialog) else state


def _idle(bot_data: dict, dialog: Dialog) -> bool:
    """The conversation has waited longer than the conversation timeout for an answer."""
    timeout = bot_data.get("conversation_timeout", DEFAULT_CONVERSATION_TIMEOUT)
    return dialog.updated_at is not None and utcnow() - dialog.updated_at > timeout


def stop_text(context: BotContext, dialog: Dialog) -> str | None:
    """What stopping this conversation keeps, when that is worth saying."""
    flow = flows_of(context).get(dialog.flow)
    return flow.stopped(context.lang, dialog) if flow and flow.stopped else None


async def end_running(update: Update, context: BotContext) -> None:
    """Ends the user's running conversation before something else starts (another command, a
    button that opens another conversation); if that loses answers, the user is told."""
    dialog, _ = running_dialog(context, update.effective_chat.id, update.effective_user.id)
    if dialog is None:
        return
    end_dialog(context.db, dialog.chat_id, dialog.user_id)
    said = stop_text(context, dialog)
    if said:
        await reply(update, said)


async def begin_from_button(
    update: Update,
    context: BotContext,
    dialog: Dialog,
    ask: Callable[[Update, BotContext, Dialog], Awaitable[None]],
) -> None:
    """A button that opens a typed question (Edit text, Add an idea): the press is answered,
    the presser's running conversation ends (they are told what that loses), the question is
    asked and the new conversation stored."""
    await update.callback_query.answer()
    await end_running(update, context)
    await ask(update, context, dialog)
    store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)


async def ask_again(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Asks the conversation's current question again, with its buttons (in the chat's
    language as it is now)."""
    flow = flows_of(context).get(dialog.flow)
    state = flow.states.get(dialog.state) if flow else None
    if state is not None:
        await state.ask(update, context, dialog)


async def run_text_step(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Hands a typed message to the step the conversation is at."""
    state = flows_of(context)[dialog.flow].states[dialog.state]
    if state.text is None:  # this step is answered with buttons: show them again
        await reply(update, t(context.lang, "hint.use_buttons"))
        await state.ask(update, context, dialog)
        return
    claim_update(context.db, context.bot.id, update.update_id)  # a step is never run twice
    try:
        result = await state.text(update, context, dialog)
    except DomainError as error:
        await reply_error(update, context.lang, error)
        return
    store(context, result, chat_id=dialog.chat_id, user_id=dialog.user_id)


async def run_button_step(update: Update, context: BotContext) -> None:
    """Runs the step behind a flow button, if the button belongs to the step the user's
    conversation is at; otherwise the press is answered as stale and changes nothing."""
    query = update.callback_query
    flow_name, _, rest = (query.data or "").partition(":")
    action, _, argument = rest.partition(":")
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    dialog, _ = running_dialog(context, chat_id, user_id)
    flow = flows_of(context).get(flow_name)
    step = None
    if dialog is not None and flow is not None and dialog.flow == flow_name:
        step = flow.states[dialog.state].buttons.get(action)
    if step is None:
        someone_else = flow is not None and flow_running_elsewhere(
            context.db, chat_id, user_id, flow_name
        )
        await query.answer(t(context.lang, "stale.not_yours" if someone_else else "stale.button"))
        raise ApplicationHandlerStop
    try:
        result = await step(update, context, dialog, argument)
    except DomainError as error:
        await _answer_unless_answered(query)
        await reply_error(update, context.lang, error)
        return
    store(context, result, chat_id=chat_id, user_id=user_id)
    await _answer_unless_answered(query)


async def _answer_unless_answered(query: CallbackQuery) -> None:
    """Stops the button's spinner after the step, unless the step answered with a text itself
    (a second answer is refused: "query is too old ... or query ID is invalid")."""
    try:
        await query.answer()
    except BadRequest as error:
        if "query" not in error.message.lower():
            raise
