"""Reading the note corpus (JSONL) as spaCy Examples: `journeybot.NotesCorpus.v1`."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from bot.core.vocabulary import KINDS, STAGES
from nlp.classify import pipeline_text

SPLITS = ("train", "dev", "test")
# Labelled splits no training note may repeat: dev, test and the blind splits (written from the
# guide alone; see their README), and the dev checks of sentiment and channels (text only).
BLIND_SPLITS = ("blind", "blind2", "blind3", "blind4", "blind5", "blind6")
HELD_OUT = ("dev", "test", *BLIND_SPLITS)
HELD_OUT_CHECKS = ("dev/sentiment", "dev/channels")
LABELS = {(stage, kind) for stage in STAGES for kind in KINDS}


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
            # as classify reads it: Ukrainian/Bulgarian typed in Latin letters in Cyrillic
            text = pipeline_text(note["text"], lang)
            yield Example.from_dict(nlp.make_doc(text), {"cats": note_cats(note)})

    return corpus


# ---------------------------------------------------------------------------- checking


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = 0.6) -> bool:
    """Word-set Jaccard overlap of two notes of four or more words ≥ `threshold`."""
    if len(a) < 4 or len(b) < 4:
        return False
    return len(a & b) / len(a | b) >= threshold


def check_corpus(data_dir: str | Path) -> list[str]:
    """Problems of the corpus in `data_dir` (see nlp/data/GUIDE.md); [] when it is fine."""
    data_dir = Path(data_dir)
    problems: list[str] = []
    notes: dict[str, list[dict]] = {}
    for split in (*SPLITS, *BLIND_SPLITS, *HELD_OUT_CHECKS):
        labelled = split not in HELD_OUT_CHECKS
        notes[split] = []
        for file in sorted((data_dir / split).glob("*.jsonl")):
            for number, line in enumerate(file.read_text(encoding="utf8").splitlines(), 1):
                where = f"{file.relative_to(data_dir)}:{number}"
                try:
                    note = json.loads(line)
                except json.JSONDecodeError:
                    problems.append(f"{where}: not JSON")
                    continue
                if not isinstance(note, dict) or not str(note.get("text", "")).strip():
                    problems.append(f"{where}: no text")
                elif labelled and (note.get("stage"), note.get("kind")) not in LABELS:
                    problems.append(f"{where}: bad label {note.get('stage')}/{note.get('kind')}")
                elif note.get("lang") != file.stem:
                    problems.append(f"{where}: lang {note.get('lang')!r} in {file.name}")
                else:
                    notes[split].append({**note, "where": where})
    seen: dict[str, str] = {}
    for split in SPLITS:
        for note in notes[split]:
            key = note["text"].strip().lower()
            if key in seen:
                problems.append(f"{note['where']}: same text as {seen[key]}")
            seen.setdefault(key, note["where"])
    train_texts = {note["text"].strip().lower(): note["where"] for note in notes["train"]}
    for split in (*BLIND_SPLITS, *HELD_OUT_CHECKS):
        for note in notes[split]:
            if (where := train_texts.get(note["text"].strip().lower())) is not None:
                problems.append(f"{where}: same text as {note['where']}")
    held_out = [
        (_words(n["text"]), n["where"]) for s in (*HELD_OUT, *HELD_OUT_CHECKS) for n in notes[s]
    ]
    by_word: dict[str, list[int]] = {}
    for i, (words, _) in enumerate(held_out):
        for word in words:
            by_word.setdefault(word, []).append(i)
    for note in notes["train"]:
        words = _words(note["text"])
        shared = Counter(i for word in words for i in by_word.get(word, ()))
        for i, _ in shared.most_common():
            other, where = held_out[i]
            if near_duplicate(words, other):
                problems.append(f"{note['where']}: nearly repeats {where}")
                break
    for split in SPLITS:
        by_lang: dict[str, list[dict]] = {}
        for note in notes[split]:
            by_lang.setdefault(note["lang"], []).append(note)
        for lang, group in sorted(by_lang.items()):
            for field, labels in (("stage", STAGES), ("kind", KINDS)):
                for label in labels:
                    share = sum(n[field] == label for n in group) / len(group)
                    if not 0.13 <= share <= 0.20:
                        problems.append(f"{split}/{lang}: {field} {label} is {share:.0%} "
                                        "of the notes (13-20 % expected)")
    return problems


def main() -> int:
    from nlp.pipeline import DATA_DIR

    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR
    problems = check_corpus(data_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems", file=sys.stderr)
        return 1
    counts = {split: len(read_notes(data_dir / split)) for split in SPLITS}
    print("corpus ok: " + ", ".join(f"{split} {n:,}" for split, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
