"""A chat's memory of the notes its team corrected: learning from the team at once.

When a team moves a note to another stage or kind, later notes *of the same chat* that say
nearly the same thing should land where the team put the first one, without waiting for a
retrain. Each corrected note is kept as its signature — the set of its folded lemmas (words of
three letters or more that are not function words) and its channels — with the stage and/or
kind the team chose. A new note whose signature is close enough (cosine of the two sets ≥
`threshold`, and at least MIN_SHARED words in common unless the two are the same) to a
remembered one takes the remembered labels; the closest one wins, the latest on a tie.

One memory per chat: the bot builds it from that chat's corrections (bot/classifier.py), so
another chat is never affected. `nlp.classify.classify(text, memory=…)` consults it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Chosen on dev with `journeybot eval`'s correction replay (see docs/classifier.md): lower
# values copy a correction onto notes that only share the business's vocabulary.
SIMILARITY = 0.5
# a one-word correction ("kurs" → Purchase) must not capture every later note with that word
# ("kurs angielskiego dla dzieci": cosine 0.58): two shared words, or the very same signature
MIN_SHARED = 2


@dataclass(frozen=True)
class Remembered:
    """One corrected note: what it looked like and what the team said it is."""

    lang: str
    signature: frozenset[str]
    stage: str | None  # None: the team did not correct the stage
    kind: str | None


@dataclass(frozen=True)
class Recall:
    """What the memory says about a new note."""

    stage: str | None
    kind: str | None
    similarity: float


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two sets: |a ∩ b| / √(|a|·|b|), 0 when either is empty or they share fewer
    than MIN_SHARED words (and are not the same set)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < MIN_SHARED and a != b:
        return 0.0
    return shared / math.sqrt(len(a) * len(b))


class CorrectionMemory:
    """The corrected notes of one chat (see the module docstring)."""

    def __init__(self, threshold: float = SIMILARITY) -> None:
        self.threshold = threshold
        self._notes: list[Remembered] = []

    def __len__(self) -> int:
        return len(self._notes)

    def add(self, text: str, lang: str, *, stage: str | None = None,
            kind: str | None = None) -> None:
        """Remembers that the team put `text` on `stage` and/or `kind` (None: not corrected)."""
        from nlp.classify import signature  # the pipeline's lemmas and channels

        self.add_signature(signature(text, lang), lang, stage=stage, kind=kind)

    def add_signature(self, signature: frozenset[str], lang: str, *, stage: str | None = None,
                      kind: str | None = None) -> None:
        if (stage or kind) and signature:
            self._notes.append(Remembered(lang, signature, stage, kind))

    def extend(self, corrections: Iterable[tuple[str, str, str | None, str | None]]) -> None:
        """Adds (text, lang, stage, kind) tuples, oldest first."""
        for text, lang, stage, kind in corrections:
            self.add(text, lang, stage=stage, kind=kind)

    def recall(self, signature: frozenset[str], lang: str) -> Recall | None:
        """The labels of the closest remembered note of `lang`, if it is close enough. A
        field the closest note did not correct is taken from the next close note that did."""
        stage = kind = None
        best = 0.0
        scored = sorted(
            ((similarity(signature, note.signature), position, note)
             for position, note in enumerate(self._notes) if note.lang == lang),
            key=lambda item: (item[0], item[1]),
            reverse=True,
        )
        for score, _, note in scored:
            if score < self.threshold:
                break
            best = max(best, score)
            stage = stage or note.stage
            kind = kind or note.kind
            if stage and kind:
                break
        if stage is None and kind is None:
            return None
        return Recall(stage, kind, round(best, 4))
