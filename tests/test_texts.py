"""Every language has every text, with the same placeholders, and valid Telegram HTML."""

import re

import pytest

from bot.core.model import LANGUAGES, STAGE_KEYS
from bot.texts import TEXTS, forms, placeholders, t

ALLOWED_TAGS = {"b", "i"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_has_exactly_the_english_keys(lang):
    assert set(TEXTS[lang]) == set(TEXTS["en"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang):
    for key, template in TEXTS["en"].items():
        assert placeholders(TEXTS[lang][key]) == placeholders(template), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_use_only_balanced_simple_html(lang):
    for key, text in TEXTS[lang].items():
        for template in forms(text):
            _check_html(key, template)


def _check_html(key, template):
    tags = re.findall(r"<(/?)([a-z]+)>", template)
    assert {name for _, name in tags} <= ALLOWED_TAGS, key
    for name in ALLOWED_TAGS:
        assert template.count(f"<{name}>") == template.count(f"</{name}>"), key
    without_tags = re.sub(r"</?[bi]>", "", template)
    assert "<" not in without_tags, key


@pytest.mark.parametrize("lang", ["pl", "uk", "bg"])
def test_translations_are_not_english_copies(lang):
    same = [
        key
        for key, text in TEXTS[lang].items()
        if text == TEXTS["en"][key]
        and any(re.search(r"[a-z]{4}", re.sub(r"\{[\w:.]+\}|/\w+", "", f)) for f in forms(text))
    ]
    assert same == []


def test_stage_names_are_localized():
    names = {lang: [t(lang, f"stage.{key}") for key in STAGE_KEYS] for lang in LANGUAGES}
    assert len({tuple(v) for v in names.values()}) == 4


def test_ukrainian_texts_spell_the_apostrophe_one_way():
    """A resolved card read "✓ розв'язав(ла): Olena" under "✅ Розв’язана — Olena": the same
    word with two apostrophes in one message. Texts use ’; only the examples of what people
    type keep the keyboard's ' ("п'ятниця": the date parser takes both)."""
    mixed = [
        key
        for key, text in TEXTS["uk"].items()
        for template in forms(text)
        if re.search(r"[а-яіїєґ]'[а-яіїєґ]", template.replace("п'ятниц", "п’ятниц"), re.I)
    ]
    assert mixed == []
