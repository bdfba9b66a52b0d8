"""The composition root: builds the Application with its database, classifier and handlers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import wraps

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import handlers
from bot.alerts import OperatorAlerts
from bot.backups import start_backup_job, stop_backup
from bot.checkins import start_checkins
from bot.classifier import defer_loading, start_loading
from bot.context import BotContext
from bot.core.admission import MESSAGES_PER_SECOND
from bot.core.journey import shorten
from bot.core.model import DEFAULT_LANGUAGE, LANGUAGES, Dialog
from bot.dialogs import (
    Flow,
    end_running,
    run_button_step,
    run_text_step,
    running_dialog,
    store,
)
from bot.digests import start_digests
from bot.due_reminders import start_due_reminders
from bot.errors import handle_error
from bot.eventloop import running_loop_name
from bot.flows import (
    add_note,
    board,
    checkin,
    digest,
    import_file,
    items,
    manage_maps,
    new_map,
    review,
    roles,
    schedule,
    share,
    split_note,
    stages,
)
from bot.group_acks import GroupAcks
from bot.heap import start_release_job
from bot.inbox import InboxQueue
from bot.limits import ChatOrderedProcessor
from bot.looplag import WARN_MS as LAG_WARN_MS
from bot.looplag import LoopLagProbe
from bot.offload import start_worker
from bot.pacing import TelegramPacing
from bot.reminders import deliver_soon, start_reminder_job
from bot.replies import reply
from bot.retrain import start_retrain_job
from bot.search_index import start_search_index_job
from bot.settings import Settings
from bot.startup import FirstPoll, WatchedPollRequest, after_first_answers, bot_api_requests
from bot.telegram_bot import JourneyBot
from bot.texts import t
from storage.checkpoints import start_checkpointer
from storage.db import open_db, utcnow
from storage.inbox import forget_handled_updates

log = logging.getLogger(__name__)

FLOWS: tuple[Flow, ...] = (
    new_map.FLOW,
    add_note.FLOW,
    manage_maps.FLOW,
    schedule.FLOW,
    review.FLOW,
    items.FLOW,
    stages.FLOW,
    checkin.FLOW,
    checkin.ANSWER_FLOW,
)
CONSOLE_TOKEN = "1000:console"
# What the bot asks Telegram for, by polling or webhook alike (the tests poll for the same):
# my_chat_member — the bot added, removed, blocked (storage/chat_presence.py); chat_member —
# people joining and leaving a group where the bot is an admin (check-ins, storage/checkins.py;
# Telegram sends it only when asked for by name).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member", "chat_member")

NEW_MESSAGE = filters.UpdateType.MESSAGE


def starts_dialog(
    callback: Callable[[Update, BotContext], Awaitable[Dialog | None]],
) -> Callable[[Update, BotContext], Awaitable[None]]:
    """Wraps a command that may start a conversation: a returned Dialog is stored."""

    @wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        dialog = await callback(update, context)
        if dialog is not None:
            store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)

    return wrapper


async def route_text(update: Update, context: BotContext) -> None:
    """A typed message: the user's running conversation takes it, else it may be a note (also
    when the conversation it would have answered has expired: it is said so first)."""
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    dialog, expired = running_dialog(context, chat_id, user_id)
    if dialog is not None:
        # a reply to a check-in question answers it; the conversation waits on (its step
        # would have taken the answer as a map's name, or dropped it: "use the buttons")
        if await checkin.answer_received(update, context, replies_only=True):
            return
        await run_text_step(update, context, dialog)
        return
    quote = add_note.is_customer_quote(update.effective_message, context.bot.id)
    if update.effective_chat.type == "private" or _is_reply_to_bot(update, context) or quote:
        if not quote and await checkin.answer_received(update, context):  # a check-in answer
            return
        if expired:
            minutes = round(context.bot_data["conversation_timeout"].total_seconds() / 60)
            await reply(update, t(context.lang, "dialog.expired", minutes=minutes))
        await add_note.store_note(update, context, update.effective_message.text)


async def route_caption(update: Update, context: BotContext) -> None:
    """A forwarded photo, file or video with a caption: the caption is the customer's words, a
    quote like a forwarded text (in any chat); the attachment itself is not stored, which a
    private chat is told. One of the bot's own messages forwarded back is what it was before:
    a file to import, or something the bot cannot read."""
    message = update.effective_message
    if not add_note.is_customer_quote(message, context.bot.id):
        if message.document is not None:
            await import_file.file_sent(update, context)
        else:
            await handlers.non_text(update, context)
        return
    await add_note.store_note(update, context, message.caption)
    if update.effective_chat.type == "private":
        await reply(update, t(context.lang, "note.caption_only"))


def _is_reply_to_bot(update: Update, context: BotContext) -> bool:
    replied = update.effective_message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


async def route_button(update: Update, context: BotContext) -> None:
    """A button of a conversation flow."""
    await run_button_step(update, context)


async def plan_reviews_from_button(update: Update, context: BotContext) -> None:
    """The "Plan regular reviews" button after /newmap opens /schedule for the active map."""
    await update.callback_query.answer()
    await end_running(update, context)
    dialog = await schedule.show_schedule(update, context)
    store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)


async def start_map_from_button(update: Update, context: BotContext) -> None:
    """The "Create a map" button under /start begins /newmap."""
    await update.callback_query.answer()
    await end_running(update, context)
    dialog = await new_map.begin(update, context)
    store(context, dialog, chat_id=dialog.chat_id, user_id=dialog.user_id)


def add_handlers(app: Application) -> None:
    """Registers every handler: bookkeeping first, then commands, buttons and text.

    (A flood never gets this far: bot/inbox.py sheds it where updates arrive.)"""
    app.add_handler(TypeHandler(Update, handlers.remember_sender), group=-3)
    # Another command ends the running conversation (except /cancel and /language).
    app.add_handler(
        MessageHandler(NEW_MESSAGE & filters.COMMAND, handlers.end_dialog_on_command), group=-1
    )
    commands = {
        "start": handlers.start,
        "help": handlers.show_help,
        "language": handlers.choose_language,
        "cancel": handlers.cancel,
        "newmap": starts_dialog(new_map.begin),
        "note": starts_dialog(add_note.note_command),
        "map": manage_maps.show_map,
        "maps": manage_maps.show_maps,
        "rename": starts_dialog(manage_maps.rename_command),
        "stages": starts_dialog(stages.stages_command),
        "deletemap": manage_maps.delete_map_command,
        "delete": add_note.delete_command,
        "schedule": starts_dialog(schedule.show_schedule),
        "checkin": starts_dialog(checkin.checkin_command),
        "review": review.review_command,
        "board": board.board_command,
        "assign": items.assign_command,
        "todo": items.todo_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=NEW_MESSAGE))
    app.add_handler(
        ChatMemberHandler(handlers.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    share.add_handlers(app)  # /export, /insights, /search, /forget and their buttons
    digest.add_handlers(app)  # /digest, /history and their buttons
    roles.add_handlers(app)  # /roles and its button
    app.add_handler(CallbackQueryHandler(handlers.language_chosen, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(start_map_from_button, pattern=r"^start:newmap$"))
    app.add_handler(CallbackQueryHandler(plan_reviews_from_button, pattern=r"^sched:open$"))
    app.add_handler(CallbackQueryHandler(add_note.note_button, pattern=r"^nb:"))
    app.add_handler(CallbackQueryHandler(split_note.split_button, pattern=r"^sp:"))
    app.add_handler(CallbackQueryHandler(manage_maps.map_switched, pattern=r"^maps:use:"))
    app.add_handler(CallbackQueryHandler(manage_maps.delete_map_confirmed, pattern=r"^dm:"))
    app.add_handler(CallbackQueryHandler(review.start_pressed, pattern=r"^rv:start:"))
    app.add_handler(CallbackQueryHandler(review.card_button, pattern=r"^rp:"))
    app.add_handler(CallbackQueryHandler(schedule.reminder_button, pattern=r"^rs:"))
    app.add_handler(CallbackQueryHandler(items.item_button, pattern=r"^ib:"))
    app.add_handler(CallbackQueryHandler(checkin.checkin_button, pattern=r"^ck:"))
    flow_names = "|".join(flow.name for flow in FLOWS)
    app.add_handler(CallbackQueryHandler(route_button, pattern=rf"^({flow_names}):"))
    app.add_handler(CallbackQueryHandler(handlers.unknown_button))
    app.add_handler(MessageHandler(NEW_MESSAGE & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(NEW_MESSAGE & filters.TEXT, route_text))
    forwarded_caption = NEW_MESSAGE & filters.FORWARDED & filters.CAPTION
    app.add_handler(MessageHandler(forwarded_caption, route_caption))
    private_or_reply = filters.ChatType.PRIVATE | filters.REPLY
    app.add_handler(
        MessageHandler(NEW_MESSAGE & private_or_reply & filters.Document.ALL, import_file.file_sent)
    )
    app.add_handler(
        MessageHandler(
            NEW_MESSAGE & private_or_reply & ~filters.StatusUpdate.ALL, handlers.non_text
        )
    )
    app.add_error_handler(handle_error)


def command_menu(lang: str) -> list[BotCommand]:
    """The commands for Telegram's menu, described by their /help lines."""
    menu = []
    for name in handlers.HELP_COMMANDS:
        line = re.sub(r"<[^>]+>", "", t(lang, f"help.{name}"))
        menu.append(BotCommand(name, shorten(line.partition("—")[2], 256) or name))
    return menu


def _build_bot(
    settings: Settings, request: BaseRequest | None, first_poll: FirstPoll | None = None
) -> JourneyBot:
    """The bot's `Bot` (bot/telegram_bot.py), as `ApplicationBuilder` would build an `ExtBot`:
    the token, HTML and no link previews by default, a given request (console) or the HTTP
    client of `JOURNEYBOT_HTTP` with PTB's pool sizes (256 to send, 1 to poll), pacing when
    asked, the base URL (an emulator's, or Telegram's). With `first_poll`, the polling request
    tells it about the first getUpdates (people first at start: see _start_background)."""
    if request is not None:
        requests: tuple[BaseRequest, BaseRequest] = (request, request)
    else:
        requests = bot_api_requests(settings)
    if first_poll is not None:
        requests = (requests[0], WatchedPollRequest(requests[1], first_poll))
    urls = {}
    if request is None and settings.base_url:
        urls = {"base_url": settings.base_url, "base_file_url": settings.base_file_url}
    return JourneyBot(
        settings.token or CONSOLE_TOKEN,
        request=requests[0],
        get_updates_request=requests[1],
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        rate_limiter=(
            TelegramPacing(messages_per_second=MESSAGES_PER_SECOND)
            if settings.rate_limit and request is None
            else None
        ),
        **urls,
    )


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    application_class: type[Application] = Application,
    with_updater: bool = True,
) -> Application:
    """The bot, ready to run: Telegram (token, optional base URL) or a given request (console).
    Webhook mode (bot/web.py) builds it `with_updater=False`: updates come from the web app."""
    settings.validate()
    inbox = InboxQueue()
    polls = with_updater and request is None  # Telegram or a Bot API server, polled
    first_poll = FirstPoll() if polls else None
    builder = (
        ApplicationBuilder()
        .application_class(application_class)
        .bot(_build_bot(settings, request, first_poll))
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init(settings))
        .post_shutdown(_post_shutdown)
        .update_queue(inbox)
        .concurrent_updates(ChatOrderedProcessor(on_finished=inbox.finished))
    )
    if not with_updater:
        builder = builder.updater(None)
    app = builder.build()
    if first_poll is not None:
        app.bot_data["first_poll"] = first_poll
    app.bot_data["flows"] = {flow.name: flow for flow in FLOWS}
    app.bot_data["group_acks"] = GroupAcks(inbox, settings.group_ack_delay)
    app.bot_data["conversation_timeout"] = settings.conversation_timeout
    app.bot_data["public_url"] = settings.public_root  # /board's address (bot/flows/board.py)
    app.bot_data["alerts"] = OperatorAlerts(settings.admin_chat_id, token=settings.token)
    add_handlers(app)
    start_checkins(app)  # check-in rounds go through the reminders outbox
    return app


@asynccontextmanager
async def running(
    app: Application,
    *,
    poll: bool = False,
    poll_timeout: float = 10.0,
    allowed_updates: Sequence[str] | None = None,
    wait_for_menus: bool = True,
    before_start: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[Application]:
    """Runs `app` as `run_polling` would (post_init, polling, start … stop, post_shutdown).

    The console (poll=False, it feeds updates itself), the tests and the web app (bot/web.py:
    `before_start` opens it where polling would begin) use this. Unlike `run_polling`, it
    waits for the command menus to be set before the first update, unless told not to (a
    polling bot sets them only after its first answers: `_start_background`).
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        menus = app.bot_data.get("menus")
        if menus is not None and wait_for_menus:  # sent in the background; here settled first
            await menus
        if before_start is not None:
            await before_start()
        if poll:
            await app.updater.start_polling(
                poll_interval=0.0,
                timeout=int(poll_timeout),
                allowed_updates=list(allowed_updates or ALLOWED_UPDATES),
            )
        await app.start()
        try:
            yield app
        finally:
            if app.updater and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def set_command_menus(app: Application) -> None:
    """Telegram's command menu in each language (and the default one)."""
    try:
        for lang in LANGUAGES:
            await app.bot.set_my_commands(command_menu(lang), language_code=lang)
        await app.bot.set_my_commands(command_menu(DEFAULT_LANGUAGE))
    except TelegramError as error:  # the menu is a convenience: the bot works without it
        log.warning("command menu not set", extra={"error": str(error)})


def _post_init(settings: Settings) -> Callable[[Application], Awaitable[None]]:
    async def post_init(app: Application) -> None:
        app.bot_data["db"] = db = open_db(settings.db_path)
        # WAL checkpoints in a thread: none runs inside a commit on the loop
        app.bot_data["checkpointer"] = start_checkpointer(db)
        forget_handled_updates(db, utcnow() - timedelta(days=2))
        app.update_queue.drain(app)  # before anything new is fetched
        first_poll = app.bot_data.get("first_poll")
        if first_poll is not None:  # polling: the people waiting are answered first
            if settings.load_nlp:
                defer_loading()  # a note among them starts it at once
            app.bot_data["background"] = asyncio.create_task(
                _start_background(app, settings, first_poll)
            )
        else:  # the console, the web app: in the background, commands are answered meanwhile
            _start_background_work(app, settings)
        if settings.token:  # Telegram: log blocks of the loop (the console would print them)
            app.bot_data["loop_lag"] = LoopLagProbe(warn_ms=LAG_WARN_MS).start()
        start_due_reminders(app)  # before the first delivery: due-date reminders are a kind of it
        start_digests(app)  # weekly digests too
        start_reminder_job(app, settings.reminder_interval, deliver_now=first_poll is None)
        start_backup_job(app, settings)
        if settings.retrain_weekly:
            start_retrain_job(app, settings.db_path)
        start_release_job(app)  # freed memory back to the system every minute (bot/heap.py)
        log.info(
            "journeybot started", extra={"db": settings.db_path, "loop": running_loop_name()}
        )

    return post_init


async def _start_background(app: Application, settings: Settings, first_poll: FirstPoll) -> None:
    """Once the updates that waited for the bot are answered (bot/startup.py): the background
    work and the outbox's first delivery. Measured: bench/scale.py --only
    first_answer_after_start (README, Benchmarks); tests/test_startup_first_answer.py checks
    what is imported by the first answer."""
    await after_first_answers(app, first_poll)
    _start_background_work(app, settings)
    deliver_soon(app)


def _start_background_work(app: Application, settings: Settings) -> None:
    """The classifier's loading thread, the worker process (matplotlib), the search index's
    job (its first run loads spaCy and the lemma tables when notes wait for their keys) and
    the command menus (five setMyCommands)."""
    if settings.load_nlp:
        start_loading()
        app.bot_data["worker"] = start_worker()
    start_search_index_job(app)
    app.bot_data["menus"] = asyncio.create_task(set_command_menus(app))


async def _post_shutdown(app: Application) -> None:
    await stop_backup(app)  # first: it reads the database the lines below close
    for name in ("background", "menus", "worker"):
        task = app.bot_data.pop(name, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await task
    probe = app.bot_data.pop("loop_lag", None)
    if probe is not None:
        await probe.stop()
    db = app.bot_data.pop("db", None)
    if db is not None:
        db.close()
    checkpointer = app.bot_data.pop("checkpointer", None)
    if checkpointer is not None:  # its last checkpoint empties the -wal file
        await asyncio.to_thread(checkpointer.stop)
