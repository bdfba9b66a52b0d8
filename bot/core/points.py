"""Splitting a long text — a pasted review, a voice-typed ramble — into the points it makes.

Pure rules per language, no spaCy: a point ends at a line break, a list bullet or number, or a
sentence end (". ", "! ", "? ", "… " before a capital letter, a digit or a quotation mark) that
is not an abbreviation ("np.", "e.g.", "т.е.", "ул.") or an initial ("J. Smith"); a unit
("zł.", "грн.", "лв.") or "etc." before a capital letter does end one. A run-on
sentence of many words is also cut before words that start a new point ("also", "poza tym",
"крім того", "освен това"), as people say them when they dictate. A fragment of one word
("Thanks!", "Hi.") joins its neighbour; more than `MAX_POINTS` points are merged pairwise until
they fit. Every character of the text that is not a separator lands in exactly one point.

`points_to_offer(text, lang)` says whether splitting is worth offering: at least three points,
or two points in a text of `OFFER_MIN_CHARS` characters or more — two short sentences
("Delivery late. Courier rude.") stay one note unless asked.
"""

from __future__ import annotations

import re

from bot.core.vocabulary import fold

MAX_POINTS = 12  # points offered at most (a toggle button each; more are merged)
MIN_POINT_WORDS = 2  # a one-word fragment joins its neighbour
OFFER_MIN_CHARS = 200  # two points are offered only in a text at least this long
RUN_ON_WORDS = 25  # a sentence longer than this is cut before the words that start a point

# Abbreviations that end with a dot inside a sentence, folded (see bot.core.vocabulary.fold).
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "mr mrs ms dr prof st no vs etc e.g i.e approx incl min max dept tel ave jr sr co "
        "inc ltd",
        "pl": "np tj tzn itd itp ok ul al pl godz min max zl gr nr dr prof mgr inz tel wg m.in "
        "r ww jw pn wt sr czw pt sob ndz tys mln ds sp",
        "uk": "т.д т.п т.ч напр вул просп пл грн коп тис млн р с м див ім проф д-р тел пн вт ср "
        "чт пт сб нд",
        "bg": "т.н т.е напр ул бул пл лв ст хил млн г гр др проф д-р тел пон вт ср чет пет съб "
        "нед",
    }.items()
}
# Abbreviations of units and "and so on" that often end a sentence ("…z 200 zł. Poza tym…",
# "…itd. Kurier…"): followed by a capital letter, their dot ends the sentence; the others
# ("np. BLIK", "ul. Marszałkowska", "Dr. Smith") come before names and never do.
_SENTENCE_ENDING_ABBREVIATIONS = frozenset(
    word
    for text in ("etc min max zl gr godz tys mln itd itp ok", "грн коп тис млн хв год лв ст хил")
    for word in text.split()
)
# Words that start a new point in a long run-on sentence, folded, per language.
_POINT_STARTERS: dict[str, tuple[str, ...]] = {
    "en": ("also", "another thing", "besides", "on top of that", "and another", "plus",
           "secondly", "thirdly", "finally"),
    "pl": ("poza tym", "do tego", "oprocz tego", "po drugie", "po trzecie", "a takze",
           "jeszcze", "na koniec", "dodatkowo"),
    "uk": ("крім того", "також", "ще й", "по-друге", "по-третє", "до того ж", "окрім того",
           "наостанок"),
    "bg": ("освен това", "също така", "също", "второ", "трето", "накрая", "и още"),
}
_BULLET = re.compile(r"^\s*(?:[-*•·–—▪►✅❌➖➕]|\d{1,2}[.)]|[a-zа-я][)])\s+", re.IGNORECASE)
# A sentence end: terminal punctuation (and closing quotes/brackets), blanks, then something
# that can begin a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+(?=[\"'“„«(\[]?[A-ZА-ЯЁЇІЄҐ0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)


def split_points(text: str, lang: str = "en") -> list[str]:
    """The points a text makes, in order (one point for a text with one)."""
    pieces: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            for sentence in _sentences(line, lang):
                pieces.extend(_run_on_parts(sentence, lang))
    points = _join_fragments(pieces)
    while len(points) > MAX_POINTS:
        points = _merge_pairs(points)
    return points or ([text.strip()] if text.strip() else [])


def points_to_offer(text: str, lang: str = "en") -> list[str]:
    """The points of a text worth offering as separate notes, or [] (keep it as one)."""
    points = split_points(text, lang)
    if len(points) >= 3 or (len(points) == 2 and len(text) >= OFFER_MIN_CHARS):
        return points
    return []


def _sentences(line: str, lang: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        if _is_abbreviation(line[start:match.start()], lang):
            continue
        sentences.append(line[start:match.start()].strip())
        start = match.end()
    sentences.append(line[start:].strip())
    return [s for s in sentences if s]


def _is_abbreviation(before: str, lang: str) -> bool:
    """Whether the dot ending `before` belongs to an abbreviation or an initial."""
    if not before.endswith("."):
        return False
    last = before.rstrip(".").rsplit(None, 1)[-1] if before.rstrip(".").split() else ""
    last = last.lstrip("\"'“„«([")
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "J. Smith"
    known = _ABBREVIATIONS.get(lang, frozenset()) | _ABBREVIATIONS["en"]
    folded = fold(last)
    return folded in known and folded not in _SENTENCE_ENDING_ABBREVIATIONS


def _run_on_parts(sentence: str, lang: str) -> list[str]:
    """A long sentence without full stops (dictated) cut before the words that start a point."""
    if len(_WORD.findall(sentence)) <= RUN_ON_WORDS:
        return [sentence]
    starters = _POINT_STARTERS.get(lang, ()) + (_POINT_STARTERS["en"] if lang != "en" else ())
    pattern = r"[,;]?\s+(?=(?:and\s+|i\s+|і\s+|и\s+)?(?:" + "|".join(
        re.escape(word) for word in sorted(starters, key=len, reverse=True)) + r")\b)"
    folded = fold(sentence)  # same length as the sentence: offsets carry over
    parts, start = [], 0
    for match in re.finditer(pattern, folded):
        if len(_WORD.findall(sentence[start:match.start()])) >= 4:
            parts.append(sentence[start:match.start()].strip(" ,;"))
            start = match.end()
    parts.append(sentence[start:].strip(" ,;"))
    return [_capitalized(part) for part in parts if part]


def _capitalized(part: str) -> str:
    return part[:1].upper() + part[1:]


def _join_fragments(pieces: list[str]) -> list[str]:
    """One-word fragments joined to the point before them (or after, at the start)."""
    points: list[str] = []
    carry = ""
    for piece in pieces:
        if len(_WORD.findall(piece)) < MIN_POINT_WORDS:
            if points:
                points[-1] = f"{points[-1]} {piece}"
            else:
                carry = f"{carry} {piece}".strip()
            continue
        points.append(f"{carry} {piece}".strip() if carry else piece)
        carry = ""
    if carry:
        points.append(carry)
    return points


def _merge_pairs(points: list[str]) -> list[str]:
    return [" ".join(points[i:i + 2]) for i in range(0, len(points), 2)]
