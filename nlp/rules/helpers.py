"""Small, documented helpers that turn readable rule data into patterns.

Channel variants use a tiny syntax, matched on folded text (see `bot.core.vocabulary.fold`):

* words are separated by spaces and match across spaces or hyphens ("google map*");
* a trailing `*` lets the word continue with any letters — inflection: "blik*" matches
  "BLIKiem", "telefon*" matches "telefonicznie", "нов* пошт*" matches "Новою Поштою";
* without `*` the word must end there: "ig" does not match "igła";
* case cues, for brand names that are also ordinary words: "^temu" matches only a word that
  starts with a capital in the note ("Temu", not "dwa dni temu"), "^^ig" only a word in
  capitals ("IG").

Sentiment entries (nlp/lexicons/sentiment/<lang>.txt, read by `sentiment_lexicon`) are word
stems with the same `*` convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.vocabulary import GENERIC_CHANNELS, fold


@dataclass(frozen=True)
class ChannelPattern:
    channel: str  # canonical brand spelling ("Nova Poshta") or a GENERIC_CHANNELS key
    variants: tuple[str, ...]
    generic: bool = False


@dataclass(frozen=True)
class Polarity:
    stem: str  # folded; trailing * = prefix
    value: float  # score when the word is not negated
    negated: float  # score when a negator precedes it
    needs_amount: bool = False  # counts only in a clause that says how long or how often


@dataclass(frozen=True)
class Rules:
    lang: str
    channels: tuple[ChannelPattern, ...]
    sentiment: tuple[Polarity, ...]
    negators: frozenset[str]
    emoji: tuple[Polarity, ...] = field(default=())
    amounts: frozenset[str] = frozenset()  # "hours", "godzin", "знову": how long, how often


def brand(name: str, *variants: str) -> ChannelPattern:
    """A named brand; without variants it matches its own name, inflected ("Allegro*")."""
    return ChannelPattern(name, tuple(variants) or (fold(name) + "*",))


def generic(key: str, *variants: str) -> ChannelPattern:
    """A generic channel; `key` must be one of GENERIC_CHANNELS."""
    if key not in GENERIC_CHANNELS:
        raise ValueError(f"generic channel {key!r} is not one of {GENERIC_CHANNELS}")
    if not variants:
        raise ValueError(f"generic({key!r}, ...) needs at least one variant")
    return ChannelPattern(key, tuple(variants), generic=True)


def variant_regex(variant: str) -> str:
    """The regular expression for one variant (see the module docstring)."""
    parts = []
    for word in fold(variant).split():
        star = word.endswith("*")
        word = word.rstrip("*")
        parts.append(re.escape(word.lstrip("^")) + (r"[\w'’]*" if star else ""))
    return r"(?<![\w])" + r"[\s\-]+".join(parts) + r"(?![\w])"


def positive(*stems: str, weight: float = 1.0) -> list[Polarity]:
    """Words that make a note positive; negated they turn negative ("not good")."""
    return [Polarity(fold(s), weight, -weight) for s in stems]


def negative(*stems: str, weight: float = 1.0) -> list[Polarity]:
    """Words that make a note negative; negated they become mildly positive ("no problem")."""
    return [Polarity(fold(s), -weight, 0.5 * weight) for s in stems]


def waits(*stems: str, weight: float = 1.0) -> list[Polarity]:
    """Words of waiting ("czekają", "чекають", "waiting"): negative only in a clause that says
    how long or how often ("czekał 25 min", "чакат от час", "waiting again"); without it they
    are what customers do ("чекають на знижки", "waiting for the sale") and count nothing;
    negated ("won't wait") they count nothing either."""
    return [Polarity(fold(s), -weight, 0.0, needs_amount=True) for s in stems]


def works(*stems: str) -> list[Polarity]:
    """Neutral verbs of things working ("działa", "працює", "answers"): negated, they are
    a failure ("nie działa", "не працює", "не работи", "not working")."""
    return [Polarity(fold(s), 0.1, -1.0) for s in stems]


def negators(*words: str) -> frozenset[str]:
    """Words that negate the next few words of the same clause."""
    return frozenset(fold(w) for w in words)


POSITIVE_EMOJI = "😍 🥰 😊 🙂 😀 😃 😄 😁 😆 ❤ ❤️ ♥ 💕 💖 💗 👍 🙏 🎉 🥳 🔥 ✨ ⭐ 🌟 👌 💪 😋 🤩 😘 👏 🙌 💯 🤗 ☺ ☺️ 😇 🫶 💐 🥹"  # noqa: E501
NEGATIVE_EMOJI = "😡 😠 🤬 😤 😞 😢 😭 😩 😫 😒 🙁 ☹ ☹️ 👎 💔 😱 😬 😕 🤯 😣 😖 😟 😰 😓 🤦 🙄 😑"


def emoji_polarity() -> tuple[Polarity, ...]:
    """Emoji as exact tokens: the same for every language."""
    pos = [Polarity(e, 0.8, -0.8) for e in POSITIVE_EMOJI.split()]
    neg = [Polarity(e, -0.8, -0.8) for e in NEGATIVE_EMOJI.split()]
    return tuple(pos + neg)


def common_brands() -> list[ChannelPattern]:
    """Brands written in Latin letters that appear in notes of every language.

    Longer names come first where one contains another (Google Maps before Google); the
    matcher also prefers the longest match at a position.
    """
    return [
        brand("Google Maps", "google map*", "mapy google*", "mapach google*", "mapie google*",
              "google мап*", "гугл мап*", "гугъл мап*", "google карт*", "гугъл карт*",
              "гугл карт*", "google maps*", "review* on google map*", "opini* na mapach google*",
              "opini* w google map*", "opini* na google map*", "відгук* на google map*",
              "відгук* в google map*", "відгук* у google map*", "отзив* в google map*",
              "отзив* в гугъл карт*", "отзив* в google карт*"),
        brand("Google Reviews", "google review*", "review* on google", "opini* w google*",
              "opini* na google*", "opini* google*", "recenzj* w google*", "відгук* в гугл*",
              "відгук* у гугл*", "відгук* на гугл*", "відгук* в google", "відгук* у google",
              "відгук* на google", "отзив* в google", "отзив* в гугъл*", "отзив* в гугл*",
              "отзив* на google", "ревю* в google"),
        brand("Google Pay", "google pay", "gpay"),
        brand("Apple Pay", "apple pay*", "applepay"),
        brand("Google", "google*", "gugl*", "гугл*", "гугъл*"),
        brand("Instagram", "instagram*", "insta", "instą", "insty", "instę", "inście", "ig",
              "инстаграм*", "інстаграм*", "інста", "інсті", "інсту", "інстою", "инста", "инсти"),
        brand("Facebook", "facebook*", "fb", "fejsbuk*", "fejs", "fejsie", "fejsa",
              "фейсбук*", "фб", "фейс", "фейса", "фейсу", "фейсі"),
        brand("TikTok", "tiktok*", "tik tok*", "тікток*", "тик ток*", "тикток*", "тік ток*"),
        brand("YouTube", "youtube*", "yt", "ютуб*", "ютюб*"),
        brand("Viber", "viber*", "вайбер*", "вайбър*", "вайбері"),
        brand("Telegram", "telegram*", "телеграм*", "телеграмі", "тг"),
        brand("WhatsApp", "whatsapp*", "whats app*", "whatsup", "вотсап*", "вацап*", "уатсап*",
              "ватсап*"),
        brand("Messenger", "messenger*", "messengerz*", "месенджер*", "месинджър*",
              "месенджър*"),
        brand("OLX", "olx*", "олх*", "олкс*"),
        brand("Booksy", "booksy*", "буксі"),
        # lowercase "booking" is the English word; pl, uk and bg add the forms they use
        brand("Booking.com", "booking.com", "^booking*", "букінг*", "букинг*"),
        brand("Etsy", "etsy*"),
        brand("Amazon", "amazon*", "амазон*"),
        brand("eBay", "ebay*"),
        brand("PayPal", "paypal*", "пейпал*", "пейпъл*"),
        brand("Stripe", "stripe", "^stripe*"),
        brand("Shopify", "shopify*"),
        brand("Trustpilot", "trustpilot*"),
        brand("Tripadvisor", "tripadvisor*", "trip advisor*"),
        brand("Yelp", "yelp*"),
        brand("Pinterest", "pinterest*"),
        brand("LinkedIn", "linkedin*", "linkedin'*"),
        brand("Glovo", "glovo*", "глово"),
        brand("Wolt", "wolt*"),
        brand("Uber Eats", "uber eats*", "ubereats"),
        brand("Bolt Food", "bolt food*"),
        brand("Revolut", "revolut*", "револют*"),
        brand("Vinted", "vinted*"),
        brand("Temu", "^temu"),
        brand("AliExpress", "aliexpress*", "али експрес*", "аліекспрес*"),
        brand("Zoom", "^zoom*", "zoom call*", "zoom meeting*", "zoom check*", "on zoom", "via zoom",
              "over zoom", "by zoom", "zoom дзвін*", "зум дзвін*",
              "zoom разговор*", "zoom обаждан*", "zooma", "zoomie", "zoomem", "zoomu", "зум*"),
        brand("Znanylekarz", "znanylekarz*", "znany lekarz*", "znanego lekarza", "znanym lekarzu"),
        brand("Klarna", "klarn*"),
        brand("Gmail", "gmail*"),
        brand("App Store", "app store*", "appstore"),
    ]


LEXICON_DIR = Path(__file__).parent.parent / "lexicons" / "sentiment"
_SECTIONS = {"negative": negative, "positive": positive, "waits": waits}


def sentiment_lexicon(lang: str) -> tuple[tuple[Polarity, ...], frozenset[str], frozenset[str]]:
    """(lexicon entries, negators, amount words) of nlp/lexicons/sentiment/<lang>.txt:
    `[section]` lines (`negators`, `amounts`, `negative W`, `positive W`, `waits W`, `works`;
    W the weight, default 1), then one stem per line; `#` starts a comment."""
    entries: list[Polarity] = []
    negator_words: list[str] = []
    amount_words: list[str] = []
    section, weight = None, 1.0
    for raw in (LEXICON_DIR / f"{lang}.txt").read_text(encoding="utf8").splitlines():
        line = _COMMENT.split(raw, maxsplit=1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section, _, given = line[1:-1].partition(" ")
            weight = float(given) if given else 1.0
            if section not in (*_SECTIONS, "works", "negators", "amounts"):
                raise ValueError(f"{lang}.txt: unknown section [{section}]")
        elif section == "negators":
            negator_words.append(line)
        elif section == "amounts":
            amount_words.append(fold(line))
        elif section == "works":
            entries += works(line)
        elif section in _SECTIONS:
            entries += _SECTIONS[section](line, weight=weight)
        else:
            raise ValueError(f"{lang}.txt: {line!r} comes before any [section]")
    return tuple(entries), negators(*negator_words), frozenset(amount_words)


_COMMENT = re.compile(r"(?:^|\s)#")


def rules_for(lang: str, channels: list[ChannelPattern]) -> Rules:
    """Bundles one language's channels with its sentiment lexicon, the shared brands and
    emoji."""
    sentiment, negator_words, amount_words = sentiment_lexicon(lang)
    return Rules(
        lang=lang,
        channels=tuple(channels) + tuple(common_brands()),
        sentiment=sentiment,
        negators=negator_words,
        emoji=emoji_polarity(),
        amounts=amount_words,
    )
