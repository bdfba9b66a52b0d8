"""Splitting long texts into points (bot/core/points.py): per language, as people type."""

from __future__ import annotations

import pytest

from bot.core.points import MAX_POINTS, OFFER_MIN_CHARS, points_to_offer, split_points


@pytest.mark.parametrize(
    ("lang", "text", "points"),
    [
        ("en", "Delivery late. Courier rude. Box damaged.",
         ["Delivery late.", "Courier rude.", "Box damaged."]),
        ("en", "Ordered for Mr. Smith, e.g. a cake. It came on Friday! Thanks!",
         ["Ordered for Mr. Smith, e.g. a cake.", "It came on Friday! Thanks!"]),
        ("pl", "Kurier spóźnił się 2 godz. i nie zadzwonił. Płatność np. BLIK nie przeszła.",
         ["Kurier spóźnił się 2 godz. i nie zadzwonił.", "Płatność np. BLIK nie przeszła."]),
        ("pl", "kurier sie spoznil. Platnosc nie przeszla. Ogolnie ok",  # no diacritics
         ["kurier sie spoznil.", "Platnosc nie przeszla.", "Ogolnie ok"]),
        ("uk", "- Доставка довга\n- Кур'єр не подзвонив\n2) Ціна 500 грн. за торт",
         ["Доставка довга", "Кур'єр не подзвонив", "Ціна 500 грн. за торт"]),
        ("bg", "Сайтът е бавен, т.е. трябва да чакаш. Куриерът закъсня. "
         "Освен това Econt не се обади.",
         ["Сайтът е бавен, т.е. трябва да чакаш.", "Куриерът закъсня.",
          "Освен това Econt не се обади."]),
        ("en", "One sentence without an end", ["One sentence without an end"]),
        ("pl", "Kurier nie miał reszty z 200 zł. Poza tym tort był świetny, np. Sachera.",
         ["Kurier nie miał reszty z 200 zł.", "Poza tym tort był świetny, np. Sachera."]),
        ("uk", "Торт коштував 900 грн. Доставка 2 год. і без дзвінка.",
         ["Торт коштував 900 грн.", "Доставка 2 год. і без дзвінка."]),
    ],
)
def test_points_per_language(lang, text, points):
    assert split_points(text, lang) == points


def test_a_dictated_run_on_is_cut_before_words_that_start_a_point():
    text = ("so I wanted to order a cake for my daughter and the website kept logging me out "
            "every time I added something to the basket also the delivery options were "
            "confusing and nobody answered the phone plus the price changed at checkout")
    assert split_points(text, "en") == [
        "So I wanted to order a cake for my daughter and the website kept logging me out every "
        "time I added something to the basket",
        "Also the delivery options were confusing and nobody answered the phone",
        "Plus the price changed at checkout",
    ]


def test_no_text_is_lost_and_many_sentences_are_merged_to_the_cap():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    points = split_points(text, "en")
    assert len(points) <= MAX_POINTS
    assert " ".join(points) == text


def test_two_short_sentences_are_not_offered_three_points_are():
    assert points_to_offer("Delivery late. Courier rude.", "en") == []
    assert len(points_to_offer("Delivery late. Courier rude. Box damaged.", "en")) == 3
    first = "The delivery of the birthday cake was late by more than two hours on Saturday. "
    second = "The courier was rude to my mother and left the box at the wrong entrance door."
    assert len(first + second) < OFFER_MIN_CHARS
    assert points_to_offer(first + second, "en") == []
    longer = first.replace("Saturday", "Saturday, the day of the party, with guests waiting")
    assert len(longer + second) >= OFFER_MIN_CHARS
    assert len(points_to_offer(longer + second, "en")) == 2
