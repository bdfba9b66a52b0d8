"""`journey_lemmatizer`: the lookup lemmatizer (a compact form → lemma table per language)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, NORM, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from bot.core.vocabulary import fold, fold_lowercase
from nlp.extensions import set_token_rows


@Language.factory(
    "journey_lemmatizer",
    assigns=["token.lemma", "token.norm"],
    default_config={"fold_norm": True},
)
def make_journey_lemmatizer(nlp: Language, name: str, fold_norm: bool) -> JourneyLemmatizer:
    if not isinstance(fold_norm, bool):
        raise ValueError(
            "journey_lemmatizer: fold_norm must be true or false, e.g. "
            'nlp.add_pipe("journey_lemmatizer", config={"fold_norm": True})'
        )
    return JourneyLemmatizer(nlp.vocab, name, lang=nlp.lang, fold_norm=fold_norm)


class JourneyLemmatizer:
    """Lookup lemmatizer: a compact form → lemma table built from simplemma at training time.

    The table holds every dictionary form of every lemma seen in the training notes (so an
    unseen inflection of a known word still finds its lemma), plus the training forms
    themselves. Sets `token.lemma_` and `token.norm_` = folded lemma ("płatności" →
    "płatność" / "platnosc"; "platnosci" → "płatność" / "platnosc" via the folded index).
    Unknown words keep their lowercased, folded form.
    """

    def __init__(self, vocab, name: str, *, lang: str, fold_norm: bool = True):
        self.vocab = vocab
        self.name = name
        self.lang = lang
        self.fold_norm = fold_norm
        self.table: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._cache: dict[int, tuple[int, bytes]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self._cache
        orths, spaces = doc.to_array([ORTH, SPACY]).T.tolist()
        entries = [cache.get(orth) or self._entry(orth) for orth in orths]
        packed = numpy.frombuffer(b"".join([entry[1] for entry in entries]), dtype=numpy.uint64)
        doc.from_array([LEMMA, NORM], packed.reshape(-1, 2))
        set_token_rows(doc, orths, [entry[0] for entry in entries], spaces)
        return doc

    def lemma(self, lower: str) -> str:
        return self.table.get(lower) or self._folded.get(fold(lower)) or lower

    def _entry(self, orth: int) -> tuple[int, bytes]:
        """(NORM, LEMMA and NORM packed as two uint64) of a token text, memoised by ORTH."""
        strings = self.vocab.strings
        lemma = self.lemma(strings[orth].lower())
        norm = fold(lemma) if self.fold_norm else lemma
        ids = (strings.add(lemma), strings.add(norm))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[orth] = entry = (ids[1], numpy.array(ids, dtype=numpy.uint64).tobytes())
        return entry

    def set_table(self, table: dict[str, str], *, is_sorted: bool = False,
                  folded: dict[str, str] | None = None) -> None:
        """`folded` is the index of folded forms ("platnosc" → "płatność") if already known."""
        self.table = table if is_sorted else dict(sorted(table.items()))
        if folded is None:
            folded = {}
            for form, lemma in self.table.items():
                key = fold_lowercase(form)
                if key != form and key not in self.table:
                    folded.setdefault(key, lemma)
        self._folded = folded
        self._cache = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        extra_words: list[str] | None = None,
    ) -> None:
        """Builds the table from simplemma's dictionary for the words of the training notes."""
        from nlp.lemmas import build_lemma_table

        forms = set(extra_words or ())
        for example in get_examples():
            forms.update(token.lower_ for token in example.predicted if token.is_alpha)
        self.set_table(build_lemma_table(self.lang, forms))

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """form<TAB>lemma lines, an empty line, then the folded index the same way (saved so
        loading need not fold every form: ~0.1 s for Polish)."""
        text = "\n\n".join(
            "\n".join(f"{form}\t{lemma}" for form, lemma in table.items())
            for table in (self.table, self._folded)
        )
        return gzip.compress(text.encode("utf8"), compresslevel=9, mtime=0)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        def pairs(lines: str) -> dict[str, str]:
            fields = iter(re.split("[\t\n]", lines) if lines else ())
            return dict(zip(fields, fields, strict=True))

        text = gzip.decompress(data).decode("utf8")
        table, separator, folded = text.partition("\n\n")
        self.set_table(pairs(table), is_sorted=True, folded=pairs(folded) if separator else None)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lemmas.tsv.gz").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        return self.from_bytes((Path(path) / "lemmas.tsv.gz").read_bytes())
