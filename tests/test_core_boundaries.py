"""The domain core stays pure: no Telegram, SQLite or spaCy imports (cosmicpython's rule)."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parent.parent / "bot" / "core"
FORBIDDEN = ("telegram", "sqlite_utils", "sqlite3", "spacy", "storage", "nlp")


@pytest.mark.parametrize("module", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_nothing_impure(module):
    tree = ast.parse(module.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & set(FORBIDDEN), f"{module.name} imports {imported & set(FORBIDDEN)}"


def test_bot_imports_only_nlp_classify():
    bot = Path(__file__).parent.parent / "bot"
    for module in bot.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nlp"):
                # nlp.stop_words: spaCy's stop-word lists without importing spaCy (/insights)
                assert node.module in ("nlp.classify", "nlp.cli", "nlp.stop_words"), (
                    f"{module}: {node.module}")


def test_nlp_imports_from_bot_only_the_vocabulary():
    nlp = Path(__file__).parent.parent / "nlp"
    for module in nlp.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
                assert node.module == "bot.core.vocabulary", f"{module}: {node.module}"


def test_core_imports_the_standard_library_dateutil_and_itself_only():
    """What docs/architecture.md says the core imports: the standard library, python-dateutil
    (recurrence rules in schedule.py) and other core modules — nothing else."""
    import sys

    allowed = set(sys.stdlib_module_names) | {"__future__", "dateutil", "bot"}
    for module in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] in allowed, f"{module.name} imports {name}"
                if name.startswith("bot"):
                    assert name.startswith("bot.core"), f"{module.name} imports {name}"
