"""Functions the worker processes import by name in tests (a spawned worker unpickles a
function by its module and name, so a test's stand-in must live in an importable module)."""

from __future__ import annotations

import threading

from bot.flows.share import chat_export

SLOW_EXPORT_SECONDS = 6.0


def slow_chat_export(db, chat_id, now):
    """The chat's real export, `SLOW_EXPORT_SECONDS` late: a 100,000-note chat's export
    occupies its worker 25–33 s."""
    threading.Event().wait(SLOW_EXPORT_SECONDS)
    return chat_export(db, chat_id, now)
