"""Every text the bot sends, per language, as plain data: `t(lang, key, **placeholders)`.

A text is a template string, or — when it carries a count — a dict of CLDR plural forms
(`{"one": "{count} note", "other": "{count} notes"}`; Polish and Ukrainian also have "few" and
"many"). The form is chosen by the placeholder `count` with Babel's plural rules. A sentence
with several counts names a plural phrase in a placeholder's format spec: `{notes:count.notes}`
renders the text "count.notes" with `count=notes`.
"""

from __future__ import annotations

import string
from functools import cache
from types import MappingProxyType

from bot.core.model import DEFAULT_LANGUAGE, LANGUAGES
from bot.texts import bg, en, pl, uk

TEXTS = MappingProxyType({"en": en.TEXTS, "pl": pl.TEXTS, "uk": uk.TEXTS, "bg": bg.TEXTS})
# The placeholder that chooses a plural text's form.
COUNT = "count"

# Each language's name in itself, for the language picker.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "pl": "Polski",
    "uk": "Українська",
    "bg": "Български",
}
LANGUAGE_FLAGS: dict[str, str] = {"en": "🇬🇧", "pl": "🇵🇱", "uk": "🇺🇦", "bg": "🇧🇬"}


@cache
def _plural_rule(lang: str):
    from babel import Locale  # loaded on the first count, not at import

    return Locale.parse(lang).plural_form


def load_plural_rules() -> None:
    """Loads Babel and every language's plural rule now (the classifier's loader thread does,
    at start): the first count said in a language otherwise loaded them on the event loop,
    49 ms of CPU (seen in the summary of a 5,000-row import)."""
    for lang in LANGUAGES:
        _plural_rule(lang)


def plural_form(lang: str, count: float) -> str:
    """The CLDR plural category of `count` in `lang`: "one", "few", "many" or "other"."""
    return _plural_rule(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)(abs(count))


def _template(lang: str, key: str, placeholders: dict) -> str:
    table = TEXTS.get(lang) or TEXTS[DEFAULT_LANGUAGE]
    template = table.get(key)
    if template is None:
        lang, template = DEFAULT_LANGUAGE, TEXTS[DEFAULT_LANGUAGE][key]
    if isinstance(template, dict):
        if COUNT not in placeholders:
            raise KeyError(f"text {key!r} has plural forms: pass {COUNT}=")
        form = plural_form(lang, placeholders[COUNT])
        return template.get(form) or template["other"]
    return template


class _PhraseFormatter(string.Formatter):
    """str.format, plus `{value:phrase.key}`: the plural text `phrase.key` with count=value."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if format_spec in TEXTS[DEFAULT_LANGUAGE]:
            return t(self.lang, format_spec, count=value)
        return super().format_field(value, format_spec)


@cache
def _uses_phrases(template: str) -> bool:
    return any(spec in TEXTS[DEFAULT_LANGUAGE] for _, _, spec, _ in _fields(template))


def _fields(template: str):
    return string.Formatter().parse(template)


def t(lang: str, key: str, **placeholders: object) -> str:
    """The text `key` in `lang` (English if the language is unknown), placeholders filled in.

    Placeholder values are inserted as given: escape user text for HTML before passing it.
    """
    template = _template(lang, key, placeholders)
    if not placeholders:
        return template
    if _uses_phrases(template):
        return _PhraseFormatter(lang).format(template, **placeholders)
    return template.format(**placeholders)


def forms(template: str | dict) -> tuple[str, ...]:
    """A text's templates: the string itself, or each plural form."""
    return tuple(template.values()) if isinstance(template, dict) else (template,)


def placeholders(template: str | dict) -> set[str]:
    """The names of the `{placeholders}` in a template (in any of its plural forms)."""
    return {name for form in forms(template) for _, name, _, _ in _fields(form) if name}


def phrase_specs(template: str | dict) -> dict[str, str]:
    """{placeholder: plural phrase key} for the `{value:phrase.key}` fields of a template."""
    return {
        name: spec
        for form in forms(template)
        for _, name, spec, _ in _fields(form)
        if name and spec in TEXTS[DEFAULT_LANGUAGE]
    }


def find_language_by_label(label: str) -> str | None:
    """The language whose name (or code) the user typed, e.g. "polski" → "pl"."""
    wanted = label.strip().lower()
    for lang in LANGUAGES:
        if wanted in (lang, LANGUAGE_NAMES[lang].lower()):
            return lang
    return None
