"""spaCy's stop-word lists, read without importing spaCy.

The worker process that computes /insights never loads a pipeline; importing
`spacy.lang.<lang>.stop_words` imported all of spaCy there first (750 ms of CPU and 58 MiB on
the first /insights after each start). Each list is a plain module of spaCy's
(`STOP_WORDS = set(...)`, no imports), run here from its file.
"""

from __future__ import annotations

import runpy
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from bot.core.vocabulary import LANGUAGES


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (en, pl, uk, bg): words too common to be a theme."""
    if lang not in LANGUAGES:
        return frozenset()
    spacy = find_spec("spacy")  # where the package is; importing it is what this avoids
    if spacy is None or spacy.origin is None:
        raise ModuleNotFoundError("spaCy is not installed")
    path = Path(spacy.origin).parent / "lang" / lang / "stop_words.py"
    return frozenset(runpy.run_path(str(path))["STOP_WORDS"])
