"""Stage cues: sentences that name a journey stage ("Etap zakupu obejmuje…", "на етапі
покупки", "the purchase stage") say which stage they are about, whatever their other words.

A cue is a word for "stage" (`markers`) within two words of one stage's name (`stages`), in
nlp/lexicons/stage_cues.json. "po etapie zakupu" / "after the purchase stage" (an `after`
word just before the cue) names the stage after it. The classifier multiplies the named
stage's probability by CUE_WEIGHT (see nlp/classify.py): it counts for a lot, but a note can
still be moved off it by the team's corrections.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from bot.core.vocabulary import STAGES, fold

CUES_FILE = Path(__file__).parent / "lexicons" / "stage_cues.json"
WINDOW = 2  # a stage name at most this many words from the marker
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def _matches(word: str, stems: tuple[str, ...]) -> bool:
    return any(word.startswith(stem[:-1]) if stem.endswith("*") else word == stem
               for stem in stems)


class StageCues:
    """The cue rules of one language (see the module docstring)."""

    def __init__(self, markers, stages: dict[str, list[str]], after=()) -> None:
        self.markers = tuple(fold(m) for m in markers)
        self.stages = {stage: tuple(fold(s) for s in stems) for stage, stems in stages.items()}
        self.after = frozenset(fold(a) for a in after)

    def stage_named(self, text: str) -> str | None:
        """The one stage the text names with a cue, or None (no cue, or cues of two stages)."""
        words = _WORD.findall(fold(text))
        found = set()
        for i, word in enumerate(words):
            if not _matches(word, self.markers):
                continue
            for j in range(max(0, i - WINDOW), min(len(words), i + WINDOW + 1)):
                if j == i:
                    continue
                for stage, stems in self.stages.items():
                    if _matches(words[j], stems):
                        start = min(i, j)
                        # "po etapie zakupu": the stage after the named one
                        if start and words[start - 1] in self.after and stage != STAGES[-1]:
                            stage = STAGES[STAGES.index(stage) + 1]
                        found.add(stage)
        return found.pop() if len(found) == 1 else None


@cache
def stage_cues(lang: str) -> StageCues:
    """The cue rules of `lang` (read once from nlp/lexicons/stage_cues.json)."""
    data = json.loads(CUES_FILE.read_text(encoding="utf8"))
    entry = data.get(lang)
    if entry is None:
        return StageCues((), {})
    return StageCues(entry["markers"], entry["stages"], entry.get("after", ()))
