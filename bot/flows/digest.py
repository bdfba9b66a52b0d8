"""/digest and /history: what the team did on the map lately, and its past reviews.

`/digest` shows the digest of the active map since the last digest posted to the team (else
the last seven days) — `/digest 30` the last 30 days — with a chart of pain points per stage at
the last reviews and now; `/digest weekly` / `/digest off` (or the button under a digest) turn
the weekly digest on or off (bot/digests.py posts it through the outbox). `/history` lists the
map's reviews, newest first, a page at a time, with a chart of open and resolved pain points
per stage, review by review. Both are read and drawn in the worker process (bot/offload.py).

Buttons: "dg:on:<map>", "dg:off:<map>" (weekly digest), "hi:<offset>:<map>" (history pages);
they act only on a map of the chat they are pressed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import keyboards
from bot.classifier import theme_stop_words
from bot.context import BotContext
from bot.core.digest import (
    DIGEST_REVIEWS,
    HISTORY_REVIEWS,
    MAX_ITEMS,
    MAX_LISTED,
    History,
    Person,
    compose_digest,
    listed,
    next_weekly_digest,
    period_start,
)
from bot.core.items import is_overdue, overdue_first
from bot.core.journey import parse_id
from bot.core.model import JourneyMap
from bot.core.permissions import Action
from bot.core.schedule import zone
from bot.files import send_picture
from bot.flows.common import active_map, map_of_button
from bot.offload import read_in_worker
from bot.permissions import permitted_press, require
from bot.render import timeline_chart
from bot.replies import edit_or_reply, esc, reply
from bot.reports import digest_text, history_text, local_date, timeline_labels
from bot.texts import t
from storage.checkins import list_members
from storage.db import utcnow
from storage.digests import (
    contributors,
    count_reviews,
    last_digest_until,
    new_pain_points,
    open_pain_points_of_map,
    period_counts,
    resolved_pain_points,
    review_moments,
    review_page,
    set_weekly_digest,
    timeline,
    weekly_digest_at,
    wrote_on_other_maps,
)
from storage.items import open_items
from storage.reminders import get_schedule

HISTORY_PAGE = 8  # reviews per /history page
MAX_DAYS = 366  # /digest N: at most a year back


def collect_digest(
    db: Database,
    lang: str,
    journey: JourneyMap,
    timezone: str,
    is_group: bool,
    since: datetime,
    until: datetime,
    title_key: str = "digest.title",
) -> tuple[str, bytes | None]:
    """The digest of the map for (since, until] as text, and its chart (None when the map has
    never had a pain point). Runs in the worker process."""
    today = until.astimezone(zone(timezone)).date()
    items = overdue_first(open_items(db, journey.chat_id, map_id=journey.id), today)
    moments = [*review_moments(db, journey, until, DIGEST_REVIEWS), until]
    members = [
        Person(m.user_id, m.first_name or f"@{m.username}")
        for m in list_members(db, journey.chat_id)
        if not m.checkins_off  # who opted out of check-ins is not nudged here either
    ]
    writers = contributors(db, journey, since, until)
    silent_here = {m.user_id for m in members} - {p.user_id for p in writers}
    digest = compose_digest(
        journey,
        since,
        until,
        counts=period_counts(db, journey, since, until),
        new_pain_points=new_pain_points(db, journey, since, until, MAX_LISTED),
        resolved=resolved_pain_points(db, journey, since, until, MAX_LISTED),
        open_pain_points=open_pain_points_of_map(db, journey),
        contributors=writers,
        members=members,
        items=listed(items, len(items), MAX_ITEMS),
        # who wrote on another of the chat's maps was heard from: never "not heard from"
        wrote_elsewhere=wrote_on_other_maps(db, journey, since, until, sorted(silent_here)),
        overdue=sum(1 for item in items if is_overdue(item, today)),
        timeline=timeline(db, journey, moments),
        stop_words=theme_stop_words(),
    )
    text = digest_text(lang, digest, timezone, is_group, title_key)
    return text, _chart(lang, journey, digest.timeline, timezone, "picture.timeline_title")


def collect_history(
    db: Database, lang: str, journey: JourneyMap, timezone: str, offset: int, with_chart: bool
) -> tuple[str, int, int, bytes | None]:
    """A page of the map's review history as text, the number of reviews, the page's offset
    (within them) and, when asked, the chart. Runs in the worker process."""
    now = utcnow()
    total = count_reviews(db, journey.chat_id, journey.id)
    offset = min(max(offset, 0), max(total - 1, 0))
    chart_of = None
    moments = review_moments(db, journey, now, HISTORY_REVIEWS)
    if moments:
        chart_of = timeline(db, journey, [*moments, now])
    history = History(
        journey=journey,
        reviews=tuple(review_page(db, journey, offset, HISTORY_PAGE, now)),
        total=total,
        offset=offset,
        timeline=chart_of,
    )
    chart = None
    if with_chart and chart_of is not None:
        chart = _chart(lang, journey, chart_of, timezone, "picture.timeline_title")
    return history_text(lang, history, timezone), total, offset, chart


def _chart(lang, journey, pain_timeline, timezone, title_key) -> bytes | None:
    if not any(s.open[-1] or s.resolved[-1] for s in pain_timeline.stages):
        return None
    labels = timeline_labels(lang, pain_timeline, timezone)
    return timeline_chart(lang, journey, pain_timeline, labels, title_key)


def weekly_keyboard(lang: str, journey: JourneyMap, weekly_on: bool) -> InlineKeyboardMarkup:
    if weekly_on:
        return keyboards.rows([(t(lang, "button.digest_weekly_off"), f"dg:off:{journey.id}")])
    return keyboards.rows([(t(lang, "button.digest_weekly_on"), f"dg:on:{journey.id}")])


def weekly_status(lang: str, next_at: datetime | None, timezone: str) -> str:
    if next_at is None:
        return t(lang, "digest.status_off")
    return t(lang, "digest.status_on", when=local_date(next_at, timezone))


async def digest_command(update: Update, context: BotContext) -> None:
    """/digest [days|weekly|off]: the digest now, or the weekly digest switched on or off."""
    journey = active_map(context)
    what = context.args[0].lower() if context.args else ""
    if what in ("weekly", "on", "off"):
        await require(update, context, Action.SCHEDULE)
        await reply(update, switch_weekly(update, context, journey, what != "off"))
        return
    now = utcnow()
    if what:
        days = parse_id(what)
        if days is None or not 1 <= days <= MAX_DAYS:
            await reply(update, t(context.lang, "digest.usage"))
            return
        since = now - timedelta(days=days)
    else:
        since = period_start(last_digest_until(context.db, journey.chat_id, journey.id), now)
    await send_digest_now(update, context, journey, since, now)


async def send_digest_now(
    update: Update, context: BotContext, journey: JourneyMap, since: datetime, until: datetime
) -> None:
    """Builds the digest in the worker and sends it with the weekly switch, then its chart."""
    chat = context.chat_record
    text, chart = await read_in_worker(
        context.db,
        collect_digest,
        context.lang,
        journey,
        chat.timezone,
        chat.is_group,
        since,
        until,
    )
    next_at = weekly_digest_at(context.db, journey.chat_id, journey.id)
    text += "\n\n" + weekly_status(context.lang, next_at, _digest_timezone(context, journey))
    await reply(update, text, weekly_keyboard(context.lang, journey, next_at is not None))
    if chart is not None:
        await send_picture(
            update, chart, t(context.lang, "digest.chart_caption"), filename="digest.png"
        )


def _digest_timezone(context: BotContext, journey: JourneyMap) -> str:
    """The weekly digest keeps the review schedule's time zone, else the chat's."""
    schedule = get_schedule(context.db, journey.chat_id, journey.id)
    return schedule.timezone if schedule else context.chat_record.timezone


def switch_weekly(update: Update, context: BotContext, journey: JourneyMap, on: bool) -> str:
    """Turns the map's weekly digest on or off; the confirmation to show."""
    now = utcnow()
    schedule = get_schedule(context.db, journey.chat_id, journey.id)
    timezone = _digest_timezone(context, journey)
    next_at = None
    if on:
        next_at = next_weekly_digest(timezone, now, schedule.quiet if schedule else None)
    user_id = update.effective_user.id
    set_weekly_digest(context.db, journey.chat_id, journey.id, next_at, user_id, now)
    name = esc(journey.name)
    if next_at is None:
        return t(context.lang, "digest.weekly_off", name=name)
    when = local_date(next_at, timezone)
    return t(context.lang, "digest.weekly_on", name=name, timezone=esc(timezone), when=when)


async def weekly_pressed(update: Update, context: BotContext) -> None:
    """The switch under a digest: weekly digest on or off (for who may plan reviews)."""
    query = update.callback_query
    _, what, map_id = [*query.data.split(":", 2), "", ""][:3]
    journey = await map_of_button(update, context, map_id)
    if journey is None or not await permitted_press(update, context, Action.SCHEDULE):
        return
    await query.answer()
    text = switch_weekly(update, context, journey, what == "on")
    keyboard = weekly_keyboard(context.lang, journey, what == "on")
    await query.edit_message_reply_markup(keyboard)
    await reply(update, text)


async def history_command(update: Update, context: BotContext) -> None:
    """/history: the newest reviews of the active map with their outcomes, then the chart."""
    journey = active_map(context)
    await send_history_page(update, context, journey, 0, with_chart=True)


async def history_page_pressed(update: Update, context: BotContext) -> None:
    """« Older / Newer »: that page of the same map's history, edited in place."""
    query = update.callback_query
    _, offset, map_id = [*query.data.split(":", 2), "", ""][:3]
    journey = await map_of_button(update, context, map_id)
    if journey is None:
        return
    await query.answer()
    await send_history_page(update, context, journey, parse_id(offset) or 0, with_chart=False)


async def send_history_page(
    update: Update, context: BotContext, journey: JourneyMap, offset: int, *, with_chart: bool
) -> None:
    lang, timezone = context.lang, context.chat_record.timezone
    text, total, offset, chart = await read_in_worker(
        context.db, collect_history, lang, journey, timezone, offset, with_chart
    )
    keyboard = history_keyboard(lang, journey, offset, total)
    if with_chart:
        await reply(update, text, keyboard)
    else:
        await edit_or_reply(update, text, keyboard)
    if chart is not None:
        await send_picture(update, chart, t(lang, "history.chart_caption"), filename="history.png")


def history_keyboard(lang: str, journey: JourneyMap, offset: int, total: int):
    """« Older / Newer » for a history page, or None when everything fits on one page."""
    choices = []
    if offset + HISTORY_PAGE < total:
        choices.append(
            (t(lang, "button.history_older"), f"hi:{offset + HISTORY_PAGE}:{journey.id}")
        )
    if offset > 0:
        choices.append(
            (t(lang, "button.history_newer"), f"hi:{max(offset - HISTORY_PAGE, 0)}:{journey.id}")
        )
    return keyboards.rows(choices) if choices else None


def add_handlers(app: Application) -> None:
    """Registers /digest, /history and their buttons."""
    new_message = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("digest", digest_command, filters=new_message))
    app.add_handler(CommandHandler("history", history_command, filters=new_message))
    app.add_handler(CallbackQueryHandler(weekly_pressed, pattern=r"^dg:"))
    app.add_handler(CallbackQueryHandler(history_page_pressed, pattern=r"^hi:"))
