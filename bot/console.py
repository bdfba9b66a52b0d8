"""The console chat: the very same Application, with a terminal instead of Telegram.

`ConsoleRequest` is a python-telegram-bot `BaseRequest`: it answers the bot's API calls
(sendMessage, editMessageText, sendPhoto…) by printing them, inline buttons as numbered choices
`[1] Label`. `ConsoleChat` turns each typed line into a real `Update` — a message, or a button
press when the line is a choice's number or label, or the whole label of a button still under an
earlier message (as Telegram lets it be pressed) — and feeds it to `Application.process_update`.
A label of a button that is gone is answered with the buttons that can be pressed now.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import mimetypes
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import running
from bot.core.vocabulary import fold
from bot.dialogs import awaits_typed_answer
from bot.texts import TEXTS, t
from storage.chats import console_person, get_chat, remember_chat, set_chat_language

CONSOLE_BOT = {
    "id": 1000,
    "is_bot": True,
    "first_name": "journeybot",
    "username": "journeybot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

_TAG = re.compile(r"<(/?)(b|strong|i|em|u|s|code|pre|a)(?:\s[^>]*)?>", re.IGNORECASE)
_STYLES = {"b": "1", "strong": "1", "i": "3", "em": "3", "u": "4"}


def html_to_terminal(text: str, *, color: bool) -> str:
    """Telegram HTML as terminal text: bold/italic as ANSI styles when `color`, else plain."""

    def style(match: re.Match[str]) -> str:
        if not color or match.group(2).lower() not in _STYLES:
            return ""
        return "\033[0m" if match.group(1) else f"\033[{_STYLES[match.group(2).lower()]}m"

    return html.unescape(_TAG.sub(style, text))


def _label_key(label: str) -> str:
    """A button label reduced to folded letters and digits, for matching what the user typed
    ("Zakoncz przeglad" is the button "✅ Zakończ przegląd")."""
    return "".join(c for c in fold(label) if c.isalnum())


def _bot_button_labels() -> dict[str, str]:
    """Every label the bot gives its buttons (`button.*` texts without placeholders), in every
    language, by key: typed on another day, in another language, it is still a button's name."""
    labels = {}
    for texts in TEXTS.values():
        for key, label in texts.items():
            if key.startswith("button.") and isinstance(label, str) and "{" not in label:
                labels.setdefault(_label_key(label), label)
    labels.pop("", None)
    return labels


BOT_BUTTON_LABELS = _bot_button_labels()
MIN_PARTIAL = 3  # letters or digits of a label typed in part that still name its button
# The calls that put a message in a chat: one for another chat than the console's is labelled
_MESSAGE_METHODS = frozenset(
    ("sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup")
)


def _unknown_chat(chat_id: int) -> tuple[str, str]:
    return "en", str(chat_id)


@dataclass
class Screen:
    """What the console shows: the messages so far and the buttons the user can press now."""

    out: TextIO
    chat: dict[str, Any]
    color: bool = False
    files_dir: Path = field(default_factory=lambda: Path("exports"))
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    choices: list[tuple[str, str, int]] = field(default_factory=list)  # (label, data, message id)
    shown_labels: dict[str, str] = field(default_factory=dict)  # every button label ever shown
    sent_files: dict[str, Path] = field(default_factory=dict)  # file id → a file the user sent
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    shown_last: int = 0  # the message printed (sent or edited) last: the question asked now
    closed: bool = False  # nobody reads the output any more (`journeybot chat … | head`)
    # (language, name) of a chat by id: the console's own lines are in its chat's language,
    # and a message for another chat is labelled with that chat's name
    describe_chat: Callable[[int], tuple[str, str]] = _unknown_chat

    def write(self, text: str) -> None:
        """Prints `text` at once; when the reader has gone (a closed pipe) the console notes it
        and stops instead of failing on every later message."""
        if self.closed:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except BrokenPipeError:
            self.closed = True

    def next_message_id(self) -> int:
        return next(self._ids)

    def show(self, method: str, params: dict[str, Any]) -> Any:
        """Renders one Bot API call and returns what Telegram would return."""
        elsewhere = self._other_chat(params)
        if elsewhere is not None and method in _MESSAGE_METHODS:
            return self._elsewhere(method, params, elsewhere)
        if elsewhere is not None and method == "setMessageReaction":
            return True  # a reaction on a message of another chat: not on this screen
        handler = getattr(self, f"_api_{method}", None)
        return handler(params) if handler else True

    def _other_chat(self, params: dict[str, Any]) -> int | None:
        """The id of the chat the call is for when that is not the console's chat."""
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return None
        return None if chat_id == self.chat["id"] else chat_id

    def _elsewhere(self, method: str, params: dict[str, Any], chat_id: int) -> dict[str, Any]:
        """A message the bot sends to another chat — a review reminder due there, an owner's
        private due-date reminder: the bot sends what is due to every chat, and the console is
        the only screen. It is shown under a line naming that chat, in this chat's language,
        and its buttons as plain labels: pressed here they would act in this chat, where they
        mean nothing (a Polish reminder's "Start review" in a Ukrainian group answered "can't
        find it"). The buttons of this chat's latest message stay the ones to press."""
        lang, _ = self.describe_chat(self.chat["id"])
        _, name = self.describe_chat(chat_id)
        header = t(lang, "console.other_chat", chat=html.escape(name, quote=False),
                   chat_id=chat_id)
        content: dict[str, Any] = {}
        if method in ("sendPhoto", "sendDocument"):
            kind = "photo" if method == "sendPhoto" else "document"
            path = params.get("_saved_path", "")
            content["caption"] = params.get("caption") or ""
            body = f"[{kind}: {path}] {content['caption']}".strip()
        else:
            content["text"] = params.get("text") or ""
            body = content["text"]
        lines = [html_to_terminal(header, color=self.color)]
        if body:
            lines.append(html_to_terminal(body, color=self.color))
        markup = params.get("reply_markup")
        keyboard = (markup or {}).get("inline_keyboard") if isinstance(markup, dict) else None
        for row in keyboard or ():
            lines.append("  ".join(f"({button['text']})" for button in row))
        self.write("\n".join(lines) + "\n\n")
        chat_type = "private" if chat_id > 0 else "group"
        return {
            "message_id": int(params.get("message_id") or self.next_message_id()),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": CONSOLE_BOT,
            **content,
        }

    def _api_getMe(self, _: dict) -> dict:
        return CONSOLE_BOT

    def _api_getFile(self, params: dict) -> dict:
        """A file the user sent with `:file PATH`; its path is its id (downloaded by
        `ConsoleRequest` from the disk)."""
        file_id = str(params["file_id"])
        path = self.sent_files[file_id]
        return {"file_id": file_id, "file_unique_id": file_id, "file_path": file_id,
                "file_size": path.stat().st_size}

    def _api_getChat(self, _: dict) -> dict:
        return {**self.chat, "accent_color_id": 0, "max_reaction_count": 11}

    def _api_getChatMember(self, params: dict) -> dict:
        user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "you"}
        return {"status": "creator", "user": user, "is_anonymous": False}

    def _api_sendMessage(self, params: dict) -> dict:
        message = self._message(params, text=params["text"])
        self._print(params["text"], params.get("reply_markup"), message["message_id"])
        return message

    def _api_editMessageText(self, params: dict) -> dict:
        message_id = int(params["message_id"])
        message = self.messages.get(message_id) or self._message(params, text=params["text"])
        message.update(text=params["text"], edit_date=int(time.time()))
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        self._forget_choices(message_id)
        self._print(params["text"], params.get("reply_markup"), message_id)
        return message

    def _api_editMessageReplyMarkup(self, params: dict) -> dict:
        message_id = int(params["message_id"])
        message = self.messages.get(message_id) or self._message(params, text="")
        self._forget_choices(message_id)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
            self._print("", params["reply_markup"], message_id)
        else:  # the buttons are taken away: none of them can be pressed any more
            message.pop("reply_markup", None)
        return message

    def _api_setMessageReaction(self, params: dict) -> bool:
        reaction = params.get("reaction") or []
        if isinstance(reaction, str):
            reaction = json.loads(reaction)
        emoji = " ".join(r.get("emoji", "") for r in reaction if isinstance(r, dict))
        if emoji:
            lang, _ = self.describe_chat(self.chat["id"])
            self.write(f"  {t(lang, 'console.reaction', emoji=emoji)}\n\n")
        return True

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        if params.get("text"):
            self.write(f"  ({params['text']})\n\n")
        return True

    def _api_sendPhoto(self, params: dict) -> dict:
        return self._file_message(params, "photo")

    def _api_sendDocument(self, params: dict) -> dict:
        return self._file_message(params, "document")

    def _file_message(self, params: dict, kind: str) -> dict:
        path = params.get("_saved_path", "")
        caption = params.get("caption") or ""
        message = self._message(params, caption=caption)
        message[kind] = (
            [{"file_id": path, "file_unique_id": path, "width": 1, "height": 1}]
            if kind == "photo"
            else {"file_id": path, "file_unique_id": path}
        )
        self._print(
            f"[{kind}: {path}] {caption}".strip(), params.get("reply_markup"), message["message_id"]
        )
        return message

    def _message(self, params: dict, **content: Any) -> dict:
        message = {
            "message_id": self.next_message_id(),
            "date": int(time.time()),
            "chat": self.chat,
            "from": CONSOLE_BOT,
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[message["message_id"]] = message
        return message

    def _forget_choices(self, message_id: int) -> None:
        self.choices = [c for c in self.choices if c[2] != message_id]

    def _print(self, text: str, markup: Any, message_id: int) -> None:
        self.shown_last = message_id
        lines = [html_to_terminal(text, color=self.color)] if text else []
        keyboard = (markup or {}).get("inline_keyboard") if isinstance(markup, dict) else None
        if keyboard:
            self.choices = []
            rendered_rows = []
            for row in keyboard:
                cells = []
                for button in row:
                    link = button.get("url") or (button.get("web_app") or {}).get("url")
                    if link:  # a link or a Mini App: shown, opened outside the console
                        cells.append(f"🔗 {button['text']}: {link}")
                    if "callback_data" not in button:
                        continue
                    self.choices.append((button["text"], button["callback_data"], message_id))
                    self.shown_labels[_label_key(button["text"])] = button["text"]
                    cells.append(f"[{len(self.choices)}] {button['text']}")
                rendered_rows.append("  ".join(cells))
            lines += rendered_rows
        self.write("\n".join(lines) + "\n\n")

    def choice_for(self, line: str, *, awaiting_text: bool = False) -> tuple[str, int] | None:
        """The button the user meant by `line` (its number or its label), if any; a command
        ("/rename") is never a button, even when a button has that word as its label. While
        the bot waits for typed text only the buttons under that question count: the numbered
        buttons of an older message (a note's card above "Send the new text") are no longer on
        the screen's last message, and "Termin" typed then is the answer, not "📅 Termin"."""
        wanted = line.strip()
        if wanted.startswith("/"):
            return None
        if awaiting_text and (not self.choices or self.choices[-1][2] != self.shown_last):
            return None
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.choices):
            label, data, message_id = self.choices[int(wanted) - 1]
            return data, message_id
        wanted_key = _label_key(wanted)
        for label, data, message_id in self.choices:
            if wanted_key and _label_key(label) == wanted_key:
                return data, message_id
        partial = self.partial_choices(line)
        if len(partial) == 1:
            _, label, data, message_id = partial[0]
            return data, message_id
        return None

    def partial_choices(self, line: str) -> list[tuple[int, str, str, int]]:
        """(number, label, data, message id) of each button now on the screen whose label
        holds what the user typed ("kind" → "Change kind", "zakoncz" → "✅ Zakończ przegląd"):
        people type a part of a label. Only while the latest message is the one with the
        buttons (a question waiting for typed text takes its answer as text); a label's start
        counts from two letters ("Да"), a part inside it from `MIN_PARTIAL`."""
        wanted = line.strip()
        wanted_key = _label_key(wanted)
        if wanted.startswith("/") or wanted.isdigit() or len(wanted_key) < 2:
            return []
        if not self.choices or self.choices[-1][2] != max(self.messages, default=0):
            return []

        def fits(label: str) -> bool:  # "Да" is "Да, изтрий я"; "kind" is "Change kind"
            key = _label_key(label)
            return key.startswith(wanted_key) or (len(wanted_key) >= MIN_PARTIAL
                                                  and wanted_key in key)

        return [
            (number, label, data, message_id)
            for number, (label, data, message_id) in enumerate(self.choices, 1)
            if fits(label)
        ]

    def ambiguous(self, line: str) -> str | None:
        """ "[1] Change stage, [2] Change kind" when `line` is a part of several buttons' labels
        (and of none exactly): the console asks which, and stores nothing."""
        wanted_key = _label_key(line)
        if any(_label_key(label) == wanted_key for label, _, _ in self.choices):
            return None
        partial = self.partial_choices(line)
        if len(partial) < 2:
            return None
        return ", ".join(f"[{number}] {label}" for number, label, _, _ in partial)

    def live_button(self, line: str) -> tuple[str, int] | None:
        """(callback data, message id) of a button still under an earlier message whose whole
        label is `line` — the latest such message's: in Telegram that button can still be
        pressed, so its label typed is a press (the bot then treats it as it would any late
        press: by the note's or map's id, or as stale). Labels in part never count here."""
        wanted = _label_key(line)
        if not wanted or line.strip().startswith("/"):
            return None
        for message_id in sorted(self.messages, reverse=True):
            markup = self.messages[message_id].get("reply_markup")
            keyboard = markup.get("inline_keyboard") if isinstance(markup, dict) else None
            for row in keyboard or ():
                for button in row:
                    if "callback_data" in button and _label_key(button["text"]) == wanted:
                        return button["callback_data"], message_id
        return None

    def live_choices(self) -> str:
        """ "[1] Change stage, [2] Change kind": the buttons the user can press by number now."""
        return ", ".join(f"[{number}] {label}"
                         for number, (label, _, _) in enumerate(self.choices, 1))

    def gone_button(self, line: str, *, awaiting_text: bool = False) -> str | None:
        """The label of a button that is not shown now, if `line` names one — a label, or the
        start of one (from `MIN_PARTIAL` letters: "Приключи"), shown earlier in this session,
        or any of the bot's whole button labels (a button of an earlier session, or in another
        language): Telegram would not let it be pressed, and it is no note either. None while
        the bot waits for the user's typed answer: typed text is the answer then (a stage
        renamed from "Rozwazanie" to "Rozważanie", whose old name was a button a moment ago;
        "Termin", not the button "📅 Termin" under a note's card; see
        `ConsoleChat.update_for`)."""
        folded = _label_key(line)
        if (not folded or line.strip().startswith("/")
                or self.choice_for(line, awaiting_text=awaiting_text) is not None):
            return None
        if self.live_button(line) is not None:  # still under an earlier message: a press, or
            return None  # while a question waits for typed text, the answer

        if awaiting_text:  # typed text is the answer ("Rozważanie" for a stage once "Rozwazanie")
            return None
        exact = self.shown_labels.get(folded) or BOT_BUTTON_LABELS.get(folded)
        if exact is not None or len(folded) < MIN_PARTIAL:
            return exact
        return next((label for key, label in self.shown_labels.items()
                     if key.startswith(folded)), None)


class ConsoleRequest(BaseRequest):
    """Answers the bot's Bot API calls from the `Screen` instead of from Telegram."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download of a file the user sent (`:file PATH`)
            return 200, self.screen.sent_files[url.rsplit("/", 1)[-1]].read_bytes()
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data and request_data.contains_files:
            params["_saved_path"] = self._save_files(request_data)
        result = self.screen.show(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _save_files(self, request_data: RequestData) -> str:
        saved = ""
        for name, (filename, content, _mime) in (request_data.multipart_data or {}).items():
            path = self.screen.files_dir / (filename or name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            saved = str(path)
        return saved


@dataclass
class ConsoleChat:
    """Turns typed lines into Updates from one user in one chat."""

    screen: Screen
    user: dict[str, Any]
    # Numbered from a microsecond clock: a second launch on the same database never repeats an
    # id the first one used (handled ids are remembered against redelivery).
    _update_ids: itertools.count = field(
        default_factory=lambda: itertools.count(time.time_ns() // 1000)
    )

    def update_for(self, line: str, *, awaiting: bool = False) -> dict[str, Any]:
        """A button press if `line` names a visible button, a file (`:file PATH`), a forwarded
        message (`:forward NAME: text`) or photo with a caption (`:forward-photo NAME: text`),
        otherwise a text message. While the bot `awaiting`s typed text (a name, a date, a new
        text) only the question's own buttons are pressed by their labels: typed text is the
        answer, never a press of a button still under an earlier message."""
        if line.startswith(FILE_PREFIX):
            return self._file_message(Path(line.removeprefix(FILE_PREFIX).strip()).expanduser())
        for prefix in (FORWARD_PREFIX, FORWARD_PHOTO_PREFIX):
            if line.startswith(prefix):
                name, _, text = line.removeprefix(prefix).partition(":")
                update = self._text_message(text.strip() or name)
                message = update["message"]
                message["forward_origin"] = {
                    "type": "hidden_user", "sender_user_name": name.strip() if text else "?",
                    "date": int(time.time()) - 86_400,  # said yesterday
                }
                if prefix == FORWARD_PHOTO_PREFIX:  # a photo with the text as its caption
                    message["caption"] = message.pop("text")
                    message.pop("entities", None)
                    message["photo"] = [{"file_id": "console-photo", "width": 1, "height": 1,
                                         "file_unique_id": "console-photo"}]
                return update
        choice = self.screen.choice_for(line, awaiting_text=awaiting) or (
            None if awaiting else self.screen.live_button(line))
        if choice is not None:
            data, message_id = choice
            return {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": str(time.time_ns()),
                    "from": self.user,
                    "chat_instance": f"console-{self.screen.chat['id']}",
                    "data": data,
                    "message": self.screen.messages[message_id],
                },
            }
        return self._text_message(line)

    def _text_message(self, line: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.screen.next_message_id(),
            "date": int(time.time()),
            "chat": self.screen.chat,
            "from": self.user,
            "text": line,
        }
        if line.startswith("/"):
            command = line.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        elif self.screen.chat["type"] != "private":
            # In a group the bot only sees replies: the console user always replies to it.
            message["reply_to_message"] = self._last_bot_message()
        return {"update_id": next(self._update_ids), "message": message}

    def _last_bot_message(self) -> dict[str, Any]:
        """The bot's latest message on the screen; at the start of a session (the question was
        asked in an earlier one, as in Telegram's history) a message of the bot all the same:
        a first line in a group is never dropped unseen."""
        if self.screen.messages:
            return self.screen.messages[max(self.screen.messages)]
        return {"message_id": 0, "date": int(time.time()), "chat": self.screen.chat,
                "from": CONSOLE_BOT, "text": ""}


    def _file_message(self, path: Path) -> dict[str, Any]:
        """The user sends the file at `path` as a document (FileNotFoundError if there is none)."""
        size = path.stat().st_size
        file_id = f"console-{len(self.screen.sent_files) + 1}"
        self.screen.sent_files[file_id] = path
        message: dict[str, Any] = {
            "message_id": self.screen.next_message_id(),
            "date": int(time.time()),
            "chat": self.screen.chat,
            "from": self.user,
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": path.name,
                         "mime_type": mimetypes.guess_type(path.name)[0] or "text/plain",
                         "file_size": size},
        }
        if self.screen.chat["type"] != "private":
            message["reply_to_message"] = self._last_bot_message()
        return {"update_id": next(self._update_ids), "message": message}


FILE_PREFIX, FORWARD_PREFIX, FORWARD_PHOTO_PREFIX = ":file ", ":forward ", ":forward-photo "


def chat_dict(chat_id: int, user_name: str, lang: str | None = None) -> dict[str, Any]:
    """A private chat for a positive id, a group for a negative one (named in the language
    the console was started in: "Команда Olena", not "Olena's team", in a Ukrainian group)."""
    if chat_id < 0:
        title = t(lang or "en", "console.group_title", name=user_name)
        return {"id": chat_id, "type": "group", "title": title}
    return {"id": chat_id, "type": "private", "first_name": user_name}


async def run_console(
    app_factory: Any,
    *,
    chat_id: int,
    user_name: str,
    lang: str | None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """Runs the chat loop until end of input (Ctrl-D) or Ctrl-C."""
    interactive = stdin.isatty()
    if hasattr(stdin, "reconfigure"):  # bytes that are not UTF-8 become "�", never a crash
        stdin.reconfigure(errors="replace")
    screen = Screen(out=stdout, chat=chat_dict(chat_id, user_name, lang), color=stdout.isatty())
    user = {
        "id": abs(chat_id) if chat_id > 0 else 1,
        "is_bot": False,
        "first_name": user_name,
        "language_code": lang or "en",
    }
    console = ConsoleChat(screen, user)
    app = app_factory(ConsoleRequest(screen))

    def describe_chat(wanted: int) -> tuple[str, str]:
        db = app.bot_data.get("db")
        chat = get_chat(db, wanted) if db is not None else None
        if chat is None:
            return (lang or "en") if wanted == chat_id else "en", str(wanted)
        return chat.lang, chat.title or str(wanted)

    screen.describe_chat = describe_chat
    loop = asyncio.get_running_loop()
    async with running(app):
        if chat_id < 0:  # a group: each --user name is one of its members, the group keeps its name
            db = app.bot_data["db"]
            user["id"] = console_person(db, chat_id, user_name)
            known = get_chat(db, chat_id)
            if known is not None and known.title:
                screen.chat["title"] = known.title
        if lang:
            remember_chat(
                app.bot_data["db"],
                chat_id,
                screen.chat["type"],
                screen.chat.get("title") or user_name,
                lang,
            )
            set_chat_language(app.bot_data["db"], chat_id, lang)
        if interactive:
            screen.write("journeybot console — type /start, /help; Ctrl-D quits.\n\n")
        while not screen.closed:
            if interactive:
                screen.write("> ")
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            awaiting = awaits_typed_answer(app.bot_data, chat_id, user["id"])
            gone = screen.gone_button(line, awaiting_text=awaiting)
            # a bare number is a button press; with no such button now it is no note either
            # (while a question waits for typed text, "15" is its answer: a date, a name)
            no_such = not awaiting and line.strip().isdigit() and screen.choice_for(line) is None
            several = screen.ambiguous(line)  # a part of several labels: which one?
            if gone is not None or no_such or several:
                chat = get_chat(app.bot_data["db"], chat_id)
                lang = chat.lang if chat else user["language_code"]
                if no_such:
                    notice = t(lang, "console.no_such_choice", number=line.strip())
                elif several:
                    notice = t(lang, "console.ambiguous_choice",
                               text=html.escape(line.strip(), quote=False),
                               choices=html.escape(several, quote=False))
                elif screen.choices:  # which buttons can be pressed now
                    notice = t(lang, "console.button_gone", label=html.escape(gone, quote=False),
                               choices=html.escape(screen.live_choices(), quote=False))
                else:
                    notice = t(lang, "console.button_gone_none",
                               label=html.escape(gone, quote=False))
                screen.write(html_to_terminal(notice, color=screen.color) + "\n\n")
                continue
            try:
                update = Update.de_json(console.update_for(line, awaiting=awaiting), app.bot)
            except OSError as error:  # `:file PATH` of no readable file
                screen.write(f"[{error.strerror}: {error.filename}]\n\n")
                continue
            await app.process_update(update)
