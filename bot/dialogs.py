"""Multi-step conversations whose state lives in SQLite, so a restart loses nothing.

A flow is a name, the steps that take a typed answer in each state, and the steps behind its
buttons. Buttons carry `"<flow>:<action>:<argument>"`; a button of a flow the user is no longer
in is answered as stale and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.core.model import Dialog, DomainError
from bot.replies import reply, reply_error
from bot.texts import t
from storage.dialogs import end_dialog, flow_running_elsewhere, get_dialog, save_dialog
from storage.inbox import claim_update

TextStep = Callable[[Update, BotContext, Dialog], Awaitable[Dialog | None]]
ButtonStep = Callable[[Update, BotContext, Dialog, str], Awaitable[Dialog | None]]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Flow:
    """One conversation: `text_steps[state]` take typed answers, `button_steps[action]` presses."""

    name: str
    text_steps: dict[str, TextStep] = field(default_factory=dict)
    button_steps: dict[str, ButtonStep] = field(default_factory=dict)

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


async def run_text_step(update: Update, context: BotContext, flows: dict[str, Flow]) -> bool:
    """Hands a typed message to the user's running conversation; False if there is none."""
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    dialog = get_dialog(context.db, chat_id, user_id)
    if dialog is None or dialog.flow not in flows:
        return False
    step = flows[dialog.flow].text_steps.get(dialog.state)
    if step is None:
        await reply(update, t(context.lang, "hint.use_buttons"))
        return True
    claim_update(context.db, context.bot.id, update.update_id)  # a step is never run twice
    try:
        result = await step(update, context, dialog)
    except DomainError as error:
        await reply_error(update, context.lang, error)
        return True
    store(context, result, chat_id=chat_id, user_id=user_id)
    return True


async def run_button_step(update: Update, context: BotContext, flows: dict[str, Flow]) -> None:
    """Runs the step behind a flow button, if the button belongs to the user's conversation."""
    query = update.callback_query
    flow_name, _, rest = (query.data or "").partition(":")
    action, _, argument = rest.partition(":")
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    dialog = get_dialog(context.db, chat_id, user_id)
    flow = flows.get(flow_name)
    step = flow.button_steps.get(action) if flow else None
    if dialog is None or flow is None or dialog.flow != flow_name or step is None:
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
