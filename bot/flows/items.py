"""Owners and due dates of pain points and opportunities: /assign, /todo, the item buttons and
the due-date reminder.

Item buttons are stateless and carry the note's id: `ib:<action>:<note id>[:<date>]:<where>`,
where `where` says which message they sit under — `c` a note's card (/note N), `t` a /todo
list, `r` a due-date reminder — and so what the message becomes after the press. A press in
the note's own chat is checked against the chat's policy (Action.ASSIGN: members change items
that are theirs — they own it, or wrote it and nobody owns it —, administrators any, everyone
when "everyone edits" is on). A press elsewhere (a /todo or a reminder in the owner's private
chat) acts only for the item's owner who is still a member of the item's chat.

"Pick a date…" asks for a typed date in a conversation of its own (flow `it`), so the answer
is never taken for a note.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import keyboards
from bot.context import BotContext
from bot.core.dates import next_week, parse_due_date, this_week
from bot.core.items import local_today, next_team_day, overdue_first
from bot.core.journey import parse_id, shorten
from bot.core.model import Dialog, JourneyMap, Note, NotFound
from bot.core.permissions import Action, Role
from bot.dialogs import Flow, State, new_dialog
from bot.flows.common import (
    active_map,
    alert_on_note_map,
    due_date_pressed,
    note_by_number,
    on_map,
    refuse_typed_date,
    today_here,
)
from bot.permissions import allowed, is_in_chat, member_role, refuse_press, require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from bot.views import format_day, item_status, mention
from storage.chats import find_user_by_username, get_chat, get_user, remember_user
from storage.db import utcnow
from storage.items import (
    KEEP,
    due_reminder_rules,
    open_items,
    owner_open_items,
    reopen_item,
    resolve_item,
    set_owner_and_due,
)
from storage.maps import get_map
from storage.notes import get_note, note_exists

TYPING_DATE = "date"
CARD, TODO, REMINDER = "c", "t", "r"
WHERE = (CARD, TODO, REMINDER)
MAX_TODO_BUTTONS = 8
# "/assign 5 me friday": the caller, in every language
ME = frozenset({"me", "mnie", "ja", "мене", "мені", "я", "мен", "аз", "мне"})


def own_item(note: Note, user_id: int) -> bool:
    """The item is this person's: they own it, or they wrote it and nobody owns it."""
    return note.owner_id == user_id or (note.owner_id is None and note.author_id == user_id)


# --- /assign N @person [date] ----------------------------------------------------------------


async def assign_command(update: Update, context: BotContext) -> None:
    """/assign N [@person] [date]: gives item N of the active map an owner and a due date."""
    lang, args = context.lang, list(context.args or [])
    number = parse_id(args[0].lstrip("#")) if args else None
    if number is None:
        await reply(update, t(lang, "assign.usage"))
        return
    journey = active_map(context)
    note = await _numbered_item(update, context, journey, number)
    if note is None:
        return
    owner = await _person(update, context, args[1:])
    if owner is None:
        return
    person, rest = owner
    due: date | str | None = KEEP
    if rest:
        due = parse_due_date(" ".join(rest), today_here(context))
    caller = update.effective_user.id
    taking = person.id == caller and note.owner_id in (None, caller)
    await require(update, context, Action.ASSIGN, own=taking or own_item(note, caller))
    note = set_owner_and_due(context.db, journey.chat_id, note.id, person.id, due, now=utcnow())
    await reply(update, on_map(context, journey, _assigned_text(context, note, person)))


async def _numbered_item(
    update: Update, context: BotContext, journey: JourneyMap, number: int
) -> Note | None:
    """Note `number` of the map if it is an open item; otherwise the user is told why not."""
    lang = context.lang
    note = await note_by_number(update, context, journey, number)
    if note is None:
        return None
    if not note.is_item:
        kind = t(lang, f"kind.{note.kind}").lower()
        await reply(update, on_map(context, journey,
                                   t(lang, "item.not_item", number=number, kind=kind)))
        return None
    if note.is_resolved:
        await reply(update, on_map(context, journey,
                                   t(lang, "assign.resolved_first", number=number)))
        return None
    return note


async def _person(update: Update, context: BotContext, args: list[str]):
    """(the person the command names, the words after them): an @username the bot has seen, a
    mention of someone without a username, "me" — or the caller when no one is named."""
    message = update.effective_message
    for entity in message.entities or ():
        if entity.type == "text_mention" and entity.user:
            named = message.parse_entity(entity)
            words = " ".join(args)
            rest = words.replace(named, " ", 1).split() if named in words else args[1:]
            mentioned = entity.user  # Telegram names them: the bot has seen them now
            user = remember_user(context.db, mentioned.id, mentioned.first_name,
                                 mentioned.username, mentioned.language_code)
            if not await _is_member(context, update.effective_chat.id, user.id):
                await reply(update, t(context.lang, "item.not_member", person=esc(named)))
                return None
            return user, rest
    if args and args[0].startswith("@"):
        user = find_user_by_username(context.db, args[0])
        if user is None or not await _is_member(context, update.effective_chat.id, user.id):
            key = "item.unknown_person" if user is None else "item.not_member"
            await reply(update, t(context.lang, key, person=esc(args[0])))
            return None
        return user, args[1:]
    caller = get_user(context.db, update.effective_user.id)
    if args and args[0].lower() in ME:
        return caller, args[1:]
    return caller, args


async def _is_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether the person is (still) in the chat: always in a private chat, the one person."""
    chat = get_chat(context.db, chat_id)
    if chat is None or not chat.is_group:
        return chat_id == user_id
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return is_in_chat(member)


async def role_of(context: BotContext, chat_id: int, user_id: int) -> Role:
    """Someone's role in a chat that may not be the one the update came from."""
    if chat_id == user_id:
        return Role.ADMIN
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return Role.OUTSIDER
    return member_role(member)


def _assigned_text(context: BotContext, note: Note, person) -> str:
    lang = context.lang
    return t(
        lang,
        "assign.done",
        number=note.number,
        text=esc(shorten(note.text, 80)),
        owner=mention(person),
        status=item_status(lang, note, today_here(context), owner=False),
    )


# --- /todo -----------------------------------------------------------------------------------


async def todo_command(update: Update, context: BotContext) -> None:
    """/todo: the caller's open items — of this group, or of every chat in a private chat."""
    text, keyboard = todo_message(context, update.effective_user.id)
    await reply(update, text, keyboard)


def todo_message(context: BotContext, owner_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The owner's open items, overdue first, with a Resolved button for the first few."""
    lang, chat = context.lang, context.chat_record
    everywhere = not chat.is_group
    rows = owner_open_items(context.db, owner_id, chat_id=None if everywhere else chat.id)
    unowned = _unowned_line(context)
    if not rows:
        return "\n\n".join(filter(None, [t(lang, "todo.none"), unowned])), None
    today = today_here(context)
    notes = overdue_first([note for note, _, _ in rows], today)
    where = {note.id: (map_name, title) for note, map_name, title in rows}
    lines = [t(lang, "todo.title_all" if everywhere else "todo.title", count=len(notes))]
    heading = None
    for note in sorted(notes, key=lambda n: (where[n.id][1] or "",)) if everywhere else notes:
        map_name, title = where[note.id]
        if everywhere and title != heading:
            heading = title
            lines += ["", f"<b>{esc(title or '?')}</b>"]
        lines.append(
            t(
                lang,
                "todo.line",
                number=note.number,
                text=esc(shorten(note.text, 80)),
                map=esc(map_name),
                status=item_status(lang, note, today, owner=False),
            )
        )
    if unowned:
        lines += ["", unowned]
    buttons = [
        (f"✓ #{note.number} {shorten(note.text, 30)}", f"ib:res:{note.id}:{TODO}")
        for note in notes[:MAX_TODO_BUTTONS]
    ]
    return "\n".join(lines), keyboards.column(buttons)


def _unowned_line(context: BotContext) -> str | None:
    """This chat's open items that have a due date and nobody owns (they count in /insights'
    open items, but are nobody's /todo): named, so the two views agree — each with its map's
    name when they come from several maps, as the owners' lines above have."""
    chat = context.chat_record
    unowned = [n for n in open_items(context.db, chat.id) if n.owner_id is None]
    if not unowned:
        return None
    listed = unowned[:MAX_UNOWNED_LISTED]
    map_names: dict[int, str] = {}
    if any(n.map_id != chat.active_map_id for n in unowned):  # "#1" could mean another map's
        for map_id in {n.map_id for n in listed}:
            journey = get_map(context.db, chat.id, map_id)
            map_names[map_id] = f" — <i>{esc(journey.name)}</i>" if journey else ""
    items = [f"#{n.number} {esc(shorten(n.text, 40))}{map_names.get(n.map_id, '')}"
             for n in listed]
    if len(unowned) > MAX_UNOWNED_LISTED:
        items.append(t(context.lang, "insights.more", count=len(unowned) - MAX_UNOWNED_LISTED))
    if map_names:  # /assign N takes the active map's #N: say which map that is
        active = get_map(context.db, chat.id, chat.active_map_id)
        return t(context.lang, "todo.unowned_maps", items="; ".join(items),
                 map=esc(active.name if active else "?"))
    return t(context.lang, "todo.unowned", items="; ".join(items))


MAX_UNOWNED_LISTED = 5


# --- the item buttons ------------------------------------------------------------------------


def item_buttons(lang: str, note: Note, where: str) -> list[list[tuple[str, str]]]:
    """The rows of item buttons under a note's card: Assign to me, Due date, Resolved (or
    Reopen once resolved)."""
    if not note.is_item:
        return []
    if note.is_resolved:
        return [[(t(lang, "button.reopen"), f"ib:reopen:{note.id}:{where}")]]
    return [
        [
            (t(lang, "button.assign_me"), f"ib:mine:{note.id}:{where}"),
            (t(lang, "button.due_date"), f"ib:due:{note.id}:{where}"),
        ],
        [(t(lang, "button.resolved"), f"ib:res:{note.id}:{where}")],
    ]


def date_choice_rows(
    lang: str, today: date, data: str
) -> list[list[tuple[str, str]]]:
    """This week · Fri 11 Dec / Next week · Fri 18 Dec / Pick a date… / No date: `data` is the
    callback data with `{}` where the choice goes."""
    week, later = this_week(today), next_week(today)
    return [
        [
            (t(lang, "button.this_week", date=format_day(lang, week)), data.format(week)),
            (t(lang, "button.next_week", date=format_day(lang, later)), data.format(later)),
        ],
        [
            (t(lang, "button.pick_date"), data.format("type")),
            (t(lang, "button.no_date"), data.format("none")),
        ],
    ]


def date_choices(lang: str, today: date, data: str, *, back: str) -> InlineKeyboardMarkup:
    """The date choices, then Back."""
    rows = date_choice_rows(lang, today, data)
    return keyboards.stacked(*rows, [(t(lang, "button.back"), back)])


async def item_button(update: Update, context: BotContext) -> None:
    """Every item button: `ib:<action>:<note id>[:<choice>]:<where>`."""
    query = update.callback_query
    _, action, note_id, *rest = [*query.data.split(":"), ""]
    rest = [part for part in rest if part]
    where = rest[-1] if rest else ""
    step = ITEM_BUTTONS.get(action)
    note = _pressed_note(context, update, note_id)
    if step is None or where not in WHERE:
        await query.answer(t(context.lang, "stale.button"))
        return
    if note is None:
        gone = parse_id(note_id) is not None and not note_exists(context.db, int(note_id))
        await query.answer(
            t(context.lang, "note.gone" if gone else "error.not_found"), show_alert=True
        )
        return
    if not note.is_item:  # made another kind since the button was sent
        kind = t(context.lang, f"kind.{note.kind}")
        await query.answer(alert_on_note_map(context, note, t(
            context.lang, "item.not_item", number=note.number, kind=kind)), show_alert=True)
        return
    if not await _may_change(update, context, note, taking=action == "mine"):
        return
    await step(update, context, note, rest[:-1], where)


def _pressed_note(context: BotContext, update: Update, note_id: str) -> Note | None:
    """The note a button points at: one of this chat's, or — in a private chat — one the
    presser owns in another chat."""
    wanted = parse_id(note_id)
    if wanted is None:
        return None
    note = get_note(context.db, update.effective_chat.id, wanted)
    if note is None and update.effective_chat.type == "private":
        row = context.db.execute(
            "SELECT chat_id FROM notes WHERE id = ? AND owner_id = ?",
            [wanted, update.effective_user.id],
        ).fetchone()
        note = get_note(context.db, row[0], wanted) if row else None
    return note


async def _may_change(update: Update, context: BotContext, note: Note, *, taking: bool) -> bool:
    """The chat's policy for a press in the item's chat; from elsewhere, only its owner who is
    still a member of its chat. A refused press gets an alert."""
    user_id = update.effective_user.id
    own = own_item(note, user_id) or (taking and note.owner_id in (None, user_id))
    if note.chat_id == update.effective_chat.id:
        if await allowed(update, context, Action.ASSIGN, own=own):
            return True
        await refuse_press(update, context, "error.not_your_item")
        return False
    if note.owner_id == user_id and await _is_member(context, note.chat_id, user_id):
        return True
    await refuse_press(update, context, "error.not_your_item")
    return False


async def _mine(update, context, note: Note, rest, where) -> None:
    """Assign to me: the presser owns the item; the date choices follow."""
    if note.is_resolved:
        await _already_resolved(update, context, note, where)
        return
    note = set_owner_and_due(context.db, note.chat_id, note.id, update.effective_user.id,
                             now=utcnow())
    await update.callback_query.answer(t(context.lang, "review.assigned"))
    await _show_date_choices(update, context, note, where)


async def _due(update, context, note: Note, rest, where) -> None:
    """Due date: the date choices."""
    if note.is_resolved:
        await _already_resolved(update, context, note, where)
        return
    await update.callback_query.answer()
    await _show_date_choices(update, context, note, where)


async def _show_date_choices(update, context, note: Note, where: str) -> None:
    lang = context.lang
    keyboard = date_choices(
        lang, _today_of(context, note), f"ib:set:{note.id}:{{}}:{where}",
        back=f"ib:back:{note.id}:{where}",
    )
    text = t(lang, "item.pick_date", number=note.number, text=esc(shorten(note.text, 80)))
    journey = get_map(context.db, note.chat_id, note.map_id)
    await edit_or_reply(update, on_map(context, journey, text) if journey else text, keyboard)


async def _set(update, context, note: Note, rest, where) -> None:
    """A date choice (or No date; Pick a date… asks for a typed one)."""
    if note.is_resolved:
        await _already_resolved(update, context, note, where)
        return
    typing = new_dialog(update, FLOW, TYPING_DATE, note_id=note.id, chat_id=note.chat_id)
    note = await due_date_pressed(update, context, note, rest[0] if rest else "",
                                  _today_of(context, note), typing, ask_date)
    if note is not None:
        await _redraw(update, context, note, where, moved=True)


async def _resolve(update, context, note: Note, rest, where) -> None:
    """Resolved: the item is closed, with who and when."""
    query = update.callback_query
    if note.is_resolved:
        await _already_resolved(update, context, note, where)
        return
    owner = note.owner_id
    note = resolve_item(context.db, note.chat_id, note.id, update.effective_user.id, utcnow())
    await query.answer(t(context.lang, "item.resolved_answer"))
    await _redraw(update, context, note, where, list_of=owner)


async def _already_resolved(update, context, note: Note, where: str) -> None:
    """A button of an older message for an item resolved since: says so, shows it as it is."""
    await update.callback_query.answer(t(context.lang, "item.already_resolved"))
    await _redraw(update, context, note, where)


async def _reopen(update, context, note: Note, rest, where) -> None:
    query = update.callback_query
    if not note.is_resolved:  # reopened since
        await query.answer(t(context.lang, "item.already_open"))
        await _redraw(update, context, note, where)
        return
    note = reopen_item(context.db, note.chat_id, note.id, utcnow())
    await query.answer(t(context.lang, "item.reopened"))
    await _redraw(update, context, note, where)


async def _back(update, context, note: Note, rest, where) -> None:
    await update.callback_query.answer()
    await _redraw(update, context, note, where)


async def _redraw(
    update, context, note: Note, where: str, list_of: int | None = None, moved: bool = False
) -> None:
    """The message the button sat under, as it is now: the note's card, the /todo list or
    the reminder (`moved`: its date was just changed there)."""
    from bot.flows.add_note import CARD as CARD_MODE
    from bot.flows.add_note import message_for  # add_note shows these buttons on its cards

    if where == CARD:
        journey = get_map(context.db, note.chat_id, note.map_id)
        if journey is None:
            raise NotFound()
        await edit_or_reply(update, *message_for(context, journey, note, CARD_MODE))
    elif where == TODO:
        owner = list_of or note.owner_id or update.effective_user.id
        await edit_or_reply(update, *todo_message(context, owner))
    else:  # the reminder keeps naming its owner (it lost "🙋 Anna" at the first press)
        owner = get_user(context.db, note.owner_id) if note.owner_id else None
        text, keyboard = due_reminder_message(
            context.db, context.lang, note, _today_of(context, note), moved=moved,
            addressed=esc(owner.display_name) if owner else "")
        await edit_or_reply(update, text, keyboard)


def _today_of(context: BotContext, note: Note) -> date:
    """Today in the time zone of the item's chat."""
    chat = get_chat(context.db, note.chat_id)
    return local_today(utcnow(), chat.timezone if chat else "UTC")


ITEM_BUTTONS = {
    "mine": _mine,
    "due": _due,
    "set": _set,
    "res": _resolve,
    "reopen": _reopen,
    "back": _back,
}


# --- a typed date ----------------------------------------------------------------------------


async def ask_date(update: Update, context: BotContext, dialog: Dialog) -> None:
    note = get_note(context.db, dialog.data["chat_id"], dialog.data["note_id"])
    if note is None:
        raise NotFound()
    asked = t(context.lang, "item.ask_date", number=note.number)
    journey = get_map(context.db, note.chat_id, note.map_id)
    await reply(update, on_map(context, journey, asked) if journey else asked)


async def date_typed(update: Update, context: BotContext, dialog: Dialog) -> Dialog | None:
    """The typed date becomes the item's due date; a date not understood is asked again."""
    note = get_note(context.db, dialog.data["chat_id"], dialog.data["note_id"])
    if await refuse_typed_date(update, context, note):
        return None
    day = parse_due_date(update.effective_message.text or "", _today_of(context, note))
    note = set_owner_and_due(context.db, note.chat_id, note.id, KEEP, day, now=utcnow())
    journey = get_map(context.db, note.chat_id, note.map_id)
    if journey is not None and note.chat_id == update.effective_chat.id:
        from bot.flows.add_note import CARD as CARD_MODE
        from bot.flows.add_note import message_for

        await reply(update, *message_for(context, journey, note, CARD_MODE))
    else:
        await reply(update, t(context.lang, "item.due_set", date=format_day(context.lang, day)))
    return None


FLOW = Flow("it", command="assign", states={TYPING_DATE: State(ask_date, text=date_typed)})


# --- the due-date reminder -------------------------------------------------------------------


def due_reminder_message(
    db, lang: str, note: Note, today: date, *, addressed: str = "", moved: bool = False
) -> tuple[str, InlineKeyboardMarkup | None]:
    """ "⏰ Due today: #5 card payment fails", where it is (map · chat), then "🙋 Anna · 📅 Mon,
    Dec 7 · ⏰ due today" (`addressed`: a mention in a group) with Resolved, Tomorrow and Next
    week; once resolved, who and when instead, and no buttons. A date still to come is a
    weekend day the team skips (reminded ahead) — or, `moved` by the reminder's Tomorrow or
    Next week, the new date, to be reminded again; a later day is never called a weekend day
    (a Tuesday moved to from a Monday reminder was)."""
    journey = get_map(db, note.chat_id, note.map_id)
    chat = get_chat(db, note.chat_id)
    skip_weekends = due_reminder_rules(db, note.chat_id, note.map_id)["skip_weekends"]
    if note.due_on is not None and note.due_on < today:
        key = "due.reminder_late"
    elif note.due_on is not None and note.due_on > today:
        weekend = skip_weekends and note.due_on.weekday() >= 5
        key = ("due.reminder_moved" if moved and not note.is_resolved
               else "due.reminder_ahead" if weekend else "due.reminder_due")
    else:
        key = "due.reminder"
    lines = [
        t(
            lang,
            key,
            number=note.number,
            text=esc(shorten(note.text, 200)),
            date=format_day(lang, note.due_on) if note.due_on else "",
        ),
        t(
            lang,
            "due.where",
            map=esc(journey.name if journey else "?"),
            chat=esc((chat.title if chat else None) or "?"),
        ),
    ]
    status = item_status(lang, note, today, owner=False)
    who = [t(lang, "item.owner", owner=addressed)] if addressed and not note.is_resolved else []
    if who or status:
        lines.append(" · ".join([*who, status] if status else who))
    if note.is_resolved:
        return "\n".join(lines), None
    later = next_team_day(today, skip_weekends=skip_weekends)  # Friday: Monday, said so
    move = (t(lang, "button.tomorrow") if later == today + timedelta(days=1)
            else t(lang, "button.move_to", date=format_day(lang, later)))
    keyboard = keyboards.stacked(
        [(t(lang, "button.resolved"), f"ib:res:{note.id}:{REMINDER}")],
        [
            (move, f"ib:set:{note.id}:{later}:{REMINDER}"),
            (
                t(lang, "button.next_week", date=format_day(lang, next_week(today))),
                f"ib:set:{note.id}:{next_week(today)}:{REMINDER}",
            ),
        ],
    )
    return "\n".join(lines), keyboard
