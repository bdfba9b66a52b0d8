"""Issue 12 items 16, 18 and 19: text cut at word boundaries, file names spelled by each
country's official system, weekdays and quotes as each language writes them, button names in
texts that match the buttons."""

import re
from datetime import time

import pytest

from bot.core.journey import shorten
from bot.core.model import LANGUAGES
from bot.core.schedule import ReviewRule, Schedule
from bot.core.transliteration import transliterate
from bot.exports import slug
from bot.flows.schedule import status_text, weekday_buttons
from bot.render import clip_lines
from bot.texts import TEXTS, forms, t

# --- item 16: one helper cuts at a word boundary and adds "…" --------------------------------

KLIENCI = "Klienci nie wiedzą, że płatność BLIKiem nie działa"
CARD = "platnosc BLIKiem odrzucona dwa razy przy kasie, klient wyszedl zly"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (KLIENCI, 40, "Klienci nie wiedzą, że płatność BLIKiem…"),
        (KLIENCI, 38, "Klienci nie wiedzą, że płatność…"),
        ("short enough", 40, "short enough"),
        ("line\nbreaks   and  blanks", 40, "line breaks and blanks"),
        ("Supercalifragilisticexpialidocious", 10, "Supercali…"),
        ("end of a sentence. Next one", 20, "end of a sentence…"),
    ],
)
def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_picture_cards_end_at_a_word_boundary():
    lines = clip_lines(CARD, 25, 2)
    assert lines[-1].endswith("…")
    kept = " ".join(lines)[:-1].split()
    assert kept == CARD.split()[: len(kept)]  # whole words only


def test_no_slicing_of_user_text_is_left_in_the_bot():
    """`text[:40]` cuts mid-word; every shortening goes through `shorten`."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in [*root.glob("bot/**/*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"(text|name|label|command)\w*(\.strip\(\))?\[:\s*([2-9]|\d\d+)\]", line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


# --- item 18: file names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("Резервация", "bg", "rezervatsia"),  # the Act: word-final "ия" → "ia"
        ("Мария и Ямбол", "bg", "maria-i-yambol"),
        ("Резервация на хотел", "bg", "rezervatsia-na-hotel"),
        ("Поръчка на торта", "bg", "porachka-na-torta"),
        ("Щастлив клиент", "bg", "shtastliv-klient"),
        ("Замовлення торта!", "uk", "zamovlennia-torta"),
        ("Юрій і Їжак", "uk", "yurii-i-yizhak"),
        ("Київ, Згорани", "uk", "kyiv-zghorany"),
        ("Щастя", "uk", "shchastia"),
        ("Zamówienie tortu — żółć", "pl", "zamowienie-tortu-zolc"),
        ("Резервация", "en", "rezervatsia"),  # no Ukrainian letters: Bulgarian
        ("Їжа", "en", "yizha"),  # Ukrainian letters
    ],
)
def test_file_names_follow_each_countrys_official_transliteration(name, lang, expected):
    assert slug(name, lang) == expected


def test_one_table_per_language():
    assert transliterate("щ", "bg") == "sht" and transliterate("щ", "uk") == "shch"
    assert transliterate("г", "bg") == "g" and transliterate("г", "uk") == "h"
    assert transliterate("и", "bg") == "i" and transliterate("и", "uk") == "y"


# --- item 19: weekdays, quotes, button names ---------------------------------------------------


def _schedule(weekday: int) -> Schedule:
    rule = ReviewRule("weekly", weekday, time(10, 0))
    return Schedule(1, 1, -1, rule, "Europe/Warsaw", None, None, False, False, None, None)


@pytest.mark.parametrize(
    ("lang", "in_sentence", "button"),
    [
        ("en", "Every Monday at 10:00", "Monday"),
        ("pl", "Co tydzień: poniedziałek, godz. 10:00", "Poniedziałek"),
        ("uk", "Щотижня: понеділок, 10:00", "Понеділок"),
        ("bg", "Всяка седмица: понеделник, 10:00 ч.", "Понеделник"),
    ],
)
def test_weekdays_are_capitalised_as_each_language_requires(lang, in_sentence, button):
    assert in_sentence in status_text(lang, "Mapa", _schedule(0), "Europe/Warsaw")
    labels = [b.text for row in weekday_buttons(lang).inline_keyboard for b in row]
    assert labels[0] == button


def test_english_quotes_are_curly_and_no_guillemets():
    for key, text in TEXTS["en"].items():
        for template in forms(text):
            assert not re.search(r"«[^»]*»", template), key
            assert not re.search(r"\"\{\w+\}\"", template), key


@pytest.mark.parametrize("lang", ["pl", "uk"])
def test_names_after_prepositions_are_introduced_by_a_noun(lang):
    """Polish and Ukrainian decline after prepositions; a quoted name cannot be declined, so
    a noun that can ("Przed etapem „Świadomość”") carries the case."""
    prepositions = {
        "pl": r"(?:przed|po|dla|do|od|z|ze|w|we|na|o|przy|za|nad|pod)",
        "uk": r"(?:перед|після|для|до|від|з|із|у|в|на|про|при|за|над|під)",
    }[lang]
    wrong = []
    for key, text in TEXTS[lang].items():
        for template in forms(text):
            if re.search(rf"(?i)(?<!\w){prepositions}\s+[„«“]?\{{(name|stage|map)\}}", template):
                wrong.append(key)
    assert wrong == []


# Texts that tell the user to press a button, and that button.
BUTTON_MENTIONS = {"review.ask_new": "button.finish_review"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_name_buttons_as_the_buttons_say(lang):
    for text_key, button_key in BUTTON_MENTIONS.items():
        label = re.sub(r"^[^\w]+", "", t(lang, button_key)).strip()
        assert label in t(lang, text_key), (lang, text_key, label)
