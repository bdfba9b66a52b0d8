"""`journeybot.FeatureBOW.v1`: a bag-of-features linear classifier for short, typo-ridden notes.

Features of a note (all strings hashed with spaCy's 64-bit murmurhash):

* `w:` the token's NORM — the folded lemma set by `journey_lemmatizer` ("platnosc");
* `f:` the folded surface form when it differs from the lemma;
* `p:` the first `prefix_length` letters of the folded form (a crude stem for inflections);
* `c:` character n-grams (`char_ngrams` = [min, max]) of "<form>", weighted `char_weight`:
  they survive typos, missing diacritics and unseen inflections;
* `b:` NORM bigrams (up to `ngram_size`);
* rule features (`rule_features`, weighted `rule_weight`): each channel found (`ch:BLIK`,
  `cht:generic`), the sentiment bucket (`s:neg`), whether a negation flipped a word (`neg`),
  note length. (`rule_weight` 2 helped English and hurt Polish on dev; it stays 1.)

Only features seen in at least `min_count` training notes get a weight (the index is built by
`journey_textcat.initialize`), so the model stores one row per known feature — no hash table
full of zeros. Each note's feature vector is L2-normalised; during training a random
`feature_dropout` share of a note's features is dropped. Output: softmax over the labels.
"""

from __future__ import annotations

from collections import Counter

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model

from bot.core.vocabulary import fold
from nlp.extensions import channel_names, negated_of, sentiment_of, token_rows


@registry.architectures("journeybot.FeatureBOW.v1")
def build_feature_bow(
    ngram_size: int = 2,
    char_ngrams: list[int] = (3, 5),  # type: ignore[assignment]
    char_weight: float = 0.5,
    prefix_length: int = 5,
    rule_features: bool = True,
    rule_weight: float = 1.0,
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
        "rule_weight": float(rule_weight),
        "min_count": int(min_count),
        "feature_dropout": float(feature_dropout),
    }
    extractor = FeatureExtractor(cfg)

    def forward(model: Model, docs: list[Doc], is_train: bool):
        return _forward(model, extractor, docs, is_train)

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


_CACHE_LIMIT = 200_000


def _caches() -> dict:
    """Per-model memo of features already hashed (and mapped to rows): by token, n-gram, rule."""
    return {"tokens": {}, "ngrams": {}, "rules": {}}


def _mapped(feats: list[tuple[int, float]], index: dict | None) -> tuple[tuple, tuple]:
    """(rows, weights): hashes mapped to rows of the model, unknown ones dropped; or the
    hashes themselves without an index. Tuples of numbers: the cyclic garbage collector
    stops tracking them, so the memos holding them do not slow its full collections."""
    if index is not None:
        feats = [(index[h], w) for h, w in feats if h in index]
    return tuple(f for f, _ in feats), tuple(w for _, w in feats)


def _sentiment_bucket(sentiment: float) -> str:
    if sentiment <= -0.5:
        return "neg2"
    if sentiment < -0.05:
        return "neg"
    if sentiment >= 0.5:
        return "pos2"
    return "pos" if sentiment > 0.05 else "zero"


def _new_token(cfg: dict, doc: Doc, orth: int, norm: int, index: dict | None) -> tuple:
    """(rows, weights, kind) of a token not seen before; kind: "space", "punct" or "word"."""
    lexeme = doc.vocab[orth]
    if lexeme.is_space:
        return (), (), "space"
    strings = doc.vocab.strings
    feats = _token_features(cfg, strings[orth].lower(), strings[norm], lexeme.is_punct,
                            lexeme.like_num, lexeme.is_alpha)
    return (*_mapped(feats, index), "punct" if lexeme.is_punct else "word")


def _doc_hashes(cfg: dict, doc: Doc, caches: dict, index: dict | None) -> tuple[list, list]:
    """(features, weights) of a doc: token features, NORM n-grams, then rule features.

    With `index`, features are mapped to rows and unknown ones dropped. Every piece is
    memoised in `caches`, so a note of known words costs dictionary lookups only."""
    strings = doc.vocab.strings
    tokens, ngrams, rules = caches["tokens"], caches["ngrams"], caches["rules"]
    ngram_size = cfg["ngram_size"]
    rows: list = []
    weights: list = []
    window: list[int] = []  # the last NORMs (punctuation and spaces skipped)
    previous = None  # the last NORM, for bigrams (ngram_size 2, the usual case)
    n_words = 0
    orths, norms, _ = token_rows(doc)
    for orth, norm in zip(orths, norms, strict=True):
        found = tokens.get(orth)
        if found is None or found[0] != norm:
            found = tokens[orth] = (norm, *_new_token(cfg, doc, orth, norm, index))
        _, feature_rows, feature_weights, kind = found
        rows += feature_rows
        weights += feature_weights
        if kind != "word":
            continue
        n_words += 1
        if ngram_size == 2:
            grams = () if previous is None else ((previous, norm),)
            previous = norm
        elif ngram_size > 2:
            window.append(norm)
            if len(window) > ngram_size:
                del window[0]
            grams = tuple(tuple(window[-size:]) for size in range(2, len(window) + 1))
        else:
            continue
        for gram in grams:
            found = ngrams.get(gram)
            if found is None:
                text = "b:" + " ".join(strings[x] for x in gram)
                found = ngrams[gram] = _mapped([(hash_string(text), 1.0)], index)
            rows += found[0]
            weights += found[1]
    if cfg["rule_features"]:
        names = []
        for label in channel_names(doc):
            names.append("ch:" + label)
            names.append("cht:" + ("generic" if label.islower() else "brand"))
        names.append("s:" + _sentiment_bucket(sentiment_of(doc)))
        if negated_of(doc):
            names.append("neg")
        names.append(f"len:{min(n_words // 4, 6)}")
        for name in names:
            found = rules.get(name)
            if found is None:
                weight = cfg.get("rule_weight", 1.0)  # models saved before it existed: 1
                found = rules[name] = _mapped([(hash_string(name), weight)], index)
            rows += found[0]
            weights += found[1]
    return rows, weights


# A doc's features, for the next model with the same features and index: textcat_kind reads
# what textcat_stage computed (both are built from the same training notes and settings).
_DOC_FEATURES = ("journeybot", "features")


class FeatureExtractor:
    """The features of one FeatureBOW model: its settings, the index of the features it has
    weights for (feature hash → row, from the model's `keys`) and its memo of hashed pieces
    (by token, n-gram and rule). Owned by the model's forward function."""

    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self.keys: numpy.ndarray | None = None
        self.index: dict[int, int] = {}
        self.fingerprint: tuple = ()
        self.caches = _caches()

    def bind(self, keys: numpy.ndarray) -> None:
        """Use the model's current `keys` (set by training or by loading the model)."""
        if keys is self.keys:
            if len(self.caches["tokens"]) + len(self.caches["ngrams"]) > _CACHE_LIMIT:
                self.caches = _caches()
            return
        self.keys = keys
        self.index = {key: row for row, key in enumerate(keys.tolist())}
        self.fingerprint = (hash(keys.tobytes()), tuple(sorted(self.cfg.items())))
        self.caches = _caches()

    def doc_features(self, doc: Doc) -> tuple[list, list]:
        """(rows, weights) of one doc, kept in the doc for a model with the same features."""
        kept = doc.user_data.get(_DOC_FEATURES)
        if kept is not None and kept[0] == self.fingerprint:
            return kept[1], kept[2]
        rows, weights = _doc_hashes(self.cfg, doc, self.caches, self.index)
        doc.user_data[_DOC_FEATURES] = (self.fingerprint, rows, weights)
        return rows, weights

    def featurize(self, docs: list[Doc], dropout: float = 0.0):
        """(feature rows, values, doc of each row) for a batch, L2-normalised per doc.

        A feature that occurs twice in a note appears as two rows (the linear layer sums
        them). During training a random `dropout` share of the rows is left out."""
        rows: list[int] = []
        vals: list[float] = []
        lengths: list[int] = []
        for doc in docs:
            doc_rows, doc_vals = self.doc_features(doc)
            rows += doc_rows
            vals += doc_vals
            lengths.append(len(doc_rows))
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
    caches = _caches()
    for doc in docs:
        counts.update(set(_doc_hashes(cfg, doc, caches, None)[0]))
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


def _forward(model: Model, extractor: FeatureExtractor, docs: list[Doc], is_train: bool):
    W = model.get_param("W")
    b = model.get_param("b")
    dropout = model.attrs["cfg"]["feature_dropout"] if is_train else 0.0
    extractor.bind(model.attrs["keys"])
    rows, vals, segs = extractor.featurize(docs, dropout)
    n_docs, n_out = len(docs), W.shape[1]
    logits = numpy.zeros((n_docs, n_out), dtype="float32")
    if len(rows):
        # rows are grouped by doc (segs ascending): one reduceat sums each doc's rows
        contrib = W[rows] * vals[:, None]
        starts = numpy.flatnonzero(numpy.r_[True, segs[1:] != segs[:-1]])
        logits[segs[starts]] = numpy.add.reduceat(contrib, starts, axis=0)
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
