"""journeybot's own spaCy components: lemmatizer, channel rules, sentiment, text classifier.

Every component is a factory function (config validated there, with a ValueError that shows
the right call) plus a plain class, as in spaCy's `make_token_splitter`/`TokenSplitter`.

    tokenizer → journey_lemmatizer → journey_channels → journey_sentiment
              → textcat_stage (journey_textcat) → textcat_kind (journey_textcat)
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import LEMMA, NORM, ORTH, SPACY
from spacy.language import Language
from spacy.pipeline.textcat import TextCategorizer
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry
from thinc.api import Config, Model

from bot.core.vocabulary import LANGUAGES, fold, fold_lowercase
from nlp.extensions import set_channel_names, set_sentiment, set_token_rows, token_rows
from nlp.features import build_index  # also registers journeybot.FeatureBOW.v1
from nlp.rules import GENERIC_CHANNELS, load_rules

SPANS_KEY = "channels"


def _rules_name(nlp: Language, rules: str, factory: str) -> str:
    name = rules or f"journey_rules.{nlp.lang}.v1"
    if name.split(".")[1:2] and name.split(".")[1] not in LANGUAGES:
        raise ValueError(
            f"{factory}: no rules for language {nlp.lang!r}. Pass them explicitly, e.g. "
            f'nlp.add_pipe("{factory}", config={{"rules": "journey_rules.pl.v1"}})'
        )
    return name


# ---------------------------------------------------------------------------- lemmatizer


@Language.factory(
    "journey_lemmatizer",
    assigns=["token.lemma", "token.norm"],
    default_config={"fold_norm": True},
)
def make_journey_lemmatizer(nlp: Language, name: str, fold_norm: bool) -> JourneyLemmatizer:
    if not isinstance(fold_norm, bool):
        raise ValueError(
            "journey_lemmatizer: fold_norm must be true or false, e.g. "
            'nlp.add_pipe("journey_lemmatizer", config={"fold_norm": True})'
        )
    return JourneyLemmatizer(nlp.vocab, name, lang=nlp.lang, fold_norm=fold_norm)


class JourneyLemmatizer:
    """Lookup lemmatizer: a compact form → lemma table built from simplemma at training time.

    The table holds every dictionary form of every lemma seen in the training notes (so an
    unseen inflection of a known word still finds its lemma), plus the training forms
    themselves. Sets `token.lemma_` and `token.norm_` = folded lemma ("płatności" →
    "płatność" / "platnosc"; "platnosci" → "płatność" / "platnosc" via the folded index).
    Unknown words keep their lowercased, folded form.
    """

    def __init__(self, vocab, name: str, *, lang: str, fold_norm: bool = True):
        self.vocab = vocab
        self.name = name
        self.lang = lang
        self.fold_norm = fold_norm
        self.table: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._cache: dict[int, tuple[int, bytes]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self._cache
        orths, spaces = doc.to_array([ORTH, SPACY]).T.tolist()
        entries = [cache.get(orth) or self._entry(orth) for orth in orths]
        packed = numpy.frombuffer(b"".join([entry[1] for entry in entries]), dtype=numpy.uint64)
        doc.from_array([LEMMA, NORM], packed.reshape(-1, 2))
        set_token_rows(doc, orths, [entry[0] for entry in entries], spaces)
        return doc

    def lemma(self, lower: str) -> str:
        return self.table.get(lower) or self._folded.get(fold(lower)) or lower

    def _entry(self, orth: int) -> tuple[int, bytes]:
        """(NORM, LEMMA and NORM packed as two uint64) of a token text, memoised by ORTH."""
        strings = self.vocab.strings
        lemma = self.lemma(strings[orth].lower())
        norm = fold(lemma) if self.fold_norm else lemma
        ids = (strings.add(lemma), strings.add(norm))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[orth] = entry = (ids[1], numpy.array(ids, dtype=numpy.uint64).tobytes())
        return entry

    def set_table(self, table: dict[str, str], *, is_sorted: bool = False,
                  folded: dict[str, str] | None = None) -> None:
        """`folded` is the index of folded forms ("platnosc" → "płatność") if already known."""
        self.table = table if is_sorted else dict(sorted(table.items()))
        if folded is None:
            folded = {}
            for form, lemma in self.table.items():
                key = fold_lowercase(form)
                if key != form and key not in self.table:
                    folded.setdefault(key, lemma)
        self._folded = folded
        self._cache = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        extra_words: list[str] | None = None,
    ) -> None:
        """Builds the table from simplemma's dictionary for the words of the training notes."""
        from nlp.lemmas import build_lemma_table

        forms = set(extra_words or ())
        for example in get_examples():
            forms.update(token.lower_ for token in example.predicted if token.is_alpha)
        self.set_table(build_lemma_table(self.lang, forms))

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """form<TAB>lemma lines, an empty line, then the folded index the same way (saved so
        loading need not fold every form: ~0.1 s for Polish)."""
        text = "\n\n".join(
            "\n".join(f"{form}\t{lemma}" for form, lemma in table.items())
            for table in (self.table, self._folded)
        )
        return gzip.compress(text.encode("utf8"), compresslevel=9, mtime=0)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        def pairs(lines: str) -> dict[str, str]:
            fields = iter(re.split("[\t\n]", lines) if lines else ())
            return dict(zip(fields, fields, strict=True))

        text = gzip.decompress(data).decode("utf8")
        table, separator, folded = text.partition("\n\n")
        self.set_table(pairs(table), is_sorted=True, folded=pairs(folded) if separator else None)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lemmas.tsv.gz").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        return self.from_bytes((Path(path) / "lemmas.tsv.gz").read_bytes())


# ---------------------------------------------------------------------------- channels


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
    return JourneyChannels(name, load_rules(_rules_name(nlp, rules, "journey_channels")),
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
        self._candidates: dict[str, tuple] = {}
        self._tokens: dict[int, tuple[str, bool]] = {}  # ORTH → folded, may a variant start?

    def candidates(self, word: str) -> tuple:
        """Variants whose first word matches `word` (cached per word)."""
        found = self._candidates.get(word)
        if found is None:
            found = list(self.exact.get(word, ()))
            for length in self.lengths:
                if length <= len(word):
                    found.extend(self.prefix.get(word[:length], ()))
            if len(self._candidates) > 100_000:
                self._candidates.clear()
            self._candidates[word] = found = tuple(found)
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
        get = self._candidates.get
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
        folded = fold(strings[orth])
        may_start = any(self.candidates(word) for word in _CHANNEL_WORD.findall(folded))
        if len(self._tokens) > 100_000:
            self._tokens.clear()
        self._tokens[orth] = found = (folded, may_start)
        return found

    def __call__(self, doc: Doc) -> Doc:
        # Every word `find` looks at lies inside one token or starts where a token starts, so
        # a note none of whose tokens can start a variant (most notes) has no match. The
        # folded text is rebuilt from the memoised folded tokens: building doc.text and
        # folding it costs more than the search itself.
        tokens = self._tokens
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


# ---------------------------------------------------------------------------- sentiment


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
        name, load_rules(_rules_name(nlp, rules, "journey_sentiment")), scope=scope,
        scale=float(scale),
    )


_CLAUSE_BREAK = {".", ",", ";", ":", "!", "?", "but", "ale", "але", "но", "ама", "lecz", "however"}
_BREAK, _NEGATOR, _WORD = "break", "negator", "word"  # roles of a word in JourneySentiment


class JourneySentiment:
    """Lexicon sentiment in −1..1 with negation: a negator ("nie", "не", "not", "n't", "brak")
    flips the polarity of the next `scope` words of the same clause, so "nie działa",
    "не працює", "не работи" and "not working" are negative and "no problems" is mildly positive.
    Emoji count in every language. Score = tanh(scale × sum)."""

    def __init__(self, name: str, rules, *, scope: int = 3, scale: float = 0.7):
        self.name = name
        self.scope = scope
        self.scale = scale
        self.negators = rules.negators
        self.exact: dict[str, tuple[float, float]] = {}
        self.prefix: dict[str, tuple[float, float]] = {}
        for entry in rules.sentiment:
            target = self.prefix if entry.stem.endswith("*") else self.exact
            target.setdefault(entry.stem.rstrip("*"), (entry.value, entry.negated))
        self.emoji = {e.stem: (e.value, e.negated) for e in rules.emoji}
        self.lengths = sorted({len(k) for k in self.prefix}, reverse=True)
        # first words of two-word entries ("gave up", "za drogi"): only these start a bigram
        self.bigram_starts = {k.split()[0] for k in (*self.exact, *self.prefix) if " " in k}
        self._cache: dict[str, tuple[float, float] | None] = {}
        self._tokens: dict[int, tuple] = {}  # token ORTH → word_entry (() for whitespace)

    def polarity(self, folded: str) -> tuple[float, float] | None:
        if folded in self._cache:
            return self._cache[folded]
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
        if len(self._cache) < 100_000:
            self._cache[folded] = hit
        return hit

    def word_entry(self, word: str) -> tuple[str, str, tuple[float, float] | None, bool]:
        """(word, role, lexicon hit, can start a two-word entry) of a folded word; role is
        _BREAK (ends a clause), _NEGATOR or _WORD."""
        role = _BREAK if word in _CLAUSE_BREAK else _NEGATOR if word in self.negators else _WORD
        return word, role, self.polarity(word), word in self.bigram_starts

    def polarity_of(self, words: list[str]) -> tuple[float, int]:
        """(sentiment, number of negated hits) for folded words."""
        return self._score([self.word_entry(word) for word in words])

    def _score(self, entries: list[tuple]) -> tuple[float, int]:
        total = 0.0
        negated_hits = 0
        left = 0  # words still inside the scope of the last negator
        pending = 0.0  # "brak", "немає", "няма", "nobody": negative unless they negate a word
        previous = None  # the previous word when it can start a two-word entry
        for word, role, hit, starts_bigram in entries:
            if role == _BREAK:
                total += pending
                pending, left, previous = 0.0, 0, None
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
                else:
                    total += hit[0]
            if left:
                left -= 1
            previous = word if starts_bigram else None
        total += pending
        return round(math.tanh(self.scale * total), 4), negated_hits

    def __call__(self, doc: Doc) -> Doc:
        memo = self._tokens
        entries = []
        for orth in token_rows(doc)[0]:
            entry = memo.get(orth)
            if entry is None:
                word = fold(doc.vocab.strings[orth])
                if len(memo) > 100_000:
                    memo.clear()
                memo[orth] = entry = () if word.isspace() else self.word_entry(word)
            if entry:
                entries.append(entry)
        set_sentiment(doc, *self._score(entries))
        return doc


# ---------------------------------------------------------------------------- textcat


@registry.scorers("journeybot.textcat_scorer.v1")
def make_textcat_scorer(prefix: str) -> Callable[..., dict[str, Any]]:
    """Scores one exclusive textcat under its own keys (`<prefix>_acc`, `<prefix>_macro_f`),
    so two textcats in one pipeline do not overwrite each other's `cats_*` scores."""

    def score(examples: Iterable[Example], *, labels=(), **kwargs) -> dict[str, Any]:
        examples = list(examples)
        scores = Scorer.score_cats(examples, "cats", labels=labels, multi_label=False)
        correct = 0
        for eg in examples:
            gold = max(labels, key=lambda label: eg.reference.cats.get(label, 0.0))
            pred = max(labels, key=lambda label: eg.predicted.cats.get(label, 0.0))
            correct += gold == pred
        return {
            f"{prefix}_acc": correct / max(len(examples), 1),
            f"{prefix}_macro_f": scores["cats_macro_f"],
            f"{prefix}_f_per_type": scores["cats_f_per_type"],
        }

    return score


DEFAULT_TEXTCAT_MODEL = Config().from_str(
    """
[model]
@architectures = "journeybot.FeatureBOW.v1"
ngram_size = 2
char_ngrams = [3, 5]
char_weight = 0.5
prefix_length = 5
rule_features = true
min_count = 1
feature_dropout = 0.3
"""
)["model"]


@Language.factory(
    "journey_textcat",
    assigns=["doc.cats"],
    default_config={
        "model": DEFAULT_TEXTCAT_MODEL,
        "threshold": 0.0,
        "label_weights": {},
        "scorer": {"@scorers": "journeybot.textcat_scorer.v1", "prefix": "cats"},
    },
    default_score_weights={},
)
def make_journey_textcat(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    label_weights: dict[str, float],
    scorer: Callable | None,
) -> JourneyTextCategorizer:
    if model.name != "journey_feature_bow":
        raise ValueError(
            "journey_textcat needs the journeybot.FeatureBOW.v1 architecture, e.g. "
            'nlp.add_pipe("journey_textcat", name="textcat_stage", '
            'config={"model": {"@architectures": "journeybot.FeatureBOW.v1"}})'
        )
    if not isinstance(label_weights, dict) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) and w > 0
        for w in label_weights.values()
    ):
        raise ValueError(
            "journey_textcat: label_weights maps labels to positive numbers, e.g. "
            'nlp.add_pipe("journey_textcat", config={"label_weights": {"pain_point": 0.6}})'
        )
    textcat = JourneyTextCategorizer(nlp.vocab, model, name, threshold=threshold, scorer=scorer)
    textcat.label_weights = {label: float(w) for label, w in label_weights.items()}
    return textcat


class JourneyTextCategorizer(TextCategorizer):
    """spaCy's exclusive TextCategorizer, made to share `doc.cats` with a second textcat.

    * labels come from the `labels` given at initialization (`[initialize.components.<name>]`),
      and only those labels of `doc.cats` are read, so textcat_stage and textcat_kind can train
      on the same examples;
    * `initialize` shows the model every training note (after the rule components ran), so it
      can build its feature index — the model's weights cover only features seen in training;
    * loss: the gradient p − y is passed straight to the logits (softmax + cross-entropy);
    * `label_weights` multiply the predicted probabilities (then renormalised): a decision
      threshold, chosen on dev, that leaves learning alone.
    """

    label_weights: dict[str, float] = {}  # set by the factory from the config

    def _validate_categories(self, examples: Iterable[Example]) -> None:
        for eg in examples:
            positives = [label for label in self.labels if eg.reference.cats.get(label) == 1.0]
            if len(positives) > 1:
                raise ValueError(f"{self.name}: more than one positive label in {eg.text!r}")

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
        positive_label: str | None = None,
    ) -> None:
        if labels is None:
            raise ValueError(
                f"{self.name}: give the labels in the config, e.g. "
                f'[initialize.components.{self.name}] labels = ["awareness", ...]'
            )
        for label in labels:
            self.add_label(label)
        unknown = sorted(set(self.label_weights) - set(self.labels))
        if unknown:
            raise ValueError(f"{self.name}: label_weights names labels it does not have: {unknown}")
        examples = list(get_examples())
        docs = [eg.predicted.copy() for eg in examples]
        if nlp is not None:
            for name, proc in nlp.pipeline:
                if name == self.name:
                    break
                if not isinstance(proc, TextCategorizer):
                    docs = [proc(doc) for doc in docs]
        truths, _ = self._examples_to_truth(examples)
        build_index(self.model, docs)
        self.model.initialize(X=docs[:10], Y=truths[:10])

    def predict(self, docs: Iterable[Doc]):
        """Label probabilities, each multiplied by its `label_weights` entry (default 1) and
        renormalised: a decision threshold chosen on the dev split, learning is unchanged."""
        scores = super().predict(docs)
        if self.label_weights:
            weights = numpy.asarray([self.label_weights.get(label, 1.0) for label in self.labels],
                                    dtype="float32")
            scores = scores * weights
            totals = scores.sum(axis=1, keepdims=True)
            scores /= numpy.where(totals > 0, totals, 1.0)
        return scores

    def set_annotations(self, docs: Iterable[Doc], scores) -> None:
        labels = self.labels
        for doc, row in zip(docs, scores.tolist(), strict=False):
            doc.cats.update(zip(labels, row, strict=True))

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Any]:
        truths, _ = self._examples_to_truth(examples)
        d_scores = scores - truths
        eps = 1e-7
        loss = -float(numpy.sum(truths * numpy.log(numpy.clip(scores, eps, 1.0)))) / max(
            len(truths), 1
        )
        return loss, d_scores
