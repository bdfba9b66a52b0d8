"""Texts built from insights and search results (HTML, user text escaped)."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.digest import MAX_QUIET, Digest, History, Listed, PainTimeline
from bot.core.insights import Insights, Segment, biggest_gaps
from bot.core.items import is_overdue, overdue_first
from bot.core.journey import shorten
from bot.core.model import LANES, JourneyMap, Note
from bot.core.schedule import zone
from bot.render import signed
from bot.replies import esc
from bot.texts import t
from bot.views import channel_name, item_status, kind_name, stage_name

MAX_GAP_ITEMS = 3
MAX_GAP_LANES = 2
MAX_OVERDUE_SHOWN = 3


def local_date(moment: datetime, timezone: str) -> str:
    """The day of `moment` in the chat's time zone, as YYYY-MM-DD."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%Y-%m-%d")


def insights_text(
    lang: str,
    journey: JourneyMap,
    insights: Insights,
    timezone: str,
    *,
    items: list[Note] | None = None,
    today: date | None = None,
) -> str:
    """A few short lines: hotspots, lowest mood, gaps, themes, changes, path to purchase, and
    the open items (owners, due dates, the overdue ones first) when there are any. `items`:
    the map's open items with an owner or a due date (`storage.items.open_items`), or all its
    notes."""
    lines = [t(lang, "insights.title", name=esc(journey.name)), ""]
    if insights.hotspots:
        ranked = [
            t(
                lang,
                "insights.hotspot_item",
                stage=_bold_if(s in insights.worst, esc(stage_name(lang, s.stage))),
                pain_points=s.pain_points,
                notes=s.notes,
            )
            for s in insights.hotspots
        ]
        lines.append(t(lang, "insights.hotspots", items="; ".join(ranked)))
    else:
        lines.append(t(lang, "insights.no_pain"))
    low = insights.lowest_mood
    if low is not None:
        stage = esc(stage_name(lang, low.stage))
        lines.append(t(lang, "insights.lowest_mood", stage=stage, mood=signed(low.mood)))
    else:
        lines.append(t(lang, "insights.no_low_mood"))
    gaps = _gaps(lang, insights)
    if gaps:
        lines.append(t(lang, "insights.gaps", items=gaps))
    if insights.themes:
        lines.append(
            t(lang, "insights.themes", items=", ".join(_theme(lang, th) for th in insights.themes))
        )
    lines.append(_since_review(lang, insights, timezone))
    lines.append(_path(lang, insights.path_to_purchase))
    lines.append(_segment(lang, "insights.whole", insights.whole_journey))
    summary = items_summary(lang, items or [], today)
    if summary:
        lines.append(summary)
    return "\n".join(lines)


def items_summary(lang: str, notes: list[Note], today: date | None) -> str | None:
    """ "Open items: 4 with an owner or a due date, 1 overdue: #3 courier late (Ivan, Thu, Dec
    3)": None when no open item has an owner or a due date."""
    items = [n for n in notes if n.is_item and not n.is_resolved and (n.owner_id or n.due_on)]
    if not items:
        return None
    late = [n for n in overdue_first(items, today) if today and is_overdue(n, today)]
    if not late:
        return t(lang, "insights.items", count=len(items))
    shown = "; ".join(
        f"#{n.number} {esc(shorten(n.text, 40))} ({item_status(lang, n, None)})"
        for n in late[:MAX_OVERDUE_SHOWN]
    )
    more = len(late) - MAX_OVERDUE_SHOWN
    if more > 0:
        shown += "; " + t(lang, "insights.more", count=more)
    return t(lang, "insights.items_overdue", count=len(items), overdue=len(late), items=shown)


def _bold_if(condition: bool, html: str) -> str:
    return f"<b>{html}</b>" if condition else html


def _gaps(lang: str, insights: Insights) -> str:
    """ "anything for Advocacy; touchpoint, emotion, +1 more for Retention; +2 more": the
    biggest holes, each stage's first lanes by `GAP_PRIORITY` and how many more it lacks."""
    gaps = biggest_gaps(insights.stages)
    items = []
    for stage, lanes in gaps[:MAX_GAP_ITEMS]:
        name = esc(stage_name(lang, stage))
        if len(lanes) == len(LANES):
            items.append(t(lang, "insights.gap_stage", stage=name))
        else:
            shown = [t(lang, f"kind.{lane}").lower() for lane in lanes[:MAX_GAP_LANES]]
            if len(lanes) > MAX_GAP_LANES:  # the stage lacks more: never read as all it lacks
                shown.append(t(lang, "insights.more", count=len(lanes) - MAX_GAP_LANES))
            kinds = ", ".join(shown)
            items.append(t(lang, "insights.gap_item", lanes=kinds, stage=name))
    if len(gaps) > MAX_GAP_ITEMS:
        items.append(t(lang, "insights.more", count=len(gaps) - MAX_GAP_ITEMS))
    return "; ".join(items)


def _theme(lang: str, theme) -> str:
    if theme.kind == "channel":
        channel = esc(channel_name(lang, theme.label))
        return t(lang, "insights.theme_channel", channel=channel, count=theme.count)
    return t(lang, "insights.theme_word", label=esc(theme.label), count=theme.count)


def _since_review(lang: str, insights: Insights, timezone: str) -> str:
    since = insights.since_review
    if since.reviewed_at is None:
        return t(lang, "insights.no_review")
    return t(
        lang,
        "insights.since_review",
        date=local_date(since.reviewed_at, timezone),
        notes=since.notes,
        pain_points=since.pain_points,
    )


def _path(lang: str, path: Segment | None) -> str:
    if path is None:
        return t(lang, "insights.no_path")
    return _segment(lang, "insights.path", path)


def _segment(lang: str, key: str, segment: Segment) -> str:
    return t(
        lang,
        key,
        first=esc(stage_name(lang, segment.first)),
        last=esc(stage_name(lang, segment.last)),
        notes=segment.notes,
        pain_points=segment.pain_points,
        mood=signed(segment.mood) if segment.mood is not None else "–",
    )


def search_text(
    lang: str,
    terms: tuple[str, ...],
    notes: list[Note],
    total: int,
    offset: int,
    page_size: int,
    maps: dict[int, JourneyMap],
    active_map_id: int | None,
    today: date | None = None,
) -> str:
    """One page of search hits with stage and kind (and the map, if it is not the active one);
    items with their owner and due date, or who resolved them."""
    query = esc(" ".join(terms))
    if not total:
        return t(lang, "search.none", query=query)
    pages = math.ceil(total / page_size)
    lines = [
        t(lang, "search.title", query=query, total=total, page=offset // page_size + 1, pages=pages)
    ]
    for note in notes:
        journey = maps.get(note.map_id)
        stage = stage_name(lang, journey.stage_by_id(note.stage_id) if journey else None)
        fields = {
            "text": esc(shorten(note.text, 300)),
            "stage": esc(stage),
            "kind": kind_name(lang, note),
            "number": note.number,
        }
        if journey is not None and note.map_id != active_map_id:
            line = t(lang, "search.hit_map", map=esc(journey.name), **fields)
        else:
            line = t(lang, "search.hit", **fields)
        status = item_status(lang, note, today) if note.is_item else ""
        lines.append(f"{line}\n   {status}" if status else line)
    return "\n".join(lines)



MAX_LISTED_TEXT = 120  # characters of a note's text in a digest line


def timeline_labels(lang: str, timeline: PainTimeline, timezone: str) -> list[str]:
    """The moments of a timeline as the chart names them: each review's day, then "now"."""
    days = [local_date(moment, timezone)[5:] for moment in timeline.moments[:-1]]
    return [*days, t(lang, "picture.now")] if timeline.moments else []


def _note_item(lang: str, journey: JourneyMap, note: Note) -> str:
    """A listed note; a resolved one names who resolved it, when that is known (items
    resolved before owners existed were not recorded)."""
    who = note.resolved_by_name if note.is_resolved else None
    return t(
        lang,
        "digest.resolved_item" if who else "digest.note_item",
        number=note.number,
        text=esc(shorten(note.text, MAX_LISTED_TEXT)),
        stage=esc(stage_name(lang, journey.stage_by_id(note.stage_id))),
        who=esc(who or ""),
    )


def _listed_lines(lang: str, journey: JourneyMap, key: str, found: Listed) -> list[str]:
    if not found.total:
        return []
    lines = [t(lang, key, count=found.total)]
    lines += [_note_item(lang, journey, note) for note in found.shown]
    if found.more:
        lines.append(t(lang, "digest.more", count=found.more))
    return lines


def _item_line(lang: str, journey: JourneyMap, note: Note, today: date, timezone: str) -> str:
    owner = esc(note.owner_name) if note.owner_name else t(lang, "digest.no_owner")
    fields = {
        "number": note.number,
        "text": esc(shorten(note.text, MAX_LISTED_TEXT)),
        "owner": owner,
    }
    if note.due_on is None:
        return t(lang, "digest.item", **fields)
    key = "digest.item_overdue" if note.due_on < today else "digest.item_due"
    return t(lang, key, date=note.due_on.isoformat(), **fields)


def digest_text(
    lang: str, digest: Digest, timezone: str, is_group: bool, title_key: str = "digest.title"
) -> str:
    """The digest (bot.core.digest) as one message: period, notes per stage, new and resolved
    pain points, themes, who wrote and who has not (groups), open items, overdue first."""
    journey = digest.journey
    today = digest.until.astimezone(zone(timezone)).date()
    lines = [
        t(lang, title_key, name=esc(journey.name)),
        t(
            lang,
            "digest.period",
            since=local_date(digest.since, timezone),
            until=local_date(digest.until, timezone),
        ),
        "",
    ]
    if digest.is_quiet:
        lines.append(t(lang, "digest.nothing"))
    else:
        stages = ", ".join(
            t(
                lang,
                "digest.stage_pain" if a.pain_points else "digest.stage_notes",
                stage=esc(stage_name(lang, a.stage)),
                notes=a.notes,
                pain_points=a.pain_points,
            )
            for a in digest.activity
        )
        lines.append(t(lang, "digest.new_notes", notes=digest.new_notes, stages=stages))
        lines += _listed_lines(lang, journey, "digest.new_pain", digest.new_pain_points)
        lines += _listed_lines(lang, journey, "digest.resolved", digest.resolved)
    if digest.themes:
        themes = ", ".join(_theme(lang, theme) for theme in digest.themes)
        lines.append(t(lang, "insights.themes", items=themes))
    if digest.contributors:
        people = ", ".join(
            t(lang, "digest.person", name=esc(p.name), notes=p.notes) for p in digest.contributors
        )
        lines.append(t(lang, "digest.contributors", people=people))
    if is_group and digest.quiet:
        names = [esc(p.name) for p in digest.quiet[:MAX_QUIET]]
        if len(digest.quiet) > MAX_QUIET:
            names.append(t(lang, "digest.more", count=len(digest.quiet) - MAX_QUIET))
        lines.append(t(lang, "digest.quiet", people=", ".join(names)))
    lines.append("")
    if digest.items.total:
        key = "digest.items_overdue" if digest.overdue else "digest.items"
        lines.append(t(lang, key, count=digest.items.total, overdue=digest.overdue))
        lines += [_item_line(lang, journey, n, today, timezone) for n in digest.items.shown]
        if digest.items.more:
            lines.append(t(lang, "digest.items_more", count=digest.items.more))
    else:
        lines.append(t(lang, "digest.no_items"))
    return "\n".join(lines).strip()


def history_text(lang: str, history: History, timezone: str) -> str:
    """A page of past reviews, newest first, each with its date, people and outcomes."""
    journey = history.journey
    if not history.total:
        return t(lang, "history.none", name=esc(journey.name))
    lines = [t(lang, "history.title", name=esc(journey.name), count=history.total)]
    for record in history.reviews:
        when = local_date(record.finished_at or record.started_at, timezone)
        people = ", ".join(esc(name) for name in record.people) or "—"
        key = "history.review" if record.finished_at else "history.review_unfinished"
        lines += [
            "",
            t(lang, key, date=when, people=people),
            t(
                lang,
                "history.counts" if record.finished_at else "history.counts_unfinished",
                resolved=record.resolved,
                still_open=record.still_open,
                ideas=record.ideas,
                assigned=record.assigned,
                notes=record.new_notes,
            ),
        ]
    if history.more:
        lines += ["", t(lang, "history.more", count=history.more)]
    return "\n".join(lines)
