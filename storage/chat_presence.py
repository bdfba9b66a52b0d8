"""What the bot sends on its own to a chat it has lost, and to one it is back in.

A group that removes the bot, or a person who blocks it in private, cannot be written to:
`pause_chat` pauses the chat's review and check-in schedules and its weekly digests (marking
them `paused_while_out`) and fails the messages waiting for it in the outbox. When the bot is
added back or unblocked, `resume_chat` turns on again exactly what it paused — a pause or a
digest the team turned off itself stays as the team left it — with the next run computed from
now, so no backlog of missed reminders arrives at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.core.digest import next_weekly_digest
from storage.checkins import ASK_PRIVATE, NUDGE_PRIVATE
from storage.db import to_iso
from storage.digests import digest_timezone
from storage.items import DUE_KIND
from storage.schedules import pause_or_resume, schedule_from_row

# Outbox kinds whose sending finds another way when this chat is closed (bot/checkins.py,
# bot/due_reminders.py): a member's check-in question is asked in the group instead; a due
# date reminder is queued under the group but goes to its owner's private chat first.
WITH_A_WAY_AROUND = (ASK_PRIVATE, NUDGE_PRIVATE, DUE_KIND)


def pause_chat(db: Database, chat_id: int, reason: str) -> int:
    """Pauses what the bot would send on its own to a chat it can no longer write to (removed,
    blocked, deleted) and fails the chat's waiting messages with `reason` (except those with a
    way around it); returns how many
    schedules and digests it paused (ones paused already are left as they are)."""
    with db.atomic():
        schedules = db.execute(
            "UPDATE schedules SET paused = 1, paused_while_out = 1"
            " WHERE chat_id = ? AND paused = 0",
            [chat_id],
        ).rowcount
        digests = db.execute(
            "UPDATE digest_settings SET weekly = 0, paused_while_out = 1"
            " WHERE chat_id = ? AND weekly = 1",
            [chat_id],
        ).rowcount
        db.execute(
            "UPDATE reminders SET status = 'failed', error = ? "
            "WHERE chat_id = ? AND status IN ('pending', 'sending')"
            f" AND kind NOT IN ({', '.join('?' * len(WITH_A_WAY_AROUND))})",
            [reason, chat_id, *WITH_A_WAY_AROUND],
        )
    return schedules + digests


def resume_chat(db: Database, chat_id: int, now: datetime) -> int:
    """Resumes what `pause_chat` paused in the chat, each next run computed from `now`;
    returns how many schedules and digests went on again."""
    with db.atomic():
        schedules = [
            schedule_from_row(row)
            for row in db.query(
                "SELECT * FROM schedules WHERE chat_id = ? AND paused_while_out = 1", [chat_id]
            )
        ]
        for schedule in schedules:
            pause_or_resume(db, schedule, False, now)  # its next run from now, the mark gone
        digest_maps = [
            row[0]
            for row in db.execute(
                "SELECT map_id FROM digest_settings WHERE chat_id = ? AND paused_while_out = 1",
                [chat_id],
            )
        ]
        for map_id in digest_maps:
            timezone, quiet = digest_timezone(db, chat_id, map_id)
            db.execute(
                "UPDATE digest_settings SET weekly = 1, paused_while_out = 0, next_run_at = ?"
                " WHERE map_id = ?",
                [to_iso(next_weekly_digest(timezone, now, quiet)), map_id],
            )
    return len(schedules) + len(digest_maps)
