"""`journeybot train`: rebuild the shipped pipelines from the corpus with spaCy's config system.

For each language and each seed of the config's `[journeybot] seeds`: `load_config(textcat.cfg,
overrides)` → `init_nlp` → `train` (seeded, so two runs give identical files); then the
textcats' weights of those runs are averaged into one pipeline (`average_textcats`), written to
`<output>/<lang>`. With one seed, that run's `model-last` (with averaged parameters) as it is.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bot.core.vocabulary import LANGUAGES
from nlp.pipeline import CONFIG_PATH, DATA_DIR, MODEL_DIR, TEXTCATS


def corrections_file(db_path: str | Path, directory: Path) -> tuple[Path, int]:
    """Writes the notes the team corrected in the bot to a JSONL file; (path, count)."""
    from storage.db import open_db
    from storage.notes import corrected_examples

    db = open_db(db_path)
    try:
        examples = corrected_examples(db)
    finally:
        db.close()
    path = directory / "corrections.jsonl"
    with path.open("w", encoding="utf8") as handle:
        for note in examples:
            row = {k: note.get(k) for k in ("text", "lang", "stage", "kind")}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path, len(examples)


def train_language(
    lang: str,
    output_dir: str | Path,
    *,
    data_dir: str | Path = DATA_DIR,
    config_path: str | Path = CONFIG_PATH,
    extra: str | Path | None = None,
    overrides: dict | None = None,
    log=None,
) -> Path:
    """Trains one language's pipeline into `output_dir/<lang>`; returns that path.

    One run per seed of the config's `[journeybot] seeds` (the `[system] seed` alone when the
    section is absent or `overrides` set `system.seed`), averaged (`average_textcats`). The
    language's `[journeybot.pain_point_weight]` becomes textcat_kind's `label_weights`, its
    `[journeybot.stage_weights]` (fitted on train by `nlp.training.stage_prior`) textcat_stage's,
    and its `[journeybot.skip_bigrams]` both textcats' `skip_bigrams`."""
    from spacy.util import load_config

    settings = {
        "paths.lang": lang,
        "nlp.lang": lang,
        "paths.data": str(data_dir),
        "paths.extra": str(extra) if extra else None,
    }
    settings.update(overrides or {})
    config = load_config(Path(config_path), overrides=settings, interpolate=False)
    ours = config.get("journeybot", {})
    pain_weight = ours.get("pain_point_weight", {}).get(lang)
    if pain_weight is not None and "components.textcat_kind.label_weights" not in settings:
        settings["components.textcat_kind.label_weights"] = {"pain_point": pain_weight}
    stage_weights = ours.get("stage_weights", {}).get(lang)
    if stage_weights and "components.textcat_stage.label_weights" not in settings:
        settings["components.textcat_stage.label_weights"] = dict(stage_weights)
    skip_bigrams = ours.get("skip_bigrams", {}).get(lang)
    for name in TEXTCATS:
        key = f"components.{name}.model.skip_bigrams"
        if skip_bigrams is not None and key not in settings:
            settings[key] = bool(skip_bigrams)
    seeds = list(ours.get("seeds") or [])
    if not seeds or "system.seed" in settings:
        seeds = [config["system"]["seed"]]
    started = time.perf_counter()
    target = Path(output_dir) / lang
    with tempfile.TemporaryDirectory(prefix=f"journeybot-train-{lang}-") as tmp:
        runs = [_train_run(config_path, {**settings, "system.seed": seed}, Path(tmp) / str(i))
                for i, seed in enumerate(seeds)]
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if len(runs) == 1:
            shutil.copytree(runs[0], target)
        else:
            average_textcats(runs, target)
    if log:
        seeds_text = f", {len(seeds)} seeds averaged" if len(seeds) > 1 else ""
        log(f"{lang}: trained in {time.perf_counter() - started:.1f} s{seeds_text} → {target}")
    return target


def _train_run(config_path: str | Path, settings: dict, directory: Path) -> Path:
    """One seeded spaCy training run; returns its `model-last` directory."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train
    from spacy.util import load_config

    import nlp.components
    import nlp.training.corpus  # registers journeybot.NotesCorpus.v1

    config = load_config(Path(config_path), overrides=settings, interpolate=False)
    nlp = init_nlp(config)
    directory.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    train(nlp, directory, stdout=buffer, stderr=buffer)
    return directory / "model-last"


def average_textcats(runs: list[Path], target: Path) -> Path:
    """One pipeline whose textcats' weights (W, b) are the mean of those of `runs`, written to
    `target`: the softmax of the mean logits, so classifying costs what one model costs.

    The runs differ only by seed (shuffling and feature dropout): the same notes and settings
    give every run the same feature index, which is checked."""
    import numpy
    import spacy

    import nlp.components  # noqa: F401  (registers the factories)

    pipelines = [spacy.load(run) for run in runs]
    for name in TEXTCATS:
        models = [pipeline.get_pipe(name).model for pipeline in pipelines]
        keys = models[0].attrs["keys"]
        if any(not numpy.array_equal(model.attrs["keys"], keys) for model in models[1:]):
            raise ValueError(f"{name}: runs with different feature indexes cannot be averaged")
        for param in ("W", "b"):
            stacked = numpy.stack([model.get_param(param) for model in models])
            models[0].set_param(param, stacked.mean(axis=0, dtype="float64").astype("float32"))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    pipelines[0].to_disk(target)
    return target


def dev_score(lang: str, model_dir: str | Path, data_dir: str | Path = DATA_DIR) -> float:
    """The mean of stage and kind macro-F1 on `data_dir/dev/<lang>.jsonl` with the pipeline in
    `model_dir/<lang>` (0 without dev notes or without a model there)."""
    from nlp import classify as classifier
    from nlp.evaluate import score_notes
    from nlp.training.corpus import read_notes

    notes = read_notes(Path(data_dir) / "dev" / f"{lang}.jsonl", lang)
    if not notes or not (Path(model_dir) / lang / "config.cfg").exists():
        return 0.0
    previous = classifier.model_dir()
    classifier.set_model_dir(model_dir)
    try:
        scores = score_notes(notes, classifier.classify_many([n["text"] for n in notes],
                                                             lang=lang))
    finally:
        classifier.set_model_dir(previous)
        classifier.forget_pipelines(model_dir)
    return (scores["stage_macro_f1"] + scores["kind_macro_f1"]) / 2


def train_all(
    langs: Iterable[str] = LANGUAGES,
    output_dir: str | Path = MODEL_DIR,
    *,
    data_dir: str | Path = DATA_DIR,
    config_path: str | Path = CONFIG_PATH,
    db_path: str | Path | None = None,
    with_corrections: bool = False,
    calibrate: bool = True,
    overrides: dict | None = None,
    log=print,
) -> list[Path]:
    """Trains each language into `output_dir/<lang>`, then refits `calibration.json` there.

    With `with_corrections` the notes the teams corrected in the bot join the training data,
    and the gate applies: a language's new model replaces the one in `output_dir` only if its
    dev score (mean of stage and kind macro-F1) is not lower. Returns the paths of the models
    that were written."""
    output_dir = Path(output_dir)
    written = []
    with tempfile.TemporaryDirectory(prefix="journeybot-corrections-") as tmp:
        extra = None
        if with_corrections:
            from storage.db import default_db_path

            extra, count = corrections_file(db_path or default_db_path(), Path(tmp))
            log(f"{count} corrected notes added to the training data")
        for lang in langs:
            if not with_corrections:
                written.append(train_language(lang, output_dir, data_dir=data_dir,
                                              config_path=config_path, overrides=overrides,
                                              log=log))
                continue
            candidate = train_language(lang, Path(tmp) / "candidate", data_dir=data_dir,
                                       config_path=config_path, extra=extra,
                                       overrides=overrides, log=log)
            new = dev_score(lang, Path(tmp) / "candidate", data_dir)
            old = dev_score(lang, output_dir, data_dir)
            if new >= old:
                log(f"{lang}: kept the new model (dev {new:.3f}, was {old:.3f})")
                target = output_dir / lang
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(candidate, target)
                written.append(target)
            else:
                log(f"{lang}: new model NOT kept: dev {new:.3f} is below the current {old:.3f}")
    if calibrate and written:
        from nlp.training.calibrate import fit_calibration

        present = [lang for lang in LANGUAGES if (output_dir / lang / "config.cfg").exists()]
        calibration = fit_calibration(present, data_dir=data_dir, model_dir=output_dir)
        calibration.save(output_dir)
        log(f"calibration: {calibration.describe()} → {output_dir / 'calibration.json'}")
    return written
