"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify
(and nlp.cli, nlp.stop_words).

spaCy and the four pipelines take seconds to load, so `journeybot run` loads them in a
background thread (`start_loading`) and answers everything that needs no classifier at once.
A note that arrives before the classifier is ready waits for it (`draft_note` awaits the
loading without blocking the event loop); it never fails for it.

Each chat has its own memory of the notes its team corrected (nlp/memory.py): a later note
close to a corrected one lands where the team put that one, at once, in that chat only. The
memory is built from the chat's corrections and rebuilt when they change (a correction added,
or deleted with /forget).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from sqlite_utils import Database

from bot.core.insights import stop_word_keys
from bot.core.model import LANGUAGES, NoteDraft
from bot.heap import release_freed_memory
from bot.texts import load_plural_rules
from storage.notes import (
    chat_correction_rows,
    chat_corrections,
    corrections_mark,
    corrections_taught,
)

if TYPE_CHECKING:
    from nlp.classify import Classification, CorrectionMemory

__all__ = [
    "Arrival",
    "ArrivalBatch",
    "chat_memory",
    "classifier_ready",
    "defer_loading",
    "draft_many",
    "draft_note",
    "kind_sentiment",
    "note_search_keys",
    "reload_classifier",
    "start_loading",
    "theme_stop_words",
    "warm_up",
    "word_search_keys",
]

LOADING_SWITCH_INTERVAL = 0.001  # seconds
_ready = threading.Event()
_loader: threading.Thread | None = None
_deferred = False  # `defer_loading`: the first caller of `classifier_ready` starts the loading
_loader_lock = threading.Lock()
_MEMORY_CHATS = 512  # chats whose memory is kept built; others are rebuilt on their next note
# per database: chat id → (corrections_mark, memory), least recently used first
_memories: weakref.WeakKeyDictionary[Database, OrderedDict] = weakref.WeakKeyDictionary()
_memories_lock = threading.Lock()
_generation = 0  # models loaded since start: a classification made by older ones is not used


def warm_up() -> None:
    """Loads the classifier now, in this thread (the console, tests; the bot's loader thread)."""
    from nlp.classify import warm_up as load_pipelines

    load_pipelines(wait=True)  # the language identifier too: no note waits for it later
    load_plural_rules()  # Babel's, before anyone is told how many notes they have


def start_loading() -> None:
    """Starts loading the classifier in a background thread (once per process)."""
    with _loader_lock:
        if _loader is None:
            _start_loader()


def defer_loading() -> None:
    """The loading will start later (`start_loading`), or as soon as a note needs the
    classifier (`classifier_ready`): `journeybot run` answers the people waiting at start
    first (bot/startup.py, `after_first_answers`)."""
    global _deferred
    _deferred = True


def _start_loader(*, reloading: bool = False) -> None:
    """The loader thread (`_load`); the caller holds `_loader_lock`."""
    global _loader
    _loader = threading.Thread(
        target=_load, args=(reloading,), name="journeybot-classifier", daemon=True
    )
    _loader.start()


def freeze_what_loading_left(*, full: bool = False) -> None:
    """Python's full garbage collection walks every object that has ever lived long: with the
    pipelines loaded (~124,000 objects) each one held the event loop 67–75 ms of CPU, whenever
    enough new objects had piled up. What start-up loaded lives as long as the process: frozen,
    no collection walks it again (a full one costs ~0 ms after).

    Only the young generations are collected first: a full collection here was itself one C
    call that held the GIL — and so the event loop — for 48–75 ms of CPU (the longest hold of
    the whole loading), to free ~475 objects that loading left unreachable (they stay, frozen:
    ~0.1 MiB). After a reload (`full`), the oldest generation holds the replaced pipelines'
    cycles, unfrozen for this: only a full collection frees them before they are frozen again
    (once a week at most, with the weekly retrain)."""
    gc.collect() if full else gc.collect(1)
    gc.freeze()


def _load(reloading: bool = False) -> None:
    # While the loader runs Python code, the event loop waits for the GIL up to the switch
    # interval each time it has something to do: 1 ms instead of 5 while loading.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, LOADING_SWITCH_INTERVAL))
    try:
        warm_up()
        release_freed_memory()  # what loading freed (~7 MiB; bot/heap.py)
        freeze_what_loading_left(full=reloading)
    finally:  # a failure shows again, with its traceback, when the first note is classified
        sys.setswitchinterval(interval)
        _ready.set()


async def classifier_ready() -> None:
    """Returns once the background loading (if one was started, or deferred: then it starts
    now) has finished."""
    if _deferred:
        start_loading()
    if _loader is not None and not _ready.is_set():
        await asyncio.get_running_loop().run_in_executor(None, _ready.wait)


async def reload_classifier(forget: Callable[[], None]) -> None:
    """Loads the classifier again after a retrain wrote new models (bot/retrain.py): `forget`
    drops the old pipelines, the loader thread loads the new ones, and notes wait for it in
    `classifier_ready` as they do at start — instead of the first note of each language
    loading its pipeline on the event loop (0.4 s each, 1.7 s for four)."""
    await classifier_ready()  # a load under way finishes first
    global _generation
    with _loader_lock:
        _ready.clear()
        _generation += 1
        gc.unfreeze()  # the old pipelines' cycles can be collected once forgotten
        forget()
        _start_loader(reloading=True)
    await classifier_ready()


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
    """Each language's stop words (spaCy's and ours), folded, for the themes of /insights.
    Read without importing spaCy (`nlp.stop_words`): the worker process that computes
    /insights loads no pipeline."""
    from nlp.stop_words import stop_words

    return {lang: stop_word_keys(stop_words(lang)) for lang in LANGUAGES}


MEMORY_STEP = 50  # corrections turned into signatures between two turns of the event loop
CORRECTION_PAGE = 1_000  # corrections read from SQLite between two turns of the event loop


def chat_memory(db: Database, chat_id: int) -> CorrectionMemory | None:
    """The chat's memory of corrected notes (None when the team has corrected nothing). Built
    at once: for one-shot commands (`journeybot import`); handlers use `load_chat_memory`."""
    from nlp.classify import CorrectionMemory

    mark = corrections_mark(db, chat_id)
    if not mark[0]:
        return None
    memory = _cached_memory(db, chat_id, mark)
    if memory is None:
        memory = CorrectionMemory()
        memory.extend(chat_corrections(db, chat_id))
        _keep_memory(db, chat_id, mark, memory)
    return memory


async def load_chat_memory(db: Database, chat_id: int) -> CorrectionMemory | None:
    """`chat_memory` on the event loop: a memory that must be (re)built — after every new
    correction — is read CORRECTION_PAGE corrections and built MEMORY_STEP at a time, other
    chats served in between. Built at once, 4,200 corrections held the loop 0.4 s of CPU
    (each is run through the pipeline for its signature; bench/scale.py, correction_memory)."""
    from nlp.classify import CorrectionMemory

    mark = corrections_mark(db, chat_id)
    if not mark[0]:
        return None
    memory = _cached_memory(db, chat_id, mark)
    if memory is not None:
        return memory
    rows = chat_correction_rows(db, chat_id, limit=CORRECTION_PAGE)
    while len(rows) % CORRECTION_PAGE == 0 and rows:
        await asyncio.sleep(0)
        page = chat_correction_rows(db, chat_id, after_id=rows[-1][0], limit=CORRECTION_PAGE)
        if not page:
            break
        rows += page
    corrections = corrections_taught(rows)
    memory = CorrectionMemory()
    for start in range(0, len(corrections), MEMORY_STEP):
        await asyncio.sleep(0)
        memory.extend(corrections[start : start + MEMORY_STEP])
    _keep_memory(db, chat_id, mark, memory)
    return memory


def _cached_memory(db: Database, chat_id: int, mark: tuple) -> CorrectionMemory | None:
    with _memories_lock:
        chats = _memories.setdefault(db, OrderedDict())
        cached = chats.get(chat_id)
        if cached is not None and cached[0] == mark:
            chats.move_to_end(chat_id)
            return cached[1]
    return None


def _last_memory(db: Database, chat_id: int) -> CorrectionMemory | None:
    """The chat's memory as last built (it may be out of date), without asking SQLite."""
    with _memories_lock:
        cached = _memories.get(db, {}).get(chat_id)
    return cached[1] if cached is not None else None


def _keep_memory(db: Database, chat_id: int, mark: tuple, memory: CorrectionMemory) -> None:
    with _memories_lock:
        chats = _memories.setdefault(db, OrderedDict())
        chats[chat_id] = (mark, memory)
        chats.move_to_end(chat_id)
        while len(chats) > _MEMORY_CHATS:
            chats.popitem(last=False)


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
    arrival: Arrival | None = None,
) -> NoteDraft:
    """Classifies `text`. In the guided flow the team chose stage and lane, so those win.
    `memory`: the chat's corrected notes (`chat_memory`); `arrival`: the update the text came
    in, classified with the notes that arrived with it (`ArrivalBatch`)."""
    await classifier_ready()
    if arrival is not None and not guided:
        result = arrival.batch.classification(arrival, text, chat_lang, memory)
    else:
        from nlp.classify import classify

        result = classify(text, fallback_lang=chat_lang, memory=None if guided else memory)
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


ARRIVAL_BATCH = 32  # notes classified together at most: ~8 ms of the event loop
ARRIVALS_KEPT = 512  # notes waiting or classified ahead, at most (the inbox holds ≤ 84 updates)
CHAT_LANGUAGES_KEPT = 4096


class Arrival(NamedTuple):
    """Where a note's text came from: its update in the batch of notes that arrived with it."""

    batch: ArrivalBatch
    update_id: int
    chat_id: int


class ArrivalBatch:
    """Notes classified together, one `nlp.pipe` per language, instead of one call each.

    A getUpdates answer brings many notes at once (~25 in the closed loop of bench/latency.py),
    but each reaches the classifier in its own chat's handling, one or two at a time (most wait
    at the 16-chat gate of bot/limits.py). So the inbox announces a note's text where it arrives
    (`expect`, bot/inbox.py); the first of them to be classified classifies those still waiting
    with it (up to ARRIVAL_BATCH), and the others find their result ready. A note only takes a
    result made with exactly what it would be classified with — the same text, chat language
    and correction memory (a chat's memory as last built: a correction since makes it a new
    one), by the same models — else it is classified alone, as before. A batch that fails is
    not used: each note is then classified alone, so only a bad note fails.
    Notes classified together: 0.53 → 0.27 ms of CPU a note in batches of 25 (the bench's
    eight notes in four languages, `time.process_time`)."""

    def __init__(self) -> None:
        # update id → (text, chat language, memory): announced, not classified yet
        self._waiting: OrderedDict[int, tuple[str, str, CorrectionMemory | None]] = OrderedDict()
        # update id → (text, chat language, memory, models' generation, classification)
        self._ready: OrderedDict[int, tuple] = OrderedDict()
        self._langs: OrderedDict[int, str] = OrderedDict()  # chat id → its notes' language
        self.announced = 0  # texts announced since start (`expect`)
        self.batches = 0  # batches of more than one note classified since start
        self.hits = 0  # notes that found their classification made ahead with others

    def expect(self, db: Database, update_id: int, chat_id: int, text: str, lang: str) -> None:
        """A note's text has arrived; `lang`: its chat's language as far as one knows here
        (the one its last note was classified with, or the sender's Telegram language)."""
        lang = self._langs.get(chat_id, lang)
        self.announced += 1
        self._waiting[update_id] = (text, lang, _last_memory(db, chat_id))
        while len(self._waiting) > ARRIVALS_KEPT:
            self._waiting.popitem(last=False)

    def forget(self, update_id: int) -> None:
        """The update has been handled: whatever was kept for it goes."""
        self._waiting.pop(update_id, None)
        self._ready.pop(update_id, None)

    def classification(
        self, arrival: Arrival, text: str, lang: str, memory: CorrectionMemory | None
    ) -> Classification:
        """The note's classification: made ahead with other notes, or now with those waiting."""
        from nlp.classify import classify

        self._langs[arrival.chat_id] = lang
        self._langs.move_to_end(arrival.chat_id)
        while len(self._langs) > CHAT_LANGUAGES_KEPT:
            self._langs.popitem(last=False)
        ready = self._ready.pop(arrival.update_id, None)
        if ready is not None and ready[:2] == (text, lang) and ready[2] is memory \
                and ready[3] == _generation:
            self.hits += 1
            return ready[4]
        self._waiting.pop(arrival.update_id, None)
        others = []
        while self._waiting and len(others) < ARRIVAL_BATCH - 1:
            others.append(self._waiting.popitem(last=False))
        if others:
            self._classify_together([(arrival.update_id, (text, lang, memory)), *others])
            ready = self._ready.pop(arrival.update_id, None)
            if ready is not None:
                return ready[4]
        return classify(text, fallback_lang=lang, memory=memory)

    def _classify_together(self, notes: list[tuple[int, tuple]]) -> None:
        from nlp.classify import classify_many

        groups: dict[tuple[str, int], list[tuple[int, tuple]]] = {}
        for update_id, (text, lang, memory) in notes:  # classify_many: one language, one memory
            groups.setdefault((lang, id(memory)), []).append((update_id, (text, lang, memory)))
        self.batches += 1
        for group in groups.values():
            _, (_, lang, memory) = group[0]
            try:
                results = classify_many([text for _, (text, _, _) in group], fallback_lang=lang,
                                        memory=memory)
            except Exception:  # each note is then classified alone: a bad one fails alone
                continue
            for (update_id, (text, _, _)), result in zip(group, results, strict=True):
                self._ready[update_id] = (text, lang, memory, _generation, result)
        while len(self._ready) > ARRIVALS_KEPT:
            self._ready.popitem(last=False)
