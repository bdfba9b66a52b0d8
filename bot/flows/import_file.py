"""A CSV or TXT file sent to the bot: its rows become notes on the active map (bot/imports.py).

In a private chat any file is taken; in a group, a file sent as a reply to the bot (privacy
mode shows the bot nothing else). The bot answers "📥 Reading reviews.csv…" at once and edits
that message into the summary when it is done. Nothing here holds the event loop for long:
Telegram's file is downloaded asynchronously, read and checked for duplicates in the worker
process, classified a slice of `CLASSIFY_SLICE` rows at a time and stored `STORE_CHUNK` rows
per transaction, with the loop free for other chats in between. A file Telegram says is too big,
or that is not a usable CSV/TXT file, gets a localized error and nothing is imported. A file
interrupted by a crash keeps the notes stored so far; sending it again adds only the rest
(duplicates are skipped).
"""

from __future__ import annotations

import asyncio
import logging

from sqlite_utils import Database
from telegram import Update
from telegram.error import TelegramError

from bot.classifier import classifier_ready, draft_many, load_chat_memory
from bot.context import BotContext
from bot.core.imports import MAX_IMPORT_BYTES, FileTooBig, UnsupportedFile, import_format, megabytes
from bot.core.model import JourneyMap, NoteDraft
from bot.core.permissions import Action
from bot.flows.add_note import active_map_or_start_one
from bot.imports import (
    ImportPlan,
    as_quotes,
    note_rows,
    plan_import,
    problem_text,
    summarize,
    summary_text,
)
from bot.offload import read_in_worker, wal_room
from bot.permissions import require
from bot.replies import esc, reply
from bot.texts import t
from storage.maps import get_map
from storage.notes import add_notes

log = logging.getLogger(__name__)

CLASSIFY_SLICE = 4  # rows classified between two turns of the event loop (~3 ms of CPU)
STORE_CHUNK = 50  # rows stored per transaction


async def file_sent(update: Update, context: BotContext) -> None:
    """A document in a private chat, or replying to the bot in a group: imported as notes."""
    message = update.effective_message
    replied = message.reply_to_message
    to_bot = bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
    if update.effective_chat.type != "private" and not to_bot:
        return  # people sharing files with each other
    document, lang = message.document, context.lang
    name = document.file_name or "file"
    try:
        import_format(name, document.mime_type)
    except UnsupportedFile as refused:
        await reply(update, problem_text(lang, (refused.key, {"name": name})))
        return
    if (document.file_size or 0) > MAX_IMPORT_BYTES:  # Telegram would not hand it over anyway
        details = {"size": megabytes(document.file_size), "max_mb": megabytes(MAX_IMPORT_BYTES)}
        await reply(update, problem_text(lang, (FileTooBig.key, details)))
        return
    await require(update, context, Action.ADD_NOTE)
    progress = await reply(update, t(lang, "import.reading", file=esc(name)), returns_message=True)
    try:
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        log.warning("file not downloaded", extra={"error": str(error)})
        await progress.edit_text(t(lang, "import.download_failed"))
        return
    await progress.edit_text(await import_data(update, context, data, name, document.mime_type))


async def import_data(update: Update, context: BotContext, data: bytes, name: str,
                      mime_type: str | None) -> str:
    """Imports the file's rows onto the active map (started if there is none); the summary."""
    lang, chat = context.lang, context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    plan = await read_in_worker(context.db, plan_import, chat.id,
                                journey.id if journey else None, data, name, mime_type)
    if plan.problem is not None:
        return problem_text(lang, plan.problem)  # and no map was started for it
    journey, started = active_map_or_start_one(update, context)
    if started:
        await reply(update, t(lang, "note.map_created", name=esc(journey.name)))
    await classifier_ready()
    memory = await load_chat_memory(context.db, journey.chat_id)
    drafts = await classify_and_store(context.db, journey, plan, lang, memory,
                                      update.effective_user.id)
    return summary_text(lang, journey, summarize(lang, journey, plan, drafts))


async def classify_and_store(db: Database, journey: JourneyMap, plan: ImportPlan, lang: str,
                             memory, author_id: int | None) -> list[NoteDraft]:
    """Classifies the plan's rows `CLASSIFY_SLICE` at a time and stores them `STORE_CHUNK` per
    transaction, letting the event loop serve other chats in between; the drafts stored."""
    drafts: list[NoteDraft] = []
    for start in range(0, len(plan.texts), CLASSIFY_SLICE):
        part = draft_many(plan.texts[start:start + CLASSIFY_SLICE], lang, memory=memory)
        drafts += as_quotes(plan, part, start)
        await asyncio.sleep(0)  # other chats' updates between slices
    for start in range(0, len(drafts), STORE_CHUNK):
        with db.atomic():
            add_notes(db, note_rows(journey, drafts[start:start + STORE_CHUNK], author_id))
        await wal_room(db)  # others in between; the checkpointer keeps up with a big file
    return drafts
