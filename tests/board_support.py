"""What the board's tests share: the web app around a running bot, signed initData, a map."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote, urlencode

import uvicorn
from starlette.applications import Starlette

from bot.board import board_routes, sign_init_data
from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_user
from storage.maps import create_map
from storage.notes import add_note
from tests.emulator.models import User
from tests.harness import TOKEN, Person

BOARD_NOTES = [  # text, kind, stage, sentiment, author index
    ("Saw the cakes on Instagram", "touchpoint", "awareness", 0.4, 0),
    ("No prices on the website", "pain_point", "consideration", -0.6, 1),
    ("Compares three bakeries before ordering", "action", "consideration", 0.0, 0),
    ("Can I order a gluten-free cake?", "need", "decision", 0.0, 1),
    ("The basket empties after login", "pain_point", "purchase", -0.8, 0),
    ("Card payment fails on the phone", "pain_point", "purchase", -0.7, 1),
    ("Offer BLIK", "opportunity", "purchase", 0.4, 0),
    ("Happy with the birthday cake 🎂", "emotion", "retention", 0.8, 1),
    ("Tells friends about us", "action", "advocacy", 0.6, 0),
]


def web_app(bot) -> Starlette:
    """The board's routes as bot.web serves them (app.state: the Application and Settings)."""
    web = Starlette(routes=board_routes())
    web.state.application = bot.app
    web.state.settings = bot.settings
    return web


def init_data(
    user: User,
    *,
    age: float = 0,
    start_param: str | None = None,
    token: str = TOKEN,
    **extra,
) -> str:
    """initData signed the way Telegram signs it, `age` seconds old."""
    fields: dict = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": {
            "id": user.id,
            "first_name": user.first_name,
            "language_code": user.language_code or "en",
        },
        "auth_date": str(int(time.time() - age)),
        **extra,
    }
    if start_param is not None:
        fields["start_param"] = start_param
    return sign_init_data(token, fields)


def fill_board(db, chat_id: int, authors: list[User], notes=BOARD_NOTES, name="Cake orders"):
    """A map with the six standard stages and `notes`; returns it."""
    for author in authors:
        remember_user(db, author.id, author.first_name, author.username, author.language_code)
    journey = create_map(
        db, chat_id, name, "busy parent", authors[0].id, [(key, None) for key in STAGE_KEYS]
    )
    stage = {s.key: s.id for s in journey.stages}
    for text, kind, key, sentiment, author in notes:
        draft = NoteDraft(text, "en", kind, key, sentiment=sentiment)
        add_note(db, chat_id, journey.id, stage[key], draft, authors[author].id)
    return journey


async def group_with_history(bot, chat_id: int, admin: User, member: User):
    """A group whose board has a history (second_day): `admin` administers it, `member` is a
    member; returns its map."""
    await Person(bot, chat_id, admin, chat_type="supergroup", title="Bakery").says("/start")
    bot.emu.set_member_status(chat_id, admin.id, "administrator")
    bot.emu.set_member_status(chat_id, member.id, "member")
    journey = fill_board(bot.db, chat_id, [admin, member])
    second_day(bot.db, chat_id, journey, member)
    return journey


def second_day(db, chat_id: int, journey, owner: User) -> None:
    """A history: pain point #2 resolved, #5 owned by `owner`, #3 deleted."""
    with db.atomic():
        db.execute(
            "UPDATE notes SET status = 'resolved', resolved_at = '2026-12-01T10:00:00+00:00'"
            " WHERE map_id = ? AND number = 2",
            [journey.id],
        )
        db.execute(
            "UPDATE notes SET owner_id = ? WHERE map_id = ? AND number = 5", [owner.id, journey.id]
        )
        db.execute("DELETE FROM notes WHERE map_id = ? AND number = 3", [journey.id])


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
THEME = {  # what Telegram's dark theme passes in tgWebAppThemeParams
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
    "destructive_text_color": "#ec3942",
}


@asynccontextmanager
async def serving(web) -> AsyncIterator[str]:
    """Serves `web` with uvicorn on 127.0.0.1 (a free port) in this event loop; yields its URL."""
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def board_url(base: str, chat_id: int, data: str, theme: dict | None = None) -> str:
    """The address Telegram opens: the page, then initData and theme in the URL's #hash."""
    hash_params = {"tgWebAppData": data, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "tdesktop"}
    if theme:
        hash_params["tgWebAppThemeParams"] = json.dumps(theme)
    return f"{base}/board/?chat_id={chat_id}#{urlencode(hash_params, quote_via=quote)}"
