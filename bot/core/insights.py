"""What a busy owner should notice on a map: hotspots, low moods, gaps, recurring themes.

Pure functions over `JourneyMap` and `Note`; the time of the last review is passed in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.core.model import LANES, JourneyMap, Note, Stage
from bot.core.vocabulary import fold

# Short, very common words that never make a theme (en, pl, uk, bg); folded when loaded.
_STOP_WORDS = """
    the and for are was were but not you your our with this that they them their there have has
    had too very can cant could would will just when what which who how why all any from into
    out about than then its it's get got does did don't dont more most some only also been being
    nie jest sie się ale jak czy juz już tak też tez bardzo przez przy oraz albo lub ich jego jej
    nam nas wam was mnie dla pod nad bez gdy kiedy ten ta to te tym tego tej ktory która ktore
    który które bylo było byla była są sa ma mają maja mamy można mozna trzeba jeszcze potem
    не на що як але та або для при без під над від про так теж дуже вже ще коли там тут його її
    їх нас вас вони воно він вона це цей ця ці той було була були має мають можна треба потім
    не на че как но или за при без под над от про така също много вече още когато там тук
    неговия нейния техния нас вас те то той тя това този тази тези беше бяха има имат може
    трябва после да се ни ги му им си по из със във
"""
STEM_LENGTH = 5  # words sharing their first five letters are one theme ("dostawa", "dostawy")
MIN_WORD_LENGTH = 4
GAP_PRIORITY = ("touchpoint", "emotion", "pain_point", "need", "action", "opportunity")
PATH_END_KEY = "purchase"  # the path to purchase runs from the first stage to this one
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class StageStats:
    """One stage's numbers: notes, pain points, average mood and the lanes nobody filled."""

    stage: Stage | None  # None: the notes whose stage was removed ("not sorted yet")
    notes: int
    pain_points: int
    mood: float | None  # mean sentiment (−1..1) of the stage's notes; None without notes
    lane_counts: tuple[tuple[str, int], ...]

    @property
    def empty_lanes(self) -> tuple[str, ...]:
        return tuple(lane for lane, count in self.lane_counts if count == 0)

    @property
    def pain_share(self) -> float:
        return self.pain_points / self.notes if self.notes else 0.0

    @property
    def hotspot_score(self) -> float:
        """Pain points per note, smoothed so that one note alone does not top the list."""
        return self.pain_points / (self.notes + 1)


@dataclass(frozen=True)
class Theme:
    """Pain points that share a word (`kind` "word") or a channel (`kind` "channel")."""

    kind: str
    label: str
    count: int
    note_ids: tuple[int, ...]


@dataclass(frozen=True)
class Segment:
    """Totals over a run of stages: the path to purchase, or the whole journey."""

    first: Stage | None
    last: Stage | None
    notes: int
    pain_points: int
    mood: float | None


@dataclass(frozen=True)
class SinceReview:
    """What was added after the latest finished review; `reviewed_at` None: never reviewed."""

    reviewed_at: datetime | None
    notes: int = 0
    pain_points: int = 0


@dataclass(frozen=True)
class Insights:
    stages: tuple[StageStats, ...]
    hotspots: tuple[StageStats, ...]
    lowest_mood: StageStats | None
    themes: tuple[Theme, ...]
    since_review: SinceReview
    path_to_purchase: Segment | None
    whole_journey: Segment
    total_notes: int


STOP_WORDS: frozenset[str] = frozenset(fold(word) for word in _STOP_WORDS.split())


def theme_words(text: str) -> set[str]:
    """The words of a note that can form a theme: folded, no stop-words, at least four letters."""
    words = (fold(w) for w in _WORD.findall(text))
    return {w for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS}


def stem(word: str) -> str:
    """The prefix that stands for a word's inflections ("koszyka" → "koszy")."""
    return word[:STEM_LENGTH]


def stage_stats(journey: JourneyMap, notes: list[Note]) -> tuple[StageStats, ...]:
    """Numbers per stage in map order, then "not sorted yet" if some notes have no stage."""
    stage_ids = {stage.id for stage in journey.stages}
    groups: list[tuple[Stage | None, list[Note]]] = [
        (stage, [n for n in notes if n.stage_id == stage.id]) for stage in journey.stages
    ]
    unsorted = [n for n in notes if n.stage_id not in stage_ids]
    if unsorted:
        groups.append((None, unsorted))
    return tuple(_stats(stage, group) for stage, group in groups)


def _stats(stage: Stage | None, notes: list[Note]) -> StageStats:
    kinds = Counter(note.kind for note in notes)
    return StageStats(
        stage=stage,
        notes=len(notes),
        pain_points=kinds["pain_point"],
        mood=_mean(note.sentiment for note in notes),
        lane_counts=tuple((lane, kinds[lane]) for lane in LANES),
    )


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def emotion_curve(journey: JourneyMap, notes: list[Note]) -> list[float | None]:
    """The mean sentiment of each stage's notes, in map order (None where a stage has none)."""
    by_stage: dict[int | None, list[float]] = defaultdict(list)
    for note in notes:
        by_stage[note.stage_id].append(note.sentiment)
    return [_mean(by_stage.get(stage.id, ())) for stage in journey.stages]


def hotspots(stats: tuple[StageStats, ...], limit: int = 3) -> tuple[StageStats, ...]:
    """The stages with the most pain points per note (smoothed), most painful first."""
    painful = [s for s in stats if s.pain_points and s.stage is not None]
    painful.sort(key=lambda s: (-s.hotspot_score, -s.pain_points, s.stage.position))
    return tuple(painful[:limit])


def lowest_mood(stats: tuple[StageStats, ...]) -> StageStats | None:
    """The stage whose notes feel worst, if any stage feels negative at all."""
    rated = [s for s in stats if s.stage is not None and s.mood is not None and s.mood < 0]
    return min(rated, key=lambda s: (s.mood, s.stage.position)) if rated else None


def biggest_gaps(stats: tuple[StageStats, ...]) -> list[tuple[Stage, tuple[str, ...]]]:
    """Stages with empty lanes, emptiest first, each with its empty lanes in `GAP_PRIORITY`
    order (a missing touchpoint or feeling matters more than a missing idea)."""
    gaps = [(s.stage, s.empty_lanes) for s in stats if s.stage is not None and s.empty_lanes]
    gaps.sort(key=lambda gap: (-len(gap[1]), gap[0].position))
    return [(stage, tuple(sorted(lanes, key=GAP_PRIORITY.index))) for stage, lanes in gaps]


def recurring_themes(notes: list[Note], limit: int = 5) -> tuple[Theme, ...]:
    """Pain points that share a word (inflections matched by prefix) or a channel, by count.

    Words that always occur in the same notes are one theme ("late / delivery"). A theme needs
    at least two pain points.
    """
    pains = [note for note in notes if note.is_pain_point]
    by_stem: dict[str, set[int]] = defaultdict(set)
    forms: dict[str, Counter] = defaultdict(Counter)
    for note in pains:
        for word in sorted(theme_words(note.text)):
            key = _merge_prefix(stem(word), by_stem)
            by_stem[key].add(note.id)
            forms[key][word] += 1
    grouped: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for key, ids in by_stem.items():
        if len(ids) >= 2:
            grouped[tuple(sorted(ids))].append(key)
    themes = [
        Theme("word", " / ".join(sorted(_label(k, forms) for k in keys)), len(ids), ids)
        for ids, keys in grouped.items()
    ]
    by_channel: dict[str, list[int]] = defaultdict(list)
    for note in pains:
        for channel in dict.fromkeys(note.channels):
            by_channel[channel].append(note.id)
    themes += [
        Theme("channel", channel, len(ids), tuple(ids))
        for channel, ids in by_channel.items()
        if len(ids) >= 2
    ]
    themes.sort(key=lambda th: (-th.count, th.kind != "word", th.label))
    return tuple(themes[:limit])


def _merge_prefix(key: str, known: dict[str, set[int]]) -> str:
    """A short stem that begins a known one (or the reverse) joins it: "slow" and "slowl"."""
    if key in known:
        return key
    for other in known:
        shorter, longer = sorted((key, other), key=len)
        if len(shorter) >= MIN_WORD_LENGTH and longer.startswith(shorter):
            return other
    return key


def _label(key: str, forms: dict[str, Counter]) -> str:
    candidates = forms.get(key) or Counter({key: 1})
    return min(candidates, key=lambda word: (-candidates[word], len(word), word))


def since_review(notes: list[Note], reviewed_at: datetime | None) -> SinceReview:
    """Notes and pain points added after the latest finished review."""
    if reviewed_at is None:
        return SinceReview(None)
    new = [note for note in notes if note.created_at > reviewed_at]
    return SinceReview(reviewed_at, len(new), sum(1 for note in new if note.is_pain_point))


def segment(stats: tuple[StageStats, ...], notes: list[Note]) -> Segment:
    stages = [s.stage for s in stats if s.stage is not None]
    return Segment(
        first=stages[0] if stages else None,
        last=stages[-1] if stages else None,
        notes=sum(s.notes for s in stats),
        pain_points=sum(s.pain_points for s in stats),
        mood=_mean(note.sentiment for note in notes),
    )


def path_to_purchase(journey: JourneyMap, notes: list[Note]) -> Segment | None:
    """Totals from the first stage up to the Purchase stage; None if the map has none."""
    end = journey.stage_for_key(PATH_END_KEY)
    if end is None:
        return None
    stages = list(journey.stages[: journey.stages.index(end) + 1])
    ids = {stage.id for stage in stages}
    on_path = [note for note in notes if note.stage_id in ids]
    stats = tuple(_stats(st, [n for n in on_path if n.stage_id == st.id]) for st in stages)
    return segment(stats, on_path)


def compute_insights(
    journey: JourneyMap, notes: list[Note], *, reviewed_at: datetime | None = None
) -> Insights:
    """Everything /insights reports, from the map, its notes and the last review's end."""
    stats = stage_stats(journey, notes)
    return Insights(
        stages=stats,
        hotspots=hotspots(stats),
        lowest_mood=lowest_mood(stats),
        themes=recurring_themes(notes),
        since_review=since_review(notes, reviewed_at),
        path_to_purchase=path_to_purchase(journey, notes),
        whole_journey=segment(stats, notes),
        total_notes=len(notes),
    )
