"""Pure builders of inline keyboards. Callback data is prefixed: "lang:pl", "note:undo:12"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.journey import shorten
from bot.core.model import LANGUAGES
from bot.texts import LANGUAGE_FLAGS, LANGUAGE_NAMES, t

Choice = tuple[str, str]  # (label, callback data)
# Longer labels (a map's or stage's name) are cut at a word boundary: phones show ~30 characters.
MAX_LABEL = 48


def button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(shorten(label, MAX_LABEL), callback_data=data)


def rows(choices: Iterable[Choice], per_row: int = 2) -> InlineKeyboardMarkup:
    """A keyboard with `per_row` buttons on each row."""
    buttons = [button(label, data) for label, data in choices]
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def column(choices: Iterable[Choice]) -> InlineKeyboardMarkup:
    """One button per row: for choices with long labels (stages, maps)."""
    return rows(choices, per_row=1)


def stacked(*groups: Sequence[Choice]) -> InlineKeyboardMarkup:
    """Each group of choices on its own row."""
    return InlineKeyboardMarkup(
        [
            [button(label, data) for label, data in group]
            for group in groups
            if group
        ]
    )


def language_picker() -> InlineKeyboardMarkup:
    """The four interface languages, each named in itself."""
    return rows(
        ((f"{LANGUAGE_FLAGS[lang]} {LANGUAGE_NAMES[lang]}", f"lang:{lang}") for lang in LANGUAGES),
        per_row=2,
    )


def first_map_offer(lang: str) -> InlineKeyboardMarkup:
    return column([(t(lang, "button.create_first_map"), "start:newmap")])
