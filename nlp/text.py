"""Text normalisation shared by the rules, the lemmatizer and the classifier's features.

`fold()` is what makes "Płatność" and "platnosc" the same string: lowercase, diacritics of
Latin letters removed (ą→a, ł→l, é→e), apostrophes unified (Ukrainian ’ ʼ ' `), Cyrillic ё → е.
Cyrillic letters that carry meaning (й, ї, є, ґ, ъ) are kept. Folding keeps the length of the
text (one character for one), so offsets in the folded text are offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if len(ch.lower()) == 1 and base.isascii() and base.isalpha() and base != ch.lower():
            table[ord(ch.lower())] = base
    table.update(
        {ord(k): v for k, v in {
            "ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i",
            "’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'", "ё": "е",
        }.items()}
    )  # fmt: skip
    return table


_FOLD = _build_table()


# the characters fold() changes: most notes have none or a few, and re.sub on those few is
# about ten times faster than str.translate over a whole Cyrillic note
_FOLDABLE = re.compile("[" + re.escape("".join(chr(code) for code in _FOLD)) + "]")


def _fold_char(match: re.Match) -> str:
    return _FOLD[ord(match.group())]


@lru_cache(maxsize=300_000)
def fold(text: str) -> str:
    """Lowercase, fold diacritics of Latin letters and unify apostrophes (length-preserving)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" and a few others lowercase to two characters
        lowered = "".join(c.lower()[:1] or c for c in text)
    return fold_lowercase(lowered)


def fold_lowercase(lowered: str) -> str:
    """`fold()` of a text already in lowercase, not memoised (for tables of many words)."""
    if _FOLDABLE.search(lowered) is None:
        return lowered
    return _FOLDABLE.sub(_fold_char, lowered)


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_latin(ch: str) -> bool:
    return ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f")
