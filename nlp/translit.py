"""Ukrainian and Bulgarian typed in Latin letters ("studenty kydaiut kurs na 3-mu tyzhni",
"klientite pitat za cenata") are put back into Cyrillic before the pipeline, so the
Cyrillic-trained model, lemma tables and lexicons see the words they know.

The tables (nlp/lexicons/latin_cyrillic.json) cover the usual ways of typing: official
transliteration ("zh", "kh", "shch"; Bulgarian "sht", "y" = ъ) and chat habits ("ia"/"ya",
"q" = я and "4" = ч in Bulgarian). The result need not be perfect spelling: the classifier's
character n-grams and folded lemmas absorb the rest. Every Latin word is converted, brand
names too ("Instagram" → "Інстаграм"): the channel rules know brands in both scripts.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

TABLES_FILE = Path(__file__).parent / "lexicons" / "latin_cyrillic.json"
LATIN_CYRILLIC_LANGS = ("uk", "bg")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")
_TOKEN = re.compile(r"[A-Za-z0-9']+")


@cache
def _tables() -> dict:
    return json.loads(TABLES_FILE.read_text(encoding="utf8"))


@cache
def _compiled(lang: str) -> tuple[re.Pattern, dict[str, str], re.Pattern, dict[str, str]]:
    entry = _tables()[lang]
    letters = entry["letters"]
    keys = sorted(letters, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    ends = entry.get("word_end", {})
    end_pattern = re.compile("(" + "|".join(re.escape(k) for k in sorted(ends, key=len,
                                                                       reverse=True)) + ")$"
                             ) if ends else re.compile(r"(?!x)x")
    return pattern, letters, end_pattern, ends


@cache
def latin_words(lang: str) -> frozenset[str]:
    """Frequent `lang` words as typed in Latin letters (for language detection)."""
    entry = _tables().get(lang)
    return frozenset(entry["words"].split()) if entry else frozenset()


def is_latin_only(text: str) -> bool:
    """Latin letters and no Cyrillic ones."""
    return bool(_LATIN.search(text)) and _CYRILLIC.search(text) is None


def _word(word: str, lang: str) -> str:
    pattern, letters, end_pattern, ends = _compiled(lang)
    lower = word.lower()
    if not any(c.isalpha() for c in lower):
        return word  # "3", "24": numbers stay
    if lang == "bg" and any(c.isdigit() for c in lower) and not lower.isdigit():
        pass  # "4" = ч, "6" = ш inside a word ("cha6ka")
    elif any(c.isdigit() for c in lower):
        return word  # "3-mu" → the digits stay
    ending = ""
    match = end_pattern.search(lower)
    if match and len(lower) > len(match.group()) + 1:
        ending = ends[match.group()]
        lower = lower[: match.start()]
    converted = pattern.sub(lambda m: letters[m.group()], lower) + ending
    if word[:1].isupper():
        converted = converted[:1].upper() + converted[1:]
    return converted


def to_cyrillic(text: str, lang: str) -> str:
    """`text` with its Latin words spelt in `lang`'s Cyrillic letters."""
    if lang not in LATIN_CYRILLIC_LANGS:
        return text
    return _TOKEN.sub(lambda m: _word(m.group(), lang), text)
