"""Loading the shipped pipelines: `load_pipeline(lang, model_dir) -> Language`."""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy import attrs
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories and the architecture)

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"
DATA_DIR = Path(__file__).parent / "data"
CONFIG_PATH = Path(__file__).parent / "training" / "configs" / "textcat.cfg"
TEXTCATS = ("textcat_stage", "textcat_kind")


# Lexeme attributes the pipeline reads (the tokenizer, our components, Token.lower_ and the
# like). spaCy computes every getter of a language for each word it meets the first time;
# the shape, prefix/suffix, stop-word, URL and quote getters nobody reads cost ~40 % of
# tokenizing a note full of words the process has not seen yet.
LEXEME_ATTRS = frozenset({
    attrs.LOWER, attrs.NORM, attrs.IS_ALPHA, attrs.IS_DIGIT, attrs.IS_LOWER, attrs.IS_UPPER,
    attrs.IS_TITLE, attrs.IS_SPACE, attrs.IS_PUNCT, attrs.LIKE_NUM, attrs.IS_ASCII,
})  # fmt: skip


def lean_vocab(nlp: Language) -> Language:
    """Drops the lexeme getters listed nowhere in LEXEME_ATTRS (see there)."""
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {k: v for k, v in getters.items() if k in LEXEME_ATTRS}
    return nlp


def rule_pipeline(lang: str) -> Language:
    """A blank pipeline with the rule components only (no lemma table, no classifiers)."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("journey_lemmatizer")
    nlp.add_pipe("journey_channels")
    nlp.add_pipe("journey_sentiment")
    return nlp


def load_pipeline(lang: str, model_dir: str | Path | None = None) -> Language:
    """The trained pipeline for `lang` from `model_dir/<lang>` (default: nlp/model/<lang>).

    If no trained model is there, falls back to the rule components alone (and says so in
    the log): channels and sentiment still work, stage and kind do not.
    """
    path = Path(model_dir or MODEL_DIR) / lang
    if (path / "config.cfg").exists():
        # The tokenizer is spaCy's default for the language, already built from the config:
        # loading its saved copy again would only add its special cases a second time.
        return lean_vocab(spacy.load(path, exclude=["tokenizer"]))
    log.warning("no trained model in %s: using the rule components only", path)
    return rule_pipeline(lang)
