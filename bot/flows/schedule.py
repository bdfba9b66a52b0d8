"""/schedule: how often the active map is reviewed, in the chat's time zone.

One status message, edited in place: presets (weekly, every two weeks, monthly), a custom day
and time, the time zone (asked once per chat), weekends, quiet hours, pause, resume, switch off.

The same conversation plans a group's check-ins (bot/flows/checkin.py): `schedule_flow(plan)`
builds it for a `Plan`, which says where the schedule is kept and what the status adds.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.context import BotContext
from bot.core.journey import capitalized, parse_id, shorten
from bot.core.model import Dialog, NotFound
from bot.core.permissions import Action
from bot.core.schedule import (
    QuietHours,
    ReviewRule,
    Schedule,
    UnknownTimezone,
    parse_time,
    parse_utc_offset,
    zone,
)
from bot.core.vocabulary import fold
from bot.dialogs import ButtonStep, Flow, State, new_dialog
from bot.flows.common import active_map
from bot.permissions import permitted_press, require
from bot.replies import edit_or_reply, esc, reply
from bot.texts import t
from storage.chats import get_chat, set_chat_timezone
from storage.db import utcnow
from storage.items import replan_reminders
from storage.reminders import (
    delete_schedule,
    get_schedule,
    get_schedule_by_id,
    postpone,
    save_schedule,
    set_paused,
)

CHOOSING, CONFIRMING_TIMEZONE, TYPING_TIMEZONE, TYPING_TIME = (
    "choosing",
    "confirming_timezone",
    "typing_timezone",
    "typing_time",
)
DEFAULT_TIME = time(10, 0)
TIME_CHOICES = (time(9), time(10), time(12), time(16))
QUIET_PRESETS = (None, QuietHours(time(21), time(8)), QuietHours(time(20), time(9)))

# Cities people type in their own language, beyond the English names zoneinfo knows; folded
# ("Kraków" is typed as "krakow" too).
CITY_ALIASES = {
    "warszawa": "Europe/Warsaw",
    "krakow": "Europe/Warsaw",
    "wroclaw": "Europe/Warsaw",
    "gdansk": "Europe/Warsaw",
    "poznan": "Europe/Warsaw",
    "lodz": "Europe/Warsaw",
    "polska": "Europe/Warsaw",
    "київ": "Europe/Kyiv",
    "киев": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "львів": "Europe/Kyiv",
    "lviv": "Europe/Kyiv",
    "харків": "Europe/Kyiv",
    "kharkiv": "Europe/Kyiv",
    "одеса": "Europe/Kyiv",
    "odesa": "Europe/Kyiv",
    "дніпро": "Europe/Kyiv",
    "україна": "Europe/Kyiv",
    "софия": "Europe/Sofia",
    "пловдив": "Europe/Sofia",
    "plovdiv": "Europe/Sofia",
    "варна": "Europe/Sofia",
    "varna": "Europe/Sofia",
    "бургас": "Europe/Sofia",
    "burgas": "Europe/Sofia",
    "българия": "Europe/Sofia",
}


def timezone_from_text(text: str) -> str:
    """A zone name from a city ("Warszawa", "London") or an offset ("UTC+2")."""
    offset = parse_utc_offset(text)
    if offset:
        return offset
    wanted = fold(text.strip()).replace(" ", "_")
    if wanted in CITY_ALIASES:
        return CITY_ALIASES[wanted]
    for name in sorted(zoneinfo.available_timezones()):
        if fold(name) == wanted or fold(name.rpartition("/")[2]) == wanted:
            return name
    raise UnknownTimezone(name=shorten(text, 40))


def describe_when(lang: str, moment: datetime, timezone: str) -> str:
    """A review time as the team reads it: weekday, day.month, hh:mm in their time zone."""
    local = moment.astimezone(zone(timezone))
    return t(
        lang,
        "schedule.when",
        weekday=t(lang, f"weekday.{local.weekday()}"),
        date=local.strftime("%d.%m"),
        time=local.strftime("%H:%M"),
    )


@dataclass(frozen=True)
class Plan:
    """What a schedule conversation plans: where its schedule is kept (functions of the
    database and the conversation), its heading, and what its status adds (lines, buttons —
    whose steps go in `steps`)."""

    flow: str
    command: str
    get: Callable[..., Schedule | None]  # (db, dialog)
    save: Callable[..., Schedule]  # (db, dialog, rule, timezone, *, now, created_by, options)
    set_paused: Callable[..., None]  # (db, dialog, schedule, paused, now)
    delete: Callable[..., None]  # (db, dialog, schedule)
    title: Callable[[str, Dialog], str]  # (lang, dialog)
    removed: Callable[[str, Dialog], str]
    texts: str = "schedule"  # the prefix of its own "none", "next", "options_weekends" texts
    more_lines: Callable[..., list[str]] = lambda db, lang, dialog, schedule: []
    more_buttons: Callable[..., list[list[tuple[str, str]]]] = (
        lambda db, lang, dialog, schedule: []
    )
    steps: dict[str, ButtonStep] = field(default_factory=dict)

    def button(self, action: str, argument: object = "") -> str:
        return f"{self.flow}:{action}:{argument}"


def _review_schedule(db, dialog: Dialog) -> Schedule | None:
    return get_schedule(db, dialog.chat_id, dialog.data["map_id"])


def _save_review_schedule(db, dialog: Dialog, rule: ReviewRule, timezone: str, **kw) -> Schedule:
    return save_schedule(db, dialog.chat_id, dialog.data["map_id"], rule, timezone, **kw)


def _pause_reviews(db, dialog: Dialog, schedule: Schedule, paused: bool, now: datetime) -> None:
    set_paused(db, dialog.chat_id, schedule.id, paused=paused, now=now)


def _delete_reviews(db, dialog: Dialog, schedule: Schedule) -> None:
    delete_schedule(db, dialog.chat_id, schedule.id)


REVIEWS = Plan(
    "sc",
    "schedule",
    get=_review_schedule,
    save=_save_review_schedule,
    set_paused=_pause_reviews,
    delete=_delete_reviews,
    title=lambda lang, dialog: t(lang, "schedule.title", name=esc(dialog.data["map_name"])),
    removed=lambda lang, dialog: t(lang, "schedule.removed", name=esc(dialog.data["map_name"])),
)


def status_text(lang: str, map_name: str, schedule: Schedule | None, timezone: str) -> str:
    """The review schedule of the map called `map_name`, as /schedule shows it."""
    return "\n".join(
        [t(lang, "schedule.title", name=esc(map_name)), *rule_lines(lang, schedule, timezone)]
    )


def rule_lines(
    lang: str, schedule: Schedule | None, timezone: str, texts: str = "schedule"
) -> list[str]:
    """A schedule in words: its rule, time zone, options and next time (or that it is off);
    `texts`: whose "none", "next" and "options_weekends" texts (reviews', check-ins')."""
    if schedule is None:
        return [t(lang, f"{texts}.none"), t(lang, "schedule.timezone", timezone=timezone)]
    rule = schedule.rule
    lines = [
        t(
            lang,
            f"schedule.rule.{rule.frequency}",
            weekday=t(lang, f"weekday.{rule.weekday}"),
            time=rule.at.strftime("%H:%M"),
        )
    ]
    lines.append(t(lang, "schedule.timezone", timezone=schedule.timezone))
    if schedule.skip_weekends:
        lines.append(t(lang, f"{texts}.options_weekends"))
    if schedule.quiet:
        lines.append(
            t(
                lang,
                "schedule.options_quiet",
                start=schedule.quiet.start.strftime("%H:%M"),
                end=schedule.quiet.end.strftime("%H:%M"),
            )
        )
    if schedule.paused:
        lines.append(t(lang, "schedule.paused"))
    elif schedule.next_run_at:
        lines.append(
            t(
                lang,
                f"{texts}.next",
                when=describe_when(lang, schedule.next_run_at, schedule.timezone),
            )
        )
    return lines


def status_keyboard(
    lang: str,
    schedule: Schedule | None,
    timezone: str,
    plan: Plan = REVIEWS,
    more: list[list[tuple[str, str]]] | None = None,
) -> InlineKeyboardMarkup:
    presets = [
        (t(lang, f"button.{f}"), plan.button("preset", f))
        for f in ("weekly", "biweekly", "monthly")
    ]
    rows = [
        presets,
        [(t(lang, "button.custom"), plan.button("custom"))],
        [(t(lang, "button.timezone", timezone=timezone), plan.button("tz"))],
    ]
    if schedule is not None:
        quiet = (
            f"{schedule.quiet.start:%H:%M}–{schedule.quiet.end:%H:%M}"
            if schedule.quiet
            else t(lang, "button.quiet_off")
        )
        weekends = "button.weekends_on" if schedule.skip_weekends else "button.weekends_off"
        rows.append(
            [
                (t(lang, weekends), plan.button("weekends")),
                (t(lang, "button.quiet", hours=quiet), plan.button("quiet")),
            ]
        )
        pause = ("button.resume", "resume") if schedule.paused else ("button.pause", "pause")
        rows.append(
            [
                (t(lang, pause[0]), plan.button(pause[1], pause[1])),
                (t(lang, "button.remove"), plan.button("remove")),
            ]
        )
    rows += more or []
    return keyboards.stacked(*rows)


async def show_schedule(update: Update, context: BotContext) -> Dialog:
    """/schedule: the active map's schedule and next review, with buttons to change it."""
    journey = active_map(context)
    await require(update, context, Action.SCHEDULE)
    dialog = new_dialog(update, FLOW, CHOOSING, map_id=journey.id, map_name=journey.name)
    await reply(update, *status(context, dialog, REVIEWS))
    return dialog


def status(context: BotContext, dialog: Dialog, plan: Plan) -> tuple[str, InlineKeyboardMarkup]:
    """The plan's status message: heading, schedule in words, what the plan adds; buttons."""
    chat = get_chat(context.db, dialog.chat_id)
    schedule = plan.get(context.db, dialog)
    timezone = schedule.timezone if schedule else chat.timezone
    lines = [
        plan.title(context.lang, dialog),
        *rule_lines(context.lang, schedule, timezone, plan.texts),
        *plan.more_lines(context.db, context.lang, dialog, schedule),
    ]
    more = plan.more_buttons(context.db, context.lang, dialog, schedule)
    return "\n".join(lines), status_keyboard(context.lang, schedule, timezone, plan, more)


async def refresh(
    update: Update,
    context: BotContext,
    dialog: Dialog,
    *,
    plan: Plan,
    edit: bool = True,
    note: str | None = None,
) -> Dialog:
    """Shows the status again (in place after a button) with `note` above it."""
    text, keyboard = status(context, dialog, plan)
    if note:
        text = f"{note}\n\n{text}"
    if edit:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)
    return dialog.to(CHOOSING, pending=None)


async def preset_chosen(
    update: Update, context: BotContext, dialog: Dialog, frequency: str, *, plan: Plan
) -> Dialog:
    """Weekly / every two weeks / monthly on Monday 10:00 (or the current day and time)."""
    if frequency not in ("weekly", "biweekly", "monthly"):
        raise NotFound()
    current = plan.get(context.db, dialog)
    weekday, at = (current.rule.weekday, current.rule.at) if current else (0, DEFAULT_TIME)
    rule = ReviewRule(frequency, weekday, at)
    return await _save_or_confirm_timezone(update, context, dialog, rule, plan=plan)


def weekday_buttons(lang: str, plan: Plan = REVIEWS) -> InlineKeyboardMarkup:
    """The seven days, each as a button label (capitalised: "Poniedziałek")."""
    days = [(capitalized(t(lang, f"weekday.{day}")), plan.button("day", day)) for day in range(7)]
    return keyboards.rows(days, 3)


async def custom_chosen(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, plan: Plan
) -> Dialog:
    """Asks for the day of the week."""
    lang = context.lang
    await edit_or_reply(update, t(lang, "schedule.ask_weekday"), weekday_buttons(lang, plan))
    return dialog.to(CHOOSING)


async def day_chosen(
    update: Update, context: BotContext, dialog: Dialog, day: str, *, plan: Plan
) -> Dialog:
    """Stores the day; asks for the time (buttons or typed)."""
    if parse_id(day) is None or not 0 <= int(day) <= 6:
        raise NotFound()
    await edit_or_reply(update, *_time_question(context.lang, plan))
    return dialog.to(TYPING_TIME, weekday=int(day))


def _time_question(lang: str, plan: Plan) -> tuple[str, InlineKeyboardMarkup]:
    choices = [
        (at.strftime("%H:%M"), plan.button("time", at.strftime("%H%M"))) for at in TIME_CHOICES
    ]
    return t(lang, "schedule.ask_time"), keyboards.rows(choices, 4)


async def time_chosen(
    update: Update, context: BotContext, dialog: Dialog, hhmm: str, *, plan: Plan
) -> Dialog:
    if len(hhmm) != 4 or parse_id(hhmm) is None:
        raise NotFound()
    at = parse_time(f"{hhmm[:2]}:{hhmm[2:]}")
    return await _custom_rule(update, context, dialog, at, plan=plan)


async def time_typed(update: Update, context: BotContext, dialog: Dialog, *, plan: Plan) -> Dialog:
    """A typed time for the custom day ("9:30")."""
    at = parse_time(update.effective_message.text)
    return await _custom_rule(update, context, dialog, at, plan=plan)


async def _custom_rule(
    update: Update, context: BotContext, dialog: Dialog, at: time, *, plan: Plan
) -> Dialog:
    current = plan.get(context.db, dialog)
    frequency = current.rule.frequency if current else "weekly"
    rule = ReviewRule(frequency, dialog.data["weekday"], at)
    return await _save_or_confirm_timezone(update, context, dialog, rule, plan=plan)


async def _save_or_confirm_timezone(
    update: Update, context: BotContext, dialog: Dialog, rule: ReviewRule, *, plan: Plan
) -> Dialog:
    chat = get_chat(context.db, dialog.chat_id)
    pending = {"frequency": rule.frequency, "weekday": rule.weekday, "at": rule.at.isoformat()}
    if not chat.timezone_confirmed:
        await _edit_or_send(update, *_timezone_question(context, chat.id, plan))
        return dialog.to(CONFIRMING_TIMEZONE, pending=pending)
    return await _save(update, context, dialog, rule, chat.timezone, plan=plan)


def _timezone_question(
    context: BotContext, chat_id: int, plan: Plan
) -> tuple[str, InlineKeyboardMarkup]:
    lang, chat = context.lang, get_chat(context.db, chat_id)
    keyboard = keyboards.rows(
        [
            (t(lang, "button.yes_timezone"), plan.button("tz_yes")),
            (t(lang, "button.change_timezone"), plan.button("tz")),
        ]
    )
    return t(lang, "schedule.confirm_timezone", timezone=chat.timezone), keyboard


async def _edit_or_send(update: Update, text: str, keyboard: InlineKeyboardMarkup) -> None:
    if update.callback_query:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)


async def _save(
    update: Update,
    context: BotContext,
    dialog: Dialog,
    rule: ReviewRule,
    timezone: str,
    *,
    plan: Plan,
    **options,
) -> Dialog:
    current = plan.get(context.db, dialog)
    if current is not None and not options:
        options = {"skip_weekends": current.skip_weekends, "quiet": current.quiet}
    plan.save(
        context.db, dialog, rule, timezone, now=utcnow(), created_by=dialog.user_id, **options
    )
    replan_reminders(context.db, dialog.chat_id, utcnow())  # due dates follow quiet hours
    return await refresh(
        update,
        context,
        dialog,
        plan=plan,
        edit=bool(update.callback_query),
        note=t(context.lang, "schedule.saved"),
    )


def _pending_rule(dialog: Dialog) -> ReviewRule | None:
    pending = dialog.data.get("pending")
    if not pending:
        return None
    return ReviewRule(pending["frequency"], pending["weekday"], time.fromisoformat(pending["at"]))


async def timezone_confirmed(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, plan: Plan
) -> Dialog:
    """The proposed time zone is right: remember it and save the pending schedule."""
    chat = get_chat(context.db, dialog.chat_id)
    set_chat_timezone(context.db, chat.id, chat.timezone)
    replan_reminders(context.db, chat.id, utcnow())
    rule = _pending_rule(dialog)
    if rule is None:
        return await refresh(update, context, dialog, plan=plan)
    return await _save(update, context, dialog, rule, chat.timezone, plan=plan)


async def timezone_change_pressed(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, plan: Plan
) -> Dialog:
    """Asks for a city or a UTC offset."""
    await edit_or_reply(update, t(context.lang, "schedule.ask_timezone"))
    return dialog.to(TYPING_TIMEZONE)


async def timezone_typed(
    update: Update, context: BotContext, dialog: Dialog, *, plan: Plan
) -> Dialog:
    """Stores the chat's time zone; moves an existing schedule to it; saves a pending one."""
    timezone = timezone_from_text(update.effective_message.text)
    set_chat_timezone(context.db, dialog.chat_id, timezone)
    replan_reminders(context.db, dialog.chat_id, utcnow())  # due dates are the chat's days
    await reply(update, t(context.lang, "schedule.timezone_set", timezone=timezone))
    rule = _pending_rule(dialog)
    current = plan.get(context.db, dialog)
    if rule is None and current is not None:
        rule = current.rule
    if rule is None:
        return await refresh(update, context, dialog, plan=plan, edit=False)
    return await _save(update, context, dialog, rule, timezone, plan=plan)


async def option_toggled(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, option: str, plan: Plan
) -> Dialog:
    current = plan.get(context.db, dialog)
    if current is None:
        return await refresh(update, context, dialog, plan=plan)
    skip_weekends, quiet = current.skip_weekends, current.quiet
    if option == "weekends":
        skip_weekends = not skip_weekends
    else:
        index = QUIET_PRESETS.index(quiet) if quiet in QUIET_PRESETS else 0
        quiet = QUIET_PRESETS[(index + 1) % len(QUIET_PRESETS)]
    return await _save(
        update,
        context,
        dialog,
        current.rule,
        current.timezone,
        plan=plan,
        skip_weekends=skip_weekends,
        quiet=quiet,
    )


async def weekends_toggled(
    update: Update, context: BotContext, dialog: Dialog, arg: str, *, plan: Plan
) -> Dialog:
    """Allows or skips weekends (a review due on Saturday moves to Monday)."""
    return await option_toggled(update, context, dialog, arg, option="weekends", plan=plan)


async def quiet_toggled(
    update: Update, context: BotContext, dialog: Dialog, arg: str, *, plan: Plan
) -> Dialog:
    """Cycles quiet hours: off → 21–08 → 20–09 → off."""
    return await option_toggled(update, context, dialog, arg, option="quiet", plan=plan)


async def pause_pressed(
    update: Update, context: BotContext, dialog: Dialog, arg: str, *, plan: Plan
) -> Dialog:
    """Pauses or resumes."""
    current = plan.get(context.db, dialog)
    if current is not None:
        plan.set_paused(context.db, dialog, current, arg == "pause", utcnow())
    return await refresh(update, context, dialog, plan=plan)


async def remove_pressed(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, plan: Plan
) -> None:
    """Switches the schedule off and ends the conversation."""
    current = plan.get(context.db, dialog)
    if current is not None:
        plan.delete(context.db, dialog, current)
        replan_reminders(context.db, dialog.chat_id, utcnow())  # no quiet hours any more
    await edit_or_reply(update, plan.removed(context.lang, dialog))


async def reminder_button(update: Update, context: BotContext) -> None:
    """Snooze 1 day / Skip this time, under a reminder (checked against this chat)."""
    query, lang = update.callback_query, context.lang
    _, action, schedule_id = [*query.data.split(":", 2), "", ""][:3]
    schedule_key = parse_id(schedule_id)
    schedule = (
        get_schedule_by_id(context.db, update.effective_chat.id, schedule_key)
        if schedule_key is not None
        else None
    )
    if schedule is None:
        await query.answer(t(lang, "error.not_found"), show_alert=True)
        return
    if action == "snooze" and not await permitted_press(update, context, Action.SCHEDULE):
        return
    await query.answer()
    now = utcnow()
    if action == "snooze":
        tomorrow = now + timedelta(days=1)
        postpone(
            context.db,
            schedule.chat_id,
            schedule.id,
            min(tomorrow, schedule.next_run_at or tomorrow),
        )
        await edit_or_reply(update, t(lang, "reminder.snoozed"))
    else:
        when = describe_when(lang, schedule.next_run_at or now, schedule.timezone)
        await edit_or_reply(update, t(lang, "reminder.skipped", when=when))


async def ask_choice(update: Update, context: BotContext, dialog: Dialog, *, plan: Plan) -> None:
    await reply(update, *status(context, dialog, plan))


async def ask_timezone_confirmation(
    update: Update, context: BotContext, dialog: Dialog, *, plan: Plan
) -> None:
    await reply(update, *_timezone_question(context, dialog.chat_id, plan))


async def ask_timezone(update: Update, context: BotContext, _: Dialog, *, plan: Plan) -> None:
    await reply(update, t(context.lang, "schedule.ask_timezone"))


async def ask_time(update: Update, context: BotContext, _: Dialog, *, plan: Plan) -> None:
    await reply(update, *_time_question(context.lang, plan))


def stopped(lang: str, dialog: Dialog, *, plan: Plan) -> str | None:
    """A schedule is saved only once its time zone is confirmed (and a picked day once its
    time is given): stopping before that loses the choice, and says so."""
    waiting = dialog.state in (CONFIRMING_TIMEZONE, TYPING_TIMEZONE) and dialog.data.get(
        "pending"
    )
    if waiting or dialog.state == TYPING_TIME:
        return t(lang, "cancel.schedule_unsaved", command=f"/{plan.command}")
    return None


def schedule_flow(plan: Plan) -> Flow:
    """The schedule conversation for `plan`: /schedule for reviews, /checkin for check-ins."""

    def bound(steps: dict) -> dict:
        return {action: partial(step, plan=plan) for action, step in steps.items()}

    choosing = {
        "preset": preset_chosen,
        "custom": custom_chosen,
        "day": day_chosen,
        "tz": timezone_change_pressed,
        "weekends": weekends_toggled,
        "quiet": quiet_toggled,
        "pause": pause_pressed,
        "resume": pause_pressed,
        "remove": remove_pressed,
    }
    return Flow(
        plan.flow,
        command=plan.command,
        stopped=partial(stopped, plan=plan),
        states={
            CHOOSING: State(
                partial(ask_choice, plan=plan), buttons={**bound(choosing), **plan.steps}
            ),
            CONFIRMING_TIMEZONE: State(
                partial(ask_timezone_confirmation, plan=plan),
                buttons=bound({"tz_yes": timezone_confirmed, "tz": timezone_change_pressed}),
            ),
            TYPING_TIMEZONE: State(
                partial(ask_timezone, plan=plan), text=partial(timezone_typed, plan=plan)
            ),
            TYPING_TIME: State(
                partial(ask_time, plan=plan),
                text=partial(time_typed, plan=plan),
                buttons=bound({"time": time_chosen}),
            ),
        },
    )


FLOW = schedule_flow(REVIEWS)
