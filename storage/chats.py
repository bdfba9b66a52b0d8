"""Chats (teams) and users."""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from bot.core.model import DEFAULT_TIMEZONES, Chat, User
from storage.db import to_iso, utcnow

LAST_SEEN_PRECISION = timedelta(minutes=1)


def _chat_from_row(row: dict) -> Chat:
    return Chat(
        id=row["id"],
        type=row["type"],
        title=row["title"],
        lang=row["lang"],
        timezone=row["timezone"],
        active_map_id=row["active_map_id"],
        timezone_confirmed=bool(row["timezone_confirmed"]),
        everyone_edits=bool(row.get("everyone_edits")),
    )


def get_chat(db: Database, chat_id: int) -> Chat | None:
    """The chat with this Telegram id, or None if the bot has never seen it."""
    rows = list(db.query("SELECT * FROM chats WHERE id = ?", [chat_id]))
    return _chat_from_row(rows[0]) if rows else None


def remember_chat(
    db: Database, chat_id: int, chat_type: str, title: str | None, default_lang: str
) -> Chat:
    """Creates the chat on first sight (language from `default_lang`) or refreshes its title.
    An unchanged chat is not written (this runs for every update)."""
    now = to_iso(utcnow())
    db.execute(
        """
        INSERT INTO chats (id, type, title, lang, timezone, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            type = excluded.type,
            title = excluded.title,
            updated_at = excluded.updated_at
        WHERE chats.title IS NOT excluded.title OR chats.type IS NOT excluded.type
        """,
        [chat_id, chat_type, title, default_lang, DEFAULT_TIMEZONES[default_lang], now, now],
    )
    chat = get_chat(db, chat_id)
    assert chat is not None
    return chat


def set_chat_language(db: Database, chat_id: int, lang: str) -> Chat:
    """Stores the chat's interface language; the time zone follows it until set explicitly."""
    db.execute(
        """
        UPDATE chats SET lang = ?, updated_at = ?,
            timezone = CASE WHEN timezone_confirmed THEN timezone ELSE ? END
        WHERE id = ?
        """,
        [lang, to_iso(utcnow()), DEFAULT_TIMEZONES[lang], chat_id],
    )
    chat = get_chat(db, chat_id)
    assert chat is not None
    return chat


def set_everyone_edits(db: Database, chat_id: int, *, allowed: bool) -> Chat:
    """Turns the chat's "everyone edits" setting on or off."""
    db.execute(
        "UPDATE chats SET everyone_edits = ?, updated_at = ? WHERE id = ?",
        [int(allowed), to_iso(utcnow()), chat_id],
    )
    chat = get_chat(db, chat_id)
    assert chat is not None
    return chat


def set_chat_timezone(db: Database, chat_id: int, timezone: str) -> None:
    """Stores the time zone the team confirmed; their schedules follow it."""
    db.execute(
        "UPDATE chats SET timezone = ?, timezone_confirmed = 1, updated_at = ? WHERE id = ?",
        [timezone, to_iso(utcnow()), chat_id],
    )


def set_active_map(db: Database, chat_id: int, map_id: int | None) -> None:
    """Makes `map_id` the map that notes and /map use in this chat (None: no map)."""
    db.execute(
        "UPDATE chats SET active_map_id = ?, updated_at = ? WHERE id = ?",
        [map_id, to_iso(utcnow()), chat_id],
    )


def remember_user(
    db: Database,
    user_id: int,
    first_name: str,
    username: str | None,
    language_code: str | None,
) -> User:
    """Creates or refreshes a Telegram user. `last_seen_at` is kept to the minute: an unchanged
    user seen again within a minute is not written (this runs for every update)."""
    moment = utcnow()
    now = to_iso(moment)
    db.execute(
        """
        INSERT INTO users (id, first_name, username, language_code, created_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            first_name = excluded.first_name,
            username = excluded.username,
            language_code = excluded.language_code,
            last_seen_at = excluded.last_seen_at
        WHERE users.first_name IS NOT excluded.first_name
           OR users.username IS NOT excluded.username
           OR users.language_code IS NOT excluded.language_code
           OR users.last_seen_at < ?
        """,
        [user_id, first_name or "", username, language_code, now, now,
         to_iso(moment - LAST_SEEN_PRECISION)],
    )
    return User(
        id=user_id, first_name=first_name or "", username=username, language_code=language_code
    )


def get_user(db: Database, user_id: int) -> User | None:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    if not rows:
        return None
    row = rows[0]
    return User(row["id"], row["first_name"], row["username"], row["language_code"])


def find_user_by_username(db: Database, username: str) -> User | None:
    """The person the bot has seen with this @username (case-insensitive, "@" optional)."""
    name = username.strip().removeprefix("@")
    if not name:
        return None
    rows = list(
        db.query(
            "SELECT * FROM users WHERE username = ? COLLATE NOCASE AND username IS NOT NULL"
            " ORDER BY last_seen_at DESC LIMIT 1",
            [name],
        )
    )
    if not rows:
        return None
    row = rows[0]
    return User(row["id"], row["first_name"], row["username"], row["language_code"])


def has_private_chat(db: Database, user_id: int) -> bool:
    """Whether the person has started the bot: their private chat with it is known."""
    return (
        db.execute("SELECT 1 FROM chats WHERE id = ? AND type = 'private'", [user_id]).fetchone()
        is not None
    )


CONSOLE_PEOPLE = range(1, 1000)  # the console's people in groups (Telegram's ids are larger)


def console_person(db: Database, chat_id: int, name: str) -> int:
    """The user id of the console's `name` in the group `chat_id`: the member seen there with
    that first name, else the first console person (1) if the group has not seen them, else a
    new id — so one name is one person across sessions, and two names are two people."""
    row = db.execute(
        "SELECT users.id FROM chat_members JOIN users ON users.id = chat_members.user_id"
        " WHERE chat_members.chat_id = ? AND users.first_name = ? AND users.id BETWEEN ? AND ?"
        " ORDER BY users.id LIMIT 1",
        [chat_id, name, CONSOLE_PEOPLE.start, CONSOLE_PEOPLE.stop - 1],
    ).fetchone()
    if row:
        return row[0]
    first = db.execute(
        "SELECT 1 FROM chat_members WHERE chat_id = ? AND user_id = ?",
        [chat_id, CONSOLE_PEOPLE.start],
    ).fetchone()
    if first is None:
        return CONSOLE_PEOPLE.start
    last = db.execute(
        "SELECT max(id) FROM users WHERE id BETWEEN ? AND ?",
        [CONSOLE_PEOPLE.start, CONSOLE_PEOPLE.stop - 1],
    ).fetchone()[0]
    return (last or CONSOLE_PEOPLE.start) + 1
