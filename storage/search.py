"""Full-text search over a chat's notes (the `notes_fts` index of migration m002).

Each word is searched as a prefix of its first letters, so inflected forms find each other:
"koszyka" searches `koszy*` and finds "koszyk", "кошику" finds "кошик". Only the asking chat's
notes are ever returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from bot.core.model import Note
from bot.core.vocabulary import fold
from storage.notes import _SELECT_NOTES, _note_from_row

PREFIX_LENGTH = 5  # letters of a long word that are searched as a prefix
MAX_TERMS = 6
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchPage:
    """One page of hits (best first), the total number of hits and the terms searched."""

    notes: list[Note]
    total: int
    terms: tuple[str, ...]
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.notes) < self.total


def search_terms(query: str, *, max_bytes: int | None = None) -> tuple[str, ...]:
    """The prefixes searched for `query`, lowercased: "Koszyka płatność" → ("koszy", "platn").

    Long words keep their first five letters, shorter ones drop their last letter (at least
    three are kept), so endings do not matter. With `max_bytes`, only the terms that fit in
    that many UTF-8 bytes, space-joined, are kept (they travel in a button's callback data).
    """
    terms: list[str] = []
    for word in _WORD.findall(fold(query)):
        if len(word) < 2:
            continue
        size = PREFIX_LENGTH if len(word) > PREFIX_LENGTH else max(3, len(word) - 1)
        term = word[:size]
        if term not in terms:
            terms.append(term)
    terms = terms[:MAX_TERMS]
    if max_bytes is not None:
        while terms and len(" ".join(terms).encode()) > max_bytes:
            terms.pop()
    return tuple(terms)


def _match_expression(terms: tuple[str, ...], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"*' for term in terms)


def search_notes(
    db: Database, chat_id: int, terms: tuple[str, ...], *, offset: int = 0, limit: int = 5
) -> SearchPage:
    """The chat's notes matching every term (or, if none does, any term), best match first."""
    for operator in ("AND", "OR"):
        if not terms:
            break
        page = _search(db, chat_id, terms, _match_expression(terms, operator), offset, limit)
        if page.total or len(terms) == 1:
            return page
    return SearchPage([], 0, terms, offset, limit)


def _search(
    db: Database, chat_id: int, terms: tuple[str, ...], match: str, offset: int, limit: int
) -> SearchPage:
    matching = "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?"
    total = db.execute(
        f"SELECT count(*) FROM notes WHERE chat_id = ? AND id IN ({matching})", [chat_id, match]
    ).fetchone()[0]
    rows = db.query(
        _SELECT_NOTES
        + """
        JOIN notes_fts ON notes_fts.rowid = notes.id
        WHERE notes_fts MATCH ? AND notes.chat_id = ?
        ORDER BY notes_fts.rank, notes.id DESC
        LIMIT ? OFFSET ?
        """,
        [match, chat_id, limit, offset],
    )
    return SearchPage([_note_from_row(row) for row in rows], total, terms, offset, limit)
