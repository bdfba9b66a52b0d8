"""Review schedules: local wall-clock times across DST, quiet hours, weekends, missed runs."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.core.schedule import (
    BadTime,
    QuietHours,
    ReviewRule,
    UnknownTimezone,
    missed_run_decision,
    next_run,
    parse_time,
    parse_utc_offset,
    upcoming,
    zone,
)

MONDAY_10 = ReviewRule("weekly", weekday=0, at=time(10, 0))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_rule_roundtrips_through_rrule_text():
    for rule in (MONDAY_10, ReviewRule("biweekly", 4, time(16, 30)), ReviewRule("monthly", 2)):
        assert ReviewRule.from_rrule(rule.to_rrule()) == rule


def test_weekly_review_keeps_local_time_across_the_autumn_dst_change():
    # Warsaw leaves summer time on Sunday 25 October 2026.
    before = next_run(MONDAY_10, "Europe/Warsaw", utc(2026, 10, 13, 12))
    after = next_run(MONDAY_10, "Europe/Warsaw", before)
    assert before == utc(2026, 10, 19, 8)  # 10:00 CEST
    assert after == utc(2026, 10, 26, 9)  # 10:00 CET
    assert after.astimezone(zone("Europe/Warsaw")).hour == 10


def test_review_in_the_spring_gap_moves_forward():
    # Kyiv jumps from 03:00 to 04:00 on Sunday 29 March 2026.
    rule = ReviewRule("weekly", weekday=6, at=time(3, 30))
    run = next_run(rule, "Europe/Kyiv", utc(2026, 3, 27))
    local = run.astimezone(zone("Europe/Kyiv"))
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-03-29", 4, 30)


def test_next_run_is_strictly_after():
    first = next_run(MONDAY_10, "UTC", utc(2026, 11, 23, 10))
    assert first == utc(2026, 11, 30, 10)


def test_biweekly_counts_from_the_anchor():
    rule = ReviewRule("biweekly", weekday=0, at=time(9))
    anchor = utc(2026, 11, 2, 8)  # made on Monday 2 November, before 09:00
    runs = upcoming(rule, "UTC", anchor, 3, anchor=anchor)
    assert runs == [utc(2026, 11, 2, 9), utc(2026, 11, 16, 9), utc(2026, 11, 30, 9)]
    # asking later, from the middle of a cycle, keeps the same weeks
    assert next_run(rule, "UTC", utc(2026, 11, 20), anchor=anchor) == utc(2026, 11, 30, 9)


def test_monthly_is_the_first_weekday_of_the_month():
    rule = ReviewRule("monthly", weekday=2, at=time(11))
    assert upcoming(rule, "Europe/Sofia", utc(2026, 11, 5), 2) == [
        utc(2026, 12, 2, 9),
        utc(2027, 1, 6, 9),
    ]


def test_quiet_hours_push_to_their_end():
    rule = ReviewRule("weekly", weekday=1, at=time(22, 0))
    quiet = QuietHours(time(21), time(8))
    run = next_run(rule, "UTC", utc(2026, 11, 23), quiet=quiet)
    assert run == utc(2026, 11, 25, 8)  # Tuesday 22:00 → Wednesday 08:00


def test_weekend_moves_to_monday():
    rule = ReviewRule("weekly", weekday=5, at=time(10))
    assert next_run(rule, "UTC", utc(2026, 11, 23), skip_weekends=True) == utc(2026, 11, 30, 10)


def test_missed_runs_are_sent_once_within_grace_else_skipped():
    due = utc(2026, 11, 23, 10)
    assert missed_run_decision(due, due - timedelta(seconds=1)) == "wait"
    assert missed_run_decision(due, due + timedelta(hours=5)) == "send"
    assert missed_run_decision(due, due + timedelta(hours=25)) == "skip"


def test_parse_utc_offset_and_time():
    assert parse_utc_offset("UTC+2") == "Etc/GMT-2"
    assert parse_utc_offset("gmt-5") == "Etc/GMT+5"
    assert parse_utc_offset("+03:00") == "Etc/GMT-3"
    assert parse_utc_offset("UTC") == "UTC"
    assert parse_utc_offset("Warsaw") is None
    assert parse_time("9") == time(9)
    assert parse_time("18.30") == time(18, 30)
    with pytest.raises(BadTime):
        parse_time("25:00")
    with pytest.raises(UnknownTimezone):
        zone("Mars/Olympus")
