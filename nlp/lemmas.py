"""Build-time only: the compact form → lemma table shipped with each pipeline.

simplemma's full Polish dictionary costs ~355 MiB and ~5 s to load; the classifier needs only
the forms of words it can have learnt something about. So at training time we lemmatize every
word of the training notes with simplemma (a word typed without diacritics, "platnosci", is
looked up by its folded spelling), collect those lemmas, and keep every dictionary form whose
lemma is one of them. The table is ~100 KB gzipped per language and loads in milliseconds;
simplemma is not imported at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bot.core.vocabulary import fold_lowercase


def build_lemma_table(lang: str, forms: Iterable[str]) -> dict[str, str]:
    """form → lemma for the dictionary forms of the lemmas of `forms` (memoised per process)."""
    return dict(_build(lang, frozenset(form.lower() for form in forms if form)))


@lru_cache(maxsize=8)
def _build(lang: str, forms: frozenset[str]) -> tuple[tuple[str, str], ...]:
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    forms = sorted(forms)
    dictionary = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
    raw = getattr(dictionary, "_dict", None)
    if isinstance(raw, dict):  # bytes → bytes: iterate without decoding every value

        def entries():
            for form_b, lemma_b in raw.items():
                yield form_b.decode("utf8"), lemma_b

        def decode(lemma_b):
            return lemma_b.decode("utf8").lower()

    else:

        def entries():
            yield from dictionary.items()

        def decode(lemma):
            return lemma.lower()

    table: dict[str, str] = {}
    unknown: set[str] = set()
    for form in forms:
        lemma = simplemma.lemmatize(form, lang=lang).lower()
        if lemma == form and dictionary.get(form) is None and form.isascii() and lang == "pl":
            unknown.add(form)  # maybe typed without diacritics: resolved below
        else:
            table[form] = lemma
    if unknown:
        for form, lemma in entries():
            key = fold_lowercase(form)
            if key in unknown and key not in table and form.islower():
                table[key] = decode(lemma)
        table.update({form: form for form in unknown if form not in table})

    lemmas = set(table.values())
    for form, lemma in entries():
        lemma = decode(lemma)
        if lemma in lemmas:
            table.setdefault(form.lower(), lemma)
    return tuple((form, lemma) for form, lemma in sorted(table.items()) if form != lemma)
