"""Search keys: the words of a note as the folded lemmas the classifier sees.

A note is indexed under the lemma of each of its words, looked up in the same form → lemma
tables the classifier's `journey_lemmatizer` uses ("tortów", "tortem", "torty", "tortow" →
"tort"; "кошика" → "кошик"), then folded with `bot.core.vocabulary.fold`. Each word is looked
up in the tables of both languages of its script (Latin: en, pl; Cyrillic: uk, bg), for notes
and searched words alike, so a note stored under the other language of its script, or a Polish
word in an English note, is still found. Words no table knows are keys as they are, folded.

Keys hold only letters and digits (an apostrophe inside a word is dropped: "з'явився" →
"зявився"), so the search index splits them exactly as they are written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.vocabulary import fold

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SCRIPT_LANGUAGES = {"latin": ("en", "pl"), "cyrillic": ("uk", "bg")}
# Words whose keys are kept (per model folder): a team's words repeat, so most lookups are
# hits — 0.15 → 0.05 ms CPU a note over the 16,000 notes of nlp/data (train + dev), < 3 MiB.
WORD_KEYS_KEPT = 8192


def words(text: str) -> list[str]:
    """The words of `text`, lowercased ("Kurier, з'явився!" → ["kurier", "з'явився"])."""
    return _WORD.findall(text.lower())


def note_search_keys(text: str) -> list[str]:
    """The search keys of a note: for each word, its lemma in each language of its script
    (a note's language is not always what it was detected as), and the word itself if no
    table knows it."""
    keys: list[str] = []
    for word in words(text):
        keys.extend(word_search_keys(word))
    return keys


def word_search_keys(word: str) -> tuple[str, ...]:
    """The keys of one word: its lemma in each language of its script ("tortów" → "tort"),
    folded; the word itself, folded, when no table knows it."""
    from nlp.classify import model_dir

    return _word_keys(word.lower(), str(model_dir()))


@lru_cache(maxsize=WORD_KEYS_KEPT)
def _word_keys(word: str, models: str) -> tuple[str, ...]:
    """`word_search_keys` of a lowercased word with the tables of the models in `models`
    (`forget_word_keys` when a model there is replaced)."""
    script = "cyrillic" if _CYRILLIC.search(word) else "latin"
    return tuple(dict.fromkeys(
        _key(_lemmatizer(lang).lemma(word)) for lang in _SCRIPT_LANGUAGES[script]
    ))


def forget_word_keys() -> None:
    """Forget the kept keys (the models, and so their lemma tables, were replaced)."""
    _word_keys.cache_clear()


def _key(lemma: str) -> str:
    return _APOSTROPHES.sub("", fold(lemma))


def _lemmatizer(lang: str):
    from nlp.classify import get_pipeline

    return get_pipeline(lang).get_pipe("journey_lemmatizer")
