"""Rule data per language: channels (touchpoints) and the sentiment lexicon.

Each `nlp/rules/<lang>.py` registers `@registry.misc("journey_rules.<lang>.v1")`, a function
returning `Rules` built from the small helpers in `nlp/rules/helpers.py`. `load_rules(lang)`
imports the module and calls the registered function.
"""

from __future__ import annotations

import importlib

from spacy.util import registry

from bot.core.vocabulary import LANGUAGES
from nlp.rules.helpers import GENERIC_CHANNELS, Rules

__all__ = ["GENERIC_CHANNELS", "Rules", "load_rules"]


def load_rules(name: str) -> Rules:
    """The rules registered as `name` ("journey_rules.pl.v1") or for a language code ("pl")."""
    if name in LANGUAGES:
        name = f"journey_rules.{name}.v1"
    parts = name.split(".")
    if len(parts) == 3 and parts[1] in LANGUAGES:
        importlib.import_module(f"nlp.rules.{parts[1]}")
    try:
        make = registry.misc.get(name)
    except Exception as error:  # catalogue.RegistryError
        raise ValueError(
            f"No rules registered as {name!r}. Use one of "
            + ", ".join(f"'journey_rules.{lang}.v1'" for lang in LANGUAGES)
        ) from error
    return make()
