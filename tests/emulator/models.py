"""Plain data of the emulator: users, recorded messages and calls, faults, API errors."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        """Return the response body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    """Return a 400 error whose description is ``"Bad Request: " + message``."""
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    """Return a 403 error whose description is ``"Forbidden: " + message``."""
    return ApiError(403, f"Forbidden: {message}")


DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected error",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class User:
    """A Telegram user on the user side of the emulator."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"
    last_name: str | None = None
    is_premium: bool | None = None

    def to_json(self) -> JSONDict:
        """Return the User object as the Bot API sends it."""
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code", "is_premium"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass
class StoredFile:
    """Bytes the bot uploaded (or a user sent), reachable through getFile."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str | None = None
    file_name: str | None = None


@dataclass
class RecordedMessage:
    """A message in a chat, in its current state, with the history of its edits.

    ``text`` is the rendered plain text (HTML/Markdown removed), ``raw_text`` what the bot sent,
    ``reply_markup`` the markup as sent (inline *and* reply keyboards), ``message`` the current
    Message object as the API returned it, ``edits`` the earlier versions (oldest first).
    """

    message_id: int
    chat_id: int
    from_bot: bool
    message: JSONDict
    text: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    caption: str | None = None
    files: list[StoredFile] = field(default_factory=list)
    edits: list[JSONDict] = field(default_factory=list)
    deleted: bool = False
    method: str = "sendMessage"
    reactions: list[JSONDict] = field(default_factory=list)  # the bot's, via setMessageReaction

    @property
    def buttons(self) -> list[list[JSONDict]]:
        """Rows of the keyboard buttons (inline or reply keyboard), ``[]`` if none."""
        markup = self.reply_markup or {}
        return markup.get("inline_keyboard") or markup.get("keyboard") or []

    @property
    def button_texts(self) -> list[str]:
        """The texts of all buttons, row by row."""
        return [_button_text(b) for row in self.buttons for b in row]

    @property
    def callback_data(self) -> list[str]:
        """The callback_data of all inline buttons, row by row."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]

    @property
    def document(self) -> bytes | None:
        """The bytes of the first file attached to the message, if any."""
        return self.files[0].data if self.files else None


def _button_text(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))


@dataclass(frozen=True)
class CallRecord:
    """One Bot API request: method, parsed params, outcome, wall time (``time.time()``)."""

    method: str
    params: JSONDict
    time: float
    ok: bool
    error_code: int | None = None
    description: str | None = None
    result: Any = None


@dataclass
class Fault:
    """An injected failure for the next ``times`` calls of ``method`` (``None`` = forever)."""

    method: str
    status: int | None
    description: str | None = None
    retry_after: int | None = None
    times: int | None = 1
    chat_id: int | str | None = None
    delay: float | None = None
    parameters: JSONDict | None = None
    answer_delay: float | None = None  # the call is carried out, then answered this late
    hits: int = 0

    def matches(self, method: str, chat_id: Any) -> bool:
        """Tell whether this fault applies to a call of ``method`` for ``chat_id``."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method not in ("*", method):
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error(self) -> ApiError | None:
        """Return the error to answer with, or None for a pure delay."""
        if self.status is None:
            return None
        parameters = dict(self.parameters or {})
        description = self.description or DEFAULT_DESCRIPTIONS.get(self.status, "Error")
        if self.status == 429 or self.retry_after is not None:
            retry_after = self.retry_after if self.retry_after is not None else 1
            parameters["retry_after"] = retry_after
            description = self.description or f"Too Many Requests: retry after {retry_after}"
        return ApiError(self.status, description, parameters or None)


# --------------------------------------------------------------------------- images


def tiny_png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """Return a valid PNG image of one colour, for photo tests."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(
        b"IEND", b""
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) of a PNG, GIF, JPEG or WebP image, or None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return (1, 1)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None
