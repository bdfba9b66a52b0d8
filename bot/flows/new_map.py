"""/newmap: name → persona → stages (keep, rename, add, remove, move) → lanes stage by stage.

The map is stored when its stages are confirmed; from then on every answer is stored as it
comes, so stopping (or a restart) keeps the map and the answers given. Stopped before that,
nothing is stored, and /cancel says so. Diagram: new_map.mmd.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import draft_note
from bot.context import BotContext
from bot.core.journey import (
    check_stage_count,
    clean_text,
    default_stage_keys,
    has_words,
    moved,
    split_items,
)
from bot.core.model import (
    LANES,
    MAX_MAP_NAME_LENGTH,
    MAX_MAPS_PER_CHAT,
    MAX_STAGE_NAME_LENGTH,
    Dialog,
    JourneyMap,
    NotFound,
    NoWords,
    Stage,
    TooManyMaps,
)
from bot.dialogs import Flow, State, new_dialog
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import spec_name, stage_name
from storage.maps import create_map, get_map, list_maps
from storage.notes import add_note, list_notes

NAMING, DESCRIBING_PERSONA, EDITING_STAGES, RENAMING_STAGE, ADDING_STAGE, FILLING_LANES = (
    "naming",
    "persona",
    "stages",
    "renaming_stage",
    "adding_stage",
    "lanes",
)


async def begin(update: Update, context: BotContext) -> Dialog:
    """/newmap [name]: asks for the name (or takes it from the command), then the persona."""
    if len(list_maps(context.db, context.chat_record.id)) >= MAX_MAPS_PER_CHAT:
        raise TooManyMaps(limit=MAX_MAPS_PER_CHAT)  # said now, not after all the questions
    dialog = new_dialog(update, FLOW, NAMING)
    if context.args:
        return await _take_name(update, context, dialog, " ".join(context.args))
    await ask_name(update, context, dialog)
    return dialog


async def ask_name(update: Update, context: BotContext, _: Dialog) -> None:
    await reply(update, t(context.lang, "newmap.ask_name"))


async def name_given(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the map's name and asks who the customer is."""
    return await _take_name(update, context, dialog, update.effective_message.text)


async def _take_name(update: Update, context: BotContext, dialog: Dialog, text: str) -> Dialog:
    name = clean_text(text, limit=MAX_MAP_NAME_LENGTH).replace("\n", " ")
    dialog = dialog.to(DESCRIBING_PERSONA, name=name)
    await ask_persona(update, context, dialog)
    return dialog


async def ask_persona(update: Update, context: BotContext, _: Dialog) -> None:
    keyboard = keyboards.column([(t(context.lang, "button.skip"), FLOW.button("skip_persona"))])
    await reply(update, t(context.lang, "newmap.ask_persona"), keyboard)


async def persona_given(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the persona and shows the proposed stages."""
    persona = clean_text(update.effective_message.text, limit=MAX_MAP_NAME_LENGTH * 2)
    return await _show_default_stages(update, context, dialog.to(EDITING_STAGES, persona=persona))


async def persona_skipped(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """No persona: straight to the stages."""
    return await _show_default_stages(update, context, dialog.to(EDITING_STAGES, persona=None))


async def _show_default_stages(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    dialog = dialog.to(
        EDITING_STAGES, stages=[{"key": k, "name": None} for k in default_stage_keys()]
    )
    await ask_stages(update, context, dialog)
    return dialog


async def ask_stages(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_stages_message(context.lang, dialog))


def _stages_message(lang: str, dialog: Dialog) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t(lang, "newmap.stages_intro"), ""]
    lines += [
        t(lang, "newmap.stage_line", number=i, name=esc(spec_name(lang, s)))
        for i, s in enumerate(dialog.data["stages"], start=1)
    ]
    keyboard = keyboards.stacked(
        [(t(lang, "button.keep_stages"), FLOW.button("keep"))],
        [
            (t(lang, "button.rename_stage"), FLOW.button("pick", "rename")),
            (t(lang, "button.add_stage"), FLOW.button("add")),
        ],
        [
            (t(lang, "button.remove_stage"), FLOW.button("pick", "remove")),
            (t(lang, "button.move_stage"), FLOW.button("pick", "move")),
        ],
        [(t(lang, "button.reset_stages"), FLOW.button("reset"))],
    )
    return "\n".join(lines), keyboard


async def stage_action_picked(
    update: Update, context: BotContext, dialog: Dialog, action: str
) -> Dialog:
    """Rename, remove or move: asks which stage."""
    if action not in ("rename", "remove", "move"):
        raise NotFound()
    lang = context.lang
    choices = [
        (spec_name(lang, s), FLOW.button(action, i)) for i, s in enumerate(dialog.data["stages"])
    ]
    choices.append((t(lang, "button.back"), FLOW.button("back")))
    await edit_or_reply(update, t(lang, f"newmap.ask_stage_to_{action}"), keyboards.column(choices))
    return dialog


async def back_to_stages(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Leaves a stage sub-menu and shows the stage list again."""
    dialog = dialog.to(EDITING_STAGES)
    await edit_or_reply(update, *_stages_message(context.lang, dialog))
    return dialog


def _stage_index(dialog: Dialog, argument: str) -> int:
    try:
        index = int(argument)
    except ValueError:
        raise NotFound() from None
    if not 0 <= index < len(dialog.data["stages"]):
        raise NotFound()
    return index


async def rename_picked(
    update: Update, context: BotContext, dialog: Dialog, argument: str
) -> Dialog:
    """Asks for the new name of the picked stage."""
    dialog = dialog.to(RENAMING_STAGE, picked=_stage_index(dialog, argument))
    await edit_or_reply(update, *_new_stage_name_question(context.lang, dialog))
    return dialog


async def ask_new_stage_name(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_new_stage_name_question(context.lang, dialog))


def _new_stage_name_question(lang: str, dialog: Dialog) -> tuple[str, InlineKeyboardMarkup]:
    name = spec_name(lang, dialog.data["stages"][dialog.data["picked"]])
    keyboard = keyboards.column([(t(lang, "button.back"), FLOW.button("back"))])
    return t(lang, "newmap.ask_new_stage_name", name=esc(name)), keyboard


async def stage_renamed(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the stage's new name (it keeps its canonical key) and shows the list again."""
    name = _stage_name_from(update)
    stages = [dict(s) for s in dialog.data["stages"]]
    stages[dialog.data["picked"]]["name"] = name
    dialog = dialog.to(EDITING_STAGES, stages=stages, picked=None)
    await reply(update, *_stages_message(context.lang, dialog))
    return dialog


async def add_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Asks for the name of a new stage."""
    check_stage_count(len(dialog.data["stages"]) + 1)
    await edit_or_reply(update, *_added_stage_question(context.lang))
    return dialog.to(ADDING_STAGE)


async def ask_added_stage_name(update: Update, context: BotContext, _: Dialog) -> None:
    await reply(update, *_added_stage_question(context.lang))


def _added_stage_question(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = keyboards.column([(t(lang, "button.back"), FLOW.button("back"))])
    return t(lang, "newmap.ask_added_stage_name"), keyboard


async def stage_added(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Appends a custom stage (no canonical key: notes reach it only by hand)."""
    name = _stage_name_from(update)
    check_stage_count(len(dialog.data["stages"]) + 1)
    stages = [*dialog.data["stages"], {"key": None, "name": name}]
    dialog = dialog.to(EDITING_STAGES, stages=stages)
    await reply(update, *_stages_message(context.lang, dialog))
    return dialog


def _stage_name_from(update: Update) -> str:
    return clean_text(update.effective_message.text, limit=MAX_STAGE_NAME_LENGTH).replace("\n", " ")


async def remove_picked(
    update: Update, context: BotContext, dialog: Dialog, argument: str
) -> Dialog:
    """Removes the picked stage (a map keeps at least one)."""
    index = _stage_index(dialog, argument)
    stages = list(dialog.data["stages"])
    if len(stages) == 1:
        await update.callback_query.answer(t(context.lang, "newmap.need_one_stage"))
        return dialog
    stages.pop(index)
    dialog = dialog.to(EDITING_STAGES, stages=stages)
    await edit_or_reply(update, *_stages_message(context.lang, dialog))
    return dialog


async def move_picked(update: Update, context: BotContext, dialog: Dialog, argument: str) -> Dialog:
    """Asks where the picked stage should go."""
    index = _stage_index(dialog, argument)
    lang, stages = context.lang, dialog.data["stages"]
    choices = [
        (t(lang, "button.before", name=spec_name(lang, s)), FLOW.button("to", f"{index}.{i}"))
        for i, s in enumerate(stages)
        if i not in (index, index + 1)
    ]
    if index != len(stages) - 1:
        choices.append((t(lang, "button.to_end"), FLOW.button("to", f"{index}.{len(stages)}")))
    choices.append((t(lang, "button.back"), FLOW.button("back")))
    name = esc(spec_name(lang, stages[index]))
    await edit_or_reply(
        update, t(lang, "newmap.ask_move_target", name=name), keyboards.column(choices)
    )
    return dialog


async def move_target_picked(
    update: Update, context: BotContext, dialog: Dialog, argument: str
) -> Dialog:
    """Moves the stage before the picked one (or to the end) and shows the list again."""
    source, _, target = argument.partition(".")
    index = _stage_index(dialog, source)
    try:
        before = int(target)
    except ValueError:
        raise NotFound() from None
    offset = before - index - (1 if before > index else 0)
    dialog = dialog.to(EDITING_STAGES, stages=moved(list(dialog.data["stages"]), index, offset))
    await edit_or_reply(update, *_stages_message(context.lang, dialog))
    return dialog


async def reset_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Back to the standard six stages."""
    dialog = dialog.to(
        EDITING_STAGES, stages=[{"key": k, "name": None} for k in default_stage_keys()]
    )
    await edit_or_reply(update, *_stages_message(context.lang, dialog))
    return dialog


async def stages_kept(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Stores the map with its stages, makes it active and asks the first lane question."""
    data = dialog.data
    journey = create_map(
        context.db,
        dialog.chat_id,
        data["name"],
        data.get("persona"),
        dialog.user_id,
        [(s["key"], s["name"]) for s in data["stages"]],
    )
    await edit_or_reply(update, t(context.lang, "newmap.created", name=esc(journey.name)))
    dialog = dialog.to(FILLING_LANES, map_id=journey.id, stage_pos=0, lane_pos=0, stages=None,
                       stage_id=journey.stages[0].id)
    await _ask_lane(update, context, journey, dialog)
    return dialog


def _journey(context: BotContext, dialog: Dialog) -> JourneyMap:
    journey = get_map(context.db, dialog.chat_id, dialog.data["map_id"])
    if journey is None or not journey.stages:
        raise NotFound()
    return journey


async def ask_lane(update: Update, context: BotContext, dialog: Dialog) -> None:
    await _ask_lane(update, context, _journey(context, dialog), dialog)


async def _ask_lane(
    update: Update, context: BotContext, journey: JourneyMap, dialog: Dialog, *, edit: bool = False
) -> None:
    lang = context.lang
    stage_pos, lane_pos = dialog.data["stage_pos"], dialog.data["lane_pos"]
    stage = journey.stages[stage_pos]
    lane = LANES[lane_pos]
    text = "\n".join(
        [
            t(
                lang,
                "newmap.stage_header",
                number=stage_pos + 1,
                total=len(journey.stages),
                stage=esc(stage_name(lang, stage)),
            ),
            t(lang, f"newmap.question.{lane}"),
            "",
            f"<i>{t(lang, 'newmap.answer_hint')}</i>",
        ]
    )
    position = f"{stage_pos}.{lane_pos}"
    keyboard = keyboards.stacked(
        [
            (t(lang, "button.skip"), FLOW.button("skip", position)),
            (t(lang, "button.next_stage"), FLOW.button("next", position)),
        ],
        [(t(lang, "button.finish"), FLOW.button("finish"))],
    )
    if edit:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)


async def lane_answered(update: Update, context: BotContext, dialog: Dialog) -> Dialog | None:
    """Stores each item of the answer as a note of this stage and lane; asks the next question."""
    journey = _journey(context, dialog)
    text = clean_text(update.effective_message.text)
    stage = _asked_stage(journey, dialog)
    lane = LANES[dialog.data["lane_pos"]]
    items = [item for item in split_items(text, context.lang) if has_words(item)]
    if not items:
        raise NoWords()  # emoji alone: the question stays, nothing is stored
    drafts = [
        await draft_note(item, context.lang, kind=lane, stage_key=stage.key if stage else None,
                         guided=True)
        for item in items
    ]
    with context.db.atomic():  # all the items of an answer, or none
        for draft in drafts:
            on = stage or journey.stage_for_key(draft.classified_stage)  # removed: sorted
            add_note(context.db, dialog.chat_id, journey.id, on.id if on else None, draft,
                     update.effective_user.id)
    if stage is None:  # its stage was removed meanwhile (/stages): said so, the questions go on
        await reply(update, t(context.lang, "newmap.stage_gone_added", count=len(items)))
        dialog = dialog.to(FILLING_LANES, lane_pos=0)
        return await _advance(update, context, journey, dialog, lanes=0)
    await reply(update, t(context.lang, "newmap.added", count=len(items)))
    dialog = dialog.to(FILLING_LANES, stage_pos=journey.stages.index(stage))  # moved meanwhile?
    return await _advance(update, context, journey, dialog, lanes=1)


def _asked_stage(journey: JourneyMap, dialog: Dialog) -> Stage | None:
    """The stage the lane question was about, wherever it is now; None if it was removed
    meanwhile (a question asked by an older release names only its position)."""
    if "stage_id" in dialog.data:
        return journey.stage_by_id(dialog.data["stage_id"])
    position = dialog.data["stage_pos"]
    return journey.stages[position] if position < len(journey.stages) else None


async def lane_skipped(
    update: Update, context: BotContext, dialog: Dialog, position: str
) -> Dialog | None:
    """Skips the current question (only if the button belongs to it)."""
    if not _is_current(dialog, position):
        await update.callback_query.answer(t(context.lang, "stale.button"))
        return dialog
    return await _advance(update, context, _journey(context, dialog), dialog, lanes=1, edit=True)


async def stage_skipped(
    update: Update, context: BotContext, dialog: Dialog, position: str
) -> Dialog | None:
    """Jumps to the first question of the next stage."""
    if not _is_current(dialog, position):
        await update.callback_query.answer(t(context.lang, "stale.button"))
        return dialog
    left = len(LANES) - dialog.data["lane_pos"]
    return await _advance(update, context, _journey(context, dialog), dialog, lanes=left, edit=True)


def _is_current(dialog: Dialog, position: str) -> bool:
    return position == f"{dialog.data['stage_pos']}.{dialog.data['lane_pos']}"


async def _advance(
    update: Update,
    context: BotContext,
    journey: JourneyMap,
    dialog: Dialog,
    *,
    lanes: int,
    edit: bool = False,
) -> Dialog | None:
    flat = dialog.data["stage_pos"] * len(LANES) + dialog.data["lane_pos"] + lanes
    stage_pos, lane_pos = divmod(flat, len(LANES))
    if stage_pos >= len(journey.stages):
        await _summarize(update, context, journey)
        return None
    dialog = dialog.to(FILLING_LANES, stage_pos=stage_pos, lane_pos=lane_pos,
                       stage_id=journey.stages[stage_pos].id)
    await _ask_lane(update, context, journey, dialog, edit=edit)
    return dialog


async def finished(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog | None:
    """Ends the lane questions and posts the map's summary."""
    await _summarize(update, context, _journey(context, dialog))
    return None


async def _summarize(update: Update, context: BotContext, journey: JourneyMap) -> None:
    lang = context.lang
    notes = list_notes(context.db, journey.chat_id, journey.id)
    lines = [t(lang, "newmap.summary_title", name=esc(journey.name))]
    if journey.persona:
        lines.append(t(lang, "newmap.summary_persona", persona=esc(journey.persona)))
    lines.append(
        t(
            lang,
            "newmap.summary_counts",
            stages=len(journey.stages),
            notes=len(notes),
            pain_points=sum(1 for n in notes if n.is_open_pain_point),
        )
    )
    lines.append("")
    for stage in journey.stages:
        count = sum(1 for n in notes if n.stage_id == stage.id)
        lines.append(
            t(lang, "newmap.summary_stage", name=esc(stage_name(lang, stage)), count=count)
        )
    lines += ["", t(lang, "newmap.summary_next"), t(lang, "newmap.offer_schedule")]
    offer = keyboards.column([(t(lang, "button.plan_reviews"), "sched:open")])
    await reply(update, "\n".join(lines), offer)


def stopped(lang: str, dialog: Dialog) -> str | None:
    """Before its stages are confirmed the map is not stored: stopping loses the answers."""
    if dialog.state == FILLING_LANES:
        return t(lang, "cancel.newmap_kept", name=esc(dialog.data.get("name", "")))
    if dialog.data.get("name"):
        return t(lang, "cancel.newmap_unsaved", name=esc(dialog.data["name"]))
    return None


_EDITING_BUTTONS = {
    "pick": stage_action_picked,
    "rename": rename_picked,
    "add": add_pressed,
    "remove": remove_picked,
    "move": move_picked,
    "to": move_target_picked,
    "reset": reset_pressed,
    "keep": stages_kept,
    "back": back_to_stages,
}
FLOW = Flow(
    "nm",
    command="newmap",
    states={
        NAMING: State(ask_name, text=name_given),
        DESCRIBING_PERSONA: State(
            ask_persona, text=persona_given, buttons={"skip_persona": persona_skipped}
        ),
        EDITING_STAGES: State(ask_stages, buttons=_EDITING_BUTTONS),
        RENAMING_STAGE: State(
            ask_new_stage_name, text=stage_renamed, buttons={"back": back_to_stages}
        ),
        ADDING_STAGE: State(
            ask_added_stage_name, text=stage_added, buttons={"back": back_to_stages}
        ),
        FILLING_LANES: State(
            ask_lane,
            text=lane_answered,
            buttons={"skip": lane_skipped, "next": stage_skipped, "finish": finished},
        ),
    },
    stopped=stopped,
)
