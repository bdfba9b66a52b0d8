"""The classifier's memory: bounded memos, notes classified in spaCy memory zones, compact
lemma tables and feature indexes, the language identifier without unused weights."""

from __future__ import annotations

import random

import numpy
import pytest
import spacy

import nlp.classify as nlp_classify
from nlp.classify import classify, classify_many, get_pipeline, model_dir, signature
from nlp.components.lemmatizer import JourneyLemmatizer, LemmaTable
from nlp.features import FeatureIndex
from nlp.memos import Memo
from nlp.pipeline import MODEL_DIR

needs_model = pytest.mark.skipif(
    not (MODEL_DIR / "pl" / "config.cfg").exists(), reason="no trained model in nlp/model"
)


def test_a_memo_keeps_at_most_two_generations_and_what_is_used():
    memo = Memo(3)
    for word in "abc":
        memo.put(word, word.upper())
    memo.put("d", "D")  # a, b, c become the older generation
    assert memo.get("a") == "A"  # used again: back in the recent one
    for word in "efg":
        memo.put(word, word.upper())
    assert len(memo) <= 6
    assert "a" in memo and "b" not in memo and memo.get("b") is None
    assert memo.get("zz", "default") == "default"
    memo.put("n", None)
    assert memo.get("n", "missing") is None  # a memoised None is a value
    memo.discard("n")
    assert "n" not in memo
    with pytest.raises(ValueError, match="Memo"):
        Memo(0)


def test_a_feature_index_finds_the_rows_of_sorted_keys():
    keys = numpy.asarray([3, 10, 2**63 + 5, 2**64 - 1], dtype="uint64")
    rows, found = FeatureIndex(keys).rows([10, 4, 2**64 - 1, 2**63 + 5, 0])
    assert [row for row, ok in zip(rows, found, strict=True) if ok] == [1, 3, 2]
    assert found == [True, False, True, True, False]
    assert FeatureIndex(numpy.zeros(0, dtype="uint64")).rows([1])[1] == [False]
    with pytest.raises(ValueError, match="sorted"):
        FeatureIndex(numpy.asarray([5, 3], dtype="uint64"))


def test_a_lemma_table_is_a_read_only_mapping():
    table = LemmaTable({"płatności": "płatność", "koszyka": "koszyk"}.items())
    assert table == {"płatności": "płatność", "koszyka": "koszyk"}
    assert table.get("koszyka") == "koszyk" and table.get("koszyk") is None
    assert table["płatności"] == "płatność" and len(table) == 2
    with pytest.raises(KeyError):
        table["koszyk"]
    assert table.lemmas() == {"płatność", "koszyk"}


def test_the_lemmatizer_saves_what_it_loaded_byte_for_byte():
    shipped = (MODEL_DIR / "pl" / "journey_lemmatizer" / "lemmas.tsv.gz").read_bytes()
    lemmatizer = JourneyLemmatizer(spacy.blank("pl").vocab, "lemmatizer", lang="pl")
    lemmatizer.from_bytes(shipped)
    assert lemmatizer.to_bytes() == shipped
    assert lemmatizer.lemma("platnosci") == "płatność"


def new_words(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9)) for _ in range(count)]


def vocabulary_limit(lang: str) -> tuple[str, str]:
    return (lang, str(model_dir()))


@needs_model
def test_the_vocabulary_keeps_new_words_up_to_its_limit_and_then_none(monkeypatch):
    """A pipeline keeps the first VOCABULARY_GROWTH strings of new words (fast: the words a
    bot meets first are its teams' words); past that, notes are classified inside spaCy's
    memory zone and leave no string and no lexeme behind."""
    nlp = get_pipeline("pl")
    classify("kurier spóźnił się dwa dni", "pl")
    strings = len(nlp.vocab.strings)
    monkeypatch.setitem(nlp_classify._vocabulary_limits, vocabulary_limit("pl"), strings + 10)
    words = new_words(60)
    for start in range(0, 60, 6):
        classify("kurier " + " ".join(words[start:start + 6]) + " spóźnił się", "pl")
    assert strings + 10 <= len(nlp.vocab.strings) <= strings + 10 + 6 * 2
    assert words[0] in nlp.vocab.strings and words[0] in nlp.vocab  # kept for good
    full = len(nlp.vocab.strings)
    later = new_words(60, seed=4)
    for start in range(0, 60, 6):
        classify("kurier " + " ".join(later[start:start + 6]) + " spóźnił się", "pl")
    classify_many([f"Płatność {word} nie przeszła" for word in later], lang="pl")
    signature(" ".join(later), "pl")
    assert len(nlp.vocab.strings) == full
    # (len(nlp.vocab) counts lexemes ever made: spaCy 3.8 does not subtract freed ones)
    assert not any(word in nlp.vocab or word in nlp.vocab.strings for word in later)


@needs_model
def test_memos_filled_in_a_zone_serve_docs_made_outside_one(monkeypatch):
    """A word first lemmatized inside a memory zone is read back outside one (a doc made
    directly with the pipeline): its lemma and NORM strings are there (spaCy's E018 before)."""
    monkeypatch.setitem(nlp_classify._vocabulary_limits, vocabulary_limit("pl"), 0)
    word = new_words(1, seed=11)[0]
    first = classify(f"Płatności {word} nie przeszły", "pl")
    doc = get_pipeline("pl")(f"Płatności {word} nie przeszły")
    assert [token.norm_ for token in doc[:2]] == ["platnosc", word]
    assert doc[0].lemma_ == "płatność"
    assert classify(f"Płatności {word} nie przeszły", "pl") == first


@needs_model
@pytest.mark.parametrize("limit", [0, None], ids=["in memory zones", "vocabulary kept"])
def test_the_same_note_gets_the_same_answer_in_any_order(monkeypatch, limit):
    for lang in ("en", "pl", "uk", "bg"):
        if limit is not None:
            monkeypatch.setitem(nlp_classify._vocabulary_limits, vocabulary_limit(lang), limit)
    notes = ["Kurier spóźnił się dwa dni", "Доставката закъсня с три дни",
             "Loved the free samples in the parcel", "Не зміг знайти таблицю розмірів"]
    noisy = [f"{note} {word}" for note, word in zip(notes, new_words(4, seed=5), strict=True)]
    alone = [classify(text) for text in noisy]
    for text in new_words(200, seed=7):  # other words come and go in the memos meanwhile
        classify(f"klient {text}", "pl")
    assert classify_many(list(reversed(noisy))) == list(reversed(alone))
