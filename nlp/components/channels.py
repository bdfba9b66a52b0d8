"""`journey_channels`: channels and touchpoints (brands and generic channels) by rules."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from bot.core.vocabulary import fold
from nlp.components._rules import rules_name
from nlp.extensions import set_channel_names, token_rows
from nlp.memos import Memo
from nlp.rules import GENERIC_CHANNELS, load_rules

SPANS_KEY = "channels"
CHANNEL_MEMO = 1_500  # words per generation (nlp/memos.py), for each of the two memos


@Language.factory(
    "journey_channels",
    assigns=["doc.spans"],
    default_config={"rules": "", "spans_key": SPANS_KEY},
)
def make_journey_channels(
    nlp: Language, name: str, rules: str, spans_key: str
) -> JourneyChannels:
    if not isinstance(spans_key, str) or not spans_key:
        raise ValueError(
            "journey_channels: spans_key must be a non-empty string, e.g. "
            'nlp.add_pipe("journey_channels", config={"spans_key": "channels"})'
        )
    return JourneyChannels(name, load_rules(rules_name(nlp, rules, "journey_channels")),
                           spans_key=spans_key)


_CHANNEL_WORD = re.compile(r"\w+(?:'\w+)*")


class JourneyChannels:
    """Finds channels and touchpoints (brands and generic channels) in the folded text.

    The folded note is split into words (hyphens and dots separate words, apostrophes do
    not); every variant is a sequence of word patterns (exact, or a stem with `*`). At each
    word the longest matching variant wins, so "Google Maps" beats "Google" and
    "sklep internetowy" (website) beats "sklep" (shop). Matches do not overlap. Each match is
    a span in `doc.spans[spans_key]` labelled with the canonical channel name.

    Case cues: a variant written "^temu" matches only a word that starts with a capital in
    the note ("Temu", not "dwa dni temu"); "^^ups" only a word in capitals ("UPS", not "ups!").
    """

    def __init__(self, name: str, rules, *, spans_key: str = SPANS_KEY):
        self.name = name
        self.spans_key = spans_key
        self.exact: dict[str, list] = {}
        self.prefix: dict[str, list] = {}
        for pattern in rules.channels:
            if pattern.generic and pattern.channel not in GENERIC_CHANNELS:
                raise ValueError(f"{pattern.channel!r} is not one of {GENERIC_CHANNELS}")
            for variant in pattern.variants:
                case = len(variant) - len(variant.lstrip("^"))  # 1: Capitalized, 2: CAPITALS
                variant = variant.lstrip("^")
                words = [w for w in re.split(r"[\s\-.]+", fold(variant)) if w]
                steps = tuple((w.rstrip("*"), w.endswith("*")) for w in words)
                first, star = steps[0]
                entry = (len(steps), len(variant.replace("*", "")), steps, pattern.channel, case)
                (self.prefix if star else self.exact).setdefault(first, []).append(entry)
        for table in (self.exact, self.prefix):
            for entries in table.values():
                entries.sort(key=lambda e: (-e[0], -e[1]))
        self.lengths = sorted({len(k) for k in self.prefix}, reverse=True)
        self._candidates = Memo(CHANNEL_MEMO)  # word → variants that may start at it
        self._tokens = Memo(CHANNEL_MEMO)  # ORTH → (folded, may a variant start in it?)

    def candidates(self, word: str) -> tuple:
        """Variants whose first word matches `word` (cached per word)."""
        found = self._candidates.get(word)
        if found is None:
            found = list(self.exact.get(word, ()))
            for length in self.lengths:
                if length <= len(word):
                    found.extend(self.prefix.get(word[:length], ()))
            found = self._candidates.put(word, tuple(found))
        return found

    @staticmethod
    def _step_matches(step: tuple[str, bool], word: str) -> bool:
        stem, star = step
        return word.startswith(stem) if star else word == stem

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, channel) for every match in `text`."""
        return self._find_folded(fold(text), lambda: text)

    @staticmethod
    def _case_fits(case: int, original: str, start: int, length: int) -> bool:
        if case == 1:
            return original[start].isupper()
        return case == 0 or original[start : start + length].isupper()

    def _find_folded(self, folded: str, original: Callable[[], str]) -> list[tuple[int, int, str]]:
        """Matches in `folded`; `original()` gives the unfolded text (same offsets), read only
        to check the case cue of a match."""
        words = _CHANNEL_WORD.findall(folded)
        found = []
        position = 0  # where words[word_index] is searched from: offsets only for matches
        word_index = 0
        get = self._candidates.recent.get
        i = 0
        while i < len(words):
            candidates = get(words[i])
            if candidates is None:
                candidates = self.candidates(words[i])
            if not candidates:
                i += 1
                continue
            matching = [
                (n_words, literal, channel, case)
                for n_words, literal, steps, channel, case in candidates
                if i + n_words <= len(words)
                and all(self._step_matches(steps[k], words[i + k]) for k in range(n_words))
            ]
            if not matching:
                i += 1
                continue
            # a word starts at the first word character after the previous word, so
            # str.find from there lands on it
            while word_index < i:
                position = folded.find(words[word_index], position) + len(words[word_index])
                word_index += 1
            start = folded.find(words[i], position)
            fitting = [
                entry for entry in matching
                if self._case_fits(entry[3], original(), start, len(words[i]))
            ] if any(entry[3] for entry in matching) else matching
            if not fitting:
                i += 1
                continue
            n_words, _, channel, _ = max(fitting, key=lambda entry: entry[:2])
            end = start
            while word_index < i + n_words:
                end = folded.find(words[word_index], end) + len(words[word_index])
                word_index += 1
            position = end
            found.append((start, end, channel))
            i += n_words
        return found

    def _token(self, strings, orth: int) -> tuple[str, bool]:
        """(folded text, could a variant start in it?) of a token, memoised by ORTH."""
        found = self._tokens.get(orth)
        if found is None:
            folded = fold(strings[orth])
            may_start = any(self.candidates(word) for word in _CHANNEL_WORD.findall(folded))
            found = self._tokens.put(orth, (folded, may_start))
        return found

    def __call__(self, doc: Doc) -> Doc:
        # Every word `find` looks at lies inside one token or starts where a token starts, so
        # a note none of whose tokens can start a variant (most notes) has no match. The
        # folded text is rebuilt from the memoised folded tokens: building doc.text and
        # folding it costs more than the search itself.
        tokens = self._tokens.recent
        strings = doc.vocab.strings
        orths, _, spaces = token_rows(doc)
        folded = [tokens.get(orth) or self._token(strings, orth) for orth in orths]
        if not any(may_start for _, may_start in folded):
            if self.spans_key in doc.spans:
                doc.spans[self.spans_key] = []
            set_channel_names(doc, [])
            return doc
        text = "".join([f"{word} " if space else word
                        for (word, _), space in zip(folded, spaces, strict=True)])
        spans = []
        for start, end, channel in self._find_folded(text, lambda: doc.text):
            span = doc.char_span(start, end, label=channel, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        if spans or self.spans_key in doc.spans:
            doc.spans[self.spans_key] = spans
        set_channel_names(doc, list(dict.fromkeys(span.label_ for span in spans)))
        return doc
