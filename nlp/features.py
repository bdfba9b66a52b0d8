"""`journeybot.FeatureBOW.v1`: a bag-of-features linear classifier for short, typo-ridden notes.

Features of a note (all strings hashed with spaCy's 64-bit murmurhash):

* `w:` the token's NORM — the folded lemma set by `journey_lemmatizer` ("platnosc");
* `f:` the folded surface form when it differs from the lemma;
* `p:` the first `prefix_length` letters of the folded form (a crude stem for inflections);
* `c:` character n-grams (`char_ngrams` = [min, max]) of "<form>", weighted `char_weight`:
  they survive typos, missing diacritics and unseen inflections;
* `b:` NORM bigrams (up to `ngram_size`);
* rule features (`rule_features`): each channel found (`ch:BLIK`, `cht:generic`), the
  sentiment bucket (`s:neg`), whether a negation flipped a word (`neg`), note length.

Only features seen in at least `min_count` training notes get a weight (the index is built by
`journey_textcat.initialize`), so the model stores one row per known feature — no hash table
full of zeros. Each note's feature vector is L2-normalised; during training a random
`feature_dropout` share of a note's features is dropped. Output: softmax over the labels.
"""

from __future__ import annotations

from collections import Counter

import numpy
from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_NUM, NORM, ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model

from nlp.text import fold

_RUNTIME: dict[int, dict] = {}  # model.id → {"keys": array, "index": dict, "tokens": dict}


@registry.architectures("journeybot.FeatureBOW.v1")
def build_feature_bow(
    ngram_size: int = 2,
    char_ngrams: list[int] = (3, 5),  # type: ignore[assignment]
    char_weight: float = 0.5,
    prefix_length: int = 5,
    rule_features: bool = True,
    min_count: int = 1,
    feature_dropout: float = 0.1,
    nO: int | None = None,
) -> Model[list[Doc], numpy.ndarray]:
    if len(char_ngrams) != 2 or char_ngrams[0] > char_ngrams[1]:
        raise ValueError("journeybot.FeatureBOW.v1: char_ngrams must be [min, max], e.g. [3, 5]")
    cfg = {
        "ngram_size": int(ngram_size),
        "char_min": int(char_ngrams[0]),
        "char_max": int(char_ngrams[1]),
        "char_weight": float(char_weight),
        "prefix_length": int(prefix_length),
        "rule_features": bool(rule_features),
        "min_count": int(min_count),
        "feature_dropout": float(feature_dropout),
    }
    return Model(
        "journey_feature_bow",
        forward,
        init=init,
        dims={"nO": nO, "nF": None},
        params={"W": None, "b": None},
        attrs={"cfg": cfg, "keys": numpy.zeros((0,), dtype="uint64"), "multi_label": False},
    )


# ---------------------------------------------------------------------------- features


def _token_features(cfg: dict, form: str, norm: str, punct: bool, number: bool, alpha: bool
                    ) -> list[tuple[int, float]]:
    """Hashed features of one token: `form` is its lowercased text, `norm` its NORM."""
    if punct:
        return [(hash_string("w:" + form), 1.0)] if form in ("?", "!") else []
    if number:
        return [(hash_string("w:<num>"), 1.0)]
    form = fold(form)
    feats = [(hash_string("w:" + norm), 1.0)]
    if form != norm:
        feats.append((hash_string("f:" + form), 1.0))
    plen = cfg["prefix_length"]
    if plen and len(form) > plen + 1:
        feats.append((hash_string("p:" + form[:plen]), 1.0))
    weight = cfg["char_weight"]
    if weight > 0 and alpha:
        padded = f"<{form}>"
        for n in range(cfg["char_min"], cfg["char_max"] + 1):
            for i in range(len(padded) - n + 1):
                feats.append((hash_string("c:" + padded[i : i + n]), weight))
    return feats


_ATTRS = [ORTH, NORM, IS_PUNCT, IS_SPACE, LIKE_NUM, IS_ALPHA]
# where spaCy keeps doc._.journey_sentiment / doc._.journey_negated (read directly: faster)
_SENTIMENT = ("._.", "journey_sentiment", None, None)
_NEGATED = ("._.", "journey_negated", None, None)
_SHARED = "journey_features"  # doc.user_data key: rows computed by the first textcat


def _doc_hashes(cfg: dict, doc: Doc, token_cache: dict, index: dict | None):
    """(features, weights) list pairs of a doc: cached token features, then bigrams and rule
    features. With `index`, features are already mapped to rows and unknown ones dropped."""
    strings = doc.vocab.strings
    parts: list = []
    norms: list[str] = []
    for orth, norm, punct, space, number, alpha in doc.to_array(_ATTRS).tolist():
        if space:
            continue
        key = (orth, norm)
        tf = token_cache.get(key)
        if tf is None:
            feats = _token_features(cfg, strings[orth].lower(), strings[norm], bool(punct),
                                    bool(number), bool(alpha))
            if index is not None:
                feats = [(index[h], w) for h, w in feats if h in index]
            tf = token_cache[key] = ([f for f, _ in feats], [w for _, w in feats])
        parts.append(tf)
        if not punct:
            norms.append(strings[norm])
    extra = []
    for n in range(2, cfg["ngram_size"] + 1):
        for i in range(len(norms) - n + 1):
            extra.append((hash_string("b:" + " ".join(norms[i : i + n])), 1.0))
    if cfg["rule_features"]:
        seen = set()
        for span in doc.spans.get("channels", []):
            label = span.label_
            if label in seen:
                continue
            seen.add(label)
            extra.append((hash_string("ch:" + label), 1.0))
            extra.append((hash_string("cht:" + ("generic" if label.islower() else "brand")), 1.0))
        sentiment = doc.user_data.get(_SENTIMENT, 0.0)
        bucket = (
            "neg2" if sentiment <= -0.5 else "neg" if sentiment < -0.05
            else "pos2" if sentiment >= 0.5 else "pos" if sentiment > 0.05 else "zero"
        )  # fmt: skip
        extra.append((hash_string("s:" + bucket), 1.0))
        if doc.user_data.get(_NEGATED, 0):
            extra.append((hash_string("neg"), 1.0))
        extra.append((hash_string(f"len:{min(len(norms) // 4, 6)}"), 1.0))
    if index is not None:
        extra = [(index[h], w) for h, w in extra if h in index]
    parts.append(([f for f, _ in extra], [w for _, w in extra]))
    return parts


def _runtime(model: Model) -> dict:
    state = _RUNTIME.get(model.id)
    keys = model.attrs["keys"]
    if state is None or state["keys"] is not keys:
        state = {
            "keys": keys,
            "fingerprint": (hash(keys.tobytes()), tuple(sorted(model.attrs["cfg"].items()))),
            "index": {k: i for i, k in enumerate(keys.tolist())},
            "tokens": {},
        }
        _RUNTIME[model.id] = state
    if len(state["tokens"]) > 200_000:
        state["tokens"].clear()
    return state


def featurize(model: Model, docs: list[Doc], dropout: float = 0.0):
    """(feature rows, values, doc of each row) for a batch, L2-normalised per doc.

    A feature that occurs twice in a note appears as two rows (the linear layer sums them)."""
    cfg = model.attrs["cfg"]
    state = _runtime(model)
    index = state["index"]
    tokens = state["tokens"]
    rows: list[int] = []
    vals: list[float] = []
    lengths: list[int] = []
    fingerprint = state["fingerprint"]
    for doc in docs:
        before = len(rows)
        shared = doc.user_data.get(_SHARED) if not dropout else None
        if shared is not None and shared[0] == fingerprint:
            rows.extend(shared[1])
            vals.extend(shared[2])
        else:
            for part_rows, part_vals in _doc_hashes(cfg, doc, tokens, index):
                rows.extend(part_rows)
                vals.extend(part_vals)
            if not dropout:
                # textcat_kind has the same features and index as textcat_stage: reuse them
                doc.user_data[_SHARED] = (fingerprint, rows[before:], vals[before:])
        lengths.append(len(rows) - before)
    rows_a = numpy.asarray(rows, dtype="int64")
    vals_a = numpy.asarray(vals, dtype="float32")
    segs = numpy.repeat(numpy.arange(len(docs), dtype="int64"), lengths)
    if dropout > 0 and len(rows_a):
        keep = numpy.random.random(len(rows_a)) >= dropout
        rows_a, vals_a, segs = rows_a[keep], vals_a[keep], segs[keep]
    if len(rows_a):
        sumsq = numpy.bincount(segs, weights=vals_a * vals_a, minlength=len(docs))
        scale = 1.0 / numpy.sqrt(numpy.maximum(sumsq, 1e-12))
        vals_a = (vals_a * scale[segs]).astype("float32")
    return rows_a, vals_a, segs


def build_index(model: Model, docs: list[Doc]) -> int:
    """Keeps the features found in at least `min_count` of `docs`; returns their number."""
    cfg = model.attrs["cfg"]
    counts: Counter = Counter()
    cache: dict = {}
    for doc in docs:
        counts.update({h for hashes, _ in _doc_hashes(cfg, doc, cache, None) for h in hashes})
    kept = sorted(h for h, c in counts.items() if c >= cfg["min_count"])
    model.attrs["keys"] = numpy.asarray(kept, dtype="uint64")
    model.set_dim("nF", max(len(kept), 1), force=True)
    return len(kept)


# ---------------------------------------------------------------------------- model


def init(model: Model, X=None, Y=None) -> None:
    if Y is not None and (not model.has_dim("nO") or model.get_dim("nO") is None):
        model.set_dim("nO", Y.shape[1])
    n_features = max(len(model.attrs["keys"]), 1)
    model.set_dim("nF", n_features, force=True)
    n_out = model.get_dim("nO")
    model.set_param("W", numpy.zeros((n_features, n_out), dtype="float32"))
    model.set_param("b", numpy.zeros((n_out,), dtype="float32"))


def forward(model: Model, docs: list[Doc], is_train: bool):
    W = model.get_param("W")
    b = model.get_param("b")
    dropout = model.attrs["cfg"]["feature_dropout"] if is_train else 0.0
    rows, vals, segs = featurize(model, docs, dropout)
    n_docs, n_out = len(docs), W.shape[1]
    logits = numpy.zeros((n_docs, n_out), dtype="float32")
    if len(rows):
        contrib = W[rows] * vals[:, None]
        for j in range(n_out):
            logits[:, j] = numpy.bincount(segs, weights=contrib[:, j], minlength=n_docs)
    logits += b
    logits -= logits.max(axis=1, keepdims=True)
    Y = numpy.exp(logits)
    Y /= Y.sum(axis=1, keepdims=True)

    def backprop(dY):
        # dY = p − y from journey_textcat.get_loss: the gradient of softmax + cross-entropy
        # with respect to the logits.
        dW = numpy.zeros_like(W)
        if len(rows):
            grad_rows = dY[segs] * vals[:, None]
            for j in range(n_out):
                dW[:, j] = numpy.bincount(rows, weights=grad_rows[:, j], minlength=W.shape[0])
        model.inc_grad("W", dW)
        model.inc_grad("b", dY.sum(axis=0).astype("float32"))
        return []

    return Y, backprop
