"""A local Telegram Bot API emulator for end-to-end tests (see README.md in this folder)."""

from .emulator import TelegramEmulator, entity_text
from .markup import MarkupError, parse_html, utf16_len
from .models import ApiError, CallRecord, Fault, RecordedMessage, StoredFile, User, tiny_png

__all__ = [
    "ApiError",
    "CallRecord",
    "Fault",
    "MarkupError",
    "RecordedMessage",
    "StoredFile",
    "TelegramEmulator",
    "User",
    "entity_text",
    "parse_html",
    "tiny_png",
    "utf16_len",
]
