"""The words every layer shares: languages, stages, kinds, and the one way to fold text.

    from bot.core.vocabulary import LANGUAGES, STAGES, KINDS, fold

* `LANGUAGES`: the four languages of the interface and of the classifier.
* `STAGES`: the canonical stage keys, in journey order (a map's default stages).
* `KINDS`: a note's kind is the lane of the map it fills; in the order a map shows its lanes.
  `LANES` is the same tuple.
* `GENERIC_CHANNELS`: the channels that are not brands (website, phone, shop…).
* `fold(text)`: what makes "Płatność" and "platnosc" the same string. Insights, search, exports,
  the console and the classifier's features all compare words through it.

Standard library only: the domain core, storage, nlp and the bot all import this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LANGUAGES: tuple[str, ...] = ("en", "pl", "uk", "bg")
DEFAULT_LANGUAGE = "en"

STAGES: tuple[str, ...] = (
    "awareness",
    "consideration",
    "decision",
    "purchase",
    "retention",
    "advocacy",
)

KINDS: tuple[str, ...] = (
    "touchpoint",
    "action",
    "need",
    "emotion",
    "pain_point",
    "opportunity",
)
LANES = KINDS

# The channels (touchpoints) that are not brands, as the classifier names them and the bot
# translates them ("channel.<key>" texts). Brands keep their own spelling ("Nova Poshta").
GENERIC_CHANNELS: tuple[str, ...] = (
    "website",
    "phone",
    "email",
    "sms",
    "shop",
    "chat",
    "courier",
    "word_of_mouth",
    "ads",
    "newsletter",
    "app",
    "social_media",
)


def _build_fold_table() -> dict[int, str]:
    """Lowercase Latin letters with diacritics → their base letter, plus the few extras."""
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


FOLD_TABLE: dict[int, str] = _build_fold_table()

# the characters fold() changes: most notes have none or a few, and re.sub on those few is
# about ten times faster than str.translate over a whole Cyrillic note
_FOLDABLE = re.compile("[" + re.escape("".join(chr(code) for code in FOLD_TABLE)) + "]")


def _fold_char(match: re.Match) -> str:
    return FOLD_TABLE[ord(match.group())]


FOLD_MEMO = 10_000  # words (~280 bytes each): the classifier's components memoise their own


@lru_cache(maxsize=FOLD_MEMO)
def fold(text: str) -> str:
    """Lowercase, Latin diacritics removed, apostrophes unified: "Płatność" → "platnosc".

    Cyrillic letters that carry meaning (й, ї, є, ґ, ъ) are kept; ё becomes е; Ukrainian
    ’ ʼ ` become '. One character for one, so offsets in the folded text are offsets in the
    original. Memoised: the classifier folds every word it reads.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" and a few others lowercase to two characters
        lowered = "".join(c.lower()[:1] or c for c in text)
    return fold_lowercase(lowered)


def fold_lowercase(lowered: str) -> str:
    """`fold()` of a text already in lowercase, not memoised (for whole notes and big tables)."""
    if _FOLDABLE.search(lowered) is None:
        return lowered
    return _FOLDABLE.sub(_fold_char, lowered)


def composed(text: str) -> str:
    """`text` in Unicode's composed form (NFC: "e" + a combining acute → "é"), the form the
    language identifier's n-grams were counted in (nlp/ngrams.py)."""
    return unicodedata.normalize("NFC", text)
