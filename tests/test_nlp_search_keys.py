"""The search keys of words are kept (nlp/search_keys.py): a kept key is the one the lemma
tables give, and a replaced model's tables are read again."""

from __future__ import annotations

from nlp.classify import forget_pipelines, model_dir
from nlp.search_keys import _word_keys, note_search_keys, word_search_keys


def test_a_kept_key_is_what_the_tables_give_in_any_case_of_the_word():
    computed = _word_keys.__wrapped__("tortów", str(model_dir()))
    assert "tort" in computed
    assert word_search_keys("tortów") == computed
    assert word_search_keys("TORTÓW") == computed  # kept once, lowercased
    assert note_search_keys("Tortów brak, кошика теж") == [*computed, *word_search_keys("brak"),
                                                         *word_search_keys("кошика"),
                                                         *word_search_keys("теж")]


def test_the_kept_keys_are_forgotten_with_the_models_they_came_from():
    word_search_keys("dostawą")
    assert _word_keys.cache_info().currsize > 0
    forget_pipelines(model_dir())  # a model replaced (training's candidates, tests)
    assert _word_keys.cache_info().currsize == 0
    assert "dostawa" in word_search_keys("dostawą")  # read again from the tables
