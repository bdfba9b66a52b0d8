"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify.

spaCy and the four pipelines take seconds to load, so `journeybot run` loads them in a
background thread (`start_loading`) and answers everything that needs no classifier at once.
A note that arrives before the classifier is ready waits for it (`draft_note` awaits the
loading without blocking the event loop); it never fails for it.

Notes that reach the classifier in the same turn of the event loop — the notes of one
getUpdates batch, each in its own chat's handling — are classified together, one `nlp.pipe`
per language and chat memory (`classify_many`): 0.24 instead of 0.44 ms CPU a note for seven
notes in one language, 0.32 instead of 0.47 for seven in four languages. Each note is still
stored in its own transaction and answered by its own handling, in its chat's order; a note
that fails to classify fails alone (docs/scaling.md).

Each chat has its own memory of the notes its team corrected (nlp/memory.py): a later note
close to a corrected one lands where the team put that one, at once, in that chat only. The
memory is built from the chat's corrections and rebuilt when they change (a correction added,
or deleted with /forget).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bot.core.insights import stop_word_keys
from bot.core.model import LANGUAGES, NoteDraft
from bot.heap import release_freed_memory
from storage.notes import chat_corrections, corrections_mark

if TYPE_CHECKING:
    from nlp.classify import Classification, CorrectionMemory

__all__ = [
    "chat_memory",
    "classifier_ready",
    "draft_many",
    "draft_note",
    "kind_sentiment",
    "note_search_keys",
    "start_loading",
    "theme_stop_words",
    "warm_up",
    "word_search_keys",
]

LOADING_SWITCH_INTERVAL = 0.001  # seconds
_ready = threading.Event()
_loader: threading.Thread | None = None
_loader_lock = threading.Lock()
_MEMORY_CHATS = 512  # chats whose memory is kept built; others are rebuilt on their next note
# per database: chat id → (corrections_mark, memory), least recently used first
_memories: weakref.WeakKeyDictionary[Database, OrderedDict] = weakref.WeakKeyDictionary()
_memories_lock = threading.Lock()


def warm_up() -> None:
    """Loads the classifier now, in this thread (the console, tests)."""
    from nlp.classify import warm_up as load_pipelines

    load_pipelines(wait=True)  # the language identifier too: no note waits for it later


def start_loading() -> None:
    """Starts loading the classifier in a background thread (once per process)."""
    global _loader
    with _loader_lock:
        if _loader is None:
            _loader = threading.Thread(target=_load, name="journeybot-classifier", daemon=True)
            _loader.start()


def _load() -> None:
    # While the loader runs Python code, the event loop waits for the GIL up to the switch
    # interval each time it has something to do: 1 ms instead of 5 while loading.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, LOADING_SWITCH_INTERVAL))
    try:
        warm_up()
        release_freed_memory()  # what loading freed (~7 MiB; bot/heap.py)
    finally:  # a failure shows again, with its traceback, when the first note is classified
        sys.setswitchinterval(interval)
        _ready.set()


async def classifier_ready() -> None:
    """Returns once the background loading (if one was started) has finished."""
    if _loader is not None and not _ready.is_set():
        await asyncio.get_running_loop().run_in_executor(None, _ready.wait)


def note_search_keys(text: str) -> list[str]:
    """The search index keys of a note (nlp.classify; spaCy is imported on first use)."""
    from nlp.classify import note_search_keys as keys

    return keys(text)


def word_search_keys(word: str) -> tuple[str, ...]:
    """The index keys a searched word matches (nlp.classify; imported on first use)."""
    from nlp.classify import word_search_keys as keys

    return keys(word)


@cache
def theme_stop_words() -> dict[str, frozenset[str]]:
    """Each language's stop words (spaCy's and ours), folded, for the themes of /insights."""
    from nlp.classify import stop_words

    return {lang: stop_word_keys(stop_words(lang)) for lang in LANGUAGES}


def chat_memory(db: Database, chat_id: int) -> CorrectionMemory | None:
    """The chat's memory of corrected notes (None when the team has corrected nothing)."""
    from nlp.classify import CorrectionMemory

    mark = corrections_mark(db, chat_id)
    if not mark[0]:
        return None
    with _memories_lock:
        chats = _memories.setdefault(db, OrderedDict())
        cached = chats.get(chat_id)
        if cached is not None and cached[0] == mark:
            chats.move_to_end(chat_id)
            return cached[1]
    memory = CorrectionMemory()
    memory.extend(chat_corrections(db, chat_id))
    with _memories_lock:
        chats[chat_id] = (mark, memory)
        chats.move_to_end(chat_id)
        while len(chats) > _MEMORY_CHATS:
            chats.popitem(last=False)
    return memory


async def kind_sentiment(text: str, lang: str, kind: str) -> float:
    """The sentiment of a note the team moved to `kind` (a pain point is negative: the
    emotion curve follows the correction)."""
    await classifier_ready()
    from nlp.classify import sentiment_for_kind

    return sentiment_for_kind(text, lang, kind)


async def draft_note(
    text: str,
    chat_lang: str,
    *,
    kind: str | None = None,
    stage_key: str | None = None,
    guided: bool = False,
    memory: CorrectionMemory | None = None,
) -> NoteDraft:
    """Classifies `text`. In the guided flow the team chose stage and lane, so those win.
    `memory`: the chat's corrected notes (`chat_memory`)."""
    await classifier_ready()
    result = await _classified(text, chat_lang, None if guided else memory)
    return NoteDraft(
        text=text,
        lang=result.lang,
        kind=kind if guided else result.kind,
        stage_key=stage_key if guided else result.stage,
        stage_score=None if guided else result.stage_score,
        kind_score=None if guided else result.kind_score,
        sentiment=result.sentiment,
        channels=result.channels,
        source="guided" if guided else "typed",
        classified_stage=result.stage,
        classified_kind=result.kind,
        stage_choices=() if guided else result.choices("stage"),
        kind_choices=() if guided else result.choices("kind"),
    )


@dataclass(frozen=True)
class _Waiting:
    """A note waiting for the end of the event loop's turn to be classified."""

    text: str
    chat_lang: str
    memory: CorrectionMemory | None
    result: asyncio.Future


# per event loop: the notes of this turn (the loop's next turn classifies them)
_waiting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[_Waiting]] = (
    weakref.WeakKeyDictionary()
)


async def _classified(
    text: str, chat_lang: str, memory: CorrectionMemory | None
) -> Classification:
    """`classify(text)`, together with the other notes that ask in this turn of the loop."""
    loop = asyncio.get_running_loop()
    waiting = _waiting.get(loop)
    if waiting is None:
        waiting = _waiting[loop] = []
        loop.call_soon(_classify_waiting, loop)
    note = _Waiting(text, chat_lang, memory, loop.create_future())
    waiting.append(note)
    return await note.result


def _classify_waiting(loop: asyncio.AbstractEventLoop) -> None:
    """Classifies the turn's notes: one `classify_many` per chat language and memory (a chat's
    memory is its own). A single note, or a batch that failed, is classified note by note, so
    an error reaches only the handling of the note that raised it."""
    from nlp.classify import classify_many

    groups: dict[tuple[str, int], list[_Waiting]] = {}
    for note in _waiting.pop(loop, []):
        groups.setdefault((note.chat_lang, id(note.memory)), []).append(note)
    for (chat_lang, _), notes in groups.items():
        if len(notes) > 1:
            texts, memory = [note.text for note in notes], notes[0].memory
            try:
                results = classify_many(texts, fallback_lang=chat_lang, memory=memory)
            except Exception:  # each alone below: only the bad one fails
                pass
            else:
                for note, result in zip(notes, results, strict=True):
                    if not note.result.done():  # its handling may have been cancelled
                        note.result.set_result(result)
                continue
        for note in notes:
            _classify_alone(note)


def _classify_alone(note: _Waiting) -> None:
    """Classifies one note: its result, or the error it raises, goes to its handling."""
    from nlp.classify import classify

    if note.result.done():
        return
    try:
        result = classify(note.text, fallback_lang=note.chat_lang, memory=note.memory)
    except Exception as error:  # raised where the note's handling awaits it
        note.result.set_exception(error)
    else:
        note.result.set_result(result)


def draft_many(
    texts: list[str],
    chat_lang: str,
    *,
    memory: CorrectionMemory | None = None,
    source: str = "typed",
) -> list[NoteDraft]:
    """Classifies many notes at once (nlp.pipe batches, `classify_many`): the points of a split
    text, the rows of an imported file. Call after `classifier_ready()`; on the event loop only
    a few texts at a time (bot/flows/import_file.py classifies files in slices)."""
    from nlp.classify import classify_many

    results = classify_many(texts, fallback_lang=chat_lang, memory=memory)
    return [
        NoteDraft(
            text=text,
            lang=result.lang,
            kind=result.kind,
            stage_key=result.stage,
            stage_score=result.stage_score,
            kind_score=result.kind_score,
            sentiment=result.sentiment,
            channels=result.channels,
            source=source,
            classified_stage=result.stage,
            classified_kind=result.kind,
        )
        for text, result in zip(texts, results, strict=True)
    ]
