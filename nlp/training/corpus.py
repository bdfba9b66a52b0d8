"""Reading the note corpus (JSONL) as spaCy Examples: `journeybot.NotesCorpus.v1`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

STAGES = ("awareness", "consideration", "decision", "purchase", "retention", "advocacy")
KINDS = ("pain_point", "touchpoint", "emotion", "need", "opportunity", "action")
SPLITS = ("train", "dev", "test")


def read_notes(path: str | Path, lang: str | None = None) -> list[dict]:
    """Notes from a .jsonl file or a directory of <lang>.jsonl files (valid labels only)."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.jsonl"))
    notes = []
    for file in files:
        with file.open(encoding="utf8") as handle:
            for line in handle:
                line = line.strip()
                if not line:
                    continue
                try:
                    note = json.loads(line)
                except json.JSONDecodeError:
                    continue
                note.setdefault("lang", file.stem)
                if lang is not None and note.get("lang") != lang:
                    continue
                if note.get("stage") in STAGES and note.get("kind") in KINDS and note.get("text"):
                    notes.append(note)
    return notes


def note_cats(note: dict) -> dict[str, float]:
    cats = {stage: float(stage == note["stage"]) for stage in STAGES}
    cats.update({kind: float(kind == note["kind"]) for kind in KINDS})
    return cats


@registry.readers("journeybot.NotesCorpus.v1")
def create_notes_corpus(
    path: str, split: str, lang: str, extra: str | None = None
) -> Callable[[Language], Iterator[Example]]:
    """Examples of `<path>/<split>/<lang>.jsonl`, plus the notes of `extra` (a JSONL file of
    corrected notes) in that language. Order is the file order; spaCy shuffles with the seed."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")

    def corpus(nlp: Language) -> Iterator[Example]:
        notes = read_notes(Path(path) / split / f"{lang}.jsonl", lang)
        if extra:
            notes += read_notes(extra, lang)
        for note in notes:
            yield Example.from_dict(nlp.make_doc(note["text"]), {"cats": note_cats(note)})

    return corpus
