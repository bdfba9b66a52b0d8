"""`journeybot export`: a map as CSV, JSON, Markdown or PNG, from the command line."""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path

from sqlite_utils import Database

from bot.core.model import LANGUAGES, JourneyMap
from bot.exports import FORMATS, build_export
from storage.db import default_db_path, open_db, utcnow
from storage.digests import review_history
from storage.notes import list_notes
from storage.ownership import chat_language, find_map, list_reviews


class MapNotFound(Exception):
    """`--map ID` names no map in the database (or there is no database): exit `status`."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def open_map(args: argparse.Namespace) -> tuple[Database, JourneyMap, str]:
    """The database of `--db`, the map of `--map` and the language to write in (`--lang`, else
    the chat's); MapNotFound when either is missing. The caller closes the database."""
    path = Path(args.db or default_db_path())
    if not path.exists():
        raise MapNotFound(f"journeybot: no database at {path}", 2)
    db = open_db(path)
    journey = find_map(db, args.map)
    if journey is None:
        db.close()
        raise MapNotFound(f"journeybot: there is no map {args.map} in {path}", 1)
    return db, journey, args.lang or chat_language(db, journey.chat_id) or "en"


def export_map(args: argparse.Namespace) -> int:
    """Writes the map to --output, or text formats to stdout (a PNG to its suggested name)."""
    try:
        db, journey, lang = open_map(args)
    except MapNotFound as missing:
        print(missing, file=sys.stderr)
        return missing.status
    try:
        notes = list_notes(db, journey.chat_id, journey.id)
        reviews = list_reviews(db, journey.chat_id, journey.id)
        now = utcnow()
        history = review_history(db, journey, now)
        export = build_export(
            lang, journey, notes, args.format, reviews=reviews, now=now, history=history
        )
    finally:
        db.close()
    output = args.output or ("-" if args.format != "png" else export.filename)
    if output == "-":
        sys.stdout.buffer.write(export.data.removeprefix(codecs.BOM_UTF8))
        sys.stdout.flush()
    else:
        Path(output).write_bytes(export.data)
        print(output, file=sys.stderr)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Adds the `export` subcommand to the `journeybot` parser."""
    export = commands.add_parser("export", help="write a map as CSV, JSON, Markdown or PNG")
    export.add_argument("--map", type=int, required=True, help="the map's id (see /maps)")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--db", help="SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)")
    export.add_argument(
        "--output",
        help="file to write, - for stdout (default: stdout; for png the suggested file name)",
    )
    export.add_argument("--lang", choices=LANGUAGES, help="language of names (default: chat's)")
    export.set_defaults(func=export_map)
