"""`journeybot import --map ID FILE`: a CSV or TXT file of customer feedback onto a map.

Every usable row becomes a note (a customer quote), classified in batches; rows whose text the
map already has are skipped, so importing the same file again adds nothing. All the notes are
stored in one transaction: an interrupted import stores none. The summary (in the chat's
language, or --lang) goes to stdout; a refused file's error to stderr, with exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.core.imports import MAX_IMPORT_BYTES, FileTooBig, megabytes
from bot.core.model import LANGUAGES
from bot.export_cli import MapNotFound, open_map
from bot.imports import as_quotes, note_rows, plan_import, problem_text, summarize, summary_text
from storage.notes import add_notes


def import_notes(args: argparse.Namespace) -> int:
    """Imports FILE onto --map and prints what was stored."""
    source = Path(args.file)
    if not source.is_file():
        print(f"journeybot: no file at {source}", file=sys.stderr)
        return 2
    try:
        db, journey, lang = open_map(args)
    except MapNotFound as missing:
        print(missing, file=sys.stderr)
        return missing.status
    try:
        size = source.stat().st_size
        if size > MAX_IMPORT_BYTES:  # refused before it is read
            problem = (FileTooBig.key, {"size": megabytes(size),
                                        "max_mb": megabytes(MAX_IMPORT_BYTES)})
            print(problem_text(lang, problem, html=False), file=sys.stderr)
            return 1
        plan = plan_import(db, journey.chat_id, journey.id, source.read_bytes(), source.name)
        if plan.problem is not None:
            print(problem_text(lang, plan.problem, html=False), file=sys.stderr)
            return 1
        drafts = as_quotes(plan, _classified(db, journey.chat_id, plan.texts, lang))
        with db.atomic():
            add_notes(db, note_rows(journey, drafts, None))
        print(summary_text(lang, journey, summarize(lang, journey, plan, drafts), html=False))
    finally:
        db.close()
    return 0


def _classified(db, chat_id: int, texts: list[str], lang: str):
    if not texts:
        return []
    from bot.classifier import chat_memory, draft_many, warm_up

    warm_up()
    return draft_many(texts, lang, memory=chat_memory(db, chat_id))


def register(commands: argparse._SubParsersAction) -> None:
    """Adds the `import` subcommand to the `journeybot` parser."""
    parser = commands.add_parser(
        "import", help="add the rows of a CSV or TXT file to a map as notes (customer quotes)"
    )
    parser.add_argument("--map", type=int, required=True, help="the map's id (see /maps)")
    parser.add_argument("file", help="a .csv, .tsv or .txt file (UTF-8, UTF-16, cp1250, cp1251)")
    parser.add_argument("--db", help="SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the summary and of "
                        "short notes (default: the chat's)")
    parser.set_defaults(func=import_notes)
