"""Posting digests to the team through the reminders outbox: weekly, and after check-in rounds.

`storage.digests.claim_weekly_digests` (run by the reminder job before each delivery) queues
the weekly digests that are due; a check-in round that closes queues one in the same
transaction (`digest_after_round`, subscribed with `bot.checkins.on_round_closed`, which then
posts no summary of its own: the digest begins with it). Each queued digest is a `digests` row
(map, period, trigger) and one outbox row of kind "digest"; `send_digest` builds its text and
chart in the worker process and sends them with `bot.reminders.deliver`, so a digest has the
review reminders' guarantees: sent once, kept across restarts, paced to Telegram's limits.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlite_utils import Database
from telegram import InputFile
from telegram.error import TelegramError
from telegram.ext import Application

from bot.checkins import on_round_closed, round_summary
from bot.core.schedule import Reminder
from bot.flows.digest import collect_digest, weekly_keyboard
from bot.offload import read_in_worker
from bot.reminders import deliver, register_outbox_kind
from bot.texts import t
from storage.chats import get_chat
from storage.checkins import get_round
from storage.digests import (
    DIGEST_KIND,
    claim_weekly_digests,
    get_posted_digest,
    queue_digest,
    weekly_digest_at,
)
from storage.maps import get_map
from storage.reminders import mark_failed

log = logging.getLogger(__name__)

TITLES = {"weekly": "digest.title_weekly", "checkin": "digest.title_checkin"}


def start_digests(app: Application) -> None:
    """Lets the reminder job queue and send digests, and check-in rounds end with one."""
    register_outbox_kind(app, DIGEST_KIND, send_digest, claim_weekly_digests)
    on_round_closed(app, digest_after_round)


def digest_after_round(
    db: Database, chat_id: int, map_id: int | None, round_id: int, closed_at: datetime
) -> bool:
    """A check-in round closed: its digest is queued (it replaces the round's summary)."""
    if map_id is None:
        return False
    queue_digest(db, chat_id, map_id, "checkin", f"checkin:{round_id}", closed_at, closed_at)
    return True  # queued now or before: either way the round's message is the digest


async def send_digest(app: Application, reminder: Reminder) -> bool:
    """Sends one queued digest (text, then its chart as a reply to it)."""
    db = app.bot_data["db"]
    posted = get_posted_digest(db, reminder.ref_id)
    chat = get_chat(db, reminder.chat_id)
    journey = get_map(db, posted.chat_id, posted.map_id) if posted else None
    if posted is None or chat is None or journey is None:
        mark_failed(db, reminder.id, "map or chat deleted")
        return False
    text, chart = await read_in_worker(
        db,
        collect_digest,
        chat.lang,
        journey,
        chat.timezone,
        chat.is_group,
        posted.since,
        posted.until,
        TITLES.get(posted.trigger, "digest.title"),
    )
    if posted.trigger == "checkin":  # the round's summary first, then the digest
        checkin = get_round(db, chat.id, int(posted.key.rpartition(":")[2]))
        if checkin is not None:
            text = round_summary(db, chat, checkin)[0] + "\n\n" + text
    weekly_on = weekly_digest_at(db, chat.id, journey.id) is not None
    keyboard = weekly_keyboard(chat.lang, journey, weekly_on)
    message = await deliver(app, reminder, chat.id, text, keyboard)
    if message is None:
        return False
    if chart is not None:
        if (pacer := app.bot_data.get("outbox_pacer")) is not None:
            pacer.count_message(chat.id, time.monotonic())  # the chart is a message of its own
        try:
            await app.bot.send_photo(
                chat.id,
                photo=InputFile(chart, filename="digest.png"),
                caption=t(chat.lang, "digest.chart_caption"),
                reply_to_message_id=message.message_id,
                allow_sending_without_reply=True,
            )
        except TelegramError as error:  # the digest itself was sent: its chart is a bonus
            log.warning("digest chart not sent", extra={"chat_id": chat.id, "error": str(error)})
    return True
