"""/newmap: name → persona → stages (keep, rename, add, remove, move) → lanes stage by stage.

The map is stored as soon as its stages are confirmed, and every answer is stored as it comes,
so stopping half-way (or a restart) keeps everything entered so far. Diagram: new_map.mmd.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import draft_note
from bot.context import BotContext
from bot.core.journey import check_stage_count, clean_text, default_stage_keys, moved, split_items
from bot.core.model import (
    LANES,
    MAX_MAP_NAME_LENGTH,
    MAX_MAPS_PER_CHAT,
    MAX_STAGE_NAME_LENGTH,
    Dialog,
    JourneyMap,
    NotFound,
    TooManyMaps,
)
from bot.dialogs import Flow, new_dialog
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
    if context.args:
        dialog = new_dialog(update, FLOW, NAMING)
        return await _take_name(update, context, dialog, " ".join(context.args))
    await reply(update, t(context.lang, "newmap.ask_name"))
    return new_dialog(update, FLOW, NAMING)


async def name_given(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the map's name and asks who the customer is."""
    return await _take_name(update, context, dialog, update.effective_message.text)


async def _take_name(update: Update, context: BotContext, dialog: Dialog, text: str) -> Dialog:
    name = clean_text(text, limit=MAX_MAP_NAME_LENGTH).replace("\n", " ")
    keyboard = keyboards.column([(t(context.lang, "button.skip"), FLOW.button("skip_persona"))])
    await reply(update, t(context.lang, "newmap.ask_persona"), keyboard)
    return dialog.to(DESCRIBING_PERSONA, name=name)


async def persona_given(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the persona and shows the proposed stages."""
    persona = clean_text(update.effective_message.text, limit=MAX_MAP_NAME_LENGTH * 2)
    return await _show_default_stages(update, context, dialog.to(EDITING_STAGES, persona=persona))


async def persona_skipped(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """No persona: straight to the stages."""
    if dialog.state != DESCRIBING_PERSONA:
        return dialog
    return await _show_default_stages(update, context, dialog.to(EDITING_STAGES, persona=None))


async def _show_default_stages(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    dialog = dialog.to(
        EDITING_STAGES, stages=[{"key": k, "name": None} for k in default_stage_keys()]
    )
    await reply(update, *_stages_message(context.lang, dialog))
    return dialog


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
    if dialog.state != EDITING_STAGES or action not in ("rename", "remove", "move"):
        return dialog
    lang = context.lang
    choices = [
        (spec_name(lang, s), FLOW.button(action, i)) for i, s in enumerate(dialog.data["stages"])
    ]
    choices.append((t(lang, "button.back"), FLOW.button("back")))
    await edit_or_reply(update, t(lang, f"newmap.ask_stage_to_{action}"), keyboards.column(choices))
    return dialog


async def back_to_stages(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Leaves a stage sub-menu and shows the stage list again."""
    if dialog.state not in (EDITING_STAGES, RENAMING_STAGE, ADDING_STAGE):
        return dialog
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
    if dialog.state != EDITING_STAGES:
        return dialog
    index = _stage_index(dialog, argument)
    name = spec_name(context.lang, dialog.data["stages"][index])
    keyboard = keyboards.column([(t(context.lang, "button.back"), FLOW.button("back"))])
    await edit_or_reply(
        update, t(context.lang, "newmap.ask_new_stage_name", name=esc(name)), keyboard
    )
    return dialog.to(RENAMING_STAGE, picked=index)


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
    if dialog.state != EDITING_STAGES:
        return dialog
    check_stage_count(len(dialog.data["stages"]) + 1)
    keyboard = keyboards.column([(t(context.lang, "button.back"), FLOW.button("back"))])
    await edit_or_reply(update, t(context.lang, "newmap.ask_added_stage_name"), keyboard)
    return dialog.to(ADDING_STAGE)


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
    if dialog.state != EDITING_STAGES:
        return dialog
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
    if dialog.state != EDITING_STAGES:
        return dialog
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
    if dialog.state != EDITING_STAGES:
        return dialog
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
    if dialog.state != EDITING_STAGES:
        return dialog
    dialog = dialog.to(
        EDITING_STAGES, stages=[{"key": k, "name": None} for k in default_stage_keys()]
    )
    await edit_or_reply(update, *_stages_message(context.lang, dialog))
    return dialog


async def stages_kept(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Stores the map with its stages, makes it active and asks the first lane question."""
    if dialog.state != EDITING_STAGES:
        return dialog
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
    dialog = dialog.to(FILLING_LANES, map_id=journey.id, stage_pos=0, lane_pos=0, stages=None)
    await _ask_lane(update, context, journey, dialog)
    return dialog


def _journey(context: BotContext, dialog: Dialog) -> JourneyMap:
    journey = get_map(context.db, dialog.chat_id, dialog.data["map_id"])
    if journey is None or not journey.stages:
        raise NotFound()
    return journey


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
    stage = journey.stages[dialog.data["stage_pos"]]
    lane = LANES[dialog.data["lane_pos"]]
    items = split_items(text, context.lang)
    for item in items:
        draft = draft_note(item, context.lang, kind=lane, stage_key=stage.key, guided=True)
        add_note(context.db, dialog.chat_id, journey.id, stage.id, draft, update.effective_user.id)
    await reply(update, t(context.lang, "newmap.added", count=len(items)))
    return await _advance(update, context, journey, dialog, lanes=1)


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
    return (
        dialog.state == FILLING_LANES
        and position == f"{dialog.data['stage_pos']}.{dialog.data['lane_pos']}"
    )


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
    dialog = dialog.to(FILLING_LANES, stage_pos=stage_pos, lane_pos=lane_pos)
    await _ask_lane(update, context, journey, dialog, edit=edit)
    return dialog


async def finished(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog | None:
    """Ends the lane questions and posts the map's summary."""
    if dialog.state != FILLING_LANES:
        return dialog
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


FLOW = Flow(
    "nm",
    text_steps={
        NAMING: name_given,
        DESCRIBING_PERSONA: persona_given,
        RENAMING_STAGE: stage_renamed,
        ADDING_STAGE: stage_added,
        FILLING_LANES: lane_answered,
    },
    button_steps={
        "skip_persona": persona_skipped,
        "pick": stage_action_picked,
        "back": back_to_stages,
        "rename": rename_picked,
        "add": add_pressed,
        "remove": remove_picked,
        "move": move_picked,
        "to": move_target_picked,
        "reset": reset_pressed,
        "keep": stages_kept,
        "skip": lane_skipped,
        "next": stage_skipped,
        "finish": finished,
    },
)
