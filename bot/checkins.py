"""Delivering check-ins through the reminders outbox: questions, one reminder, the summary.

`storage.checkins.claim_checkins` (run by the reminder job before each delivery) starts due
rounds, queues reminders and closes rounds; this module sends those outbox rows with
`bot.reminders.deliver`, so they have the review reminders' guarantees (sent once, kept across
restarts, paced to Telegram's limits by bot/pacing.py). A member who blocked the bot in private
is asked in the group instead.

When a round closes its summary is posted. **Hook for the digest:** `on_round_closed(app,
subscriber)`: `subscriber(db, chat_id, map_id, round_id, closed_at) -> bool` is called inside
the transaction that closes the round (map_id: the group's active map); returning True says it
queued the round's message itself (e.g. an outbox row of its own kind), and the summary is then
not posted. `round_summary` stays available to reuse.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot import keyboards
from bot.core.checkin import CheckinRound, Member
from bot.core.model import Chat
from bot.core.schedule import Reminder, zone
from bot.reminders import deliver, register_outbox_kind
from bot.replies import esc
from bot.texts import t
from storage.chats import get_chat, get_user
from storage.checkins import (
    ASK_GROUP,
    ASK_PRIVATE,
    NUDGE_GROUP,
    NUDGE_PRIVATE,
    SUMMARY,
    RoundClosed,
    ask_in_group_instead,
    claim_checkins,
    get_checkin_schedule,
    get_round,
    group_asks,
    list_members,
    question_sent,
    round_asks,
)
from storage.db import utcnow
from storage.maps import get_map
from storage.reminders import mark_failed, queue_message

log = logging.getLogger(__name__)


def start_checkins(app: Application) -> None:
    """Lets the reminder job claim and send check-ins."""
    subscribers = round_closed_subscribers(app)
    claim = partial(claim_checkins, on_closed=subscribers)
    register_outbox_kind(app, ASK_PRIVATE, send_private_question, claim)
    register_outbox_kind(app, NUDGE_PRIVATE, send_private_question)
    register_outbox_kind(app, ASK_GROUP, send_group_question)
    register_outbox_kind(app, NUDGE_GROUP, send_group_question)
    register_outbox_kind(app, SUMMARY, send_summary)


def on_round_closed(app: Application, subscriber: RoundClosed) -> None:
    """Calls `subscriber` whenever a check-in round closes (the digest): see the module."""
    round_closed_subscribers(app).append(subscriber)


def round_closed_subscribers(app: Application) -> list[RoundClosed]:
    return app.bot_data.setdefault("checkin_round_closed", [])


def mention(member_id: int, name: str) -> str:
    return f'<a href="tg://user?id={member_id}">{esc(name)}</a>'


def since_text(lang: str, checkin: CheckinRound, timezone: str) -> str:
    """ "since Monday 30.11" (the previous round), or "lately" for the first round."""
    if checkin.since_at is None:
        return t(lang, "checkin.since_first")
    return t(lang, "checkin.since", date=local_date(checkin.since_at, timezone))


def local_date(moment: datetime, timezone: str) -> str:
    """ "30.11": the day of `moment` in the team's time zone."""
    return moment.astimezone(zone(timezone)).strftime("%d.%m")


def _context(app: Application, reminder: Reminder):
    """The round, its group and the group's language and time zone; None when gone."""
    db = app.bot_data["db"]
    checkin = get_round(db, _group_of(db, reminder), reminder.ref_id)
    group = get_chat(db, checkin.chat_id) if checkin else None
    if checkin is None or group is None:
        mark_failed(db, reminder.id, "round or group deleted")
        return None
    schedule = get_checkin_schedule(db, group.id)
    timezone = schedule.timezone if schedule else group.timezone
    return db, checkin, group, timezone


def _group_of(db, reminder: Reminder) -> int:
    if reminder.user_id is None:  # a group message: sent to the group itself
        return reminder.chat_id
    row = db.execute(
        "SELECT chat_id FROM checkin_rounds WHERE id = ?", [reminder.ref_id]
    ).fetchone()
    return row[0] if row else 0


def opt_out_button(lang: str, group_id: int, *, off: bool = False) -> tuple[str, str]:
    if off:
        return t(lang, "button.checkin_on"), f"ck:on:{group_id}"
    return t(lang, "button.checkin_off"), f"ck:off:{group_id}"


def private_question(
    lang: str, group: Chat, checkin: CheckinRound, timezone: str, *, nudge: bool
) -> tuple[str, InlineKeyboardMarkup]:
    key = "checkin.nudge_private" if nudge else "checkin.ask_private"
    text = t(
        lang,
        key,
        group=esc(group.title or ""),
        since=since_text(lang, checkin, timezone),
    )
    keyboard = keyboards.stacked(
        [(t(lang, "button.checkin_nothing"), f"ck:none:{checkin.id}")],
        [opt_out_button(lang, group.id)],
    )
    return text, keyboard


async def send_private_question(app: Application, reminder: Reminder) -> bool:
    """The question (or its one reminder) in a member's private chat."""
    found = _context(app, reminder)
    if found is None:
        return False
    db, checkin, group, timezone = found
    if not checkin.is_open:
        mark_failed(db, reminder.id, "round closed before the question went out")
        return False
    lang = group.lang
    text, keyboard = private_question(
        lang, group, checkin, timezone, nudge=reminder.kind == NUDGE_PRIVATE
    )

    def blocked(_: str) -> None:  # asked in the group instead (one message for them)
        ask_in_group_instead(db, checkin.id, reminder.user_id)
        queue_message(
            db, ASK_GROUP, group.id, f"checkin:{checkin.id}:group:{reminder.user_id}",
            utcnow(), utcnow(), ref_id=checkin.id,
        )  # fmt: skip

    message = await deliver(app, reminder, reminder.chat_id, text, keyboard, on_blocked=blocked)
    if message is None:
        return False
    if reminder.kind == ASK_PRIVATE:
        question_sent(db, checkin.id, reminder.user_id, message.message_id)
    return True


async def send_group_question(app: Application, reminder: Reminder) -> bool:
    """One group message that mentions every member asked in the group (still waiting, for
    the reminder)."""
    found = _context(app, reminder)
    if found is None:
        return False
    db, checkin, group, timezone = found
    nudge = reminder.kind == NUDGE_GROUP
    names = {m.user_id: m for m in list_members(db, group.id)}
    asked = [names[a.user_id] for a in group_asks(db, checkin.id, waiting=True)]
    if not asked or not checkin.is_open:
        mark_failed(db, reminder.id, "nobody left to ask")
        return False
    lang = group.lang
    text = t(
        lang,
        "checkin.nudge_group" if nudge else "checkin.ask_group",
        people=", ".join(mention(m.user_id, _name(m)) for m in asked),
        since=since_text(lang, checkin, timezone),
    )
    keyboard = keyboards.stacked(
        [(t(lang, "button.checkin_nothing"), f"ck:none:{checkin.id}")],
        [opt_out_button(lang, group.id)],
    )
    return await deliver(app, reminder, group.id, text, keyboard) is not None


def _name(member: Member) -> str:
    return member.first_name or (f"@{member.username}" if member.username else str(member.user_id))


async def send_summary(app: Application, reminder: Reminder) -> bool:
    """The closed round's summary (or the digest, when one is registered) in the group."""
    found = _context(app, reminder)
    if found is None:
        return False
    _, checkin, group, _ = found
    text, keyboard = round_summary(app.bot_data["db"], group, checkin)
    return await deliver(app, reminder, group.id, text, keyboard) is not None


def round_summary(
    db, group: Chat, checkin: CheckinRound
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Who answered (with how many notes), how many notes the answers added, and — gently —
    who did not answer this time."""
    lang = group.lang
    members = {m.user_id: m for m in list_members(db, group.id)}
    asks = round_asks(db, checkin.id)
    names = {a.user_id: _display_name(db, a.user_id, members) for a in asks}
    answered = [a for a in asks if a.answered_at is not None]
    # who did not answer and is still asked (opting out or leaving meanwhile is an answer too)
    silent = [
        a
        for a in asks
        if a.answered_at is None and a.user_id in members and not members[a.user_id].checkins_off
    ]
    notes = sum(a.notes for a in answered)
    journey = get_map(db, group.id, group.active_map_id)
    lines = [
        t(
            lang,
            "checkin.summary_title",
            date=local_date(checkin.started_at, _timezone(db, group)),
        ),
        t(
            lang,
            "checkin.summary_counts",
            answered=len(answered),
            count=len(answered) + len(silent),
        ),
    ]
    if not answered and not silent:  # everyone asked opted out (or left) meanwhile
        return "\n".join([lines[0], t(lang, "checkin.summary_nobody")]), None
    if notes:
        lines.append(
            t(lang, "checkin.summary_notes", count=notes, name=esc(journey.name if journey else ""))
        )
    if answered:
        people = ", ".join(f"{esc(names.get(a.user_id, '?'))} ({a.notes})" for a in answered)
        lines.append(t(lang, "checkin.summary_thanks", people=people))
    if silent:
        people = ", ".join(esc(names.get(a.user_id, "?")) for a in silent)
        lines.append(t(lang, "checkin.summary_silent", people=people))
    return "\n".join(lines), None


def _display_name(db, user_id: int, members: dict[int, Member]) -> str:
    """The member's name (also of one who left since: from `users`)."""
    if user_id in members:
        return _name(members[user_id])
    user = get_user(db, user_id)
    return user.display_name if user else str(user_id)


def _timezone(db, group: Chat) -> str:
    schedule = get_checkin_schedule(db, group.id)
    return schedule.timezone if schedule else group.timezone
