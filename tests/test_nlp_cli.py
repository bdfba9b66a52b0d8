"""`journeybot classify` / `eval` / `train` commands of nlp/cli.py."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest

from nlp.cli import classify_stream, register
from nlp.pipeline import DATA_DIR, MODEL_DIR

needs_model = pytest.mark.skipif(
    not (MODEL_DIR / "pl" / "config.cfg").exists(), reason="no trained model in nlp/model"
)


@needs_model
def test_classify_stream_reports_bad_lines_and_continues():
    lines = io.StringIO(
        "klienci porzucaja koszyk bo platnosc BLIKiem nie dziala\n"
        "\n"
        '{"text": "most people find us on Instagram", "lang": "en"}\n'
        '{"text": broken\n'
        '{"lang": "pl"}\n'
        "[1, 2] plain text that starts with a bracket\n"
        '{"text": "Хората питат за цената във Viber"}\n'
    )
    out = io.StringIO()
    errors = classify_stream(lines, out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 7
    assert errors == 3
    assert rows[0]["lang"] == "pl" and rows[0]["stage"] == "purchase"
    assert rows[0]["pain_point"] is True and "BLIK" in rows[0]["channels"]
    assert set(rows[0]) == {"lang", "stage", "stage_score", "kind", "kind_score",
                            "pain_point", "channels", "sentiment", "alternatives", "sure",
                            "stage_sure", "kind_sure"}
    assert "error" in rows[1] and "empty" in rows[1]["error"]
    assert rows[2]["lang"] == "en" and "Instagram" in rows[2]["channels"]
    assert "error" in rows[3] and "JSON" in rows[3]["error"]
    assert "error" in rows[4] and "text" in rows[4]["error"]
    assert "stage" in rows[5]  # not a JSON object: classified as plain text
    assert rows[6]["lang"] == "bg"


@needs_model
def test_classify_stream_bad_lang_is_an_error_line():
    out = io.StringIO()
    classify_stream(io.StringIO('{"text": "hallo", "lang": "de"}\nsuper obsługa\n'), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "error" in rows[0]
    assert rows[1]["lang"] == "pl"


@needs_model
def test_classify_command_in_a_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "nlp.cli", "classify"],
        input="klienci porzucaja koszyk bo platnosc BLIKiem nie dziala\n",
        capture_output=True, text=True, check=True, timeout=60,
    )
    row = json.loads(done.stdout)
    assert (row["lang"], row["stage"], row["pain_point"]) == ("pl", "purchase", True)


@needs_model
def test_eval_command_json(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    path = str(DATA_DIR / "dev" / "pl.jsonl")
    args = parser.parse_args(["eval", "--data", path, "--json"])
    assert args.func(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == ["splits"]  # no dev checks for a file given by hand
    report = printed["splits"][path]
    assert set(report["languages"]) == {"pl"}
    assert 0.0 <= report["overall"]["stage_macro_f1"] <= 1.0
    assert len(report["overall"]["stage_confusion"]) == 6
    assert 0.0 <= report["overall"]["sure"]["share"] <= 1.0


@needs_model
def test_eval_prints_sure_figures_and_dev_checks(capsys):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "--split", "dev", "--lang", "uk"])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "unsure" in printed and "sure: stage" in printed
    for line in ("sentiment sign agreement", "channels (dev check)", "correction replay"):
        assert line in printed


def test_register_adds_the_three_commands():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    for argv in (["classify"], ["eval", "--split", "test"],
                 ["train", "--with-corrections", "--db", "x.db", "--output", "out"]):
        args = parser.parse_args(argv)
        assert callable(args.func)
