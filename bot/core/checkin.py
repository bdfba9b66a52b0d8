"""Check-ins: the team is asked, on a schedule, what they heard from customers (pure rules).

A check-in schedule is a `Schedule` of the chat (no map), with the same rule, time zone,
weekends and quiet hours as a map's reviews. Each time it is due a *round* starts: every
member who has not opted out is asked once — privately if they have a private chat with the
bot, otherwise in one group message that mentions them all. Halfway through the round those
who have not answered get one gentle reminder; the round closes after `ROUND_LENGTH`, or as
soon as everyone answered, and its summary (or the digest) is posted. Nudges and summaries
never land on a skipped weekend or in quiet hours: they move to the first allowed moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.schedule import Schedule, first_allowed

ROUND_LENGTH = timedelta(hours=24)
PRIVATE, GROUP = "private", "group"  # how a member is asked


@dataclass(frozen=True)
class Member:
    """Someone the bot has seen in a group (and not seen leave)."""

    chat_id: int
    user_id: int
    first_name: str
    username: str | None
    checkins_off: bool
    has_private_chat: bool


@dataclass(frozen=True)
class CheckinRound:
    id: int
    chat_id: int
    due_at: datetime
    started_at: datetime
    since_at: datetime | None  # when the previous round started (the question says "since")
    nudge_at: datetime | None
    nudged_at: datetime | None
    closes_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Ask:
    """One member asked in one round: how (`via`), the question's message, and their answer."""

    round_id: int
    chat_id: int
    user_id: int
    via: str
    message_id: int | None
    answered_at: datetime | None
    notes: int


def how_to_ask(member: Member) -> str:
    """Privately when the member has started the bot, otherwise in the group."""
    return PRIVATE if member.has_private_chat else GROUP


def to_ask(members: list[Member]) -> list[Member]:
    """The members a round asks: everyone who has not opted out."""
    return [member for member in members if not member.checkins_off]


def round_times(
    schedule: Schedule, started_at: datetime, length: timedelta = ROUND_LENGTH
) -> tuple[datetime | None, datetime]:
    """(when the gentle reminder goes, when the round closes) for a round started at
    `started_at`, both moved out of weekends and quiet hours; no reminder when it would not
    come before the close."""
    closes_at = allowed(schedule, started_at + length)
    nudge_at = allowed(schedule, started_at + length / 2)
    return (nudge_at if nudge_at < closes_at else None), closes_at


def allowed(schedule: Schedule, moment: datetime) -> datetime:
    """`moment`, or the first moment after it outside the schedule's weekends and quiet hours."""
    return first_allowed(
        moment, schedule.timezone, skip_weekends=schedule.skip_weekends, quiet=schedule.quiet
    )


def answer_target(open_asks: list[Ask], replied_message_id: int | None) -> Ask | list[Ask] | None:
    """Which round a private message answers: the question it replies to; else the only
    question still waiting for an answer; several: the caller asks which (a list); none: None
    (an ordinary note)."""
    if replied_message_id is not None:
        for ask in open_asks:
            if ask.message_id == replied_message_id:
                return ask
    waiting = [ask for ask in open_asks if ask.answered_at is None]
    if not waiting:
        return None
    return waiting[0] if len(waiting) == 1 else waiting
