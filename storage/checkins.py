"""Check-ins: group members, each group's check-in schedule, its rounds and who was asked.

Who counts as a member of a group: everyone the bot has seen there — who wrote a message,
pressed a button or was added (and, from before check-ins existed, who wrote notes or
corrections, started a review or had a conversation there) — until they are seen leaving.
Bots never count. A member has a private chat with the bot when the bot knows a private chat
with their id (they pressed Start).

A due schedule is claimed like a review's (storage/reminders.py): in one transaction the round,
its asks and their messages in the outbox are written and the schedule moves to its next slot,
so a restart neither asks twice nor skips a round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.core.checkin import (
    GROUP,
    PRIVATE,
    Ask,
    CheckinRound,
    Member,
    how_to_ask,
    round_times,
    to_ask,
)
from bot.core.schedule import QuietHours, ReviewRule, Schedule
from storage.db import from_iso, to_iso
from storage.reminders import CLAIM_BATCH, queue_message
from storage.schedules import (
    CHECKIN,
    Scheduled,
    claim_due_runs,
    drop_schedule,
    find_schedule,
    pause_or_resume,
    store_schedule,
)

# Outbox kinds (storage/reminders.py `reminders.kind`); their senders live in bot/checkins.py.
ASK_PRIVATE, ASK_GROUP = "checkin", "checkin_group"
NUDGE_PRIVATE, NUDGE_GROUP = "checkin_nudge", "checkin_nudge_group"
SUMMARY = "checkin_summary"
GROUP_QUESTIONS = (ASK_GROUP, NUDGE_GROUP)
ROUND_BATCH = 5  # rounds started (or reminded, or closed) per transaction


# — members —


def remember_member(db: Database, chat_id: int, user_id: int, now: datetime) -> None:
    """Records that `user_id` is in the group `chat_id` (again, if they had left)."""
    db.execute(
        """
        INSERT INTO chat_members (chat_id, user_id, first_seen_at, last_seen_at)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (chat_id, user_id) DO UPDATE SET
            last_seen_at = excluded.last_seen_at, left_at = NULL
        """,
        [chat_id, user_id, to_iso(now), to_iso(now)],
    )


def member_left(db: Database, chat_id: int, user_id: int, now: datetime) -> None:
    """The member left or was removed: no longer asked."""
    db.execute(
        "UPDATE chat_members SET left_at = ? WHERE chat_id = ? AND user_id = ?",
        [to_iso(now), chat_id, user_id],
    )


_MEMBERS = """
    SELECT m.chat_id, m.user_id, u.first_name, u.username, m.checkins_off,
           EXISTS (SELECT 1 FROM chats p WHERE p.id = m.user_id AND p.type = 'private')
               AS has_private_chat
    FROM chat_members m JOIN users u ON u.id = m.user_id
"""


def _member(row: dict) -> Member:
    return Member(
        row["chat_id"],
        row["user_id"],
        row["first_name"],
        row["username"],
        bool(row["checkins_off"]),
        bool(row["has_private_chat"]),
    )


def list_members(db: Database, chat_id: int) -> list[Member]:
    """The group's members (see the module), in the order they were first seen."""
    rows = db.query(
        _MEMBERS + " WHERE m.chat_id = ? AND m.left_at IS NULL ORDER BY m.first_seen_at, m.user_id",
        [chat_id],
    )
    return [_member(row) for row in rows]


def get_member(db: Database, chat_id: int, user_id: int) -> Member | None:
    rows = list(
        db.query(
            _MEMBERS + " WHERE m.chat_id = ? AND m.user_id = ? AND m.left_at IS NULL",
            [chat_id, user_id],
        )
    )
    return _member(rows[0]) if rows else None


def set_checkins_off(db: Database, chat_id: int, user_id: int, off: bool) -> bool:
    """Opts the member out of the group's check-ins (or back in); False if they are not a
    member of that group."""
    cursor = db.execute(
        "UPDATE chat_members SET checkins_off = ? WHERE chat_id = ? AND user_id = ? "
        "AND left_at IS NULL",
        [int(off), chat_id, user_id],
    )
    return cursor.rowcount == 1


def groups_with_checkins(db: Database, user_id: int) -> list[tuple[int, str, bool]]:
    """(group id, title, opted out) of every group of the person that has check-ins."""
    rows = db.execute(
        """
        SELECT c.id, coalesce(c.title, ''), m.checkins_off
        FROM chat_members m
        JOIN schedules s ON s.chat_id = m.chat_id AND s.kind = 'checkin'
        JOIN chats c ON c.id = m.chat_id
        WHERE m.user_id = ? AND m.left_at IS NULL
        ORDER BY c.title, c.id
        """,
        [user_id],
    ).fetchall()
    return [(chat_id, title, bool(off)) for chat_id, title, off in rows]


# — the schedule —


def get_checkin_schedule(db: Database, chat_id: int) -> Schedule | None:
    """The group's check-in schedule, or None."""
    return find_schedule(db, Scheduled.checkins(chat_id))


def save_checkin_schedule(
    db: Database,
    chat_id: int,
    rule: ReviewRule,
    timezone: str,
    *,
    now: datetime,
    skip_weekends: bool = False,
    quiet: QuietHours | None = None,
    created_by: int | None = None,
) -> Schedule:
    """Sets (or replaces) the group's check-in schedule; the next round is computed from
    `now`. The schedule keeps its id."""
    return store_schedule(
        db, Scheduled.checkins(chat_id), rule, timezone, now=now, keep_id=True,
        skip_weekends=skip_weekends, quiet=quiet, created_by=created_by,
    )  # fmt: skip


def set_checkins_paused(db: Database, chat_id: int, paused: bool, now: datetime) -> None:
    """Pauses or resumes; resuming computes the next round from `now` (no backlog)."""
    schedule = get_checkin_schedule(db, chat_id)
    if schedule is not None:
        pause_or_resume(db, schedule, paused, now)


def delete_checkin_schedule(db: Database, chat_id: int) -> bool:
    """Stops the group's check-ins (a round already running still closes with its summary)."""
    return drop_schedule(db, Scheduled.checkins(chat_id))


# — rounds —


def _round(row: dict) -> CheckinRound:
    return CheckinRound(
        id=row["id"],
        chat_id=row["chat_id"],
        due_at=from_iso(row["due_at"]),
        started_at=from_iso(row["started_at"]),
        since_at=from_iso(row["since_at"]),
        nudge_at=from_iso(row["nudge_at"]),
        nudged_at=from_iso(row["nudged_at"]),
        closes_at=from_iso(row["closes_at"]),
        closed_at=from_iso(row["closed_at"]),
    )


def _ask(row: dict) -> Ask:
    return Ask(
        row["round_id"],
        row["chat_id"],
        row["user_id"],
        row["via"],
        row["message_id"],
        from_iso(row["answered_at"]),
        row["notes"],
    )


def get_round(db: Database, chat_id: int, round_id: int) -> CheckinRound | None:
    rows = list(
        db.query("SELECT * FROM checkin_rounds WHERE id = ? AND chat_id = ?", [round_id, chat_id])
    )
    return _round(rows[0]) if rows else None


def open_round(db: Database, chat_id: int) -> CheckinRound | None:
    """The group's round still collecting answers, if any."""
    rows = list(
        db.query(
            "SELECT * FROM checkin_rounds WHERE chat_id = ? AND closed_at IS NULL "
            "ORDER BY started_at DESC LIMIT 1",
            [chat_id],
        )
    )
    return _round(rows[0]) if rows else None


def last_round(db: Database, chat_id: int) -> CheckinRound | None:
    rows = list(
        db.query(
            "SELECT * FROM checkin_rounds WHERE chat_id = ? ORDER BY started_at DESC LIMIT 1",
            [chat_id],
        )
    )
    return _round(rows[0]) if rows else None


def round_asks(db: Database, round_id: int) -> list[Ask]:
    return [
        _ask(row)
        for row in db.query(
            "SELECT * FROM checkin_asks WHERE round_id = ? ORDER BY rowid", [round_id]
        )
    ]


# Called when a round closes, inside the closing transaction: (db, chat_id, map_id — the
# group's active map —, round_id, closed_at) -> True if it queued the round's message itself
# (the digest does); when none does, the round's summary is queued.
RoundClosed = Callable[[Database, int, int | None, int, datetime], bool]


def start_round(
    db: Database,
    schedule: Schedule,
    due_at: datetime,
    now: datetime,
    on_closed: Sequence[RoundClosed] = (),
) -> CheckinRound | None:
    """Starts a round of the group's check-ins (inside the caller's transaction): every member
    not opted out is asked once, through the outbox. None when the group has nobody to ask or
    already has a round for `due_at` (that round is left as it is: a second "Ask now" in the
    same second, or a due run claimed twice); otherwise a round still open is closed first
    (its summary is queued), so a group has one open round at a time."""
    chat_id = schedule.chat_id
    asked = to_ask(list_members(db, chat_id))
    if not asked:
        return None
    if db.execute(
        "SELECT 1 FROM checkin_rounds WHERE chat_id = ? AND due_at = ?", [chat_id, to_iso(due_at)]
    ).fetchone():
        return None
    previous = open_round(db, chat_id)
    if previous is not None:
        close_round(db, previous, now, on_closed)
    since = last_round(db, chat_id)
    nudge_at, closes_at = round_times(schedule, now)
    cursor = db.execute(
        "INSERT OR IGNORE INTO checkin_rounds (chat_id, due_at, started_at, since_at, nudge_at,"
        " closes_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            chat_id,
            to_iso(due_at),
            to_iso(now),
            to_iso(since.started_at) if since else None,
            to_iso(nudge_at) if nudge_at else None,
            to_iso(closes_at),
        ],
    )
    if cursor.rowcount != 1:
        return None
    round_id = cursor.lastrowid
    in_group = False
    for member in asked:
        via = how_to_ask(member)
        db.execute(
            "INSERT INTO checkin_asks (round_id, chat_id, user_id, via) VALUES (?, ?, ?, ?)",
            [round_id, chat_id, member.user_id, via],
        )
        if via == PRIVATE:
            queue_message(
                db, ASK_PRIVATE, member.user_id, f"checkin:{round_id}:{member.user_id}", now, now,
                user_id=member.user_id, ref_id=round_id,
            )  # fmt: skip
        in_group = in_group or via == GROUP
    if in_group:
        key = f"checkin:{round_id}:group"
        queue_message(db, ASK_GROUP, chat_id, key, now, now, ref_id=round_id)
    return get_round(db, chat_id, round_id)


def claim_checkins(
    db: Database,
    now: datetime,
    limit: int = ROUND_BATCH,
    *,
    on_closed: Sequence[RoundClosed] = (),
) -> int:
    """Everything about check-ins that is due, in short transactions: rounds whose schedule is
    due start (a round missed while the bot was down by more than a day is skipped, as reviews
    are), rounds past their reminder time queue one reminder for who has not answered, rounds
    past their close are closed (their summary queued). At most `limit` of each per call (a
    round asks every member: a few ms each); returns CLAIM_BATCH when more may be left (the
    reminder job calls again, yielding to the event loop in between)."""
    with db.atomic():
        busiest = claim_due_runs(
            db, CHECKIN, now, limit,
            lambda schedule: start_round(db, schedule, schedule.next_run_at, now, on_closed),
            mark_sent=True,
        )  # fmt: skip
    with db.atomic():
        nudges = [
            _round(row)
            for row in db.query(
                "SELECT * FROM checkin_rounds WHERE nudged_at IS NULL AND closed_at IS NULL "
                "AND nudge_at <= ? ORDER BY nudge_at LIMIT ?",
                [to_iso(now), limit],
            )
        ]
        for checkin in nudges:
            _queue_nudges(db, checkin, now)
        busiest = max(busiest, len(nudges))
    with db.atomic():
        closing = [
            _round(row)
            for row in db.query(
                "SELECT * FROM checkin_rounds WHERE closed_at IS NULL AND closes_at <= ? "
                "ORDER BY closes_at LIMIT ?",
                [to_iso(now), limit],
            )
        ]
        for checkin in closing:
            close_round(db, checkin, now, on_closed)
        busiest = max(busiest, len(closing))
    return CLAIM_BATCH if busiest >= limit else busiest


def _queue_nudges(db: Database, checkin: CheckinRound, now: datetime) -> None:
    """One gentle reminder for each member who has neither answered nor opted out since."""
    db.execute("UPDATE checkin_rounds SET nudged_at = ? WHERE id = ?", [to_iso(now), checkin.id])
    if checkin.closes_at <= now:
        return  # the round is over: its summary says who answered
    in_group = False
    for ask in waiting_asks(db, checkin.id):
        if ask.via == PRIVATE:
            queue_message(
                db, NUDGE_PRIVATE, ask.user_id, f"checkin:{checkin.id}:{ask.user_id}:nudge",
                now, now, user_id=ask.user_id, ref_id=checkin.id,
            )  # fmt: skip
        in_group = in_group or ask.via == GROUP
    if in_group:
        queue_message(
            db, NUDGE_GROUP, checkin.chat_id, f"checkin:{checkin.id}:group:nudge", now, now,
            ref_id=checkin.id,
        )  # fmt: skip


def waiting_asks(db: Database, round_id: int) -> list[Ask]:
    """Who the round still waits for: asked, not answered, not opted out since."""
    rows = db.query(
        """
        SELECT a.* FROM checkin_asks a
        JOIN chat_members m ON m.chat_id = a.chat_id AND m.user_id = a.user_id
        WHERE a.round_id = ? AND a.answered_at IS NULL AND m.checkins_off = 0
              AND m.left_at IS NULL
        ORDER BY a.rowid
        """,
        [round_id],
    )
    return [_ask(row) for row in rows]


def close_round(
    db: Database, checkin: CheckinRound, now: datetime, on_closed: Sequence[RoundClosed] = ()
) -> bool:
    """Closes the round (once), tells `on_closed` (the digest) and queues the round's summary
    unless one of them queued a message of its own; False if it was closed already."""
    cursor = db.execute(
        "UPDATE checkin_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
        [to_iso(now), checkin.id],
    )
    if cursor.rowcount != 1:
        return False
    row = db.execute("SELECT active_map_id FROM chats WHERE id = ?", [checkin.chat_id]).fetchone()
    map_id = row[0] if row else None
    taken = [subscriber(db, checkin.chat_id, map_id, checkin.id, now) for subscriber in on_closed]
    if not any(taken):
        key = f"checkin:{checkin.id}:summary"
        queue_message(db, SUMMARY, checkin.chat_id, key, now, now, ref_id=checkin.id)
    return True


def close_early(db: Database, checkin: CheckinRound, when: datetime) -> None:
    """Everyone answered: the round closes at `when` (now, or after quiet hours)."""
    db.execute(
        "UPDATE checkin_rounds SET closes_at = ? WHERE id = ? AND closed_at IS NULL "
        "AND closes_at > ?",
        [to_iso(when), checkin.id, to_iso(when)],
    )


# — questions and answers —


def question_sent(db: Database, round_id: int, user_id: int, message_id: int) -> None:
    """The private question went out as `message_id` (a reply to it answers this round)."""
    db.execute(
        "UPDATE checkin_asks SET message_id = ? WHERE round_id = ? AND user_id = ?",
        [message_id, round_id, user_id],
    )


def ask_in_group_instead(db: Database, round_id: int, user_id: int) -> None:
    """The member blocked the bot in private: they are asked in the group instead."""
    db.execute(
        "UPDATE checkin_asks SET via = ?, message_id = NULL WHERE round_id = ? AND user_id = ?",
        [GROUP, round_id, user_id],
    )


def group_asks(db: Database, round_id: int, *, waiting: bool = False) -> list[Ask]:
    """The asks of a round that go through the group message (only unanswered: `waiting`)."""
    asks = waiting_asks(db, round_id) if waiting else round_asks(db, round_id)
    return [ask for ask in asks if ask.via == GROUP]


def round_of_group_question(db: Database, chat_id: int, message_id: int) -> CheckinRound | None:
    """The round whose group question (or reminder) is the message `message_id`."""
    row = db.execute(
        "SELECT ref_id FROM reminders WHERE chat_id = ? AND message_id = ? AND kind IN (?, ?)",
        [chat_id, message_id, *GROUP_QUESTIONS],
    ).fetchone()
    return get_round(db, chat_id, row[0]) if row else None


def ask_by_question(db: Database, user_id: int, message_id: int) -> Ask | None:
    """The person's ask whose private question (or reminder) is the message `message_id`."""
    rows = list(
        db.query(
            "SELECT * FROM checkin_asks WHERE user_id = ? AND via = ? AND message_id = ?",
            [user_id, PRIVATE, message_id],
        )
    )
    if rows:
        return _ask(rows[0])
    row = db.execute(
        "SELECT ref_id FROM reminders WHERE chat_id = ? AND message_id = ? AND kind = ?",
        [user_id, message_id, NUDGE_PRIVATE],
    ).fetchone()
    if row is None:
        return None
    rows = list(
        db.query("SELECT * FROM checkin_asks WHERE round_id = ? AND user_id = ?", [row[0], user_id])
    )
    return _ask(rows[0]) if rows else None


def waiting_private_asks(db: Database, user_id: int) -> list[Ask]:
    """The person's private questions of open rounds still waiting for an answer."""
    rows = db.query(
        """
        SELECT a.* FROM checkin_asks a JOIN checkin_rounds r ON r.id = a.round_id
        WHERE a.user_id = ? AND a.via = ? AND a.answered_at IS NULL
              AND a.message_id IS NOT NULL AND r.closed_at IS NULL
        ORDER BY r.started_at
        """,
        [user_id, PRIVATE],
    )
    return [_ask(row) for row in rows]


def record_answer(
    db: Database, checkin: CheckinRound, user_id: int, notes: int, now: datetime
) -> bool:
    """Counts `notes` notes from `user_id` as (part of) their answer in the round (someone the
    round did not ask — a member who joined since — is added as asked in the group). Returns
    whether the round now has every answer it waits for."""
    db.execute(
        """
        INSERT INTO checkin_asks (round_id, chat_id, user_id, via, answered_at, notes)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (round_id, user_id) DO UPDATE SET
            answered_at = coalesce(answered_at, excluded.answered_at),
            notes = notes + excluded.notes
        """,
        [checkin.id, checkin.chat_id, user_id, GROUP, to_iso(now), notes],
    )
    return not waiting_asks(db, checkin.id)
