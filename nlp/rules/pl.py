"""Polish rules: channels and sentiment lexicon. Variants are folded, so they match text typed
with or without diacritics ("płatność" = "platnosc")."""

from __future__ import annotations

from spacy.util import registry

from nlp.rules.helpers import (
    Rules,
    brand,
    generic,
    rules_for,
)


def pattern_channels() -> list:
    """Generic channels and Polish brands, with their inflected forms."""
    return [
        brand("BLIK", "blik*"),
        brand("Allegro", "allegro*"),
        brand("InPost", "inpost*", "in post*", "paczkomat*"),
        brand("Przelewy24", "przelewy24", "przelewy 24", "p24"),
        brand("Ceneo", "ceneo*"),
        brand("Pyszne.pl", "pyszne*"),
        brand("Poczta Polska", "poczt* polsk*"),
        brand("DPD", "dpd"),
        brand("DHL", "dhl*"),
        brand("Booking.com", "na booking*", "z booking*", "przez booking*", "bookingu",
              "bookingiem"),
        brand("Żabka", "zabk*", "zabce"),
        brand("Orlen Paczka", "orlen paczk*"),
        brand("Vinted", "vinted*"),
        brand("Mailchimp", "mailchimp*"),
        generic(
            "website",
            "stron* www",
            "stron* internetow*",
            "stron*",
            "www*",
            "witryn*",
            "sklep* internetow*",
            "sklep* online",
            "e-sklep*",
            "esklep*",
            "formularz* na stronie",
            "landing*",
            "site",
            "website*",
            "podstron*",
        ),
        generic(
            "phone",
            "telefon*",
            "dzwoni*",
            "zadzwoni*",
            "dzwon*",
            "zadzwon*",
            "przedzwoni*",
            "oddzwoni*",
            "oddzwan*",
            "infolini*",
            "tel",
            "telefonicz*",
        ),
        generic(
            "email",
            "mail*",
            "e-mail*",
            "email*",
            "mejl*",
            "meil*",
            "poczt* elektroniczn*",
            "skrzynk*",
        ),
        generic("sms", "sms*", "esemes*", "smsa", "smsem"),
        generic(
            "shop",
            "sklep*",
            "salon*",
            "punkt* stacjonarn*",
            "stacjonarn*",
            "lokal",
            "lokalu",
            "lokalem",
            "kasa",
            "kasie",
            "kasy",
            "kase",
            "witryn* sklep*",
            "showroom*",
            "lada",
            "ladzie",
            "lade",
        ),
        generic("chat", "czat*", "czaci*", "chat*", "priv*", "dm", "wiadomosc* prywatn*", "na pw",
                "pw"),
        generic("courier", "kurier*", "kurierem", "dostawc*"),
        generic(
            "word_of_mouth",
            "polecen*",
            "polecil*",
            "poczt* pantoflow*",
            "z polecenia",
            "znajom*",
            "rekomendacj*",
            "szeptan*",
        ),
        generic(
            "ads",
            "reklam*",
            "ulotk*",
            "baner*",
            "banner*",
            "billboard*",
            "plakat*",
            "potykacz*",
            "kampani*",
            "sponsorowan*",
            "google ads",
            "ads",
            "adsy",
        ),
        generic("newsletter", "newsletter*", "mailing*"),
        generic("app", "aplikacj*", "apk*", "appk*", "app", "apce", "apke"),
        generic(
            "social_media",
            "social* media",
            "social*",
            "media spolecznosciow*",
            "sociali*",
            "socjal*",
            "social mediach",
        ),
    ]


@registry.misc("journey_rules.pl.v1")
def journey_rules_pl() -> Rules:
    """Channels from this module; sentiment lexicon and negators from
    nlp/lexicons/sentiment/pl.txt."""
    return rules_for("pl", pattern_channels())
