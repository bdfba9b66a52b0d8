"""Texts built from maps and notes: stage names, note acknowledgements, the map as text."""

from __future__ import annotations

from collections import Counter

from bot.core.journey import chunk_lines
from bot.core.model import LANES, JourneyMap, Note, Stage
from bot.replies import esc
from bot.texts import TEXTS, t

TELEGRAM_TEXT_LIMIT = 4096


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


def note_label(lang: str, journey: JourneyMap, note: Note) -> str:
    """The one-line acknowledgement of a note: its number on the map, stage · kind · channels."""
    stage = esc(stage_name(lang, journey.stage_by_id(note.stage_id)))
    kind = t(lang, f"kind.{note.kind}")
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


def map_counts(lang: str, journey: JourneyMap, notes: list[Note]) -> str:
    pain_points = sum(1 for note in notes if note.is_pain_point)
    return t(
        lang, "map.counts", stages=len(journey.stages), notes=len(notes), pain_points=pain_points
    )


def render_map(
    lang: str, journey: JourneyMap, notes: list[Note], *, show_authors: bool
) -> list[str]:
    """The map as HTML messages within Telegram's limit: stages in order, lanes, pain points first.

    Notes whose stage was removed are listed last, under "not sorted yet".
    """
    blocks = [t(lang, "map.title", name=esc(journey.name))]
    if journey.persona:
        blocks.append(t(lang, "map.persona", persona=esc(journey.persona)))
    blocks.append(map_counts(lang, journey, notes))
    if not notes:
        blocks += ["", t(lang, "map.empty")]
    stage_ids = {stage.id for stage in journey.stages}
    columns: list[tuple[str, list[Note]]] = [
        (stage_name(lang, stage), [n for n in notes if n.stage_id == stage.id])
        for stage in journey.stages
    ]
    unsorted = [n for n in notes if n.stage_id not in stage_ids]
    if unsorted:
        columns.append((t(lang, "stage.unsorted"), unsorted))
    lane_order = ("pain_point", *tuple(lane for lane in LANES if lane != "pain_point"))
    for number, (name, stage_notes) in enumerate(columns, start=1):
        blocks += ["", t(lang, "map.stage", number=number, name=esc(name), count=len(stage_notes))]
        if not stage_notes:
            blocks.append(t(lang, "map.empty_stage"))
        counts = Counter(note.kind for note in stage_notes)
        for lane in lane_order:
            if not counts[lane]:
                continue
            blocks.append(t(lang, "map.lane", lane=t(lang, f"lane.{lane}"), count=counts[lane]))
            blocks += [
                _note_line(lang, note, show_authors) for note in stage_notes if note.kind == lane
            ]
    return chunk_lines(blocks, TELEGRAM_TEXT_LIMIT)


def _note_line(lang: str, note: Note, show_authors: bool) -> str:
    if show_authors and note.author_name:
        return t(
            lang,
            "map.note_author",
            text=esc(note.text),
            author=esc(note.author_name),
            number=note.number,
        )
    return t(lang, "map.note", text=esc(note.text), number=note.number)
