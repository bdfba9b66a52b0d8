"""The board (issue 17 §2): the active map as a Telegram Mini App, and its small JSON API.

* `GET /board/` serves the page (bot/board_page/: static HTML, CSS, JS, no build step) with a strict
  Content-Security-Policy: only the project's own files, no inline code, no outside requests.
  Telegram's `telegram-web-app.js` is vendored there too.
* `GET /api/board?chat_id=<id>[&lane=&author=&status=]` answers the chat's active map as JSON:
  stages, lanes, authors, the emotion curve, the page's texts in the chat's language and, per
  stage × lane cell, what the page draws first: how many notes the cell shows under the
  filters, the first `CELL_CARDS` of them, how many are left (`more`), where the next page
  starts (`next`) and the fingerprint of the cards drawn (`seen`). A 10,000-note map moved
  4.7 MiB when every note was sent; now ~100 KiB.
* `GET /api/board/cell?chat_id=&map_id=&stage_id=&kind=&after=[&limit=&lane=&author=&status=]`
  answers one cell's notes after note number `after` (the last card the page drew: a cell is
  in the order of the map's note numbers, the order notes were added), at most `CELL_PAGE`
  (the page's "+ N more"). Paging by that key, not by an offset, neither skips nor repeats a
  card when the cell changed between two pages (a note added, moved, deleted, resolved); `more`
  says how many are left after the page, and `before` fingerprints the cards up to `after` as
  they are now: when it differs from the `seen` the page holds, the cards drawn are out of
  date and the page draws the board again. Note numbers, never note ids (shared by all chats).
* `POST /api/notes/<number>/move` (`{"chat_id": …, "stage_id": …, "kind": …}`) moves note
  <number> of the active map to another stage and/or lane: a correction like one made in the chat
  (storage.notes.correct_note records it in `corrections`), allowed by the same rules.

Every API call carries Telegram's initData (`Authorization: tma <initData>`). It is checked with
HMAC-SHA256 and the bot token (telegram-webapp-auth, per Telegram's documentation), may be at most
24 hours old, and its user must belong to the chat: a private chat's board is its own user's
alone; in a group, getChatMember says so (the answer is kept for at most a minute). Anything else
gets 401 (who are you?) or 403 (not yours) and no data. Logs name chats, users and note numbers,
never a note's text; URLs carry ids and numbers only.

Reading a map or a cell happens in the worker (bot.offload.read_in_worker) on its own read-only
connection; the move's small reads and its write use the application's one connection on the
event-loop thread.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

from sqlite_utils import Database
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from telegram.error import TelegramError
from telegram_webapp_auth.auth import TelegramAuthenticator, generate_secret_key
from telegram_webapp_auth.errors import BaseTWAError

from bot.classifier import kind_sentiment
from bot.core.insights import emotion_curve
from bot.core.items import is_overdue, local_today
from bot.core.journey import language_from_code, parse_id
from bot.core.model import KINDS, LANES, JourneyMap
from bot.core.permissions import Action, may, role_from_status
from bot.flows.board import START_PARAM_PREFIX
from bot.offload import read_in_worker
from bot.permissions import is_in_chat
from bot.texts import t
from bot.views import format_day, quoted, stage_name
from storage.chats import get_chat
from storage.db import utcnow
from storage.maps import get_map
from storage.notes import correct_note, get_note_by_number, list_cell_notes, list_notes

log = logging.getLogger(__name__)

PAGE_DIR = Path(__file__).parent / "board_page"
PAGE_FILES = {  # the only files served under /board/
    "board.js": "text/javascript",
    "board.css": "text/css",
    "telegram-web-app.js": "text/javascript",
}
MAX_INIT_DATA_AGE = timedelta(hours=24)
CLOCK_SKEW = timedelta(minutes=5)  # an auth_date this far in the future is still believed
MEMBERSHIP_TTL = 60.0  # seconds a getChatMember answer is kept
MAX_BODY_BYTES = 4096

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# Texts the page shows, sent with the board in the chat's language.
PAGE_TEXTS = (
    "board.filter_lane",
    "board.filter_author",
    "board.filter_status",
    "board.all",
    "board.status_open",
    "board.status_resolved",
    "board.status_pain",
    "board.emotion",
    "board.owner",
    "board.author",
    "board.stage",
    "board.lane",
    "board.move",
    "board.close",
    "board.moved",
    "board.channels",
    "board.mood",
    "board.empty",
    "board.no_map",
    "board.not_allowed_move",
    "board.resolved_mark",
    "board.due",
    "board.overdue",
    "board.resolved_by",
    "board.more",
)


class Refused(Exception):
    """A request the board answers with `status` and the localized text `key`."""

    def __init__(self, status: int, key: str, lang: str = "en") -> None:
        super().__init__(key)
        self.status, self.key, self.lang = status, key, lang


@dataclass(frozen=True)
class Viewer:
    """The person whose Telegram app opened the board (from validated initData)."""

    user_id: int
    lang: str
    start_param: str | None = None


# --- initData ------------------------------------------------------------------------------


def check_init_data(init_data: str, token: str, *, now: datetime | None = None) -> Viewer:
    """The viewer named by initData signed with `token`'s key; Refused(401) when it is missing,
    forged, older than 24 hours or from the future."""
    lang = unverified_language(init_data)
    try:
        data = TelegramAuthenticator(generate_secret_key(token)).validate(
            init_data, expr_in=MAX_INIT_DATA_AGE
        )
    except BaseTWAError:
        raise Refused(401, "board.error_auth", lang) from None
    now = now or datetime.now(UTC)
    signed_at = datetime.fromtimestamp(data.auth_date, UTC)
    if now - signed_at > MAX_INIT_DATA_AGE or signed_at - now > CLOCK_SKEW or data.user is None:
        raise Refused(401, "board.error_auth", lang)
    return Viewer(data.user.id, language_from_code(data.user.language_code), data.start_param)


def unverified_language(init_data: str) -> str:
    """The language the initData's user says they use — only to word a refusal."""
    try:
        user = json.loads(dict(parse_qsl(init_data)).get("user", "{}"))
        return language_from_code(user.get("language_code") if isinstance(user, dict) else None)
    except (ValueError, TypeError):
        return language_from_code(None)


def sign_init_data(token: str, fields: dict[str, str | dict]) -> str:
    """initData as Telegram signs it for a Mini App (for tests and docs/make_board_screenshots):
    the sorted `key=value` lines hashed with HMAC-SHA256 under HMAC("WebAppData", token)."""
    import hashlib
    import hmac
    from urllib.parse import urlencode

    values = {
        key: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if isinstance(value, dict)
        else str(value)
        for key, value in fields.items()
    }
    check = "\n".join(f"{key}={values[key]}" for key in sorted(values))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    values["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(values)


def chat_id_of(text: str) -> int | None:
    """A chat id given in a request ("-100123", "42"), or None."""
    negative = text.startswith("-")
    number = parse_id(text.removeprefix("-"))
    return None if number is None else (-number if negative else number)


def chat_of_start_param(value: str | None) -> int | None:
    if value and value.startswith(START_PARAM_PREFIX):
        text = value.removeprefix(START_PARAM_PREFIX)
        return chat_id_of(text)
    return None


# --- who may see and move ------------------------------------------------------------------


class Membership:
    """getChatMember answers (the status, and whether the person is in the chat by the one
    rule, bot.permissions.is_in_chat), each kept for at most MEMBERSHIP_TTL seconds."""

    def __init__(self, bot, ttl: float = MEMBERSHIP_TTL, clock=time.monotonic) -> None:
        self.bot, self.ttl, self.clock = bot, ttl, clock
        self._known: dict[tuple[int, int], tuple[float, str, bool]] = {}

    async def status(self, chat_id: int, user_id: int) -> str:
        """The person's status ("left" for a restricted person who has left)."""
        return (await self.lookup(chat_id, user_id))[0]

    async def lookup(self, chat_id: int, user_id: int) -> tuple[str, bool]:
        """(status, in the chat now)."""
        key = (chat_id, user_id)
        known = self._known.get(key)
        if known and self.clock() - known[0] < self.ttl:
            return known[1], known[2]
        try:
            member = await self.bot.get_chat_member(chat_id, user_id)
            present = is_in_chat(member)
            status = member.status
            if status == "restricted" and not present:  # has left, restricted
                status = "left"
        except TelegramError:  # no such chat or user for the bot: not a member
            status, present = "unknown", False
        if len(self._known) > 10_000:
            self._known.clear()
        self._known[key] = (self.clock(), status, present)
        return status, present


async def viewer_status(request: Request, viewer: Viewer, chat_id: int) -> str:
    """The viewer's status in the chat ("administrator" for their own private chat);
    Refused(403) when they are not in it or the initData was made for another chat."""
    named = chat_of_start_param(viewer.start_param)
    if named is not None and named != chat_id:
        raise Refused(403, "board.error_forbidden", viewer.lang)
    if chat_id > 0:  # a private chat's id is its user's id
        if chat_id != viewer.user_id:
            raise Refused(403, "board.error_forbidden", viewer.lang)
        return "administrator"
    application = request.app.state.application
    membership = application.bot_data.get("board_membership")
    if membership is None:
        membership = application.bot_data["board_membership"] = Membership(application.bot)
    status, present = await membership.lookup(chat_id, viewer.user_id)
    if not present:
        raise Refused(403, "board.error_forbidden", viewer.lang)
    return status


def may_move(status: str, *, own: bool, everyone_edits: bool) -> bool:
    """Moving a card is changing a note's stage or kind, as the chat's buttons do, so the
    chat's permission policy decides (bot/core/permissions.py): administrators move any note,
    members their own, or any when the chat's "everyone edits" is on."""
    role = role_from_status(status)
    return may(role, Action.EDIT_NOTE, everyone_edits=everyone_edits, own=own)


async def authorized(request: Request, chat_id: int | None) -> tuple[Viewer, str]:
    settings = request.app.state.settings
    header = request.headers.get("authorization", "")
    scheme, _, init_data = header.partition(" ")
    if scheme.lower() != "tma" or not init_data.strip() or not settings.token:
        raise Refused(401, "board.error_auth", unverified_language(init_data))
    viewer = check_init_data(init_data.strip(), settings.token)
    if chat_id is None:
        raise Refused(400, "board.error_bad", viewer.lang)
    return viewer, await viewer_status(request, viewer, chat_id)


def refusal(error: Refused) -> JSONResponse:
    return JSONResponse(
        {"error": error.key.removeprefix("board.error_"), "message": t(error.lang, error.key)},
        status_code=error.status,
        headers={"Cache-Control": "no-store"},
    )


# --- reading the map (in the worker) --------------------------------------------------------

CELL_CARDS = 30  # cards of each cell in the board's first answer (the page draws them all)
CELL_PAGE = 200  # cards at most in one answer for a cell's "+ N more"
STATUSES = ("", "open", "resolved", "pain")


@dataclass(frozen=True)
class CardFilter:
    """The page's filters: one lane (kind), one author, a status ("open", "resolved", "pain")."""

    lane: str = ""
    author: int | None = None
    status: str = ""

    def shows(self, note) -> bool:
        if self.lane and note.kind != self.lane:
            return False
        if self.author is not None and note.author_id != self.author:
            return False
        if self.status == "open":
            return note.shown_status != "resolved"
        if self.status == "resolved":
            return note.shown_status == "resolved"
        if self.status == "pain":
            return note.is_open_pain_point
        return True


def card_filter(params) -> CardFilter | None:
    """The filters named in a request's query (None: one of them is not understood)."""
    lane, status = params.get("lane", ""), params.get("status", "")
    author = params.get("author", "")
    author_id = chat_id_of(author) if author else None
    if (lane and lane not in KINDS) or status not in STATUSES or (author and author_id is None):
        return None
    return CardFilter(lane, author_id, status)


def read_board(
    db: Database, chat_id: int, viewer: dict, shown: CardFilter = CardFilter(),
    gzipped: bool = False,
) -> bytes | None:
    """The chat's active map as the board's JSON, encoded (None: the chat is unknown here).

    Runs in the worker (bot.offload.read_in_worker) on its read-only connection; bytes come
    back so the event loop never unpickles thousands of notes."""
    chat = get_chat(db, chat_id)
    if chat is None:
        return None
    lang = chat.lang
    journey = get_map(db, chat.id, chat.active_map_id)
    # "admin" tells the page it may offer Move on every card (the API checks again)
    moves_any = may_move(viewer["status"], own=False, everyone_edits=chat.everyone_edits)
    board = {
        "chat": {"id": chat.id, "lang": lang, "is_group": chat.is_group},
        "viewer": {"id": viewer["id"], "admin": moves_any},
        "texts": {key.removeprefix("board."): t(lang, key) for key in PAGE_TEXTS},
        "lanes": [{"key": lane, "name": t(lang, f"lane.{lane}")} for lane in LANES],
        "kinds": [{"key": kind, "name": t(lang, f"kind.{kind}")} for kind in KINDS],
        "map": _map_json(db, lang, journey, local_today(utcnow(), chat.timezone), shown)
        if journey is not None
        else None,
    }
    return _encoded(board, gzipped)


def _encoded(answer: dict, gzipped: bool) -> bytes:
    """JSON bytes, gzipped when the browser takes it (10,000 notes' first answer: 617 KiB of
    JSON, 45 KiB gzipped in 6 ms of the worker's CPU, not the event loop's)."""
    data = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(data, compresslevel=6) if gzipped else data


def _map_json(
    db: Database, lang: str, journey: JourneyMap, today: date, shown: CardFilter = CardFilter()
) -> dict:
    notes = list_notes(db, journey.chat_id, journey.id)
    stages = [{"id": s.id, "key": s.key, "name": stage_name(lang, s)} for s in journey.stages]
    if any(journey.stage_by_id(n.stage_id) is None for n in notes):
        stages.append({"id": None, "key": None, "name": stage_name(lang, None)})
    cells: dict[tuple[int | None, str], tuple[list, list[int]]] = {}  # → (first notes, [count])
    for note in notes:
        if not shown.shows(note):
            continue
        stage_id = note.stage_id if journey.stage_by_id(note.stage_id) else None
        first, count = cells.setdefault((stage_id, note.kind), ([], [0]))
        count[0] += 1
        if len(first) < CELL_CARDS:
            first.append(note)
    drawn = [note for first, _ in cells.values() for note in first]
    authors = {n.author_id: n.author_name for n in notes if n.author_id is not None}
    people = _names(db, set(authors) | {n.owner_id for n in drawn})
    return {
        "id": journey.id,
        "name": journey.name,
        "persona": journey.persona,
        "stages": stages,
        "curve": emotion_curve(journey, notes),
        "total": len(notes),
        "authors": [{"id": i, "name": people.get(i) or name or "?"} for i, name in authors.items()],
        "cells": [
            {
                "stage_id": stage_id,
                "kind": kind,
                "count": count[0],
                "more": count[0] - len(first),
                **_cursor(first),
                "notes": [_card(lang, journey, today, people, n) for n in first],
            }
            for (stage_id, kind), (first, count) in cells.items()
        ],
    }


def _card(lang: str, journey: JourneyMap, today: date, people: dict[int, str], n) -> dict:
    """One note as the page draws it (a card) and shows it (its details)."""
    return {
        "number": n.number,
        "stage_id": n.stage_id if journey.stage_by_id(n.stage_id) else None,
        "kind": n.kind,
        "text": n.text,
        "author_id": n.author_id,
        "author": people.get(n.author_id) or n.author_name,
        "owner": people.get(n.owner_id) if n.is_item else None,
        "due_on": n.due_on.isoformat() if n.is_item and n.due_on else None,
        "due": format_day(lang, n.due_on) if n.is_item and n.due_on else None,
        "overdue": is_overdue(n, today),
        "resolved_by": n.resolved_by_name if n.is_resolved else None,
        "resolved_at": n.resolved_at.isoformat() if n.is_resolved and n.resolved_at else None,
        "status": n.shown_status,
        "pain": n.is_open_pain_point,
        "resolved": n.is_resolved,
        "sentiment": n.sentiment,
        "channels": list(n.channels),
        "created_at": n.created_at.isoformat() if n.created_at else None,
        "quote": n.quote,
        "quote_text": quoted(lang, n) if n.quote else None,  # “…” (who, when)
        "quoted_from": n.quoted_from,
        "said_at": n.said_at.isoformat() if n.said_at else None,
    }


def _cursor(drawn: list) -> dict:
    """Where the page's next "+ N more" starts (`next`: the last drawn card's number on its map;
    a cell is in number order) and the fingerprint of the cards drawn up to there (`seen`).
    Numbers, not note ids: ids are shared by every chat, and a member would read from them how
    many notes other teams write."""
    return {"next": drawn[-1].number if drawn else 0, "seen": cards_fingerprint(drawn)}


def cards_fingerprint(notes: list) -> str:
    """A short digest of what the cards of one cell's `notes` show (which notes, their text,
    lane, status, owner, due day, mood; the stage is the cell's): equal digests, equal cards.
    CRC-32, stable across processes (the worker's answers are compared with each other). Made
    of note numbers, not ids (nor stage ids): a CRC of fields the member knows is easily
    inverted, and ids are shared by every chat, so they would tell how much other chats write."""
    shown = "\n".join(
        f"{n.number}|{n.kind}|{n.shown_status}|{n.is_open_pain_point}|{n.owner_id}|"
        f"{n.due_on}|{n.sentiment}|{n.text}"
        for n in notes
    )
    return f"{zlib.crc32(shown.encode()):08x}"


def read_cell(
    db: Database, chat_id: int, map_id: int, stage_id: int | None, kind: str, after: int,
    limit: int, shown: CardFilter, gzipped: bool = False,
) -> bytes | None:
    """One stage × lane cell of the chat's active map after note number `after` (the last card
    the page drew; numbers follow insertion order on a map, so a cell is in number order as it
    is in id order, and a note keeps its number when moved), encoded: at most `limit` cards,
    how many the cell shows under the filters, how many are left after these (`more`), the
    fingerprint of the cards up to `after` as they are now (`before`) and up to the last one
    sent (`seen`), and where the next page starts (`next`). None: the chat is unknown;
    b"": map `map_id` is no longer the active one, or stage `stage_id` is no longer on it. Runs
    in the worker, O(the cell)."""
    chat = get_chat(db, chat_id)
    if chat is None:
        return None
    journey = get_map(db, chat.id, chat.active_map_id)
    if journey is None or journey.id != map_id:
        return b""
    if stage_id is not None and journey.stage_by_id(stage_id) is None:
        return b""  # the stage was removed since the page drew it: the page reloads
    if stage_id is not None:
        notes = list_cell_notes(db, chat.id, journey.id, stage_id, kind)
    else:  # the notes without a stage on this map (rare): read through the map
        notes = [n for n in list_notes(db, chat.id, journey.id)
                 if n.kind == kind and journey.stage_by_id(n.stage_id) is None]
    notes = [n for n in notes if shown.shows(n)]  # oldest (lowest id, lowest number) first
    drawn = [n for n in notes if n.number <= after]
    rest = notes[len(drawn):]
    page = rest[:limit]
    people = _names(db, {n.author_id for n in page} | {n.owner_id for n in page})
    today = local_today(utcnow(), chat.timezone)
    cell = {
        "stage_id": stage_id,
        "kind": kind,
        "count": len(notes),
        "more": len(rest) - len(page),
        "before": cards_fingerprint(drawn),
        **_cursor(drawn + page),
        "notes": [_card(chat.lang, journey, today, people, n) for n in page],
    }
    return _encoded(cell, gzipped)


def _names(db: Database, user_ids: set[int | None]) -> dict[int, str]:
    ids = sorted(i for i in user_ids if i is not None)
    names: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        for user_id, first, username in db.execute(
            f"SELECT id, first_name, username FROM users WHERE id IN ({marks})", part
        ).fetchall():
            names[user_id] = first or (f"@{username}" if username else "?")
    return names


# --- the routes ---------------------------------------------------------------------------


async def board_page(request: Request) -> Response:
    return FileResponse(
        PAGE_DIR / "index.html",
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


async def board_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in PAGE_FILES:
        return Response("Not Found", status_code=404, headers=SECURITY_HEADERS)
    return FileResponse(
        PAGE_DIR / name, media_type=PAGE_FILES[name], headers={**SECURITY_HEADERS}
    )


async def board_redirect(request: Request) -> Response:
    return RedirectResponse("/board/", status_code=308)


async def api_board(request: Request) -> Response:
    """GET /api/board?chat_id=<id>: the chat's active map, for a member of the chat, with what
    each cell draws first."""
    chat_id = chat_id_of(request.query_params.get("chat_id", ""))
    try:
        viewer, status = await authorized(request, chat_id)
        shown = card_filter(request.query_params)
        if shown is None:
            raise Refused(400, "board.error_bad", viewer.lang)
    except Refused as error:
        log.info("board refused", extra={"chat_id": chat_id, "status": error.status})
        return refusal(error)
    db: Database = request.app.state.application.bot_data["db"]
    seen_as = {"id": viewer.user_id, "status": status}
    gzipped = takes_gzip(request)
    board = await read_in_worker(db, read_board, chat_id, seen_as, shown, gzipped)
    if board is None:
        return refusal(Refused(404, "board.error_no_chat", viewer.lang))
    return json_bytes(board, gzipped)


async def api_cell(request: Request) -> Response:
    """GET /api/board/cell: the rest of one cell of the active map, a page at a time."""
    query = request.query_params
    chat_id = chat_id_of(query.get("chat_id", ""))
    try:
        viewer, _ = await authorized(request, chat_id)
        map_id, kind = parse_id(query.get("map_id", "")), query.get("kind", "")
        stage = query.get("stage_id", "")
        stage_id = None if stage == "none" else parse_id(stage)
        after, limit = _count(query.get("after", "0")), _count(query.get("limit", "0"))
        shown = card_filter(query)
        if (map_id is None or kind not in KINDS or (stage_id is None and stage != "none")
                or after is None or limit is None or limit > CELL_PAGE or shown is None):
            raise Refused(400, "board.error_bad", viewer.lang)
    except Refused as error:
        log.info("board cell refused", extra={"chat_id": chat_id, "status": error.status})
        return refusal(error)
    db: Database = request.app.state.application.bot_data["db"]
    gzipped = takes_gzip(request)
    cell = await read_in_worker(db, read_cell, chat_id, map_id, stage_id, kind, after,
                                limit or CELL_PAGE, shown, gzipped)
    if cell is None:
        return refusal(Refused(404, "board.error_no_chat", viewer.lang))
    if not cell:
        return refusal(Refused(409, "board.error_stale", viewer.lang))
    return json_bytes(cell, gzipped)


def takes_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def json_bytes(data: bytes, gzipped: bool) -> Response:
    """An answer encoded in the worker (`_encoded`), sent as it is."""
    headers = {"Cache-Control": "no-store", "Vary": "Accept-Encoding"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(data, media_type="application/json", headers=headers)


async def api_move(request: Request) -> Response:
    """POST /api/notes/<number>/move: note <number> of the active map to another stage and/or
    lane ({"chat_id", "stage_id", "kind"}), recorded as a correction."""
    number = parse_id(request.path_params["number"])
    body = await request.body()
    try:
        payload = json.loads(body) if len(body) <= MAX_BODY_BYTES else None
        chat_id = chat_id_of(str(payload["chat_id"]))
    except (ValueError, TypeError, KeyError):
        payload, chat_id = None, None
    try:
        viewer, status = await authorized(request, chat_id)
        if number is None or not isinstance(payload, dict):
            raise Refused(400, "board.error_bad", viewer.lang)
        note = await moved_note(request, viewer, status, chat_id, number, payload)
    except Refused as error:
        log.info(
            "board move refused",
            extra={"chat_id": chat_id, "number": number, "status": error.status},
        )
        return refusal(error)
    log.info("board move", extra={"chat_id": chat_id, "number": number})
    return JSONResponse(
        {"number": note.number, "stage_id": note.stage_id, "kind": note.kind},
        headers={"Cache-Control": "no-store"},
    )


async def moved_note(request, viewer: Viewer, status: str, chat_id: int, number: int, payload):
    db: Database = request.app.state.application.bot_data["db"]  # the event loop's connection
    chat = get_chat(db, chat_id)
    journey = get_map(db, chat_id, chat.active_map_id) if chat else None
    note = get_note_by_number(db, chat_id, journey.id, number) if journey else None
    if note is None:
        raise Refused(404, "board.error_not_found", viewer.lang)
    own = note.author_id == viewer.user_id
    if not may_move(status, own=own, everyone_edits=chat.everyone_edits):
        raise Refused(403, "board.not_allowed_move", viewer.lang)
    stage_id, kind = payload.get("stage_id"), payload.get("kind")
    stage = journey.stage_by_id(stage_id) if isinstance(stage_id, int) else None
    if (stage_id is not None and stage is None) or (kind is not None and kind not in KINDS):
        raise Refused(400, "board.error_bad", viewer.lang)
    if stage is None and kind is None:
        raise Refused(400, "board.error_bad", viewer.lang)
    sentiment = await kind_sentiment(note.text, note.lang, kind) if kind else None
    return correct_note(
        db,
        chat_id,
        note.id,
        viewer.user_id,
        stage_id=stage.id if stage else None,
        stage_key=stage.key if stage else None,
        kind=kind,
        sentiment=sentiment,
    )


def _count(text: str) -> int | None:
    """A whole number given in a query (0 included: a number of cards, a note number), or None."""
    return int(text) if text.isdigit() and len(text) <= 18 else None


def board_routes() -> list[BaseRoute]:
    """The board's routes, for bot.web.build_web_app(extra_routes=...)."""
    return [
        Route("/board", board_redirect, methods=["GET"]),
        Route("/board/", board_page, methods=["GET", "HEAD"]),
        Route("/board/{name}", board_file, methods=["GET", "HEAD"]),
        Route("/api/board", api_board, methods=["GET"]),
        Route("/api/board/cell", api_cell, methods=["GET"]),
        Route("/api/notes/{number}/move", api_move, methods=["POST"]),
    ]
