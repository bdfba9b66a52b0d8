"""Notes: /note, plain private messages and replies to the bot in groups; /note N and /delete N.

Each note is classified, stored, then acknowledged in one line — its number on the map, stage,
kind — with buttons to change its stage or kind or to undo it. `/note N` shows note N of the
active map with buttons to change its stage, kind or text, or to delete it (after a
confirmation, as `/delete N` asks). Buttons carry the note's row id, which is never reused, and
only work in its own chat: a button of a deleted note says so and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import draft_note
from bot.context import BotContext
from bot.core.journey import clean_text, default_stage_keys, parse_id, require_words
from bot.core.model import KINDS, Dialog, JourneyMap, Note, NotFound
from bot.core.permissions import Action
from bot.dialogs import Flow, State, new_dialog, store
from bot.flows.common import active_map
from bot.permissions import may_answer_confirmation, permitted_press, require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import note_label, stage_name
from storage.maps import create_map, get_map
from storage.notes import (
    add_note,
    correct_note,
    delete_note,
    edit_note_text,
    get_note,
    get_note_by_number,
    note_exists,
)

WAITING_FOR_TEXT, EDITING_TEXT = "text", "editing"
ACK, CARD = "a", "c"  # which buttons a note message shows: after adding it, or under /note N


async def note_command(update: Update, context: BotContext) -> Dialog | None:
    """/note <text> stores the note; /note N shows note N; a bare /note asks for the text."""
    text = (update.effective_message.text or "").partition(" ")[2]
    number = parse_id(text.strip().lstrip("#"))
    if number is not None:
        await show_note(update, context, number)
        return None
    if text.strip():
        await store_note(update, context, text)
        return None
    dialog = new_dialog(update, FLOW, WAITING_FOR_TEXT)
    await ask_text(update, context, dialog)
    return dialog


async def ask_text(update: Update, context: BotContext, _: Dialog) -> None:
    await reply(update, t(context.lang, "note.ask_text"))


async def text_given(update: Update, context: BotContext, dialog: Dialog) -> None:
    """The text asked for by a bare /note: stored as a note; the conversation ends."""
    await store_note(update, context, update.effective_message.text)


async def store_note(update: Update, context: BotContext, text: str) -> Note:
    """Classifies and stores one note on the active map (started if there is none), then acks it.

    Text without a single letter or digit (emoji only) is refused before anything is stored."""
    text = require_words(clean_text(text))
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


def note_buttons(lang: str, note: Note, *, card: bool = False) -> InlineKeyboardMarkup:
    """The buttons under a note: change stage, change kind; then Undo right after adding it, or
    Edit text and Delete under /note N."""
    mode = CARD if card else ACK
    rows = [
        [
            (t(lang, "button.change_stage"), f"nb:stage:{note.id}:{mode}"),
            (t(lang, "button.change_kind"), f"nb:kind:{note.id}:{mode}"),
        ]
    ]
    if card:
        rows.append(
            [
                (t(lang, "button.edit_text"), f"nb:edit:{note.id}"),
                (t(lang, "button.delete_note"), f"nb:del:{note.id}"),
            ]
        )
    else:
        rows.append([(t(lang, "button.undo"), f"nb:undo:{note.id}")])
    return keyboards.stacked(*rows)


def note_message(lang: str, journey: JourneyMap, note: Note, mode: str):
    """The text and buttons of a note's message: the one-line acknowledgement, or the card."""
    if mode == CARD:
        text = f"{note_label(lang, journey, note)}\n{esc(note.text)}"
        return text, note_buttons(lang, note, card=True)
    return note_label(lang, journey, note), note_buttons(lang, note)


async def show_note(update: Update, context: BotContext, number: int) -> None:
    """/note N: note N of the active map with its buttons."""
    journey = active_map(context)
    note = get_note_by_number(context.db, journey.chat_id, journey.id, number)
    if note is None:
        await reply(
            update, t(context.lang, "note.no_such_number", number=number, name=esc(journey.name))
        )
        return
    await reply(update, *note_message(context.lang, journey, note, CARD))


async def delete_command(update: Update, context: BotContext) -> None:
    """/delete N asks to confirm deleting note N of the active map."""
    wanted = context.args[0].lstrip("#") if context.args else ""
    number = parse_id(wanted)
    if number is None:  # a number too long to be one is a number no note has
        is_number = wanted.isascii() and wanted.isdigit()
        await reply(
            update, t(context.lang, "error.not_found" if is_number else "note.delete_usage")
        )
        return
    journey = active_map(context)
    note = get_note_by_number(context.db, journey.chat_id, journey.id, number)
    if note is None:
        await reply(
            update, t(context.lang, "note.no_such_number", number=number, name=esc(journey.name))
        )
        return
    own = note.author_id == update.effective_user.id
    await require(update, context, Action.DELETE_NOTE, own=own)  # members: their own notes
    await reply(update, *_delete_question(context.lang, note, update.effective_user.id))


def _delete_question(lang: str, note: Note, asker: int) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = keyboards.rows(
        [
            (t(lang, "button.delete_note_yes"), f"nb:delyes:{note.id}:{asker}"),
            (t(lang, "button.keep_note"), f"nb:delno:{note.id}:{asker}"),
        ]
    )
    return t(lang, "note.confirm_delete", number=note.number, text=esc(note.text)), keyboard


def _note_and_map(context: BotContext, chat_id: int, argument: str) -> tuple[Note, JourneyMap]:
    """The note a button points at, if it is in this chat; NotFound otherwise."""
    note_id = parse_id(argument)
    note = get_note(context.db, chat_id, note_id) if note_id is not None else None
    journey = get_map(context.db, chat_id, note.map_id) if note else None
    if note is None or journey is None:
        raise NotFound()
    return note, journey


async def note_button(update: Update, context: BotContext) -> None:
    """Every button under a note: "nb:<action>:<note id>[:<choice>][:<mode>]"."""
    query = update.callback_query
    _, action, note_id, *rest = [*query.data.split(":"), "", ""]
    try:
        note, journey = _note_and_map(context, update.effective_chat.id, note_id)
    except NotFound:
        deleted = parse_id(note_id) is not None and not note_exists(context.db, int(note_id))
        await query.answer(
            t(context.lang, "note.gone" if deleted else "error.not_found"), show_alert=True
        )
        return
    step = NOTE_BUTTONS.get(action)
    if step is None:
        await query.answer(t(context.lang, "stale.button"))
        return
    needed = NOTE_BUTTON_ACTIONS.get(action)
    own = note.author_id == update.effective_user.id
    if needed and not await permitted_press(update, context, needed, own=own):
        return
    await step(update, context, note, journey, [part for part in rest if part])


async def _pick_stage(update, context, note, journey, rest) -> None:
    lang, mode = context.lang, _mode(rest, 0)
    await update.callback_query.answer()
    choices = [
        (stage_name(lang, s), f"nb:setstage:{note.id}:{s.id}:{mode}") for s in journey.stages
    ]
    choices.append((t(lang, "button.back"), f"nb:back:{note.id}:{mode}"))
    await edit_or_reply(
        update,
        f"{note_label(lang, journey, note)}\n\n{t(lang, 'note.pick_stage')}",
        keyboards.column(choices),
    )


async def _pick_kind(update, context, note, journey, rest) -> None:
    lang, mode = context.lang, _mode(rest, 0)
    await update.callback_query.answer()
    choices = [(t(lang, f"kind.{kind}"), f"nb:setkind:{note.id}:{kind}:{mode}") for kind in KINDS]
    choices.append((t(lang, "button.back"), f"nb:back:{note.id}:{mode}"))
    await edit_or_reply(
        update,
        f"{note_label(lang, journey, note)}\n\n{t(lang, 'note.pick_kind')}",
        keyboards.rows(choices),
    )


async def _set_stage(update, context, note, journey, rest) -> None:
    """Moves the note to the picked stage; the change is kept as training data."""
    query, lang = update.callback_query, context.lang
    stage_id = parse_id(rest[0]) if rest else None
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
    await query.answer()
    await edit_or_reply(update, *note_message(lang, journey, updated, _mode(rest, 1)))


async def _set_kind(update, context, note, journey, rest) -> None:
    """Changes the note's kind; the change is kept as training data."""
    query, lang = update.callback_query, context.lang
    if not rest or rest[0] not in KINDS:
        await query.answer(t(lang, "error.not_found"), show_alert=True)
        return
    updated = correct_note(
        context.db, journey.chat_id, note.id, update.effective_user.id, kind=rest[0]
    )
    await query.answer()
    await edit_or_reply(update, *note_message(lang, journey, updated, _mode(rest, 1)))


async def _back(update, context, note, journey, rest) -> None:
    await update.callback_query.answer()
    await edit_or_reply(update, *note_message(context.lang, journey, note, _mode(rest, 0)))


async def _undo(update, context, note, journey, rest) -> None:
    """Undo under a fresh acknowledgement: the note is deleted at once."""
    await update.callback_query.answer()
    delete_note(context.db, journey.chat_id, note.id)
    await edit_or_reply(update, t(context.lang, "note.undone", number=note.number))


async def _ask_delete(update, context, note, journey, rest) -> None:
    await update.callback_query.answer()
    await edit_or_reply(update, *_delete_question(context.lang, note, update.effective_user.id))


async def _delete_confirmed(update, context, note, journey, rest) -> None:
    """Yes under "Delete note N?": only the person who asked (or an admin) may confirm."""
    query = update.callback_query
    if not await may_answer_confirmation(update, context, parse_id(rest[0]) if rest else None):
        return
    own = note.author_id == update.effective_user.id
    if not await permitted_press(update, context, Action.DELETE_NOTE, own=own):
        return
    await query.answer()
    delete_note(context.db, journey.chat_id, note.id)
    await edit_or_reply(update, t(context.lang, "note.deleted", number=note.number))


async def _delete_declined(update, context, note, journey, rest) -> None:
    if not await may_answer_confirmation(update, context, parse_id(rest[0]) if rest else None):
        return
    await update.callback_query.answer()
    await edit_or_reply(update, *note_message(context.lang, journey, note, CARD))


async def _edit_pressed(update, context, note, journey, rest) -> None:
    """Edit text: the presser's next message becomes the note's text."""
    await update.callback_query.answer()
    dialog = new_dialog(update, FLOW, EDITING_TEXT, note_id=note.id)
    await ask_new_text(update, context, dialog)
    store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)


async def ask_new_text(update: Update, context: BotContext, dialog: Dialog) -> None:
    note = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    if note is None:
        raise NotFound()
    await reply(
        update, t(context.lang, "note.ask_new_text", number=note.number, text=esc(note.text))
    )


async def new_text_given(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Replaces the note's text; its stage, kind and number stay."""
    text = require_words(clean_text(update.effective_message.text))
    note = edit_note_text(context.db, dialog.chat_id, dialog.data["note_id"], text)
    journey = get_map(context.db, dialog.chat_id, note.map_id) if note else None
    if note is None or journey is None:
        await reply(update, t(context.lang, "note.gone"))
        return
    await reply(update, t(context.lang, "note.text_edited", number=note.number))
    await reply(update, *note_message(context.lang, journey, note, CARD))


def _mode(rest: list[str], index: int) -> str:
    return CARD if len(rest) > index and rest[index] == CARD else ACK


# What each note button does, for the permission check (bot/core/permissions.py); "back" only
# redraws; "delyes" and "delno" answer a question: only its asker or an admin (checked in the
# step, before the permission to delete).
NOTE_BUTTON_ACTIONS = {
    "stage": Action.EDIT_NOTE,
    "kind": Action.EDIT_NOTE,
    "setstage": Action.EDIT_NOTE,
    "setkind": Action.EDIT_NOTE,
    "edit": Action.EDIT_NOTE,
    "undo": Action.DELETE_NOTE,
    "del": Action.DELETE_NOTE,
}

NOTE_BUTTONS = {
    "stage": _pick_stage,
    "kind": _pick_kind,
    "setstage": _set_stage,
    "setkind": _set_kind,
    "back": _back,
    "undo": _undo,
    "del": _ask_delete,
    "delyes": _delete_confirmed,
    "delno": _delete_declined,
    "edit": _edit_pressed,
}

FLOW = Flow(
    "note",
    command="note",
    states={
        WAITING_FOR_TEXT: State(ask_text, text=text_given),
        EDITING_TEXT: State(ask_new_text, text=new_text_given),
    },
)
