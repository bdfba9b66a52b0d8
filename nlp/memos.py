"""`Memo`: the bounded memo each classifier component keeps of the words it has met.

A note is a dozen words, and most of them were met before, so every component memoises what
it computes per word (its lemma, its polarity, its hashed features). Real users keep bringing
new words, so a memo must be bounded, or the process grows with every note.

A memo is keyed by a word's text or by its spaCy hash (`Token.orth`: a 64-bit hash of the
text, the same in every process and in every `nlp.memory_zone()`). It holds results — texts,
numbers, feature rows — never a StringStore id to read back later: `nlp.classify` runs each
note inside `nlp.memory_zone()`, which forgets the strings of new words when the note is done.

Two generations: new entries go into `recent`; when it holds `size` entries it becomes
`older` (the previous older generation is dropped) and a new `recent` starts. An entry found
in `older` moves back into `recent`. So a memo holds at most 2 × `size` entries, and the words
in use stay in it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

_MISSING = object()


class Memo:
    """A dict-like memo of at most 2 × `size` entries (see the module docstring).

    The hot path reads `memo.recent.get(key)` directly and calls `get` only on a miss."""

    __slots__ = ("older", "recent", "size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("Memo(size): size must be at least 1, e.g. Memo(20_000)")
        self.size = size
        self.recent: dict = {}
        self.older: dict = {}

    def get(self, key: Hashable, default: Any = None) -> Any:
        found = self.recent.get(key, _MISSING)
        if found is _MISSING:
            found = self.older.pop(key, _MISSING)
            if found is _MISSING:
                return default
            self.put(key, found)
        return found

    def put(self, key: Hashable, value: Any) -> Any:
        """Stores `value` under `key` and returns it."""
        if len(self.recent) >= self.size:
            self.older = self.recent
            self.recent = {}
        self.recent[key] = value
        return value

    def discard(self, key: Hashable) -> None:
        self.recent.pop(key, None)
        self.older.pop(key, None)

    def clear(self) -> None:
        self.recent = {}
        self.older = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self.recent or key in self.older

    def __len__(self) -> int:
        return len(self.recent) + len(self.older)
