"""Ukrainian rules: channels and sentiment lexicon (apostrophes are unified by folding)."""

from __future__ import annotations

from spacy.util import registry

from nlp.rules.helpers import (
    Rules,
    brand,
    generic,
    rules_for,
)


def pattern_channels() -> list:
    """Generic channels and Ukrainian brands, with their inflected forms."""
    return [
        brand("Booking.com", "booking*"),  # a Latin "booking" in Cyrillic text
        brand("Nova Poshta", "нов* пошт*", "nova poshta*", "nova post*", "новопошт*", "нп"),
        brand("Ukrposhta", "укрпошт*", "ukrposhta*", "ukrposhta"),
        brand("Meest", "meest*", "міст експрес*"),
        brand("Rozetka", "^rozetk*", "^розетк*", "^розетц*", "rozetka.ua"),
        brand("Prom", "prom", "prom.ua", "пром", "промі", "prom'і", "prom-і"),
        brand("Monobank", "monobank*", "монобанк*", "моно", "mono"),
        brand("Privat24", "privat24", "приват24", "приват 24", "приватбанк*", "privatbank*"),
        brand("Kasta", "kasta*", "каст*"),
        brand("Epicentr", "епіцентр*", "epicentr*"),
        brand("Bolt Food", "болт фуд*"),
        generic(
            "website",
            "сайт*",
            "вебсайт*",
            "веб-сайт*",
            "сторінк*",
            "лендинг*",
            "інтернет-магазин*",
            "інтернет магазин*",
            "онлайн-магазин*",
            "онлайн магазин*",
            "site",
            "website*",
        ),
        generic(
            "phone",
            "телефон*",
            "дзвон*",
            "дзвін*",
            "зателефон*",
            "передзвон*",
            "подзвон*",
            "дзвінк*",
            "слухавк*",
            "трубк*",
            "гаряч* лін*",
        ),
        generic(
            "email",
            "імейл*",
            "емейл*",
            "email*",
            "e-mail*",
            "мейл*",
            "пошт* електронн*",
            "електронн* пошт*",
            "лист*",
            "mail",
        ),
        generic("sms", "смс*", "sms*", "есемес*"),
        generic(
            "shop",
            "магазин*",
            "крамниц*",
            "салон*",
            "офлайн*",
            "точк* продаж*",
            "торгов* точк*",
            "каса",
            "касі",
            "касу",
            "вітрин*",
            "шоурум*",
        ),
        generic(
            "chat", "чат*", "директ", "директі", "директу", "директом", "особист*", "дм", "dm",
            "приват* повідомлен*", "чат-бот*",
        ),
        generic("courier", "кур'єр*", "курєр*", "кур'ер*", "доставник*"),
        generic(
            "word_of_mouth",
            "сарафан*",
            "з вуст в уста",
            "рекомендац*",
            "знайом*",
            "порад* друз*",
            "радять",
            "порадил*",
            "порадив*",
            "розповіда* друз*",
            "розповіл* друз*",
        ),
        generic(
            "ads",
            "реклам*",
            "банер*",
            "листівк*",
            "флаєр*",
            "флаер*",
            "білборд*",
            "таргет*",
            "постер*",
            "вивіск*",
            "google ads",
        ),
        generic("newsletter", "розсилк*", "newsletter*"),
        generic(
            "app",
            "додаток",
            "додатку",
            "додатком",
            "додатки",
            "застосунк*",
            "застосунок",
            "app",
            "apps",
            "апк*",
        ),
        generic(
            "social_media",
            "соцмереж*",
            "соц мереж*",
            "соц. мереж*",
            "соцмедіа*",
            "соціальн* мереж*",
            "соцсет*",
            "соцмережах",
        ),
    ]


@registry.misc("journey_rules.uk.v1")
def journey_rules_uk() -> Rules:
    """Channels from this module; sentiment lexicon and negators from
    nlp/lexicons/sentiment/uk.txt."""
    return rules_for("uk", pattern_channels())
