"""`journeybot calibrate`: fit nlp/model/calibration.json on the dev split (nlp/calibration.py).

Per language: the stage and kind temperatures that make dev's probabilities honest, then the
two thresholds above which a note of that language is "sure" (the most of its dev notes sure
while those keep stage accuracy ≥ 0.96 and kind accuracy ≥ 0.91); the same over all
languages' notes gives the pair for a language without dev notes. Deterministic: the same
models and dev give the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.core.vocabulary import LANGUAGES
from nlp.calibration import Calibration, choose_thresholds, fit_temperature
from nlp.pipeline import DATA_DIR

HEADS = ("stage", "kind")


def fit_calibration(
    langs: Iterable[str] = LANGUAGES,
    *,
    data_dir: str | Path = DATA_DIR,
    model_dir: str | Path | None = None,
    split: str = "dev",
) -> Calibration:
    """Fits the temperatures and thresholds on `data_dir/<split>` with the models of
    `model_dir` (default: the ones classify uses)."""
    from nlp import classify as classifier
    from nlp.training.corpus import KINDS, STAGES, read_notes

    labels = {"stage": STAGES, "kind": KINDS}
    previous = classifier.model_dir()
    if model_dir is not None:
        classifier.set_model_dir(model_dir)
    try:
        directory = str(classifier.model_dir())
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
        stage_t, kind_t = choose_thresholds([row for lang in rows for row in rows[lang]])
        thresholds = {}
        for lang, lang_rows in rows.items():
            lang_stage, lang_kind = choose_thresholds(lang_rows)
            thresholds[lang] = {"stage": lang_stage, "kind": lang_kind}
        calibration = Calibration(temperatures, stage_t, kind_t, thresholds)
        classifier._calibrations[directory] = calibration
        return calibration
    finally:
        classifier.set_model_dir(previous)
