"""What the board's tests share: the web app around a running bot, signed initData, a map."""

from __future__ import annotations

import time

from starlette.applications import Starlette

from bot.board import board_routes, sign_init_data
from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_user
from storage.maps import create_map
from storage.notes import add_note
from tests.emulator.models import User
from tests.harness import TOKEN

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
