"""Per-stage weights for textcat_stage, fitted on train by cross-validation (never on dev).

`python -m nlp.training.stage_prior pl` splits the language's train notes into `folds` groups
by business (`domain`: every note of one business lands in the same fold, so a fold's model
never saw the business it is scored on), trains one model per fold on the other folds (one
seed, the config's settings), and collects each train note's stage probabilities from the model
that did not see it. The weights are the per-stage factors that give those out-of-fold
predictions the highest stage macro-F1 (coordinate ascent over a fixed grid, geometric mean
kept at 1): the stages a model over-predicts on notes it has not seen get less than 1. They
become `[journeybot.stage_weights]` in textcat.cfg, which `journeybot train` writes into
textcat_stage's `label_weights` (a decision threshold: learning is unchanged). Deterministic:
the same train notes and settings give the same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy

from bot.core.vocabulary import STAGES
from nlp.pipeline import CONFIG_PATH, DATA_DIR

# factors e^-0.7 … e^0.7 (0.50 … 2.01) in steps of e^0.05
GRID = numpy.exp(numpy.arange(-0.70, 0.7001, 0.05))


def domain_fold(note: dict, folds: int) -> int:
    """The fold of a note: a stable hash of its business (`domain`; its text when it has none)."""
    key = note.get("domain") or note["text"]
    return int(hashlib.md5(key.encode("utf8")).hexdigest(), 16) % folds


def split_fold(notes: list[dict], fold: int, folds: int) -> tuple[list[dict], list[dict]]:
    """(kept, held): the notes a fold's model trains on, and those of the businesses it holds
    out and scores."""
    kept = [n for n in notes if domain_fold(n, folds) != fold]
    held = [n for n in notes if domain_fold(n, folds) == fold]
    return kept, held


def macro_f1(probabilities: numpy.ndarray, gold: numpy.ndarray, weights: numpy.ndarray) -> float:
    """Stage macro-F1 of argmax(probabilities × weights) against `gold` (label indexes)."""
    predicted = (probabilities * weights).argmax(axis=1)
    scores = []
    for label in range(probabilities.shape[1]):
        tp = int(numpy.sum((predicted == label) & (gold == label)))
        fp = int(numpy.sum((predicted == label) & (gold != label)))
        fn = int(numpy.sum((predicted != label) & (gold == label)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(numpy.mean(scores))


def fit_weights(probabilities: numpy.ndarray, gold: numpy.ndarray, *, rounds: int = 4
                ) -> numpy.ndarray:
    """Per-label factors (geometric mean 1) that maximise `macro_f1`: each round tries every
    grid value for each label in turn and keeps a strict improvement."""
    weights = numpy.ones(probabilities.shape[1])
    best = macro_f1(probabilities, gold, weights)
    for _ in range(rounds):
        improved = False
        for label in range(len(weights)):
            for factor in GRID:
                trial = weights.copy()
                trial[label] = factor
                trial /= numpy.exp(numpy.log(trial).mean())
                score = macro_f1(probabilities, gold, trial)
                if score > best + 1e-12:
                    best, weights, improved = score, trial, True
        if not improved:
            break
    return weights


def out_of_fold(lang: str, *, data_dir: str | Path = DATA_DIR, folds: int = 3,
                seed: int = 20241123, config_path: str | Path = CONFIG_PATH,
                overrides: dict | None = None, log=print) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(probabilities, gold) of every train note of `lang`, each from the fold model that did
    not see its business; textcat_stage's own label weights are left out."""
    import spacy

    import nlp.components  # noqa: F401  (registers the factories)
    from nlp.classify import pipeline_text
    from nlp.training.corpus import read_notes
    from nlp.training.train import train_language

    notes = read_notes(Path(data_dir) / "train" / f"{lang}.jsonl", lang)
    probabilities, gold = [], []
    with tempfile.TemporaryDirectory(prefix=f"journeybot-prior-{lang}-") as tmp:
        for fold in range(folds):
            root = Path(tmp) / f"fold{fold}"
            (root / "train").mkdir(parents=True)
            (root / "dev").mkdir()
            kept, held = split_fold(notes, fold, folds)
            for split, rows in (("train", kept), ("dev", held)):
                with (root / split / f"{lang}.jsonl").open("w", encoding="utf8") as handle:
                    for note in rows:
                        handle.write(json.dumps(note, ensure_ascii=False) + "\n")
            settings = {**(overrides or {}), "system.seed": seed}
            model = train_language(lang, Path(tmp) / f"model{fold}", data_dir=root,
                                   config_path=config_path, overrides=settings)
            pipeline = spacy.load(model)
            pipeline.get_pipe("textcat_stage").label_weights = {}
            texts = (pipeline_text(n["text"], lang) for n in held)
            for note, doc in zip(held, pipeline.pipe(texts), strict=True):
                probabilities.append([doc.cats[stage] for stage in STAGES])
                gold.append(STAGES.index(note["stage"]))
            if log:
                log(f"{lang}: fold {fold + 1}/{folds} ({len(held)} notes held out)")
    return numpy.asarray(probabilities), numpy.asarray(gold)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lang")
    parser.add_argument("--data", default=str(DATA_DIR))
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20241123)
    args = parser.parse_args(argv)
    probabilities, gold = out_of_fold(args.lang, data_dir=args.data, folds=args.folds,
                                      seed=args.seed)
    weights = fit_weights(probabilities, gold)
    plain = macro_f1(probabilities, gold, numpy.ones(len(STAGES)))
    fitted = macro_f1(probabilities, gold, weights)
    print(f"{args.lang}: out-of-fold stage macro-F1 {plain:.4f} → {fitted:.4f} over {len(gold)}")
    table = ", ".join(f'"{stage}": {weight:.3f}' for stage, weight in zip(STAGES, weights,
                                                                             strict=True))
    print(f"{args.lang} = {{{table}}}")


if __name__ == "__main__":
    main()
