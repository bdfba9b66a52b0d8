"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify.

Each chat has its own memory of the notes its team corrected (nlp/memory.py): a later note
close to a corrected one lands where the team put that one, at once, in that chat only. The
memory is built from the chat's corrections and rebuilt when they change (a correction added,
or deleted with /forget).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from functools import cache

from sqlite_utils import Database

from bot.core.insights import stop_word_keys
from bot.core.model import LANGUAGES, NoteDraft
from nlp.classify import CorrectionMemory, classify, stop_words, warm_up
from storage.notes import chat_corrections, corrections_mark

__all__ = ["chat_memory", "draft_note", "theme_stop_words", "warm_up"]

_MEMORY_CHATS = 512  # chats whose memory is kept built; others are rebuilt on their next note
# per database: chat id → (corrections_mark, memory), least recently used first
_memories: weakref.WeakKeyDictionary[Database, OrderedDict] = weakref.WeakKeyDictionary()
_memories_lock = threading.Lock()


@cache
def theme_stop_words() -> dict[str, frozenset[str]]:
    """Each language's stop words (spaCy's and ours), folded, for the themes of /insights."""
    return {lang: stop_word_keys(stop_words(lang)) for lang in LANGUAGES}


def chat_memory(db: Database, chat_id: int) -> CorrectionMemory | None:
    """The chat's memory of corrected notes (None when the team has corrected nothing)."""
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


def draft_note(
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
