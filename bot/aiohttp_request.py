"""The bot's HTTP client for the Bot API: python-telegram-bot's `BaseRequest` over aiohttp.

Why it exists: python-telegram-bot sends through httpx/httpcore by default (`HTTPXRequest`),
and in the closed-loop throughput benchmark (issue 14, docs/scaling.md) that send was the
largest cost of a note. Measured against the emulator, the same `bot.send_message` with a
4-button keyboard cost 1.2–1.4 ms of CPU through httpx with one request at a time and
2.0–2.3 ms with 16 at a time (httpcore's pool re-examines every connection on each request,
and writes headers and body in two socket calls); through this class 0.4–0.7 ms, whatever
the concurrency (aiohttp parses responses in C, learns of a closed connection from the event
loop instead of polling each socket, and writes a small request in one call). A note in the
closed loop went from 4.8–5.6 to 2.4–3.6 ms of CPU (docs/scaling.md, "The Bot API client").

It keeps what `HTTPXRequest` gives the bot:
- **timeouts** — connect, read and pool as there (read: between two pieces of the answer,
  counted from the end of the upload); a small request is handed to the kernel in one write,
  which cannot stall, and an upload (multipart, with `media_write_timeout` as its write
  timeout) has one deadline for connect + write + read, because aiohttp has no per-write
  timeout;
- **the pool** — at most `connection_pool_size` requests at once; one more waits up to
  `pool_timeout` and then fails with PTB's "Pool timeout" `TimedOut`, not sent;
- **proxies** from the environment, read once at start as httpx reads them (`HTTPS_PROXY`,
  `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`), or `proxy=`: http:// proxies; for a SOCKS one start
  is refused with the way out (`JOURNEYBOT_HTTP=httpx`);
- **HTTPS with certificate verification** against the system's trust store (certifi's bundle
  where the system has none);
- **the same parameters**: as one JSON body (orjson; Telegram takes `application/json` for
  every method but uploads) where httpx form-encodes them — 0.05 ms of CPU less a send with a
  keyboard, whose JSON httpx %-escapes character by character —, multipart uploads with the
  same bytes as httpx (raw UTF-8 file names);
- **the answers** read with orjson (PTB's own reading where orjson refuses: invalid UTF-8 is
  replaced, broken JSON is PTB's "Invalid server response");
- **errors** — timeouts become `TimedOut`, connection failures `NetworkError`; HTTP answers go
  through PTB's `_request_wrapper` (`RetryAfter`, `BadRequest`, `Forbidden`…) unchanged;
- **shutdown** closes every connection; `initialize` after `shutdown` opens a new session.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from typing import Any
from urllib.request import getproxies_environment, proxy_bypass_environment

import aiohttp
import orjson
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT = BaseRequest.DEFAULT_NONE  # a timeout not given: the one set here applies
JSON = {"Content-Type": "application/json"}
POOL_TIMEOUT = (  # PTB's own wording (HTTPXRequest)
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* sent "
    "to Telegram. Consider adjusting the connection pool size or the pool timeout."
)


def verified_tls() -> ssl.SSLContext | bool:
    """Certificate verification with the system's CA certificates (aiohttp's default context,
    loaded when aiohttp is imported; `SSL_CERT_FILE` / `SSL_CERT_DIR` choose others), or with
    certifi's bundle where the system has none."""
    paths = ssl.get_default_verify_paths()
    if (paths.cafile and os.path.isfile(paths.cafile)) or (
        paths.capath and os.path.isdir(paths.capath) and os.listdir(paths.capath)
    ):
        return True
    import certifi  # httpx's dependency, so always installed with python-telegram-bot

    return ssl.create_default_context(cafile=certifi.where())


def environment_proxies() -> dict[str, str]:
    """`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` as urllib reads them (the
    variables httpx reads); ValueError for a proxy aiohttp cannot use."""
    proxies = getproxies_environment()
    for scheme in ("https", "http", "all"):
        proxy = proxies.get(scheme)
        if proxy and not proxy.lower().startswith("http://"):
            kind, _, rest = proxy.rpartition("://")
            shown = f"{kind}://{rest.rpartition('@')[2]}" if kind else rest.rpartition("@")[2]
            raise ValueError(  # shown without the user name and password
                f"{scheme.upper()}_PROXY={shown}: the aiohttp backend "
                "takes http:// proxies only; for this one set JOURNEYBOT_HTTP=httpx (SOCKS also "
                "needs python-telegram-bot[socks])"
            )
    return proxies


class AiohttpRequest(BaseRequest):
    """`BaseRequest` over one aiohttp session; arguments as `telegram.request.HTTPXRequest`'s."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_proxy",
        "_proxy_by_origin",
        "_read_timeout",
        "_session",
        "_slots",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._proxies: dict[str, str] = {}
        self._proxy_by_origin: dict[tuple[str, str], str | None] = {}
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Opens the session (on the running loop: aiohttp binds to it)."""
        if self._session is not None and not self._session.closed:
            return
        # read once, as httpx does: aiohttp's trust_env would read them, and ~/.netrc, in a
        # thread for every request
        self._proxies = {} if self._proxy else environment_proxies()
        self._proxy_by_origin = {}
        connector = aiohttp.TCPConnector(limit=0, ssl=verified_tls())  # the pool: self._slots
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.USER_AGENT},
            timeout=aiohttp.ClientTimeout(total=None),  # each request sets its own
            cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets no cookies
        )
        self._slots = asyncio.Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        """Closes every connection. Safe to call twice."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

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
        """One HTTP request: (status, body). PTB's `_request_wrapper` reads Telegram's answer."""
        session, slots = self._session, self._slots
        if session is None or slots is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        upload = request_data is not None and request_data.contains_files
        read = self._read_timeout if read_timeout is DEFAULT else read_timeout
        connect = self._connect_timeout if connect_timeout is DEFAULT else connect_timeout
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        headers = None
        if upload:
            assert request_data is not None
            body: aiohttp.FormData | bytes | None = multipart(request_data)
            write = self._media_write_timeout if write_timeout is DEFAULT else write_timeout
            if None not in (connect, write, read):
                timeout = aiohttp.ClientTimeout(
                    total=connect + write + read, sock_connect=connect, sock_read=read
                )
        elif request_data is not None and (parameters := request_data.parameters):
            body, headers = json_body(parameters), JSON
        else:
            body = None
        await self._take_slot(self._pool_timeout if pool_timeout is DEFAULT else pool_timeout)
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy_for(url),
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        finally:
            slots.release()

    @staticmethod
    def parse_json_payload(payload: bytes) -> Any:
        """Telegram's answer, read by orjson; what orjson refuses goes to PTB's own reading
        (invalid UTF-8 replaced; broken JSON: `TelegramError("Invalid server response")`)."""
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)

    def _proxy_for(self, url: str) -> str | None:
        """The proxy for `url`'s scheme and host: `proxy=`, else the environment's (none where
        NO_PROXY names the host); worked out once per origin."""
        scheme, _, netloc = url.split("/", 3)[:3]
        origin = (scheme.rstrip(":").lower(), netloc)
        try:
            return self._proxy_by_origin[origin]
        except KeyError:
            pass
        proxy = self._proxy
        if proxy is None:
            proxy = self._proxies.get(origin[0]) or self._proxies.get("all")
            if proxy and proxy_bypass_environment(netloc.rpartition("@")[2], self._proxies):
                proxy = None
        self._proxy_by_origin[origin] = proxy
        return proxy

    async def _take_slot(self, pool_timeout: float | None) -> None:
        """A place among the `connection_pool_size` requests under way; TimedOut (not sent)
        after waiting `pool_timeout` s."""
        assert self._slots is not None
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns at once
            return
        try:
            async with asyncio.timeout(pool_timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(POOL_TIMEOUT) from None


def json_body(parameters: dict[str, Any]) -> bytes:
    """A request's parameters (PTB's JSON-ready values: keyboards as dicts) as one UTF-8 JSON
    object; the standard library's json for what orjson cannot write (an int past 64 bits)."""
    try:
        return orjson.dumps(parameters)
    except TypeError:
        return json.dumps(parameters, ensure_ascii=False).encode()


def multipart(request_data: RequestData) -> aiohttp.FormData:
    """The parameters, then the files, as multipart/form-data (httpx's order). File names stay
    raw UTF-8 inside the quotes, as httpx sends them, not %-escaped."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
