"""journeybot's own spaCy components, one per module: lemmatizer, channel rules, sentiment,
text classifier. Importing this package registers their factories.

Every component is a factory function (config validated there, with a ValueError that shows
the right call) plus a plain class, as in spaCy's `make_token_splitter`/`TokenSplitter`.

    tokenizer → journey_lemmatizer → journey_channels → journey_sentiment
              → textcat_stage (journey_textcat) → textcat_kind (journey_textcat)
"""

from __future__ import annotations

from nlp.components.channels import SPANS_KEY, JourneyChannels, make_journey_channels
from nlp.components.lemmatizer import JourneyLemmatizer, make_journey_lemmatizer
from nlp.components.sentiment import JourneySentiment, make_journey_sentiment
from nlp.components.textcat import (
    DEFAULT_TEXTCAT_MODEL,
    JourneyTextCategorizer,
    make_journey_textcat,
    make_textcat_scorer,
)

__all__ = [
    "DEFAULT_TEXTCAT_MODEL",
    "SPANS_KEY",
    "JourneyChannels",
    "JourneyLemmatizer",
    "JourneySentiment",
    "JourneyTextCategorizer",
    "make_journey_channels",
    "make_journey_lemmatizer",
    "make_journey_sentiment",
    "make_journey_textcat",
    "make_textcat_scorer",
]
