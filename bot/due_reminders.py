"""Due-date reminders: the outbox kind `due` (claimed by storage.items.claim_due_items_batch).

The owner is reminded privately when they have started the bot (in their private chat's
language), otherwise — or when they have blocked the bot since — in the item's chat with a
mention that notifies them. Sending goes through bot.reminders.deliver, with the review
reminders' guarantees. A reminder whose item was resolved, deleted, corrected to a kind
that gets no owner (an emotion…), or given another owner or date after it was claimed is
dropped (that change planned its own). It goes out when the map's review schedule allows
(quiet hours; weekends skipped: on the Friday before a weekend date),
see bot.core.items.reminder_moment.
"""

from __future__ import annotations

from telegram.ext import Application

from bot.core.items import local_today
from bot.core.schedule import Reminder
from bot.flows.items import due_reminder_message
from bot.reminders import deliver, register_outbox_kind
from bot.replies import esc
from bot.views import mention
from storage.chats import get_chat, get_user, has_private_chat
from storage.db import utcnow
from storage.items import DUE_KIND, claim_due_items_batch, planned_due_on
from storage.notes import get_note
from storage.reminders import mark_failed


def start_due_reminders(app: Application) -> None:
    """Lets the reminder job claim and deliver due-date reminders."""
    register_outbox_kind(app, DUE_KIND, send_due_reminder, claim_due_items_batch)


async def send_due_reminder(app: Application, reminder: Reminder) -> bool:
    """Sends one due-date reminder: to the owner's private chat, else (or if that is blocked)
    to the item's chat."""
    db = app.bot_data["db"]
    group = get_chat(db, reminder.chat_id)
    note = get_note(db, reminder.chat_id, reminder.ref_id) if reminder.ref_id else None
    if group is None or note is None:
        mark_failed(db, reminder.id, "item or chat deleted")
        return False
    planned_for = planned_due_on(reminder) or local_today(reminder.due_at, group.timezone)
    changed = note.owner_id != reminder.user_id or note.due_on != planned_for
    if not note.is_item or note.is_resolved or changed:
        mark_failed(db, reminder.id, "item resolved, made another kind or changed since")
        return False
    today = local_today(utcnow(), group.timezone)
    owner = get_user(db, note.owner_id) if note.owner_id else None
    if owner is not None and has_private_chat(db, owner.id):
        private = get_chat(db, owner.id)
        text, keyboard = due_reminder_message(
            db, private.lang, note, today, addressed=esc(owner.display_name)
        )
        blocked: list[str] = []
        sent = await deliver(app, reminder, private.id, text, keyboard, on_blocked=blocked.append)
        if sent is not None or not blocked:
            return sent is not None  # sent, or to be retried (flood control, a network error)
    addressed = mention(owner) if owner else ""
    text, keyboard = due_reminder_message(db, group.lang, note, today, addressed=addressed)
    return await deliver(app, reminder, group.id, text, keyboard) is not None
