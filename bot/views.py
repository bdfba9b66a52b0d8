"""Texts built from maps and notes: stage names, note acknowledgements, the map as text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bot.core.insights import notes_by_stage
from bot.core.items import is_overdue
from bot.core.journey import chunk_lines_within
from bot.core.model import LANES, JourneyMap, Note, Stage, User
from bot.replies import esc
from bot.texts import TEXTS, t

TELEGRAM_TEXT_LIMIT = 4096
MAX_MAP_MESSAGES = 3  # /map text: a few messages, then "… N more — /export for all"
MORE_RESERVE = 120  # room kept for that line
RESOLVED_LANE = "resolved"  # resolved pain points, listed after every lane
TEXT_LANE_ORDER = ("pain_point", *(lane for lane in LANES if lane != "pain_point"), RESOLVED_LANE)


def stage_name(lang: str, stage: Stage | None) -> str:
    """A stage's custom name, else its canonical key's name in `lang` (not escaped)."""
    if stage is None:
        return t(lang, "stage.unsorted")
    if stage.name:
        return stage.name
    return t(lang, f"stage.{stage.key}") if stage.key else "?"


def spec_name(lang: str, spec: dict) -> str:
    """The display name of a stage being edited in /newmap ({"key", "name"})."""
    return spec.get("name") or t(lang, f"stage.{spec.get('key')}")


def channel_name(lang: str, channel: str) -> str:
    """A generic channel key in `lang` ("phone" → "telefon"); brand names stay as they are."""
    key = f"channel.{channel}"
    return t(lang, key) if key in TEXTS["en"] else channel


def kind_name(lang: str, note: Note) -> str:
    """The note's kind in `lang`, marked when it is a resolved item ("Pain point (✓ …)")."""
    kind = t(lang, f"kind.{note.kind}")
    return t(lang, "kind.resolved", kind=kind) if note.is_resolved else kind


def format_day(lang: str, day: date) -> str:
    """A due date as the chat reads it: "Fri, Dec 11", "pt., 11 gru", "пт, 11 груд."."""
    from babel.dates import format_skeleton  # loaded on the first date shown

    return format_skeleton("MMMEd", day, locale=lang)


def mention(user: User) -> str:
    """A mention that notifies the person in a group, whether or not they have a username."""
    return f'<a href="tg://user?id={user.id}">{esc(user.display_name)}</a>'


def item_status(
    lang: str, note: Note, today: date | None, *, owner: bool = True, escape=esc
) -> str:
    """What a reader needs about an item: "🙋 Ivan · 📅 Fri, Dec 11 · ⏰ overdue";
    "✓ resolved by Ivan, Mon, Dec 7" once closed (empty for a note without any of it).
    Names go through `escape` (HTML by default; Markdown for the export)."""
    if note.is_resolved:
        if note.resolved_at is None:
            return ""
        day = format_day(lang, note.resolved_at.date())
        if note.resolved_by_name:
            return t(lang, "item.resolved_by", who=escape(note.resolved_by_name), date=day)
        return t(lang, "item.resolved_on", date=day)
    parts = []
    if owner and note.owner_name:
        parts.append(t(lang, "item.owner", owner=escape(note.owner_name)))
    if note.due_on is not None:
        parts.append(t(lang, "item.due", date=format_day(lang, note.due_on)))
        if today is not None and is_overdue(note, today):
            parts.append(t(lang, "item.overdue"))
        elif today is not None and note.due_on == today:
            parts.append(t(lang, "item.due_today"))
    return " · ".join(parts)


def note_label(lang: str, journey: JourneyMap, note: Note) -> str:
    """The one-line acknowledgement of a note: its number on the map, stage · kind · channels."""
    stage = esc(stage_name(lang, journey.stage_by_id(note.stage_id)))
    kind = kind_name(lang, note)
    if note.channels:
        channels = ", ".join(esc(channel_name(lang, c)) for c in note.channels)
        return t(
            lang,
            "note.saved_channels",
            number=note.number,
            stage=stage,
            kind=kind,
            channels=channels,
        )
    return t(lang, "note.saved", number=note.number, stage=stage, kind=kind)


def under_map_name(lang: str, journey: JourneyMap, text: str) -> str:
    """`text` with the map's name above it, as /map heads the map ("🗺 Cake orders")."""
    return f"{t(lang, 'map.title', name=esc(journey.name))}\n{text}"


def said_on(note: Note) -> str:
    """When a quoted customer said it, as day.month.year ("3.12.2026"), or ""."""
    said = note.said_at
    return f"{said.day}.{said.month:02d}.{said.year}" if said else ""


def quote_source(note: Note) -> str:
    """Who said a quote and when ("Anna K., 3.12.2026"), as far as known; "" for neither."""
    return ", ".join(part for part in (note.quoted_from or "", said_on(note)) if part)


def quoted(lang: str, note: Note, text: str | None = None) -> str:
    """Plain text (pictures, Markdown): a customer quote in the language's quotation marks with
    who said it and when — “…” (Anna, 3.12.2026); any other note's text as it is. `text`
    replaces the note's own (already escaped for Markdown, say)."""
    text = note.text if text is None else text
    if not note.quote:
        return text
    marked = t(lang, "quote.marks", text=text)
    source = quote_source(note)
    return f"{marked} ({source})" if source else marked


def quote_line(lang: str, note: Note) -> str:
    """The line under a quote's acknowledgement: "❝ Kept as a customer quote (Anna, 3.12.2026)"."""
    source = quote_source(note)
    if source:
        return t(lang, "note.quote_saved_from", source=esc(source))
    return t(lang, "note.quote_saved")


def map_counts(lang: str, journey: JourneyMap, notes: list[Note]) -> str:
    """ "6 stages · 12 notes · 3 open pain points · ✓ 2 resolved": the header of every view."""
    open_pains = sum(1 for note in notes if note.is_open_pain_point)
    resolved = sum(1 for note in notes if note.is_resolved_pain_point)
    counts = t(
        lang, "map.counts", stages=len(journey.stages), notes=len(notes), pain_points=open_pains
    )
    return counts + t(lang, "map.counts_resolved", count=resolved) if resolved else counts


def lanes_of(stage_notes: list[Note]) -> list[tuple[str, list[Note]]]:
    """A stage's notes by lane in the order the text views show them: open pain points first,
    the other lanes, then the resolved pain points (lane "resolved"); empty lanes left out."""
    by_lane: dict[str, list[Note]] = {lane: [] for lane in TEXT_LANE_ORDER}
    for note in stage_notes:
        lane = RESOLVED_LANE if note.is_resolved_pain_point else note.kind
        by_lane.setdefault(lane, []).append(note)
    return [(lane, in_lane) for lane, in_lane in by_lane.items() if in_lane]


def render_map(
    lang: str,
    journey: JourneyMap,
    notes: list[Note],
    *,
    show_authors: bool,
    max_messages: int = MAX_MAP_MESSAGES,
    today: date | None = None,
) -> list[str]:
    """The map as HTML messages within Telegram's limit: stages in order, lanes, open pain points
    first and resolved ones last; owners and due dates after the items' text (overdue as of
    `today`, the chat's date). At most `max_messages`: then "… N more — /export for all".

    Notes whose stage was removed are listed last, under "not sorted yet".
    """
    is_note: list[bool] = []

    def lines():  # formatted only as far as the messages reach
        for text, note_line in _map_lines(lang, journey, notes, show_authors, today):
            is_note.append(note_line)
            yield text

    messages, shown = chunk_lines_within(lines(), TELEGRAM_TEXT_LIMIT, max_messages, MORE_RESERVE)
    if shown is not None:
        hidden = len(notes) - sum(is_note[:shown])
        messages[-1] += "\n\n" + t(lang, "map.more", count=hidden)
    return messages


def _map_lines(lang, journey, notes, show_authors, today) -> Iterator[tuple[str, bool]]:
    """The lines of the text map, each with whether it is a note."""
    yield t(lang, "map.title", name=esc(journey.name)), False
    if journey.persona:
        yield t(lang, "map.persona", persona=esc(journey.persona)), False
    yield map_counts(lang, journey, notes), False
    if not notes:
        yield "", False
        yield t(lang, "map.empty"), False
    for number, (stage, stage_notes) in enumerate(notes_by_stage(journey, notes), start=1):
        name = esc(stage_name(lang, stage))
        yield "", False
        if stage is None:  # "Not sorted yet" is no stage: no number
            yield t(lang, "map.unsorted_stage", name=name, count=len(stage_notes)), False
        else:
            yield t(lang, "map.stage", number=number, name=name, count=len(stage_notes)), False
        if not stage_notes:
            yield t(lang, "map.empty_stage"), False
        for lane, in_lane in lanes_of(stage_notes):
            if lane == RESOLVED_LANE:
                yield t(lang, "map.resolved", count=len(in_lane)), False
            else:
                lane_name = t(lang, f"lane.{lane}")
                yield t(lang, "map.lane", lane=lane_name, count=len(in_lane)), False
            for note in in_lane:
                yield _note_line(lang, note, show_authors, today), True


def _note_line(lang: str, note: Note, show_authors: bool, today: date | None = None) -> str:
    key = "map.note_resolved" if note.is_resolved else "map.note"
    text = note_text_html(lang, note)
    if show_authors and note.author_name:
        line = t(
            lang,
            f"{key}_author",
            text=text,
            author=esc(note.author_name),
            number=note.number,
        )
    else:
        line = t(lang, key, text=text, number=note.number)
    status = item_status(lang, note, today) if note.is_item else ""
    return f"{line} · {status}" if status else line


def note_text_html(lang: str, note: Note) -> str:
    """A note's text for an HTML message: escaped; a customer quote in quotation marks and
    italics, with who said it and when."""
    if not note.quote:
        return esc(note.text)
    marked = t(lang, "quote.marks", text=esc(note.text))
    source = quote_source(note)
    return f"<i>{marked}</i> ({esc(source)})" if source else f"<i>{marked}</i>"
