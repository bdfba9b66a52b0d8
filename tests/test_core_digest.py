"""The digest and history core: activity per stage, quiet members, the pain timeline."""

from datetime import UTC, datetime, timedelta

from bot.core.digest import (
    Person,
    compose_digest,
    listed,
    next_weekly_digest,
    pain_timeline,
    period_start,
    quiet_members,
    stage_activity,
)
from bot.core.model import STAGE_KEYS, JourneyMap, Stage
from bot.core.schedule import QuietHours

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
STAGES = tuple(Stage(id=10 + i, map_id=1, position=i, key=key) for i, key in enumerate(STAGE_KEYS))
JOURNEY = JourneyMap(1, -100, "Cake orders", None, None, T0, STAGES)
AWARENESS, CONSIDERATION, DECISION, PURCHASE, RETENTION, ADVOCACY = (s.id for s in STAGES)


def test_a_digest_starts_where_the_last_one_ended_else_a_week_back():
    now = T0 + timedelta(days=20)
    assert period_start(T0, now) == T0
    assert period_start(None, now) == now - timedelta(days=7)
    assert period_start(now + timedelta(hours=1), now) == now - timedelta(days=7)


def test_activity_is_in_map_order_and_notes_of_removed_stages_come_last():
    counts = [
        (PURCHASE, "pain_point", 2),
        (PURCHASE, "touchpoint", 1),
        (None, "need", 1),
        (999, "pain_point", 1),  # a stage no longer on the map
        (AWARENESS, "emotion", 3),
    ]
    activity = stage_activity(JOURNEY, counts)
    assert [(a.stage.key if a.stage else None, a.notes, a.pain_points) for a in activity] == [
        ("awareness", 3, 0),
        ("purchase", 3, 2),
        (None, 2, 1),
    ]


def test_quiet_members_are_those_who_wrote_nothing_sorted_by_name():
    members = [Person(1, "zoe"), Person(2, "Anna"), Person(3, "bogdan"), Person(4, "Olena")]
    wrote = [Person(2, "Anna", 4)]
    assert [p.name for p in quiet_members(members, wrote)] == ["bogdan", "Olena", "zoe"]
    # Olena wrote on another map of the chat in the period: heard from
    assert [p.name for p in quiet_members(members, wrote, elsewhere=[4])] == ["bogdan", "zoe"]


def test_timeline_counts_open_and_resolved_at_each_moment():
    moments = [T0, T0 + timedelta(days=7), T0 + timedelta(days=14)]
    groups = [
        (PURCHASE, 0, 3, 2),  # written before the first review, never resolved
        (PURCHASE, 0, 1, 1),  # resolved between the first and second review
        (DECISION, 1, 2, 1),  # written after the first, resolved after the second
        (AWARENESS, 2, -1, 1),  # resolved at an unknown time: resolved since it was written
        (None, 2, 3, 1),  # a note of a removed stage
    ]
    timeline = pain_timeline(JOURNEY, moments, groups)
    by_key = {s.stage.key if s.stage else None: s for s in timeline.stages}
    assert by_key["purchase"].open == (3, 2, 2) and by_key["purchase"].resolved == (0, 1, 1)
    assert by_key["decision"].open == (0, 1, 0) and by_key["decision"].resolved == (0, 0, 1)
    assert by_key["awareness"].open == (0, 0, 0) and by_key["awareness"].resolved == (0, 0, 1)
    assert by_key[None].open == (0, 0, 1)
    assert len(timeline.stages) == len(STAGES) + 1  # every stage, then "not sorted yet"
    assert [timeline.open_at(i) for i in range(3)] == [3, 3, 3]
    assert timeline.as_data()["stages"][3] == {
        "stage_id": PURCHASE,
        "open": [3, 2, 2],
        "resolved": [0, 1, 1],
    }


def test_listed_keeps_the_total_and_counts_the_rest():
    found = listed(["a", "b", "c"], 7, 2)
    assert found.shown == ("a", "b") and found.total == 7 and found.more == 5


def test_compose_digest_ranks_contributors_and_is_quiet_without_activity():
    timeline = pain_timeline(JOURNEY, [T0], [])
    digest = compose_digest(
        JOURNEY,
        T0 - timedelta(days=7),
        T0,
        counts=[],
        new_pain_points=listed([], 0, 5),
        resolved=listed([], 0, 5),
        open_pain_points=[],
        contributors=[Person(1, "Bo", 1), Person(2, "Al", 3), Person(3, "Cy", 1)],
        members=[Person(1, "Bo"), Person(2, "Al"), Person(3, "Cy"), Person(4, "Di")],
        items=listed([], 0, 8),
        overdue=0,
        timeline=timeline,
    )
    assert [p.name for p in digest.contributors] == ["Al", "Bo", "Cy"]
    assert [p.name for p in digest.quiet] == ["Di"]
    assert digest.is_quiet and digest.new_notes == 0


def test_the_weekly_digest_goes_out_on_monday_at_nine_local_time():
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert next_weekly_digest("Europe/Warsaw", friday) == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    quiet = QuietHours(datetime(2026, 1, 1, 8).time(), datetime(2026, 1, 1, 10).time())
    moved = next_weekly_digest("Europe/Warsaw", friday, quiet)
    assert moved == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # at the end of the quiet hours
