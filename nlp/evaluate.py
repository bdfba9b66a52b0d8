"""Scores of the classifier on a labelled split: accuracy, macro-F1, pain-point P/R/F1,
confusion matrices, how often it is sure and how right it is then — per language and overall.
Also the dev checks of sentiment and channels, and the correction replay (nlp/memory.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bot.core.vocabulary import fold
from nlp.classify import KINDS, STAGES, CorrectionMemory, classify, classify_many


def f1_table(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    per_label = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"p": precision, "r": recall, "f": f1, "support": tp + fn}
    present = [label for label in labels if per_label[label]["support"]]
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    return {
        "accuracy": accuracy,
        "macro_f1": sum(per_label[label]["f"] for label in present) / max(len(present), 1),
        "per_label": per_label,
    }


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows = gold label, columns = predicted label, in the order of `labels`."""
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[labels.index(g)][labels.index(p)] += 1
    return matrix


def score_notes(notes: list[dict], predictions) -> dict:
    gold_stage = [n["stage"] for n in notes]
    gold_kind = [n["kind"] for n in notes]
    pred_stage = [p.stage for p in predictions]
    pred_kind = [p.kind for p in predictions]
    stage = f1_table(gold_stage, pred_stage, STAGES)
    kind = f1_table(gold_kind, pred_kind, KINDS)
    pain = f1_table(
        ["yes" if k == "pain_point" else "no" for k in gold_kind],
        ["yes" if p.pain_point else "no" for p in predictions],
        ("yes", "no"),
    )["per_label"]["yes"]
    lang_ok = sum(p.lang == n["lang"] for n, p in zip(notes, predictions, strict=True))
    sure = [(n, p) for n, p in zip(notes, predictions, strict=True) if p.sure]
    return {
        "sure": {
            "share": len(sure) / max(len(notes), 1),
            "stage_accuracy": sum(p.stage == n["stage"] for n, p in sure) / max(len(sure), 1),
            "kind_accuracy": sum(p.kind == n["kind"] for n, p in sure) / max(len(sure), 1),
        },
        "n": len(notes),
        "stage_accuracy": stage["accuracy"],
        "stage_macro_f1": stage["macro_f1"],
        "kind_accuracy": kind["accuracy"],
        "kind_macro_f1": kind["macro_f1"],
        "pain_point": {"precision": pain["p"], "recall": pain["r"], "f1": pain["f"]},
        "lang_accuracy": lang_ok / max(len(notes), 1),
        "stage_per_label": stage["per_label"],
        "kind_per_label": kind["per_label"],
        "stage_confusion": confusion(gold_stage, pred_stage, STAGES),
        "kind_confusion": confusion(gold_kind, pred_kind, KINDS),
    }


def evaluate(notes: list[dict], *, detect: bool = False) -> dict:
    """Scores per language and overall. With `detect`, the language is detected from the text
    (as the bot does) instead of taken from the note."""
    by_lang: dict[str, list[dict]] = {}
    for note in notes:
        by_lang.setdefault(note["lang"], []).append(note)
    report: dict = {"languages": {}}
    all_notes: list[dict] = []
    all_predictions = []
    for lang in sorted(by_lang):
        group = by_lang[lang]
        texts = [n["text"] for n in group]
        if detect:
            predictions = classify_many(texts, fallback_lang=lang)
        else:
            predictions = classify_many(texts, lang=lang)
        report["languages"][lang] = score_notes(group, predictions)
        all_notes += group
        all_predictions += predictions
    report["overall"] = score_notes(all_notes, all_predictions)
    # notes written as team chat vs sentences in the register of articles about journey maps
    registers = sorted({note.get("register", "chat") for note in all_notes})
    if len(registers) > 1:
        report["registers"] = {}
        for register in registers:
            pairs = [(n, p) for n, p in zip(all_notes, all_predictions, strict=True)
                     if n.get("register", "chat") == register]
            report["registers"][register] = score_notes([n for n, _ in pairs],
                                                        [p for _, p in pairs])
    return report


def _matrix_lines(title: str, labels: Sequence[str], matrix: list[list[int]]) -> list[str]:
    short = [label[:6] for label in labels]
    lines = [f"{title} (rows: gold, columns: predicted)",
             " " * 14 + " ".join(f"{s:>6}" for s in short)]
    for label, row in zip(labels, matrix, strict=True):
        lines.append(f"{label:>13} " + " ".join(f"{v:>6}" for v in row))
    return lines


def format_report(report: dict, *, confusions: bool = True) -> str:
    header = (f"{'lang':<8}{'notes':>6}{'stage acc':>11}{'stage F1':>10}{'kind acc':>10}"
              f"{'kind F1':>9}{'pain P':>8}{'pain R':>8}{'pain F1':>9}{'lang id':>9}"
              f"{'unsure':>8}{'sure: stage':>13}{'kind':>7}")
    lines = [header, "-" * len(header)]
    rows = [*report["languages"].items(), ("overall", report["overall"])]
    rows += [(f"{name}", scores) for name, scores in report.get("registers", {}).items()]
    for name, s in rows:
        pain = s["pain_point"]
        lines.append(
            f"{name:<8}{s['n']:>6}{s['stage_accuracy']:>11.3f}{s['stage_macro_f1']:>10.3f}"
            f"{s['kind_accuracy']:>10.3f}{s['kind_macro_f1']:>9.3f}{pain['precision']:>8.3f}"
            f"{pain['recall']:>8.3f}{pain['f1']:>9.3f}{s['lang_accuracy']:>9.3f}"
            f"{1 - s['sure']['share']:>8.3f}{s['sure']['stage_accuracy']:>13.3f}"
            f"{s['sure']['kind_accuracy']:>7.3f}"
        )
    if confusions:
        overall = report["overall"]
        lines += ["", *_matrix_lines("stage", STAGES, overall["stage_confusion"])]
        lines += ["", *_matrix_lines("kind", KINDS, overall["kind_confusion"])]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- dev checks

SENTIMENT_BAND = 0.15  # |sentiment| below this reads as neutral


def sentiment_sign(value: float, band: float = SENTIMENT_BAND) -> str:
    return "negative" if value <= -band else "positive" if value >= band else "neutral"


def sentiment_check(rows: list[dict]) -> dict:
    """Sign agreement of the classifier's sentiment with labelled rows
    ({"text", "lang", "sentiment": negative|neutral|positive}), per language and overall."""
    report: dict = {"languages": {}}
    agree_all = total_all = 0
    for lang in sorted({row["lang"] for row in rows}):
        group = [row for row in rows if row["lang"] == lang]
        predictions = classify_many([row["text"] for row in group], lang=lang)
        agree = sum(sentiment_sign(p.sentiment) == row["sentiment"]
                    for row, p in zip(group, predictions, strict=True))
        report["languages"][lang] = {"n": len(group), "agreement": agree / len(group)}
        agree_all += agree
        total_all += len(group)
    report["overall"] = {"n": total_all, "agreement": agree_all / max(total_all, 1)}
    return report


def channel_check(rows: list[dict]) -> dict:
    """Channel precision and recall against labelled rows ({"text", "lang", "channels"}),
    comparing each note's set of channels; per language and overall."""
    report: dict = {"languages": {}}
    totals = [0, 0, 0]
    for lang in sorted({row["lang"] for row in rows}):
        group = [row for row in rows if row["lang"] == lang]
        predictions = classify_many([row["text"] for row in group], lang=lang)
        tp = fp = fn = 0
        for row, p in zip(group, predictions, strict=True):
            gold, found = set(row["channels"]), set(p.channels)
            tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
        report["languages"][lang] = _precision_recall(len(group), tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    report["overall"] = _precision_recall(len(rows), *totals)
    return report


def _precision_recall(n: int, tp: int, fp: int, fn: int) -> dict:
    return {"n": n, "precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


_PUNCTUATION = re.compile(r"[^\w\s]+")


def retyped(text: str) -> str:
    """A note as a team member types the same thing again, later: lowercase, no diacritics,
    no punctuation or emoji, and notes of five words or more lose their last word."""
    words = _PUNCTUATION.sub(" ", fold(text)).split()
    if len(words) >= 5:
        words = words[:-1]
    return " ".join(words) or text


def replay_corrections(notes: list[dict]) -> dict:
    """Dev replayed per business as if its team corrected every wrong note as it came: each
    wrong stage or kind is corrected into the business's memory (nlp/memory.py) before the next
    note. Two figures, each with that memory against without:

    * "rest": accuracy (stage and kind both right) over the notes that come after a business's
      first correction. Dev's notes are all different — no later note shares even half its
      words with a corrected one — so this measures that the memory does no harm elsewhere.
    * "repeats": the corrected notes typed again at the end of the business's notes
      (`retyped`), what the memory is for: the team writes the same thing again.
    """
    businesses: dict[tuple, list[dict]] = {}
    for note in notes:
        businesses.setdefault((note["lang"], note.get("domain") or ""), []).append(note)
    rest = {"with": [0, 0, 0], "without": [0, 0, 0]}  # both right, stage right, kind right
    repeats = {"with": [0, 0, 0], "without": [0, 0, 0]}
    after = corrections = 0
    for (lang, _), group in sorted(businesses.items()):
        memory = CorrectionMemory()
        plain = classify_many([n["text"] for n in group], lang=lang)
        corrected = []
        for note, without in zip(group, plain, strict=True):
            with_memory = classify(note["text"], lang, memory=memory)
            if len(memory):
                after += 1
                _count(rest, note, with_memory, without)
            wrong_stage = with_memory.stage != note["stage"]
            wrong_kind = with_memory.kind != note["kind"]
            if wrong_stage or wrong_kind:
                corrections += 1
                corrected.append(note)
                # the field the team left as it was is confirmed (storage.notes.chat_corrections)
                memory.add(note["text"], lang, stage=note["stage"], kind=note["kind"])
        again = [retyped(note["text"]) for note in corrected]
        plain = classify_many(again, lang=lang)
        for note, text, without in zip(corrected, again, plain, strict=True):
            _count(repeats, note, classify(text, lang, memory=memory), without)

    def shares(counts: dict, n: int) -> dict:
        return {key: {"both": c[0] / max(n, 1), "stage": c[1] / max(n, 1),
                      "kind": c[2] / max(n, 1)} for key, c in counts.items()}

    return {
        "businesses": len(businesses),
        "corrections": corrections,
        "notes_after_a_correction": after,
        **shares(rest, after),
        "repeats": {"n": corrections, **shares(repeats, corrections)},
    }


def _count(counts: dict, note: dict, with_memory, without) -> None:
    for key, result in (("with", with_memory), ("without", without)):
        stage_ok, kind_ok = result.stage == note["stage"], result.kind == note["kind"]
        counts[key][0] += stage_ok and kind_ok
        counts[key][1] += stage_ok
        counts[key][2] += kind_ok


def read_check(directory: Path) -> list[dict]:
    """The rows of `directory/<lang>.jsonl` (a dev check), any labels kept."""
    import json

    rows = []
    for file in sorted(Path(directory).glob("*.jsonl")):
        for line in file.read_text(encoding="utf8").splitlines():
            if line.strip():
                row = json.loads(line)
                row.setdefault("lang", file.stem)
                rows.append(row)
    return rows


def format_checks(sentiment: dict | None, channels: dict | None, replay: dict | None) -> str:
    lines = []
    if sentiment:
        lines.append("sentiment sign agreement (dev check): " + ", ".join(
            f"{lang} {s['agreement']:.3f}" for lang, s in sentiment["languages"].items())
            + f"; overall {sentiment['overall']['agreement']:.3f} ({sentiment['overall']['n']})")
    if channels:
        lines.append("channels (dev check), precision / recall: " + ", ".join(
            f"{lang} {s['precision']:.3f}/{s['recall']:.3f}"
            for lang, s in channels["languages"].items())
            + f"; overall {channels['overall']['precision']:.3f}/"
              f"{channels['overall']['recall']:.3f} ({channels['overall']['n']})")
    if replay:
        lines.append(
            f"correction replay (dev, {replay['businesses']} businesses, "
            f"{replay['corrections']} corrections): on the {replay['notes_after_a_correction']} "
            f"notes after a business's first correction, stage and kind right "
            f"{replay['without']['both']:.3f} without memory → {replay['with']['both']:.3f} "
            f"with (stage {replay['without']['stage']:.3f} → {replay['with']['stage']:.3f}, "
            f"kind {replay['without']['kind']:.3f} → {replay['with']['kind']:.3f})")
        repeats = replay["repeats"]
        lines.append(
            f"correction replay, the {repeats['n']} corrected notes typed again later: stage "
            f"and kind right {repeats['without']['both']:.3f} without memory → "
            f"{repeats['with']['both']:.3f} with (stage {repeats['without']['stage']:.3f} → "
            f"{repeats['with']['stage']:.3f}, kind {repeats['without']['kind']:.3f} → "
            f"{repeats['with']['kind']:.3f})")
    return "\n".join(lines)
