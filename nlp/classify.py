"""The only module the bot imports: `classify(text) -> Classification`.

    from nlp.classify import classify, classify_many, warm_up
    from nlp.classify import STAGES, KINDS, LANGUAGES, GENERIC_CHANNELS  # bot.core.vocabulary

Pipelines (one per language, see nlp/pipeline.py) are loaded once per process, on first use
or by `warm_up()`, and cached.
"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from bot.core.vocabulary import KINDS, LANGUAGES, STAGES
from nlp.extensions import channel_names, sentiment_of
from nlp.langid import Detection, _normalize_lang, detect_language, load_identifier
from nlp.rules.helpers import GENERIC_CHANNELS

N_ALTERNATIVES = 3

__all__ = [
    "GENERIC_CHANNELS",
    "KINDS",
    "LANGUAGES",
    "STAGES",
    "Classification",
    "classify",
    "classify_many",
    "detect_language",
    "stop_words",
    "warm_up",
]


@dataclass(frozen=True)
class Classification:
    """What the classifier says about one note."""

    lang: str  # en, pl, uk, bg
    stage: str  # one of STAGES
    stage_score: float  # 0..1
    kind: str  # one of KINDS
    kind_score: float  # 0..1
    pain_point: bool  # kind == "pain_point"
    channels: list[str] = field(default_factory=list)  # brands as spelled; GENERIC_CHANNELS keys
    sentiment: float = 0.0  # −1..1
    alternatives: dict[str, list[list]] = field(default_factory=dict)  # best first

    def to_dict(self) -> dict:
        """The fields as plain JSON-ready values (copies: changing them leaves self alone).
        Like dataclasses.asdict, ten times faster (`journeybot classify` writes one per note)."""
        return {
            "lang": self.lang,
            "stage": self.stage,
            "stage_score": self.stage_score,
            "kind": self.kind,
            "kind_score": self.kind_score,
            "pain_point": self.pain_point,
            "channels": list(self.channels),
            "sentiment": self.sentiment,
            "alternatives": {name: [list(pair) for pair in ranked]
                             for name, ranked in self.alternatives.items()},
        }


_pipelines: dict[tuple[str, str], Language] = {}
_lock = threading.Lock()
_model_dir: Path | None = None
_gc_frozen = False


def set_model_dir(path: str | Path | None) -> None:
    """Use the models in `path/<lang>` instead of the shipped ones (tests, `eval --model`)."""
    global _model_dir
    _model_dir = Path(path) if path else None


def get_pipeline(lang: str) -> Language:
    from nlp.pipeline import MODEL_DIR, load_pipeline

    model_dir = _model_dir or MODEL_DIR
    key = (lang, str(model_dir))
    nlp = _pipelines.get(key)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(key)
            if nlp is None:
                nlp = _pipelines[key] = load_pipeline(lang, model_dir)
    return nlp


def warm_up(langs: Iterable[str] = LANGUAGES, *, wait: bool = False) -> None:
    """Loads the pipelines of `langs` (call once at start). The language identifier's n-gram
    model (~0.8 s) loads in a background thread meanwhile; `wait=True` waits for it too.
    Detection works before it is ready: it just waits for it if a note needs it."""
    loader = threading.Thread(target=load_identifier, name="journeybot-langid", daemon=True)
    loader.start()
    for lang in langs:
        get_pipeline(lang)
    if wait:
        loader.join()
    global _gc_frozen
    if not _gc_frozen:
        # The pipelines are hundreds of thousands of long-lived objects: move them out of
        # the cyclic collector's generations so its collections stop rescanning them (~5-10 %
        # of classification time otherwise). Once per process.
        gc.freeze()
        _gc_frozen = True


def _resolve_lang(text: str, lang: str | None, fallback_lang: str | None) -> str:
    if lang:
        known = _normalize_lang(lang)
        if known is not None:
            return known
        if lang.strip().lower().startswith("ru"):
            return detect_language(text, fallback_lang).lang
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return detect_language(text, fallback_lang).lang


def _best(cats: dict[str, float], labels: Sequence[str]) -> list[list]:
    """The N_ALTERNATIVES best [label, score] pairs, best first; ties keep the order of
    `labels` (sorted() is stable, also in reverse)."""
    best = sorted(labels, key=cats.__getitem__, reverse=True)[:N_ALTERNATIVES]
    # scores are 0..1: this rounds to 4 places like round(), ten times faster
    return [[label, int(cats[label] * 10000.0 + 0.5) / 10000.0] for label in best]


def _rule_guess(channels: list[str], sentiment: float) -> dict[str, float]:
    """Only without a trained model: a weak guess from the rule components."""
    kind = "pain_point" if sentiment <= -0.3 else "touchpoint" if channels else "need"
    guess = dict.fromkeys(STAGES + KINDS, 0.0)
    guess.update({"consideration": 0.2, kind: 0.2})
    return guess


def _from_doc(doc: Doc, lang: str) -> Classification:
    channels = list(channel_names(doc))
    sentiment = sentiment_of(doc)
    cats = doc.cats or _rule_guess(channels, sentiment)
    stage = _best(cats, STAGES)
    kind = _best(cats, KINDS)
    return Classification(
        lang=lang,
        stage=stage[0][0],
        stage_score=stage[0][1],
        kind=kind[0][0],
        kind_score=kind[0][1],
        pain_point=kind[0][0] == "pain_point",
        channels=channels,
        sentiment=float(max(-1.0, min(1.0, sentiment))),
        alternatives={"stage": stage, "kind": kind},
    )


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a note is a str, not {type(text).__name__}")
    if not text.strip():
        raise ValueError("empty note")
    return text.strip()


def classify(text: str, lang: str | None = None, *, fallback_lang: str | None = None
             ) -> Classification:
    """Classifies one note.

    `lang` given: the note's language is known. Otherwise it is detected; `fallback_lang`
    (the chat's language) decides for very short or ambiguous notes.
    """
    text = _check_text(text)
    note_lang = _resolve_lang(text, lang, fallback_lang)
    return _from_doc(get_pipeline(note_lang)(text), note_lang)


def classify_many(
    texts: Iterable[str],
    *,
    lang: str | None = None,
    fallback_lang: str | None = None,
    batch_size: int = 256,
) -> list[Classification]:
    """Classifies many notes (batched with nlp.pipe, one batch per language), in order."""
    texts = [_check_text(text) for text in texts]
    langs = [_resolve_lang(text, lang, fallback_lang) for text in texts]
    results: list[Classification | None] = [None] * len(texts)
    for note_lang in dict.fromkeys(langs):
        positions = [i for i, other in enumerate(langs) if other == note_lang]
        nlp = get_pipeline(note_lang)
        docs = nlp.pipe((texts[i] for i in positions), batch_size=batch_size)
        for i, doc in zip(positions, docs, strict=True):
            results[i] = _from_doc(doc, note_lang)
    return results  # type: ignore[return-value]


def detect(text: str, fallback_lang: str | None = None) -> Detection:
    """The language detection behind `classify` (for the CLI and tests)."""
    return detect_language(text, fallback_lang)


def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (en, pl, uk, bg): words too common to be a theme."""
    if lang not in LANGUAGES:
        return frozenset()
    module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    return frozenset(module.STOP_WORDS)
