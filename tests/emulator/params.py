"""Typed access to request parameters, whatever the encoding they arrived in.

Telegram accepts a query string, form-urlencoded, multipart or a JSON body. In the first three
every value is a string, and objects (reply_markup, entities...) are JSON-serialized strings;
PTB sends form-urlencoded or multipart with exactly that convention.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .models import ApiError, JSONDict


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes

    def summary(self) -> JSONDict:
        """A JSON-friendly description, used in the call log instead of the bytes."""
        return {"upload": self.field, "filename": self.filename,
                "content_type": self.content_type, "size": len(self.data)}


class Params:
    """Request parameters with Telegram-like coercion and error messages."""

    def __init__(self, values: JSONDict, files: dict[str, UploadedFile] | None = None) -> None:
        self.values = values
        self.files = files or {}

    def __contains__(self, key: str) -> bool:
        return key in self.values or key in self.files

    def log_view(self) -> JSONDict:
        """Parameters as recorded in the call log: JSON strings decoded, files summarized."""
        view: JSONDict = {}
        for key, value in self.values.items():
            view[key] = _maybe_json(value)
        for key, upload in self.files.items():
            view[key] = upload.summary()
        return view

    def raw(self, key: str) -> Any:
        """The value as received, or None."""
        return self.values.get(key)

    def get_str(self, key: str) -> str | None:
        """A string parameter, or None when absent."""
        value = self.values.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, key: str, *, required: bool = False) -> int | None:
        """An integer parameter; a missing required one gives ``Bad Request: <key> is empty``."""
        value = self.values.get(key)
        if value is None or value == "":
            if required:
                raise ApiError(400, f"Bad Request: {key} is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def get_float(self, key: str) -> float | None:
        """A number parameter, or None."""
        value = self.values.get(key)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def get_bool(self, key: str) -> bool:
        """A boolean parameter (``true``/``1``), False when absent."""
        value = self.values.get(key)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_json(self, key: str) -> Any:
        """An object/array parameter, decoded if it arrived as a JSON string."""
        value = self.values.get(key)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        return value

    def chat_id(self) -> int | str:
        """The chat_id parameter: an int, or an ``@username`` string."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
