"""Before polling starts: the database is usable and the Bot API server answers; after it
starts: the people who were waiting are answered before the background work begins.

Each problem stops the bot with one line that names what is wrong and what to do (exit status
2, no traceback unless -v); a Bot API server that cannot be reached yet (refused connection,
network down) is tried again with growing pauses, each wait said on stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from itertools import chain, repeat

import httpx
from telegram import Bot
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.aiohttp_request import AiohttpRequest, environment_proxies
from bot.logs import redact, secret_forms
from bot.settings import ConfigError, Settings

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
# Pauses between attempts to reach the Bot API server at start: 1, 2, 4 … then every 60 s.
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
RETRY_DELAY_MAX = 60.0


class BotApiNotFound(ConfigError):
    """The Bot API server answered 404 Not Found: a wrong base URL (or a malformed token)."""


def retry_delays() -> Iterator[float]:
    return chain(RETRY_DELAYS, repeat(RETRY_DELAY_MAX))


def bot_api_requests(settings: Settings) -> tuple[BaseRequest, BaseRequest]:
    """The HTTP clients of JOURNEYBOT_HTTP (aiohttp unless told httpx): one to send, with
    PTB's pool of 256 connections, and one to poll. The start-up check below uses the same
    client as the bot: PTB's default, httpx, would build two more clients, each loading the
    system's CA certificates, and import httpcore and anyio — ~70 ms of CPU before the first
    answer (README, Benchmarks)."""
    if settings.http_backend == "aiohttp":
        try:  # checked here, so that a proxy aiohttp cannot use stops the bot with one line
            environment_proxies()
        except ValueError as error:  # the message names the variable, not its password
            raise ConfigError(str(error)) from None
        return AiohttpRequest(), AiohttpRequest(connection_pool_size=1)
    return HTTPXRequest(connection_pool_size=256), HTTPXRequest(connection_pool_size=1)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def wait_for_bot_api(
    settings: Settings,
    *,
    delays: Iterator[float] | None = None,
    say: Callable[[str], None] = _say,
) -> None:
    """Returns once the Bot API server answers getMe for the token; retries unreachable servers.

    Raises BotApiNotFound (404) or InvalidToken (the token was refused, 401).
    """
    base_url = settings.base_url or TELEGRAM_BASE_URL
    secrets = secret_forms(settings.token)
    with _quiet_ptb_request_log():  # an HTML 404 page is logged by PTB as a JSON error
        await _wait(settings, base_url, secrets, delays or retry_delays(), say)


@contextlib.contextmanager
def _quiet_ptb_request_log() -> Iterator[None]:
    """PTB logs a traceback for a non-JSON answer (a 404 page); we say it in one line instead
    (the traceback is still logged with -v)."""
    logger = logging.getLogger("telegram.request")
    level = logger.level
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


async def _wait(
    settings: Settings,
    base_url: str,
    secrets: tuple[str, ...],
    delays: Iterator[float],
    say: Callable[[str], None],
) -> None:
    for delay in delays:
        send, poll = bot_api_requests(settings)
        bot = Bot(settings.token, base_url=base_url, request=send, get_updates_request=poll)
        try:
            await bot.initialize()  # getMe
            return
        except InvalidToken:
            if await _answers_not_found(base_url, settings.token):
                raise BotApiNotFound(_not_found_line(settings.base_url)) from None
            raise
        except NetworkError as error:  # refused, unreachable, timed out, 5xx
            reason = redact(str(error), secrets)
            say(
                f"journeybot: cannot reach the Bot API server at {_root(base_url)} ({reason}); "
                f"trying again in {delay:g} s"
            )
        finally:
            await _quietly_shut(bot)
        await asyncio.sleep(delay)


async def _quietly_shut(bot: Bot) -> None:
    with contextlib.suppress(Exception):  # nothing to close after a failed start
        await bot.shutdown()


async def _answers_not_found(base_url: str, token: str) -> bool:
    """Whether getMe gets HTTP 404 (PTB reports 401 and 404 alike as a rejected token)."""
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{base_url}{token}/getMe")
    except httpx.HTTPError:
        return False
    return response.status_code == 404


def _root(base_url: str) -> str:
    """The base URL without the trailing "/bot" (what an operator recognises)."""
    return base_url.removesuffix("/bot").removesuffix("/")


def _not_found_line(base_url: str | None) -> str:
    if base_url is None:
        return (
            "Telegram answered 404 Not Found to getMe: the bot token is malformed; copy it again "
            "from @BotFather into TELEGRAM_BOT_TOKEN."
        )
    return (
        f"the Bot API server at {_root(base_url)} answered 404 Not Found to getMe: check "
        "--base-url / TELEGRAM_API_BASE_URL (a Bot API server's URL ends in /bot, e.g. "
        "http://127.0.0.1:8081/bot)."
    )


async def alert_at_start(settings: Settings, problem: str) -> None:
    """Sends one start-up problem to the operator's chat (a few seconds at most)."""
    send, poll = bot_api_requests(settings)
    base_url = settings.base_url or TELEGRAM_BASE_URL
    bot = Bot(settings.token, base_url=base_url, request=send, get_updates_request=poll)
    text = f"⚠️ journeybot: {redact(problem, secret_forms(settings.token))}"
    try:
        async with asyncio.timeout(10):
            await bot.initialize()
            await bot.send_message(settings.admin_chat_id, text)
    finally:
        await _quietly_shut(bot)


# --- after polling starts: the people who waited are answered first ---------------------------

FIRST_POLL_QUIET = 1.0  # s: a first getUpdates not back by then is a long poll (nothing waited);
# 0.1 s was measured on loopback: a first poll to api.telegram.org pays TCP and TLS first
# s after the first getUpdates: background work starts by then (at load 24 a waiting /start
# was answered 2.2 s after it, and with 1 s one outbox message went out first)
ANSWER_FIRST_AT_MOST = 3.0


class FirstPoll:
    """When the bot's first getUpdates went out and when it came back (`WatchedPollRequest`)."""

    def __init__(self) -> None:
        self.sent = asyncio.Event()
        self.returned = asyncio.Event()


class WatchedPollRequest(BaseRequest):
    """The polling connection (`inner`), telling `first_poll` about the first getUpdates."""

    def __init__(self, inner: BaseRequest, first_poll: FirstPoll) -> None:
        self.inner = inner
        self.first_poll = first_poll

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    def parse_json_payload(self, payload: bytes) -> dict:
        """The inner client's parser (aiohttp's: orjson), not PTB's standard-library one."""
        return self.inner.parse_json_payload(payload)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        first = url.endswith("/getUpdates") and not self.first_poll.returned.is_set()
        if first:
            self.first_poll.sent.set()
        try:
            return await self.inner.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )
        finally:
            if first:
                self.first_poll.returned.set()


async def after_first_answers(
    app: Application,
    first_poll: FirstPoll,
    *,
    quiet: float = FIRST_POLL_QUIET,
    at_most: float = ANSWER_FIRST_AT_MOST,
) -> None:
    """Returns once the updates that were waiting when the bot started have been answered —
    at once if nothing was waiting (the first getUpdates is a long poll), and `at_most`
    seconds after that poll went out in any case (a flood must not hold back the rest).

    `journeybot run` starts its background work only then — the classifier's loading thread,
    the worker process, the first delivery of the outbox —, so that the first answers do not
    share the GIL, the two cores and the Bot API's pace with them. A note among the waiting
    updates starts the classifier's loading itself (`classifier_ready`)."""
    await first_poll.sent.wait()
    try:
        async with asyncio.timeout(quiet):
            await first_poll.returned.wait()
    except TimeoutError:
        return  # nothing was waiting for the bot
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(at_most):
            idle_looks = 0
            while idle_looks < 2:  # twice in a row: an update between queue and handler
                await asyncio.sleep(0.01)
                idle = (app.update_queue.empty()
                        and app.update_processor.current_concurrent_updates == 0)
                idle_looks = idle_looks + 1 if idle else 0
