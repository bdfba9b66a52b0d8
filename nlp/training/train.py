"""`journeybot train`: rebuild the shipped pipelines from the corpus with spaCy's config system.

For each language: `load_config(textcat.cfg, overrides)` → `init_nlp` → `train` (seeded, so two
runs give identical files) → copy `model-last` (with averaged parameters) to `<output>/<lang>`.
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
from nlp.pipeline import CONFIG_PATH, DATA_DIR, MODEL_DIR


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
    """Trains one language's pipeline into `output_dir/<lang>`; returns that path."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train
    from spacy.util import load_config

    import nlp.components
    import nlp.training.corpus

    settings = {
        "paths.lang": lang,
        "nlp.lang": lang,
        "paths.data": str(data_dir),
        "paths.extra": str(extra) if extra else None,
    }
    settings.update(overrides or {})
    config = load_config(Path(config_path), overrides=settings, interpolate=False)
    started = time.perf_counter()
    nlp = init_nlp(config)
    target = Path(output_dir) / lang
    with tempfile.TemporaryDirectory(prefix=f"journeybot-train-{lang}-") as tmp:
        buffer = io.StringIO()
        train(nlp, Path(tmp), stdout=buffer, stderr=buffer)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(Path(tmp) / "model-last", target)
    if log:
        log(f"{lang}: trained in {time.perf_counter() - started:.1f} s → {target}")
    return target


def train_all(
    langs: Iterable[str] = LANGUAGES,
    output_dir: str | Path = MODEL_DIR,
    *,
    data_dir: str | Path = DATA_DIR,
    config_path: str | Path = CONFIG_PATH,
    db_path: str | Path | None = None,
    with_corrections: bool = False,
    log=print,
) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="journeybot-corrections-") as tmp:
        extra = None
        if with_corrections:
            from storage.db import default_db_path

            extra, count = corrections_file(db_path or default_db_path(), Path(tmp))
            log(f"{count} corrected notes added to the training data")
        return [
            train_language(lang, output_dir, data_dir=data_dir, config_path=config_path,
                           extra=extra, log=log)
            for lang in langs
        ]
