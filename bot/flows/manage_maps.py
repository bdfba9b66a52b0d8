"""/map, /maps, /rename and /deletemap: looking at maps and tidying them up.

Buttons carry map ids (never reused) and are checked against the chat they are pressed in.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database
from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.core.items import local_today
from bot.core.journey import clean_text, parse_id
from bot.core.model import MAX_MAP_NAME_LENGTH, Dialog, JourneyMap, NoActiveMap
from bot.core.permissions import Action
from bot.dialogs import Flow, State, new_dialog
from bot.files import send_map_picture
from bot.flows.common import active_map, map_of_button
from bot.offload import in_steps, read_in_worker
from bot.permissions import may_answer_confirmation, permitted_press, require
from bot.render import map_picture
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import render_map
from storage.chats import get_chat, set_active_map
from storage.db import utcnow
from storage.maps import delete_map, delete_some_notes_of_map, get_map, list_maps, rename_map
from storage.notes import count_notes, list_notes

NAMING = "naming"
MAP_PICTURE_ONLY = ("image", "picture", "png", "photo")
MAP_TEXT_ONLY = ("text", "txt")


async def show_map(update: Update, context: BotContext) -> None:
    """Sends the map's picture, then the map as text (/map image: picture only, /map text: text)."""
    journey = active_map(context)
    shown = context.args[0].lower() if context.args else ""
    png, messages = await read_in_worker(
        context.db,
        map_view,
        context.lang,
        journey,
        picture=shown not in MAP_TEXT_ONLY,
        text=shown not in MAP_PICTURE_ONLY,
        group=context.chat_record.is_group,
        today=local_today(utcnow(), context.chat_record.timezone),
    )
    if png is not None:
        await send_map_picture(update, context, journey, png)
    for message in messages:
        await reply(update, message)


def map_view(
    db: Database,
    lang: str,
    journey: JourneyMap,
    *,
    picture: bool,
    text: bool,
    group: bool,
    today: date | None = None,
) -> tuple[bytes | None, list[str]]:
    """The map's picture and its text messages, each if asked (runs in the worker process);
    items overdue as of `today` (the chat's date) are marked."""
    notes = list_notes(db, journey.chat_id, journey.id)
    png = map_picture(lang, journey, notes, today=today) if picture else None
    return png, render_map(lang, journey, notes, show_authors=group, today=today) if text else []


async def show_maps(update: Update, context: BotContext) -> None:
    """Lists the chat's maps, the active one marked, with a button to switch to each."""
    lang, chat = context.lang, context.chat_record
    maps = list_maps(context.db, chat.id)
    if not maps:
        await reply(update, t(lang, "maps.none"))
        return
    lines = [t(lang, "maps.title"), ""]
    for journey, count in maps:
        marker = "▶️" if journey.id == chat.active_map_id else "▫️"
        lines.append(t(lang, "maps.line", marker=marker, name=esc(journey.name), notes=count))
    lines += ["", t(lang, "maps.switch_hint")]
    choices = [(journey.name, f"maps:use:{journey.id}") for journey, _ in maps]
    await reply(update, "\n".join(lines), keyboards.column(choices))


async def map_switched(update: Update, context: BotContext) -> None:
    """Makes the pressed map the active one (only a map of this chat)."""
    journey = await map_of_button(update, context, update.callback_query.data.rpartition(":")[2])
    if journey is None or not await permitted_press(update, context, Action.SWITCH_MAP):
        return
    await update.callback_query.answer()
    set_active_map(context.db, journey.chat_id, journey.id)
    await edit_or_reply(update, t(context.lang, "maps.switched", name=esc(journey.name)))


async def rename_command(update: Update, context: BotContext) -> Dialog | None:
    """/rename <name> renames the active map; a bare /rename asks for the name."""
    journey = active_map(context)
    await require(update, context, Action.RENAME_MAP)
    if context.args:
        await _rename(update, context, journey, " ".join(context.args))
        return None
    dialog = new_dialog(update, FLOW, NAMING, map_id=journey.id, map_name=journey.name)
    await ask_name(update, context, dialog)
    return dialog


async def name_given(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Renames the map the conversation started with."""
    journey = get_map(context.db, dialog.chat_id, dialog.data["map_id"])
    if journey is None:  # deleted meanwhile: the name is not lost, nor put on another map
        name = clean_text(update.effective_message.text, limit=MAX_MAP_NAME_LENGTH)
        await reply(update, t(context.lang, "rename.map_gone", name=esc(name.replace("\n", " ")),
                              old=esc(dialog.data.get("map_name") or "?")))
        return
    await require(update, context, Action.RENAME_MAP)  # the setting may have changed meanwhile
    await _rename(update, context, journey, update.effective_message.text)


async def _rename(update: Update, context: BotContext, journey: JourneyMap, text: str) -> None:
    name = clean_text(text, limit=MAX_MAP_NAME_LENGTH).replace("\n", " ")
    rename_map(context.db, journey.chat_id, journey.id, name)
    await reply(update, t(context.lang, "rename.done", name=esc(name)))


async def delete_map_command(update: Update, context: BotContext) -> None:
    """/deletemap asks for confirmation before deleting the active map (admins only in groups)."""
    journey = active_map(context)
    await require(update, context, Action.DELETE_MAP)
    notes = count_notes(context.db, journey.chat_id, journey.id)
    asker = update.effective_user.id
    keyboard = keyboards.rows(
        [
            (t(context.lang, "button.delete_map"), f"dm:yes:{journey.id}:{asker}"),
            (t(context.lang, "button.keep_map"), f"dm:no:{journey.id}:{asker}"),
        ]
    )
    await reply(
        update, t(context.lang, "deletemap.confirm", name=esc(journey.name), notes=notes), keyboard
    )


async def delete_map_confirmed(update: Update, context: BotContext) -> None:
    """Deletes the map on "yes" (checked again: this chat's map, pressed by an admin); only the
    person who asked (or an admin) may answer either way."""
    query = update.callback_query
    _, answer, rest = [*query.data.split(":", 2), "", ""][:3]
    map_id, _, asker = rest.partition(":")
    journey = await map_of_button(update, context, map_id)
    if journey is None or not await may_answer_confirmation(update, context, parse_id(asker)):
        return
    if answer != "yes":
        await query.answer()
        await edit_or_reply(update, t(context.lang, "deletemap.kept"))
        return
    if not await permitted_press(update, context, Action.DELETE_MAP):
        return
    await query.answer()
    # a big map's notes go in short steps first: one transaction of 10,000 deletes held
    # the event loop (every chat) for over a second
    await in_steps(delete_some_notes_of_map, context.db, journey.chat_id, journey.id)
    delete_map(context.db, journey.chat_id, journey.id)
    chat = get_chat(context.db, journey.chat_id)
    now_active = get_map(context.db, chat.id, chat.active_map_id)
    done = t(context.lang, "deletemap.done", name=esc(journey.name))
    if now_active is None:
        after = t(context.lang, "deletemap.none_left")
    else:
        after = t(context.lang, "deletemap.now_active", name=esc(now_active.name))
    await edit_or_reply(update, f"{done}\n{after}")


async def ask_name(update: Update, context: BotContext, dialog: Dialog) -> None:
    journey = get_map(context.db, dialog.chat_id, dialog.data["map_id"])
    if journey is None:
        raise NoActiveMap()
    await reply(update, t(context.lang, "rename.ask", name=esc(journey.name)))


FLOW = Flow("rename", command="rename", states={NAMING: State(ask_name, text=name_given)})
