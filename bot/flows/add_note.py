"""Notes: /note, plain private messages and replies to the bot in groups; /note N and /delete N.

Each note is classified, stored, then acknowledged in one line — its number on the map, stage,
kind — with buttons to change its stage or kind or to undo it. `/note N` shows note N of the
active map with buttons to change its stage, kind or text, or to delete it (after a
confirmation, as `/delete N` asks). Buttons carry the note's row id, which is never reused, and
only work in its own chat: a button of a deleted note says so and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from telegram import (
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)

from bot import keyboards
from bot.classifier import (
    Arrival,
    classifier_ready,
    draft_note,
    kind_sentiment,
    load_chat_memory,
)
from bot.context import BotContext
from bot.core.journey import clean_text, default_stage_keys, parse_id, require_words
from bot.core.model import KINDS, Chat, Dialog, JourneyMap, Note, NoteDraft, NotFound
from bot.core.permissions import Action
from bot.core.vocabulary import GENERIC_CHANNELS
from bot.dialogs import Flow, State, begin_from_button, new_dialog
from bot.flows.common import active_map, note_by_number, on_map, today_here
from bot.flows.items import CARD as ITEM_CARD
from bot.flows.items import item_buttons
from bot.flows.split_note import offer_split
from bot.permissions import may_answer_confirmation, permitted_press, require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import channel_name, item_status, note_label, quote_line, stage_name
from storage.inbox import owed_note_id, record_note, start_update
from storage.maps import create_map, get_map
from storage.notes import (
    add_note,
    correct_note,
    delete_note,
    edit_note_text,
    get_note,
    note_exists,
)

WAITING_FOR_TEXT, EDITING_TEXT = "text", "editing"
ACK, CARD = "a", "c"  # which buttons a note message shows: after adding it, or under /note N
MAX_CALLBACK_BYTES = 64  # Telegram's limit on a button's callback data


def after_command(text: str) -> str:
    """What follows a command's word: "/note The courier…", also typed as "/note", a new line,
    then the note (on a phone). Splitting at the first space lost that note's first word."""
    parts = text.split(None, 1)
    return parts[1] if len(parts) == 2 else ""


async def note_command(update: Update, context: BotContext) -> Dialog | None:
    """/note <text> stores the note; /note N shows note N; a bare /note asks for the text."""
    text = after_command(update.effective_message.text or "")
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


def may_become_note(update: Update, bot_id: int) -> bool:
    """Whether a message may be stored as a note: `/note <text>`, a private message, a reply to
    the bot in a group (unless a conversation takes it: `bot.dialogs.run_text_step`)."""
    message = update.message
    if message is None or not message.text:
        return False
    if message.text.startswith("/"):
        command, rest = message.text.split(None, 1)[0], after_command(message.text).strip()
        is_number = parse_id(rest.lstrip("#")) is not None  # /note N shows note N
        return command.split("@")[0] == "/note" and bool(rest) and not is_number
    replied = message.reply_to_message
    to_bot = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    return message.chat.type == "private" or to_bot or is_customer_quote(message, bot_id)


def is_customer_quote(message: Message, bot_id: int) -> bool:
    """A message forwarded from another chat (a customer's words), not one of the bot's own."""
    origin = message.forward_origin
    if origin is None:
        return False
    return not (isinstance(origin, MessageOriginUser) and origin.sender_user.id == bot_id)


def quote_origin(message: Message) -> tuple[str | None, datetime] | None:
    """Who a forwarded message is from (as Telegram names them: a user, a hidden user's name,
    a group or channel with its signature) and when they wrote it; None if not forwarded."""
    origin = message.forward_origin
    if origin is None:
        return None
    name: str | None = None
    if isinstance(origin, MessageOriginUser):
        name = origin.sender_user.full_name
    elif isinstance(origin, MessageOriginHiddenUser):
        name = origin.sender_user_name
    elif isinstance(origin, MessageOriginChat):
        name = _signed(origin.sender_chat.title, origin.author_signature)
    elif isinstance(origin, MessageOriginChannel):
        name = _signed(origin.chat.title, origin.author_signature)
    return (name.strip() or None) if name else None, origin.date


def _signed(title: str | None, signature: str | None) -> str | None:
    return " · ".join(part for part in (title, signature) if part) or None


def as_quote(draft: NoteDraft, message: Message) -> NoteDraft:
    """The draft of a forwarded message: a customer quote, with who said it and when."""
    origin = quote_origin(message)
    if origin is None:
        return draft
    name, said_at = origin
    return replace(draft, source="forwarded", quote=True, quoted_from=name, said_at=said_at)


async def store_note(
    update: Update, context: BotContext, text: str, *, onto: JourneyMap | None = None
) -> Note:
    """Classifies and stores one note on the active map (started if there is none) — or `onto`
    that map —, then acks it.

    Text without a single letter or digit (emoji only) is refused before anything is stored.
    The note and the inbox's record of it are one transaction: handled again after a crash,
    the update's note is acknowledged, not stored a second time (bot/inbox.py). In a group the
    acknowledgement is a reaction and a line in a combined message (bot/group_acks.py)."""
    bot_id, update_id = context.bot.id, update.update_id
    owed = owed_note_id(context.db, bot_id, update_id)
    note = get_note(context.db, update.effective_chat.id, owed) if owed is not None else None
    journey = get_map(context.db, note.chat_id, note.map_id) if note is not None else None
    started, draft = False, None
    if note is None or journey is None:
        text = require_words(clean_text(text))
        journey, started = (onto, False) if onto else active_map_or_start_one(update, context)
        # chat_memory imports nlp.classify: while the classifier loads in its thread, that
        # import would hold the event loop on the import lock (1.8 s for the first note)
        await classifier_ready()
        # an attempt counts from here: a stop while the classifier was loading is not the
        # note's fault (bot/inbox.py gives up an update after MAX_ATTEMPTS attempts)
        start_update(context.db, bot_id, update_id, replayable=True)
        memory = await load_chat_memory(context.db, journey.chat_id)
        arrivals = getattr(context.application.update_queue, "arrivals", None)
        arrival = Arrival(arrivals, update_id, journey.chat_id) if arrivals else None
        draft = await draft_note(text, context.lang, memory=memory, arrival=arrival)
        if is_customer_quote(update.effective_message, bot_id):
            draft = as_quote(draft, update.effective_message)
        stage = journey.stage_for_key(draft.stage_key)
        with context.db.atomic():
            note = add_note(
                context.db,
                journey.chat_id,
                journey.id,
                stage.id if stage else None,
                draft,
                update.effective_user.id,
            )
            record_note(context.db, bot_id, update_id, note.id)
    if started:  # said after storing: a message that fails to go out never loses the note
        await reply(update, t(context.lang, "note.map_created", name=esc(journey.name)))
    if update.effective_chat.type != "private":  # a reaction now, one list for many notes
        await context.bot_data["group_acks"].note_stored(update, context.application, note.id)
        await offer_split(update, context, journey, note)
        return note
    text, buttons = acknowledgement(context.lang, journey, note)
    await reply(update, on_map(context, journey, text), buttons)
    # at once, not when the update's handling ends: a crash in between would repeat the answer
    context.application.update_queue.answered(update)
    await offer_split(update, context, journey, note)  # several points: offered as notes
    return note


def active_map_or_start_one(update: Update, context: BotContext) -> tuple[JourneyMap, bool]:
    """The chat's active map; with none, a new map with the standard stages (True: started)."""
    chat = context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    if journey is not None:
        return journey, False
    journey = map_of_chat_or_new(context.db, chat, update.effective_user.id)
    context.chat_record = replace(chat, active_map_id=journey.id)
    return journey, True


def map_of_chat_or_new(db, chat: Chat, author_id: int) -> JourneyMap:
    """The chat's active map; with none, a new one with the standard stages, named in the
    chat's language (a check-in answer sent privately lands on its group's map this way)."""
    journey = get_map(db, chat.id, chat.active_map_id)
    if journey is not None:
        return journey
    name = t(chat.lang, "note.default_map_name")
    return create_map(
        db, chat.id, name, None, author_id, [(key, None) for key in default_stage_keys()]
    )


Choices = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]  # (stage, kind) rows


def acknowledgement(lang: str, journey: JourneyMap, note: Note):
    """The text and buttons that acknowledge a new note: its one-line label and, when the
    classifier was unsure, the question and its one-tap choices (also what a group's "🤔 #N"
    button opens)."""
    choices = unsure_choices(lang, journey, note)
    label = note_label(lang, journey, note)
    if note.quote:  # a forwarded message: said to be kept as a customer quote, and whose
        label += "\n" + quote_line(lang, note)
    if choices:
        label += "\n" + unsure_question(lang, choices)
    return label, note_buttons(lang, note, choices=choices)


def unsure_choices(lang: str, journey: JourneyMap, note: Note) -> Choices | None:
    """When the classifier was unsure (and the team has not answered yet): (stage choices,
    kind choices) as (label, callback data), the likeliest first; None when it was sure. A tap
    is a correction like any other. Stages the map does not have are left out; a row with a
    single choice is dropped."""
    stages = []
    for key in note.stage_choices:
        stage = journey.stage_for_key(key)
        if stage is not None:
            stages.append((stage_name(lang, stage), f"nb:setstage:{note.id}:{stage.id}:{ACK}"))
    kinds = [(t(lang, f"kind.{kind}"), f"nb:setkind:{note.id}:{kind}:{ACK}")
             for kind in note.kind_choices]
    stage_row = tuple(stages) if len(stages) > 1 else ()
    kind_row = tuple(kinds) if len(kinds) > 1 else ()
    return (stage_row, kind_row) if stage_row or kind_row else None


def unsure_question(lang: str, choices: Choices) -> str:
    """"🤔 Not sure: Purchase or Decision? Pain point or Need?" — a question per unsure row."""
    return t(lang, "note.unsure", question=esc(choice_question(lang, choices)))


def choice_question(lang: str, choices: Choices) -> str:
    """"Purchase or Decision? Pain point or Need?" (plain text)."""
    questions = []
    for row in choices:
        labels = [label for label, _ in row]
        if labels:
            head = ", ".join(labels[:-1])
            questions.append(f"{head}{t(lang, 'note.or')}{labels[-1]}?")
    return " ".join(questions)


def note_buttons(lang: str, note: Note, *, card: bool = False, choices: Choices | None = None
                 ) -> InlineKeyboardMarkup:
    """The buttons under a note: change stage, change kind, change channels; then Undo right
    after adding it, or Edit text and Delete under /note N. When the classifier was unsure
    (`choices`), its likeliest stages and/or kinds come first as one-tap corrections, each row
    ending in "Other…" (the full list)."""
    mode = CARD if card else ACK
    rows = []
    if choices:
        stage_row, kind_row = choices
        if stage_row:
            rows.append([*stage_row, (t(lang, "button.other"), f"nb:stage:{note.id}:{mode}")])
        if kind_row:
            rows.append([*kind_row, (t(lang, "button.other"), f"nb:kind:{note.id}:{mode}")])
    rows += [
        [
            (t(lang, "button.change_stage"), f"nb:stage:{note.id}:{mode}"),
            (t(lang, "button.change_kind"), f"nb:kind:{note.id}:{mode}"),
        ]
    ]
    channels = (t(lang, "button.change_channels"), f"nb:chan:{note.id}:{mode}")
    if card:
        rows.append([channels])
        rows += item_buttons(lang, note, ITEM_CARD)
        rows.append(
            [
                (t(lang, "button.edit_text"), f"nb:edit:{note.id}"),
                (t(lang, "button.delete_note"), f"nb:del:{note.id}"),
            ]
        )
    else:
        rows.append([channels, (t(lang, "button.undo"), f"nb:undo:{note.id}")])
    return keyboards.stacked(*rows)


def note_message(
    lang: str, journey: JourneyMap, note: Note, mode: str, *, today: date | None = None
):
    """The text and buttons of a note's message: the one-line acknowledgement, or the card
    (with an item's owner, due date — overdue as of `today` — or who resolved it)."""
    if mode == CARD:
        text = f"{note_label(lang, journey, note)}\n{esc(note.text)}"
        status = item_status(lang, note, today) if note.is_item else ""
        if status:
            text += f"\n{status}"
        return text, note_buttons(lang, note, card=True)
    return note_label(lang, journey, note), note_buttons(lang, note)


def message_for(context: BotContext, journey: JourneyMap, note: Note, mode: str):
    """`note_message` in the chat's language, overdue as of the chat's today, under the map's
    name when the chat has several maps."""
    text, buttons = note_message(context.lang, journey, note, mode, today=today_here(context))
    return on_map(context, journey, text), buttons


async def show_note(update: Update, context: BotContext, number: int) -> None:
    """/note N: note N of the active map with its buttons."""
    journey, note = await _numbered_note(update, context, number)
    if note is not None:
        await reply(update, *message_for(context, journey, note, CARD))


async def _numbered_note(
    update: Update, context: BotContext, number: int
) -> tuple[JourneyMap, Note | None]:
    """Note `number` of the active map; if there is none, the user is told whether it was
    deleted or never existed."""
    journey = active_map(context)
    return journey, await note_by_number(update, context, journey, number)


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
    journey, note = await _numbered_note(update, context, number)
    if note is not None:
        own = note.author_id == update.effective_user.id
        await require(update, context, Action.DELETE_NOTE, own=own)  # members: their own
        await reply(
            update, *_delete_question(context.lang, journey, note, update.effective_user.id)
        )


def _delete_question(
    lang: str, journey: JourneyMap, note: Note, asker: int
) -> tuple[str, InlineKeyboardMarkup]:
    """ "Delete note #3 of “Cake orders”?": the map is named, since numbers are per map and
    the chat may have switched maps since the note was shown."""
    keyboard = keyboards.rows(
        [
            (t(lang, "button.delete_note_yes"), f"nb:delyes:{note.id}:{asker}"),
            (t(lang, "button.keep_note"), f"nb:delno:{note.id}:{asker}"),
        ]
    )
    question = t(lang, "note.confirm_delete", number=note.number, name=esc(journey.name),
                 text=esc(note.text))
    return question, keyboard


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


def _with_question(context: BotContext, journey: JourneyMap, note: Note, key: str) -> str:
    """The note's label with the question a picker asks (under the map's name: `on_map`)."""
    question = t(context.lang, key)
    return on_map(context, journey, f"{note_label(context.lang, journey, note)}\n\n{question}")


async def _pick_stage(update, context, note, journey, rest) -> None:
    lang, mode = context.lang, _mode(rest, 0)
    await update.callback_query.answer()
    choices = [
        (stage_name(lang, s), f"nb:setstage:{note.id}:{s.id}:{mode}") for s in journey.stages
    ]
    choices.append((t(lang, "button.back"), f"nb:back:{note.id}:{mode}"))
    await edit_or_reply(
        update,
        _with_question(context, journey, note, "note.pick_stage"),
        keyboards.column(choices),
    )


async def _pick_kind(update, context, note, journey, rest) -> None:
    lang, mode = context.lang, _mode(rest, 0)
    await update.callback_query.answer()
    choices = [(t(lang, f"kind.{kind}"), f"nb:setkind:{note.id}:{kind}:{mode}") for kind in KINDS]
    choices.append((t(lang, "button.back"), f"nb:back:{note.id}:{mode}"))
    await edit_or_reply(
        update,
        _with_question(context, journey, note, "note.pick_kind"),
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
    await edit_or_reply(update, *message_for(context, journey, updated, _mode(rest, 1)))
    await _group_list_follows(update, context, note.id)


async def _group_list_follows(update: Update, context: BotContext, note_id: int) -> None:
    """In a group, the combined acknowledgement that lists the note shows it as it is now."""
    if update.effective_chat.type != "private":
        await context.bot_data["group_acks"].note_changed(
            context.application, update.effective_chat.id, note_id
        )


async def _set_kind(update, context, note, journey, rest) -> None:
    """Changes the note's kind; the change is kept as training data."""
    query, lang = update.callback_query, context.lang
    if not rest or rest[0] not in KINDS:
        await query.answer(t(lang, "error.not_found"), show_alert=True)
        return
    sentiment = await kind_sentiment(note.text, note.lang, rest[0])
    updated = correct_note(
        context.db, journey.chat_id, note.id, update.effective_user.id, kind=rest[0],
        sentiment=sentiment,
    )
    await query.answer()
    await edit_or_reply(update, *message_for(context, journey, updated, _mode(rest, 1)))
    await _group_list_follows(update, context, note.id)


def channel_picker(lang: str, journey: JourneyMap, note: Note, mode: str):
    """The note's channels (✓) and the generic ones it does not have: a tap adds or removes
    one ("nb:tch:<note id>:<channel>:<mode>"); Done goes back to the note."""
    candidates = [*note.channels, *(c for c in GENERIC_CHANNELS if c not in note.channels)]
    choices = []
    for channel in candidates:
        data = f"nb:tch:{note.id}:{channel}:{mode}"
        if len(data.encode()) <= MAX_CALLBACK_BYTES and ":" not in channel:
            mark = "✓ " if channel in note.channels else ""
            choices.append((mark + channel_name(lang, channel), data))
    choices.append((t(lang, "button.channels_done"), f"nb:back:{note.id}:{mode}"))
    text = f"{note_label(lang, journey, note)}\n\n{t(lang, 'note.pick_channels')}"
    return text, keyboards.rows(choices)


async def _pick_channels(update, context, note, journey, rest) -> None:
    await update.callback_query.answer()
    text, buttons = channel_picker(context.lang, journey, note, _mode(rest, 0))
    await edit_or_reply(update, on_map(context, journey, text), buttons)


async def _toggle_channel(update, context, note, journey, rest) -> None:
    """Adds the tapped channel to the note or removes it; kept as a correction."""
    query = update.callback_query
    channel = rest[0] if rest else ""
    if channel not in note.channels and channel not in GENERIC_CHANNELS:
        await query.answer(t(context.lang, "stale.button"))
        return
    if channel in note.channels:
        channels = tuple(c for c in note.channels if c != channel)
    else:
        channels = (*note.channels, channel)
    updated = correct_note(
        context.db, journey.chat_id, note.id, update.effective_user.id, channels=channels
    )
    await query.answer()
    text, buttons = channel_picker(context.lang, journey, updated, _mode(rest, 1))
    await edit_or_reply(update, on_map(context, journey, text), buttons)


async def _back(update, context, note, journey, rest) -> None:
    await update.callback_query.answer()
    await edit_or_reply(update, *message_for(context, journey, note, _mode(rest, 0)))


async def _open(update, context, note, journey, rest) -> None:
    """A note listed in a group's combined acknowledgement (bot/group_acks.py): its own
    acknowledgement, with the buttons to change its stage or kind or to undo it — and, when
    the classifier was unsure and nobody has answered yet, its question and choices."""
    await update.callback_query.answer()
    text, buttons = acknowledgement(context.lang, journey, note)
    await reply(update, on_map(context, journey, text), buttons)


async def _undo(update, context, note, journey, rest) -> None:
    """Undo under a fresh acknowledgement: the note is deleted at once."""
    await update.callback_query.answer()
    delete_note(context.db, journey.chat_id, note.id)
    undone = t(context.lang, "note.undone", number=note.number)
    await edit_or_reply(update, on_map(context, journey, undone))
    await _group_list_follows(update, context, note.id)


async def _ask_delete(update, context, note, journey, rest) -> None:
    await update.callback_query.answer()
    await edit_or_reply(
        update, *_delete_question(context.lang, journey, note, update.effective_user.id)
    )


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
    deleted = t(context.lang, "note.deleted", number=note.number, name=esc(journey.name))
    await edit_or_reply(update, deleted)
    await _group_list_follows(update, context, note.id)


async def _delete_declined(update, context, note, journey, rest) -> None:
    if not await may_answer_confirmation(update, context, parse_id(rest[0]) if rest else None):
        return
    await update.callback_query.answer()
    await edit_or_reply(update, *message_for(context, journey, note, CARD))


async def _edit_pressed(update, context, note, journey, rest) -> None:
    """Edit text: the presser's next message becomes the note's text."""
    dialog = new_dialog(update, FLOW, EDITING_TEXT, note_id=note.id, number=note.number,
                        map_id=note.map_id)
    await begin_from_button(update, context, dialog, ask_new_text)


async def ask_new_text(update: Update, context: BotContext, dialog: Dialog) -> None:
    note = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    journey = get_map(context.db, dialog.chat_id, note.map_id) if note else None
    if note is None or journey is None:
        raise NotFound()
    asked = t(context.lang, "note.ask_new_text", number=note.number, text=esc(note.text))
    await reply(update, on_map(context, journey, asked))


async def new_text_given(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Replaces the note's text (its channels and mood are read again); its stage, kind and
    number stay. If the note was deleted meanwhile, the text is kept as a new note of the
    note's map — of the active map if that map is gone too — (Undo under it takes it back) and
    the reply says so: typed words are never dropped, nor put on a map the team switched to."""
    text = require_words(clean_text(update.effective_message.text))
    draft = await draft_note(text, context.lang)
    note = edit_note_text(context.db, dialog.chat_id, dialog.data["note_id"], draft)
    journey = get_map(context.db, dialog.chat_id, note.map_id) if note else None
    if note is None or journey is None:
        onto = get_map(context.db, dialog.chat_id, dialog.data.get("map_id"))
        if onto is None:
            onto, _ = active_map_or_start_one(update, context)
        await reply(update, t(context.lang, "note.edit_target_gone",
                              number=dialog.data.get("number", "?"), name=esc(onto.name)))
        await store_note(update, context, text, onto=onto)
        return
    await reply(update, t(context.lang, "note.text_edited", number=note.number))
    await reply(update, *message_for(context, journey, note, CARD))


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
    "open": _open,
    "del": _ask_delete,
    "delyes": _delete_confirmed,
    "delno": _delete_declined,
    "edit": _edit_pressed,
    "chan": _pick_channels,
    "tch": _toggle_channel,
}

FLOW = Flow(
    "note",
    command="note",
    states={
        WAITING_FOR_TEXT: State(ask_text, text=text_given),
        EDITING_TEXT: State(ask_new_text, text=new_text_given),
    },
)
