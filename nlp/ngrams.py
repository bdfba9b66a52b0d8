"""Character n-gram language scores for en/pl/uk/bg/ru: py3langid's model, the part we read.

`NgramModel.load()` reads nlp/model/langid.npz, which `python -m nlp.training.build_langid`
cuts out of py3langid's model (see that script): the byte automaton that finds the n-grams of
Latin and Cyrillic words, and the five languages' naive-Bayes weights. ~13 MiB in memory
instead of py3langid's ~41 MiB (its automaton covers every script's bytes, 37 MiB alone).

`probabilities(text)` scores a text as py3langid's `LanguageIdentifier(norm_probs=True)`
restricted to these languages does (`rank`): the same n-grams, weights and numbers, for text
made of the letters the model keeps (a–z, Latin-1 and Latin Extended-A letters, Cyrillic, the
space and apostrophes — what nlp/langid.py passes: a note's words). A byte outside them counts
as a space.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from pathlib import Path

import numpy as np

from bot.core.vocabulary import composed

MODEL_FILE = Path(__file__).resolve().parent / "model" / "langid.npz"


class NgramModel:
    """The compact automaton and weights of nlp/model/langid.npz."""

    __slots__ = ("byte_columns", "languages", "next_states", "priors", "row_start",
                 "state_ngram", "weights")

    def __init__(self, arrays) -> None:
        self.languages: tuple[str, ...] = tuple(arrays["languages"].tolist())
        self.byte_columns: bytes = arrays["byte_columns"].tobytes()  # a bytes.translate table
        columns = int(arrays["columns"])
        next_states = arrays["next_states"]
        self.next_states = memoryview(next_states).cast("B").cast(next_states.dtype.char)
        rows = arrays["state_rows"].astype(np.uint32) * columns
        self.row_start = array("I", rows.tobytes())  # state → its row's first next state
        self.state_ngram = array("i", arrays["state_ngram"].tobytes())  # state → n-gram or -1
        # float16 as built; numpy's product reads them as float32 either way, so the same
        # numbers, without converting on every note
        self.weights = arrays["ngram_weights"].astype(np.float32)
        self.priors = arrays["priors"]

    @classmethod
    def load(cls, path: str | Path = MODEL_FILE) -> NgramModel:
        with np.load(path, allow_pickle=False) as arrays:
            return cls(arrays)

    def ngram_counts(self, data: bytes) -> Counter[int]:
        """How often each n-gram occurs in `data` (UTF-8), first seen first."""
        next_states, row_start, state_ngram = self.next_states, self.row_start, self.state_ngram
        found = []
        state = 0
        for column in data.translate(self.byte_columns):
            state = next_states[row_start[state] + column]
            ngram = state_ngram[state]
            if ngram >= 0:
                found.append(ngram)
        return Counter(found)

    def probabilities(self, text: str) -> dict[str, float]:
        """Each language's probability for `text` (they sum to 1)."""
        if text.isupper():
            text = text.lower()
        data = composed(text).encode("utf8", errors="surrogatepass")
        counts = self.ngram_counts(data)
        if counts:
            ngrams = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            times = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            scores = np.log1p(times) @ self.weights[ngrams] + self.priors
            scores *= 1.0 / math.sqrt(len(data) or 1)  # py3langid's temperature
            np.exp(scores - scores.max(), out=scores)
            scores /= scores.sum()
        else:
            scores = np.full(len(self.languages), 1.0 / len(self.languages), dtype=np.float32)
        return dict(zip(self.languages, scores.tolist(), strict=True))
