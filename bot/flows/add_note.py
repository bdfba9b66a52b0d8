"""Free-text notes: /note, plain private messages and replies to the bot in groups.

Each note is classified, stored, then acknowledged in one line with buttons to change its
stage or kind or to undo it. Those buttons carry the note's id and only work in its own chat.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import draft_note
from bot.context import BotContext
from bot.core.journey import clean_text, default_stage_keys, parse_id
from bot.core.model import KINDS, Dialog, JourneyMap, Note, NotFound
from bot.core.permissions import Action
from bot.dialogs import Flow, new_dialog
from bot.permissions import permitted_press
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import note_label, stage_name
from storage.maps import create_map, get_map
from storage.notes import add_note, correct_note, delete_note, get_note

WAITING_FOR_TEXT = "text"


async def note_command(update: Update, context: BotContext) -> Dialog | None:
    """/note <text> stores the note; a bare /note asks for the text."""
    text = (update.effective_message.text or "").partition(" ")[2]
    if text.strip():
        await store_note(update, context, text)
        return None
    await reply(update, t(context.lang, "note.ask_text"))
    return new_dialog(update, FLOW, WAITING_FOR_TEXT)


async def text_given(update: Update, context: BotContext, dialog: Dialog) -> None:
    """The text asked for by a bare /note: stored as a note; the conversation ends."""
    await store_note(update, context, update.effective_message.text)


async def store_note(update: Update, context: BotContext, text: str) -> Note:
    """Classifies and stores one note on the active map (started if there is none), then acks it."""
    text = clean_text(text)
    journey, started = active_map_or_start_one(update, context)
    draft = draft_note(text, context.lang)
    stage = journey.stage_for_key(draft.stage_key)
    note = add_note(
        context.db,
        journey.chat_id,
        journey.id,
        stage.id if stage else None,
        draft,
        update.effective_user.id,
    )
    if started:  # said after storing: a message that fails to go out never loses the note
        await reply(update, t(context.lang, "note.map_created", name=esc(journey.name)))
    await reply(update, note_label(context.lang, journey, note), note_buttons(context.lang, note))
    return note


def active_map_or_start_one(update: Update, context: BotContext) -> tuple[JourneyMap, bool]:
    """The chat's active map; with none, a new map with the standard stages (True: started)."""
    chat = context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    if journey is not None:
        return journey, False
    name = t(context.lang, "note.default_map_name")
    journey = create_map(
        context.db,
        chat.id,
        name,
        None,
        update.effective_user.id,
        [(key, None) for key in default_stage_keys()],
    )
    context.chat_record = replace(chat, active_map_id=journey.id)
    return journey, True


def note_buttons(lang: str, note: Note) -> InlineKeyboardMarkup:
    """Change stage, change kind, undo."""
    return keyboards.stacked(
        [
            (t(lang, "button.change_stage"), f"nb:stage:{note.id}"),
            (t(lang, "button.change_kind"), f"nb:kind:{note.id}"),
        ],
        [(t(lang, "button.undo"), f"nb:undo:{note.id}")],
    )


def _note_and_map(context: BotContext, chat_id: int, argument: str) -> tuple[Note, JourneyMap]:
    """The note a button points at, if it is in this chat; NotFound otherwise."""
    note_id = parse_id(argument)
    note = get_note(context.db, chat_id, note_id) if note_id is not None else None
    journey = get_map(context.db, chat_id, note.map_id) if note else None
    if note is None or journey is None:
        raise NotFound()
    return note, journey


# What each note button does, for the permission check ("back" only redraws).
NOTE_BUTTON_ACTIONS = {
    "stage": Action.EDIT_NOTE,
    "kind": Action.EDIT_NOTE,
    "setstage": Action.EDIT_NOTE,
    "setkind": Action.EDIT_NOTE,
    "undo": Action.DELETE_NOTE,
}


async def note_button(update: Update, context: BotContext) -> None:
    """Change stage / change kind / undo / back, and the pickers behind the first two."""
    query = update.callback_query
    _, action, rest = [*query.data.split(":", 2), "", ""][:3]
    note_id, _, choice = rest.partition(":")
    lang = context.lang
    try:
        note, journey = _note_and_map(context, update.effective_chat.id, note_id)
    except NotFound:
        await query.answer(t(lang, "error.not_found"), show_alert=True)
        return
    needed = NOTE_BUTTON_ACTIONS.get(action)
    own = note.author_id == update.effective_user.id
    if needed and not await permitted_press(update, context, needed, own=own):
        return
    if action == "stage":
        await query.answer()
        choices = [(stage_name(lang, s), f"nb:setstage:{note.id}:{s.id}") for s in journey.stages]
        choices.append((t(lang, "button.back"), f"nb:back:{note.id}"))
        await edit_or_reply(
            update,
            f"{note_label(lang, journey, note)}\n\n{t(lang, 'note.pick_stage')}",
            keyboards.column(choices),
        )
    elif action == "kind":
        await query.answer()
        choices = [(t(lang, f"kind.{kind}"), f"nb:setkind:{note.id}:{kind}") for kind in KINDS]
        choices.append((t(lang, "button.back"), f"nb:back:{note.id}"))
        await edit_or_reply(
            update,
            f"{note_label(lang, journey, note)}\n\n{t(lang, 'note.pick_kind')}",
            keyboards.rows(choices),
        )
    elif action in ("setstage", "setkind"):
        await _correct(update, context, note, journey, action, choice)
    elif action == "undo":
        await query.answer()
        delete_note(context.db, update.effective_chat.id, note.id)
        await edit_or_reply(update, t(lang, "note.undone"))
    else:
        await query.answer()
        await edit_or_reply(update, note_label(lang, journey, note), note_buttons(lang, note))


async def _correct(
    update: Update, context: BotContext, note: Note, journey: JourneyMap, action: str, choice: str
) -> None:
    """Moves the note to the picked stage or kind; the change is kept as training data."""
    query, lang = update.callback_query, context.lang
    if action == "setstage":
        stage_id = parse_id(choice)
        stage = journey.stage_by_id(stage_id) if stage_id is not None else None
        if stage is None:
            await query.answer(t(lang, "error.not_found"), show_alert=True)
            return
        updated = correct_note(
            context.db,
            journey.chat_id,
            note.id,
            update.effective_user.id,
            stage_id=stage.id,
            stage_key=stage.key,
        )
    else:
        if choice not in KINDS:
            await query.answer(t(lang, "error.not_found"), show_alert=True)
            return
        updated = correct_note(
            context.db, journey.chat_id, note.id, update.effective_user.id, kind=choice
        )
    await query.answer()
    await edit_or_reply(update, note_label(lang, journey, updated), note_buttons(lang, updated))


FLOW = Flow("note", text_steps={WAITING_FOR_TEXT: text_given})
