"""What every flow needs: the chat's active map, the map a button points at, and the due-date
buttons under an item (its card, /todo, a reminder, a review card).

Who may do what is asked from bot/permissions.py (the policy: bot/core/permissions.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from telegram import Update

from bot.context import BotContext
from bot.core.dates import DateInPast
from bot.core.items import local_today
from bot.core.journey import parse_id
from bot.core.model import Dialog, JourneyMap, NoActiveMap, Note, NotFound
from bot.dialogs import begin_from_button
from bot.replies import esc, reply
from bot.texts import t
from bot.views import format_day, under_map_name
from storage.db import utcnow
from storage.items import KEEP, set_owner_and_due
from storage.maps import get_map, has_several_maps
from storage.notes import get_note_by_number, number_was_given


def active_map(context: BotContext) -> JourneyMap:
    """The chat's active map; NoActiveMap (explained to the user) when there is none."""
    chat = context.chat_record
    journey = get_map(context.db, chat.id, chat.active_map_id)
    if journey is None:
        raise NoActiveMap()
    return journey


def on_map(context: BotContext, journey: JourneyMap, text: str) -> str:
    """`text` about a note of `journey` — its acknowledgement, card, Undo, Edit or /assign
    reply —, under the map's name whenever the chat has several maps: numbers are per map, so
    after /switch, /newmap or on an old message "#3" alone does not say which note it is. The
    same rule in private chats and groups (bot/group_acks.py), Telegram and the console."""
    if not has_several_maps(context.db, journey.chat_id):
        return text
    return under_map_name(context.lang, journey, text)


def on_note_map(context: BotContext, note: Note, text: str) -> str:
    """`text` about `note` under its map's name when the chat has several maps (`on_map` for a
    reply that has the note but not its map at hand)."""
    if not has_several_maps(context.db, note.chat_id):
        return text
    journey = get_map(context.db, note.chat_id, note.map_id)
    return under_map_name(context.lang, journey, text) if journey else text


ALERT_LIMIT = 200  # characters Telegram takes in a callback alert (plain text, no HTML)


def alert_on_map(context: BotContext, journey: JourneyMap, text: str) -> str:
    """`on_map` for a pop-up alert (`query.answer(..., show_alert=True)`): alerts are plain
    text of at most 200 characters, so the heading is "🗺 Name" without markup or escaping,
    and a long name is cut ("…") so heading and `text` fit; Telegram refuses a longer alert."""
    if not has_several_maps(context.db, journey.chat_id):
        return text[:ALERT_LIMIT]
    room = ALERT_LIMIT - len(text) - len("🗺 \n")
    name = journey.name if len(journey.name) <= room else journey.name[:room - 1].rstrip() + "…"
    return f"🗺 {name}\n{text}" if room > 1 else text[:ALERT_LIMIT]


def alert_on_note_map(context: BotContext, note: Note, text: str) -> str:
    """`alert_on_map` for an alert that has the note but not its map at hand."""
    journey = get_map(context.db, note.chat_id, note.map_id)
    return alert_on_map(context, journey, text) if journey else text[:ALERT_LIMIT]


async def note_by_number(
    update: Update, context: BotContext, journey: JourneyMap, number: int
) -> Note | None:
    """Note `number` of the map; if there is none, the user is told whether it was deleted or
    never existed."""
    note = get_note_by_number(context.db, journey.chat_id, journey.id, number)
    if note is None:
        given = number_was_given(context.db, journey.chat_id, journey.id, number)
        key = "note.number_deleted" if given else "note.no_such_number"
        await reply(update, t(context.lang, key, number=number, name=esc(journey.name)))
    return note


async def map_of_button(update: Update, context: BotContext, map_id: str) -> JourneyMap | None:
    """The map a button points at, if it is this chat's; otherwise the presser is told so."""
    journey = get_map(context.db, update.effective_chat.id, parse_id(map_id))
    if journey is None:
        await update.callback_query.answer(t(context.lang, "error.not_found"), show_alert=True)
    return journey


def today_here(context: BotContext) -> date:
    """Today in the chat's time zone (due dates and overdue items are days of the chat)."""
    return local_today(utcnow(), context.chat_record.timezone)


async def refuse_typed_date(update: Update, context: BotContext, note: Note | None) -> bool:
    """A due date typed for a note that can no longer take one says why and stores nothing
    (True): made another kind since the question (only pain points and opportunities are
    items) or resolved since; a deleted note is NotFound."""
    if note is None:
        raise NotFound()
    if not note.is_item:
        kind = t(context.lang, f"kind.{note.kind}").lower()
        await reply(update, on_note_map(context, note, t(context.lang, "item.not_item",
                                                          number=note.number, kind=kind)))
        return True
    if note.is_resolved:
        await reply(update, t(context.lang, "item.already_resolved"))
        return True
    return False


def parse_choice(choice: str) -> date | str | None:
    """A date button's choice: a date, None ("none"), "type"; ValueError if forged."""
    if choice in ("none", "type"):
        return None if choice == "none" else choice
    return date.fromisoformat(choice)


async def due_date_pressed(
    update: Update,
    context: BotContext,
    note: Note,
    choice: str,
    today: date,
    typing: Dialog,
    ask: Callable[[Update, BotContext, Dialog], Awaitable[None]],
) -> Note | None:
    """A due-date button under an item (a day, "none" or "type"): the new due date is stored
    and the item returned, the press answered with it. A forged or stale choice, a resolved
    item or a day before `today` is answered and nothing changes; "type" opens `typing` (its
    question asked by `ask`). None whenever there is nothing to redraw."""
    query = update.callback_query
    try:
        day = parse_choice(choice)
    except ValueError:
        await query.answer(t(context.lang, "stale.button"))
        return None
    if note.is_resolved:  # resolved since the button was sent
        await query.answer(t(context.lang, "item.already_resolved"))
        return None
    if day == "type":
        await begin_from_button(update, context, typing, ask)
        return None
    if day is not None and day < today:
        await query.answer(
            t(context.lang, DateInPast.key, date=format_day(context.lang, day)), show_alert=True
        )
        return None
    note = set_owner_and_due(context.db, note.chat_id, note.id, KEEP, day, now=utcnow())
    await query.answer(
        t(context.lang, "item.due_set", date=format_day(context.lang, day))
        if day
        else t(context.lang, "item.due_cleared")
    )
    return note
