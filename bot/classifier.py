"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify.

spaCy and the four pipelines take seconds to load, so `journeybot run` loads them in a
background thread (`start_loading`) and answers everything that needs no classifier at once.
A note that arrives before the classifier is ready waits for it (`draft_note` awaits the
loading without blocking the event loop); it never fails for it.
"""

from __future__ import annotations

import asyncio
import threading
from functools import cache

from bot.core.insights import stop_word_keys
from bot.core.model import LANGUAGES, NoteDraft

__all__ = ["classifier_ready", "draft_note", "start_loading", "theme_stop_words", "warm_up"]

_ready = threading.Event()
_loader: threading.Thread | None = None
_loader_lock = threading.Lock()


@cache
def theme_stop_words() -> dict[str, frozenset[str]]:
    """Each language's stop words (spaCy's and ours), folded, for the themes of /insights."""
    from nlp.classify import stop_words

    return {lang: stop_word_keys(stop_words(lang)) for lang in LANGUAGES}


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
    try:
        warm_up()
    finally:  # a failure shows again, with its traceback, when the first note is classified
        _ready.set()


async def classifier_ready() -> None:
    """Returns once the background loading (if one was started) has finished."""
    if _loader is not None and not _ready.is_set():
        await asyncio.get_running_loop().run_in_executor(None, _ready.wait)


async def draft_note(
    text: str,
    chat_lang: str,
    *,
    kind: str | None = None,
    stage_key: str | None = None,
    guided: bool = False,
) -> NoteDraft:
    """Classifies `text`. In the guided flow the team chose stage and lane, so those win."""
    await classifier_ready()
    from nlp.classify import classify

    result = classify(text, fallback_lang=chat_lang)
    return NoteDraft(
        text=text,
        lang=result.lang,
        kind=kind if guided else result.kind,
        stage_key=stage_key if guided else result.stage,
        stage_score=None if guided else result.stage_score,
        kind_score=None if guided else result.kind_score,
        sentiment=result.sentiment,
        channels=tuple(result.channels),
        source="guided" if guided else "typed",
        classified_stage=result.stage,
        classified_kind=result.kind,
    )
