"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify."""

from __future__ import annotations

from bot.core.model import NoteDraft
from nlp.classify import classify, note_search_keys, warm_up, word_search_keys

__all__ = ["draft_note", "note_search_keys", "warm_up", "word_search_keys"]


def draft_note(
    text: str,
    chat_lang: str,
    *,
    kind: str | None = None,
    stage_key: str | None = None,
    guided: bool = False,
) -> NoteDraft:
    """Classifies `text`. In the guided flow the team chose stage and lane, so those win."""
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
