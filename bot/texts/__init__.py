"""Every text the bot sends, per language, as plain data: `t(lang, key, **placeholders)`."""

from __future__ import annotations

import string
from types import MappingProxyType

from bot.core.model import DEFAULT_LANGUAGE, LANGUAGES
from bot.texts import bg, en, pl, uk

TEXTS = MappingProxyType({"en": en.TEXTS, "pl": pl.TEXTS, "uk": uk.TEXTS, "bg": bg.TEXTS})

# Each language's name in itself, for the language picker.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "pl": "Polski",
    "uk": "Українська",
    "bg": "Български",
}
LANGUAGE_FLAGS: dict[str, str] = {"en": "🇬🇧", "pl": "🇵🇱", "uk": "🇺🇦", "bg": "🇧🇬"}


def t(lang: str, key: str, **placeholders: object) -> str:
    """The text `key` in `lang` (English if the language is unknown), placeholders filled in.

    Placeholder values are inserted as given: escape user text for HTML before passing it.
    """
    table = TEXTS.get(lang) or TEXTS[DEFAULT_LANGUAGE]
    template = table.get(key)
    if template is None:
        template = TEXTS[DEFAULT_LANGUAGE][key]
    return template.format(**placeholders) if placeholders else template


def placeholders(template: str) -> set[str]:
    """The names of the `{placeholders}` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def find_language_by_label(label: str) -> str | None:
    """The language whose name (or code) the user typed, e.g. "polski" → "pl"."""
    wanted = label.strip().lower()
    for lang in LANGUAGES:
        if wanted in (lang, LANGUAGE_NAMES[lang].lower()):
            return lang
    return None
