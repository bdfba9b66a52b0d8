"""Keeping the search index up to date: notes are keyed by lemma (nlp) and written by storage.

A stored note waits (`search_keys` IS NULL) until it is indexed: the chat's waiting notes
right before the chat searches (usually none or the few since its last search), everyone's by
a background job in small batches. Keys are computed in a worker thread (the lemma tables are
read-only; the pipelines may still be loading) and written on the event loop, which owns the
database connection.
"""

from __future__ import annotations

import asyncio
import logging

from sqlite_utils import Database
from telegram.ext import Application, ContextTypes

from bot.jobs import run_alone_every
from bot.offload import wal_room
from storage.search import notes_to_index, save_search_keys

log = logging.getLogger(__name__)

JOB_NAME = "search-index"
JOB_INTERVAL = 10.0  # seconds between looks for waiting notes
BATCH = 100  # notes written per batch (~10 ms of the event loop each)


async def index_chat(db: Database, chat_id: int) -> int:
    """Indexes the chat's waiting notes; returns how many."""
    return await _index(db, notes_to_index(db, chat_id=chat_id))


async def keys_of_words(terms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The index keys each searched word matches (lemmas in its script's languages)."""

    def keys() -> dict[str, tuple[str, ...]]:
        from bot.classifier import word_search_keys  # nlp loads lazily, in this worker thread

        return {term: word_search_keys(term) for term in terms}

    return await asyncio.to_thread(keys)


async def _index(db: Database, waiting) -> int:
    if not waiting:
        return 0

    def keyed() -> list[tuple[int, str, str]]:
        from bot.classifier import note_search_keys  # nlp loads lazily, in this worker thread

        return [(note.id, note.text, " ".join(note_search_keys(note.text))) for note in waiting]

    rows = await asyncio.to_thread(keyed)
    for start in range(0, len(rows), BATCH):  # a big chat's first search: let others in between
        if start:
            await wal_room(db)
        save_search_keys(db, rows[start : start + BATCH])
    return len(rows)


async def index_waiting_notes(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The background job: indexes every waiting note, a batch at a time."""
    db = context.application.bot_data["db"]
    total = 0
    while waiting := notes_to_index(db, limit=BATCH):
        total += await _index(db, waiting)
        await asyncio.sleep(0.05)  # let updates in between batches
    if total:  # a note or two every few seconds; an upgraded database's backlog once
        level = logging.INFO if total >= 10 * BATCH else logging.DEBUG
        log.log(level, "search index updated", extra={"notes": total})


def start_search_index_job(app: Application) -> None:
    """Indexes waiting notes now and then (one run at a time)."""
    run_alone_every(app, index_waiting_notes, interval=JOB_INTERVAL, first=1.0, name=JOB_NAME)
