"""The web side: one ASGI application (Starlette, served by uvicorn in the bot's event loop).

It takes Telegram's updates on the webhook URL's path (webhook mode), answers `GET /healthz`,
and is where the board (issue 17 §2: `/board/`, `/api/…`) plugs in through `extra_routes`. It
runs whenever a webhook URL is set, and beside long polling when `--listen` is given. In
webhook mode the Application runs without an Updater, as in python-telegram-bot's
customwebhookbot example:

* a POST whose `X-Telegram-Bot-Api-Secret-Token` is missing or wrong gets 403 and is not read;
* an update is answered 200 only once it has been taken in (`take_update`): written to the
  SQLite inbox (bot/inbox.py) and queued; an update that could not be stored gets 503, so
  Telegram delivers it again. It goes through the inbox's `put`, as polling's updates do, so
  it obeys the same bound on the WAL: past `HARD_PAGES` uncopied pages the answer waits until
  the checkpointer has caught up (at most `WAL_PATIENCE`, 30 s), and Telegram holds the update
  meanwhile;
* SIGTERM (or SIGINT) stops accepting requests, lets the requests in flight finish, handles
  every update already taken, then exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import socket
from collections.abc import AsyncIterator, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import Application

from bot.settings import ConfigError, Settings
from storage.db import utcnow
from storage.health import database_health

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20  # Telegram's updates are a few kB
GRACEFUL_SECONDS = 20  # how long requests in flight may take after SIGTERM


def build_web_app(
    application: Application, settings: Settings, *, extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    """The web app: the webhook (when `settings.webhook_url` is set), /healthz, `extra_routes`."""
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET", "HEAD"])]
    if settings.webhook_mode:
        routes.append(Route(settings.webhook_path, receive_update, methods=["POST"]))
    web = Starlette(routes=[*routes, *extra_routes])
    web.state.application = application
    web.state.settings = settings
    return web


async def receive_update(request: Request) -> Response:
    """Telegram posts an update: 403 without the right secret, 200 once it is taken in."""
    settings: Settings = request.app.state.settings
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not hmac.compare_digest(given, (settings.webhook_secret or "").encode()):
        log.warning("webhook request refused: missing or wrong secret token",
                    extra={"client": request.client.host if request.client else None})
        return Response("Forbidden", status_code=403)
    body = await _bounded_body(request)
    if body is None:
        return Response("Request Entity Too Large", status_code=413)
    try:
        payload = json.loads(body)
        update = Update.de_json(payload, request.app.state.application.bot)
    except (ValueError, TypeError, KeyError):
        log.warning("webhook request refused: not an update")
        return Response("Bad Request", status_code=400)
    try:
        await take_update(request.app.state.application, update)
    except Exception:  # Telegram delivers it again
        log.exception("update not taken in", extra={"update_id": update.update_id})
        return Response("Service Unavailable", status_code=503)
    return Response(status_code=200)


async def take_update(application: Application, update: Update) -> None:
    """Takes a received update in: the Application's queue is the inbox (bot/inbox.py), whose
    `put` writes the update to SQLite before queuing it (or drops a redelivery, or sheds it
    over the arrival limits, recording it as handled). When this returns the update is safely
    stored, so the webhook may answer 200; a failed write raises, and Telegram delivers the
    update again."""
    await application.update_queue.put(update)


async def _bounded_body(request: Request) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPDATE_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def healthz(request: Request) -> JSONResponse:
    """The bot's vital signs as JSON; 503 when the database is not usable."""
    application: Application = request.app.state.application
    settings: Settings = request.app.state.settings
    health = await asyncio.to_thread(database_health, settings.db_path, utcnow())
    report = {
        "ok": health.ok,
        "database": "ok" if health.ok else health.problem,
        "updates_waiting": (health.updates_waiting or 0) + application.update_queue.qsize(),
        "last_update_handled_at": health.last_update_handled_at,
        "reminders_due": health.reminders_due,
        "mode": "webhook" if settings.webhook_mode else "polling",
    }
    return JSONResponse(report, status_code=200 if health.ok else 503)


# --- running it ---------------------------------------------------------------------------


class WebServer(uvicorn.Server):
    """uvicorn without its own signal handling: `serve` decides when to stop, so the
    Application can finish its updates after the server has closed."""

    @contextlib.contextmanager
    def capture_signals(self):  # uvicorn would restore its handlers and re-raise the signal
        yield


def bind(settings: Settings) -> socket.socket:
    """The listening socket, bound before anything else starts (a taken port is said at once)."""
    host, port = settings.listen_address
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port} ({error.strerror}); choose another "
            "--listen / JOURNEYBOT_LISTEN or stop what uses it"
        ) from None
    sock.set_inheritable(True)
    return sock


@contextlib.asynccontextmanager
async def serving(
    application: Application,
    settings: Settings,
    sock: socket.socket,
    *,
    allowed_updates: Sequence[str] | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> AsyncIterator[WebServer]:
    """Runs the Application and the web app on `sock`, with Telegram's webhook pointing at it
    (or, without a webhook URL, beside long polling: /healthz and the board).

    On exit the server stops taking requests and finishes those in flight, then the
    Application handles every update already taken and shuts down.
    """
    from bot.app import running
    from bot.board import board_routes

    config = uvicorn.Config(
        build_web_app(application, settings, extra_routes=[*board_routes(), *extra_routes]),
        log_config=None,  # our JSON logging (bot/logs.py)
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        proxy_headers=True,
    )
    server = WebServer(config)
    task: asyncio.Task | None = None

    async def open_web_app() -> None:
        """Where polling would begin: updates may arrive from here on (the inbox stores them),
        and are handled once the Application starts."""
        nonlocal task
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.01)
        if settings.webhook_mode:
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=list(allowed_updates) if allowed_updates else None,
            )
            log.info("webhook set", extra={"listen": settings.listen_address})

    try:
        async with running(
            application,
            poll=not settings.webhook_mode,
            allowed_updates=allowed_updates,
            wait_for_menus=False,
            before_start=open_web_app,
        ):
            try:
                yield server
            finally:  # first no new requests (those in flight finish), then the Application
                server.should_exit = True
                if task is not None:
                    await task
                log.info("web server stopped; finishing the updates taken")
    finally:
        if task is not None and not task.done():  # the start failed after the server began
            server.should_exit = True
            await task


async def serve(
    settings: Settings,
    *,
    allowed_updates: Sequence[str] | None = None,
    application_class: type[Application] = Application,
) -> None:
    """`journeybot run --webhook-url …` (or `run --listen …` with polling): serves until
    SIGTERM or SIGINT, then stops cleanly."""
    from bot.app import build_application

    sock = bind(settings)
    application = build_application(
        settings, application_class=application_class, with_updater=not settings.webhook_mode
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with serving(application, settings, sock, allowed_updates=allowed_updates):
            await stop.wait()
            log.info("stopping: signal received")
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        sock.close()
