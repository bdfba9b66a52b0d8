"""`journey_lemmatizer`: the lookup lemmatizer (a compact form → lemma table per language)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import marisa_trie
import numpy
from spacy.attrs import LEMMA, NORM, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from bot.core.vocabulary import fold, fold_lowercase
from nlp.extensions import set_token_rows
from nlp.memos import Memo


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


# Words whose lemma, NORM and packed ids are memoised (per generation, see nlp/memos.py).
LEMMA_MEMO = 3_000


class LemmaTable(Mapping):
    """form → lemma in a marisa-trie (read-only): Polish's ~140,000 forms take ~0.6 MiB
    instead of ~30 MiB as a dict of str. A lookup costs 1–3 µs; the lemmatizer memoises."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._trie = marisa_trie.BytesTrie((form, lemma.encode("utf8")) for form, lemma in pairs)

    def get(self, form: str, default=None):
        found = self._trie.get(form)
        return found[0].decode("utf8") if found else default

    def __getitem__(self, form: str) -> str:
        found = self._trie.get(form)
        if not found:
            raise KeyError(form)
        return found[0].decode("utf8")

    def __iter__(self):
        return iter(self._trie.keys())

    def __len__(self) -> int:
        return len(self._trie)

    def lemmas(self) -> set[str]:
        return {lemma.decode("utf8") for _, lemma in self._trie.items()}


def _pairs(lines: str):
    """(form, lemma) of each "form<TAB>lemma" line, lazily (no list of 280,000 strings)."""
    for line in re.finditer(r"([^\t\n]*)\t([^\t\n]*)(?:\n|$)", lines):
        yield line.group(1), line.group(2)


class JourneyLemmatizer:
    """Lookup lemmatizer: a compact form → lemma table built from simplemma at training time.

    The table holds every dictionary form of every lemma seen in the training notes (so an
    unseen inflection of a known word still finds its lemma), plus the training forms
    themselves. Sets `token.lemma_` and `token.norm_` = folded lemma ("płatności" →
    "płatność" / "platnosc"; "platnosci" → "płatność" / "platnosc" via the folded index).
    Unknown words keep their lowercased, folded form.

    Each word's result is memoised by its hash (`LEMMA_MEMO` words per generation). The
    lemmas and NORMs of the table are in the StringStore for good (added when the table is
    set). Those of a word the table does not know are added again each time it is met: inside
    `nlp.memory_zone()` they are forgotten when the zone ends, and the components after this
    one read them back (`strings[norm]`).
    """

    def __init__(self, vocab, name: str, *, lang: str, fold_norm: bool = True):
        self.vocab = vocab
        self.name = name
        self.lang = lang
        self.fold_norm = fold_norm
        self.table: LemmaTable = LemmaTable()
        self._folded: LemmaTable = LemmaTable()
        self._saved = self._serialized({}, {})
        self._memo = Memo(LEMMA_MEMO)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        recent = self._memo.recent
        orths, spaces = doc.to_array([ORTH, SPACY]).T.tolist()
        entries = [recent.get(orth) or self._entry(orth) for orth in orths]
        add = self.vocab.strings.add
        for entry in entries:
            for text in entry[2]:  # a word the table does not know: its lemma and NORM
                add(text)
        packed = numpy.frombuffer(b"".join([entry[1] for entry in entries]), dtype=numpy.uint64)
        doc.from_array([LEMMA, NORM], packed.reshape(-1, 2))
        set_token_rows(doc, orths, [entry[0] for entry in entries], spaces)
        return doc

    def lemma(self, lower: str) -> str:
        return self.table.get(lower) or self._folded.get(fold(lower)) or lower

    def _entry(self, orth: int) -> tuple[int, bytes, tuple[str, ...]]:
        """(NORM, LEMMA and NORM packed as two uint64, the texts to add to the StringStore at
        each use: () for the table's words) of a token text, memoised by ORTH."""
        found = self._memo.get(orth)
        if found is not None:
            return found
        strings = self.vocab.strings
        lower = strings[orth].lower()
        known = self.table.get(lower) or self._folded.get(fold(lower))
        lemma = known or lower
        norm = fold(lemma) if self.fold_norm else lemma
        ids = (strings.add(lemma), strings.add(norm))  # the table's: there for good already
        texts = () if known else (lemma, norm)
        return self._memo.put(orth, (ids[1], numpy.array(ids, dtype=numpy.uint64).tobytes(),
                                     texts))

    def set_table(self, table: dict[str, str], *, is_sorted: bool = False,
                  folded: dict[str, str] | None = None) -> None:
        """`folded` is the index of folded forms ("platnosc" → "płatność") if already known."""
        table = table if is_sorted else dict(sorted(table.items()))
        if folded is None:
            folded = {}
            for form, lemma in table.items():
                key = fold_lowercase(form)
                if key != form and key not in table:
                    folded.setdefault(key, lemma)
        self._saved = self._serialized(table, folded)
        self._use(LemmaTable(table.items()), LemmaTable(folded.items()))

    def _use(self, table: LemmaTable, folded: LemmaTable) -> None:
        self.table, self._folded = table, folded
        self._memo.clear()
        strings = self.vocab.strings
        for lemma in table.lemmas() | folded.lemmas():
            strings.add(lemma, allow_transient=False)
            strings.add(fold(lemma) if self.fold_norm else lemma, allow_transient=False)

    @staticmethod
    def _serialized(table: dict[str, str], folded: dict[str, str]) -> bytes:
        """form<TAB>lemma lines, an empty line, then the folded index the same way (saved so
        loading need not fold every form: ~0.1 s for Polish)."""
        text = "\n\n".join(
            "\n".join(f"{form}\t{lemma}" for form, lemma in pairs.items())
            for pairs in (table, folded)
        )
        return gzip.compress(text.encode("utf8"), compresslevel=9, mtime=0)

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
        """The table as saved (see `_serialized`): what was loaded, or what `set_table` made."""
        return self._saved

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        text = gzip.decompress(data).decode("utf8")
        table, separator, folded = text.partition("\n\n")
        if not separator:  # saved before the folded index was: build it
            self.set_table(dict(_pairs(table)), is_sorted=True)
            return self
        self._saved = data
        self._use(LemmaTable(_pairs(table)), LemmaTable(_pairs(folded)))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lemmas.tsv.gz").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> JourneyLemmatizer:
        return self.from_bytes((Path(path) / "lemmas.tsv.gz").read_bytes())
