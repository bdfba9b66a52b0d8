"""The Doc extensions our components set, with fast readers and writers.

`doc._.journey_sentiment` (−1..1) and `doc._.journey_negated` (negated lexicon hits) are the
public way to read them. spaCy keeps extension values in `doc.user_data` under
`("._.", name, None, None)`; going through `doc._` builds an accessor object each time
(~6 µs), so the classifier's hot path reads and writes that key directly. A test checks that
both ways agree.
"""

from __future__ import annotations

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
