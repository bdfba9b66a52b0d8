"""/schedule: how often the active map is reviewed, in the chat's time zone.

One status message, edited in place: presets (weekly, every two weeks, monthly), a custom day
and time, the time zone (asked once per chat), weekends, quiet hours, pause, resume, switch off.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

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
from bot.dialogs import Flow, State, new_dialog
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


def status_text(lang: str, map_name: str, schedule: Schedule | None, timezone: str) -> str:
    lines = [t(lang, "schedule.title", name=esc(map_name))]
    if schedule is None:
        lines += [t(lang, "schedule.none"), t(lang, "schedule.timezone", timezone=timezone)]
        return "\n".join(lines)
    rule = schedule.rule
    lines.append(
        t(
            lang,
            f"schedule.rule.{rule.frequency}",
            weekday=t(lang, f"weekday.{rule.weekday}"),
            time=rule.at.strftime("%H:%M"),
        )
    )
    lines.append(t(lang, "schedule.timezone", timezone=schedule.timezone))
    if schedule.skip_weekends:
        lines.append(t(lang, "schedule.options_weekends"))
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
                "schedule.next",
                when=describe_when(lang, schedule.next_run_at, schedule.timezone),
            )
        )
    return "\n".join(lines)


def status_keyboard(lang: str, schedule: Schedule | None, timezone: str) -> InlineKeyboardMarkup:
    presets = [
        (t(lang, f"button.{f}"), FLOW.button("preset", f))
        for f in ("weekly", "biweekly", "monthly")
    ]
    rows = [
        presets,
        [(t(lang, "button.custom"), FLOW.button("custom"))],
        [(t(lang, "button.timezone", timezone=timezone), FLOW.button("tz"))],
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
                (t(lang, weekends), FLOW.button("weekends")),
                (t(lang, "button.quiet", hours=quiet), FLOW.button("quiet")),
            ]
        )
        pause = ("button.resume", "resume") if schedule.paused else ("button.pause", "pause")
        rows.append(
            [
                (t(lang, pause[0]), FLOW.button(pause[1], pause[1])),
                (t(lang, "button.remove"), FLOW.button("remove")),
            ]
        )
    return keyboards.stacked(*rows)


async def show_schedule(update: Update, context: BotContext) -> Dialog:
    """/schedule: the active map's schedule and next review, with buttons to change it."""
    journey = active_map(context)
    await require(update, context, Action.SCHEDULE)
    await reply(update, *_status(context, journey.id, journey.name))
    return new_dialog(update, FLOW, CHOOSING, map_id=journey.id, map_name=journey.name)


def _status(context: BotContext, map_id: int, map_name: str) -> tuple[str, InlineKeyboardMarkup]:
    chat = get_chat(context.db, context.chat_record.id)
    schedule = get_schedule(context.db, chat.id, map_id)
    timezone = schedule.timezone if schedule else chat.timezone
    return (
        status_text(context.lang, map_name, schedule, timezone),
        status_keyboard(context.lang, schedule, timezone),
    )


async def _refresh(
    update: Update,
    context: BotContext,
    dialog: Dialog,
    *,
    edit: bool = True,
    note: str | None = None,
) -> Dialog:
    text, keyboard = _status(context, dialog.data["map_id"], dialog.data["map_name"])
    if note:
        text = f"{note}\n\n{text}"
    if edit:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)
    return dialog.to(CHOOSING, pending=None)


async def preset_chosen(
    update: Update, context: BotContext, dialog: Dialog, frequency: str
) -> Dialog:
    """Weekly / every two weeks / monthly on Monday 10:00 (or the current day and time)."""
    if frequency not in ("weekly", "biweekly", "monthly"):
        raise NotFound()
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    weekday, at = (current.rule.weekday, current.rule.at) if current else (0, DEFAULT_TIME)
    rule = ReviewRule(frequency, weekday, at)
    return await _save_or_confirm_timezone(update, context, dialog, rule)


def weekday_buttons(lang: str) -> InlineKeyboardMarkup:
    """The seven days, each as a button label (capitalised: "Poniedziałek")."""
    days = [(capitalized(t(lang, f"weekday.{day}")), FLOW.button("day", day)) for day in range(7)]
    return keyboards.rows(days, 3)


async def custom_chosen(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """Asks for the day of the week."""
    lang = context.lang
    await edit_or_reply(update, t(lang, "schedule.ask_weekday"), weekday_buttons(lang))
    return dialog.to(CHOOSING)


async def day_chosen(update: Update, context: BotContext, dialog: Dialog, day: str) -> Dialog:
    """Stores the day; asks for the time (buttons or typed)."""
    if parse_id(day) is None or not 0 <= int(day) <= 6:
        raise NotFound()
    await edit_or_reply(update, *_time_question(context.lang))
    return dialog.to(TYPING_TIME, weekday=int(day))


def _time_question(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    choices = [
        (at.strftime("%H:%M"), FLOW.button("time", at.strftime("%H%M"))) for at in TIME_CHOICES
    ]
    return t(lang, "schedule.ask_time"), keyboards.rows(choices, 4)


async def time_chosen(update: Update, context: BotContext, dialog: Dialog, hhmm: str) -> Dialog:
    if len(hhmm) != 4 or parse_id(hhmm) is None:
        raise NotFound()
    return await _custom_rule(update, context, dialog, parse_time(f"{hhmm[:2]}:{hhmm[2:]}"))


async def time_typed(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """A typed time for the custom day ("9:30")."""
    return await _custom_rule(update, context, dialog, parse_time(update.effective_message.text))


async def _custom_rule(update: Update, context: BotContext, dialog: Dialog, at: time) -> Dialog:
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    frequency = current.rule.frequency if current else "weekly"
    rule = ReviewRule(frequency, dialog.data["weekday"], at)
    return await _save_or_confirm_timezone(update, context, dialog, rule)


async def _save_or_confirm_timezone(
    update: Update, context: BotContext, dialog: Dialog, rule: ReviewRule
) -> Dialog:
    chat = get_chat(context.db, dialog.chat_id)
    pending = {"frequency": rule.frequency, "weekday": rule.weekday, "at": rule.at.isoformat()}
    if not chat.timezone_confirmed:
        await _edit_or_send(update, *_timezone_question(context, chat.id))
        return dialog.to(CONFIRMING_TIMEZONE, pending=pending)
    return await _save(update, context, dialog, rule, chat.timezone)


def _timezone_question(context: BotContext, chat_id: int) -> tuple[str, InlineKeyboardMarkup]:
    lang, chat = context.lang, get_chat(context.db, chat_id)
    keyboard = keyboards.rows(
        [
            (t(lang, "button.yes_timezone"), FLOW.button("tz_yes")),
            (t(lang, "button.change_timezone"), FLOW.button("tz")),
        ]
    )
    return t(lang, "schedule.confirm_timezone", timezone=chat.timezone), keyboard


async def _edit_or_send(update: Update, text: str, keyboard: InlineKeyboardMarkup) -> None:
    if update.callback_query:
        await edit_or_reply(update, text, keyboard)
    else:
        await reply(update, text, keyboard)


async def _save(
    update: Update, context: BotContext, dialog: Dialog, rule: ReviewRule, timezone: str, **options
) -> Dialog:
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    if current is not None and not options:
        options = {"skip_weekends": current.skip_weekends, "quiet": current.quiet}
    save_schedule(
        context.db,
        dialog.chat_id,
        dialog.data["map_id"],
        rule,
        timezone,
        now=utcnow(),
        created_by=dialog.user_id,
        **options,
    )
    replan_reminders(context.db, dialog.chat_id, utcnow())  # due dates follow quiet hours
    return await _refresh(
        update,
        context,
        dialog,
        edit=bool(update.callback_query),
        note=t(context.lang, "schedule.saved"),
    )


def _pending_rule(dialog: Dialog) -> ReviewRule | None:
    pending = dialog.data.get("pending")
    if not pending:
        return None
    return ReviewRule(pending["frequency"], pending["weekday"], time.fromisoformat(pending["at"]))


async def timezone_confirmed(update: Update, context: BotContext, dialog: Dialog, _: str) -> Dialog:
    """The proposed time zone is right: remember it and save the pending schedule."""
    chat = get_chat(context.db, dialog.chat_id)
    set_chat_timezone(context.db, chat.id, chat.timezone)
    replan_reminders(context.db, chat.id, utcnow())
    rule = _pending_rule(dialog)
    if rule is None:
        return await _refresh(update, context, dialog)
    return await _save(update, context, dialog, rule, chat.timezone)


async def timezone_change_pressed(
    update: Update, context: BotContext, dialog: Dialog, _: str
) -> Dialog:
    """Asks for a city or a UTC offset."""
    await edit_or_reply(update, t(context.lang, "schedule.ask_timezone"))
    return dialog.to(TYPING_TIMEZONE)


async def timezone_typed(update: Update, context: BotContext, dialog: Dialog) -> Dialog:
    """Stores the chat's time zone; moves an existing schedule to it; saves a pending one."""
    timezone = timezone_from_text(update.effective_message.text)
    set_chat_timezone(context.db, dialog.chat_id, timezone)
    replan_reminders(context.db, dialog.chat_id, utcnow())  # due dates are the chat's days
    await reply(update, t(context.lang, "schedule.timezone_set", timezone=timezone))
    rule = _pending_rule(dialog)
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    if rule is None and current is not None:
        rule = current.rule
    if rule is None:
        return await _refresh(update, context, dialog, edit=False)
    return await _save(update, context, dialog, rule, timezone)


async def option_toggled(
    update: Update, context: BotContext, dialog: Dialog, _: str, *, option: str
) -> Dialog:
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    if current is None:
        return await _refresh(update, context, dialog)
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
        skip_weekends=skip_weekends,
        quiet=quiet,
    )


async def weekends_toggled(update: Update, context: BotContext, dialog: Dialog, arg: str) -> Dialog:
    """Allows or skips weekends (a review due on Saturday moves to Monday)."""
    return await option_toggled(update, context, dialog, arg, option="weekends")


async def quiet_toggled(update: Update, context: BotContext, dialog: Dialog, arg: str) -> Dialog:
    """Cycles quiet hours: off → 21–08 → 20–09 → off."""
    return await option_toggled(update, context, dialog, arg, option="quiet")


async def pause_pressed(update: Update, context: BotContext, dialog: Dialog, arg: str) -> Dialog:
    """Pauses or resumes the reminders."""
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    if current is not None:
        set_paused(context.db, dialog.chat_id, current.id, paused=(arg == "pause"), now=utcnow())
    return await _refresh(update, context, dialog)


async def remove_pressed(update: Update, context: BotContext, dialog: Dialog, _: str) -> None:
    """Switches the reviews of this map off and ends the conversation."""
    current = get_schedule(context.db, dialog.chat_id, dialog.data["map_id"])
    if current is not None:
        delete_schedule(context.db, dialog.chat_id, current.id)
        replan_reminders(context.db, dialog.chat_id, utcnow())  # no quiet hours any more
    await edit_or_reply(
        update, t(context.lang, "schedule.removed", name=esc(dialog.data["map_name"]))
    )


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


async def ask_choice(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_status(context, dialog.data["map_id"], dialog.data["map_name"]))


async def ask_timezone_confirmation(update: Update, context: BotContext, dialog: Dialog) -> None:
    await reply(update, *_timezone_question(context, dialog.chat_id))


async def ask_timezone(update: Update, context: BotContext, _: Dialog) -> None:
    await reply(update, t(context.lang, "schedule.ask_timezone"))


async def ask_time(update: Update, context: BotContext, _: Dialog) -> None:
    await reply(update, *_time_question(context.lang))


_CHOOSING_BUTTONS = {
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
FLOW = Flow(
    "sc",
    command="schedule",
    states={
        CHOOSING: State(ask_choice, buttons=_CHOOSING_BUTTONS),
        CONFIRMING_TIMEZONE: State(
            ask_timezone_confirmation,
            buttons={"tz_yes": timezone_confirmed, "tz": timezone_change_pressed},
        ),
        TYPING_TIMEZONE: State(ask_timezone, text=timezone_typed),
        TYPING_TIME: State(ask_time, text=time_typed, buttons={"time": time_chosen}),
    },
)
