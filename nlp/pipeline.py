"""Loading the shipped pipelines: `load_pipeline(lang, model_dir) -> Language`."""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories and the architecture)

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"
DATA_DIR = Path(__file__).parent / "data"
CONFIG_PATH = Path(__file__).parent / "training" / "configs" / "textcat.cfg"
TEXTCATS = ("textcat_stage", "textcat_kind")


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
        return spacy.load(path, exclude=["tokenizer"])
    log.warning("no trained model in %s: using the rule components only", path)
    return rule_pipeline(lang)
