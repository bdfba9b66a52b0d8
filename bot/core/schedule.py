"""When map reviews happen: recurrence rules in the chat's local time, quiet hours, missed runs.

Pure functions; `now` is always passed in. Times are computed in the chat's *wall-clock* time and
only then turned into UTC, so a review set for Monday 10:00 stays at 10:00 across daylight-saving
changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from bot.core.model import DomainError

FREQUENCIES = ("weekly", "biweekly", "monthly")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A review that was due while the bot was down is still sent if it is at most this late.
MISSED_GRACE = timedelta(hours=24)


class UnknownTimezone(DomainError):
    key = "error.unknown_timezone"


class BadTime(DomainError):
    key = "error.bad_time"


@dataclass(frozen=True)
class ReviewRule:
    """How often a map is reviewed: `frequency` on `weekday` (0 = Monday) at `at` local time.

    Monthly means the first `weekday` of each month.
    """

    frequency: str
    weekday: int = 0
    at: time = time(10, 0)

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES or not 0 <= self.weekday <= 6:
            raise ValueError(f"bad review rule: {self!r}")

    def to_rrule(self) -> str:
        """The rule as an iCal RRULE (what the `schedules.rule` column stores)."""
        day = WEEKDAY_CODES[self.weekday]
        time_part = f"BYHOUR={self.at.hour};BYMINUTE={self.at.minute};BYSECOND=0"
        if self.frequency == "monthly":
            return f"FREQ=MONTHLY;BYDAY=+1{day};{time_part}"
        interval = 2 if self.frequency == "biweekly" else 1
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day};{time_part}"

    @classmethod
    def from_rrule(cls, text: str) -> ReviewRule:
        parts = dict(part.split("=", 1) for part in text.split(";"))
        day = parts["BYDAY"].lstrip("+1")
        at = time(int(parts["BYHOUR"]), int(parts["BYMINUTE"]))
        if parts["FREQ"] == "MONTHLY":
            frequency = "monthly"
        else:
            frequency = "biweekly" if parts.get("INTERVAL") == "2" else "weekly"
        return cls(frequency, WEEKDAY_CODES.index(day), at)


@dataclass(frozen=True)
class QuietHours:
    """Local hours when no reminder is sent, e.g. 21:00–08:00 (may wrap past midnight)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` ("Europe/Warsaw"); UnknownTimezone if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezone(name=name) from None


def parse_utc_offset(text: str) -> str | None:
    """ "UTC+2", "+02:00", "GMT-5" → a fixed-offset zone name ("Etc/GMT-2"), else None.

    The Etc/GMT zones have inverted signs by POSIX convention: UTC+2 is Etc/GMT-2.
    """
    cleaned = text.strip().upper().replace("GMT", "UTC").replace("UTC", "").replace(" ", "")
    if not cleaned:
        return "UTC" if text.strip().upper() in ("UTC", "GMT") else None
    sign, rest = cleaned[0], cleaned[1:]
    if sign not in "+-" or not rest:
        return None
    hours, _, minutes = rest.partition(":")
    if not hours.isdigit() or (minutes and minutes != "00") or int(hours) > 14:
        return None
    offset = int(hours)
    if offset == 0:
        return "UTC"
    return f"Etc/GMT{'-' if sign == '+' else '+'}{offset}"


def parse_time(text: str) -> time:
    """ "10:30", "9", "18.00" → a time; BadTime otherwise."""
    cleaned = text.strip().replace(".", ":").replace("h", ":")
    hours, _, minutes = cleaned.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise BadTime()
    hour, minute = int(hours), int(minutes or 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadTime()
    return time(hour, minute)


def next_run(
    rule: ReviewRule,
    timezone: str,
    after: datetime,
    *,
    anchor: datetime | None = None,
    skip_weekends: bool = False,
    quiet: QuietHours | None = None,
) -> datetime:
    """The first review time strictly after `after` (aware), in UTC.

    `anchor` (when the schedule was made) fixes which weeks count for "every two weeks". A time
    that falls on a weekend (with `skip_weekends`) moves to Monday; one inside quiet hours moves
    to their end.
    """
    tz = zone(timezone)
    local_after = after.astimezone(tz).replace(tzinfo=None)
    start = (anchor or after).astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
    start = min(start, local_after)
    recurrence = rrulestr(rule.to_rrule(), dtstart=start)
    candidate = recurrence.after(local_after)
    while True:
        shifted = _shift(candidate, skip_weekends, quiet)
        aware = _localize(shifted, tz)
        if aware > after:
            return aware.astimezone(UTC)
        candidate = recurrence.after(candidate)


def _shift(local: datetime, skip_weekends: bool, quiet: QuietHours | None) -> datetime:
    for _ in range(3):  # weekend then quiet hours then weekend again settle in ≤ 3 moves
        if skip_weekends and local.weekday() >= 5:
            local = local + timedelta(days=7 - local.weekday())
        if quiet and quiet.contains(local.time()):
            end = datetime.combine(local.date(), quiet.end)
            local = end if end > local else end + timedelta(days=1)
    return local


def _localize(local: datetime, tz: ZoneInfo) -> datetime:
    """Wall-clock time in `tz`; a time skipped by a DST jump moves forward by the gap."""
    aware = local.replace(tzinfo=tz)
    roundtrip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if roundtrip != local:  # nonexistent local time (spring forward)
        aware = (local + timedelta(hours=1)).replace(tzinfo=tz)
    return aware


def first_allowed(
    moment: datetime,
    timezone: str,
    *,
    skip_weekends: bool = False,
    quiet: QuietHours | None = None,
) -> datetime:
    """`moment` (aware), or — when it falls on a skipped weekend or inside quiet hours — the
    first local time after it when the team may be written to; in UTC."""
    tz = zone(timezone)
    local = moment.astimezone(tz).replace(tzinfo=None)
    shifted = _shift(local, skip_weekends, quiet)
    if shifted == local:
        return moment.astimezone(UTC)
    return _localize(shifted, tz).astimezone(UTC)


def missed_run_decision(due_at: datetime, now: datetime, grace: timedelta = MISSED_GRACE) -> str:
    """What to do with a review that was due at `due_at`: "wait", "send" or "skip" (too late).

    A review missed while the bot was down is sent once if at most `grace` late; older ones are
    skipped, and in every case the schedule moves on to the next slot after `now` — never one
    reminder per missed slot.
    """
    if due_at > now:
        return "wait"
    return "send" if now - due_at <= grace else "skip"


def upcoming(
    rule: ReviewRule, timezone: str, after: datetime, count: int, **options
) -> list[datetime]:
    """The next `count` review times (for showing the schedule to the team)."""
    times: list[datetime] = []
    moment = after
    for _ in range(count):
        moment = next_run(rule, timezone, moment, **options)
        times.append(moment)
    return times


@dataclass(frozen=True)
class Schedule:
    """A map's review schedule, as stored: rule, the chat's time zone, next and last send."""

    id: int
    map_id: int | None  # None: a chat's check-in schedule (it belongs to no map)
    chat_id: int
    rule: ReviewRule
    timezone: str
    next_run_at: datetime | None
    last_sent_at: datetime | None
    paused: bool
    skip_weekends: bool
    quiet: QuietHours | None
    created_at: datetime

    def following_run(self, after: datetime) -> datetime:
        """The next review time after `after` under this schedule's options."""
        return next_run(
            self.rule,
            self.timezone,
            after,
            anchor=self.created_at,
            skip_weekends=self.skip_weekends,
            quiet=self.quiet,
        )


@dataclass(frozen=True)
class Reminder:
    """One message in the outbox, sent at most once: a review reminder claimed from a due
    schedule (`kind` "review"), or another kind (a check-in question…) for `user_id` about the
    row `ref_id`."""

    id: int
    schedule_id: int | None
    chat_id: int
    map_id: int | None
    due_at: datetime
    status: str
    kind: str = "review"
    user_id: int | None = None
    ref_id: int | None = None
    dedupe_key: str | None = None  # what it is once and for all (e.g. due:<note>:<date>:<owner>)
