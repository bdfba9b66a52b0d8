"""The `journeybot` command line: run (Telegram), chat (console), classify, eval, train."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from telegram.error import InvalidToken

from bot.core.model import LANGUAGES
from bot.export_cli import register as register_export
from bot.heap import tune_allocator
from bot.import_cli import register as register_import
from bot.logs import configure_logging
from bot.ops_cli import register as register_ops
from bot.settings import ConfigError, Settings
from storage.db import DatabaseUnusable, check_database


def _run(args: argparse.Namespace) -> int:
    """Long-polls Telegram (or the Bot API server at --base-url) until interrupted; with a
    webhook URL, serves the webhook and /healthz instead (bot/web.py)."""
    settings = Settings.from_env(
        db_path=args.db, base_url=args.base_url, webhook_url=args.webhook_url, listen=args.listen
    )
    if args.no_rate_limit:
        settings = replace(settings, rate_limit=False)
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN is not set. Set it to your bot's token from @BotFather, "
            "or try the console chat: journeybot chat",
            file=sys.stderr,
        )
        return 2
    check_database(settings.db_path)  # before the heavy imports: a bad file is said at once
    tune_allocator()  # before spaCy, numpy and the pipelines are loaded (bot/heap.py)
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.eventloop import choose_event_loop
    from bot.startup import wait_for_bot_api

    try:
        choose_event_loop()  # JOURNEYBOT_EVENT_LOOP: "journeybot started" logs the loop
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2

    asyncio.run(wait_for_bot_api(settings))
    if settings.serves_web:  # a webhook, or polling with /healthz (and the board) beside it
        from bot.web import serve

        asyncio.run(serve(settings, allowed_updates=ALLOWED_UPDATES))
        return 0
    app = build_application(settings)
    app.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    return 0


def _chat(args: argparse.Namespace) -> int:
    """The console chat on a local SQLite file: the same conversations as on Telegram."""
    from bot.app import build_application
    from bot.console import run_console

    env = Settings.from_env(db_path=args.db)
    settings = Settings(
        db_path=env.db_path,
        load_nlp=True,
        conversation_timeout=env.conversation_timeout,
        public_url=env.public_url,
    )
    check_database(settings.db_path)

    def app_factory(request):
        return build_application(settings, request=request)

    try:
        asyncio.run(
            run_console(app_factory, chat_id=args.chat, user_name=args.user, lang=args.lang)
        )
    except KeyboardInterrupt:
        print()
    _quiet_if_nobody_reads()
    return 0


def _quiet_if_nobody_reads() -> None:
    """When the reader of the output has gone (`journeybot chat … | head`), what is left in
    stdout's buffer goes nowhere, so exiting prints no BrokenPipeError (Python's advice for
    SIGPIPE: point the descriptor at /dev/null)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journeybot",
        description="A chat assistant that helps small businesses map their customers' journey.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")
    run.add_argument("--db", help="SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)")
    run.add_argument(
        "--base-url",
        help="Bot API base URL, e.g. http://127.0.0.1:8081/bot "
        "(default: $TELEGRAM_API_BASE_URL or Telegram's)",
    )
    run.add_argument(
        "--webhook-url",
        help="serve a webhook instead of long polling: the public HTTPS URL Telegram posts to, "
        "e.g. https://bot.example.org/tg (default: $JOURNEYBOT_WEBHOOK_URL; needs "
        "$TELEGRAM_WEBHOOK_SECRET)",
    )
    run.add_argument(
        "--listen",
        help="HOST:PORT the web app (webhook, /healthz, board) listens on "
        "(default: $JOURNEYBOT_LISTEN, else 127.0.0.1:8080 with a webhook and no web app with "
        "polling)",
    )
    run.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="do not pace sends to Telegram's flood limits (a local Bot API server, benchmarks)",
    )
    run.set_defaults(func=_run)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--db", help="SQLite file (default: $JOURNEYBOT_DB or ./journeybot.db)")
    chat.add_argument("--lang", choices=LANGUAGES, help="the chat's language")
    chat.add_argument("--user", default=os.environ.get("USER") or "you", help="your name")
    chat.add_argument(
        "--chat",
        type=int,
        default=1,
        help="chat id: positive for a private chat, negative for a group",
    )
    chat.set_defaults(func=_chat)
    register_export(commands)
    register_import(commands)
    register_ops(commands)

    try:
        from nlp.cli import register
    except ImportError:  # the classifier's commands are optional while nlp/ is being built
        register = None
    if register is not None:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `journeybot` console script."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta
    args = build_parser().parse_args(argv)
    if args.command == "run":  # JSON lines, token redacted (bot/logs.py)
        configure_logging(verbose=args.verbose, token=os.environ.get("TELEGRAM_BOT_TOKEN"))
    else:
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s %(message)s",
        )
    try:
        return args.func(args)
    except DatabaseUnusable as error:
        _explain(f"journeybot: {error}", verbose=args.verbose)
        if args.command == "run":
            _alert_operator_at_start(args, f"the bot did not start: {error.problem}")
        return 2
    except ConfigError as error:
        _explain(f"journeybot: {error}", verbose=args.verbose)
        return 2
    except InvalidToken:  # PTB's message quotes the token: never print it
        print(
            "journeybot: Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN.",
            file=sys.stderr,
        )
        return 2
    except Exception:  # logged through the redacting handler, not as a raw traceback
        logging.getLogger("journeybot").critical("journeybot stopped", exc_info=True)
        return 1


def _explain(line: str, *, verbose: bool) -> None:
    """One line for the operator; the traceback too with -v."""
    if verbose:
        logging.getLogger("journeybot").error("start-up failed", exc_info=True)
    print(line, file=sys.stderr)


def _alert_operator_at_start(args: argparse.Namespace, problem: str) -> None:
    """Best effort: tells JOURNEYBOT_ADMIN_CHAT_ID (if set) why the bot did not start."""
    try:
        settings = Settings.from_env(db_path=args.db, base_url=args.base_url)
    except ConfigError:
        return
    if not settings.token or settings.admin_chat_id is None:
        return
    from bot.startup import alert_at_start

    try:
        asyncio.run(alert_at_start(settings, problem))
    except Exception:  # the one line above already said what is wrong
        logging.getLogger("journeybot").debug("start-up alert not sent", exc_info=True)


if __name__ == "__main__":
    sys.exit(main())
