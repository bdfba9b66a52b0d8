"""/checkin: the team is asked on a schedule what they heard from customers; answers are notes.

In a group, administrators (the /schedule permission) set up, change, pause, resume or stop
the check-ins with the same conversation as /schedule (`schedule_flow(CHECKINS)`), see who is
asked, and can start a round now. Any member opts out or back in with `/checkin off` /
`/checkin on` or the button under the question; in a private chat `/checkin` lists the
person's groups with check-ins, each with its button.

An answer is a reply to the question (in the group or in private) or, in private, the next
message after it. It is split into items (one per line, bullet or semicolon) and each item is
classified and stored on the group's active map as a note of its author. A private message
that could answer questions of two groups asks which group it is for (flow `cq`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup, Message, Update

from bot import keyboards
from bot.checkins import local_date, opt_out_button, round_closed_subscribers
from bot.classifier import classifier_ready, draft_note, load_chat_memory
from bot.context import BotContext
from bot.core.checkin import Ask, CheckinRound, allowed, answer_target
from bot.core.journey import clean_text, has_words, parse_id, require_words, split_items
from bot.core.model import Chat, Dialog, Note, NoWords
from bot.core.permissions import Action
from bot.dialogs import Flow, State, new_dialog, store
from bot.flows.add_note import map_of_chat_or_new
from bot.flows.schedule import Plan, refresh, schedule_flow, status
from bot.permissions import require
from bot.reminders import deliver_soon
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import note_label
from storage.chats import get_chat
from storage.checkins import (
    ask_by_question,
    close_early,
    delete_checkin_schedule,
    get_checkin_schedule,
    get_member,
    get_round,
    groups_with_checkins,
    list_members,
    open_round,
    record_answer,
    round_asks,
    round_of_group_question,
    save_checkin_schedule,
    set_checkins_off,
    set_checkins_paused,
    start_round,
    waiting_asks,
    waiting_private_asks,
)
from storage.db import utcnow
from storage.inbox import owed_note_id, record_note, start_update
from storage.notes import add_note

PICKING = "picking"


# — the schedule (an administrator's conversation in the group) —


def _more_lines(db, lang: str, dialog: Dialog, schedule) -> list[str]:
    """Who is asked (privately or in the group), who opted out, and the round running."""
    members = list_members(db, dialog.chat_id)
    asked = [m for m in members if not m.checkins_off]
    lines = []
    if asked:
        names = ", ".join(esc(m.first_name) + ("" if m.has_private_chat else " 👥") for m in asked)
        lines.append(t(lang, "checkin.asked", count=len(asked), people=names))
    else:
        lines.append(t(lang, "checkin.nobody"))
    off = [m for m in members if m.checkins_off]
    if off:
        lines.append(t(lang, "checkin.opted_out", people=", ".join(esc(m.first_name) for m in off)))
    running = open_round(db, dialog.chat_id)
    if running is not None:
        asks = round_asks(db, running.id)
        answered = sum(a.answered_at is not None for a in asks)
        lines.append(t(lang, "checkin.running", answered=answered, count=len(asks)))
    if any(not m.has_private_chat for m in asked):
        lines.append(t(lang, "checkin.who_counts"))
    return lines


def _more_buttons(db, lang: str, dialog: Dialog, schedule) -> list[list[tuple[str, str]]]:
    """Ask now — or, while a round is open, what pressing it does: it ends that round (its
    summary is posted, naming who has not answered yet) and asks everyone again."""
    if schedule is None:
        return []
    label = "button.checkin_again" if open_round(db, dialog.chat_id) else "button.checkin_now"
    return [[(t(lang, label), CHECKINS.button("now"))]]


async def ask_now_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Ask now: a round starts at once (a round still open is closed first, which is said)."""
    schedule = get_checkin_schedule(context.db, dialog.chat_id)
    note = t(context.lang, "checkin.nobody")
    if schedule is not None:
        now = utcnow()
        running = open_round(context.db, dialog.chat_id)
        asks = round_asks(context.db, running.id) if running is not None else []
        with context.db.atomic():
            subscribers = round_closed_subscribers(context.application)
            started = start_round(context.db, schedule, now, now, subscribers)
        if started is not None:
            note = t(context.lang, "checkin.started")
            if running is not None:
                note = t(
                    context.lang,
                    "checkin.restarted",
                    date=local_date(running.started_at, schedule.timezone),
                    answered=sum(a.answered_at is not None for a in asks),
                    count=len(asks),
                )
            deliver_soon(context.application)
        elif open_round(context.db, dialog.chat_id) is not None:
            note = t(context.lang, "checkin.started")  # pressed twice: the round just started
    return await refresh(update, context, dialog, plan=CHECKINS, note=note)


CHECKINS = Plan(
    "ci",
    "checkin",
    get=lambda db, dialog: get_checkin_schedule(db, dialog.chat_id),
    save=lambda db, dialog, rule, timezone, **kw: save_checkin_schedule(
        db, dialog.chat_id, rule, timezone, **kw
    ),
    set_paused=lambda db, dialog, _, paused, now: set_checkins_paused(
        db, dialog.chat_id, paused, now
    ),
    delete=lambda db, dialog, _: delete_checkin_schedule(db, dialog.chat_id),
    title=lambda lang, dialog: t(lang, "checkin.title", group=esc(dialog.data["group"])),
    removed=lambda lang, dialog: t(lang, "checkin.removed", group=esc(dialog.data["group"])),
    texts="checkin",
    more_lines=_more_lines,
    more_buttons=_more_buttons,
    steps={"now": ask_now_pressed},
)
FLOW = schedule_flow(CHECKINS)


async def checkin_command(update: Update, context: BotContext) -> Dialog | None:
    """/checkin: the group's check-ins (administrators); /checkin off|on: the sender's own;
    in private: the sender's groups with check-ins."""
    argument = (context.args[0].lower() if context.args else "").strip()
    chat = context.chat_record
    if not chat.is_group:
        await reply(update, *my_checkins(context, update.effective_user.id))
        return None
    if argument in ("off", "on"):
        await _toggle_own(update, context, chat, off=argument == "off")
        return None
    await require(update, context, Action.SCHEDULE)
    dialog = new_dialog(update, FLOW, "choosing", group=chat.title or "")
    await reply(update, *status(context, dialog, CHECKINS))
    return dialog


async def _toggle_own(update: Update, context: BotContext, chat: Chat, *, off: bool) -> None:
    user = update.effective_user
    set_checkins_off(context.db, chat.id, user.id, off)
    _close_if_complete(context, chat.id)
    key = "checkin.off_done" if off else "checkin.on_done"
    await reply(update, t(context.lang, key, group=esc(chat.title or "")))


def my_checkins(context: BotContext, user_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """A person's groups with check-ins, each with its opt-out / opt-in button."""
    lang, groups = context.lang, groups_with_checkins(context.db, user_id)
    if not groups:
        return t(lang, "checkin.no_groups"), None
    lines = [t(lang, "checkin.mine")]
    buttons = []
    for group_id, title, off in groups:
        state = "checkin.mine_off" if off else "checkin.mine_on"
        lines.append(t(lang, state, group=esc(title)))
        label, data = opt_out_button(lang, group_id, off=off)
        buttons.append((f"{label} · {title}", data))
    return "\n".join(lines), keyboards.column(buttons)


# — buttons under a question: Nothing this time, Don't ask me, Ask me again —


async def checkin_button(update: Update, context: BotContext) -> None:
    """ "ck:<action>:<id>": none (round id), off / on (group id); checked against who presses
    and where: a forged or stale button changes nothing."""
    query, lang = update.callback_query, context.lang
    _, action, raw = [*query.data.split(":", 2), "", ""][:3]
    key = parse_id(raw.lstrip("-"))
    user = update.effective_user
    here = update.effective_chat
    if action in ("off", "on") and key is not None:
        group_id = -key if raw.startswith("-") else key
        if (here.type != "private" and here.id != group_id) or not set_checkins_off(
            context.db, group_id, user.id, action == "off"
        ):
            await query.answer(t(lang, "error.not_found"), show_alert=True)
            return
        group = get_chat(context.db, group_id)
        _close_if_complete(context, group_id)
        done = "checkin.off_done" if action == "off" else "checkin.on_done"
        await query.answer(t(lang, done, group=group.title or ""), show_alert=True)
        if here.type == "private":
            await _refresh_private_buttons(update, context, group_id, off=action == "off")
        return
    if action == "none" and key is not None:
        await _nothing_this_time(update, context, key)
        return
    await query.answer(t(lang, "stale.button"))


async def _refresh_private_buttons(update, context, group_id: int, *, off: bool) -> None:
    """The private question's buttons follow the person's choice (or /checkin's list)."""
    message = update.callback_query.message
    if message is not None and message.text and t(context.lang, "checkin.mine") in message.text:
        await edit_or_reply(update, *my_checkins(context, update.effective_user.id))
        return
    rows = [list(row) for row in (message.reply_markup.inline_keyboard if message else [])]
    data = f"ck:{'off' if off else 'on'}:{group_id}"
    label, new = opt_out_button(context.lang, group_id, off=off)
    new_rows = [
        [(label, new) if b.callback_data == data else (b.text, b.callback_data) for b in row]
        for row in rows
    ]
    await context.bot.edit_message_reply_markup(
        update.effective_chat.id, message.message_id, reply_markup=keyboards.stacked(*new_rows)
    )


async def _nothing_this_time(update: Update, context: BotContext, round_id: int) -> None:
    """The presser has nothing to report this round: counted as answered, no note."""
    query, lang, user = update.callback_query, context.lang, update.effective_user
    here = update.effective_chat
    group_id = here.id if here.type != "private" else _round_group(context, round_id)
    checkin = get_round(context.db, group_id, round_id) if group_id else None
    if checkin is None or get_member(context.db, checkin.chat_id, user.id) is None:
        await query.answer(t(lang, "error.not_found"), show_alert=True)
        return
    if not checkin.is_open:
        await query.answer(t(lang, "checkin.round_over"), show_alert=True)
        return
    _answered(context, checkin, user.id, 0)
    await query.answer(t(lang, "checkin.nothing_done"), show_alert=here.type != "private")
    if here.type == "private" and query.message is not None:  # the question stays readable
        done = t(lang, "checkin.nothing_done")
        await edit_or_reply(update, f"{query.message.text_html}\n\n{done}")


def _round_group(context: BotContext, round_id: int) -> int | None:
    row = context.db.execute(
        "SELECT chat_id FROM checkin_rounds WHERE id = ?", [round_id]
    ).fetchone()
    return row[0] if row else None


def _answered(context: BotContext, checkin: CheckinRound, user_id: int, notes: int) -> None:
    with context.db.atomic():
        complete = record_answer(context.db, checkin, user_id, notes, utcnow())
        if complete:
            _close_at_first_allowed(context, checkin)


def _close_if_complete(context: BotContext, group_id: int) -> None:
    checkin = open_round(context.db, group_id)
    if checkin is not None and not waiting_asks(context.db, checkin.id):
        _close_at_first_allowed(context, checkin)


def _close_at_first_allowed(context: BotContext, checkin: CheckinRound) -> None:
    """Everyone answered: the round closes now, or when quiet hours or the weekend end."""
    schedule = get_checkin_schedule(context.db, checkin.chat_id)
    now = utcnow()
    close_early(context.db, checkin, allowed(schedule, now) if schedule else now)
    deliver_soon(context.application)


# — answers —


async def answer_received(
    update: Update, context: BotContext, *, replies_only: bool = False
) -> bool:
    """Stores the message as a check-in answer if it is one (see the module); False if it is
    not (it is then an ordinary note). `replies_only`: only a reply to a check-in question
    counts — while the person's conversation waits for its own answer, a reply to the
    question is still the answer to it, and any other message is the conversation's."""
    message = update.effective_message
    target = answered_checkin(
        context.db, message, update.effective_user.id, context.bot.id,
        in_group=context.chat_record.is_group, replies_only=replies_only,
    )  # fmt: skip
    if target is None:
        return False
    if isinstance(target, list):
        await _ask_which_group(update, context, target)
        return True
    if isinstance(target, Ask):
        target = get_round(context.db, target.chat_id, target.round_id)
    await store_answer(update, context, target, message.text)
    return True


def answered_checkin(
    db: Database,
    message: Message,
    user_id: int,
    bot_id: int,
    *,
    in_group: bool,
    replies_only: bool = False,
) -> CheckinRound | Ask | list[Ask] | None:
    """What a typed message answers among check-ins (read only): in a group, the round whose
    question it replies to; in a private chat, the question it replies to, else (unless
    `replies_only`) the one still waiting (several: a list, the person is asked which group);
    None: nothing, it is a note."""
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user and replied.from_user.id == bot_id
    if in_group:
        return round_of_group_question(db, message.chat_id, replied.message_id) if to_bot else None
    if to_bot:
        return ask_by_question(db, user_id, replied.message_id)
    if replies_only:
        return None
    return answer_target(waiting_private_asks(db, user_id), None)


async def _ask_which_group(update: Update, context: BotContext, asks: list[Ask]) -> None:
    """The person has questions of several groups waiting: which group is this answer for?"""
    text = require_words(clean_text(update.effective_message.text))
    dialog = new_dialog(update, ANSWER_FLOW, PICKING, text=text, rounds=[a.round_id for a in asks])
    await ask_group(update, context, dialog)
    store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)
    context.application.update_queue.answered(update)


async def ask_group(update: Update, context: BotContext, dialog: Dialog) -> None:
    choices = []
    for round_id in dialog.data["rounds"]:
        group_id = _round_group(context, round_id)
        group = get_chat(context.db, group_id) if group_id else None
        if group is not None:
            choices.append((group.title or str(group.id), ANSWER_FLOW.button("pick", round_id)))
    await reply(update, t(context.lang, "checkin.which_group"), keyboards.column(choices))


async def group_picked(update: Update, context: BotContext, dialog: Dialog, raw: str) -> None:
    """The group the waiting answer is for: stored there."""
    round_id = parse_id(raw)
    group_id = _round_group(context, round_id) if round_id in dialog.data["rounds"] else None
    checkin = get_round(context.db, group_id, round_id) if group_id else None
    if checkin is None:
        await update.callback_query.answer(t(context.lang, "error.not_found"), show_alert=True)
        return None
    await update.callback_query.answer()
    await store_answer(update, context, checkin, dialog.data["text"], claimed=True)
    return None


async def store_answer(
    update: Update,
    context: BotContext,
    checkin: CheckinRound,
    text: str,
    *,
    claimed: bool = False,
) -> list[Note]:
    """Each item of the answer becomes a note of its author on the group's active map (one
    transaction; a replay after a crash stores nothing twice); the author is thanked."""
    db, bot_id, update_id = context.db, context.bot.id, update.update_id
    user, lang = update.effective_user, context.lang
    group = get_chat(db, checkin.chat_id)
    if not claimed and owed_note_id(db, bot_id, update_id) is not None:
        await reply(update, t(lang, "checkin.thanks_again"))
        return []
    items = [item for item in split_items(clean_text(text), group.lang) if has_words(item)]
    if not items:
        raise NoWords()
    journey = map_of_chat_or_new(db, group, user.id)
    await classifier_ready()
    if not claimed:
        start_update(db, bot_id, update_id, replayable=True)
    memory = await load_chat_memory(db, group.id)
    drafts = [await draft_note(item, group.lang, memory=memory) for item in items]
    notes = []
    with db.atomic():
        for draft in drafts:
            stage = journey.stage_for_key(draft.stage_key)
            notes.append(
                add_note(
                    db, group.id, journey.id, stage.id if stage else None,
                    replace(draft, source="checkin"), user.id,
                )
            )  # fmt: skip
        if not claimed:
            record_note(db, bot_id, update_id, notes[0].id)
        complete = record_answer(db, checkin, user.id, len(notes), utcnow())
        if complete and checkin.is_open:
            _close_at_first_allowed(context, checkin)
    if update.effective_chat.id == group.id:  # in the group: a reaction and the combined list
        for note in notes:
            await context.bot_data["group_acks"].note_stored(update, context.application, note.id)
        return notes
    labels = "\n".join(note_label(lang, journey, note) for note in notes)
    title, name = esc(group.title or ""), esc(journey.name)
    await reply(update, t(lang, "checkin.thanks", group=title, name=name, notes=labels))
    context.application.update_queue.answered(update)  # a crash from here must not repeat it
    return notes


ANSWER_FLOW = Flow(
    "cq",
    command="checkin",
    states={PICKING: State(ask_group, buttons={"pick": group_picked})},
)
