"""Functions the worker processes import by name in tests (a spawned worker unpickles a
function by its module and name, so a test's stand-in must live in an importable module)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.flows.share import chat_export
from storage.db import database_path

HOLD_SECONDS = 60.0  # the longest a held export waits


def held_file(db) -> Path:
    """The file whose creation lets a held export of database `db` go on."""
    return Path(database_path(db) + ".go")


def held_chat_export(db, chat_id, now):
    """The chat's real export, held until the test creates `held_file` (a 100,000-note chat's
    export occupies its worker 25–33 s)."""
    deadline = time.monotonic() + HOLD_SECONDS
    while not held_file(db).exists() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return chat_export(db, chat_id, now)
