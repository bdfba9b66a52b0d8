"""Which rule set a component loads: `journey_rules.<lang>.v1` unless the config names one."""

from __future__ import annotations

from spacy.language import Language

from bot.core.vocabulary import LANGUAGES


def rules_name(nlp: Language, rules: str, factory: str) -> str:
    name = rules or f"journey_rules.{nlp.lang}.v1"
    if name.split(".")[1:2] and name.split(".")[1] not in LANGUAGES:
        raise ValueError(
            f"{factory}: no rules for language {nlp.lang!r}. Pass them explicitly, e.g. "
            f'nlp.add_pipe("{factory}", config={{"rules": "journey_rules.pl.v1"}})'
        )
    return name
