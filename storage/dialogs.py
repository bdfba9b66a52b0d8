"""Where each user stands in a multi-step conversation, so a restart loses nothing."""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from bot.core.model import Dialog
from storage.db import from_iso, to_iso, utcnow


def get_dialog(db: Database, chat_id: int, user_id: int) -> Dialog | None:
    """The user's running conversation in this chat, or None."""
    rows = list(
        db.query("SELECT * FROM dialogs WHERE chat_id = ? AND user_id = ?", [chat_id, user_id])
    )
    if not rows:
        return None
    row = rows[0]
    return Dialog(
        row["chat_id"],
        row["user_id"],
        row["flow"],
        row["state"],
        json.loads(row["data"]),
        from_iso(row["updated_at"]),
    )


def save_dialog(db: Database, dialog: Dialog) -> None:
    """Stores (replacing) the user's conversation state."""
    db.execute(
        """
        INSERT INTO dialogs (chat_id, user_id, flow, state, data, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(chat_id, user_id) DO UPDATE SET
            flow = excluded.flow, state = excluded.state, data = excluded.data,
            updated_at = excluded.updated_at
        """,
        [
            dialog.chat_id,
            dialog.user_id,
            dialog.flow,
            dialog.state,
            json.dumps(dialog.data, ensure_ascii=False),
            to_iso(utcnow()),
        ],
    )


def end_dialog(db: Database, chat_id: int, user_id: int) -> bool:
    """Ends the user's conversation in this chat; False if none was running."""
    cursor = db.execute("DELETE FROM dialogs WHERE chat_id = ? AND user_id = ?", [chat_id, user_id])
    return cursor.rowcount == 1


def flow_running_elsewhere(db: Database, chat_id: int, user_id: int, flow: str) -> bool:
    """Whether another user of the chat is in a conversation of this flow."""
    row = db.execute(
        "SELECT 1 FROM dialogs WHERE chat_id = ? AND user_id != ? AND flow = ? LIMIT 1",
        [chat_id, user_id, flow],
    ).fetchone()
    return row is not None


def answer_awaited(
    db: Database, chat_id: int, user_id: int, *, active_since: datetime, checkins: bool
) -> bool:
    """Whether the user's next typed message in this chat answers a question, in one read
    (every private note's arrival pays for it, bot/inbox.py): a conversation of theirs here
    touched since `active_since`, or (`checkins`) a private check-in question of an open round
    still waiting for their answer (storage/checkins.py `waiting_private_asks`)."""
    return bool(
        db.execute(
            """
            SELECT EXISTS (SELECT 1 FROM dialogs WHERE chat_id = ? AND user_id = ?
                           AND (updated_at IS NULL OR updated_at >= ?))
                OR (? AND EXISTS (
                    SELECT 1 FROM checkin_asks a JOIN checkin_rounds r ON r.id = a.round_id
                    WHERE a.user_id = ? AND a.via = 'private' AND a.answered_at IS NULL
                          AND a.message_id IS NOT NULL AND r.closed_at IS NULL))
            """,
            [chat_id, user_id, to_iso(active_since), int(checkins), user_id],
        ).fetchone()[0]
    )
