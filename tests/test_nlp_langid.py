"""Language detection: script, distinctive letters, function words, chat-language fallback."""

from __future__ import annotations

import pytest

from nlp.langid import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("klienci porzucaja koszyk bo platnosc BLIKiem nie dziala", "pl"),  # no diacritics
        ("zamowienie przez telefon i odbior w paczkomacie", "pl"),
        ("Płatność kartą nie przechodzi na iPhonie", "pl"),
        ("nobody answers the phone after 5pm", "en"),
        ("we could add BLIK at checkout", "en"),  # a Polish brand in an English note
        ("Замовила через Instagram", "uk"),  # English brand inside Cyrillic
        ("Клієнти питають, чи є доставка Новою Поштою", "uk"),
        ("Хората питат за цената във Viber", "bg"),
        ("Клиентите се оплакват, че куриерът на Спиди закъснява", "bg"),
        ("клиенти пишат в Instagram и питат за размерите", "bg"),
        ("so happy when they unbox it 😍😍", "en"),
        ("super obsługa 😍 polecam wszystkim", "pl"),
    ],
)
def test_detects_the_note_language(text, expected):
    assert detect_language(text).lang == expected


def test_russian_goes_to_the_chat_language_when_it_is_cyrillic():
    text = "Клиенты жалуются, что доставка очень долгая"
    assert detect_language(text, "bg").lang == "bg"
    assert detect_language(text, "uk").lang == "uk"
    detection = detect_language(text)
    assert detection.detected == "ru"
    assert detection.lang in ("uk", "bg")


@pytest.mark.parametrize("fallback", ["uk", "bg"])
def test_short_ambiguous_cyrillic_note_takes_the_chat_language(fallback):
    assert detect_language("довга доставка", fallback).lang == fallback


def test_distinctive_letters_beat_the_chat_language():
    assert detect_language("нема їжі", "bg").lang == "uk"
    assert detect_language("płatność", "en").lang == "pl"
    assert detect_language("nie dziala", "en").lang == "pl"  # Polish function word


@pytest.mark.parametrize(("text", "fallback"), [("ok", "bg"), ("Instagram", "uk"),
                                               ("👍", "pl"), ("???", "uk"), ("super", "pl")])
def test_very_short_notes_follow_the_chat_language(text, fallback):
    assert detect_language(text, fallback).lang == fallback


def test_no_letters_and_no_fallback_gives_english():
    assert detect_language("😍🔥").lang == "en"


def test_unknown_fallback_is_ignored():
    assert detect_language("we could add a loyalty card", "de").lang == "en"
