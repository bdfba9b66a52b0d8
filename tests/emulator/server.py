"""The HTTP side: an aiohttp server speaking the Bot API on 127.0.0.1, in its own thread.

URL shapes are those of api.telegram.org: ``/bot<token>/<method>`` (GET or POST; query string,
form-urlencoded, multipart or JSON body) and ``/file/bot<token>/<file_path>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from typing import Any

import aiohttp
from aiohttp import web

from .methods import METHODS
from .models import ApiError, CallRecord, JSONDict
from .params import Params, UploadedFile
from .state import EmulatorState

CLIENT_MAX_SIZE = 60 * 1024 * 1024
METHODS_BY_LOWER_NAME = {name.lower(): fn for name, fn in METHODS.items()}
GET_UPDATES_CONFLICT = ("Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running")
WEBHOOK_CONFLICT = ("Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first")


def json_response(body: JSONDict, status: int) -> web.Response:
    """A compact UTF-8 JSON response, like api.telegram.org's."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=text, status=status, content_type="application/json")


async def read_params(request: web.Request) -> Params:
    """Collect parameters from the query string and the body, whatever its encoding."""
    values: JSONDict = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return Params(values)
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.read() or b"{}")
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON encoded request body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON-encoded request body must be an object")
        values.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(key, value.filename, value.content_type,
                                          value.file.read())
            else:
                values[key] = value
    return Params(values, files)


class ApiServer:
    """Runs the Bot API over HTTP for an :class:`EmulatorState`, in a background thread."""

    #: Seconds before a failed webhook delivery is tried again (Telegram waits longer).
    webhook_retry_delay = 0.3
    #: Seconds Telegram waits for the webhook's answer.
    webhook_timeout = 10.0

    def __init__(self, state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = state
        self._delivery: asyncio.Task | None = None
        self.host = host
        self.requested_port = port
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._wakeup: asyncio.Event | None = None
        self._stopping: asyncio.Event | None = None
        self._poll_generation = 0
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Bind the port and serve in a daemon thread with its own event loop."""
        if self.running:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.requested_port))
        self.port = sock.getsockname()[1]
        self._ready.clear()
        self._startup_error = None
        self._thread = threading.Thread(target=self._run, args=(sock,),
                                        name=f"telegram-emulator:{self.port}", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._startup_error is not None:
            raise RuntimeError("the emulator failed to start") from self._startup_error

    def stop(self) -> None:
        """Answer waiting requests, close the server, end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        future.result(timeout=10)
        thread.join(timeout=10)
        self._thread = self._loop = None

    def _run(self, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup(sock))
        except BaseException as error:  # reported to start()
            self._startup_error = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self, sock: socket.socket) -> None:
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=CLIENT_MAX_SIZE)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("*", "/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        self.state.listeners.append(self._wake_threadsafe)
        self._delivery = asyncio.create_task(self._deliver_to_webhook())

    async def _shutdown(self) -> None:
        assert self._stopping is not None and self._runner is not None
        with self.state.lock:
            if self._wake_threadsafe in self.state.listeners:
                self.state.listeners.remove(self._wake_threadsafe)
        self._stopping.set()
        self._wake()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        await self._runner.cleanup()
        asyncio.get_running_loop().call_soon(asyncio.get_running_loop().stop)

    # ------------------------------------------------------------------ wakeups

    def _wake(self) -> None:
        """In the server loop: release every long poll waiting for a change."""
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    def _wake_threadsafe(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(self._wake)

    async def _wait_for_change(self, timeout: float) -> None:
        assert self._wakeup is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but end early when the server stops."""
        assert self._stopping is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # ------------------------------------------------------------------ handlers

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        started = time.time()
        params = Params({})
        try:
            params = await read_params(request)
            self.state.bot_id = self.state.bot_id_for_token(request.match_info["token"])
            result = await self._call(method, params)
            body: JSONDict = {"ok": True, "result": result}
            status = 200
        except ApiError as error:
            body, status = error.to_json(), error.code
        self.state.record_call(CallRecord(
            method=method, params=params.log_view(), time=started, ok=body["ok"],
            error_code=body.get("error_code"), description=body.get("description"),
            result=body.get("result")))
        return json_response(body, status)

    async def _call(self, method: str, params: Params) -> Any:
        fault = self.state.take_fault(method, params.raw("chat_id"))
        if fault is not None:
            if fault.delay:
                await self._sleep(fault.delay)
            error = fault.error()
            if error is not None:
                raise error
        if method.lower() == "getupdates":
            return await self._get_updates(params)
        handler = METHODS_BY_LOWER_NAME.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        result = handler(self.state, params)
        if fault is not None and fault.answer_delay:  # done (message sent), answered late
            await self._sleep(fault.answer_delay)
        return result

    async def _get_updates(self, params: Params) -> list[JSONDict]:
        """getUpdates with long polling: wait up to ``timeout`` s for an update to arrive."""
        assert self._stopping is not None
        offset = params.get_int("offset")
        limit = params.get_int("limit") or 100
        timeout = max(0.0, params.get_float("timeout") or 0.0)
        allowed = params.get_json("allowed_updates")
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older poll still waiting now ends with 409, as on Telegram
        deadline = asyncio.get_running_loop().time() + timeout
        first = True
        while True:
            if self.state.webhook is not None:
                raise ApiError(409, WEBHOOK_CONFLICT)
            updates = self.state.take_updates(offset if first else None, limit,
                                              allowed if first else None)
            first = False
            remaining = deadline - asyncio.get_running_loop().time()
            if updates or remaining <= 0 or self._stopping.is_set():
                return updates
            await self._wait_for_change(remaining)
            if generation != self._poll_generation:
                raise ApiError(409, GET_UPDATES_CONFLICT)

    # ------------------------------------------------------------------ webhook delivery

    async def _deliver_to_webhook(self) -> None:
        """While a webhook is set, POST the oldest pending update to it, one at a time (so a
        chat's updates arrive in order); a 2xx answer confirms it, anything else is recorded
        as getWebhookInfo's last error and tried again after ``webhook_retry_delay``."""
        assert self._stopping is not None
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._stopping.is_set():
                waiting = self.state.next_webhook_delivery()
                if waiting is None:
                    await self._wait_for_change(1.0)
                    continue
                hook, update = waiting
                status, error = await self._post_update(session, hook, update)
                self.state.webhook_answered(update, status, error)
                if error is not None:
                    await self._sleep(self.webhook_retry_delay)

    async def _post_update(self, session: aiohttp.ClientSession, hook: JSONDict,
                           update: JSONDict) -> tuple[int | None, str | None]:
        """One delivery: (HTTP status or None, Telegram's error wording or None)."""
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        body = json.dumps(update, ensure_ascii=False).encode()
        try:
            async with session.post(hook["url"], data=body, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return response.status, None
                return response.status, (
                    f"Wrong response from the webhook: {response.status} {response.reason}")
        except TimeoutError:
            return None, "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return None, "Connection refused"
        except aiohttp.ClientError as error:
            return None, f"Connection error: {type(error).__name__}"

    async def _handle_file(self, request: web.Request) -> web.Response:
        try:
            self.state.bot_id_for_token(request.match_info["token"])
        except ApiError as error:
            return json_response(error.to_json(), error.code)
        with self.state.lock:
            stored = self.state.files_by_path.get(request.match_info["path"])
        if stored is None:
            return json_response({"ok": False, "error_code": 404, "description": "Not Found"},
                                 404)
        return web.Response(body=stored.data,
                            content_type=stored.mime_type or "application/octet-stream")
