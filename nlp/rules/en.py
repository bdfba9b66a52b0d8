"""English rules: channels and sentiment lexicon."""

from __future__ import annotations

from spacy.util import registry

from nlp.rules.helpers import (
    Rules,
    brand,
    generic,
    rules_for,
)


def pattern_channels() -> list:
    """Generic channels and brands that English notes name."""
    return [
        brand("Royal Mail", "royal mail*"),
        brand("DPD", "dpd"),
        brand("UPS", "^^ups"),
        brand("DHL", "dhl*"),
        brand("FedEx", "fedex*"),
        brand("Evri", "evri*"),
        brand("Just Eat", "just eat*"),
        brand("Deliveroo", "deliveroo*"),
        brand("Mailchimp", "mailchimp*"),
        generic(
            "website",
            "website*",
            "web site*",
            "site",
            "sites",
            "webpage*",
            "web page*",
            "landing page*",
            "online store*",
            "online shop*",
            "our page",
            "homepage*",
            "home page*",
            "checkout page*",
            "product page*",
            "booking page*",
        ),
        generic(
            "phone",
            "phone",
            "phone call*",
            "phone number*",
            "phones us",
            "phoning",
            "by phone",
            "call*",
            "telephone*",
            "hotline*",
            "rang",
            "ring us",
            "phoned",
            "voicemail*",
        ),
        generic("email", "email*", "e-mail*", "mail", "inbox*", "emailed"),
        generic("sms", "sms*", "text message*", "texts", "texted", "text reminder*"),
        generic(
            "shop",
            "shop",
            "store",
            "in-store",
            "in store",
            "showroom*",
            "salon*",
            "at the counter",
            "behind the counter",
            "counter staff",
            "pharmacy counter*",
            "bakery counter*",
            "shop counter*",
            "at the till",
            "the till",
            "shop floor",
            "shopfront*",
            "shop window*",
            "shop's",
            "stores",
            "boutique*",
        ),
        generic("chat", "live chat*", "chat widget*", "web chat*", "online chat*", "chat window*",
                "the chat", "our chat", "in chat", "via chat", "by chat", "chatbot*",
                "support chat*", "chat support", "chat button*", "chat bubble*", "in-app chat*",
                "dm", "dms", "direct message*"),
        generic("courier", "courier*", "delivery driver*", "driver*", "parcel locker*"),
        generic(
            "word_of_mouth",
            "word of mouth",
            "word-of-mouth",
            "recommendation*",
            "referral*",
            "recommended by",
            "friend told",
            "friends told",
            "a friend recommended*",
            "told by a friend",
            "recommended us",
            "recommend us",
            "recommends us",
        ),
        generic(
            "ads",
            "ad",
            "ads",
            "advert*",
            "banner*",
            "billboard*",
            "flyer*",
            "leaflet*",
            "poster*",
            "sponsored",
            "promoted post*",
            "boosted post*",
            "google ads",
            "adwords",
            "radio spot*",
            "commercial*",
        ),
        generic("newsletter", "newsletter*", "mailing list*", "mailshot*"),
        generic("app", "app", "apps", "mobile app*"),
        generic("social_media", "social media", "socials", "social*", "social network*"),
    ]


@registry.misc("journey_rules.en.v1")
def journey_rules_en() -> Rules:
    """Channels from this module; sentiment lexicon and negators from
    nlp/lexicons/sentiment/en.txt."""
    return rules_for("en", pattern_channels())
