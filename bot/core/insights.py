"""What a busy owner should notice on a map: hotspots, low moods, gaps, recurring themes.

Pure functions over `JourneyMap` and the map's notes — whole `Note`s or the `NoteFacts` that
/insights reads (the same fields, by the same names); the time of the last review and each
language's stop words (spaCy's, from the nlp layer) are passed in. Only *open* pain points
count as pain: a pain point the team marked resolved is reported as resolved, never as hurting.
Everything is linear in the map's notes.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.core.model import LANES, JourneyMap, Note, NoteFacts, Stage
from bot.core.vocabulary import fold

# A few words that never make a theme whatever the stop-word lists say (en, pl, uk, bg).
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
NEUTRAL_MOOD = 0.05  # moods closer to 0 are shown as "0"
MERGE_LENGTH = MIN_WORD_LENGTH  # a four-letter stem joins the longer stems it begins
UNSORTED_POSITION = 1_000_000  # "not sorted yet" ranks after every stage it ties with


@dataclass(frozen=True)
class StageStats:
    """One stage's numbers: notes, pain points, average mood and the lanes nobody filled."""

    stage: Stage | None  # None: the notes whose stage was removed ("not sorted yet")
    notes: int
    pain_points: int  # open pain points only
    mood: float | None  # mean sentiment (−1..1) of the stage's notes; None without notes
    lane_counts: tuple[tuple[str, int], ...]
    resolved: int = 0  # pain points the team marked resolved

    @property
    def empty_lanes(self) -> tuple[str, ...]:
        return tuple(lane for lane, count in self.lane_counts if count == 0)

    @property
    def pain_share(self) -> float:
        return self.pain_points / self.notes if self.notes else 0.0



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
    hotspots: tuple[StageStats, ...]  # most open pain points first; `worst` are tied at the top
    lowest_mood: StageStats | None
    themes: tuple[Theme, ...]
    since_review: SinceReview
    path_to_purchase: Segment | None
    whole_journey: Segment
    total_notes: int

    @property
    def worst(self) -> tuple[StageStats, ...]:
        """The stages tied for the most open pain points (all of them are highlighted)."""
        return worst(self.hotspots)


MapNote = Note | NoteFacts  # a note as /insights reads it, or whole

STOP_WORDS: frozenset[str] = frozenset(fold(word) for word in _STOP_WORDS.split())


def stop_word_keys(words) -> frozenset[str]:
    """A stop-word list (spaCy's for a language) as folded keys, with our own few added."""
    return STOP_WORDS | frozenset(fold(word) for word in words)


def theme_words(text: str, stop_words: frozenset[str] = STOP_WORDS) -> set[str]:
    """The folded words of a note that can form a theme: at least four letters, no stop word."""
    return set(theme_forms(text, stop_words))


def theme_forms(text: str, stop_words: frozenset[str] = STOP_WORDS) -> dict[str, str]:
    """{folded word: the word as typed, lowercased} for a note's theme words; the typed form is
    what a theme shows ("сайт", never a folded spelling)."""
    words = {}
    for word in _WORD.findall(text):
        key = fold(word)
        if len(key) >= MIN_WORD_LENGTH and key not in stop_words:
            words.setdefault(key, word.lower())
    return words


def stem(word: str) -> str:
    """The prefix that stands for a word's inflections ("koszyka" → "koszy")."""
    return word[:STEM_LENGTH]


def notes_by_stage(
    journey: JourneyMap, notes: list[MapNote]
) -> list[tuple[Stage | None, list]]:
    """The notes of each stage in map order (one pass), then those of removed stages (None)."""
    by_id: dict[int | None, list[MapNote]] = {stage.id: [] for stage in journey.stages}
    unsorted: list[MapNote] = []
    for note in notes:
        by_id.get(note.stage_id, unsorted).append(note)
    groups: list[tuple[Stage | None, list[MapNote]]] = [
        (stage, by_id[stage.id]) for stage in journey.stages
    ]
    if unsorted:
        groups.append((None, unsorted))
    return groups


def stage_stats(journey: JourneyMap, notes: list[MapNote]) -> tuple[StageStats, ...]:
    """Numbers per stage in map order, then "not sorted yet" if some notes have no stage."""
    return tuple(_stats(stage, group) for stage, group in notes_by_stage(journey, notes))


def _stats(stage: Stage | None, notes: list[MapNote]) -> StageStats:
    kinds = Counter(note.kind for note in notes)
    open_pains = sum(1 for note in notes if note.is_open_pain_point)
    return StageStats(
        stage=stage,
        notes=len(notes),
        pain_points=open_pains,
        mood=_mean(note.sentiment for note in notes),
        lane_counts=tuple((lane, kinds[lane]) for lane in LANES),
        resolved=kinds["pain_point"] - open_pains,
    )


def _mean(values) -> float | None:
    """The mean rounded to two places; `math.fsum` makes it the same in any order of the
    values (a stage's notes or the whole map's)."""
    values = list(values)
    return round(math.fsum(values) / len(values), 2) if values else None


def emotion_curve(journey: JourneyMap, notes: list[MapNote]) -> list[float | None]:
    """The mean sentiment of each stage's notes, in map order (None where a stage has none)."""
    by_stage: dict[int | None, list[float]] = defaultdict(list)
    for note in notes:
        by_stage[note.stage_id].append(note.sentiment)
    return [_mean(by_stage.get(stage.id, ())) for stage in journey.stages]


def hotspots(stats: tuple[StageStats, ...], limit: int = 3) -> tuple[StageStats, ...]:
    """The stages with the most open pain points, most first (then in map order); at least
    `limit` of them, more when stages are tied with the last one shown. "Not sorted yet" (the
    notes of removed stages) is a row of its own, after the stages it ties with: its pain points
    count in the whole journey, so the ranking must show them too."""
    painful = [s for s in stats if s.pain_points]
    painful.sort(key=lambda s: (-s.pain_points, _map_order(s)))
    shown = painful[:limit]
    shown += [s for s in painful[limit:] if s.pain_points == shown[-1].pain_points]
    return tuple(shown)


def _map_order(stats: StageStats) -> int:
    """Where the stage's row comes on the map: "not sorted yet" after every stage."""
    return stats.stage.position if stats.stage is not None else UNSORTED_POSITION


def worst(ranked: tuple[StageStats, ...]) -> tuple[StageStats, ...]:
    """The leading stages of a `hotspots()` ranking that share the top count."""
    return tuple(s for s in ranked if s.pain_points == ranked[0].pain_points) if ranked else ()


def lowest_mood(stats: tuple[StageStats, ...]) -> StageStats | None:
    """The stage whose notes feel worst, if any stage feels negative at all (a mood that shows
    as "0", within `NEUTRAL_MOOD` of it, is not negative); "not sorted yet" too, as in
    `hotspots`: its notes count in the whole journey's mood."""
    rated = [s for s in stats if s.mood is not None and s.mood <= -NEUTRAL_MOOD]
    return min(rated, key=lambda s: (s.mood, _map_order(s))) if rated else None


def biggest_gaps(stats: tuple[StageStats, ...]) -> list[tuple[Stage, tuple[str, ...]]]:
    """Stages with empty lanes, emptiest first, each with its empty lanes in `GAP_PRIORITY`
    order (a missing touchpoint or feeling matters more than a missing idea)."""
    gaps = [(s.stage, s.empty_lanes) for s in stats if s.stage is not None and s.empty_lanes]
    gaps.sort(key=lambda gap: (-len(gap[1]), gap[0].position))
    return [(stage, tuple(sorted(lanes, key=GAP_PRIORITY.index))) for stage, lanes in gaps]


def recurring_themes(
    notes: list[MapNote],
    limit: int = 5,
    *,
    stop_words: dict[str, frozenset[str]] | None = None,
) -> tuple[Theme, ...]:
    """Open pain points that share a word (inflections matched by prefix) or a channel.

    Words that always occur in the same notes are one theme ("late / delivery"). A theme needs
    at least two pain points. `stop_words` are each language's (folded); a note's words are
    checked against its own language's and our short common list. A word that names one of
    the note's channels is left to the channel theme. Linear in the number of notes.
    """
    pains = [note for note in notes if note.is_open_pain_point]
    stop_words = stop_words or {}
    by_stem: dict[str, set[int]] = defaultdict(set)
    forms: dict[str, dict[str, int]] = defaultdict(dict)
    theme_of = _StemMerger().key
    for note in pains:
        words = theme_forms(note.text, stop_words.get(note.lang, STOP_WORDS))
        if note.channels:
            for channel in note.channels:
                for word in _WORD.findall(fold(channel)):
                    words.pop(word, None)
        for key in sorted(words):
            theme = theme_of(key[:STEM_LENGTH])
            by_stem[theme].add(note.id)
            typed = forms[theme]
            typed[words[key]] = typed.get(words[key], 0) + 1
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
    channel_themes = [
        Theme("channel", channel, len(ids), tuple(sorted(ids)))
        for channel, ids in by_channel.items()
        if len(ids) >= 2
    ]
    # a word found in exactly the notes of a channel is that channel's name ("sklep" for shop)
    channel_notes = {theme.note_ids for theme in channel_themes}
    themes = [theme for theme in themes if theme.note_ids not in channel_notes] + channel_themes
    themes.sort(key=lambda th: (-th.count, th.kind != "word", th.label))
    return tuple(themes[:limit])


class _StemMerger:
    """A four-letter stem and the five-letter stems it begins are one theme ("slow", "slowl"),
    found through a dict of four-letter prefixes rather than by comparing every pair."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}  # stem → its theme key
        self.by_prefix: dict[str, str] = {}  # four-letter prefix → the first theme key with it

    def key(self, stem_: str) -> str:
        known = self.keys.get(stem_)
        if known is not None:
            return known
        prefix = stem_[:MERGE_LENGTH]
        if len(stem_) == MERGE_LENGTH:  # joins the first theme it begins, if any
            theme = self.by_prefix.get(prefix, stem_)
        elif self.keys.get(prefix) == prefix:  # a four-letter theme begins it
            theme = prefix
        else:
            theme = stem_
        self.keys[stem_] = theme
        self.by_prefix.setdefault(prefix, theme)
        return theme


def _label(key: str, forms: dict[str, dict[str, int]]) -> str:
    candidates = forms.get(key) or {key: 1}
    return min(candidates, key=lambda word: (-candidates[word], len(word), word))


def since_review(notes: list[MapNote], reviewed_at: datetime | None) -> SinceReview:
    """Notes and pain points added after the latest finished review (whatever their status:
    this counts what was written, not what is open)."""
    if reviewed_at is None:
        return SinceReview(None)
    new = [note for note in notes if note.created_at > reviewed_at]
    return SinceReview(reviewed_at, len(new), sum(1 for note in new if note.is_pain_point))


def segment(stats: tuple[StageStats, ...], notes: list[MapNote]) -> Segment:
    stages = [s.stage for s in stats if s.stage is not None]
    return Segment(
        first=stages[0] if stages else None,
        last=stages[-1] if stages else None,
        notes=sum(s.notes for s in stats),
        pain_points=sum(s.pain_points for s in stats),
        mood=_mean(note.sentiment for note in notes),
    )


def path_to_purchase(
    journey: JourneyMap, notes: list[MapNote], stats: tuple[StageStats, ...]
) -> Segment | None:
    """Totals from the first stage up to the Purchase stage (None if the map has none), from
    the map's notes and its `stage_stats`."""
    end = journey.stage_for_key(PATH_END_KEY)
    if end is None:
        return None
    upto = journey.stages.index(end) + 1  # the first `upto` stats are those stages'
    on_path = {stage.id for stage in journey.stages[:upto]}
    return segment(stats[:upto], [note for note in notes if note.stage_id in on_path])


def compute_insights(
    journey: JourneyMap,
    notes: list[MapNote],
    *,
    reviewed_at: datetime | None = None,
    stop_words: dict[str, frozenset[str]] | None = None,
) -> Insights:
    """Everything /insights reports, from the map, its notes (whole, or the `NoteFacts` of
    `storage.notes.list_note_facts`) and the last review's end; the path to purchase reuses
    the stages' numbers."""
    stats = stage_stats(journey, notes)
    return Insights(
        stages=stats,
        hotspots=hotspots(stats),
        lowest_mood=lowest_mood(stats),
        themes=recurring_themes(notes, stop_words=stop_words),
        since_review=since_review(notes, reviewed_at),
        path_to_purchase=path_to_purchase(journey, notes, stats),
        whole_journey=segment(stats, notes),
        total_notes=len(notes),
    )
