"""`journeybot.FeatureBOW.v1`: a bag-of-features linear classifier for short, typo-ridden notes.

Features of a note (all strings hashed with spaCy's 64-bit murmurhash):

* `w:` the token's NORM — the folded lemma set by `journey_lemmatizer` ("platnosc");
* `f:` the folded surface form when it differs from the lemma;
* `p:` the first `prefix_length` letters of the folded form (a crude stem for inflections);
* `c:` character n-grams (`char_ngrams` = [min, max]) of "<form>", weighted `char_weight`:
  they survive typos, missing diacritics and unseen inflections;
* `b:` NORM bigrams (up to `ngram_size`);
* `k:` NORM skip-bigrams, the words two apart ("klient … cene"), with `skip_bigrams` (see
  docs/classifier.md, round ten: Bulgarian's stage +0.013 and +0.023 over two seeds);
* rule features (`rule_features`, weighted `rule_weight`): each channel found (`ch:BLIK`,
  `cht:generic`), the sentiment bucket (`s:neg`), whether a negation flipped a word (`neg`),
  note length. (`rule_weight` 2 helped English and hurt Polish on dev; it stays 1.)

Only features seen in at least `min_count` training notes get a weight (the index is built by
`journey_textcat.initialize`), so the model stores one row per known feature — no hash table
full of zeros. Each note's feature vector is L2-normalised; during training a random
`feature_dropout` share of a note's features is dropped. Output: softmax over the labels.
"""

from __future__ import annotations

from array import array
from collections import Counter

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model

from bot.core.vocabulary import fold
from nlp.extensions import channel_names, negated_of, sentiment_of, token_rows
from nlp.memos import Memo


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
    skip_bigrams: bool = False,
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
        "skip_bigrams": bool(skip_bigrams),
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


# Memo sizes (entries per generation, see nlp/memos.py): a token's entry (~420 bytes) holds its
# feature rows (~15 of them, 12 bytes each), an n-gram's (~130 bytes) its row or none.
TOKEN_MEMO = 4_000
NGRAM_MEMO = 4_000

_ROW = numpy.dtype("int64")  # a row of the model's weights
_HASH = numpy.dtype("uint64")  # a feature hash (while the index is being built)
_WEIGHT = numpy.dtype("float32")
_ONE = numpy.asarray([1.0], dtype=_WEIGHT).tobytes()


class FeatureIndex:
    """Feature hash → row of the model's weights: a binary search in the model's `keys`,
    which `build_index` stores sorted. A dict of the same (~130,000 features per model)
    cost 6.5 MiB per model; the search costs a few microseconds per word not in the memo."""

    def __init__(self, keys: numpy.ndarray) -> None:
        keys = numpy.asarray(keys, dtype=_HASH)
        if len(keys) > 1 and not bool(numpy.all(keys[1:] > keys[:-1])):
            raise ValueError("the model's feature keys must be sorted and unique (build_index)")
        self.keys = keys

    def rows(self, hashes: list[int]) -> tuple[list[int], list[bool]]:
        """(row, found) of each hash; the row of a hash not found is meaningless."""
        if not len(self.keys):
            return [0] * len(hashes), [False] * len(hashes)
        wanted = numpy.asarray(hashes, dtype=_HASH)
        where = numpy.searchsorted(self.keys, wanted)
        where[where == len(self.keys)] = 0
        return where.tolist(), (self.keys[where] == wanted).tolist()


def _mapped(feats: list[tuple[int, float]], index: FeatureIndex | None) -> tuple[bytes, bytes]:
    """(rows, weights) as packed int64 and float32: hashes mapped to rows of the model,
    unknown ones dropped; or the hashes themselves (uint64) without an index. Bytes: a token's
    ~15 features take ~200 bytes in a memo rather than ~1 KB as tuples of Python numbers."""
    if not feats:
        return b"", b""
    hashes = [h for h, _ in feats]
    weights = [w for _, w in feats]
    if index is None:
        return array("Q", hashes).tobytes(), array("f", weights).tobytes()
    rows, found = index.rows(hashes)
    return (array("q", [r for r, ok in zip(rows, found, strict=True) if ok]).tobytes(),
            array("f", [w for w, ok in zip(weights, found, strict=True) if ok]).tobytes())


def _sentiment_bucket(sentiment: float) -> str:
    if sentiment <= -0.5:
        return "neg2"
    if sentiment < -0.05:
        return "neg"
    if sentiment >= 0.5:
        return "pos2"
    return "pos" if sentiment > 0.05 else "zero"


def _new_token(cfg: dict, doc: Doc, orth: int, norm: int, index: FeatureIndex | None) -> tuple:
    """(rows, weights, kind) of a token not in the memo; kind: "space", "punct" or "word"."""
    lexeme = doc.vocab[orth]
    if lexeme.is_space:
        return b"", b"", "space"
    strings = doc.vocab.strings
    feats = _token_features(cfg, strings[orth].lower(), strings[norm], lexeme.is_punct,
                            lexeme.like_num, lexeme.is_alpha)
    return (*_mapped(feats, index), "punct" if lexeme.is_punct else "word")


class _Memos:
    """A feature extractor's memos of hashed pieces: by token (its hash → NORM and features),
    NORM n-gram and rule feature."""

    def __init__(self) -> None:
        self.tokens = Memo(TOKEN_MEMO)
        self.ngrams = Memo(NGRAM_MEMO)  # NORM pair (one int, first << 64 | second) → row
        self.rules: dict[str, tuple[bytes, bytes]] = {}  # a few dozen names
        self.weights: dict[bytes, bytes] = {}  # a token's weights, packed: a few hundred patterns


def _doc_hashes(cfg: dict, doc: Doc, memos: _Memos, index: FeatureIndex | None
                ) -> tuple[bytes, bytes]:
    """(features, weights) of a doc, packed (see `_mapped`): token features, NORM n-grams,
    then rule features.

    With `index`, features are mapped to rows and unknown ones dropped. Every piece is
    memoised in `memos`, so a note of known words costs dictionary lookups only. The memos
    are keyed by hashes of texts (ORTH, NORM) and hold no StringStore ids to read back, so
    they stay valid across `nlp.memory_zone()`s."""
    strings = doc.vocab.strings
    tokens, ngrams, rules = memos.tokens, memos.ngrams, memos.rules
    recent_tokens, recent_ngrams = tokens.recent, ngrams.recent
    ngram_size = cfg["ngram_size"]
    rows: list[bytes] = []
    weights: list[bytes] = []
    window: list[int] = []  # the last NORMs (punctuation and spaces skipped)
    previous = None  # the last NORM, for bigrams (ngram_size 2, the usual case)
    before_previous = None  # the NORM before it, for skip-bigrams
    skips = cfg.get("skip_bigrams", False)  # models saved before it existed: none
    n_words = 0
    orths, norms, _ = token_rows(doc)
    for orth, norm in zip(orths, norms, strict=True):
        found = recent_tokens.get(orth) or tokens.get(orth)
        if found is None or found[0] != norm:
            feature_rows, feature_weights, kind = _new_token(cfg, doc, orth, norm, index)
            # few distinct weight patterns: one bytes object each, shared by the entries
            feature_weights = memos.weights.setdefault(feature_weights, feature_weights)
            found = tokens.put(orth, (norm, feature_rows, feature_weights, kind))
        _, feature_rows, feature_weights, kind = found
        rows.append(feature_rows)
        weights.append(feature_weights)
        if kind != "word":
            continue
        n_words += 1
        if skips:
            if before_previous is not None:
                key = 1 << 128 | before_previous << 64 | norm
                found = recent_ngrams.get(key)
                if found is None:
                    found = ngrams.get(key)
                    if found is None:
                        text = f"k:{strings[before_previous]} {strings[norm]}"
                        found = ngrams.put(key, _mapped([(hash_string(text), 1.0)], index)[0])
                if found:
                    rows.append(found)
                    weights.append(_ONE)
            before_previous = previous if ngram_size == 2 else (window[-1] if window else None)
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
            key = gram[0] << 64 | gram[1] if len(gram) == 2 else gram  # one int: 44 bytes
            found = recent_ngrams.get(key)
            if found is None:
                found = ngrams.get(key)
                if found is None:
                    text = "b:" + " ".join(strings[x] for x in gram)
                    found = ngrams.put(key, _mapped([(hash_string(text), 1.0)], index)[0])
            if found:  # the row (an n-gram's weight is 1)
                rows.append(found)
                weights.append(_ONE)
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
                found = _mapped([(hash_string(name), weight)], index)
                if len(rules) < 10_000:  # channel names are open-ended: keep the memo small
                    rules[name] = found
            rows.append(found[0])
            weights.append(found[1])
    return b"".join(rows), b"".join(weights)


# A doc's features, for the next model with the same features and index: textcat_kind reads
# what textcat_stage computed (both are built from the same training notes and settings).
_DOC_FEATURES = ("journeybot", "features")


class FeatureExtractor:
    """The features of one FeatureBOW model: its settings, the index of the features it has
    weights for (feature hash → row, from the model's `keys`) and its memos of hashed pieces
    (by token, n-gram and rule). Owned by the model's forward function."""

    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self.keys: numpy.ndarray | None = None
        self.index: FeatureIndex | None = None
        self.fingerprint: tuple = ()
        self.memos = _Memos()

    def bind(self, keys: numpy.ndarray) -> None:
        """Use the model's current `keys` (set by training or by loading the model)."""
        if keys is self.keys:
            return
        self.keys = keys
        self.index = FeatureIndex(keys)
        self.fingerprint = (hash(keys.tobytes()), tuple(sorted(self.cfg.items())))
        self.memos = _Memos()

    def doc_features(self, doc: Doc) -> tuple[bytes, bytes]:
        """(rows, weights) of one doc, packed int64 and float32, kept in the doc for a model
        with the same features."""
        kept = doc.user_data.get(_DOC_FEATURES)
        if kept is not None and kept[0] == self.fingerprint:
            return kept[1], kept[2]
        rows, weights = _doc_hashes(self.cfg, doc, self.memos, self.index)
        doc.user_data[_DOC_FEATURES] = (self.fingerprint, rows, weights)
        return rows, weights

    def featurize(self, docs: list[Doc], dropout: float = 0.0):
        """(feature rows, values, doc of each row) for a batch, L2-normalised per doc.

        A feature that occurs twice in a note appears as two rows (the linear layer sums
        them). During training a random `dropout` share of the rows is left out."""
        rows: list[bytes] = []
        vals: list[bytes] = []
        lengths: list[int] = []
        for doc in docs:
            doc_rows, doc_vals = self.doc_features(doc)
            rows.append(doc_rows)
            vals.append(doc_vals)
            lengths.append(len(doc_rows) // _ROW.itemsize)
        rows_a = numpy.frombuffer(b"".join(rows), dtype=_ROW)
        vals_a = numpy.frombuffer(b"".join(vals), dtype=_WEIGHT)
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
    """Keeps the features found in at least `min_count` of `docs`; returns their number.
    The keys are sorted: `FeatureIndex` searches them."""
    cfg = model.attrs["cfg"]
    counts: Counter = Counter()
    memos = _Memos()
    for doc in docs:
        hashes = numpy.frombuffer(_doc_hashes(cfg, doc, memos, None)[0], dtype=_HASH)
        counts.update(set(hashes.tolist()))
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
