"""Builds nlp/model/langid.npz, the language identifier's compact n-gram model, from py3langid's.

    python -m nlp.training.build_langid [--out nlp/model/langid.npz]

py3langid (Marco Lui's langid.py model) finds a text's byte n-grams with a deterministic
automaton over bytes: 104,583 states, each with a row of 256 next states (38,346 distinct rows
of 32-bit numbers: 37 MiB once loaded), and scores them with naive-Bayes weights for 97
languages. `nlp/ngrams.py` needs five of them (en, pl, uk, bg, ru) and only ever reads the
letters of Latin and Cyrillic words. This script keeps exactly that part of the model:

* the bytes of those words: a–z, A–Z, the space, the apostrophe, UTF-8's lead bytes of
  Latin-1/Latin Extended-A (0xC3–0xC5: ó ą ć ę ł ń ś ź ż), of Cyrillic (0xD0–0xD2: а…я, і ї є
  ґ ѝ), of ’ (0xE2) and ʼ (0xCA), and the continuation bytes 0x80–0xBF; bytes that act alike in
  every state share a column;
* the states reachable from the start by those bytes, with their rows restricted to those
  columns (distinct rows stored once);
* the weights of the five languages for the n-grams those states emit, as py3langid stores
  them (float16), and the five priors.

On any text made of those bytes, the automaton visits the same states and emits the same
n-grams as py3langid's, so the scores are the same numbers (tests/test_nlp_langid.py compares
them on every corpus note). Deterministic: the same py3langid model gives the same file; the
model's SHA-256 and py3langid's version are stored in it.
"""

from __future__ import annotations

import argparse
import hashlib
from importlib.metadata import version
from pathlib import Path

import numpy as np

LANGUAGES = ("en", "pl", "uk", "bg", "ru")
OUT = Path(__file__).resolve().parent.parent / "model" / "langid.npz"
SPACE = ord(" ")

_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ '"
ALPHABET = sorted(
    set(_LETTERS)
    | set(range(0xC2, 0xC6))  # ² µ º, ó, ą ć ę, ł ń ś ź ż
    | set(range(0xD0, 0xD3))  # Cyrillic U+0400–U+04BF
    | {0xE2, 0xCA}  # ’ (E2 80 99), ʼ (CA BC)
    | set(range(0x80, 0xC0))  # continuation bytes
)


def _reachable(nextmove: np.ndarray, row: np.ndarray, alphabet: list[int]) -> np.ndarray:
    """The states the automaton reaches from state 0 reading only bytes of `alphabet`,
    in increasing order."""
    seen = np.zeros(len(row), dtype=bool)
    seen[0] = True
    frontier = np.array([0])
    while len(frontier):
        following = np.unique(nextmove[row[frontier]][:, alphabet])
        following = following[~seen[following]]
        seen[following] = True
        frontier = following
    return np.flatnonzero(seen)


def build(model_file: Path | None = None) -> dict[str, np.ndarray]:
    """The arrays of the compact model (see the module docstring)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    model_file = Path(model_file or MODEL_DIR / MODEL_FILE)
    ptc, pc, classes, nextmove, row, output = load_model(model_file)
    nextmove = np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode)).reshape(-1, 256)
    row = np.frombuffer(row, dtype=np.dtype(row.typecode))
    output = np.asarray(output, dtype=np.int64)

    states = _reachable(nextmove, row, ALPHABET)
    # the reachable states' rows over the alphabet, states renumbered 0… in their old order
    # (state 0 stays 0)
    renumber = np.full(len(row), -1, dtype=np.int64)
    renumber[states] = np.arange(len(states))
    rows = renumber[nextmove[row[states]][:, ALPHABET]]
    assert (rows >= 0).all(), "a reachable state leads out of the reachable states"
    # bytes that act alike in every state share one column
    distinct_columns, column_of = np.unique(rows, axis=1, return_inverse=True)
    table = np.full(256, column_of[ALPHABET.index(SPACE)], dtype=np.uint8)
    table[ALPHABET] = column_of.ravel()
    distinct_rows, row_of_state = np.unique(distinct_columns, axis=0, return_inverse=True)

    # the n-grams the reachable states emit, renumbered 0… in their old order
    emitted = output[states]
    features = np.unique(emitted[emitted >= 0])
    feature_of = np.full(len(ptc), -1, dtype=np.int64)
    feature_of[features] = np.arange(len(features))
    # the five languages' columns in py3langid's order (bg, en, pl, ru, uk), as its
    # `set_languages` keeps them: the product then adds the same numbers in the same order
    columns = [i for i, lang in enumerate(classes) if lang in LANGUAGES]

    state_dtype = np.uint16 if len(states) < 1 << 16 else np.uint32
    return {
        "languages": np.array([classes[i] for i in columns]),
        "byte_columns": table,
        "next_states": distinct_rows.astype(state_dtype).ravel(),
        "columns": np.array(distinct_rows.shape[1], dtype=np.int32),
        "state_rows": row_of_state.ravel().astype(np.uint16 if len(distinct_rows) < 1 << 16
                                                  else np.uint32),
        "state_ngram": np.where(emitted >= 0, feature_of[np.maximum(emitted, 0)], -1
                                ).astype(np.int32),
        "ngram_weights": np.ascontiguousarray(ptc[features][:, columns]),
        "priors": np.asarray(pc[columns], dtype=np.float32),
        "source": np.array(f"py3langid {version('py3langid')} "
                           f"{model_file.name} sha256:{_sha256(model_file)}"),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    arrays = build()
    np.savez_compressed(args.out, **arrays)
    print(f"{args.out}: {len(arrays['state_rows']):,} states, "
          f"{len(arrays['next_states']) // int(arrays['columns']):,} distinct rows of "
          f"{int(arrays['columns'])} columns, {len(arrays['ngram_weights']):,} n-grams; "
          f"{args.out.stat().st_size / 1e6:.1f} MB; from {arrays['source']}")


if __name__ == "__main__":
    main()
