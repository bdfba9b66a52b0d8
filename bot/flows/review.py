"""/review and the reminder's "Start review": the open pain points one by one, then what's new.

The review is the team's, not one person's: its cards carry the review and note ids, so anyone
in the chat can answer them (everyone who does is recorded as taking part). Only "Add an idea"
waits for one person's typed answer, in their own conversation.
"""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.classifier import draft_note
from bot.context import BotContext
from bot.core.dates import parse_due_date
from bot.core.journey import clean_text, parse_id, require_words, shorten
from bot.core.model import RESOLVED, Dialog, JourneyMap, Note, NotFound
from bot.dialogs import Flow, State, begin_from_button, new_dialog
from bot.flows.add_note import active_map_or_start_one, store_note
from bot.flows.common import (
    active_map,
    alert_on_map,
    due_date_pressed,
    map_of_button,
    on_map,
    on_note_map,
    refuse_typed_date,
    today_here,
)
from bot.flows.items import date_choice_rows
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import format_day, item_status, stage_name
from storage.chats import get_user
from storage.db import utcnow
from storage.digests import existing_note_kinds, outcomes_alive
from storage.items import KEEP, overdue_items, set_owner_and_due
from storage.maps import get_map
from storage.notes import add_note, get_note, note_exists
from storage.reviews import (
    Review,
    assign_owner,
    card_counter,
    finish_review,
    get_review,
    open_review,
    record_idea,
    record_outcome,
    start_review,
    take_new_pain_points,
)

WRITING_IDEA, TYPING_DUE = "idea", "due"


async def review_command(update: Update, context: BotContext) -> None:
    """/review: starts (or continues) a review of the active map."""
    await _begin(update, context, active_map(context))


async def start_pressed(update: Update, context: BotContext) -> None:
    """ "Start review" under a reminder (the map must belong to this chat)."""
    query = update.callback_query
    journey = await map_of_button(update, context, query.data.rpartition(":")[2])
    if journey is None:
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _begin(update, context, journey)


async def _begin(update: Update, context: BotContext, journey: JourneyMap) -> None:
    review = open_review(context.db, journey.chat_id, journey.id)
    if review is not None:
        await reply(update, t(context.lang, "review.already_running"))
        review = take_new_pain_points(context.db, review)
    else:
        review = start_review(
            context.db, journey.chat_id, journey.id, update.effective_user.id, utcnow()
        )
        late = overdue_line(context.db, context.lang, journey, today_here(context))
        if late:
            await reply(update, on_map(context, journey,
                                       t(context.lang, "review.overdue", items=late)))
    await _next_card(update, context, journey, review)


MAX_OVERDUE_LISTED = 5


def overdue_line(db, lang: str, journey: JourneyMap, today: date) -> str | None:
    """ "#3 courier late (🙋 Ivan · 📅 Thu, Dec 3); …": the map's overdue items, the longest
    overdue first (the review and its reminder flag them)."""
    late = overdue_items(db, journey.chat_id, today, map_id=journey.id)
    if not late:
        return None
    items = [
        f"#{n.number} {esc(shorten(n.text, 40))} ({item_status(lang, n, None)})"
        for n in late[:MAX_OVERDUE_LISTED]
    ]
    if len(late) > MAX_OVERDUE_LISTED:
        items.append(t(lang, "insights.more", count=len(late) - MAX_OVERDUE_LISTED))
    return "; ".join(items)


async def _next_card(
    update: Update, context: BotContext, journey: JourneyMap, review: Review
) -> None:
    """Posts the next open pain point, or the "anything new?" step when none is left."""
    lang = context.lang
    while review.position < len(review.queue):
        note = get_note(context.db, journey.chat_id, review.queue[review.position])
        if note is not None and note.is_open_pain_point:
            text, keyboard = _card(context, journey, review, note)
            await reply(update, text, keyboard)
            return
        review = record_outcome(
            context.db, review, review.queue[review.position], "skipped", None, utcnow()
        )
    if not review.queue:
        await reply(update, t(lang, "review.no_pain_points", name=esc(journey.name)))
    finish = keyboards.column([(t(lang, "button.finish_review"), f"rp:fin:{review.id}:0")])
    await reply(update, t(lang, "review.ask_new"), finish)


def _card(
    context: BotContext,
    journey: JourneyMap,
    review: Review,
    note: Note,
    outcome: str | None = None,
    *,
    picking_date: bool = False,
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = context.lang
    number, total = card_counter(context.db, review, note.id)
    lines = [
        t(
            lang,
            "review.card",
            number=number,
            total=total,
            stage=esc(stage_name(lang, journey.stage_by_id(note.stage_id))),
            text=esc(note.text),
        )
    ]
    if note.author_name:
        lines.append(f"<i>{t(lang, 'review.card_author', author=esc(note.author_name))}</i>")
    if note.owner_id:
        owner = get_user(context.db, note.owner_id)
        lines.append(t(lang, "review.card_owner", owner=esc(owner.display_name if owner else "?")))
    status = item_status(lang, note, today_here(context), owner=False)
    if status:
        lines.append(status)
    if outcome:
        lines.append(outcome)
        return on_map(context, journey, "\n".join(lines)), None
    data = f"{review.id}:{note.id}"
    outcomes = [
        (t(lang, "button.resolved"), f"rp:res:{data}"),
        (t(lang, "button.still_open"), f"rp:open:{data}"),
    ]
    if picking_date:  # after "Assign to me": when will it be done? (the review goes on too)
        short = esc(shorten(note.text, 40))
        lines.append(t(lang, "item.pick_date", number=note.number, text=short))
        dates = date_choice_rows(lang, today_here(context), f"rp:due:{data}:{{}}")
        idea = [(t(lang, "button.add_idea"), f"rp:idea:{data}")]
        return on_map(context, journey, "\n".join(lines)), keyboards.stacked(*dates, outcomes,
                                                                             idea)
    keyboard = keyboards.stacked(
        outcomes,
        [
            (t(lang, "button.add_idea"), f"rp:idea:{data}"),
            (t(lang, "button.assign_me"), f"rp:mine:{data}"),
        ],
    )
    return on_map(context, journey, "\n".join(lines)), keyboard


async def card_button(update: Update, context: BotContext) -> None:
    """Resolved / Still open / Add an idea / Assign to me / Finish, for this chat's review."""
    query = update.callback_query
    parts = query.data.split(":")
    action = parts[1]
    try:
        review, journey, note = _lookup(context, update.effective_chat.id, parts[2:])
    except (NotFound, ValueError, IndexError):
        note_id = parse_id(parts[3]) if len(parts) > 3 else None
        gone = bool(note_id) and not note_exists(context.db, note_id)
        await query.answer(t(context.lang, "note.gone" if gone else "error.not_found"),
                           show_alert=True)
        return
    if review.finished_at is not None:
        await query.answer(t(context.lang, "stale.button"))
        return
    if note is not None and action != "fin" and not note.is_open_pain_point:
        await _changed_since_card(update, context, review, journey, note)
        return
    handler = {
        "res": _resolved,
        "open": _still_open,
        "idea": _idea,
        "mine": _mine,
        "due": _due,
        "fin": _finish,
    }.get(action)
    if handler is None:
        await query.answer(t(context.lang, "stale.button"))
        return
    await handler(update, context, review, journey, note)


async def _changed_since_card(
    update: Update, context: BotContext, review: Review, journey: JourneyMap, note: Note
) -> None:
    """A card pressed after its pain point was resolved or made another kind elsewhere: says
    so and changes nothing; if it was the current card, the review goes on to the next one."""
    query, lang = update.callback_query, context.lang
    if note.status == RESOLVED:
        answer = t(lang, "review.already_resolved", number=note.number)
    else:
        answer = t(lang, "review.not_pain_point", number=note.number,
                   kind=t(lang, f"kind.{note.kind}"))
    await query.answer(alert_on_map(context, journey, answer), show_alert=True)
    if review.queue.index(note.id) != review.position:
        return
    review = record_outcome(context.db, review, note.id, "skipped", None, utcnow())
    text, _ = _card(context, journey, review, note, answer)
    await edit_or_reply(update, text)
    await _next_card(update, context, journey, review)


def _lookup(
    context: BotContext, chat_id: int, ids: list[str]
) -> tuple[Review, JourneyMap, Note | None]:
    review_id, note_id = parse_id(ids[0]), parse_id(ids[1])
    if review_id is None or note_id is None:
        raise NotFound()
    review = get_review(context.db, chat_id, review_id)
    journey = get_map(context.db, chat_id, review.map_id) if review else None
    if review is None or journey is None:
        raise NotFound()
    note = get_note(context.db, chat_id, note_id) if note_id else None
    if note_id and (note is None or note.id not in review.queue):
        raise NotFound()
    return review, journey, note


async def _resolved(update, context, review, journey, note) -> None:
    await _outcome(update, context, review, journey, note, "resolved", "review.card_resolved")


async def _still_open(update, context, review, journey, note) -> None:
    await _outcome(update, context, review, journey, note, "still_open", "review.card_still_open")


async def _outcome(
    update: Update,
    context: BotContext,
    review: Review,
    journey: JourneyMap,
    note: Note,
    outcome: str,
    text_key: str,
) -> None:
    query = update.callback_query
    if review.queue.index(note.id) != review.position:
        await query.answer(t(context.lang, "stale.button"))
        return
    await query.answer()
    review = record_outcome(
        context.db, review, note.id, outcome, update.effective_user.id, utcnow()
    )
    who = esc(update.effective_user.first_name)
    note = get_note(context.db, journey.chat_id, note.id)
    text, _ = _card(context, journey, review, note, t(context.lang, text_key, who=who))
    await edit_or_reply(update, text)
    await _next_card(update, context, journey, review)


async def _mine(
    update: Update, context: BotContext, review: Review, journey: JourneyMap, note: Note
) -> None:
    """Assign to me: the presser owns the pain point; the card asks for a due date."""
    if note.is_resolved:
        await update.callback_query.answer(t(context.lang, "stale.button"))
        return
    review = assign_owner(context.db, review, note.id, update.effective_user.id, utcnow())
    await update.callback_query.answer(t(context.lang, "review.assigned"))
    note = get_note(context.db, journey.chat_id, note.id)
    await edit_or_reply(update, *_card(context, journey, review, note, picking_date=True))


async def _due(
    update: Update, context: BotContext, review: Review, journey: JourneyMap, note: Note
) -> None:
    """A date choice under the card (this week, next week, no date; "Pick a date…" asks)."""
    parts = update.callback_query.data.split(":")
    typing = new_dialog(update, FLOW, TYPING_DUE, review_id=review.id, note_id=note.id)
    note = await due_date_pressed(update, context, note, parts[4] if len(parts) > 4 else "",
                                  today_here(context), typing, ask_due)
    if note is not None:
        await edit_or_reply(update, *_card(context, journey, review, note))


async def ask_due(update: Update, context: BotContext, dialog: Dialog) -> None:
    pain = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    if pain is None:
        raise NotFound()
    await reply(update, on_note_map(context, pain, t(context.lang, "item.ask_date",
                                                     number=pain.number)))


async def due_typed(update: Update, context: BotContext, dialog: Dialog) -> Dialog | None:
    """The typed due date; the card is shown again under it (a date not understood is asked
    again, the conversation stays)."""
    review = get_review(context.db, dialog.chat_id, dialog.data["review_id"])
    pain = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    journey = get_map(context.db, dialog.chat_id, review.map_id) if review else None
    if review is None or journey is None:
        raise NotFound()
    if await refuse_typed_date(update, context, pain):
        return None
    day = parse_due_date(update.effective_message.text or "", today_here(context))
    pain = set_owner_and_due(context.db, dialog.chat_id, pain.id, KEEP, day, now=utcnow())
    if review.finished_at is None:
        await reply(update, *_card(context, journey, review, pain))
    else:
        await reply(update, t(context.lang, "item.due_set", date=format_day(context.lang, day)))
    return None


async def _idea(
    update: Update, context: BotContext, review: Review, journey: JourneyMap, note: Note
) -> None:
    dialog = new_dialog(update, FLOW, WRITING_IDEA, review_id=review.id, note_id=note.id,
                        map_name=journey.name)
    await begin_from_button(update, context, dialog, ask_idea)


async def ask_idea(update: Update, context: BotContext, dialog: Dialog) -> None:
    pain = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    if pain is None:
        raise NotFound()
    await reply(update, t(context.lang, "review.ask_idea", text=esc(shorten(pain.text, 80))))


async def idea_written(update: Update, context: BotContext, dialog: Dialog) -> None:
    """Stores the idea as an opportunity on the pain point's stage, linked to it."""
    review = get_review(context.db, dialog.chat_id, dialog.data["review_id"])
    pain = get_note(context.db, dialog.chat_id, dialog.data["note_id"])
    journey = get_map(context.db, dialog.chat_id, review.map_id) if review else None
    text = require_words(clean_text(update.effective_message.text))
    if journey is None:  # the map was deleted meanwhile: the idea is kept on the active map
        active, _ = active_map_or_start_one(update, context)
        await reply(update, t(context.lang, "review.idea_map_gone", name=esc(active.name),
                              old=esc(dialog.data.get("map_name") or "?")))
        await store_note(update, context, text)
        return
    draft = await draft_note(text, context.lang, kind="opportunity", stage_key=None, guided=True)
    if pain is None:  # deleted while the idea was being typed: the idea is kept all the same
        stage = journey.stage_for_key(draft.classified_stage)
        idea = add_note(context.db, journey.chat_id, journey.id, stage.id if stage else None,
                        draft, update.effective_user.id)
        record_idea(context.db, review, idea.id, update.effective_user.id)
        await reply(update, on_map(context, journey, t(context.lang, "review.idea_saved_alone",
                                                       number=idea.number)))
        return
    idea = add_note(
        context.db,
        pain.chat_id,
        pain.map_id,
        pain.stage_id,
        draft,
        update.effective_user.id,
        parent_id=pain.id,
    )
    record_idea(context.db, review, idea.id, update.effective_user.id)
    await reply(update, t(context.lang, "review.idea_saved"))


async def _finish(
    update: Update, context: BotContext, review: Review, journey: JourneyMap, _: Note | None
) -> None:
    await update.callback_query.answer()
    review = finish_review(context.db, review, utcnow())
    await edit_or_reply(update, t(context.lang, "review.ask_new"))
    await reply(update, summary_text(context, journey, review))


def summary_text(context: BotContext, journey: JourneyMap, review: Review) -> str:
    """Resolved, still open, new ideas and notes, owners and who took part."""
    lang, summary, db = context.lang, review.summary, context.db
    new_notes = summary.get("new_note_count", 0)

    # outcomes of notes that still exist (and are still pain points), as /history counts them:
    # one deleted or made another kind while the review ran leaves them
    outcomes = ("resolved", "still_open", "ideas")
    kinds = existing_note_kinds(
        db, journey, {int(note_id) for key in outcomes for note_id in summary.get(key, ())}
    )

    def alive(key: str, *, pain: bool) -> int:
        return outcomes_alive(summary, key, kinds, pain=pain)

    lines = [
        t(lang, "review.summary_title", name=esc(journey.name)),
        t(
            lang,
            "review.summary_counts",
            resolved=alive("resolved", pain=True),
            still_open=alive("still_open", pain=True),
            ideas=alive("ideas", pain=False),
            notes=new_notes,
        ),
    ]
    owners = []
    for note_id, user_id in summary.get("owners", {}).items():
        note, user = get_note(db, journey.chat_id, int(note_id)), get_user(db, user_id)
        if note and user:
            owners.append(f"{esc(shorten(note.text, 40))} — {esc(user.display_name)}")
    if owners:
        lines.append(t(lang, "review.summary_owners", owners="; ".join(owners)))
    people = [get_user(db, user_id) for user_id in review.participants]
    lines.append(
        t(lang, "review.summary_people", people=", ".join(esc(p.display_name) for p in people if p))
    )
    return "\n".join(lines)


FLOW = Flow(
    "rv",
    command="review",
    states={
        WRITING_IDEA: State(ask_idea, text=idea_written),
        TYPING_DUE: State(ask_due, text=due_typed),
    },
)
