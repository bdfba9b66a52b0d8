"""Every text with a count says it in the right plural form, for n = 0, 1, 2, 5, 22, in all four
languages (CLDR rules through Babel: Polish and Ukrainian have three forms for whole numbers).

The word that follows each number must be a form the language uses after that number; the
lexicon below lists the forms by plural category ("any" for words that do not change).
"""

import re

import pytest

from bot.core.model import LANGUAGES
from bot.texts import TEXTS, phrase_specs, placeholders, plural_form, t

# Placeholders that carry a number of things.
COUNTS = {
    "count",
    "notes",
    "pain_points",
    "stages",
    "resolved",
    "still_open",
    "ideas",
    "maps",
    "corrections",
    "reviews",
    "schedules",
    "limit",
    "length",
    "total",
    "pages",
}
NUMBERS = (0, 1, 2, 5, 22)
ANY = "any"
LEXICON: dict[str, dict[str, set[str]]] = {
    "en": {
        "one": {"note", "new", "pain", "open", "stage", "map", "character", "message", "point",
                "duplicate", "row", "date", "review"},
        "other": {"notes", "new", "pain", "open", "stages", "maps", "characters", "messages",
                  "points", "duplicates", "rows", "dates", "reviews"},
        ANY: {"resolved", "found", "more", "of", "among", "a", "per"},
    },
    "pl": {
        "one": {"notatka", "notatkę", "nowa", "nowy", "problem", "otwarty", "otwarte", "etap",
                "mapa", "znak", "wiadomość", "punkt", "duplikat", "wiersz", "daty", "przegląd"},
        "few": {"notatki", "nowe", "problemy", "otwarte", "etapy", "mapy", "znaki", "wiadomości",
                "punkty", "duplikaty", "wiersze", "dat", "przeglądy"},
        "many": {"notatek", "nowych", "problemów", "otwartych", "etapów", "map", "znaków",
                 "wiadomości", "punktów", "duplikatów", "wierszy", "dat", "przeglądów"},
        ANY: {"na", "w", "z", "więcej"},
    },
    "uk": {
        "one": {"нотатка", "нотатку", "нова", "больова", "відкрита", "відкрите", "етап", "мапа",
                "символ", "повідомлення", "пункт", "дублікат", "рядок", "дату", "огляд"},
        "few": {"нотатки", "нові", "больові", "відкриті", "етапи", "мапи", "символи",
                "повідомлення", "пункти", "дублікати", "рядки", "дати", "огляди"},
        "many": {"нотаток", "нових", "больових", "відкритих", "етапів", "мап", "символів",
                 "повідомлень", "пунктів", "дублікатів", "рядків", "дат", "оглядів"},
        ANY: {"у", "в", "з", "за"},
    },
    "bg": {
        "one": {"бележка", "нова", "болезнена", "отворена", "етап", "карта", "знак", "съобщение",
                "точка", "дубликат", "ред", "дата", "преглед"},
        "other": {"бележки", "нови", "болезнени", "отворени", "етапа", "карти", "знака",
                  "съобщения", "точки", "дубликата", "реда", "дати", "прегледа"},
        ANY: {"в", "от", "и"},
    },
}


def count_texts():
    for key, template in TEXTS["en"].items():
        if key.startswith("count."):
            continue  # phrases are checked through the texts that use them
        names = placeholders(template)
        if names & COUNTS:
            yield key, names


def rendered(lang: str, key: str, names: set[str], n: int) -> str:
    values = {name: (n if name in COUNTS else "Q") for name in names}
    return t(lang, key, **values)


def words_after(text: str, n: int) -> list[str]:
    """The word right after each standalone occurrence of `n` (None: punctuation or the end)."""
    found = []
    for match in re.finditer(rf"(?<![\w+#:/.,]){n}(?![\w:.,]\d)", text):
        rest = text[match.end() :]
        word = re.match(r" ([^\W\d_]+)", rest)
        found.append(word.group(1).lower() if word else None)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_count_agrees_with_its_number(lang):
    lexicon = LEXICON[lang]
    wrong = []
    for key, names in count_texts():
        for n in NUMBERS:
            text = rendered(lang, key, names, n)
            category = plural_form(lang, n)
            for word in words_after(text, n):
                if word is None:
                    continue
                if word not in lexicon.get(category, set()) | lexicon[ANY]:
                    wrong.append(f"{key} n={n} ({category}): {text!r}")
    assert wrong == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["0 notes", "1 note", "2 notes", "5 notes", "22 notes"]),
        ("pl", ["0 notatek", "1 notatka", "2 notatki", "5 notatek", "22 notatki"]),
        ("uk", ["0 нотаток", "1 нотатка", "2 нотатки", "5 нотаток", "22 нотатки"]),
        ("bg", ["0 бележки", "1 бележка", "2 бележки", "5 бележки", "22 бележки"]),
    ],
)
def test_map_counts_read_naturally(lang, expected):
    lines = [t(lang, "map.counts", stages=6, notes=n, pain_points=0) for n in NUMBERS]
    assert [line.split(" · ")[1] for line in lines] == expected


def test_polish_and_ukrainian_have_three_forms_for_whole_numbers():
    assert [plural_form("pl", n) for n in NUMBERS] == ["many", "one", "few", "many", "few"]
    assert [plural_form("uk", n) for n in NUMBERS] == ["many", "one", "few", "many", "few"]
    assert [plural_form("bg", n) for n in NUMBERS] == ["other", "one", "other", "other", "other"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_texts_have_every_form_the_language_needs(lang):
    needed = {plural_form(lang, n) for n in (*NUMBERS, 1.5)}
    for key, template in TEXTS[lang].items():
        if isinstance(template, dict):
            assert needed <= set(template), (lang, key)
            assert all("{count}" in form for form in template.values()) or not key.startswith(
                "count."
            ), (lang, key)


def test_phrases_named_in_format_specs_are_plural_texts():
    for lang in LANGUAGES:
        for key, template in TEXTS[lang].items():
            for phrase in phrase_specs(template).values():
                assert isinstance(TEXTS[lang][phrase], dict), (lang, key, phrase)
