import pytest

from bot.core.journey import (
    chunk_lines,
    clean_text,
    language_from_code,
    moved,
    require_words,
    split_items,
)
from bot.core.model import MAX_NOTE_LENGTH, EmptyText, NoWords, TextTooLong


def test_language_from_telegram_code():
    assert language_from_code("pl-PL") == "pl"
    assert language_from_code("uk") == "uk"
    assert language_from_code("bg") == "bg"
    assert language_from_code("de") == "en"
    assert language_from_code(None) == "en"


def test_clean_text_keeps_emoji_and_lines_drops_control_and_zero_width():
    assert clean_text("  hello\u200b \x00world 😍 \n\n second  ") == "hello world 😍\nsecond"


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200d", "\n\t\n", None])
def test_clean_text_refuses_empty(text):
    with pytest.raises(EmptyText):
        clean_text(text)


def test_clean_text_refuses_too_long_and_says_the_limit():
    with pytest.raises(TextTooLong) as raised:
        clean_text("x" * (MAX_NOTE_LENGTH + 1))
    assert raised.value.details == {"limit": MAX_NOTE_LENGTH, "length": MAX_NOTE_LENGTH + 1}


def test_split_items_on_lines_bullets_semicolons():
    text = "- Instagram\n• friends' recommendations; the shop window\n1. Google Maps"
    assert split_items(text) == [
        "Instagram",
        "friends' recommendations",
        "the shop window",
        "Google Maps",
    ]


def test_split_items_splits_short_lists_on_commas_and_local_and():
    assert split_items("Instagram, Facebook and TikTok") == ["Instagram", "Facebook", "TikTok"]
    assert split_items("Instagram, Facebook i OLX", "pl") == ["Instagram", "Facebook", "OLX"]
    assert split_items("Viber та Telegram", "uk") == ["Viber", "Telegram"]
    assert split_items("Еконт и Спиди", "bg") == ["Еконт", "Спиди"]


def test_split_items_keeps_a_sentence_whole():
    sentence = "when the card payment fails at checkout, most people just leave the site"
    assert split_items(sentence) == [sentence]


def test_moved_clamps_to_the_list():
    assert moved(["a", "b", "c"], 0, 1) == ["b", "a", "c"]
    assert moved(["a", "b", "c"], 2, -5) == ["c", "a", "b"]
    assert moved(["a", "b", "c"], 1, 10) == ["a", "c", "b"]


def test_chunk_lines_never_splits_a_block_and_respects_the_limit():
    blocks = [f"note {i} " + "x" * 50 for i in range(200)]
    messages = chunk_lines(blocks, limit=500)
    assert all(len(m) <= 500 for m in messages)
    assert "\n".join(messages).split("\n") == blocks


def test_chunk_lines_splits_a_giant_block_hard():
    messages = chunk_lines(["y" * 1200], limit=500)
    assert [len(m) for m in messages] == [500, 500, 200]


def test_clean_text_replaces_lone_surrogates_so_the_text_can_be_encoded():
    """Undecodable bytes read with surrogateescape (b"\\xff" → "\\udcff") are not text."""
    cleaned = clean_text("klienci \udcff\udcfe placa")
    assert cleaned == "klienci \ufffd\ufffd placa"
    cleaned.encode("utf-8")  # no UnicodeEncodeError


@pytest.mark.parametrize("text", ["🦷", "👍 👍", "!!! ???", "🦷\n—"])
def test_emoji_or_signs_alone_are_not_words(text):
    with pytest.raises(NoWords):
        require_words(text)


@pytest.mark.parametrize("text", ["🦷 boli ząb", "5", "ОК"])
def test_a_letter_or_digit_is_enough(text):
    assert require_words(text) == text
