"""Rule components on blank pipelines: channels per language with inflections, sentiment."""

from __future__ import annotations

from functools import cache

import pytest
import spacy

import nlp.components  # noqa: F401  (registers the factories)
from nlp.rules import GENERIC_CHANNELS, load_rules


@cache
def rule_pipeline(lang: str, component: str):
    pipeline = spacy.blank(lang)
    pipeline.add_pipe(component)
    return pipeline


def channels(lang: str, text: str) -> list[str]:
    doc = rule_pipeline(lang, "journey_channels")(text)
    return [span.label_ for span in doc.spans.get("channels", [])]


def sentiment(lang: str, text: str) -> float:
    return rule_pipeline(lang, "journey_sentiment")(text)._.journey_sentiment


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("pl", "klienci płacą BLIKiem", {"BLIK"}),
        ("pl", "sprzedajemy głównie na Allegro", {"Allegro"}),
        ("pl", "ludzie wolą kupić w sklepie", {"shop"}),
        ("pl", "zamówienia przyjmujemy przez telefon", {"phone"}),
        ("pl", "trzeba zadzwonić żeby się umówić", {"phone"}),
        ("pl", "odbior w paczkomacie InPostu", {"InPost"}),
        ("pl", "piszą do nas na Instagramie i na fejsie", {"Instagram", "Facebook"}),
        ("pl", "mamy nowy sklep internetowy", {"website"}),
        ("pl", "wysylamy maila z potwierdzeniem i smsa", {"email", "sms"}),
        ("uk", "відправляємо Новою Поштою", {"Nova Poshta"}),
        ("uk", "пишуть в Інсті", {"Instagram"}),
        ("uk", "інформація є на сайті", {"website"}),
        ("uk", "замовлення по телефону", {"phone"}),
        ("uk", "кур’єр приїхав", {"courier"}),
        ("uk", "купують на Розетці і на Prom", {"Rozetka", "Prom"}),
        ("uk", "пишуть у Viber і Телеграм", {"Viber", "Telegram"}),
        ("bg", "изпращаме в Еконт", {"Econt"}),
        ("bg", "взимат от офис на Спиди", {"Speedy"}),
        ("bg", "цените са на сайта", {"website"}),
        ("bg", "пишат ни по имейл", {"email"}),
        ("bg", "продаваме и в eMAG", {"eMAG"}),
        ("bg", "звънят по телефона", {"phone"}),
        ("en", "found us on Google Maps", {"Google Maps"}),
        ("en", "they pay with PayPal and message us on WhatsApp", {"PayPal", "WhatsApp"}),
        ("en", "word of mouth brings most clients", {"word_of_mouth"}),
        ("en", "people call the shop", {"phone", "shop"}),
        ("en", "we sell on Etsy and Amazon", {"Etsy", "Amazon"}),
    ],
)
def test_channels_found_with_inflections(lang, text, expected):
    assert set(channels(lang, text)) == expected


def test_longest_match_wins():
    assert channels("en", "they search Google Maps") == ["Google Maps"]
    assert channels("pl", "sklep internetowy") == ["website"]


def test_no_false_channels_in_similar_words():
    assert channels("pl", "instalacja igły i promocja") == []
    assert channels("uk", "інструкція незрозуміла") == []


def test_generic_channels_are_exported_keys():
    for lang in ("en", "pl", "uk", "bg"):
        for pattern in load_rules(lang).channels:
            if pattern.generic:
                assert pattern.channel in GENERIC_CHANNELS


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pl", "płatność nie działa"),
        ("pl", "platnosc nie dziala"),
        ("uk", "оплата не працює"),
        ("bg", "плащането не работи"),
        ("en", "the card reader is not working"),
        ("en", "checkout doesn't work on iPhone"),
        ("en", "courier is always late 😡"),
        ("pl", "brak parkingu"),
    ],
)
def test_negated_function_words_are_negative(lang, text):
    assert sentiment(lang, text) < -0.3


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pl", "super obsługa, polecam"),
        ("uk", "клієнти дуже задоволені"),
        ("bg", "много доволни клиенти"),
        ("en", "so happy when they unbox it 😍"),
    ],
)
def test_positive_notes(lang, text):
    assert sentiment(lang, text) > 0.3


def test_negation_of_a_negative_word_is_not_negative():
    assert sentiment("en", "no problems at all") >= 0
    assert sentiment("pl", "nie ma problemu") >= 0


def test_neutral_note_is_zero():
    assert sentiment("en", "they order on Tuesdays") == 0.0


def test_factories_validate_their_config():
    pipeline = spacy.blank("pl")
    with pytest.raises(ValueError, match="scope"):
        pipeline.add_pipe("journey_sentiment", config={"scope": 0})
    with pytest.raises(ValueError, match="journey_rules"):
        pipeline.add_pipe("journey_channels", config={"rules": "journey_rules.de.v1"})
    with pytest.raises(ValueError, match="fold_norm"):
        pipeline.add_pipe("journey_lemmatizer", config={"fold_norm": "yes"})
