"""/export, /insights, /search and /forget: seeing the map, taking it away, deleting it all.

Buttons carry their map id or search terms ("ex:csv:12", "sr:5:koszyka", "fg:yes") and act only
on the chat they are pressed in.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import keyboards
from bot.classifier import theme_stop_words
from bot.context import BotContext
from bot.core.insights import Insights, compute_insights
from bot.core.items import local_today
from bot.core.journey import parse_id
from bot.core.model import JourneyMap
from bot.core.permissions import Action
from bot.exports import FORMATS, ExportFile, build_export, chat_export_file, fit_for_telegram
from bot.files import send_file, send_picture
from bot.flows.common import active_map
from bot.offload import read_in_file_worker, read_in_worker, run_blocking
from bot.permissions import may_answer_confirmation, permitted_press, require
from bot.render import pain_chart
from bot.replies import edit_or_reply, esc, reply
from bot.reports import insights_text, local_date, search_text
from bot.search_index import index_chat, keys_of_words
from bot.texts import t
from storage.db import one_snapshot, utcnow
from storage.digests import review_history
from storage.items import open_items
from storage.maps import get_map, list_maps
from storage.notes import count_chat_notes, count_notes, list_note_facts, list_notes
from storage.ownership import chat_counts, export_chat, forget_chat, last_review_at, list_reviews
from storage.search import search_notes, search_terms

SEARCH_PAGE_SIZE = 5
# Callback data holds at most 64 bytes: "sr:<offset>:" and the search terms.
SEARCH_TERMS_BYTES = 64 - len("sr:99999:")
FORGET_COUNTS = ("maps", "notes", "corrections", "schedules", "reviews")


def export_keyboard(lang: str, map_id: int) -> InlineKeyboardMarkup:
    """A button per format for the map, and one for everything the chat has."""
    formats = [(t(lang, f"button.export_{fmt}"), f"ex:{fmt}:{map_id}") for fmt in FORMATS]
    return keyboards.stacked(formats[:2], formats[2:], [(t(lang, "button.export_all"), "ex:all:0")])


def search_keyboard(lang: str, terms: tuple[str, ...], offset: int, has_next: bool):
    """« Previous / Next » for a search page, or None when everything fits on one page."""
    query = " ".join(terms)
    choices = []
    if offset > 0:
        previous = max(offset - SEARCH_PAGE_SIZE, 0)
        choices.append((t(lang, "button.prev_page"), f"sr:{previous}:{query}"))
    if has_next:
        choices.append((t(lang, "button.next_page"), f"sr:{offset + SEARCH_PAGE_SIZE}:{query}"))
    return keyboards.rows(choices) if choices else None


async def export_command(update: Update, context: BotContext) -> None:
    """/export shows a button per format; /export csv|json|md|png sends it, /export all all data."""
    what = context.args[0].lower().lstrip(".") if context.args else ""
    if what == "all":
        await send_chat_export(update, context)
        return
    journey = active_map(context)
    if what in FORMATS:
        await send_export(update, context, journey, what)
    elif what:
        await reply(update, t(context.lang, "export.usage"))
    else:
        keyboard = export_keyboard(context.lang, journey.id)
        await reply(update, t(context.lang, "export.choose", name=esc(journey.name)), keyboard)


async def export_pressed(update: Update, context: BotContext) -> None:
    """A format button: sends that export of the map, if the map belongs to this chat."""
    query = update.callback_query
    _, fmt, map_id = [*query.data.split(":", 2), "", ""][:3]
    if fmt == "all":
        await query.answer()
        await send_chat_export(update, context)
        return
    journey = get_map(context.db, update.effective_chat.id, parse_id(map_id))
    if journey is None or fmt not in FORMATS:
        await query.answer(t(context.lang, "error.not_found"), show_alert=True)
        return
    await query.answer()
    await send_export(update, context, journey, fmt)


FILE_LANE_NOTES = 5_000  # exports of more notes build in the export lane (bot/offload.py)


def builder(notes: int):
    """Where an export of `notes` notes is built: beside the pictures when it takes well under
    a second (5,000 notes: ~0.3 s of CPU), in the export lane when it can take many — started
    on its first big export, so most bots never run the second process."""
    return read_in_file_worker if notes > FILE_LANE_NOTES else read_in_worker


async def send_export(update: Update, context: BotContext, journey: JourneyMap, fmt: str) -> None:
    """Builds the map's file in `fmt` in a worker process (bot/offload.py) and sends it; a
    picture is drawn beside the others, as /map's."""
    now = utcnow()
    notes = count_notes(context.db, journey.chat_id, journey.id) if fmt != "png" else 0
    export, count = await builder(notes)(
        context.db, map_export, context.lang, journey, fmt, now, context.chat_record.timezone
    )
    date = local_date(now, context.chat_record.timezone)
    caption = t(context.lang, "export.caption", name=esc(journey.name), notes=count, date=date)
    await send_file(update, export, caption)


def map_export(
    db: Database, lang: str, journey: JourneyMap, fmt: str, now: datetime, timezone: str = "UTC"
) -> tuple[ExportFile, int]:
    """The map's export file and its number of notes (runs in the worker process)."""
    notes = list_notes(db, journey.chat_id, journey.id)
    reviews = list_reviews(db, journey.chat_id, journey.id)
    today = local_today(now, timezone)
    history = review_history(db, journey, now) if fmt in ("json", "md") else None
    export = build_export(
        lang, journey, notes, fmt, reviews=reviews, now=now, today=today, history=history
    )
    return fit_for_telegram(export), len(notes)


async def send_chat_export(update: Update, context: BotContext) -> None:
    """Sends everything stored for this chat as one JSON file (built in a worker process; a
    big chat's in the export lane)."""
    chat_id, now = update.effective_chat.id, utcnow()
    build = builder(count_chat_notes(context.db, chat_id))
    export, counts = await build(context.db, chat_export, chat_id, now)
    caption = t(context.lang, "export.all_caption", **{k: counts.get(k, 0) for k in FORGET_COUNTS})
    await send_file(update, export, caption)


def chat_export(db: Database, chat_id: int, now: datetime) -> tuple[ExportFile, dict[str, int]]:
    """The chat's whole export and its rows per table (runs in the worker process)."""
    data = export_chat(db, chat_id, now)
    counts = {table: len(rows) for table, rows in data["tables"].items()}
    return fit_for_telegram(chat_export_file(data, now)), counts


async def show_insights(update: Update, context: BotContext) -> None:
    """/insights: a few lines on where the map hurts, then a chart of pain points per stage."""
    journey = active_map(context)
    lang, timezone = context.lang, context.chat_record.timezone
    found = await read_in_worker(context.db, map_insights, lang, journey, timezone)
    if found is None:
        await reply(update, t(context.lang, "insights.empty"))
        return
    insights, text = found
    await reply(update, text)
    if insights.hotspots:
        chart = await run_blocking(pain_chart, context.lang, insights)
        caption = t(context.lang, "picture.chart_title")
        await send_picture(update, chart, caption, filename="pain-points.png")


def map_insights(
    db: Database, lang: str, journey: JourneyMap, timezone: str
) -> tuple[Insights, str] | None:
    """The map's insights and their text, or None for a map without notes (the worker process).
    Each note is read as `NoteFacts` (what the counts and themes need); only the open items
    with an owner or a due date are read whole, for their names and dates."""
    with one_snapshot(db):  # the counts and the items line agree, whatever is resolved meanwhile
        notes = list_note_facts(db, journey.chat_id, journey.id)
        if not notes:
            return None
        reviewed_at = last_review_at(db, journey.chat_id, journey.id)
        items = open_items(db, journey.chat_id, map_id=journey.id)
    insights = compute_insights(
        journey, notes, reviewed_at=reviewed_at, stop_words=theme_stop_words()
    )
    today = local_today(utcnow(), timezone)
    return insights, insights_text(lang, journey, insights, timezone, items=items, today=today)


async def search_command(update: Update, context: BotContext) -> None:
    """/search <words>: the first page of this chat's notes that contain those words."""
    terms = search_terms(" ".join(context.args or ()), max_bytes=SEARCH_TERMS_BYTES)
    if not terms:
        await reply(update, t(context.lang, "search.usage"))
        return
    text, keyboard = await search_page(context, update.effective_chat.id, terms, 0)
    await reply(update, text, keyboard)


async def search_page_pressed(update: Update, context: BotContext) -> None:
    """« Previous / Next »: shows that page of the same search, in this chat only."""
    query = update.callback_query
    _, offset, words = [*query.data.split(":", 2), "", ""][:3]
    terms = search_terms(words)  # the words search_terms gave the first page
    page_start = parse_id(offset)
    if page_start is None or not terms:
        await query.answer(t(context.lang, "stale.button"))
        return
    await query.answer()
    text, keyboard = await search_page(context, update.effective_chat.id, terms, page_start)
    await edit_or_reply(update, text, keyboard)


async def search_page(
    context: BotContext, chat_id: int, terms: tuple[str, ...], offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    await index_chat(context.db, chat_id)  # the notes stored since the chat last searched
    keys = await keys_of_words(terms)
    page = search_notes(
        context.db, chat_id, terms, keys.__getitem__, offset=offset, limit=SEARCH_PAGE_SIZE
    )
    if offset and offset >= page.total:  # an older page button; notes were deleted since
        offset = max(0, (page.total - 1) // SEARCH_PAGE_SIZE * SEARCH_PAGE_SIZE)
        page = search_notes(
            context.db, chat_id, terms, keys.__getitem__, offset=offset, limit=SEARCH_PAGE_SIZE
        )
    maps = {journey.id: journey for journey, _ in list_maps(context.db, chat_id)}
    text = search_text(
        context.lang,
        terms,
        page.notes,
        page.total,
        offset,
        SEARCH_PAGE_SIZE,
        maps,
        context.chat_record.active_map_id,
        today=local_today(utcnow(), context.chat_record.timezone),
    )
    return text, search_keyboard(context.lang, terms, offset, page.has_next)


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: says what would be deleted and asks to confirm (administrators only in groups)."""
    await require(update, context, Action.FORGET)
    counts = chat_counts(context.db, update.effective_chat.id)
    asker = update.effective_user.id
    keyboard = keyboards.rows(
        [
            (t(context.lang, "button.forget_yes"), f"fg:yes:{asker}"),
            (t(context.lang, "button.forget_no"), f"fg:no:{asker}"),
        ]
    )
    await reply(update, t(context.lang, "forget.confirm", **_counted(counts)), keyboard)


async def forget_confirmed(update: Update, context: BotContext) -> None:
    """Yes deletes every row of this chat (checked again: pressed by an admin); No keeps all.
    Only the person who asked (or an admin) may answer either way."""
    query = update.callback_query
    _, answer, asker = [*query.data.split(":", 2), "", ""][:3]
    if not await may_answer_confirmation(update, context, parse_id(asker)):
        return
    if answer != "yes":
        await query.answer()
        await edit_or_reply(update, t(context.lang, "forget.kept"))
        return
    if not await permitted_press(update, context, Action.FORGET):
        return
    await query.answer()
    counts = forget_chat(context.db, update.effective_chat.id)
    await edit_or_reply(update, t(context.lang, "forget.done", **_counted(counts)))


def _counted(counts: dict[str, int]) -> dict[str, int]:
    return {name: counts.get(name, 0) for name in FORGET_COUNTS}


def add_handlers(app: Application) -> None:
    """Registers /export, /insights, /search, /forget and their buttons."""
    new_message = filters.UpdateType.MESSAGE
    commands = {
        "export": export_command,
        "insights": show_insights,
        "search": search_command,
        "forget": forget_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=new_message))
    app.add_handler(CallbackQueryHandler(export_pressed, pattern=r"^ex:"))
    app.add_handler(CallbackQueryHandler(search_page_pressed, pattern=r"^sr:"))
    app.add_handler(CallbackQueryHandler(forget_confirmed, pattern=r"^fg:"))
