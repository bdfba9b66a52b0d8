"""A map as files: CSV (one row per note), JSON (the whole map), Markdown, PNG; file names.

JSON schema "journeybot.map/1":
    {"schema", "exported_at", "map": {"id", "name", "persona", "created_at",
     "stages": [{"id", "position", "key", "name", "title"}],
     "notes": [{"id", "stage_id", "stage", "kind", "text", "lang", "sentiment", "channels",
                "author", "created_at", "status", "source", "owner", "due_on", "resolved_by",
                "resolved_at"}],
     "reviews": [{"id", "started_at", "finished_at", "participants", "summary"}],
     "history": [{"review_id", "started_at", "finished_at", "people", "resolved",
                  "still_open", "ideas", "assigned", "new_notes",
                  "stages": [{"stage_id", "stage", "open", "resolved"}] | null}]}}
`title` is the stage's name as the chat sees it; `stage` is the note's stage title (null when
its stage was removed). `owner` and `resolved_by` are names, `due_on` a date (YYYY-MM-DD, the
chat's day), `resolved_at` a UTC time; each null when there is none. CSV has the same four
columns last. `history` is the review history as /history shows it, oldest first: each
review's outcomes counted over the notes that still exist, and each stage's open and resolved
pain points when it finished (null for a review that never finished).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.digest import History
from bot.core.insights import notes_by_stage
from bot.core.journey import shorten
from bot.core.model import LANES, JourneyMap, Note
from bot.core.transliteration import transliterate
from bot.core.vocabulary import fold
from bot.texts import t
from bot.views import RESOLVED_LANE, item_status, lanes_of, map_counts, quoted, stage_name

FORMATS: tuple[str, ...] = ("csv", "json", "md", "png")
MAP_SCHEMA = "journeybot.map/1"
MAX_SLUG = 60
# Telegram takes documents of at most 50 MB from a bot. A chat of 100,000 notes exports 100 MB
# of JSON (a 10,000-note map: 7 MB): files above ZIP_ABOVE_BYTES are sent zipped (~10x smaller).
ZIP_ABOVE_BYTES = 20 * 2**20
CSV_COLUMNS = (
    "number",
    "stage_position",
    "stage",
    "stage_key",
    "kind",
    "text",
    "sentiment",
    "channels",
    "author",
    "created_at",
    "status",
    "lang",
    "owner",
    "due_on",
    "resolved_by",
    "resolved_at",
    "quote",  # "yes" for a customer's own words (forwarded, imported)
    "quoted_from",
    "said_at",
)
_TAGS = re.compile(r"</?([bi])>")
# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    """What is sent as a document: bytes, a file name and a MIME type."""

    data: bytes
    filename: str
    mime_type: str


def slug(name: str, lang: str | None = None, fallback: str = "journey-map") -> str:
    """A file-name-safe ASCII slug of at most 60 characters, cut between words: "Tort
    urodzinowy ż" → "tort-urodzinowy-z"; Cyrillic spelled by the official system of Ukraine or
    Bulgaria (the letters decide, then the chat's language `lang`): "Резервация" →
    "rezervatsia", "Замовлення" → "zamovlennia"."""
    words = re.findall(r"[a-z0-9]+", fold(transliterate(name, lang)))
    return shorten(" ".join(words), MAX_SLUG + 1).rstrip("…").replace(" ", "-") or fallback


def export_filename(journey: JourneyMap, fmt: str, day: datetime, lang: str | None = None) -> str:
    return f"{slug(journey.name, lang)}-{day:%Y-%m-%d}.{fmt}"


def map_rows(lang: str, journey: JourneyMap, notes: list[Note]) -> list[dict]:
    """One dict per note, in map order (stage, then lane, then note number)."""
    positions = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    rows = []
    for note in sorted(notes, key=lambda n: _note_order(positions, n)):
        stage = journey.stage_by_id(note.stage_id)
        rows.append(
            {
                "number": note.number,
                "stage_position": positions.get(note.stage_id, ""),
                "stage": stage_name(lang, stage),
                "stage_key": stage.key if stage and stage.key else "",
                "kind": note.kind,
                "text": note.text,
                "sentiment": note.sentiment,
                "channels": ", ".join(note.channels),
                "author": note.author_name or "",
                "created_at": note.created_at.isoformat(timespec="seconds"),
                "status": note.shown_status,
                "lang": note.lang,
                "owner": (note.owner_name if note.is_item else None) or "",
                "due_on": note.due_on.isoformat() if note.is_item and note.due_on else "",
                "resolved_by": (note.resolved_by_name if note.is_resolved else None) or "",
                "resolved_at": _iso(note.resolved_at if note.is_resolved else None),
                "quote": "yes" if note.quote else "",
                "quoted_from": note.quoted_from or "",
                "said_at": note.said_at.isoformat(timespec="seconds") if note.said_at else "",
            }
        )
    return rows


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _note_order(positions: dict[int, int], note: Note) -> tuple:
    lane = LANES.index(note.kind) if note.kind in LANES else len(LANES)
    return (positions.get(note.stage_id, len(positions) + 1), lane, note.number)


def spreadsheet_safe(value: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: text starting with =, +, -, @, tab or
    carriage return gets a leading single quote (OWASP's advice); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(columns: tuple[str, ...], rows: list[dict]) -> str:
    """Rows as CSV with a header, every text cell made spreadsheet-safe. Every CSV the bot
    writes goes through here."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def map_csv(lang: str, journey: JourneyMap, notes: list[Note]) -> str:
    """The notes as CSV with a header row (column names in English, values as the chat sees)."""
    return safe_csv(CSV_COLUMNS, map_rows(lang, journey, notes))


def map_document(
    lang: str,
    journey: JourneyMap,
    notes: list[Note],
    reviews: list[dict],
    now: datetime,
    history: History | None = None,
) -> dict:
    """The whole map as a JSON-ready dict (schema in this module's docstring)."""
    return {
        "schema": MAP_SCHEMA,
        "exported_at": now.isoformat(timespec="seconds"),
        "map": {
            "id": journey.id,
            "name": journey.name,
            "persona": journey.persona,
            "created_at": journey.created_at.isoformat(timespec="seconds"),
            "stages": [
                {
                    "id": stage.id,
                    "position": index,
                    "key": stage.key,
                    "name": stage.name,
                    "title": stage_name(lang, stage),
                }
                for index, stage in enumerate(journey.stages, start=1)
            ],
            "notes": [
                {
                    "id": note.id,
                    "number": note.number,
                    "stage_id": note.stage_id,
                    "stage": row["stage"] if journey.stage_by_id(note.stage_id) else None,
                    "kind": note.kind,
                    "text": note.text,
                    "lang": note.lang,
                    "sentiment": note.sentiment,
                    "channels": list(note.channels),
                    "author": note.author_name,
                    "created_at": row["created_at"],
                    "status": note.shown_status,
                    "source": note.source,
                    "owner": note.owner_name if note.is_item else None,
                    "due_on": (row["due_on"] or None) if note.is_item else None,
                    "resolved_by": note.resolved_by_name if note.is_resolved else None,
                    "resolved_at": (row["resolved_at"] or None) if note.is_resolved else None,
                    "quote": note.quote,
                    "quoted_from": note.quoted_from,
                    "said_at": note.said_at.isoformat(timespec="seconds") if note.said_at else None,
                }
                for row, note in _rows_with_notes(lang, journey, notes)
            ],
            "reviews": [
                {
                    key: review.get(key)
                    for key in ("id", "started_at", "finished_at", "participants", "summary")
                }
                for review in reviews
            ],
            "history": history_rows(lang, history),
        },
    }


def history_rows(lang: str, history: History | None) -> list[dict]:
    """The review history, oldest first, as JSON-ready rows (see the module docstring)."""
    if history is None:
        return []
    rows = []
    for record in reversed(history.reviews):
        after = history.pain_after(record)
        rows.append(
            {
                "review_id": record.id,
                "started_at": record.started_at.isoformat(timespec="seconds"),
                "finished_at": _iso_or_none(record.finished_at),
                "people": list(record.people),
                "resolved": record.resolved,
                "still_open": record.still_open,
                "ideas": record.ideas,
                "assigned": record.assigned,
                "new_notes": record.new_notes if record.finished_at else None,
                "stages": None
                if after is None
                else [
                    {
                        "stage_id": s.stage.id if s.stage else None,
                        "stage": stage_name(lang, s.stage),
                        "open": s.open[0],
                        "resolved": s.resolved[0],
                    }
                    for s in after
                ],
            }
        )
    return rows


def _iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def history_markdown(lang: str, history: History | None) -> list[str]:
    """The review history as a Markdown table, newest first (no lines without reviews)."""
    if history is None or not history.reviews:
        return []
    lines = [f"## {t(lang, 'export.history_title')}", "", t(lang, "export.history_header")]
    lines.append("|" + "---|" * 8)
    for record in history.reviews:
        after = history.pain_after(record) or ()
        hurting = ", ".join(
            f"{_md(stage_name(lang, s.stage))} {s.open[0]}" for s in after if s.open[0]
        )
        day = (record.finished_at or record.started_at).date().isoformat()
        cells = [
            day if record.finished_at else f"{day} ⏸",
            _md(", ".join(record.people)) or "—",
            record.resolved,
            record.still_open,
            record.ideas,
            record.assigned,
            record.new_notes if record.finished_at else "—",
            hurting or ("—" if record.finished_at is None else "0"),
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return [*lines, ""]


def _rows_with_notes(lang: str, journey: JourneyMap, notes: list[Note]) -> list[tuple]:
    by_number = {note.number: note for note in notes}
    return [(row, by_number[row["number"]]) for row in map_rows(lang, journey, notes)]


def map_json(
    lang: str,
    journey: JourneyMap,
    notes: list[Note],
    reviews: list[dict],
    now: datetime,
    history: History | None = None,
) -> str:
    document = map_document(lang, journey, notes, reviews, now, history)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def map_markdown(
    lang: str,
    journey: JourneyMap,
    notes: list[Note],
    today: date | None = None,
    history: History | None = None,
) -> str:
    """The map as readable Markdown: a heading per stage, a list per lane, pain points first;
    items with their owner and due date (overdue as of `today`), resolved ones with who and
    when; then the review history."""
    lines = [f"# {_md(journey.name)}", ""]
    if journey.persona:
        lines += [_from_html(t(lang, "map.persona", persona=_md(journey.persona))), ""]
    lines += [_from_html(map_counts(lang, journey, notes)), ""]
    for number, (stage, stage_notes) in enumerate(notes_by_stage(journey, notes), start=1):
        mark = f"{number}." if stage is not None else "·"  # "Not sorted yet" is no stage
        lines += [f"## {mark} {_md(stage_name(lang, stage))}", ""]
        if not stage_notes:
            lines += [_from_html(t(lang, "map.empty_stage")), ""]
        for lane, in_lane in lanes_of(stage_notes):
            if lane == RESOLVED_LANE:
                heading = t(lang, "map.resolved", count=len(in_lane))
            else:
                heading = t(lang, f"lane.{lane}")
            lines += [f"### {_from_html(heading)}", ""]
            for note in in_lane:
                author = f" — {_md(note.author_name)}" if note.author_name else ""
                text = quoted(lang, note, _md(note.text).replace("\n", " "))
                mark = "✓ " if note.is_resolved else ""
                status = item_status(lang, note, today, escape=_md) if note.is_item else ""
                status = f" · {_from_html(status)}" if status else ""
                lines.append(f"- {mark}{text}{author} (#{note.number}){status}")
            lines.append("")
    lines += history_markdown(lang, history)
    return "\n".join(lines).rstrip() + "\n"


def _from_html(text: str) -> str:
    """Our texts' <b>/<i> as Markdown."""
    return _TAGS.sub(lambda m: "**" if m.group(1) == "b" else "_", text)


def _md(text: str) -> str:
    """User text that Markdown shows as typed (no accidental headings, emphasis or links)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def build_export(
    lang: str,
    journey: JourneyMap,
    notes: list[Note],
    fmt: str,
    *,
    reviews: list[dict],
    now: datetime,
    today: date | None = None,
    history: History | None = None,
) -> ExportFile:
    """The map in `fmt` ("csv", "json", "md" or "png") as a file to send or save; `today` (the
    chat's date) marks overdue items in Markdown and the picture.

    CSV starts with a byte-order mark so that spreadsheet programs read it as UTF-8.
    """
    filename = export_filename(journey, fmt, now, lang)
    if fmt == "csv":
        return ExportFile(map_csv(lang, journey, notes).encode("utf-8-sig"), filename, "text/csv")
    if fmt == "json":
        text = map_json(lang, journey, notes, reviews, now, history)
        return ExportFile(text.encode(), filename, "application/json")
    if fmt == "md":
        text = map_markdown(lang, journey, notes, today, history)
        return ExportFile(text.encode(), filename, "text/markdown")
    if fmt == "png":
        from bot.render import map_picture  # matplotlib loads only when a picture is drawn

        return ExportFile(map_picture(lang, journey, notes, today=today), filename, "image/png")
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def chat_export_file(data: dict, now: datetime) -> ExportFile:
    """Everything a chat has stored (storage.ownership.export_chat) as one JSON file."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return ExportFile(text.encode(), f"journeybot-chat-{now:%Y-%m-%d}.json", "application/json")


def fit_for_telegram(export: ExportFile, *, above: int = ZIP_ABOVE_BYTES) -> ExportFile:
    """`export` as it is, or zipped (`<name>.zip` holding it) when it is bigger than `above`
    bytes; called where the file is built, in the worker process."""
    if len(export.data) <= above:
        return export
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(export.filename, export.data)
    return ExportFile(buffer.getvalue(), f"{export.filename}.zip", "application/zip")
