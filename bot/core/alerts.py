"""Operator alerts, decided purely: which ones go out (one per kind per 10 minutes) and what
they say (where it happened, never what anyone wrote)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

ALERT_EVERY = 600.0  # seconds between two alerts of the same kind


@dataclass
class AlertGate:
    """Lets one alert of each kind through per `every` seconds; the clock is passed in."""

    every: float = ALERT_EVERY
    last_sent: dict[str, float] = field(default_factory=dict)

    def allow(self, kind: str, now: float) -> bool:
        last = self.last_sent.get(kind)
        if last is not None and now - last < self.every:
            return False
        self.last_sent[kind] = now
        return True


def where_raised(error: BaseException) -> str:
    """The innermost frame of our own code (bot/, storage/, nlp/) that the error went through,
    as "storage/notes.py:42 in add_note"; else the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    ours = [f for f in frames if any(p in f.filename for p in ("/bot/", "/storage/", "/nlp/"))]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "unknown place"
    path = frame.filename
    for package in ("/bot/", "/storage/", "/nlp/"):
        if package in path:
            path = package.strip("/") + "/" + path.rpartition(package)[2]
            break
    return f"{path}:{frame.lineno} in {frame.name}"


def alert_text(
    kind: str,
    error: BaseException,
    *,
    detail: str | None = None,
    chat_id: int | None = None,
    update_id: int | None = None,
    every: float = ALERT_EVERY,
) -> str:
    """Plain text for the operator: the kind, the error's type and place, the ids. Never the
    error's message (it may quote what a user wrote); `detail` only when the caller vouches for
    it (SQLite's own messages, start-up problems)."""
    lines = [f"⚠️ journeybot: {kind}", f"{type(error).__name__} at {where_raised(error)}"]
    if detail:
        lines.append(detail[:300])
    if chat_id is not None or update_id is not None:
        lines.append(f"chat {chat_id}, update {update_id}")
    lines.append(f"(further alerts of this kind are held back for {every / 60:g} minutes)")
    return "\n".join(lines)
