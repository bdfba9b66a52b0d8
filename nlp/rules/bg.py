"""Bulgarian rules: channels and sentiment lexicon."""

from __future__ import annotations

from spacy.util import registry

from nlp.rules.helpers import (
    Rules,
    brand,
    generic,
    rules_for,
)


def pattern_channels() -> list:
    """Generic channels and Bulgarian brands, with their inflected forms."""
    return [
        brand("Booking.com", "booking*"),  # a Latin "booking" in Cyrillic text
        brand("Econt", "econt*", "еконт*"),
        brand("Speedy", "speedy*", "спиди*"),
        brand("eMAG", "emag*", "емаг*", "e-mag*"),
        brand("BOX NOW", "box now*", "boxnow*", "бокс нау*"),
        brand("Sameday", "sameday*"),
        brand("Български пощи", "български пощи", "бг пощи"),
        brand("Glovo", "глово*"),
        brand("Takeaway", "takeaway*"),
        brand("Foodpanda", "foodpanda*", "фудпанда*"),
        brand("Bazar.bg", "bazar*", "базар.бг"),
        brand("Revolut", "револют*"),
        brand("ePay", "epay*", "изипей*", "easypay*"),
        generic("website", "сайт*", "уебсайт*", "уеб сайт*", "страниц*", "онлайн магазин*",
                "онлайн-магазин*", "електронн* магазин*", "site", "website*", "лендинг*"),
        generic("phone", "телефон*", "звън*", "обажда*", "обади*", "позвън*", "обаждан*",
                "звънн*", "слушалк*"),
        generic("email", "имейл*", "мейл*", "е-мейл*", "email*", "e-mail*", "електронн* пощ*",
                "mail", "писмо*", "писма*"),
        generic("sms", "смс*", "sms*", "есемес*"),
        generic("shop", "магазин*", "салон*", "шоурум*", "каса", "касата", "витрин*",
                "бутик*", "щанд*",
                "физическ* обект*"),
        generic("chat", "чат*", "лични съобщения", "лично съобщение", "лични", "дм", "dm",
                "директ", "директа", "чатбот*"),
        generic("courier", "куриер*", "доставчик*"),
        generic("word_of_mouth", "препоръ*", "от уста на уста", "уста на уста", "познат*",
                "казал* за нас", "казаха за нас", "разказ* за нас",
                "приятел* казал*", "приятелк* казал*"),
        generic("ads", "реклам*", "банер*", "флаер*", "листовк*", "билборд*", "плакат*",
                "таргет*", "табел*", "google ads"),
        generic("newsletter", "бюлетин*", "нюзлетър*", "newsletter*"),
        generic("app", "приложение*", "приложени*", "апп*", "апликаци*", "app"),
        generic("social_media", "социалн* мреж*", "социалк*", "соц мреж*", "соцмреж*"),
    ]


@registry.misc("journey_rules.bg.v1")
def journey_rules_bg() -> Rules:
    """Channels from this module; sentiment lexicon and negators from
    nlp/lexicons/sentiment/bg.txt."""
    return rules_for("bg", pattern_channels())
