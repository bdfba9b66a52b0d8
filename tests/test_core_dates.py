"""Due dates as people type them (bot/core/dates.py) and items' order and reminder time
(bot/core/items.py): plain values, no fixtures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.dates import BadDate, DateInPast, next_week, parse_due_date, this_week
from bot.core.items import is_overdue, overdue_first, reminder_moment
from bot.core.model import Note
from bot.core.schedule import QuietHours

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-12-14", date(2026, 12, 14)),
        ("14.12", date(2026, 12, 14)),
        ("14/12", date(2026, 12, 14)),
        ("14.12.2026", date(2026, 12, 14)),
        ("14.12.26", date(2026, 12, 14)),
        ("12/14", date(2026, 12, 14)),  # month first when the day cannot be a month
        ("5.12", date(2027, 12, 5)),  # no year: the next one to come
        ("14 grudnia", date(2026, 12, 14)),
        ("dec 14", date(2026, 12, 14)),
        ("14 грудня", date(2026, 12, 14)),
        ("3 януари", date(2027, 1, 3)),
        ("friday", date(2026, 12, 11)),
        ("Friday!", date(2026, 12, 11)),
        ("piątek", date(2026, 12, 11)),
        ("piatek", date(2026, 12, 11)),
        ("na piątek", date(2026, 12, 11)),
        ("п'ятниця", date(2026, 12, 11)),
        ("пʼятницю", date(2026, 12, 11)),
        ("до п’ятниці", date(2026, 12, 11)),
        ("петък", date(2026, 12, 11)),
        ("monday", date(2026, 12, 14)),  # today's weekday: next week's
        ("next friday", date(2026, 12, 18)),
        ("tomorrow", date(2026, 12, 8)),
        ("jutro", date(2026, 12, 8)),
        ("завтра", date(2026, 12, 8)),
        ("утре", date(2026, 12, 8)),
        ("today", MONDAY),
        ("dziś", MONDAY),
        ("pojutrze", date(2026, 12, 9)),
        ("this week", date(2026, 12, 11)),
        ("next week", date(2026, 12, 18)),
        ("w przyszłym tygodniu", date(2026, 12, 18)),
        ("наступного тижня", date(2026, 12, 18)),
        ("следващата седмица", date(2026, 12, 18)),
        ("до кінця тижня", date(2026, 12, 11)),
        ("in 3 days", date(2026, 12, 10)),
        ("za 3 dni", date(2026, 12, 10)),
        ("через 2 тижні", date(2026, 12, 21)),
        ("след 3 дни", date(2026, 12, 10)),
        ("+3", date(2026, 12, 10)),
        ("end of month", date(2026, 12, 31)),
        ("koniec miesiąca", date(2026, 12, 31)),
    ],
)
def test_dates_as_people_type_them(typed, meant):
    assert parse_due_date(typed, MONDAY) == meant


@pytest.mark.parametrize("typed", ["", "soon", "31.02", "3", "@ola", "2026-13-01", "14.12.2040"])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(BadDate):
        parse_due_date(typed, MONDAY)


def test_a_date_that_has_passed_is_refused():
    with pytest.raises(DateInPast):
        parse_due_date("2026-12-01", MONDAY)


def test_this_week_and_next_week():
    assert this_week(MONDAY) == date(2026, 12, 11)
    assert this_week(date(2026, 12, 12)) == date(2026, 12, 13)  # Saturday: Sunday
    assert next_week(date(2026, 12, 13)) == date(2026, 12, 18)


def _note(number: int, due: date | None, status: str = "open") -> Note:
    return Note(number, -1, 1, None, "pain_point", f"n{number}", "en", None,
                datetime(2026, 12, 1, tzinfo=UTC), status=status, number=number, due_on=due)


def test_overdue_items_come_first_then_by_date_then_undated():
    today = date(2026, 12, 10)
    notes = [_note(1, None), _note(2, date(2026, 12, 20)), _note(3, date(2026, 12, 8)),
             _note(4, date(2026, 12, 10))]
    assert [n.number for n in overdue_first(notes, today)] == [3, 4, 2, 1]
    assert is_overdue(notes[2], today) and not is_overdue(notes[3], today)
    assert not is_overdue(_note(5, date(2026, 12, 1), "resolved"), today)


def test_the_reminder_goes_at_nine_local_or_when_quiet_hours_end():
    now = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 12, 9), "Europe/Kyiv", None, now) == datetime(
        2026, 12, 9, 7, 0, tzinfo=UTC)
    quiet = QuietHours(time(22, 0), time(10, 0))
    assert reminder_moment(date(2026, 12, 9), "Europe/Kyiv", quiet, now) == datetime(
        2026, 12, 9, 8, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 12, 7), "Europe/Kyiv", None, now) == datetime(
        2026, 12, 7, 7, 0, tzinfo=UTC)
    late = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 12, 7), "Europe/Kyiv", None, late) == late
    assert reminder_moment(date(2026, 12, 6), "Europe/Kyiv", None, late) is None
    assert reminder_moment(None, "UTC", None, late) is None


def test_with_weekends_skipped_a_weekend_due_date_is_reminded_on_the_friday_before():
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # Dec 12 and 13 2026: Saturday, Sunday
    friday_nine = datetime(2026, 12, 11, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv (UTC+2)
    for weekend_day in (date(2026, 12, 12), date(2026, 12, 13)):
        assert reminder_moment(weekend_day, "Europe/Kyiv", None, monday,
                               skip_weekends=True) == friday_nine
        # the team writes on weekends: the day itself, as before
        assert reminder_moment(weekend_day, "Europe/Kyiv", None, monday) == datetime(
            2026, 12, weekend_day.day, 7, 0, tzinfo=UTC)
    # a weekday is not moved; quiet hours still apply on the Friday
    assert reminder_moment(date(2026, 12, 9), "Europe/Kyiv", None, monday,
                           skip_weekends=True) == datetime(2026, 12, 9, 7, 0, tzinfo=UTC)
    quiet = QuietHours(time(22, 0), time(10, 0))
    assert reminder_moment(date(2026, 12, 12), "Europe/Kyiv", quiet, monday,
                           skip_weekends=True) == datetime(2026, 12, 11, 8, 0, tzinfo=UTC)
    # set on Friday afternoon for Saturday: now; set on Saturday for Sunday: Monday at nine
    friday_late = datetime(2026, 12, 11, 15, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 12, 12), "Europe/Kyiv", None, friday_late,
                           skip_weekends=True) == friday_late
    saturday = datetime(2026, 12, 12, 10, 0, tzinfo=UTC)
    assert reminder_moment(date(2026, 12, 13), "Europe/Kyiv", None, saturday,
                           skip_weekends=True) == datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
