"""A long note with several points: "I found 3 points: 1… 2… 3… — Add all / Choose / Keep as one".

The note is stored as one note first (what was typed is never lost) and acknowledged as usual;
then, if the text makes several points (`bot.core.points.points_to_offer`), the bot offers to
split it. **Add all** replaces the note with one note per point; **Choose** shows a toggle per
point (all ticked) and **Add** replaces it with the ticked ones; **Keep as one** leaves it. If
nobody answers, the note simply stays one note, as the offer says. The points are computed
again from the stored text when a button is pressed, so the buttons carry only the note's id,
how many points were offered and which are ticked (`sp:<action>:<note id>:<count>[:<mask>]`):
a note deleted or edited since answers that it changed and nothing is split.

What each new note takes from the note it replaces (`carry_over`):
* classified on its own (in one batch): stage, kind, channels, sentiment, unsure choices;
* kept as they were: the author, where it came from (`source`: typed, forwarded, imported…)
  and, for a customer quote, who said it and when;
* for each point that is an item (a pain point or an opportunity): the owner and the due date
  — it stays the owner's task with the same date, its due-date reminder planned as for any
  item — and, when the note was already resolved, its resolution (the same who and when).
  A point of another kind (an emotion, a touchpoint…) takes none of these, as no such note
  has them;
* new: the id, the number on the map and the time stored (the split's; it follows the note
  within minutes).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import classifier_ready, draft_many, load_chat_memory
from bot.context import BotContext
from bot.core.journey import parse_id, shorten
from bot.core.model import JourneyMap, Note
from bot.core.permissions import Action
from bot.core.points import points_to_offer
from bot.flows.common import alert_on_map, on_map
from bot.permissions import permitted_press
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import note_label
from storage.db import utcnow
from storage.items import resolve_item, set_owner_and_due
from storage.maps import get_map
from storage.notes import add_note, delete_note, get_note, note_exists

POINT_PREVIEW = 140  # characters of each point shown in the offer
TOGGLES_PER_ROW = 4


async def offer_split(update: Update, context: BotContext, journey: JourneyMap, note: Note
                      ) -> None:
    """After a note is stored: offers to split it if its text makes several points."""
    points = points_to_offer(note.text, note.lang)
    if points:
        await reply(update, *_on_map(context, journey, offer(context.lang, note, points)))


def _on_map(context: BotContext, journey: JourneyMap,
            message: tuple[str, InlineKeyboardMarkup]) -> tuple[str, InlineKeyboardMarkup]:
    """An offer or chooser (text, keyboard) under the map's name when the chat has several."""
    text, keyboard = message
    return on_map(context, journey, text), keyboard


def offer(lang: str, note: Note, points: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    """The offer: the points, numbered, and Add all / Choose / Keep as one."""
    count = len(points)
    text = "\n".join([
        t(lang, "split.found", count=count, number=note.number),
        *_numbered(points),
        "",
        t(lang, "split.kept_for_now", number=note.number),
    ])
    keyboard = keyboards.stacked(
        [
            (t(lang, "split.add_all", count=count), f"sp:all:{note.id}:{count}"),
            (t(lang, "split.choose"), f"sp:pick:{note.id}:{count}:{_all_ticked(count):x}"),
        ],
        [(t(lang, "split.keep"), f"sp:keep:{note.id}:{count}")],
    )
    return text, keyboard


def chooser(lang: str, note: Note, points: list[str], ticked: int
            ) -> tuple[str, InlineKeyboardMarkup]:
    """Choose: a toggle per point (☑ ticked, ☐ not), then Add the ticked ones, or Back."""
    count = len(points)
    marks = ["☑" if ticked >> i & 1 else "☐" for i in range(count)]
    lines = [f"{mark} {line}" for mark, line in zip(marks, _numbered(points), strict=True)]
    text = "\n".join([t(lang, "split.choose_help", number=note.number), *lines])
    toggles = [
        (f"{marks[i]} {i + 1}", f"sp:pick:{note.id}:{count}:{ticked ^ (1 << i):x}")
        for i in range(count)
    ]
    rows = [toggles[i:i + TOGGLES_PER_ROW] for i in range(0, count, TOGGLES_PER_ROW)]
    chosen = bin(ticked).count("1")
    rows.append([
        (t(lang, "split.add_chosen", count=chosen), f"sp:add:{note.id}:{count}:{ticked:x}"),
        (t(lang, "button.back"), f"sp:back:{note.id}:{count}"),
    ])
    return text, keyboards.stacked(*rows)


def _numbered(points: list[str]) -> list[str]:
    return [f"{i}. {esc(shorten(point, POINT_PREVIEW))}" for i, point in enumerate(points, 1)]


def _all_ticked(count: int) -> int:
    return (1 << count) - 1


async def split_button(update: Update, context: BotContext) -> None:
    """Every button of a split offer: "sp:<all|pick|add|back|keep>:<note id>:<count>[:<mask>]"."""
    query, lang = update.callback_query, context.lang
    _, action, note_id, count, *rest = [*query.data.split(":"), "", "", ""][:5]
    note_id_number, expected = parse_id(note_id), parse_id(count)
    note = get_note(context.db, update.effective_chat.id, note_id_number) if (
        note_id_number is not None) else None
    journey = get_map(context.db, note.chat_id, note.map_id) if note else None
    if note is None or journey is None:
        gone = note_id_number is not None and not note_exists(context.db, note_id_number)
        await query.answer(t(lang, "note.gone" if gone else "error.not_found"), show_alert=True)
        return
    points = points_to_offer(note.text, note.lang)
    if len(points) != expected or action not in ("all", "pick", "add", "back", "keep"):
        await query.answer(
            alert_on_map(context, journey, t(lang, "split.changed", number=note.number)),
            show_alert=True)
        return
    own = note.author_id == update.effective_user.id
    if action != "back" and not await permitted_press(update, context, Action.EDIT_NOTE, own=own):
        return
    ticked = _mask(rest[0] if rest else "", len(points))
    if action == "keep":
        await query.answer()
        await edit_or_reply(update, on_map(context, journey, t(lang, "split.kept",
                                                                 number=note.number)))
    elif action == "back":
        await query.answer()
        await edit_or_reply(update, *_on_map(context, journey, offer(lang, note, points)))
    elif action == "pick":
        await query.answer()
        await edit_or_reply(update, *_on_map(context, journey,
                                             chooser(lang, note, points, ticked)))
    elif action == "add" and not ticked:
        await query.answer(t(lang, "split.none_chosen"), show_alert=True)
    else:
        await query.answer()
        chosen = points if action == "all" else [p for i, p in enumerate(points) if ticked >> i & 1]
        await split(update, context, journey, note, chosen, left_out=len(points) - len(chosen))


def carry_over(db: Database, note: Note, point: Note, now: datetime) -> Note:
    """The point with the owner, due date and resolution of the note it was split from, if the
    point is an item."""
    if not point.is_item:
        return point
    if note.owner_id is not None or note.due_on is not None:
        point = set_owner_and_due(db, point.chat_id, point.id, note.owner_id, note.due_on,
                                  now=now)
    if note.is_resolved:
        point = resolve_item(db, point.chat_id, point.id, note.resolved_by,
                             note.resolved_at or now)
    return point


def _mask(text: str, count: int) -> int:
    try:
        return int(text, 16) & _all_ticked(count)
    except ValueError:
        return 0


async def split(update: Update, context: BotContext, journey: JourneyMap, note: Note,
                points: list[str], *, left_out: int) -> None:
    """Replaces the note with one note per point (classified in one batch), in one transaction,
    and says what was stored."""
    await classifier_ready()
    memory = await load_chat_memory(context.db, note.chat_id)
    drafts = draft_many(points, note.lang, memory=memory,
                        source=note.source)
    drafts = [replace(d, quote=note.quote, quoted_from=note.quoted_from, said_at=note.said_at)
              for d in drafts]
    with context.db.atomic():
        if get_note(context.db, note.chat_id, note.id) is None:  # undone meanwhile
            return
        delete_note(context.db, note.chat_id, note.id)
        added = []
        for draft in drafts:
            stage = journey.stage_for_key(draft.stage_key)
            point = add_note(context.db, note.chat_id, journey.id, stage.id if stage else None,
                             draft, note.author_id)
            added.append(carry_over(context.db, note, point, utcnow()))
    lang = context.lang
    numbers = ", ".join(f"#{n.number}" for n in added)
    lines = [t(lang, "split.done", count=len(added), number=note.number, numbers=numbers)]
    if left_out:
        lines.append(t(lang, "split.left_out", count=left_out))
    lines += [note_label(lang, journey, n) for n in added]
    lines.append(t(lang, "split.change_hint"))
    await edit_or_reply(update, on_map(context, journey, "\n".join(lines)))
