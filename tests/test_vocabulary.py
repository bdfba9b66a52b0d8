"""One vocabulary (languages, stages, kinds) and one folding function for every layer."""

import ast
import configparser
import json
from pathlib import Path

import pytest

from bot.core import model, vocabulary
from bot.core.vocabulary import GENERIC_CHANNELS, KINDS, LANGUAGES, STAGES, fold
from bot.exports import slug
from bot.texts import t
from storage.search import search_terms, word_prefix

ROOT = Path(__file__).parent.parent
SOURCES = sorted(
    path for package in ("bot", "nlp", "storage") for path in (ROOT / package).rglob("*.py")
)
VOCABULARY = ROOT / "bot" / "core" / "vocabulary.py"
# Deliberately other orders of the same words, each for its own reason.
OTHER_ORDERS = {("bot/core/insights.py", "GAP_PRIORITY")}  # which empty lane to mention first


def _literal_strings(node: ast.AST) -> tuple[str, ...] | None:
    if not isinstance(node, ast.Tuple | ast.List | ast.Set) or not node.elts:
        return None
    if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return tuple(e.value for e in node.elts)
    return None


def _assigned_name(tree: ast.AST, literal: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is literal:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return ",".join(ast.unparse(target) for target in targets)
    return ""


def test_languages_stages_and_kinds_are_written_down_once():
    repeated = []
    for path in SOURCES:
        if path == VOCABULARY:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            words = _literal_strings(node)
            vocabularies = (set(LANGUAGES), set(STAGES), set(KINDS), set(GENERIC_CHANNELS))
            if words and set(words) in vocabularies:
                where = (str(path.relative_to(ROOT)), _assigned_name(tree, node))
                if where not in OTHER_ORDERS:
                    repeated.append(f"{where[0]}:{node.lineno} {words}")
    assert not repeated, "use bot.core.vocabulary instead of:\n" + "\n".join(repeated)


def test_there_is_one_folding_function():
    others = []
    for path in SOURCES:
        if path == VOCABULARY:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.strip("_").startswith("fold"):
                others.append(f"{path.relative_to(ROOT)}:{node.lineno} def {node.name}")
            elif isinstance(node, ast.Attribute) and node.attr in ("normalize", "casefold"):
                others.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not others, "fold with bot.core.vocabulary.fold instead of:\n" + "\n".join(others)


def test_every_layer_uses_the_same_objects():
    from nlp import classify, langid
    from nlp.training import corpus

    assert classify.STAGES is corpus.STAGES is model.STAGE_KEYS is STAGES
    assert classify.KINDS is corpus.KINDS is model.KINDS is model.LANES is KINDS
    assert classify.LANGUAGES is langid.LANGUAGES is model.LANGUAGES is LANGUAGES
    assert classify.GENERIC_CHANNELS is GENERIC_CHANNELS
    assert KINDS == ("touchpoint", "action", "need", "emotion", "pain_point", "opportunity")


def test_the_models_labels_are_the_vocabulary():
    """The trained textcats list their labels in their own (trained) order: same words."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "nlp" / "training" / "configs" / "textcat.cfg")
    assert set(json.loads(config["initialize.components.textcat_stage"]["labels"])) == set(STAGES)
    assert set(json.loads(config["initialize.components.textcat_kind"]["labels"])) == set(KINDS)
    for lang in LANGUAGES:
        shipped = ROOT / "nlp" / "model" / lang
        assert json.loads((shipped / "meta.json").read_text())["lang"] == lang
        assert set(json.loads((shipped / "textcat_stage" / "cfg").read_text())["labels"]) == set(
            STAGES
        )
        assert set(json.loads((shipped / "textcat_kind" / "cfg").read_text())["labels"]) == set(
            KINDS
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_stage_and_kind_has_a_name_in_every_language(lang):
    for stage in STAGES:
        assert t(lang, f"stage.{stage}") != f"stage.{stage}"
    for kind in KINDS:
        assert t(lang, f"kind.{kind}") != f"kind.{kind}"
    for channel in GENERIC_CHANNELS:
        assert t(lang, f"channel.{channel}") != f"channel.{channel}"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Płatność ZAŻÓŁĆ", "platnosc zazolc"),
        ("Сайт ЇЖА Ґанок Єнот", "сайт їжа ґанок єнот"),  # й ї ґ є are letters, not accents
        ("Ёлка", "елка"),
        ("з’явився bʼє `x´", "з'явився b'є 'x'"),
        ("Ørsted Đak", "orsted dak"),
        ("İstanbul", "istanbul"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)  # offsets in the folded text are offsets in the text


def test_search_insights_exports_and_console_fold_alike():
    from bot.console import Screen
    from bot.core.insights import theme_words

    assert search_terms("Płatność platnosc PŁATNOŚĆ") == ("płatność",)
    assert word_prefix("Łódź") == word_prefix("lodz") and word_prefix("САЙТ") == "сай"
    assert theme_words("Сайт повільний") == {"сайт", "повільний"}
    assert slug("Tort urodzinowy ż") == "tort-urodzinowy-z"
    screen = Screen(out=None, chat={})
    screen.choices = [("✅ Zakończ przegląd", "rv:finish", 7)]
    assert screen.choice_for("zakoncz przeglad") == ("rv:finish", 7)
    assert vocabulary.fold is fold
