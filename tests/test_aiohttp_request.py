"""The bot's aiohttp backend for the Bot API (bot/aiohttp_request.py) against the emulator and
small local servers: it must behave as PTB's HTTPXRequest does — errors, uploads, timeouts,
the pool, proxies, certificate checks, shutdown — and the bot must run on either."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import ssl
import subprocess

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.aiohttp_request import AiohttpRequest, json_body
from bot.app import build_application
from bot.settings import ConfigError, Settings
from bot.startup import WatchedPollRequest
from tests.emulator import TelegramEmulator, User, tiny_png
from tests.harness import BotUnderTest, Person, free_port

TOKEN = "123:ABC"
ALICE = User(42, "Alice", username="alice")
BACKENDS = {"aiohttp": AiohttpRequest, "httpx": HTTPXRequest}


def make_bot(base_url: str, request: BaseRequest, file_url: str | None = None) -> Bot:
    return Bot(TOKEN, base_url=base_url, base_file_url=file_url or base_url, request=request)


def emulated_bot(emu: TelegramEmulator, backend: str = "aiohttp", **timeouts) -> Bot:
    return make_bot(emu.base_url, BACKENDS[backend](**timeouts), emu.base_file_url)


async def outcome(call) -> tuple[str, str]:
    """What a Bot API call ended with: ("ok", "") or (exception class, message)."""
    try:
        await call
    except Exception as error:  # whatever it is: both backends must raise the same
        return type(error).__name__, str(error)
    return "ok", ""


@contextlib.asynccontextmanager
async def local_server(handler, *, ssl_context: ssl.SSLContext | None = None):
    """A raw TCP server on 127.0.0.1 running `handler(reader, writer)`; yields its port."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)


def established_to(port: int) -> int:
    """How many of this process's TCP connections to 127.0.0.1:`port` are open (Linux)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].split(":")[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                count += 1
    return count


# --------------------------------------------------------------------------- the bot's choice


def test_the_bot_talks_through_aiohttp_unless_told_httpx(tmp_path, monkeypatch):
    settings = Settings(db_path=str(tmp_path / "bot.db"), token="123:ABC", load_nlp=False)
    app = build_application(settings)
    assert isinstance(app.bot.request, AiohttpRequest)
    polling = app.updater.bot._request[0]  # getUpdates' own, watched for the first poll
    assert isinstance(polling, WatchedPollRequest) and isinstance(polling.inner, AiohttpRequest)
    monkeypatch.setenv("JOURNEYBOT_HTTP", "httpx")
    fallback = Settings.from_env(db_path=str(tmp_path / "bot.db"))
    assert fallback.http_backend == "httpx"
    assert isinstance(build_application(fallback).bot.request, HTTPXRequest)
    monkeypatch.setenv("JOURNEYBOT_HTTP", "requests")
    with pytest.raises(ConfigError, match="JOURNEYBOT_HTTP must be aiohttp or httpx"):
        Settings.from_env(db_path=str(tmp_path / "bot.db"))


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_a_note_and_an_export_go_through_either_backend(emu, tmp_path, backend):
    anna = User(501, "Anna", language_code="en")
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False,
                            http_backend=backend) as bot:
        assert isinstance(bot.app.bot.request, BACKENDS[backend])
        person = Person(bot, anna.id, anna)
        *_, ack = await person.says("/note the oven timer was wrong again")
        assert ack.callback_data[-1] == "nb:undo:1"  # the note's buttons came back
        (document,) = await person.says("/export md")
        assert document.method == "sendDocument" and "the oven timer" in document.document.decode()


# --------------------------------------------------------------------------- parity with httpx

FAULTS = [
    ("sendMessage", dict(status=429, retry_after=7), RetryAfter),
    ("sendMessage", dict(status=400, description="Bad Request: chat not found"), BadRequest),
    ("sendMessage", dict(status=403, description="Forbidden: bot was blocked by the user"),
     Forbidden),
    ("sendMessage", dict(status=502), NetworkError),
    ("sendMessage", dict(status=500, description="Internal Server Error"), NetworkError),
    ("sendMessage", dict(status=401), InvalidToken),
    ("getUpdates", dict(status=409, description="Conflict: terminated by other getUpdates"),
     Conflict),
]


@pytest.mark.parametrize(("method", "fault", "expected"), FAULTS,
                         ids=[f"{m}-{f['status']}" for m, f, _ in FAULTS])
async def test_telegram_errors_raise_what_httpx_raises(emu, method, fault, expected):
    emu.create_chat(ALICE.id, user=ALICE)
    outcomes = {}
    for backend in BACKENDS:
        async with emulated_bot(emu, backend) as bot:
            emu.inject(method, **fault)
            call = (bot.send_message(ALICE.id, "hello") if method == "sendMessage"
                    else bot.get_updates(timeout=0))
            outcomes[backend] = await outcome(call)
    assert outcomes["aiohttp"] == outcomes["httpx"]
    assert outcomes["aiohttp"][0] == expected.__name__


async def test_keyboards_text_and_answers_are_the_same_through_both(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Змінити етап ✏️", callback_data="a:1"),
                                      InlineKeyboardButton("Cofnij & 1", callback_data="b:2")]])
    sent = {}
    for backend in BACKENDS:
        async with emulated_bot(emu, backend) as bot:
            message = await bot.send_message(ALICE.id, "<b>Notatka</b> #1 · ból 😣 &amp; więcej",
                                             parse_mode="HTML", reply_markup=keyboard)
            sent[backend] = (message.text, message.reply_markup.to_dict())
    first, second = emu.bot_messages(ALICE.id)
    assert sent["aiohttp"] == sent["httpx"]
    assert first.raw_text == second.raw_text == "<b>Notatka</b> #1 · ból 😣 &amp; więcej"
    assert first.reply_markup == second.reply_markup == keyboard.to_dict()


async def test_uploads_and_downloads_arrive_byte_for_byte(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    png, table = tiny_png(5, 4), "етап,нотатка\n1,довга доставка\n".encode()
    for backend in BACKENDS:
        async with emulated_bot(emu, backend) as bot:
            photo = await bot.send_photo(ALICE.id, png, caption="Mapa <i>podróży</i>",
                                         parse_mode="HTML", filename="mapa.png")
            document = await bot.send_document(ALICE.id, io.BytesIO(table),
                                               filename="Podróż — карта.csv")
            assert document.document.file_name == "Podróż — карта.csv"
            table_file = await bot.get_file(document.document.file_id)
            assert bytes(await table_file.download_as_bytearray()) == table
            picture_file = await bot.get_file(photo.photo[-1].file_id)
            assert bytes(await picture_file.download_as_bytearray()) == png
    by_aiohttp, by_httpx = emu.bot_messages(ALICE.id)[:2], emu.bot_messages(ALICE.id)[2:]
    for ours, theirs in zip(by_aiohttp, by_httpx, strict=True):
        assert (ours.caption, ours.method) == (theirs.caption, theirs.method)
        assert [(f.data, f.file_name, f.mime_type) for f in ours.files] == [
            (f.data, f.file_name, f.mime_type) for f in theirs.files]


# --------------------------------------------------------------------------- timeouts, the pool


async def test_a_late_answer_times_out_but_the_message_is_sent(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    emu.inject("sendMessage", delay=1.0)
    async with emulated_bot(emu, read_timeout=0.2) as bot:
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE.id, "slow")
        assert asyncio.get_running_loop().time() - started < 0.9
        await emu.wait_for_messages(ALICE.id, 1)
        assert (await bot.send_message(ALICE.id, "next")).text == "next"  # the pool is free


async def test_a_full_pool_fails_fast_and_sends_nothing(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    emu.inject("sendMessage", delay=1.0, times=1)
    async with emulated_bot(emu, connection_pool_size=1, pool_timeout=0.2) as bot:
        first = asyncio.create_task(bot.send_message(ALICE.id, "first"))
        await asyncio.sleep(0.1)  # the first request holds the only place, its answer late
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(ALICE.id, "second")
        await first
        assert (await bot.send_message(ALICE.id, "third")).text == "third"
    assert [m.text for m in emu.bot_messages(ALICE.id)] == ["first", "third"]


async def test_a_refused_connection_is_a_network_error():
    port = free_port()  # nothing listens there
    with pytest.raises(NetworkError, match=r"aiohttp\.ClientConnectorError"):
        async with make_bot(f"http://127.0.0.1:{port}/bot", AiohttpRequest()):
            pass


async def test_an_upload_nobody_reads_times_out():
    """A server that accepts and never reads: the upload fills the socket buffers and stops;
    connect + write + read (0.3 + 0.5 + 0.3 s) bound it."""
    held = []

    async def never_read(reader, writer):
        held.append(writer)
        await asyncio.sleep(30)

    async with local_server(never_read) as port:
        request = AiohttpRequest(connect_timeout=0.3, media_write_timeout=0.5, read_timeout=0.3)
        await request.initialize()
        bot = make_bot(f"http://127.0.0.1:{port}/bot", request)  # not initialized: no getMe
        try:
            started = asyncio.get_running_loop().time()
            with pytest.raises(TimedOut):
                await bot.send_document(ALICE.id, b"x" * (48 * 1024 * 1024), filename="big.bin")
            assert 0.9 <= asyncio.get_running_loop().time() - started < 5
            with pytest.raises(TimedOut):  # a small request: its answer never comes
                await bot.send_message(ALICE.id, "hello?")
        finally:
            await request.shutdown()
            for writer in held:
                writer.close()


# --------------------------------------------------------------------------- proxies, HTTPS


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_a_proxy_from_the_environment_is_used_unless_no_proxy_names_the_host(
    monkeypatch, backend
):
    targets = []

    async def proxy(reader, writer):  # a forward proxy that answers getMe itself
        request_line = (await reader.readline()).decode()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        targets.append(request_line.split()[1])
        body = json.dumps({"ok": True, "result": {"id": 123, "is_bot": True,
                                                  "first_name": "Proxied", "username": "p_bot"}})
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     f"{len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
        await writer.drain()
        writer.close()

    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    nobody = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    async with local_server(proxy) as port:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        async with make_bot(nobody, BACKENDS[backend]()) as bot:
            assert bot.first_name == "Proxied"
        assert targets == [f"{nobody}{TOKEN}/getMe"]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with pytest.raises(NetworkError):  # straight there: refused
            async with make_bot(nobody, BACKENDS[backend]()):
                pass
        assert len(targets) == 1


async def test_a_socks_proxy_in_the_environment_is_refused_with_the_way_out(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "socks5://user:secret@127.0.0.1:1080")
    request = AiohttpRequest()
    with pytest.raises(ValueError, match="JOURNEYBOT_HTTP=httpx") as refused:
        await request.initialize()
    assert "secret" not in str(refused.value)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_a_certificate_nobody_vouches_for_is_refused(tmp_path, backend):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    async def get_me(_request):
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True,
                                                         "first_name": "Fake"}})

    app = web.Application()
    app.router.add_post("/bot{token}/getMe", get_me)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = runner.addresses[0][1]
    try:
        with pytest.raises(NetworkError, match=r"(?i)certificate verify failed"):
            async with make_bot(f"https://127.0.0.1:{port}/bot", BACKENDS[backend]()):
                pass
    finally:
        await runner.cleanup()


# --------------------------------------------------------------------------- shutdown


async def test_shutdown_closes_every_connection_and_initialize_opens_again(emu):
    for chat in range(1, 9):
        emu.create_chat(chat)
    request = AiohttpRequest()
    bot = make_bot(emu.base_url, request)
    async with bot:
        await asyncio.gather(*(bot.send_message(chat, "hi") for chat in range(1, 9)))
        assert established_to(emu.port) >= 2  # several connections were kept open
    await asyncio.sleep(0.05)
    assert established_to(emu.port) == 0
    with pytest.raises(NetworkError, match="not initialized"):
        await bot.send_message(1, "after shutdown")
    await request.shutdown()  # a second shutdown is harmless
    async with bot:  # PTB initializes again after a restart
        assert (await bot.send_message(1, "again")).text == "again"


# --------------------------------------------------------------------------- JSON both ways


async def test_parameters_go_as_one_json_body_and_arrive_typed(emu):
    emu.create_chat(ALICE.id, user=ALICE)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Etap ✏️ & 1", callback_data="a:1")]])
    async with emulated_bot(emu) as bot:
        await bot.send_message(ALICE.id, "ból 😣 <b>&amp;</b>", parse_mode="HTML",
                               reply_markup=keyboard, disable_notification=True)
    (call,) = emu.calls("sendMessage")
    assert call.params["chat_id"] == ALICE.id and call.params["disable_notification"] is True
    assert call.params["reply_markup"] == keyboard.to_dict()  # an object, not a JSON string
    assert emu.bot_messages(ALICE.id)[0].raw_text == "ból 😣 <b>&amp;</b>"


def test_a_body_orjson_cannot_write_is_written_by_json():
    assert json.loads(json_body({"chat_id": 2**70, "text": "ż"})) == {"chat_id": 2**70, "text": "ż"}
    assert json_body({"text": "ż"}) == '{"text":"ż"}'.encode()


def test_answers_orjson_refuses_are_read_as_ptb_reads_them():
    parse = AiohttpRequest().parse_json_payload
    assert parse(b'{"ok":true,"result":{"text":"\xc5\xbc"}}') == {"ok": True,
                                                                   "result": {"text": "ż"}}
    # invalid UTF-8: PTB replaces it (orjson refuses the whole answer)
    assert parse(b'{"ok":true,"result":"a\xff"}') == {"ok": True, "result": "a\ufffd"}
    with pytest.raises(TelegramError, match="Invalid server response"):
        parse(b"<html>502 Bad Gateway</html>")
