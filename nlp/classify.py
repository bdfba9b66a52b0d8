"""The only module the bot imports: `classify(text) -> Classification`.

    from nlp.classify import classify, classify_many, warm_up
    from nlp.classify import STAGES, KINDS, LANGUAGES, GENERIC_CHANNELS  # bot.core.vocabulary
    from nlp.classify import note_search_keys, word_search_keys  # nlp/search_keys.py

Pipelines (one per language, see nlp/pipeline.py) are loaded once per process, on first use
or by `warm_up()`, and cached.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from bot.core.vocabulary import KINDS, LANGUAGES, STAGES
from nlp.calibration import Calibration, scale
from nlp.cues import stage_cues
from nlp.extensions import channel_names, sentiment_of, token_rows
from nlp.langid import (
    Detection,
    _normalize_lang,
    detect_language,
    function_words,
    load_identifier,
)
from nlp.memory import CorrectionMemory
from nlp.rules.helpers import GENERIC_CHANNELS
from nlp.search_keys import forget_word_keys, note_search_keys, word_search_keys
from nlp.stop_words import stop_words
from nlp.translit import LATIN_CYRILLIC_LANGS, is_latin_only, to_cyrillic

T = TypeVar("T")

N_ALTERNATIVES = 3
CHOICE_FLOOR = 0.1  # a third choice button only when its score reaches this
CUE_WEIGHT = 20.0  # "Etap zakupu …": the stage a sentence names counts at least this many
# times more, and always enough to come first (see _from_doc)
PAIN_SENTIMENT = 0.3  # a pain point is at least this negative (see note_sentiment)

__all__ = [
    "GENERIC_CHANNELS",
    "KINDS",
    "LANGUAGES",
    "STAGES",
    "Classification",
    "CorrectionMemory",
    "classify",
    "classify_many",
    "detect_language",
    "note_search_keys",
    "stop_words",
    "warm_up",
    "word_search_keys",
]


@dataclass(frozen=True, slots=True)
class Classification:
    """What the classifier says about one note. Immutable all the way down (tuples)."""

    lang: str  # en, pl, uk, bg
    stage: str  # one of STAGES
    stage_score: float  # 0..1, calibrated (see nlp/calibration.py)
    kind: str  # one of KINDS
    kind_score: float  # 0..1, calibrated
    pain_point: bool  # kind == "pain_point"
    channels: tuple[str, ...] = ()  # brands as spelled; GENERIC_CHANNELS keys
    sentiment: float = 0.0  # −1..1
    stage_alternatives: tuple[tuple[str, float], ...] = ()  # best first, the answer first
    kind_alternatives: tuple[tuple[str, float], ...] = ()
    stage_sure: bool = True  # the stage is right about 19 times in 20 (nlp/calibration.py)
    kind_sure: bool = True
    remembered: tuple[str, ...] = ()  # "stage"/"kind" taken from the chat's corrections

    @property
    def sure(self) -> bool:
        """Sure of both the stage and the kind: the bot asks nothing."""
        return self.stage_sure and self.kind_sure

    @property
    def alternatives(self) -> dict[str, tuple[tuple[str, float], ...]]:
        return {"stage": self.stage_alternatives, "kind": self.kind_alternatives}

    def choices(self, head: str) -> tuple[str, ...]:
        """What to offer as buttons when `head` ("stage" or "kind") is unsure: the two
        likeliest labels, and the third when its score reaches CHOICE_FLOOR; () when sure."""
        if (self.stage_sure if head == "stage" else self.kind_sure):
            return ()
        ranked = self.stage_alternatives if head == "stage" else self.kind_alternatives
        return tuple(label for i, (label, score) in enumerate(ranked)
                     if i < 2 or score >= CHOICE_FLOOR)

    def to_dict(self) -> dict:
        """The fields as plain JSON-ready values (`journeybot classify` writes one per note)."""
        result = {
            "lang": self.lang,
            "stage": self.stage,
            "stage_score": self.stage_score,
            "kind": self.kind,
            "kind_score": self.kind_score,
            "pain_point": self.pain_point,
            "channels": list(self.channels),
            "sentiment": self.sentiment,
            "sure": self.sure,
            "stage_sure": self.stage_sure,
            "kind_sure": self.kind_sure,
            "alternatives": {"stage": [list(pair) for pair in self.stage_alternatives],
                             "kind": [list(pair) for pair in self.kind_alternatives]},
        }
        if self.remembered:
            result["remembered"] = list(self.remembered)
        return result


_pipelines: dict[tuple[str, str], Language] = {}
_calibrations: dict[str, Calibration] = {}
_lock = threading.Lock()
_model_dir: Path | None = None


def set_model_dir(path: str | Path | None) -> None:
    """Use the models in `path/<lang>` instead of the shipped ones (tests, `eval --model`)."""
    global _model_dir
    _model_dir = Path(path) if path else None


def model_dir() -> Path:
    from nlp.pipeline import MODEL_DIR

    return _model_dir or MODEL_DIR


def get_pipeline(lang: str) -> Language:
    from nlp.pipeline import load_pipeline

    directory = model_dir()
    key = (lang, str(directory))
    nlp = _pipelines.get(key)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(key)
            if nlp is None:
                nlp = _pipelines[key] = load_pipeline(lang, directory)
    return nlp


def get_calibration() -> Calibration:
    """The calibration shipped beside the models (none: every note is sure)."""
    directory = str(model_dir())
    calibration = _calibrations.get(directory)
    if calibration is None:
        calibration = _calibrations[directory] = Calibration.load(directory)
    return calibration


def forget_calibration() -> None:
    """Re-read calibration.json on next use (after `journeybot calibrate` rewrote it)."""
    _calibrations.clear()


def forget_pipelines(directory: str | Path) -> None:
    """Unload the pipelines and calibration read from `directory` (a model that was
    replaced or deleted: training's candidates, tests)."""
    with _lock:
        for key in [key for key in _pipelines if key[1] == str(directory)]:
            del _pipelines[key]
            _vocabulary_limits.pop(key, None)
    _calibrations.pop(str(directory), None)
    forget_word_keys()


def warm_up(langs: Iterable[str] = LANGUAGES, *, wait: bool = False) -> None:
    """Loads the pipelines of `langs` (call once at start). The language identifier's n-gram
    model (nlp/ngrams.py, ~0.03 s) loads in a background thread meanwhile; detection works
    before it is ready: it just waits for it if a note needs it.

    `wait=True` (the bot) loads the identifier first and then the pipelines, in this thread
    (py3langid's full model needed ~100 MiB for a moment while it loaded; the compact one
    needs ~11 MiB, loaded or loading)."""
    if wait:
        load_identifier()
    else:
        threading.Thread(target=load_identifier, name="journeybot-langid", daemon=True).start()
    for lang in langs:
        get_pipeline(lang)
    get_calibration()


# Strings a pipeline's vocabulary may gain for good after loading (~4,000 new words: their
# lexemes, strings and tokenizer cache entries, ~1.5 MiB); see _vocabulary_bounded.
VOCABULARY_GROWTH = 10_000
_vocabulary_limits: dict[tuple[str, str], int] = {}
_pipeline_lock = threading.RLock()


@contextmanager
def _vocabulary_bounded(lang: str) -> Iterator[Language]:
    """The pipeline of `lang`, for one call that may meet words its vocabulary does not know.

    spaCy keeps every word it meets — a lexeme, its strings, the tokenizer's cache entry —
    for the life of the process. The first VOCABULARY_GROWTH strings are kept (the words a
    bot meets first are mostly the words its teams use: keeping them keeps classification
    fast); past that, the call runs inside `nlp.memory_zone()`, which forgets what it added
    when the call is done, so a process that meets new words all day stops growing (the
    components' own memos are bounded too: nlp/memos.py). Docs made in the zone must not
    outlive it: only `Classification`s and plain values leave. One call at a time: a zone
    changes the vocabulary's state for every user of the pipeline."""
    nlp = get_pipeline(lang)
    key = (lang, str(model_dir()))
    with _pipeline_lock:
        limit = _vocabulary_limits.setdefault(key, len(nlp.vocab.strings) + VOCABULARY_GROWTH)
        if len(nlp.vocab.strings) < limit:
            yield nlp
        else:
            with nlp.memory_zone():
                yield nlp


def _resolve_lang(text: str, lang: str | None, fallback_lang: str | None) -> str:
    if lang:
        known = _normalize_lang(lang)
        if known is not None:
            return known
        if lang.strip().lower().startswith("ru"):
            return detect_language(text, fallback_lang).lang
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return detect_language(text, fallback_lang).lang


def _ranked(labels: Sequence[str], probs: Sequence[float]) -> tuple[tuple[str, float], ...]:
    """The N_ALTERNATIVES best (label, score) pairs, best first; ties keep the order of
    `labels` (sorted() is stable, also in reverse). Scores rounded to 4 places."""
    order = sorted(range(len(labels)), key=probs.__getitem__, reverse=True)[:N_ALTERNATIVES]
    return tuple((labels[i], round(probs[i], 4)) for i in order)


def _rule_guess(channels: Sequence[str], sentiment: float) -> dict[str, float]:
    """Only without a trained model: a weak guess from the rule components."""
    kind = "pain_point" if sentiment <= -0.3 else "touchpoint" if channels else "need"
    guess = dict.fromkeys(STAGES + KINDS, 0.0)
    guess.update({"consideration": 0.2, kind: 0.2})
    return guess


def _remember_weight(similarity: float) -> float:
    """How much a remembered correction weighs against the model: 0.75 at the memory's
    threshold up to 1 for the same note; always enough to put it first."""
    return 0.5 + similarity / 2


def _mix(labels: Sequence[str], probs: list[float], label: str, weight: float) -> list[float]:
    chosen = labels.index(label)
    return [p * (1.0 - weight) + (weight if i == chosen else 0.0) for i, p in enumerate(probs)]


def _boost(labels: Sequence[str], probs: list[float], label: str, factor: float) -> list[float]:
    chosen = labels.index(label)
    scaled = [p * factor if i == chosen else p for i, p in enumerate(probs)]
    total = sum(scaled) or 1.0
    return [p / total for p in scaled]


_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


def _from_doc(doc: Doc, lang: str, memory: CorrectionMemory | None = None) -> Classification:
    channels = tuple(channel_names(doc))
    lexicon_sentiment = sentiment_of(doc)
    cats = doc.cats or _rule_guess(channels, lexicon_sentiment)
    calibration = get_calibration()
    stage_probs = scale([cats.get(label, 0.0) for label in STAGES],
                        calibration.temperature(lang, "stage"))
    kind_probs = scale([cats.get(label, 0.0) for label in KINDS],
                       calibration.temperature(lang, "kind"))
    named = stage_cues(lang).stage_named(doc.text)
    if named is not None:
        # the cues are right 338 times in 343 on train, more often than the model at any
        # score: the named stage comes first ("At the advocacy stage people compare prices")
        named_prob, top_prob = stage_probs[STAGES.index(named)], max(stage_probs)
        factor = max(CUE_WEIGHT, 2.0 * top_prob / named_prob) if named_prob > 0 else CUE_WEIGHT
        stage_probs = _boost(STAGES, stage_probs, named, factor)
    # a stage the note names ("Etap zakupu…") is sure (dev has no such sentence to fit a
    # threshold on)
    stage_sure = named is not None or max(stage_probs) >= calibration.threshold(lang, "stage")
    kind_sure = max(kind_probs) >= calibration.threshold(lang, "kind")
    if named is None and len(_LETTER_WORD.findall(doc.text)) < 2:
        # one word or an emoji: too little to tell a stage from, whatever the scores say
        stage_sure = kind_sure = False
    remembered: tuple[str, ...] = ()
    if memory is not None and len(memory):
        recall = memory.recall(_signature_of(doc, lang), lang)
        if recall is not None:
            weight = _remember_weight(recall.similarity)
            if recall.stage in STAGES:
                stage_probs = _mix(STAGES, stage_probs, recall.stage, weight)
                stage_sure, remembered = True, ("stage",)
            if recall.kind in KINDS:
                kind_probs = _mix(KINDS, kind_probs, recall.kind, weight)
                kind_sure, remembered = True, (*remembered, "kind")
    stage = _ranked(STAGES, stage_probs)
    kind = _ranked(KINDS, kind_probs)
    return Classification(
        lang=lang,
        stage=stage[0][0],
        stage_score=stage[0][1],
        kind=kind[0][0],
        kind_score=kind[0][1],
        pain_point=kind[0][0] == "pain_point",
        channels=channels,
        sentiment=note_sentiment(lexicon_sentiment, kind[0][0], kind[0][1]),
        stage_alternatives=stage,
        kind_alternatives=kind,
        stage_sure=stage_sure,
        kind_sure=kind_sure,
        remembered=remembered,
    )


def note_sentiment(lexicon: float, kind: str, kind_score: float) -> float:
    """The note's sentiment: the lexicon's, except where the note's kind says more. A pain
    point stated as a plain fact ("courier two hours late, the cream melted": no word of the
    lexicon) is negative; an emotion with no negative word is delight ("she came back with
    three friends 🙌") and positive."""
    sentiment = max(-1.0, min(1.0, lexicon))
    if kind == "pain_point" and sentiment < PAIN_SENTIMENT:
        sentiment = min(sentiment, -PAIN_SENTIMENT)
    elif kind == "emotion" and sentiment >= 0.0:
        sentiment = max(sentiment, PAIN_SENTIMENT)
    return float(sentiment)


def _signature_of(doc: Doc, lang: str) -> frozenset[str]:
    """The folded lemmas of the note's content words and its channels (nlp/memory.py)."""
    strings = doc.vocab.strings
    stop = function_words(lang)
    words = {strings[norm] for norm in token_rows(doc)[1]}
    found = {word for word in words
             if len(word) >= 3 and word not in stop and _LETTER_WORD.fullmatch(word)}
    found.update("ch:" + name for name in channel_names(doc))
    return frozenset(found)


def _read_rule_doc(text: str, lang: str, components: Sequence[str], read: Callable[[Doc], T]
                   ) -> T:
    """`read(doc)` of a text in a known language through some of the rule components only
    (no textcat). The doc lives only inside `_vocabulary_bounded`: `read` returns plain values."""
    with _vocabulary_bounded(lang) as nlp:
        doc = nlp.make_doc(pipeline_text(_check_text(text), lang))
        for name in components:
            if name in nlp.pipe_names:
                doc = nlp.get_pipe(name)(doc)
        return read(doc)


def signature(text: str, lang: str) -> frozenset[str]:
    """`_signature_of` a text in a known language (lemmatizer and channels only)."""
    return _read_rule_doc(text, lang, ("journey_lemmatizer", "journey_channels"),
                          lambda doc: _signature_of(doc, lang))


def sentiment_for_kind(text: str, lang: str, kind: str) -> float:
    """The sentiment of a note whose kind the team set (a correction): the lexicon's, with
    what that kind says (`note_sentiment`), so a note corrected to a pain point is negative."""
    return _read_rule_doc(
        text, lang, ("journey_lemmatizer", "journey_channels", "journey_sentiment"),
        lambda doc: note_sentiment(sentiment_of(doc), kind, 1.0))


def pipeline_text(text: str, lang: str) -> str:
    """What the pipeline reads: Ukrainian or Bulgarian typed in Latin letters goes back into
    Cyrillic (nlp/translit.py); any other note as it is."""
    if lang in LATIN_CYRILLIC_LANGS and is_latin_only(text):
        return to_cyrillic(text, lang)
    return text


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a note is a str, not {type(text).__name__}")
    if not text.strip():
        raise ValueError("empty note")
    return text.strip()


def classify(text: str, lang: str | None = None, *, fallback_lang: str | None = None,
             memory: CorrectionMemory | None = None) -> Classification:
    """Classifies one note.

    `lang` given: the note's language is known. Otherwise it is detected; `fallback_lang`
    (the chat's language) decides for very short or ambiguous notes. `memory`: the chat's
    corrected notes (nlp/memory.py), which win over the model for notes close to them.
    """
    text = _check_text(text)
    note_lang = _resolve_lang(text, lang, fallback_lang)
    with _vocabulary_bounded(note_lang) as nlp:
        return _from_doc(nlp(pipeline_text(text, note_lang)), note_lang, memory)


def classify_many(
    texts: Iterable[str],
    *,
    lang: str | None = None,
    fallback_lang: str | None = None,
    batch_size: int = 256,
    memory: CorrectionMemory | None = None,
) -> list[Classification]:
    """Classifies many notes (batched with nlp.pipe, one batch per language), in order."""
    texts = [_check_text(text) for text in texts]
    langs = [_resolve_lang(text, lang, fallback_lang) for text in texts]
    results: list[Classification | None] = [None] * len(texts)
    for note_lang in dict.fromkeys(langs):
        positions = [i for i, other in enumerate(langs) if other == note_lang]
        with _vocabulary_bounded(note_lang) as nlp:
            docs = nlp.pipe((pipeline_text(texts[i], note_lang) for i in positions),
                            batch_size=batch_size)
            for i, doc in zip(positions, docs, strict=True):
                results[i] = _from_doc(doc, note_lang, memory)
    return results  # type: ignore[return-value]


def detect(text: str, fallback_lang: str | None = None) -> Detection:
    """The language detection behind `classify` (for the CLI and tests)."""
    return detect_language(text, fallback_lang)
