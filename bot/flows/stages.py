"""/stages: the active map's stages — rename, add, remove (after a confirmation) and move them.

Every change is stored at once (the list is edited in place), so stopping the conversation
loses nothing. A removed stage's notes stay on the map without a stage: every view shows them
under "Not sorted yet" (last), and /note N → Change stage puts one on a stage again. The notes
of a big stage are moved off it in short steps (bot.offload.in_steps), so removing a stage of
10,000 notes never holds the event loop. Buttons carry stage ids (never reused): a stage
removed meanwhile is "not found". Diagram: docs/architecture.md.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.context import BotContext
from bot.core.journey import check_stage_count, clean_text, parse_id
from bot.core.model import MAX_STAGE_NAME_LENGTH, Dialog, JourneyMap, NoActiveMap, NotFound, Stage
from bot.core.permissions import Action
from bot.dialogs import Flow, State, new_dialog
from bot.flows.common import active_map
from bot.offload import in_steps
from bot.permissions import require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import stage_name
from storage.maps import get_map, replace_stages, stage_note_counts, unstage_some_notes

EDITING, RENAMING, ADDING, CONFIRMING_REMOVAL = "editing", "renaming", "adding", "removing"
StageRow = tuple[int | None, str | None, str | None]  # (stage id, key, name): replace_stages


async def stages_command(update: Update, context: BotContext) -> Dialog:
    """/stages lists the active map's stages with their notes and the buttons to change them."""
    journey = active_map(context)
    await require(update, context, Action.EDIT_STAGES)
    dialog = new_dialog(update, FLOW, EDITING, map_id=journey.id)
    await ask_stages(update, context, dialog)
    return dialog


def _journey(context: BotContext, dialog: Dialog) -> JourneyMap:
    journey = get_map(context.db, dialog.chat_id, dialog.data["map_id"])
    if journey is None:  # deleted meanwhile
        raise NoActiveMap()
    return journey


def _stage(journey: JourneyMap, argument: str) -> Stage:
    stage = journey.stage_by_id(parse_id(argument))
    if stage is None:  # removed meanwhile (by someone else, or an older message's button)
        raise NotFound()
    return stage


def _rows(journey: JourneyMap) -> list[StageRow]:
    return [(s.id, s.key, s.name) for s in journey.stages]


def _stages_message(context: BotContext, journey: JourneyMap) -> tuple[str, InlineKeyboardMarkup]:
    lang = context.lang
    counts = stage_note_counts(context.db, journey.chat_id, journey.id)
    lines = [t(lang, "stages.title", name=esc(journey.name)), ""]
    for number, stage in enumerate(journey.stages, start=1):
        lines.append(t(lang, "stages.line", number=number, name=esc(stage_name(lang, stage)),
                       notes=counts.get(stage.id, 0)))
    unsorted = sum(n for stage_id, n in counts.items() if journey.stage_by_id(stage_id) is None)
    if unsorted:
        lines.append(t(lang, "stages.unsorted_line", name=esc(stage_name(lang, None)),
                       notes=unsorted))
    keyboard = keyboards.stacked(
        [
            (t(lang, "button.rename_stage"), FLOW.button("pick", "rename")),
            (t(lang, "button.add_stage"), FLOW.button("add")),
        ],
        [
            (t(lang, "button.remove_stage"), FLOW.button("pick", "remove")),
            (t(lang, "button.move_stage"), FLOW.button("pick", "move")),
        ],
        [(t(lang, "button.stages_done"), FLOW.button("done"))],
    )
    return "\n".join(lines), keyboard


async def ask_stages(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_stages_message(context, _journey(context, dialog)))


async def _show_stages(update: Update, context: BotContext, dialog: Dialog, note: str = ""
                       ) -> Dialog:
    """The list again, in place of the message whose button was pressed (a typed answer gets
    a new message); `note` says what just changed."""
    text, keyboard = _stages_message(context, _journey(context, dialog))
    text = f"{note}\n\n{text}" if note else text
    if update.callback_query:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)
    return dialog.to(EDITING, stage_id=None)


async def back_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Leaves a question and shows the list again."""
    return await _show_stages(update, context, dialog)


async def action_picked(update: Update, context: BotContext, dialog: Dialog, action: str
                        ) -> Dialog:
    """Rename, Remove or Move: asks which stage."""
    if action not in ("rename", "remove", "move"):
        raise NotFound()
    lang, journey = context.lang, _journey(context, dialog)
    choices = [(stage_name(lang, s), FLOW.button(action, s.id)) for s in journey.stages]
    choices.append((t(lang, "button.back"), FLOW.button("back")))
    await edit_or_reply(update, t(lang, f"newmap.ask_stage_to_{action}"), keyboards.column(choices))
    return dialog


async def rename_picked(update: Update, context: BotContext, dialog: Dialog, argument: str
                        ) -> Dialog:
    """Asks for the picked stage's new name."""
    stage = _stage(_journey(context, dialog), argument)
    dialog = dialog.to(RENAMING, stage_id=stage.id, stage_name=stage_name(context.lang, stage))
    await edit_or_reply(update, *_name_question(context, dialog))
    return dialog


def _name_question(context: BotContext, dialog: Dialog) -> tuple[str, InlineKeyboardMarkup]:
    lang = context.lang
    back = keyboards.column([(t(lang, "button.back"), FLOW.button("back"))])
    if dialog.state == ADDING:
        return t(lang, "newmap.ask_added_stage_name"), back
    stage = _stage(_journey(context, dialog), str(dialog.data["stage_id"]))
    return t(lang, "newmap.ask_new_stage_name", name=esc(stage_name(lang, stage))), back


async def ask_name(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_name_question(context, dialog))


def _typed_name(update: Update) -> str:
    return clean_text(update.effective_message.text, limit=MAX_STAGE_NAME_LENGTH).replace("\n", " ")


async def stage_renamed(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the new name (the stage keeps its notes, and new notes still reach it)."""
    await require(update, context, Action.EDIT_STAGES)  # the setting may have changed meanwhile
    name = _typed_name(update)
    journey = _journey(context, dialog)
    stage = journey.stage_by_id(dialog.data["stage_id"])
    if stage is None:  # removed meanwhile by someone else: the name is not used, said so
        said = t(context.lang, "stages.rename_gone", name=esc(name),
                 old=esc(dialog.data.get("stage_name") or "?"))
        return await _show_stages(update, context, dialog, said)
    rows = [(s, k, name if s == stage.id else n) for s, k, n in _rows(journey)]
    replace_stages(context.db, journey.chat_id, journey.id, rows)
    said = t(context.lang, "stages.renamed", old=esc(stage_name(context.lang, stage)),
             name=esc(name))
    return await _show_stages(update, context, dialog, said)


async def add_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Asks for the new stage's name (a map holds at most twelve)."""
    check_stage_count(len(_journey(context, dialog).stages) + 1)
    dialog = dialog.to(ADDING)
    await edit_or_reply(update, *_name_question(context, dialog))
    return dialog


async def stage_added(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Adds the stage at the end of the map (no canonical key: notes reach it by hand)."""
    await require(update, context, Action.EDIT_STAGES)
    name = _typed_name(update)
    journey = _journey(context, dialog)
    check_stage_count(len(journey.stages) + 1)
    replace_stages(context.db, journey.chat_id, journey.id, [*_rows(journey), (None, None, name)])
    return await _show_stages(update, context, dialog, t(context.lang, "stages.added",
                                                         name=esc(name)))


async def remove_picked(update: Update, context: BotContext, dialog: Dialog, argument: str
                        ) -> Dialog:
    """Asks to confirm, saying what happens to the stage's notes (a map keeps one stage)."""
    journey = _journey(context, dialog)
    stage = _stage(journey, argument)
    if len(journey.stages) == 1:
        await update.callback_query.answer(t(context.lang, "newmap.need_one_stage"),
                                           show_alert=True)
        return dialog
    dialog = dialog.to(CONFIRMING_REMOVAL, stage_id=stage.id)
    await edit_or_reply(update, *_removal_question(context, journey, stage))
    return dialog


async def ask_removal(update: Update, context: BotContext, dialog: Dialog) -> None:
    journey = _journey(context, dialog)
    stage = _stage(journey, str(dialog.data["stage_id"]))
    await reply(update, *_removal_question(context, journey, stage))


def _removal_question(context: BotContext, journey: JourneyMap, stage: Stage
                      ) -> tuple[str, InlineKeyboardMarkup]:
    """"Remove the stage …?" and, truthfully, what becomes of its notes and of new notes."""
    lang = context.lang
    notes = stage_note_counts(context.db, journey.chat_id, journey.id).get(stage.id, 0)
    unsorted = esc(stage_name(lang, None))
    lines = [t(lang, "stages.confirm_remove", name=esc(stage_name(lang, stage)))]
    if notes:
        lines.append(t(lang, "stages.remove_keeps_notes", count=notes, unsorted=unsorted))
    else:
        lines.append(t(lang, "stages.remove_no_notes"))
    if stage.key is not None:  # the classifier files notes under canonical stages only
        lines.append(t(lang, "stages.remove_new_notes", unsorted=unsorted))
    keyboard = keyboards.rows([
        (t(lang, "button.remove_stage_yes"), FLOW.button("yes", stage.id)),
        (t(lang, "button.keep_stage"), FLOW.button("back")),
    ])
    return "\n\n".join(lines), keyboard


async def removal_confirmed(update: Update, context: BotContext, dialog: Dialog, argument: str
                            ) -> Dialog:
    """Removes the stage: its notes move off it in short steps, then the stage goes."""
    await require(update, context, Action.EDIT_STAGES)
    journey = _journey(context, dialog)
    stage = _stage(journey, argument)
    if len(journey.stages) == 1:
        raise NotFound()
    await update.callback_query.answer()
    kept = [row for row in _rows(journey) if row[0] != stage.id]
    moved = await in_steps(unstage_some_notes, context.db, journey.chat_id, journey.id, kept)
    replace_stages(context.db, journey.chat_id, journey.id, kept)  # and notes added meanwhile
    lang = context.lang
    said = t(lang, "stages.removed", name=esc(stage_name(lang, stage)))
    if moved:
        said += " " + t(lang, "stages.removed_notes", notes=moved,
                        unsorted=esc(stage_name(lang, None)))
    return await _show_stages(update, context, dialog, said)


async def move_picked(update: Update, context: BotContext, dialog: Dialog, argument: str
                      ) -> Dialog:
    """Asks where the picked stage should go: before another stage, or to the end."""
    lang, journey = context.lang, _journey(context, dialog)
    stage = _stage(journey, argument)
    index = journey.stages.index(stage)
    choices = [
        (t(lang, "button.before", name=stage_name(lang, s)),
         FLOW.button("to", f"{stage.id}.{s.id}"))
        for i, s in enumerate(journey.stages)
        if i not in (index, index + 1)
    ]
    if index != len(journey.stages) - 1:
        choices.append((t(lang, "button.to_end"), FLOW.button("to", f"{stage.id}.end")))
    choices.append((t(lang, "button.back"), FLOW.button("back")))
    name = esc(stage_name(lang, stage))
    await edit_or_reply(update, t(lang, "newmap.ask_move_target", name=name),
                        keyboards.column(choices))
    return dialog


async def move_target_picked(update: Update, context: BotContext, dialog: Dialog, argument: str
                             ) -> Dialog:
    """Moves the stage before the picked one (or to the end) and shows the list again."""
    await require(update, context, Action.EDIT_STAGES)
    journey = _journey(context, dialog)
    source, _, target = argument.partition(".")
    stage = _stage(journey, source)
    rows = [row for row in _rows(journey) if row[0] != stage.id]
    if target == "end":
        at = len(rows)
    else:
        before = _stage(journey, target)
        at = next(i for i, row in enumerate(rows) if row[0] == before.id)
    rows.insert(at, (stage.id, stage.key, stage.name))
    replace_stages(context.db, journey.chat_id, journey.id, rows)
    return await _show_stages(update, context, dialog)


async def done_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> None:
    """Ends the conversation; the list stays as it is, without buttons."""
    text, _ = _stages_message(context, _journey(context, dialog))
    await edit_or_reply(update, text)
    return None


_LIST_BUTTONS = {"pick": action_picked, "add": add_pressed, "done": done_pressed,
                 "rename": rename_picked, "remove": remove_picked, "move": move_picked,
                 "to": move_target_picked, "back": back_pressed}

FLOW = Flow(
    "st",
    command="stages",
    states={
        EDITING: State(ask_stages, buttons=_LIST_BUTTONS),
        RENAMING: State(ask_name, text=stage_renamed, buttons={"back": back_pressed}),
        ADDING: State(ask_name, text=stage_added, buttons={"back": back_pressed}),
        CONFIRMING_REMOVAL: State(
            ask_removal, buttons={"yes": removal_confirmed, "back": back_pressed}
        ),
    },
)
