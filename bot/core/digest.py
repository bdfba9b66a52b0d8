"""The team digest and the review history, as plain values (pure: no Telegram, SQLite, spaCy).

A digest covers a period (`since`, `until`] of one map: the notes written in it per stage, the
pain points written and resolved in it, the themes that keep coming up among open pain points,
who wrote (and, in a group, who has not), the open items with owners and due dates (overdue
first), and a timeline: open and resolved pain points per stage at each of the last reviews and
now. The review history uses the same timeline over more reviews.

The timeline is computed from the notes as they are today: a pain point counts as open at a
moment when it was written by then and not resolved by then, as resolved when it was resolved by
then. A deleted note leaves every column; a note moved to another stage counts in its stage now;
a pain point resolved at an unknown time (before resolution times were kept) counts as resolved
since it was written. So the last column ("now") always equals what /map and /insights count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.core.insights import Theme, recurring_themes
from bot.core.model import JourneyMap, Note, Stage
from bot.core.schedule import QuietHours, ReviewRule, next_run
from bot.core.vocabulary import fold

DEFAULT_PERIOD = timedelta(days=7)  # a digest without an earlier one covers the last week
MAX_LISTED = 5  # new and resolved pain points listed by name; the rest are counted
MAX_ITEMS = 8  # open items listed; the rest are counted
MAX_QUIET = 10  # members named as not heard from; the rest are counted
MAX_THEMES = 3
DIGEST_REVIEWS = 5  # the digest's picture: the last five reviews and now
HISTORY_REVIEWS = 12  # the history's picture: the last twelve reviews and now


@dataclass(frozen=True)
class StageActivity:
    """What was written on one stage in the period (`stage` None: notes of a removed stage)."""

    stage: Stage | None
    notes: int
    pain_points: int  # pain points written in the period, whatever their status now


@dataclass(frozen=True)
class Person:
    """Someone of the team; `notes` is how many notes they wrote in the period."""

    user_id: int
    name: str
    notes: int = 0


@dataclass(frozen=True)
class Listed:
    """The first few of a list and how many there are in all."""

    shown: tuple[Note, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True)
class StageSeries:
    """One stage's pain points at each moment of a timeline."""

    stage: Stage | None
    open: tuple[int, ...]
    resolved: tuple[int, ...]


@dataclass(frozen=True)
class PainTimeline:
    """Open and resolved pain points per stage at each moment (the last one is "now")."""

    moments: tuple[datetime, ...]
    stages: tuple[StageSeries, ...]

    def open_at(self, index: int) -> int:
        return sum(series.open[index] for series in self.stages)

    def resolved_at(self, index: int) -> int:
        return sum(series.resolved[index] for series in self.stages)

    def as_data(self) -> dict:
        """The numbers behind the picture, JSON-ready (stage ids; None: not sorted yet)."""
        return {
            "moments": [moment.isoformat(timespec="seconds") for moment in self.moments],
            "stages": [
                {
                    "stage_id": s.stage.id if s.stage else None,
                    "open": list(s.open),
                    "resolved": list(s.resolved),
                }
                for s in self.stages
            ],
        }


@dataclass(frozen=True)
class Digest:
    journey: JourneyMap
    since: datetime
    until: datetime
    activity: tuple[StageActivity, ...]  # stages with notes in the period, in map order
    new_pain_points: Listed  # written in the period and still open
    resolved: Listed  # resolved in the period
    themes: tuple[Theme, ...]
    contributors: tuple[Person, ...]  # most notes first
    quiet: tuple[Person, ...]  # members who wrote nothing in the period (groups only)
    items: Listed  # open items (owner or due date), overdue first
    overdue: int
    timeline: PainTimeline

    @property
    def new_notes(self) -> int:
        return sum(a.notes for a in self.activity)

    @property
    def is_quiet(self) -> bool:
        """Nothing was written or resolved in the period."""
        return not self.new_notes and not self.resolved.total


def period_start(last_digest_until: datetime | None, until: datetime) -> datetime:
    """Where a digest starts: where the last one ended, else a week before `until`."""
    if last_digest_until is not None and last_digest_until < until:
        return last_digest_until
    return until - DEFAULT_PERIOD


def stage_activity(
    journey: JourneyMap, counts: Iterable[tuple[int | None, str, int]]
) -> tuple[StageActivity, ...]:
    """(stage id, kind, notes) rows of the period as activity per stage, in map order, stages
    without notes left out; notes of stages no longer on the map last ("not sorted yet")."""
    notes: dict[int | None, int] = {}
    pains: dict[int | None, int] = {}
    known = {stage.id for stage in journey.stages}
    for stage_id, kind, count in counts:
        key = stage_id if stage_id in known else None
        notes[key] = notes.get(key, 0) + count
        if kind == "pain_point":
            pains[key] = pains.get(key, 0) + count
    ordered = [*journey.stages, None]
    return tuple(
        StageActivity(
            stage, notes[stage.id if stage else None], pains.get(stage.id if stage else None, 0)
        )
        for stage in ordered
        if notes.get(stage.id if stage else None)
    )


def quiet_members(
    members: Iterable[Person], contributors: Iterable[Person], elsewhere: Iterable[int] = ()
) -> tuple[Person, ...]:
    """The members who wrote nothing in the period, by name: neither on this map
    (`contributors`) nor on another map of the chat (`elsewhere`, their user ids)."""
    wrote = {person.user_id for person in contributors} | set(elsewhere)
    return tuple(
        sorted(
            (m for m in members if m.user_id not in wrote),
            key=lambda m: (fold(m.name), m.user_id),
        )
    )


def listed(notes: Sequence[Note], total: int, limit: int) -> Listed:
    return Listed(tuple(notes[:limit]), max(total, min(len(notes), limit)))


def pain_timeline(
    journey: JourneyMap,
    moments: Sequence[datetime],
    groups: Iterable[tuple[int | None, int, int, int]],
) -> PainTimeline:
    """The timeline from grouped pain points: (stage id, born, closed, count) where `born` is the
    index of the first moment the pain point existed at, `closed` the index of the first moment
    it was resolved at (len(moments): not resolved by the last one). Every stage of the map has
    a series; "not sorted yet" only when it has pain points."""
    width = len(moments)
    known = {stage.id for stage in journey.stages}
    open_: dict[int | None, list[int]] = {}
    resolved: dict[int | None, list[int]] = {}
    for stage_id, born, closed, count in groups:
        key = stage_id if stage_id in known else None
        row_open = open_.setdefault(key, [0] * width)
        row_resolved = resolved.setdefault(key, [0] * width)
        closed = max(closed, born)
        for index in range(born, width):
            if index < closed:
                row_open[index] += count
            else:
                row_resolved[index] += count
    series = [
        StageSeries(
            stage,
            tuple(open_.get(stage.id, [0] * width)),
            tuple(resolved.get(stage.id, [0] * width)),
        )
        for stage in journey.stages
    ]
    if None in open_:
        series.append(StageSeries(None, tuple(open_[None]), tuple(resolved[None])))
    return PainTimeline(tuple(moments), tuple(series))


def compose_digest(
    journey: JourneyMap,
    since: datetime,
    until: datetime,
    *,
    counts: Iterable[tuple[int | None, str, int]],
    new_pain_points: Listed,
    resolved: Listed,
    open_pain_points: list[Note],
    contributors: Sequence[Person],
    members: Sequence[Person],
    items: Listed,
    wrote_elsewhere: Iterable[int] = (),
    overdue: int,
    timeline: PainTimeline,
    stop_words: dict[str, frozenset[str]] | None = None,
) -> Digest:
    """The digest of a period from what storage found in it."""
    ranked = tuple(sorted(contributors, key=lambda p: (-p.notes, fold(p.name), p.user_id)))
    return Digest(
        journey=journey,
        since=since,
        until=until,
        activity=stage_activity(journey, counts),
        new_pain_points=new_pain_points,
        resolved=resolved,
        themes=recurring_themes(open_pain_points, MAX_THEMES, stop_words=stop_words),
        contributors=ranked,
        quiet=quiet_members(members, ranked, wrote_elsewhere),
        items=items,
        overdue=overdue,
        timeline=timeline,
    )


@dataclass(frozen=True)
class ReviewRecord:
    """One past review as /history shows it; counts are of notes that still exist."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    people: tuple[str, ...]
    resolved: int
    still_open: int
    ideas: int
    assigned: int
    new_notes: int


@dataclass(frozen=True)
class History:
    journey: JourneyMap
    reviews: tuple[ReviewRecord, ...]  # one page, newest first
    total: int  # reviews of the map in all
    offset: int
    timeline: PainTimeline | None  # None: no review finished yet

    @property
    def more(self) -> int:
        """Older reviews than this page shows."""
        return max(self.total - self.offset - len(self.reviews), 0)

    def pain_after(self, record: ReviewRecord) -> tuple[StageSeries, ...] | None:
        """Each stage's open and resolved pain points when the review finished (one-moment
        series), if the timeline has that moment."""
        if self.timeline is None or record.finished_at not in self.timeline.moments:
            return None
        index = self.timeline.moments.index(record.finished_at)
        return tuple(
            StageSeries(s.stage, (s.open[index],), (s.resolved[index],))
            for s in self.timeline.stages
        )


WEEKLY_RULE = ReviewRule("weekly", weekday=0, at=time(9, 0))  # Mondays at 9:00 local time


def next_weekly_digest(timezone: str, after: datetime, quiet: QuietHours | None = None) -> datetime:
    """When the next weekly digest goes out (UTC): Monday 9:00 in `timezone` (the map's review
    schedule's, else the chat's), moved to the end of the schedule's quiet hours if they
    cover it."""
    return next_run(WEEKLY_RULE, timezone, after, quiet=quiet)
