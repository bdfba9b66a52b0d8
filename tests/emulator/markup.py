"""Text formatting as the Bot API server does it: HTML/Markdown parsing, entities, UTF-16 offsets.

Every function here is pure. Parse errors raise :class:`MarkupError` carrying the part of the
description after ``"Bad Request: can't parse entities: "``, worded like Telegram's (tdlib's).
Entity offsets and lengths are counted in UTF-16 code units, exactly as in the real API.
"""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]

HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)
_SIMPLE_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "s": "strikethrough",
    "strike": "strikethrough", "del": "strikethrough", "u": "underline", "ins": "underline",
    "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


class MarkupError(ValueError):
    """A text could not be parsed in its parse_mode; ``str(err)`` is Telegram's wording."""


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


# --------------------------------------------------------------------------- HTML


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the HTML entity starting with ``&`` at ``pos``; return (char, next_pos) or None."""
    end = pos + 1
    if text.startswith("&#", pos):
        end = pos + 2
        is_hex = text[end : end + 1] in ("x", "X")
        end += is_hex
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if is_hex else "0123456789"
        while end < len(text) and text[end] in allowed:
            end += 1
        if end == digits_start:
            return None
        code = int(text[digits_start:end], 16 if is_hex else 10)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        char = _NAMED_HTML_ENTITIES.get(text[pos + 1 : end], "")
        if not char:
            return None
    if text[end : end + 1] == ";":
        end += 1
    return char, end


class _HtmlParser:
    """A single-use parser reproducing tdlib's HTML parse mode, error texts included."""

    def __init__(self, text: str, *, strict_ampersand: bool) -> None:
        self.text = text
        self.strict_ampersand = strict_ampersand
        self.pos = 0
        self.out: list[str] = []
        self.u16 = 0
        self.stack: list[dict[str, Any]] = []
        self.entities: list[Entity] = []

    def error(self, message: str, at: int | None = None) -> MarkupError:
        if at is not None:
            message += f" at byte offset {_byte_offset(self.text, at)}"
        return MarkupError(message)

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.u16 += utf16_len(chars)

    def parse(self) -> tuple[str, list[Entity]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&":
                self.parse_ampersand()
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif text.startswith("</", self.pos):
                self.parse_end_tag()
            else:
                self.parse_start_tag()
        if self.stack:
            name = self.stack[-1]["name"]
            raise MarkupError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return "".join(self.out), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    def parse_ampersand(self) -> None:
        decoded = _decode_html_entity(self.text, self.pos)
        if decoded is not None:
            self.emit(decoded[0])
            self.pos = decoded[1]
            return
        if self.strict_ampersand:
            raise self.error(
                'Unescaped "&" (write &amp;; the emulator is stricter than Telegram here, '
                "as the Bot API docs require)",
                self.pos,
            )
        self.emit("&")
        self.pos += 1

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def parse_start_tag(self) -> None:
        text, begin = self.text, self.pos
        self.pos += 1
        while self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] != ">":
            self.pos += 1
        if self.pos >= len(text):
            raise self.error("Unclosed start tag", begin)
        name = text[begin + 1 : self.pos].lower()
        if name not in HTML_TAGS:
            raise self.error(f'Unsupported start tag "{name}"', begin)
        argument = self.parse_attributes(name, begin)
        if name == "span" and argument != "spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', begin)
        self.pos += 1  # the closing ">"
        self.stack.append(
            {"name": name, "argument": argument, "u16": self.u16, "out_len": len(self.out)}
        )

    def parse_attributes(self, name: str, begin: int) -> str | None:
        text, argument = self.text, None
        while True:
            self.skip_spaces()
            if self.pos >= len(text):
                raise self.error(f'Unclosed start tag "{name}"', begin)
            if text[self.pos] == ">":
                return argument
            attr_start = self.pos
            while self.pos < len(text) and not text[self.pos].isspace() and (
                text[self.pos] not in "=>/\"'"
            ):
                self.pos += 1
            attr = text[attr_start : self.pos].lower()
            if not attr:
                raise self.error(f'Empty attribute name in the tag "{name}"', begin)
            self.skip_spaces()
            if text[self.pos : self.pos + 1] != "=":
                if name == "blockquote" and attr == "expandable":
                    argument = "expandable"
                continue
            self.pos += 1
            self.skip_spaces()
            value = self.parse_attribute_value(name, begin)
            argument = _tag_argument(name, attr, value, argument)

    def parse_attribute_value(self, name: str, begin: int) -> str:
        text = self.text
        if self.pos >= len(text):
            raise self.error(f'Unclosed start tag "{name}"', begin)
        quote = text[self.pos]
        if quote not in "\"'":
            start = self.pos
            while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] in ".-"):
                self.pos += 1
            if self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] != ">":
                raise self.error("Unexpected end of name token", self.pos)
            return text[start : self.pos].lower()
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(text) and text[self.pos] != quote:
            decoded = _decode_html_entity(text, self.pos) if text[self.pos] == "&" else None
            if decoded is not None:
                chars.append(decoded[0])
                self.pos = decoded[1]
            else:
                chars.append(text[self.pos])
                self.pos += 1
        if self.pos >= len(text):
            raise self.error("Unclosed start tag", begin)
        self.pos += 1
        return "".join(chars)

    def parse_end_tag(self) -> None:
        text, begin = self.text, self.pos
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        self.pos += 2
        while self.pos < len(text) and not text[self.pos].isspace() and text[self.pos] != ">":
            self.pos += 1
        end_name = text[begin + 2 : self.pos].lower()
        self.skip_spaces()
        if text[self.pos : self.pos + 1] != ">":
            raise self.error("Unclosed end tag", begin)
        self.pos += 1
        open_tag = self.stack.pop()
        if end_name and end_name != open_tag["name"]:
            raise self.error(
                f'Unmatched end tag at byte offset {_byte_offset(text, begin)}, '
                f'expected "</{open_tag["name"]}>", found "</{end_name}>"'
            )
        self.close_entity(open_tag)

    def close_entity(self, tag: dict[str, Any]) -> None:
        offset, length = tag["u16"], self.u16 - tag["u16"]
        if length <= 0:
            return
        name, argument = tag["name"], tag["argument"]
        entity: Entity = {"type": _SIMPLE_TAG_TYPES.get(name, name), "offset": offset,
                          "length": length}
        if name == "a":
            url = argument or "".join(self.out[tag["out_len"] :])
            entity = {"type": "text_link", "offset": offset, "length": length, "url": url}
        elif name == "code" and argument:
            entity["language"] = argument
        elif name == "tg-emoji":
            if not (argument or "").isdigit():
                raise MarkupError("Invalid custom emoji identifier specified")
            entity = {"type": "custom_emoji", "offset": offset, "length": length,
                      "custom_emoji_id": argument}
        elif name == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif name == "pre":
            entity = self.merge_pre_code(entity)
        self.entities.append(entity)

    def merge_pre_code(self, pre: Entity) -> Entity:
        last = self.entities[-1] if self.entities else None
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (
            pre["offset"], pre["length"]
        ):
            self.entities.pop()
            if "language" in last:
                pre["language"] = last["language"]
        return pre


def _tag_argument(name: str, attr: str, value: str, current: str | None) -> str | None:
    if name == "a" and attr == "href":
        return value
    if name == "code" and attr == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if name == "span" and attr == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if name == "tg-emoji" and attr == "emoji-id":
        return value
    return current


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Parse Bot API HTML into (plain text, entities); raise MarkupError like Telegram.

    With ``strict_ampersand`` (default) a ``&`` that does not start ``&lt;``, ``&gt;``,
    ``&amp;``, ``&quot;`` or a numeric entity is an error; Telegram itself keeps it literally,
    but its docs require escaping, and an unescaped ``&`` usually means a missing html.escape().
    """
    return _HtmlParser(text, strict_ampersand=strict_ampersand).parse()


# --------------------------------------------------------------------------- Markdown

_MD2_TYPES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough",
              "||": "spoiler", "`": "code", "```": "pre", "[": "text_link"}
_MD2_NAMES = {"bold": "Bold", "italic": "Italic", "underline": "Underline",
              "strikethrough": "Strikethrough", "spoiler": "Spoiler", "code": "Code",
              "pre": "Pre", "text_link": "TextUrl"}


def _md2_marker(text: str, pos: int) -> str | None:
    for marker in ("```", "__", "||", "*", "_", "~", "`", "["):
        if text.startswith(marker, pos):
            return marker
    return None


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into (plain text, entities); reserved characters must be escaped."""
    out: list[str] = []
    u16 = 0
    stack: list[dict[str, Any]] = []
    entities: list[Entity] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        top = stack[-1] if stack else None
        in_code = top is not None and top["type"] in ("code", "pre")
        if char == "\\" and pos + 1 < len(text) and 0 < ord(text[pos + 1]) <= 126:
            out.append(text[pos + 1])
            u16 += 1
            pos += 2
            continue
        if in_code and not text.startswith("`" if top["type"] == "code" else "```", pos):
            out.append(char)
            u16 += utf16_len(char)
            pos += 1
            continue
        if top is not None and top["type"] == "text_link" and char == "]":
            pos = _md2_close_link(text, pos, top, u16, entities)
            stack.pop()
            continue
        if char == ">" and (pos == 0 or text[pos - 1] == "\n"):
            pos += 1  # block quote marker: accepted, rendered as plain text
            continue
        marker = _md2_marker(text, pos)
        if marker is None:
            if char in MARKDOWN_V2_RESERVED:
                raise MarkupError(
                    f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
                )
            out.append(char)
            u16 += utf16_len(char)
            pos += 1
            continue
        kind = _MD2_TYPES[marker]
        if top is not None and top["type"] == kind:
            stack.pop()
            if u16 > top["u16"]:
                entity: Entity = {"type": kind, "offset": top["u16"], "length": u16 - top["u16"]}
                if top.get("language"):
                    entity["language"] = top["language"]
                entities.append(entity)
            pos += len(marker)
            continue
        start = {"type": kind, "u16": u16, "byte": _byte_offset(text, pos)}
        pos += len(marker)
        if kind == "pre":
            newline = text.find("\n", pos)
            if newline != -1 and re.fullmatch(r"[\w+#-]*", text[pos:newline]):
                start["language"] = text[pos:newline]
                pos = newline + 1
        stack.append(start)
    if stack:
        top = stack[-1]
        raise MarkupError(
            f"Can't find end of {_MD2_NAMES[top['type']]} entity at byte offset {top['byte']}"
        )
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _md2_close_link(text: str, pos: int, top: dict[str, Any], u16: int,
                    entities: list[Entity]) -> int:
    """Handle ``](url)`` closing a MarkdownV2 link; return the position after it."""
    if not text.startswith("(", pos + 1):
        return pos + 1  # "[text]" without a URL stays plain text, as in Telegram
    end = pos + 2
    url_chars: list[str] = []
    while end < len(text) and text[end] != ")":
        if text[end] == "\\" and end + 1 < len(text):
            end += 1
        url_chars.append(text[end])
        end += 1
    if end >= len(text):
        raise MarkupError(f"Can't find end of a url at byte offset {_byte_offset(text, pos + 2)}")
    if u16 > top["u16"]:
        entities.append({"type": "text_link", "offset": top["u16"], "length": u16 - top["u16"],
                         "url": "".join(url_chars)})
    return end + 1


def parse_markdown_legacy(text: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown (``*bold* _italic_ `code` ```pre``` [text](url)``)."""
    out: list[str] = []
    entities: list[Entity] = []
    u16, pos = 0, 0
    pattern = re.compile(r"\*(.+?)\*|_(.+?)_|```(.+?)```|`(.+?)`|\[(.+?)\]\((.+?)\)", re.S)
    while pos < len(text):
        char = text[pos]
        if char not in "*_`[":
            out.append(char)
            u16 += utf16_len(char)
            pos += 1
            continue
        match = pattern.match(text, pos)
        if match is None:
            raise MarkupError(
                "Can't find end of the entity starting at byte offset "
                f"{_byte_offset(text, pos)}"
            )
        inner = next(g for g in match.groups() if g is not None)
        kind = {"*": "bold", "_": "italic", "[": "text_link"}.get(char, "code")
        if match.group(3) is not None:
            kind = "pre"
        entity: Entity = {"type": kind, "offset": u16, "length": utf16_len(inner)}
        if kind == "text_link":
            entity["url"] = match.group(6)
        entities.append(entity)
        out.append(inner)
        u16 += utf16_len(inner)
        pos = match.end()
    return "".join(out), entities


# --------------------------------------------------------------------------- helpers


def parse_text(text: str, parse_mode: str | None, *, strict_ampersand: bool = True
               ) -> tuple[str, list[Entity]]:
    """Render ``text`` for ``parse_mode`` (None, HTML, MarkdownV2, Markdown), then trim it."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, entities = parse_html(text, strict_ampersand=strict_ampersand)
    elif mode == "markdownv2":
        plain, entities = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, entities = parse_markdown_legacy(text)
    elif mode:
        raise MarkupError(f'Unsupported parse_mode "{parse_mode}"')
    else:
        plain, entities = text, []
    return trim_text(plain, entities)


def trim_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace like Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    trimmed: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            trimmed.append({**entity, "offset": start, "length": end - start})
    return stripped, trimmed


_AUTO_ENTITY = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/]))"
    r"|(?P<url>\bhttps?://[^\s<>\"]+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+\.[\w.-]+\b)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b)"
    r"|(?P<hashtag>(?<![\w#])#\w+)"
)


def detect_entities(text: str) -> list[Entity]:
    """Find the entities Telegram adds to a user's plain text: commands, mentions, links..."""
    entities = []
    for match in _AUTO_ENTITY.finditer(text):
        kind = match.lastgroup or "url"
        entities.append(
            {"type": kind, "offset": utf16_len(text[: match.start()]),
             "length": utf16_len(match.group())}
        )
    return entities
