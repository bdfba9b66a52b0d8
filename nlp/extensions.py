"""The Doc extensions our components set, with fast readers and writers.

`doc._.journey_sentiment` (−1..1) and `doc._.journey_negated` (negated lexicon hits) are the
public way to read them. spaCy keeps extension values in `doc.user_data` under
`("._.", name, None, None)`; going through `doc._` builds an accessor object each time
(~6 µs), so the classifier's hot path reads and writes that key directly. A test checks that
both ways agree.
"""

from __future__ import annotations

from spacy.attrs import NORM, ORTH, SPACY
from spacy.tokens import Doc

SENTIMENT = "journey_sentiment"
NEGATED = "journey_negated"

if not Doc.has_extension(SENTIMENT):
    Doc.set_extension(SENTIMENT, default=0.0)
if not Doc.has_extension(NEGATED):
    Doc.set_extension(NEGATED, default=0)

_SENTIMENT_KEY = ("._.", SENTIMENT, None, None)
_NEGATED_KEY = ("._.", NEGATED, None, None)


def sentiment_of(doc: Doc) -> float:
    return doc.user_data.get(_SENTIMENT_KEY, 0.0)


def negated_of(doc: Doc) -> int:
    return doc.user_data.get(_NEGATED_KEY, 0)


def set_sentiment(doc: Doc, sentiment: float, negated: int) -> None:
    if sentiment or negated:  # the defaults are 0.0 and 0
        doc.user_data[_SENTIMENT_KEY] = sentiment
        doc.user_data[_NEGATED_KEY] = negated


# The token rows (ORTH, NORM, SPACY) that journey_lemmatizer has just set: the components after
# it read them here instead of each calling doc.to_array (~5 µs a call).
_TOKENS_KEY = ("journeybot", "tokens")


def set_token_rows(doc: Doc, orths: list[int], norms: list[int], spaces: list[int]) -> None:
    doc.user_data[_TOKENS_KEY] = (orths, norms, spaces)


def token_rows(doc: Doc) -> tuple[list[int], list[int], list[int]]:
    """(ORTHs, NORMs, SPACYs) of the doc's tokens."""
    rows = doc.user_data.get(_TOKENS_KEY)
    if rows is None or len(rows[0]) != len(doc):  # no lemmatizer ran, or a retokenized doc
        if not len(doc):
            return [], [], []
        orths, norms, spaces = doc.to_array([ORTH, NORM, SPACY]).T.tolist()
        rows = (orths, norms, spaces)
    return rows


# The channel names journey_channels found, in order, each once: what doc.spans["channels"]
# holds, without building a Span object per match to read its label.
_CHANNELS_KEY = ("journeybot", "channels")


def set_channel_names(doc: Doc, names: list[str]) -> None:
    doc.user_data[_CHANNELS_KEY] = names


def channel_names(doc: Doc, spans_key: str = "channels") -> list[str]:
    names = doc.user_data.get(_CHANNELS_KEY)
    if names is None:  # a doc journey_channels did not annotate
        names = list(dict.fromkeys(span.label_ for span in doc.spans.get(spans_key, ())))
    return names
