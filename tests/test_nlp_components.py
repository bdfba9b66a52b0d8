"""nlp/components/ and the data files they read: one component per module, sentiment lexicons
as text files, star ratings, and feature memos owned by each model."""

from __future__ import annotations

import shutil

import pytest

from nlp.components.sentiment import star_rating
from nlp.pipeline import MODEL_DIR, load_pipeline
from nlp.rules import helpers
from nlp.rules.helpers import sentiment_lexicon


def test_each_lexicon_file_reads_with_its_sections():
    for lang in ("en", "pl", "uk", "bg"):
        entries, negators, amounts = sentiment_lexicon(lang)
        assert len(entries) > 200 and negators and amounts
        assert all(-2.0 <= e.value <= 2.0 for e in entries)
    entries, negators, amounts = sentiment_lexicon("pl")
    assert "nie" in negators and "zaden" in negators and {"godzin*", "znowu"} <= amounts
    by_stem = {e.stem: e for e in entries}
    assert by_stem["zawiesza*"].value < 0  # "zawiesza*  # a comment" after the stem
    assert by_stem["dopiero"].value == pytest.approx(-0.4)  # [negative 0.4]
    assert by_stem["chwal*"].value > 0


def test_a_broken_lexicon_file_says_where(tmp_path, monkeypatch):
    monkeypatch.setattr(helpers, "LEXICON_DIR", tmp_path)
    (tmp_path / "xx.txt").write_text("# only a comment\nbad\n", encoding="utf8")
    with pytest.raises(ValueError, match="comes before any"):
        sentiment_lexicon("xx")
    (tmp_path / "xx.txt").write_text("[neutral]\nmeh\n", encoding="utf8")
    with pytest.raises(ValueError, match="unknown section"):
        sentiment_lexicon("xx")


def test_star_ratings_colour_a_review():
    assert star_rating("ocena 2/5 z Pyszne") < 0 < star_rating("5 stars on Google")
    assert star_rating("5 зірок у Google") == star_rating("5 звезди в Google") > 0
    assert star_rating("1 gwiazdka, nigdy więcej") < star_rating("2/5")
    assert star_rating("3/5") == 0.0
    assert star_rating("12/5/2024 delivery") == 0.0  # a date, not a rating
    assert star_rating("no rating here") == 0.0


@pytest.mark.skipif(not (MODEL_DIR / "en" / "config.cfg").exists(), reason="no trained model")
def test_two_copies_of_a_pipeline_keep_their_own_memos(tmp_path):
    """Each model owns its features' memo (no module-level cache matched by object identity):
    two pipelines, used in turn, give each the answers it gives alone."""
    shutil.copytree(MODEL_DIR / "en", tmp_path / "en")
    first, second = load_pipeline("en"), load_pipeline("en", tmp_path)
    texts = ["checkout keeps failing when they pay by card", "most people find us on Instagram"]
    alone = [dict(first(text).cats) for text in texts]
    mixed = []
    for text in texts:
        mixed.append(dict(first(text).cats))
        assert dict(second(text).cats) == mixed[-1]
    assert mixed == alone
