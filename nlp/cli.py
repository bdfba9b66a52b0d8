"""The classifier's commands for `journeybot` (bot/cli.py calls `register(subparsers)`):

    journeybot classify            notes on stdin (text or {"text", "lang"} JSON) → JSON lines
    journeybot eval [--split dev]  per split: macro-F1, pain-point P/R/F1, sure/unsure; dev checks
    journeybot calibrate           fit nlp/model/calibration.json (when a note is "sure") on dev
    journeybot train               rebuild nlp/model/<lang> reproducibly from nlp/data

`python -m nlp.cli …` works as well.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

BATCH = 256


def _parse_line(line: str) -> tuple[str, str | None]:
    """(text, lang) of one input line; ValueError with a message for bad lines."""
    stripped = line.strip()
    if not stripped:
        raise ValueError("empty line")
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ValueError(f"invalid JSON: {error.msg} at column {error.colno}") from None
        if not isinstance(obj, dict):
            raise ValueError("a JSON line must be an object with a \"text\" field")
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the JSON object has no non-empty \"text\" field")
        lang = obj.get("lang")
        if lang is not None and not isinstance(lang, str):
            raise ValueError("\"lang\" must be a string such as \"pl\"")
        return text, lang
    return stripped, None


def classify_stream(
    lines: TextIO, out: TextIO, *, fallback_lang: str | None = None, batch: int = BATCH
) -> int:
    """Classifies every line of `lines`, writing one JSON object per line to `out`.

    Bad lines produce {"error": "..."} and processing continues. Returns the number of
    error lines."""
    from nlp.classify import classify, classify_many

    errors = 0
    pending: list[tuple[int, str, str | None]] = []
    results: dict[int, dict] = {}
    next_out = 0

    def flush() -> None:
        nonlocal next_out
        groups: dict[str | None, list[tuple[int, str]]] = {}
        for position, text, lang in pending:
            groups.setdefault(lang, []).append((position, text))
        for lang, items in groups.items():
            try:
                found = classify_many([t for _, t in items], lang=lang,
                                      fallback_lang=fallback_lang)
                for (position, _), result in zip(items, found, strict=True):
                    results[position] = result.to_dict()
            except ValueError:
                for position, text in items:  # one bad "lang" must not sink the batch
                    try:
                        results[position] = classify(text, lang,
                                                     fallback_lang=fallback_lang).to_dict()
                    except ValueError as error:
                        results[position] = {"error": str(error)}
        pending.clear()
        while next_out in results:
            out.write(json.dumps(results.pop(next_out), ensure_ascii=False) + "\n")
            next_out += 1
        out.flush()

    for position, line in enumerate(lines):
        try:
            text, lang = _parse_line(line)
        except ValueError as error:
            results[position] = {"error": str(error)}
            errors += 1
        else:
            pending.append((position, text, lang))
        if len(pending) >= batch:
            flush()
    flush()
    return errors


def _classify(args: argparse.Namespace) -> int:
    if args.model:
        from nlp.classify import set_model_dir

        set_model_dir(args.model)
    classify_stream(sys.stdin, sys.stdout, fallback_lang=args.fallback_lang)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from nlp.classify import set_model_dir
    from nlp.pipeline import DATA_DIR

    if args.model:
        set_model_dir(args.model)
    if args.data:
        path = Path(args.data)
        if path.is_dir() and args.split and (path / args.split).is_dir():
            path = path / args.split
        splits = [(str(path), path)]
    else:
        names = [args.split] if args.split else [
            s for s in DEFAULT_SPLITS if (DATA_DIR / s).is_dir()
        ]
        splits = [(name, DATA_DIR / name) for name in names]
    reports = {}
    for name, path in splits:
        report = _eval_split(name, path, args)
        if report is None:
            return 2
        reports[name] = report
    checks = {}
    if not args.data and "dev" in reports and not args.no_checks:
        checks = _dev_checks(DATA_DIR / "dev", args.lang)
    if args.json:
        print(json.dumps({"splits": reports, **checks}, indent=2, ensure_ascii=False))
    elif checks:
        from nlp.evaluate import format_checks

        print(format_checks(checks.get("sentiment"), checks.get("channels"),
                            checks.get("correction_replay")))
    return 0


SPLITS = ("dev", "test", "blind", "blind2", "blind3", "blind4", "blind5", "blind6")
# blind2 to blind6 are scored only when asked for by name (`--split blind6`): each is
# reported once, at the end of a round of work, so that nobody tunes on it by running the default
# evaluation.
DEFAULT_SPLITS = ("dev", "test", "blind")


def _eval_split(name: str, path: Path, args: argparse.Namespace) -> dict | None:
    from nlp.evaluate import evaluate, format_report
    from nlp.training.corpus import read_notes

    if not path.exists():
        print(f"journeybot eval: no such file or directory: {path}", file=sys.stderr)
        return None
    notes = read_notes(path)
    if args.lang:
        notes = [n for n in notes if n["lang"] == args.lang]
    if not notes:
        print(f"journeybot eval: no labelled notes in {path}", file=sys.stderr)
        return None
    report = evaluate(notes, detect=args.detect)
    if not args.json:
        print(f"{name}: {path} ({len(notes)} notes, language "
              f"{'detected' if args.detect else 'given'})\n")
        print(format_report(report, confusions=args.confusion))
        print()
    return report


def _dev_checks(dev: Path, lang: str | None) -> dict:
    """The dev checks: sentiment and channels (labelled by hand) and the correction replay."""
    from nlp.evaluate import channel_check, read_check, replay_corrections, sentiment_check
    from nlp.training.corpus import read_notes

    def rows(check: str) -> list[dict]:
        found = read_check(dev / check) if (dev / check).is_dir() else []
        return [row for row in found if lang is None or row["lang"] == lang]

    checks: dict = {}
    if sentiment := rows("sentiment"):
        checks["sentiment"] = sentiment_check(sentiment)
    if channels := rows("channels"):
        checks["channels"] = channel_check(channels)
    notes = [n for n in read_notes(dev) if lang is None or n["lang"] == lang]
    if notes:
        checks["correction_replay"] = replay_corrections(notes)
    return checks


def _train(args: argparse.Namespace) -> int:
    from bot.core.vocabulary import LANGUAGES
    from nlp.pipeline import CONFIG_PATH, DATA_DIR, MODEL_DIR
    from nlp.training.train import train_all

    langs = args.lang or list(LANGUAGES)
    train_all(
        langs,
        Path(args.output) if args.output else MODEL_DIR,
        data_dir=Path(args.data) if args.data else DATA_DIR,
        config_path=Path(args.config) if args.config else CONFIG_PATH,
        db_path=args.db,
        with_corrections=args.with_corrections,
        log=lambda message: print(message, file=sys.stderr),
    )
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from nlp.classify import model_dir, set_model_dir
    from nlp.pipeline import DATA_DIR
    from nlp.training.calibrate import fit_calibration

    if args.model:
        set_model_dir(args.model)
    data_dir = Path(args.data) if args.data else DATA_DIR
    if args.curve:
        from nlp.training.calibrate import calibrated_rows, threshold_curve

        print("\n".join(threshold_curve(calibrated_rows(data_dir=data_dir)[1])))
        return 0
    calibration = fit_calibration(data_dir=data_dir)
    path = calibration.save(model_dir())
    print(f"calibration written to {path}: {calibration.describe()}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Adds `classify`, `eval` and `train` to an argparse subparsers object."""
    from bot.core.vocabulary import LANGUAGES as langs

    cls = subparsers.add_parser(
        "classify",
        help="classify notes from stdin (one per line: text or JSON with \"text\"/\"lang\")",
    )
    cls.add_argument("--fallback-lang", choices=langs,
                     help="the chat's language, for very short notes")
    cls.add_argument("--model", help="directory with <lang>/ pipelines (default: shipped)")
    cls.set_defaults(func=_classify)

    ev = subparsers.add_parser(
        "eval", help="score the classifier on dev, test and the blind split, plus dev's checks"
    )
    ev.add_argument("--data", help="a .jsonl file or a directory (default: nlp/data/<split>)")
    ev.add_argument("--split", choices=SPLITS,
                    help="only this split (default: dev, test, blind; blind2-6 only by name)")
    ev.add_argument("--lang", choices=langs, help="only this language")
    ev.add_argument("--detect", action="store_true",
                    help="detect each note's language instead of trusting its label")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--confusion", action="store_true", help="print confusion matrices")
    ev.add_argument("--no-checks", action="store_true",
                    help="skip dev's sentiment, channel and correction-replay checks")
    ev.add_argument("--model", help="directory with <lang>/ pipelines (default: shipped)")
    ev.set_defaults(func=_eval)

    cal = subparsers.add_parser(
        "calibrate", help="fit when the classifier is sure on the dev split (calibration.json)"
    )
    cal.add_argument("--data", help="corpus directory with dev/ (default: nlp/data)")
    cal.add_argument("--model", help="directory with <lang>/ pipelines (default: shipped)")
    cal.add_argument("--curve", action="store_true",
                     help="print sure accuracy and unsure share per language for other "
                          "targets; writes nothing")
    cal.set_defaults(func=_calibrate)

    tr = subparsers.add_parser("train", help="rebuild the shipped model from nlp/data")
    tr.add_argument("--with-corrections", action="store_true",
                    help="add the notes corrected in the bot (from the database)")
    tr.add_argument("--db", help="SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)")
    tr.add_argument("--output", help="directory for <lang>/ pipelines (default: nlp/model)")
    tr.add_argument("--lang", action="append", choices=langs,
                    help="train only this language (repeatable)")
    tr.add_argument("--data", help="corpus directory with train/ dev/ (default: nlp/data)")
    tr.add_argument("--config", help="training config (default: nlp/training/configs/textcat.cfg)")
    tr.set_defaults(func=_train)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.cli")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
