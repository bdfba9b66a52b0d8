"""The bridge to nlp/: a typed note becomes a NoteDraft. The bot imports only nlp.classify."""

from __future__ import annotations

from functools import cache

from bot.core.insights import stop_word_keys
from bot.core.model import LANGUAGES, NoteDraft
from nlp.classify import classify, stop_words, warm_up

__all__ = ["draft_note", "theme_stop_words", "warm_up"]


@cache
def theme_stop_words() -> dict[str, frozenset[str]]:
    """Each language's stop words (spaCy's and ours), folded, for the themes of /insights."""
    return {lang: stop_word_keys(stop_words(lang)) for lang in LANGUAGES}


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
