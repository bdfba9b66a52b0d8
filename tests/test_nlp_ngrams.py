"""The language identifier's compact n-gram model (nlp/ngrams.py, nlp/model/langid.npz): the
same scores as py3langid's, the same language for every corpus note, a third of the memory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.langid import _WORD, IDENTIFIER_LANGUAGES, _script, detect_language, load_identifier
from nlp.ngrams import MODEL_FILE, NgramModel
from nlp.pipeline import DATA_DIR

SPLITS = ("train", "dev", "test")  # never the blind splits


def corpus_notes() -> list[tuple[str, str]]:
    """(text, language) of every note of the train, dev and test splits."""
    notes = []
    for split in SPLITS:
        for file in sorted((Path(DATA_DIR) / split).glob("*.jsonl")):
            for line in file.read_text(encoding="utf8").splitlines():
                if line.strip():
                    note = json.loads(line)
                    notes.append((note["text"], note.get("lang", file.stem)))
    return notes


def words_scored(text: str) -> str:
    """What detect_language gives the n-gram model: the words of the note's script."""
    return " ".join(_script(_WORD.findall(text))[1])


def py3langid_restricted():
    from py3langid.langid import MODEL_FILE as PY3LANGID_MODEL
    from py3langid.langid import LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(PY3LANGID_MODEL, norm_probs=True)
    identifier.set_languages(list(IDENTIFIER_LANGUAGES))
    return identifier


def test_scores_are_py3langids_for_every_corpus_note():
    reference = py3langid_restricted()
    model = load_identifier()
    notes = corpus_notes()
    assert len(notes) > 10_000
    scored = [words_scored(text) for text, _ in notes]
    different = [text for text in scored
                 if model.probabilities(text) != dict(reference.rank(text))]
    assert different == []
    for text in ("hello there friends", "Kurier spóźnił się", "Доставката закъсня", "x", "",
                 "Не зміг знайти таблицю", "что это такое", "HELLO THERE", "площа м²"):
        assert model.probabilities(text) == dict(reference.rank(text))


def detection_accuracy() -> dict[str, float]:
    """Share of each language's corpus notes detected as that language, with no chat language
    to fall back on."""
    right: dict[str, list[int]] = {}
    for text, lang in corpus_notes():
        counts = right.setdefault(lang, [0, 0])
        counts[0] += detect_language(text).lang == lang
        counts[1] += 1
    return {lang: good / total for lang, (good, total) in right.items()}


class Py3langidScores:
    """py3langid's own model behind the compact model's interface."""

    def __init__(self):
        self.reference = py3langid_restricted()

    def probabilities(self, text: str) -> dict[str, float]:
        return dict(self.reference.rank(text))


def test_every_language_is_detected_at_least_as_well_as_with_py3langid(monkeypatch):
    """Measured on the corpus as it is now (train grows every round): detect_language with the
    compact model against detect_language with py3langid's own model."""
    with_compact_model = detection_accuracy()
    monkeypatch.setattr("nlp.langid._ngram_model", Py3langidScores())
    with_py3langid = detection_accuracy()
    assert with_compact_model.keys() == set(IDENTIFIER_LANGUAGES) - {"ru"}
    for lang, before in with_py3langid.items():
        assert with_compact_model[lang] >= before, (lang, with_compact_model[lang], before)
    assert min(with_compact_model.values()) > 0.95


def test_bytes_outside_the_model_count_as_spaces():
    """Digits and punctuation (never passed by detect_language, which scores words) and the
    lead bytes of other scripts are read as spaces."""
    model = load_identifier()
    assert model.probabilities("2024!?") == model.probabilities(" " * 6)
    assert model.probabilities("dostawa 24/7") == model.probabilities("dostawa     ")
    assert model.probabilities("") == pytest.approx(dict.fromkeys(model.languages, 0.2))
    scores = model.probabilities("klienci pytają o dostawę")
    assert max(scores, key=scores.get) == "pl"
    assert sum(scores.values()) == pytest.approx(1.0)


def test_the_shipped_model_is_what_the_script_builds():
    from nlp.training.build_langid import LANGUAGES, build

    assert set(LANGUAGES) == set(IDENTIFIER_LANGUAGES)
    built = build()
    with np.load(MODEL_FILE, allow_pickle=False) as shipped:
        assert sorted(shipped.files) == sorted(built)
        for name, array in built.items():
            assert shipped[name].dtype == array.dtype, name
            assert np.array_equal(shipped[name], array), name


def test_the_model_holds_a_fraction_of_py3langids_memory():
    model = NgramModel.load()
    held = model.next_states.nbytes + model.weights.nbytes + model.row_start.itemsize * (
        len(model.row_start) + len(model.state_ngram))
    reference = py3langid_restricted()
    theirs = reference.tk_nextmove.itemsize * len(reference.tk_nextmove)
    assert held < 16 * 2**20 < theirs
