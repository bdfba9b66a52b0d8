"""Pictures of a map, drawn with matplotlib's Agg renderer: the journey map and a pain chart.

The map is laid out in inches on one axes: stages are columns, lanes are rows, notes are
short cards (at most `MAX_CARDS` per cell, then "+N more"), open pain points are red, resolved
ones grey with a ✓ (after the open ones), and an emotion
curve from the notes' sentiment runs under the lanes. The same data gives the same bytes: fixed
sizes, matplotlib's default settings, the bundled DejaVu Sans (Latin, Polish, Cyrillic) and no
timestamp in the PNG. Characters the font lacks (emoji) are left out rather than drawn as boxes.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
import threading
from dataclasses import dataclass
from datetime import date
from functools import cache

from bot.core.digest import PainTimeline
from bot.core.insights import NEUTRAL_MOOD, Insights, emotion_curve
from bot.core.items import is_overdue
from bot.core.journey import shorten
from bot.core.model import LANES, JourneyMap, Note
from bot.texts import t
from bot.views import map_counts, quoted, stage_name

FONT = "DejaVu Sans"
DPI = 150
MAX_CARDS = 3  # cards per cell; the rest are counted as "+N more"
CARD_LINES = 3  # lines of text per card; longer notes end with "…"
MAX_COLUMNS = 13  # twelve stages and "not sorted yet"

MARGIN = 0.25
LABEL_WIDTH = 1.6
COLUMN_WIDTH = 2.1
TITLE_HEIGHT = 0.95
HEADER_HEIGHT = 0.6
LINE_HEIGHT = 0.175
CARD_PAD = 0.07
CARD_GAP = 0.07
CELL_PAD = 0.08
CURVE_HEIGHT = 1.5
FOOTER_HEIGHT = 0.35
CHARS_PER_LINE = 25
HEADER_CHARS = 18  # a stage header's line: bold Cyrillic of 22 letters ran past its column

INK = "#1f2933"
MUTED = "#66727f"
GRID = "#d5dae0"
PAIN = "#c62828"
PAIN_FILL = "#fde7e5"
PAIN_ROW = "#fff4f3"
GOOD = "#2e7d32"
RESOLVED_FILL = "#eef0f2"
RESOLVED_BAR = "#cfd6dd"
LANE_COLORS = {
    "touchpoint": "#1e6fb8",
    "action": "#6a4fb3",
    "need": "#b7791f",
    "emotion": "#c2185b",
    "pain_point": PAIN,
    "opportunity": GOOD,
}

_LOCK = threading.Lock()  # matplotlib's global state (settings, font cache) is not thread-safe


def load_matplotlib() -> None:
    """Imports matplotlib (about 0.85 s) on first use rather than when the bot starts, so the
    bot answers at once; `journeybot run` calls it in the background after start."""
    global matplotlib, font_manager, FigureCanvasAgg, Figure, FT2Font
    global FancyBboxPatch, Rectangle, MaxNLocator
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ft2font import FT2Font
    from matplotlib.patches import FancyBboxPatch, Rectangle
    from matplotlib.ticker import MaxNLocator
_TAGS = re.compile(r"<[^>]+>")


@cache
def _charmap() -> frozenset[int]:
    load_matplotlib()
    font = font_manager.FontProperties(family=FONT)
    path = font_manager.findfont(font, fallback_to_default=False)
    return frozenset(FT2Font(path).get_charmap())


def drawable(text: str) -> str:
    """`text` without the characters the font cannot draw (emoji…), blanks collapsed."""
    charmap = _charmap()
    kept = "".join(c if ord(c) in charmap or c in "\n " else " " for c in text)
    return " ".join(kept.split())


def plain_label(label: str) -> str:
    """A text's label without markup and leading emoji: "📍 Touchpoints" → "Touchpoints"."""
    label = drawable(_TAGS.sub("", label))
    return re.sub(r"^[^\w«“„\"(]+", "", label).strip()


def clip_lines(text: str, width: int, lines: int) -> list[str]:
    """`text` wrapped to `width` characters, at most `lines` lines, the last ending in "…"."""
    wrapped = textwrap.wrap(drawable(text), width, break_long_words=True) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = shorten(f"{kept[-1]} {wrapped[lines]}", width)  # longer than width: cut at a word
    return kept


def _png(figure: Figure, data: dict | None = None) -> bytes:
    """The figure as PNG bytes; `data` (the numbers drawn) goes into its "Description" text."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    metadata = {"Software": None}
    if data is not None:
        metadata["Description"] = json.dumps(data, ensure_ascii=False, sort_keys=True)
    figure.savefig(buffer, format="png", dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def map_picture(
    lang: str, journey: JourneyMap, notes: list[Note], *, today: date | None = None
) -> bytes:
    """The journey map as a PNG: stages × lanes with note cards and the emotion curve; items
    carry their owner and due date (overdue as of `today`, the chat's date)."""
    load_matplotlib()
    with _LOCK, matplotlib.rc_context():
        matplotlib.rcdefaults()
        return _png(_MapDrawing(lang, journey, notes, today).draw())


@dataclass(frozen=True)
class _Card:
    lines: list[str]
    resolved: bool
    quote: bool = False  # a customer's own words: drawn in italics


def _card_text(lang: str, note: Note) -> str:
    text = quoted(lang, note)  # a customer quote in quotation marks, with who said it
    return f"✓ {text}" if note.is_resolved else text


def card_details(note: Note, today: date | None) -> str:
    """An open item's owner and due date on its card's last line ("→ Ivan · 11.12"; "!" before
    the date once overdue, as of `today`); empty for other notes (a note corrected to another
    kind keeps its owner and date, for when it is corrected back)."""
    if not note.is_item or note.is_resolved:
        return ""
    details = [note.owner_name] if note.owner_name else []
    if note.due_on is not None:
        late = "! " if today is not None and is_overdue(note, today) else ""
        details.append(f"{late}{note.due_on:%d.%m}")
    return f"→ {' · '.join(details)}" if details else ""


def _card_lines(lang: str, note: Note, today: date | None) -> list[str]:
    """The card's wrapped text, its last line kept for the item's owner and due date."""
    details = card_details(note, today)
    if not details:
        return clip_lines(_card_text(lang, note), CHARS_PER_LINE, CARD_LINES)
    return [
        *clip_lines(_card_text(lang, note), CHARS_PER_LINE, CARD_LINES - 1),
        *clip_lines(details, CHARS_PER_LINE, 1),
    ]


class _MapDrawing:
    """Lays the map out in inches (y grows downwards) and draws it on one axes."""

    def __init__(
        self, lang: str, journey: JourneyMap, notes: list[Note], today: date | None = None
    ) -> None:
        self.lang, self.journey, self.notes, self.today = lang, journey, notes, today
        stage_ids = {stage.id for stage in journey.stages}
        self.columns = [
            (stage_name(lang, stage), [n for n in notes if n.stage_id == stage.id])
            for stage in journey.stages
        ]
        unsorted = [n for n in notes if n.stage_id not in stage_ids]
        if unsorted:
            self.columns.append((t(lang, "stage.unsorted"), unsorted))
        self.columns = self.columns[:MAX_COLUMNS] or [(t(lang, "stage.unsorted"), [])]
        self.capped = False
        self.hidden_open: dict[str, int] = {}
        self.cells = {
            (lane, index): self._cards(lane, stage_notes)
            for index, (_, stage_notes) in enumerate(self.columns)
            for lane in LANES
        }
        self.row_heights = {
            lane: max(self._cell_height(lane, i) for i in range(len(self.columns)))
            for lane in LANES
        }
        self.width = 2 * MARGIN + LABEL_WIDTH + COLUMN_WIDTH * len(self.columns)
        self.grid_top = MARGIN + TITLE_HEIGHT
        self.lanes_top = self.grid_top + HEADER_HEIGHT
        self.curve_top = self.lanes_top + sum(self.row_heights.values())
        footer = FOOTER_HEIGHT if self.capped else 0
        self.height = self.curve_top + CURVE_HEIGHT + footer + MARGIN

    def _cards(self, lane: str, stage_notes: list[Note]) -> tuple[list[_Card], int]:
        """The cell's cards as wrapped lines (open before resolved, newest first), and how many
        did not fit."""
        in_lane = sorted(
            (n for n in stage_notes if n.kind == lane),
            key=lambda n: (n.is_resolved, -n.id),
        )
        shown = [
            _Card(_card_lines(self.lang, n, self.today), n.is_resolved, n.quote)
            for n in in_lane[:MAX_CARDS]
        ]
        hidden = in_lane[MAX_CARDS:]
        self.capped = self.capped or bool(hidden)
        self.hidden_open[lane] = self.hidden_open.get(lane, 0) + sum(
            1 for n in hidden if not n.is_resolved
        )
        return shown, len(hidden)

    def _cell_height(self, lane: str, index: int) -> float:
        cards, hidden = self.cells[(lane, index)]
        height = sum(len(c.lines) * LINE_HEIGHT + 2 * CARD_PAD + CARD_GAP for c in cards)
        height += LINE_HEIGHT + CARD_GAP if hidden else 0
        return max(height, 0.45) + 2 * CELL_PAD - (CARD_GAP if cards else 0)

    def column_x(self, index: int) -> float:
        return MARGIN + LABEL_WIDTH + COLUMN_WIDTH * index

    def draw(self) -> Figure:
        figure = Figure(figsize=(self.width, self.height), dpi=DPI, facecolor="white")
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, self.width)
        axes.set_ylim(self.height, 0)
        axes.set_axis_off()
        self.axes = axes
        self._title()
        self._headers()
        top = self.lanes_top
        for lane in LANES:
            self._lane(lane, top, self.row_heights[lane])
            top += self.row_heights[lane]
        self._curve()
        if self.capped:
            self._text(
                MARGIN,
                self.height - MARGIN - FOOTER_HEIGHT / 2,
                t(self.lang, "picture.capped", limit=MAX_CARDS),
                size=8,
                color=MUTED,
                va="center",
            )
        return figure

    def _text(self, x: float, y: float, text: str, **style) -> None:
        style.setdefault("va", "top")
        style.setdefault("color", INK)
        self.axes.text(x, y, text, family=FONT, clip_on=False, **style)

    def _title(self) -> None:
        name = clip_lines(self.journey.name, 90, 1)[0]
        self._text(MARGIN, MARGIN, name, size=18, weight="bold")
        details = [plain_label(map_counts(self.lang, self.journey, self.notes))]
        if self.journey.persona:
            persona = clip_lines(self.journey.persona, 80, 1)[0]
            details.insert(0, plain_label(t(self.lang, "map.persona", persona=persona)))
        self._text(MARGIN, MARGIN + 0.45, "   ·   ".join(details), size=11, color=MUTED)

    def _headers(self) -> None:
        for index, (name, _) in enumerate(self.columns):
            x = self.column_x(index)
            self.axes.add_patch(
                Rectangle(
                    (x + 0.03, self.grid_top),
                    COLUMN_WIDTH - 0.06,
                    HEADER_HEIGHT - 0.06,
                    facecolor="#263845",
                    edgecolor="none",
                )
            )
            mark = f"{index + 1}." if index < len(self.journey.stages) else "·"  # not sorted
            lines = clip_lines(f"{mark} {name}", HEADER_CHARS, 2)
            self._text(
                x + COLUMN_WIDTH / 2,
                self.grid_top + (HEADER_HEIGHT - 0.06) / 2,
                "\n".join(lines),
                size=11,
                weight="bold",
                color="white",
                ha="center",
                va="center_baseline",
                linespacing=1.1,
            )

    def _row_header(
        self, top: float, height: float, right: float, bar: str, label: str, *, color: str
    ) -> None:
        """A row's top rule, its coloured bar and its bold label (lanes and the emotion curve)."""
        self.axes.plot([MARGIN, right], [top, top], color=GRID, linewidth=0.8)
        self.axes.add_patch(
            Rectangle(
                (MARGIN, top + CELL_PAD),
                0.06,
                height - 2 * CELL_PAD,
                facecolor=bar,
                edgecolor="none",
            )
        )
        self._text(
            MARGIN + 0.14,
            top + CELL_PAD + 0.02,
            "\n".join(clip_lines(plain_label(label), 15, 3)),
            size=9.5,
            weight="bold",
            color=color,
            linespacing=1.15,
        )

    def _lane(self, lane: str, top: float, height: float) -> None:
        right = self.column_x(len(self.columns))
        is_pain = lane == "pain_point"
        if is_pain:
            self.axes.add_patch(
                Rectangle(
                    (MARGIN, top), right - MARGIN, height, facecolor=PAIN_ROW, edgecolor="none"
                )
            )
        self._row_header(
            top,
            height,
            right,
            LANE_COLORS[lane],
            t(self.lang, f"lane.{lane}"),
            color=PAIN if is_pain else INK,
        )
        for index in range(len(self.columns)):
            self._cell(lane, index, top)

    def _cell(self, lane: str, index: int, top: float) -> None:
        cards, hidden = self.cells[(lane, index)]
        x = self.column_x(index) + 0.06
        y = top + CELL_PAD
        width = COLUMN_WIDTH - 0.12
        is_pain = lane == "pain_point"
        for card in cards:
            hurting = is_pain and not card.resolved
            card_height = len(card.lines) * LINE_HEIGHT + 2 * CARD_PAD
            fill = RESOLVED_FILL if card.resolved else PAIN_FILL if hurting else "white"
            self.axes.add_patch(
                FancyBboxPatch(
                    (x, y),
                    width,
                    card_height,
                    boxstyle="round,pad=0,rounding_size=0.05",
                    facecolor=fill,
                    edgecolor=PAIN if hurting else GRID,
                    linewidth=1.2 if hurting else 0.8,
                )
            )
            self.axes.add_patch(
                Rectangle(
                    (x, y + 0.03),
                    0.035,
                    card_height - 0.06,
                    facecolor=RESOLVED_BAR if card.resolved else LANE_COLORS[lane],
                    edgecolor="none",
                )
            )
            self._text(
                x + 0.09,
                y + CARD_PAD - 0.015,
                "\n".join(card.lines),
                size=9,
                linespacing=1.28,
                color=MUTED if card.resolved else INK,
                style="italic" if card.quote else "normal",
            )
            y += card_height + CARD_GAP
        if hidden:
            self._text(
                x + 0.09,
                y,
                t(self.lang, "picture.more", count=hidden),
                size=9,
                color=PAIN if is_pain and self.hidden_open.get(lane) else MUTED,
                style="italic",
            )
        if not cards:
            self._text(
                x + width / 2,
                top + CELL_PAD + 0.2,
                "–",
                size=9,
                color=GRID,
                ha="center",
                va="center",
            )

    def _curve(self) -> None:
        top, right = self.curve_top, self.column_x(len(self.columns))
        self._row_header(
            top,
            CURVE_HEIGHT,
            right,
            LANE_COLORS["emotion"],
            t(self.lang, "picture.emotion_curve"),
            color=INK,
        )
        plot_top, plot_bottom = top + 0.25, top + CURVE_HEIGHT - 0.25
        middle = (plot_top + plot_bottom) / 2

        def y_of(value: float) -> float:
            return middle - value * (plot_bottom - plot_top) / 2

        left = self.column_x(0)
        for value, mark in ((1, "+1"), (0, "0"), (-1, "−1")):
            self.axes.plot(
                [left, right],
                [y_of(value)] * 2,
                color=GRID,
                linewidth=1 if value == 0 else 0.6,
                linestyle="-" if value == 0 else ":",
            )
            self._text(
                left - 0.06, y_of(value), mark, size=7.5, color=MUTED, ha="right", va="center"
            )
        curve = emotion_curve(self.journey, self.notes)[: len(self.columns)]
        points = [
            (self.column_x(i) + COLUMN_WIDTH / 2, value)
            for i, value in enumerate(curve)
            if value is not None
        ]
        if not points:
            self._text(
                (left + right) / 2,
                middle - 0.12,
                t(self.lang, "picture.no_feelings"),
                size=9,
                color=MUTED,
                ha="center",
                style="italic",
            )
            return
        xs = [x for x, _ in points]
        ys = [y_of(value) for _, value in points]
        self.axes.fill_between(
            xs,
            ys,
            [middle] * len(xs),
            where=[v >= 0 for _, v in points],
            interpolate=True,
            color=GOOD,
            alpha=0.12,
            linewidth=0,
        )
        self.axes.fill_between(
            xs,
            ys,
            [middle] * len(xs),
            where=[v <= 0 for _, v in points],
            interpolate=True,
            color=PAIN,
            alpha=0.12,
            linewidth=0,
        )
        self.axes.plot(xs, ys, color=INK, linewidth=2)
        for index, ((x, value), y) in enumerate(zip(points, ys, strict=True)):
            color = GOOD if value > 0.05 else PAIN if value < -0.05 else MUTED
            self.axes.plot(
                [x],
                [y],
                marker="o",
                markersize=9,
                color=color,
                markeredgecolor="white",
                markeredgewidth=1.5,
            )
            neighbours = [v for _, v in points[max(index - 1, 0) : index + 2]]
            valley = value < 0 and value <= min(neighbours)  # below a valley there is room
            self._text(
                x,
                y + (0.12 if valley else -0.12),
                signed(value),
                size=9.5,
                color=color,
                weight="bold",
                ha="center",
                va="top" if valley else "bottom",
            )


def signed(value: float) -> str:
    """A mood for people: "+0.4", "−0.6" (a real minus sign), "0"."""
    if abs(value) < NEUTRAL_MOOD:
        return "0"
    return f"{'+' if value > 0 else '−'}{abs(value):.1f}"


def pain_chart(lang: str, insights: Insights) -> bytes:
    """Horizontal bars: open pain points per stage — and "not sorted yet", ranked with them —
    (resolved ones in grey after them), every row tied for the most open pain points darkest,
    "open / notes" labels."""
    stats = list(insights.stages)
    load_matplotlib()
    with _LOCK, matplotlib.rc_context():
        matplotlib.rcdefaults()
        height = 1.4 + 0.42 * len(stats)
        figure = Figure(figsize=(6.4, height), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.36, 0.45 / height, 0.56, (height - 1.35) / height))
        names = [clip_lines(stage_name(lang, s.stage), 24, 1)[0] for s in stats]
        values = [s.pain_points for s in stats]
        worst = insights.worst
        colors = [PAIN if s in worst else "#ef9a9a" for s in stats]
        positions = list(range(len(stats)))[::-1]
        axes.barh(positions, values, color=colors, height=0.62)
        resolved = [s.resolved for s in stats]
        axes.barh(positions, resolved, left=values, color=RESOLVED_BAR, height=0.62)
        axes.set_yticks(positions, names, family=FONT, fontsize=9.5, color=INK)
        top = max([v + r for v, r in zip(values, resolved, strict=True)] + [1])
        axes.set_xlim(0, top * 1.25)
        for y, stat in zip(positions, stats, strict=True):
            axes.text(
                stat.pain_points + stat.resolved + top * 0.03,
                y,
                f"{stat.pain_points} / {stat.notes}",
                family=FONT,
                fontsize=8.5,
                color=MUTED,
                va="center",
            )
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.tick_params(axis="x", labelsize=8, colors=MUTED)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        _title_and_note(
            figure, height, t(lang, "picture.chart_title"), t(lang, "picture.chart_note"),
            left=0.04, note_below=0.5,
        )
        return _png(figure)


def _title_and_note(
    figure: Figure, height: float, title: str, note: str, *, left: float, note_below: float
) -> None:
    """A chart's bold title at the top left and its grey note under it (`note_below` inches
    from the top; `height` is the figure's, in inches)."""
    figure.text(left, 1 - 0.15 / height, plain_label(title), family=FONT, fontsize=12,
                weight="bold", color=INK, va="top")
    figure.text(left, 1 - note_below / height, plain_label(note), family=FONT, fontsize=8.5,
                color=MUTED, va="top")


TIMELINE_COLUMNS = 3  # stage panels per row
PANEL_WIDTH = 2.9
PANEL_HEIGHT = 1.75


def timeline_chart(
    lang: str, journey: JourneyMap, timeline: PainTimeline, labels: list[str], title_key: str
) -> bytes:
    """Small multiples: a panel per stage, a bar per moment of the timeline (each review, then
    now): open pain points red, resolved ones grey on top. Every panel has the same scale. The
    numbers drawn are in the PNG's "Description" text (JSON). `labels` name the moments
    (bot.reports.timeline_labels)."""
    series = list(timeline.stages)
    width = len(timeline.moments)
    load_matplotlib()
    with _LOCK, matplotlib.rc_context():
        matplotlib.rcdefaults()
        columns = min(TIMELINE_COLUMNS, max(len(series), 1))
        rows = -(-max(len(series), 1) // columns)
        fig_width = 0.5 + PANEL_WIDTH * columns
        height = 0.95 + PANEL_HEIGHT * rows + 0.25
        figure = Figure(figsize=(fig_width, height), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        top = max([o + r for s in series for o, r in zip(s.open, s.resolved, strict=True)] + [1])
        for index, stage_series in enumerate(series):
            row, column = divmod(index, columns)
            left = (0.45 + column * PANEL_WIDTH) / fig_width
            bottom = (height - 0.95 - (row + 1) * PANEL_HEIGHT + 0.35) / height
            axes = figure.add_axes(
                (left, bottom, (PANEL_WIDTH - 0.45) / fig_width, (PANEL_HEIGHT - 0.75) / height)
            )
            xs = list(range(width))
            axes.bar(xs, stage_series.open, color=PAIN, width=0.7)
            axes.bar(
                xs, stage_series.resolved, bottom=stage_series.open, color=RESOLVED_BAR, width=0.7
            )
            axes.set_ylim(0, top * 1.15)
            axes.set_xlim(-0.6, width - 0.4)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
            ticks = sorted({0, width - 1})
            axes.set_xticks(ticks, [labels[i] for i in ticks], family=FONT, fontsize=7)
            axes.tick_params(axis="both", labelsize=7, colors=MUTED, length=2)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            name = clip_lines(stage_name(lang, stage_series.stage), 22, 1)[0]
            now_open = stage_series.open[-1] if width else 0
            axes.set_title(
                f"{name} · {now_open}",
                family=FONT,
                fontsize=9,
                color=PAIN if now_open else INK,
                loc="left",
                weight="bold",
            )
        _title_and_note(
            figure, height, t(lang, title_key, name=journey.name),
            t(lang, "picture.timeline_note"), left=0.02, note_below=0.55,
        )
        data = {"labels": labels, **timeline.as_data()}
        return _png(figure, data)
