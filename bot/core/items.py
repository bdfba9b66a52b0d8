"""Items: pain points and opportunities with an owner and a due date (pure).

An item is open until someone resolves it. It is overdue when its due date (a day in the chat's
time zone) is before today there. Lists put overdue items first, then by due date, then those
without a date. The owner is reminded on the due date at `REMIND_AT` local time, or when the
chat's quiet hours end if they cover it. When the map's schedule skips weekends, an item due
on a Saturday or Sunday is reminded on the Friday before (the last working day it can still
be done); one set on the weekend itself for that weekend is reminded on Monday (overdue by
then, and said so).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from bot.core.model import Note
from bot.core.schedule import QuietHours, _localize, _shift, zone

REMIND_AT = time(9, 0)  # local time of the due-date reminder


def local_today(now: datetime, timezone: str) -> date:
    """Today's date in the chat's time zone."""
    return now.astimezone(zone(timezone)).date()


def is_overdue(note: Note, today: date) -> bool:
    late = note.due_on is not None and note.due_on < today
    return late and note.is_item and not note.is_resolved


def is_due_today(note: Note, today: date) -> bool:
    return note.is_item and note.due_on == today and not note.is_resolved


def overdue_first(notes: Iterable[Note], today: date) -> list[Note]:
    """Overdue items first (the longest overdue first), then by due date, then undated ones."""
    return sorted(
        notes,
        key=lambda n: (
            not is_overdue(n, today),
            n.due_on is None,
            n.due_on or date.max,
            n.chat_id,
            n.map_id,
            n.number,
        ),
    )


def next_team_day(today: date, *, skip_weekends: bool = False) -> date:
    """The day after `today` the team works on: tomorrow, or Monday when the schedule skips
    weekends and tomorrow is a Saturday or Sunday (a reminder's "Move to tomorrow")."""
    day = today + timedelta(days=1)
    while skip_weekends and day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def reminder_moment(
    due_on: date | None,
    timezone: str,
    quiet: QuietHours | None,
    now: datetime,
    *,
    skip_weekends: bool = False,
) -> datetime | None:
    """When (UTC) the due-date reminder goes out: `REMIND_AT` on the due date, moved to the end
    of quiet hours if they cover it — with `skip_weekends`, a weekend due date is reminded on
    the Friday before, or on Monday when that Friday has passed —; now if that moment is
    past but the day is today; None when there is no date or it has passed."""
    if due_on is None:
        return None
    tz = zone(timezone)
    today = now.astimezone(tz).date()
    if due_on < today:
        return None
    day = due_on
    if skip_weekends and day.weekday() >= 5:
        friday = day - timedelta(days=day.weekday() - 4)
        day = friday if friday >= today else day
    local = _shift(datetime.combine(day, REMIND_AT), skip_weekends, quiet)
    moment = _localize(local, tz).astimezone(UTC)
    return max(moment, now.astimezone(UTC))  # past only when that day is today: a weekday
