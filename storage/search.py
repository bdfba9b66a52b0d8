"""Search over one chat's notes, by lemma (the `notes_search` index of migration m006).

A note is indexed under its search keys: the folded lemma of each of its words, from the lemma
tables the classifier uses, so inflected forms find each other ("tortów" finds "tort", "tortem",
"torty", "tortow"; "кошика" finds "кошик"). The keys come from nlp through the bot: functions
here take them as arguments (`keys_of(text)`, `keys_of_word(word)`), storage imports no
nlp. A searched word matches its keys, and — for words the lemma tables do not know — the
first letters of the word as a prefix.

Every key in the index carries its chat, so a search reads only the asking chat's part of
the index, however often the word occurs in other chats.

Notes are indexed after they are stored: a new note, or one whose text changed, waits
(`search_keys` IS NULL) until `index_notes` runs — for a chat right before it is searched, and
for everyone by the bot's background job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from bot.core.model import Note
from bot.core.vocabulary import fold
from storage.notes import _SELECT_NOTES, _note_from_row

PREFIX_LENGTH = 5  # letters of a long word that are also searched as a prefix
MAX_TERMS = 6
_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = re.compile("['’ʼ]")

KeysOfNote = Callable[[str], Iterable[str]]  # a note's text → its search keys
KeysOfWord = Callable[[str], Iterable[str]]  # a searched word → the keys it matches


@dataclass(frozen=True)
class SearchPage:
    """One page of hits (best first), the total number of hits and the words searched."""

    notes: list[Note]
    total: int
    terms: tuple[str, ...]
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.notes) < self.total


def search_terms(query: str, *, max_bytes: int | None = None) -> tuple[str, ...]:
    """The words searched for `query`, lowercased: "Koszyka, płatność!" → ("koszyka", "płatność").

    Words of one letter are dropped, words that fold alike kept once, at most six. With
    `max_bytes`, only the words that fit in that many UTF-8 bytes, space-joined, are kept (they
    travel in a button's callback data).
    """
    by_folded: dict[str, str] = {}
    for word in _WORD.findall(query.lower()):
        if len(word) >= 2:
            by_folded.setdefault(fold(word), word)
    terms = list(by_folded.values())[:MAX_TERMS]
    if max_bytes is not None:
        while terms and len(" ".join(terms).encode()) > max_bytes:
            terms.pop()
    return tuple(terms)


def chat_prefix(chat_id: int) -> str:
    """What every key of the chat starts with in the index (as migration m006's triggers write
    it): 42 → "42_", -100123 → "m100123_"."""
    return str(chat_id).replace("-", "m") + "_"


def word_prefix(word: str) -> str:
    """The first letters of a searched word that are also matched as a prefix: long words keep
    five letters, shorter ones drop their last (at least three are kept)."""
    word = _APOSTROPHES.sub("", fold(word))
    return word[: PREFIX_LENGTH if len(word) > PREFIX_LENGTH else max(3, len(word) - 1)]


def _match_expression(
    chat_id: int, terms: Sequence[str], keys_of_word: KeysOfWord, operator: str
) -> str:
    prefix = chat_prefix(chat_id)
    alternatives = []
    for term in terms:
        keys = [f'"{prefix}{key}"' for key in dict.fromkeys(keys_of_word(term)) if key]
        keys.append(f'"{prefix}{word_prefix(term)}"*')
        alternatives.append("(" + " OR ".join(keys) + ")")
    return f" {operator} ".join(alternatives)


RANKED_MATCHES = 2_000  # more matches than this come newest first, not best first


def search_notes(
    db: Database,
    chat_id: int,
    terms: tuple[str, ...],
    keys_of_word: KeysOfWord,
    *,
    offset: int = 0,
    limit: int = 5,
) -> SearchPage:
    """The chat's notes matching every word (or, if none matches them all, any word), best
    match first (newest first when more than RANKED_MATCHES notes match). Index the chat's
    waiting notes first (`index_notes`) to find them too."""
    for operator in ("AND", "OR"):
        if not terms:
            break
        match = _match_expression(chat_id, terms, keys_of_word, operator)
        page = _search(db, chat_id, terms, match, offset, limit)
        if page.total or len(terms) == 1:
            return page
    return SearchPage([], 0, terms, offset, limit)


def _search(
    db: Database, chat_id: int, terms: tuple[str, ...], match: str, offset: int, limit: int
) -> SearchPage:
    total = db.execute(
        "SELECT count(*) FROM notes_search WHERE notes_search MATCH ?", [match]
    ).fetchone()[0]
    # Ranking reads every match's size: 35 ms of CPU (150 ms wall) on the loop for a word in
    # 27,000 notes of a 100,000-note chat, on every page. Beyond RANKED_MATCHES the newest
    # come first instead, read in the index's order (1 ms, whatever the page).
    ranked = total <= RANKED_MATCHES
    rows = db.query(
        _SELECT_NOTES
        + f"""
        JOIN (
            SELECT rowid AS hit, {"rank" if ranked else "0"} AS rank
            FROM notes_search WHERE notes_search MATCH ?
            ORDER BY {"rank, rowid DESC" if ranked else "rowid DESC"} LIMIT ? OFFSET ?
        ) AS hits ON notes.id = hits.hit
        WHERE notes.chat_id = ?
        ORDER BY hits.rank, notes.id DESC
        """,
        [match, limit, offset, chat_id],
    )
    return SearchPage([_note_from_row(row) for row in rows], total, terms, offset, limit)


@dataclass(frozen=True)
class WaitingNote:
    """A note that waits to be indexed."""

    id: int
    text: str


def notes_to_index(
    db: Database, *, chat_id: int | None = None, limit: int | None = None
) -> list[WaitingNote]:
    """Notes waiting to be indexed (new, or their text changed): the chat's, or anyone's when
    `chat_id` is None; at most `limit`. Read through idx_notes_unindexed, which holds only
    waiting notes."""
    sql = "SELECT id, text FROM notes WHERE search_keys IS NULL"
    args: list = []
    if chat_id is not None:
        sql += " AND chat_id = ?"
        args.append(chat_id)
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [WaitingNote(*row) for row in db.execute(sql, args)]


def save_search_keys(db: Database, keyed: Iterable[tuple[int, str, str]]) -> None:
    """Stores (note id, the text the keys were made from, space-separated keys); the index
    follows (m006's triggers). A note whose text changed meanwhile keeps waiting."""
    with db.atomic():
        db.conn.executemany(
            "UPDATE notes SET search_keys = ? WHERE id = ? AND text = ? AND search_keys IS NULL",
            [(keys, note_id, text) for note_id, text, keys in keyed],
        )


def index_notes(
    db: Database, keys_of: KeysOfNote, *, chat_id: int | None = None, limit: int | None = None
) -> int:
    """Indexes waiting notes at once (the chat's, or anyone's); returns how many."""
    waiting = notes_to_index(db, chat_id=chat_id, limit=limit)
    save_search_keys(db, [(n.id, n.text, " ".join(keys_of(n.text))) for n in waiting])
    return len(waiting)
