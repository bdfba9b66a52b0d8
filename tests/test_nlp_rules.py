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


@pytest.mark.parametrize(
    "text",
    [
        "форма оплати висне на айфоні",
        "LiqPay лежить з самого ранку",
        "інстаграм-акаунт заблокували",
        "НП загубила посилку",
        "на кришці комода подряпина",
        "таргет з'їв 3 тисячі і жодного запису",
        "телефон зайнятий весь ранок",
        "у вільний слот насправді неможливо записатись",
    ],
)
def test_uk_problem_words_are_negative(text):
    assert sentiment("uk", text) < -0.3
    assert sentiment("uk", "майже всі платять карткою Monobank") == 0.0
    assert sentiment("uk", "гуглять промокод перед оплатою") == 0.0
    assert sentiment("uk", "жодних проблем з доставкою") >= 0


@pytest.mark.parametrize(
    "text",
    [
        "payment form freezes on iPhone",
        "confirmation email lands in spam",
        "instagram account suspended again",
        "evri lost two parcels",
        "the vase arrived cracked",
        "she was charged twice on stripe",
        "overcharged for postage",
        "ad spend 300 quid, zero bookings",
        "the map pin is outdated",
        "app hangs on the login screen",
        "our shop page was blocked",
        "boxes arrive wet",
        "phone is busy all morning",
    ],
)
def test_en_problem_words_are_negative(text):
    assert sentiment("en", text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "everything is made from scratch",
        "breakfast is included",
        "they leave a review after the visit",
        "most pay later with klarna",
        "they message us on messenger",
    ],
)
def test_en_neutral_notes_with_lookalike_words_are_not_negative(text):
    assert sentiment("en", text) >= 0


@pytest.mark.parametrize(
    "text",
    [
        "formularz płatności zawiesza się na iPhonie",
        "formularz platnosci zawiesza sie na iphonie",
        "Przelewy24 wiesza się przy wyborze banku",
        "konto reklamowe zablokowane od tygodnia",
        "paczka utknęła w sortowni",
        "paczka utknela w sortowni",
        "stół dojechał z rysą na blacie",
        "stol dojechal z rysa na blacie",
        "paczkomat zapchany",
        "prośba o opinię bez odzewu",
        "sala nie mieści wszystkich gości",
        "zadnej odpowiedzi od tygodnia",
        "telefon zajęty całe rano",
        "opinie w google sprzed 5 lat",
    ],
)
def test_pl_problem_words_are_negative(text):
    assert sentiment("pl", text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "wieszamy plakaty na przystankach",
        "stukanie w zawieszeniu po dziurach",
        "tatuażysta rysuje wzór przy kliencie",
        "dzieci przepadają za naszymi drożdżówkami",
        "zajecia jogi we wtorki",
        "w zawodzie od 20 lat",
        "żaden problem, przyjedziemy jutro",
    ],
)
def test_pl_neutral_notes_with_lookalike_words_are_not_negative(text):
    assert sentiment("pl", text) >= 0


@pytest.mark.parametrize(
    "text",
    [
        "плащането с карта забива на iPhone",
        "Instagram ни блокира рекламния акаунт",
        "телефонът е зает цяла сутрин",
        "профилът в Instagram е празен",
        "снимките на сайта са остарели",
        "рамката пристигна надраскана",
        "храната е с изтекъл срок",
        "линкът към ценоразписа води към 404",
    ],
)
def test_bg_problem_words_are_negative(text):
    assert sentiment("bg", text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "празниците идват",
        "непълнолетни не татуираме",
        "глобалната доставка е с DHL",
        "плащането вече не забива",
    ],
)
def test_bg_lookalike_words_are_not_negative(text):
    assert sentiment("bg", text) >= 0


@pytest.mark.parametrize(
    ("lang", "waiting", "how_long"),
    [
        ("en", "they are waiting for the sale", "waited 40 mins at the desk"),
        ("pl", "ludzie czekają z zakupem roweru do wiosny", "pacjent czekał na korytarzu 25 min"),
        ("uk", "чекають на знижки перед святами", "чекали на кур'єра дві години"),
        ("bg", "чакат Черния петък, за да поръчат", "чакахме пак на опашката"),
    ],
)
def test_waiting_is_negative_only_when_the_note_says_how_long(lang, waiting, how_long):
    assert sentiment(lang, waiting) == 0.0
    assert sentiment(lang, how_long) < -0.3


def test_a_number_in_another_clause_does_not_make_waiting_negative():
    assert sentiment("pl", "czekają na promocję, potem kupują 2 sztuki") == 0.0


@pytest.mark.parametrize(
    ("lang", "text"),
    [("pl", "najfajniejszy tatuaż w mieście"), ("uk", "найзручніша шафа в моєму житті"),
     ("bg", "най-хубавата прическа")],
)
def test_superlatives_are_read_without_their_prefix(lang, text):
    assert sentiment(lang, text) > 0.3
