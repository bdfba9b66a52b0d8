"""The update inbox: what Telegram sent, kept until it has been handled.

An update is written to `inbox` (with its JSON) before Telegram is told it was received. When
its handling is over, the row moves to `handled_updates` (ids only, kept two days: Telegram
redelivers for less than a day). An update is in at most one of the two tables; an update id
found in either is a redelivery. Update ids are numbered per bot, so every key is
(bot id, update id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import to_iso, utcnow

MAX_ATTEMPTS = 3  # an update whose handling was cut short this often is given up


@dataclass(frozen=True)
class InboxEntry:
    """An update waiting in the inbox. `replayable` is False once a handler began a change that
    must not be repeated; `note_id` is the note stored for it whose acknowledgement is owed."""

    update_id: int
    chat_id: int | None
    payload: dict
    attempts: int
    replayable: bool
    note_id: int | None


def is_known_update(db: Database, bot_id: int, update_id: int) -> bool:
    """Whether the update is waiting in the inbox or was handled already (a redelivery)."""
    row = db.execute(
        "SELECT 1 FROM inbox WHERE bot_id = :bot AND update_id = :id"
        " UNION ALL SELECT 1 FROM handled_updates WHERE bot_id = :bot AND update_id = :id",
        {"bot": bot_id, "id": update_id},
    ).fetchone()
    return row is not None


def keep_update(
    db: Database,
    bot_id: int,
    update_id: int,
    chat_id: int | None,
    user_id: int | None,
    payload: dict,
) -> bool:
    """Writes a fetched update to the inbox (committed on return); False if it was known."""
    cursor = db.execute(
        """
        INSERT INTO inbox (bot_id, update_id, chat_id, user_id, payload, received_at)
        SELECT :bot, :id, :chat, :user, :payload, :now
        WHERE NOT EXISTS
            (SELECT 1 FROM handled_updates WHERE bot_id = :bot AND update_id = :id)
        ON CONFLICT (bot_id, update_id) DO NOTHING
        """,
        {
            "bot": bot_id,
            "id": update_id,
            "chat": chat_id,
            "user": user_id,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            "now": to_iso(utcnow()),
        },
    )
    return cursor.rowcount == 1


def start_update(db: Database, bot_id: int, update_id: int, *, replayable: bool) -> None:
    """Counts one more attempt at handling the update; `replayable=False` says the handling
    about to run must not be repeated after a crash (part of it could already be done)."""
    db.execute(
        "UPDATE inbox SET attempts = attempts + 1, replayable = replayable AND :replayable"
        " WHERE bot_id = :bot AND update_id = :id",
        {"bot": bot_id, "id": update_id, "replayable": int(replayable)},
    )


def claim_update(db: Database, bot_id: int, update_id: int) -> None:
    """From here on the update's handling must not be repeated after a crash."""
    db.execute(
        "UPDATE inbox SET replayable = 0 WHERE bot_id = ? AND update_id = ?", [bot_id, update_id]
    )


def record_note(db: Database, bot_id: int, update_id: int, note_id: int) -> None:
    """The note stored for the update (call inside the note's own transaction): a replay after
    a crash acknowledges this note instead of storing the text again."""
    db.execute(
        "UPDATE inbox SET note_id = ? WHERE bot_id = ? AND update_id = ?",
        [note_id, bot_id, update_id],
    )


def owed_note_id(db: Database, bot_id: int, update_id: int) -> int | None:
    """The note already stored for this update, whose acknowledgement is still owed."""
    row = db.execute(
        "SELECT note_id FROM inbox WHERE bot_id = ? AND update_id = ?", [bot_id, update_id]
    ).fetchone()
    return row[0] if row else None


def mark_update_handled(db: Database, bot_id: int, update_id: int, chat_id: int | None) -> bool:
    """Records that `bot_id` handled an update (its inbox row, if any, is dropped); False if it
    already had. Update ids are numbered per bot, so the same id from another bot is new."""
    with db.atomic():
        db.execute("DELETE FROM inbox WHERE bot_id = ? AND update_id = ?", [bot_id, update_id])
        cursor = db.execute(
            "INSERT OR IGNORE INTO handled_updates (bot_id, update_id, chat_id, handled_at)"
            " VALUES (?, ?, ?, ?)",
            [bot_id, update_id, chat_id, to_iso(utcnow())],
        )
    return cursor.rowcount == 1


def mark_updates_handled(db: Database, bot_id: int, updates: list[tuple[int, int | None]]) -> None:
    """`mark_update_handled` for many (update id, chat id) pairs, in one transaction."""
    now = to_iso(utcnow())
    with db.atomic():
        db.conn.executemany(
            "DELETE FROM inbox WHERE bot_id = ? AND update_id = ?",
            [(bot_id, update_id) for update_id, _ in updates],
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO handled_updates (bot_id, update_id, chat_id, handled_at)"
            " VALUES (?, ?, ?, ?)",
            [(bot_id, update_id, chat_id, now) for update_id, chat_id in updates],
        )


def waiting_updates(db: Database, bot_id: int) -> list[InboxEntry]:
    """The bot's updates still in the inbox, in the order Telegram numbered them."""
    rows = db.execute(
        "SELECT update_id, chat_id, payload, attempts, replayable, note_id FROM inbox"
        " WHERE bot_id = ? ORDER BY update_id",
        [bot_id],
    )
    return [
        InboxEntry(row[0], row[1], json.loads(row[2]), row[3], bool(row[4]), row[5]) for row in rows
    ]


def forget_handled_updates(db: Database, older_than: datetime) -> int:
    """Drops the record of updates handled before `older_than` (Telegram redelivers for < 24 h)."""
    cursor = db.execute("DELETE FROM handled_updates WHERE handled_at < ?", [to_iso(older_than)])
    return cursor.rowcount
