"""Scores of the classifier on a labelled split: accuracy, macro-F1, pain-point P/R/F1,
confusion matrices — per language and overall."""

from __future__ import annotations

from collections.abc import Sequence

from nlp.classify import KINDS, STAGES, classify_many


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
    return {
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
              f"{'kind F1':>9}{'pain P':>8}{'pain R':>8}{'pain F1':>9}{'lang id':>9}")
    lines = [header, "-" * len(header)]
    rows = [*report["languages"].items(), ("overall", report["overall"])]
    rows += [(f"{name}", scores) for name, scores in report.get("registers", {}).items()]
    for name, s in rows:
        pain = s["pain_point"]
        lines.append(
            f"{name:<8}{s['n']:>6}{s['stage_accuracy']:>11.3f}{s['stage_macro_f1']:>10.3f}"
            f"{s['kind_accuracy']:>10.3f}{s['kind_macro_f1']:>9.3f}{pain['precision']:>8.3f}"
            f"{pain['recall']:>8.3f}{pain['f1']:>9.3f}{s['lang_accuracy']:>9.3f}"
        )
    if confusions:
        overall = report["overall"]
        lines += ["", *_matrix_lines("stage", STAGES, overall["stage_confusion"])]
        lines += ["", *_matrix_lines("kind", KINDS, overall["kind_confusion"])]
    return "\n".join(lines)
