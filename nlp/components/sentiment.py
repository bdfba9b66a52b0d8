"""`journey_sentiment`: lexicon sentiment in −1..1 with negation scope and emoji."""

from __future__ import annotations

import math
import re

from spacy.language import Language
from spacy.tokens import Doc

from bot.core.vocabulary import fold
from nlp.components._rules import rules_name
from nlp.components.channels import SPANS_KEY as CHANNEL_SPANS
from nlp.extensions import set_sentiment, token_rows
from nlp.memos import Memo
from nlp.rules import GENERIC_CHANNELS, load_rules


@Language.factory(
    "journey_sentiment",
    assigns=["doc._.journey_sentiment", "doc._.journey_negated"],
    default_config={"rules": "", "scope": 3, "scale": 0.7},
)
def make_journey_sentiment(
    nlp: Language, name: str, rules: str, scope: int, scale: float
) -> JourneySentiment:
    if not isinstance(scope, int) or scope < 1 or not isinstance(scale, int | float) or scale <= 0:
        raise ValueError(
            "journey_sentiment: scope must be a positive integer and scale a positive number, "
            'e.g. nlp.add_pipe("journey_sentiment", config={"scope": 3, "scale": 0.7})'
        )
    return JourneySentiment(
        name, load_rules(rules_name(nlp, rules, "journey_sentiment")), scope=scope,
        scale=float(scale),
    )


# "2/5", "5 stars", "1 gwiazdka", "5 зірок", "2 звезди": a review's rating says how it went
_RATING = re.compile(
    r"(?<![\d.,])([1-5])(?:[.,][05])?\s*(?:/\s*5(?!\d)|\*|⭐|★|stars?\b|gwiazd|зір|звезд|звёзд"
    r"|zvezd|zirk|zvezdi)",
    re.IGNORECASE,
)
_RATING_VALUE = {"1": -1.5, "2": -1.0, "3": 0.0, "4": 1.0, "5": 1.5}


def star_rating(text: str) -> float:
    """The sentiment a star rating in the text adds (0 without one; the first one counts)."""
    if not any(ch.isdigit() for ch in text):
        return 0.0
    found = _RATING.search(text)
    return _RATING_VALUE[found.group(1)] if found else 0.0


_CLAUSE_BREAK = {".", ",", ";", ":", "!", "?", "but", "ale", "але", "но", "ама", "lecz", "however"}
_BREAK, _NEGATOR, _WORD = "break", "negator", "word"  # roles of a word in JourneySentiment
SENTIMENT_MEMO = 1_500  # words per generation (nlp/memos.py), for each of the two memos
_UNKNOWN = object()
# "najlepszy", "найзручніша", "най-хубавата" (the tokenizer splits "най" off): a superlative
# is looked up without its prefix when the whole word is not in the lexicon
_SUPERLATIVE = {"pl": ("naj",), "uk": ("най",), "bg": ("най",)}


class JourneySentiment:
    """Lexicon sentiment in −1..1 with negation: a negator ("nie", "не", "not", "n't", "brak")
    flips the polarity of the next `scope` words of the same clause, so "nie działa",
    "не працює", "не работи" and "not working" are negative and "no problems" is mildly positive.
    A word is looked up as typed (folded), then without a superlative prefix ("najlepszy").
    (Looking words up by their lemma too was tried: no gain on dev's sentiment check, and
    false hits elsewhere — "later" → "late", "wolnych terminów" → "wolny", "в дорозі" →
    "дорога".) Words of waiting count only in a clause that says how long or
    how often ("czekał 25 min", not "czekają na promocję"). Emoji count in every language.
    Score = tanh(scale × sum)."""

    def __init__(self, name: str, rules, *, scope: int = 3, scale: float = 0.7):
        self.name = name
        self.scope = scope
        self.scale = scale
        self.negators = rules.negators
        self.exact: dict[str, tuple[float, float, bool]] = {}
        self.prefix: dict[str, tuple[float, float, bool]] = {}
        for entry in rules.sentiment:
            target = self.prefix if entry.stem.endswith("*") else self.exact
            target.setdefault(entry.stem.rstrip("*"),
                              (entry.value, entry.negated, entry.needs_amount))
        self.emoji = {e.stem: (e.value, e.negated, False) for e in rules.emoji}
        self.lengths = sorted({len(k) for k in self.prefix}, reverse=True)
        amounts = getattr(rules, "amounts", frozenset())
        self.amounts = frozenset(a for a in amounts if not a.endswith("*"))
        self.amount_prefixes = tuple(a.rstrip("*") for a in amounts if a.endswith("*"))
        self.superlatives = _SUPERLATIVE.get(rules.lang, ())
        # first words of two-word entries ("gave up", "za drogi"): only these start a bigram
        self.bigram_starts = {k.split()[0] for k in (*self.exact, *self.prefix) if " " in k}
        self._polarities = Memo(SENTIMENT_MEMO)  # folded word → lexicon hit (or None)
        self._tokens = Memo(SENTIMENT_MEMO)  # token ORTH → word_entry (() for whitespace)

    def polarity(self, folded: str) -> tuple[float, float, bool] | None:
        """(value, negated value, needs an amount) of a folded word, or None."""
        hit = self._polarities.get(folded, _UNKNOWN)
        if hit is not _UNKNOWN:
            return hit
        hit = self.exact.get(folded)
        if hit is None:
            n = len(folded)
            for length in self.lengths:
                if length <= n and (hit := self.prefix.get(folded[:length])) is not None:
                    break
        if hit is None and not folded.isalnum():
            for ch in folded:
                if (hit := self.emoji.get(ch)) is not None:
                    break
        return self._polarities.put(folded, hit)

    def lookup(self, word: str) -> tuple[float, float, bool] | None:
        """The lexicon hit of a folded word: as typed, else without "naj"/"най"."""
        hit = self.polarity(word)
        if hit is None:
            for prefix in self.superlatives:
                if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                    hit = self.polarity(word[len(prefix):])
        return hit

    def is_amount(self, word: str) -> bool:
        """A number or a word of time or repetition ("25", "8:40", "godzin", "знову")."""
        return (any(ch.isdigit() for ch in word) or word in self.amounts
                or word.startswith(self.amount_prefixes))

    def word_entry(self, word: str) -> tuple:
        """(word, role, lexicon hit, can start a two-word entry, is an amount) of a folded word;
        role is _BREAK (ends a clause), _NEGATOR or _WORD."""
        role = _BREAK if word in _CLAUSE_BREAK else _NEGATOR if word in self.negators else _WORD
        return (word, role, self.lookup(word), word in self.bigram_starts,
                self.is_amount(word))

    def polarity_of(self, words: list[str]) -> tuple[float, int]:
        """(sentiment, number of negated hits) for folded words."""
        return self._score([self.word_entry(word) for word in words])

    def _score(self, entries: list[tuple], rating: float = 0.0) -> tuple[float, int]:
        total = rating
        negated_hits = 0
        left = 0  # words still inside the scope of the last negator
        pending = 0.0  # "brak", "немає", "няма", "nobody": negative unless they negate a word
        waiting = 0.0  # words of waiting in this clause: they count if it has an amount
        amount = False  # the clause says how long or how often
        previous = None  # the previous word when it can start a two-word entry
        for word, role, hit, starts_bigram, is_amount in entries:
            amount = amount or is_amount
            if role == _BREAK:
                total += pending + (waiting if amount else 0.0)
                pending, waiting, amount, left, previous = 0.0, 0.0, False, 0, None
                continue
            if role == _NEGATOR:
                total += pending
                pending = hit[0] if hit else 0.0
                left = self.scope
                previous = word if starts_bigram else None
                continue
            if previous is not None:
                hit = self.polarity(f"{previous} {word}") or hit  # two-word entries: "gave up"
            if hit is not None:
                if left > 0:
                    total += hit[1]
                    negated_hits += 1
                    pending = 0.0
                elif hit[2]:
                    waiting += hit[0]
                else:
                    total += hit[0]
            if left:
                left -= 1
            previous = word if starts_bigram else None
        total += pending + (waiting if amount else 0.0)
        return round(math.tanh(self.scale * total), 4), negated_hits

    def __call__(self, doc: Doc) -> Doc:
        memo = self._tokens
        recent = memo.recent
        entries = []
        brands = _brand_tokens(doc)
        for i, orth in enumerate(token_rows(doc)[0]):
            entry = recent.get(orth)
            if entry is None:
                entry = memo.get(orth)
            if entry is None:
                word = fold(doc.vocab.strings[orth])
                entry = memo.put(orth, () if word.isspace() else self.word_entry(word))
            if entry:
                if i in brands and entry[2] is not None:  # "Trustpilot" is not "trust"
                    entry = (entry[0], entry[1], None, False, entry[4])
                entries.append(entry)
        set_sentiment(doc, *self._score(entries, star_rating(doc.text)))
        return doc


def _brand_tokens(doc: Doc) -> set[int]:
    """The tokens inside a brand the channel component found ("Amazon", "Trustpilot",
    "Pyszne.pl"): a brand's name carries no sentiment, whatever stem it starts with. Generic
    channels ("recommended by a friend": word of mouth) keep theirs."""
    if CHANNEL_SPANS not in doc.spans:
        return set()
    return {i for span in doc.spans[CHANNEL_SPANS] if span.label_ not in GENERIC_CHANNELS
            for i in range(span.start, span.end)}
