"""`journeybot calibrate`: fit nlp/model/calibration.json on the dev split (nlp/calibration.py).

Per language: the stage and kind temperatures that make dev's probabilities honest, then the
two thresholds above which a note of that language is "sure" (the most of its dev notes sure
while those keep stage accuracy ≥ 0.97 and kind accuracy ≥ 0.92, nlp/calibration.py's
targets); the same over all languages' notes gives the pair for a language without dev notes.
Deterministic: the same models and dev give the same file. `threshold_curve` (`journeybot
calibrate --curve`) shows what other targets would give, per language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

from bot.core.vocabulary import LANGUAGES
from nlp.calibration import (
    KIND_TARGET,
    STAGE_TARGET,
    Calibration,
    choose_thresholds,
    fit_temperature,
)
from nlp.pipeline import DATA_DIR

HEADS = ("stage", "kind")


def fit_calibration(
    langs: Iterable[str] = LANGUAGES,
    *,
    data_dir: str | Path = DATA_DIR,
    model_dir: str | Path | None = None,
    split: str = "dev",
    stage_target: float = STAGE_TARGET,
    kind_target: float = KIND_TARGET,
) -> Calibration:
    """Fits the temperatures and thresholds on `data_dir/<split>` with the models of
    `model_dir` (default: the ones classify uses)."""
    from nlp import classify as classifier

    temperatures, rows = calibrated_rows(langs, data_dir=data_dir, model_dir=model_dir,
                                         split=split)
    targets = {"stage_target": stage_target, "kind_target": kind_target}
    stage_t, kind_t = choose_thresholds([row for lang in rows for row in rows[lang]], **targets)
    thresholds = {}
    for lang, lang_rows in rows.items():
        lang_stage, lang_kind = choose_thresholds(lang_rows, **targets)
        thresholds[lang] = {"stage": lang_stage, "kind": lang_kind}
    calibration = Calibration(temperatures, stage_t, kind_t, thresholds,
                              {"stage": stage_target, "kind": kind_target})
    # classify in this process uses the new fit at once (as the saved file will say)
    key = str(Path(model_dir)) if model_dir is not None else str(classifier.model_dir())
    classifier._calibrations[key] = calibration  # the key classify reads it under
    return calibration


def calibrated_rows(
    langs: Iterable[str] = LANGUAGES,
    *,
    data_dir: str | Path = DATA_DIR,
    model_dir: str | Path | None = None,
    split: str = "dev",
) -> tuple[dict[str, dict[str, float]], dict[str, list[tuple[float, bool, float, bool]]]]:
    """The temperatures fitted on `split`, and per language one row per note: (calibrated
    stage score, stage right?, calibrated kind score, kind right?), as classify reports them
    (stage cues applied; a score of -1 where the note can never be sure)."""
    from nlp import classify as classifier
    from nlp.training.corpus import KINDS, STAGES, read_notes

    labels = {"stage": STAGES, "kind": KINDS}
    previous = classifier.model_dir()
    if model_dir is not None:
        classifier.set_model_dir(model_dir)
    try:
        directory = str(classifier.model_dir())
        cached = classifier._calibrations.get(directory)
        temperatures: dict[str, dict[str, float]] = {}
        per_lang = {}
        for lang in langs:
            notes = read_notes(Path(data_dir) / split / f"{lang}.jsonl", lang)
            if not notes:
                continue
            nlp = classifier.get_pipeline(lang)
            docs = list(nlp.pipe(classifier.pipeline_text(n["text"], lang) for n in notes))
            per_lang[lang] = (notes, docs)
            temperatures[lang] = {
                head: fit_temperature(
                    ([doc.cats.get(label, 0.0) for label in labels[head]],
                     labels[head].index(note[head]))
                    for note, doc in zip(notes, docs, strict=True)
                )
                for head in HEADS
            }
        # thresholds on the scores classify reports (calibrated, stage cues applied)
        classifier._calibrations[directory] = Calibration(temperatures)
        rows: dict[str, list] = {}
        for lang, (notes, docs) in per_lang.items():
            for note, doc in zip(notes, docs, strict=True):
                result = classifier._from_doc(doc, lang)
                # with thresholds 0, unsure means a note of one word: never sure
                rows.setdefault(lang, []).append((
                    result.stage_score if result.stage_sure else -1.0,
                    result.stage == note["stage"],
                    result.kind_score if result.kind_sure else -1.0,
                    result.kind == note["kind"],
                ))
        return temperatures, rows
    finally:
        if cached is None:
            classifier._calibrations.pop(directory, None)
        else:
            classifier._calibrations[directory] = cached
        classifier.set_model_dir(previous)


def sure_figures(rows, stage_t: float, kind_t: float) -> tuple[int, float, float, float]:
    """(notes, sure stage accuracy, sure kind accuracy, unsure share) of `rows` with those
    thresholds; accuracies are nan when no note is sure."""
    sure = [row for row in rows if row[0] >= stage_t and row[2] >= kind_t]
    if not rows:
        return 0, math.nan, math.nan, math.nan
    stage_acc = sum(row[1] for row in sure) / len(sure) if sure else math.nan
    kind_acc = sum(row[3] for row in sure) / len(sure) if sure else math.nan
    return len(rows), stage_acc, kind_acc, 1 - len(sure) / len(rows)


def threshold_curve(
    rows: dict[str, list[tuple[float, bool, float, bool]]],
    stage_targets: Iterable[float] = (0.95, 0.96, 0.97, 0.98),
    kind_targets: Iterable[float] = (0.90, 0.91, 0.92, 0.93),
) -> list[str]:
    """Lines for a person: for each pair of targets, each language's thresholds, its dev sure
    stage/kind accuracy and unsure share, and the same over all languages (each language
    with its own thresholds)."""
    lines = []
    for stage_target, kind_target in zip(stage_targets, kind_targets, strict=True):
        lines.append(f"targets stage ≥ {stage_target:.2f}, kind ≥ {kind_target:.2f}:")
        notes = sure = stage_right = kind_right = 0
        for lang, lang_rows in rows.items():
            stage_t, kind_t = choose_thresholds(lang_rows, stage_target=stage_target,
                                                kind_target=kind_target)
            n, stage_acc, kind_acc, unsure = sure_figures(lang_rows, stage_t, kind_t)
            kept = round(n * (1 - unsure))
            notes, sure = notes + n, sure + kept
            stage_right += round(stage_acc * kept) if kept else 0
            kind_right += round(kind_acc * kept) if kept else 0
            lines.append(f"  {lang}: stage ≥ {stage_t:.2f}, kind ≥ {kind_t:.2f} → sure stage "
                         f"{stage_acc:.3f}, sure kind {kind_acc:.3f}, unsure {unsure:.1%} "
                         f"of {n}")
        if sure:
            lines.append(f"  all: sure stage {stage_right / sure:.3f}, sure kind "
                         f"{kind_right / sure:.3f}, unsure {1 - sure / notes:.1%} of {notes}")
    lines.append("stage threshold → sure stage accuracy, unsure share (kind threshold as fitted "
                 f"for {STAGE_TARGET:.2f}/{KIND_TARGET:.2f}):")
    for lang, lang_rows in rows.items():
        _, kind_t = choose_thresholds(lang_rows)
        cells = []
        for stage_t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
            _, stage_acc, _, unsure = sure_figures(lang_rows, stage_t, kind_t)
            cells.append(f"{stage_t:.2f}→{stage_acc:.3f}/{unsure:.0%}")
        lines.append(f"  {lang}: " + "  ".join(cells))
    return lines
