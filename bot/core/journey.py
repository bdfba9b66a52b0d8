"""Pure rules for building a journey map: cleaning answers, splitting lists, stage edits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.core.model import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MAX_NOTE_LENGTH,
    MAX_STAGES,
    STAGE_KEYS,
    EmptyText,
    NoWords,
    TextTooLong,
    TooManyStages,
)

# Words that join list items ("Instagram, Facebook and TikTok"), per language.
_CONJUNCTIONS: dict[str, tuple[str, ...]] = {
    "en": ("and", "&", "or"),
    "pl": ("i", "oraz", "lub", "albo", "&"),
    "uk": ("і", "й", "та", "або", "&"),
    "bg": ("и", "или", "&"),
}
_LIST_ITEM_MAX_WORDS = 4
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d+[.)])\s+")
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def language_from_code(code: str | None) -> str:
    """The supported interface language closest to a Telegram `language_code` ("pl-PL" → "pl")."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.split("-")[0].lower()
    if base in LANGUAGES:
        return base
    if base == "ru" or base == "be":
        return "uk"
    return DEFAULT_LANGUAGE


MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(text: str) -> int | None:
    """A row id from callback data or a command argument: ASCII digits SQLite can hold, or None.

    `str.isdigit()` alone lets through "²" (int() refuses it) and ids too large to bind.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None  # thousands of digits: int() would refuse them (and take time)
    number = int(text)
    return number if number <= MAX_ID else None


def clean_text(text: str | None, *, limit: int = MAX_NOTE_LENGTH) -> str:
    """The user's text without control characters and surplus blanks; raises on empty or too long.

    Keeps emoji, line breaks and right-to-left marks; drops NULs, other control characters and
    zero-width spaces that only hide emptiness; lone surrogates (what undecodable bytes become)
    are replaced by "�", as invalid UTF-8 is, so the text can always be stored and encoded.
    """
    if text is None:
        raise EmptyText()
    kept = []
    for char in text:
        if "\ud800" <= char <= "\udfff":  # a lone surrogate (undecodable bytes): not text
            kept.append("\ufffd")
        elif char in "\n\t":
            kept.append(char)
        elif char in _INVISIBLE or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    lines = [" ".join(line.split()) for line in "".join(kept).splitlines()]
    cleaned = "\n".join(line for line in lines if line).strip()
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > limit:
        raise TextTooLong(limit=limit, length=len(cleaned))
    return cleaned


def has_words(text: str) -> bool:
    """Whether the text has a letter or a digit (not emoji or signs alone)."""
    return any(char.isalnum() for char in text)


def require_words(text: str) -> str:
    """The text, if it has at least one letter or digit; NoWords for emoji or signs alone."""
    if not has_words(text):
        raise NoWords()
    return text


def split_items(text: str, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The separate items of an answer: one per line, bullet or semicolon, and list commas.

    Commas and "and" split only a list of short items ("Instagram, Facebook and TikTok"), never
    a sentence ("when the payment fails, people leave" stays one item).
    """
    items: list[str] = []
    for line in re.split(r"[\n;]+", text):
        line = _BULLET.sub("", line).strip(" .")
        if not line:
            continue
        items.extend(_split_short_list(line, lang))
    return items


def _split_short_list(line: str, lang: str) -> list[str]:
    words = _CONJUNCTIONS.get(lang, ()) + _CONJUNCTIONS["en"]
    joiner = r"\s*,\s*|\s+(?:" + "|".join(re.escape(w) for w in words) + r")\s+"
    parts = [p.strip(" .") for p in re.split(joiner, line, flags=re.IGNORECASE)]
    parts = [p for p in parts if p]
    if len(parts) > 1 and all(len(p.split()) <= _LIST_ITEM_MAX_WORDS for p in parts):
        return parts
    return [line]


def check_stage_count(count: int) -> None:
    """Raises TooManyStages when a map would get more stages than a map can hold."""
    if count > MAX_STAGES:
        raise TooManyStages(limit=MAX_STAGES)


def default_stage_keys() -> tuple[str, ...]:
    """The six canonical stages a new map starts with."""
    return STAGE_KEYS


def moved(items: list, index: int, offset: int) -> list:
    """A copy of `items` with the element at `index` moved by `offset` places (clamped)."""
    target = max(0, min(len(items) - 1, index + offset))
    result = list(items)
    result.insert(target, result.pop(index))
    return result


ELLIPSIS = "…"
_TRAILING = " ,.;:-–—"


def shorten(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters: cut at a word boundary, ended with "…"
    ("Klienci nie wiedzą, że płatność BLIKiem…"). Only a first word longer than the limit
    is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    if text[len(cut)] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(_TRAILING) + ELLIPSIS


def capitalized(text: str) -> str:
    """The first letter in upper case, the rest as it is ("poniedziałek" → "Poniedziałek")."""
    return text[:1].upper() + text[1:]


def chunk_lines(blocks: list[str], limit: int = 4096) -> list[str]:
    """Joins text blocks into messages of at most `limit` characters, never splitting a block.

    A single block longer than `limit` is split at line breaks, then hard at `limit`.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def chunk_lines_within(
    blocks: Iterable[str], limit: int, max_messages: int, reserve: int = 0
) -> tuple[list[str], int | None]:
    """`chunk_lines` for at most `max_messages` messages, reading `blocks` only as far as they
    fit: returns the messages and None when every block is in them, else how many blocks are
    (the last message then has `reserve` characters to spare for a line saying so)."""
    messages: list[str] = []
    pieces: list[tuple[str, int]] = []  # the message being filled: (piece, index of its block)
    length = -1
    for index, block in enumerate(blocks):
        for piece in _fit(block, limit):
            if pieces and length + 1 + len(piece) > limit:
                if len(messages) == max_messages - 1:
                    return _last_message(messages, pieces, limit - reserve, index)
                messages.append("\n".join(text for text, _ in pieces))
                pieces, length = [], -1
            pieces.append((piece, index))
            length += 1 + len(piece)
    if pieces:
        messages.append("\n".join(text for text, _ in pieces))
    return messages, None


def _last_message(
    messages: list[str], pieces: list[tuple[str, int]], room: int, next_block: int
) -> tuple[list[str], int]:
    """Closes the last message within `room` characters, dropping whole blocks from its end."""
    shown = next_block
    while pieces and len("\n".join(text for text, _ in pieces)) > room:
        shown = pieces.pop()[1]
        pieces = [(text, index) for text, index in pieces if index < shown]
    messages.append("\n".join(text for text, _ in pieces))
    return messages, shown


def _fit(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    pieces: list[str] = []
    for line in block.split("\n"):
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        pieces.append(line)
    return pieces
