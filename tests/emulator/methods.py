"""The Bot API methods (all but getUpdates' waiting, which lives in the server).

Each method is ``fn(state, params) -> result`` registered under its Bot API name; it raises
:class:`ApiError` with Telegram's code and wording. Methods take ``state.lock`` themselves.
"""

from __future__ import annotations

import copy
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from .markup import MarkupError, parse_text
from .models import ApiError, JSONDict, RecordedMessage, StoredFile, bad_request, image_size
from .params import Params, UploadedFile
from .state import BOT_OUT_OF_CHAT, ChatState, EmulatorState

Method = Callable[[EmulatorState, Params], Any]
METHODS: dict[str, Method] = {}

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)
INLINE_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def api_method(name: str) -> Callable[[Method], Method]:
    """Register a function as the Bot API method ``name``."""

    def register(fn: Method) -> Method:
        METHODS[name] = fn
        return fn

    return register


# --------------------------------------------------------------------------- shared checks


def writable_chat(state: EmulatorState, params: Params) -> ChatState:
    """Resolve chat_id and check the bot may write there (403s as Telegram words them)."""
    chat = state.resolve_chat(params.chat_id())
    if chat.type == "private" and chat.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if chat.is_group and chat.bot_status in BOT_OUT_OF_CHAT:
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
    return chat


def render(state: EmulatorState, text: str, parse_mode: str | None,
           entities: list[JSONDict] | None) -> tuple[str, list[JSONDict]]:
    """Parse text for its parse_mode, or keep explicit entities; 400 on markup errors."""
    if entities and not parse_mode:
        return text, entities
    try:
        return parse_text(text, parse_mode, strict_ampersand=state.strict_html)
    except MarkupError as error:
        raise bad_request(f"can't parse entities: {error}") from None


def rendered_text(state: EmulatorState, params: Params) -> tuple[str, str, list[JSONDict]]:
    """Validate the ``text`` parameter; return (raw, plain, entities)."""
    raw = params.get_str("text")
    if not raw:
        raise bad_request("message text is empty")
    plain, entities = render(state, raw, params.get_str("parse_mode"),
                             params.get_json("entities"))
    if not plain:
        raise bad_request("text must be non-empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return raw, plain, entities


def rendered_caption(state: EmulatorState, params: Params
                     ) -> tuple[str | None, str | None, list[JSONDict]]:
    """Validate an optional ``caption``; return (raw, plain, entities)."""
    raw = params.get_str("caption")
    if not raw:
        return None, None, []
    plain, entities = render(state, raw, params.get_str("parse_mode"),
                             params.get_json("caption_entities"))
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return raw, plain or None, entities


def checked_markup(markup: Any) -> JSONDict | None:
    """Validate reply_markup like Telegram (button data, button kinds, URLs)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must "
                              "be an Object")
        for row in rows:
            for button in row:
                check_inline_button(button)
    elif "keyboard" in markup and not isinstance(markup["keyboard"], list):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def check_inline_button(button: Any) -> None:
    """Raise 400 for an inline button Telegram would refuse."""
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")
    actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
    if len(actions) != 1:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
        raise bad_request(f"inline keyboard button URL '{button['url']}' is invalid: "
                          "Wrong HTTP URL")


def inline_part(markup: JSONDict | None) -> JSONDict | None:
    """The part of reply_markup a Message carries: only inline keyboards are echoed."""
    if markup and "inline_keyboard" in markup:
        return {"inline_keyboard": copy.deepcopy(markup["inline_keyboard"])}
    return None


def reply_target(state: EmulatorState, chat: ChatState, params: Params) -> JSONDict | None:
    """Resolve reply_parameters / reply_to_message_id into the replied Message, if any."""
    reply = params.get_json("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get_int("reply_to_message_id")
    if not message_id:
        return None
    target_chat = chat
    if reply.get("chat_id") not in (None, chat.id):
        target_chat = state.resolve_chat(reply["chat_id"])
    record = state.find_message(target_chat, message_id)
    if record is None:
        if reply.get("allow_sending_without_reply") or params.get_bool(
            "allow_sending_without_reply"
        ):
            return None
        raise bad_request("message to be replied not found")
    replied = copy.deepcopy(record.message)
    replied.pop("reply_to_message", None)
    return replied


def send_record(state: EmulatorState, method: str, chat: ChatState, params: Params,
                fields: JSONDict, **recorded: object) -> RecordedMessage:
    """Common tail of every send: reply, markup, flood control, store the message.

    `recorded` sets more attributes of the record (its text, caption, files…) before waiters
    are notified, so a test never sees a message whose text is not there yet.
    """
    with state.lock:
        replied = reply_target(state, chat, params)
        markup = checked_markup(params.get_json("reply_markup"))
        state.admit_send(method, chat)
        if replied is not None:
            fields["reply_to_message"] = replied
        if inline_part(markup):
            fields["reply_markup"] = inline_part(markup)
        record = state.new_message(chat, state.bot_user(), fields, from_bot=True)
        record.reply_markup = copy.deepcopy(markup)
        record.parse_mode = params.get_str("parse_mode")
        record.method = method
        for name, value in recorded.items():
            setattr(record, name, value)
    state.notify()
    return record


# --------------------------------------------------------------------------- bot & updates


@api_method("getMe")
def get_me(state: EmulatorState, params: Params) -> JSONDict:
    """The bot's User object with its capabilities."""
    return {**state.bot_user(), "can_join_groups": True,
            "can_read_all_group_messages": not state.privacy_mode,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False}


@api_method("logOut")
@api_method("close")
def log_out(state: EmulatorState, params: Params) -> bool:
    """Accepted and ignored."""
    return True


WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@api_method("setWebhook")
def set_webhook(state: EmulatorState, params: Params) -> bool:
    """Set the webhook: pending and new updates are POSTed to it (the server's delivery task),
    with ``secret_token`` in ``X-Telegram-Bot-Api-Secret-Token``; getUpdates then answers 409.
    As on a local Bot API server, http:// URLs are accepted."""
    url = params.get_str("url") or ""
    secret = params.get_str("secret_token")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    if secret is not None and not WEBHOOK_SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = params.get_int("max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = params.get_json("allowed_updates")
    with state.lock:
        state.webhook = ({"url": url, "secret_token": secret, "max_connections": max_connections}
                         if url else None)
        if allowed is not None:
            state.allowed_updates = list(allowed) or None
        if params.get_bool("drop_pending_updates"):
            state.updates.clear()
    state.notify()
    return True


@api_method("deleteWebhook")
def delete_webhook(state: EmulatorState, params: Params) -> bool:
    """Remove the webhook; ``drop_pending_updates`` clears the update queue."""
    with state.lock:
        state.webhook = None
        if params.get_bool("drop_pending_updates"):
            state.updates.clear()
    state.notify()
    return True


@api_method("getWebhookInfo")
def get_webhook_info(state: EmulatorState, params: Params) -> JSONDict:
    """WebhookInfo: the URL, pending updates and the last delivery error (date and message)."""
    with state.lock:
        hook = state.webhook or {}
        info: JSONDict = {"url": hook.get("url", ""),
                          "has_custom_certificate": False,
                          "pending_update_count": len(state.updates)}
        if hook:
            info["max_connections"] = hook["max_connections"]
            info["ip_address"] = "127.0.0.1"
        if hook and state.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = state.webhook_error
        if state.allowed_updates:
            info["allowed_updates"] = list(state.allowed_updates)
        return info


def _commands_key(params: Params) -> str:
    scope = params.get_json("scope") or {"type": "default"}
    return f"{scope.get('type')}:{scope.get('chat_id', '')}:{scope.get('user_id', '')}:" + (
        params.get_str("language_code") or ""
    )


@api_method("setMyCommands")
def set_my_commands(state: EmulatorState, params: Params) -> bool:
    """Store the command list for a scope and language (validated like Telegram)."""
    commands = params.get_json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        name = str(command.get("command", "")).lstrip("/")
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    with state.lock:
        state.commands[_commands_key(params)] = [
            {"command": str(c["command"]).lstrip("/"), "description": c["description"]}
            for c in commands
        ]
    return True


@api_method("getMyCommands")
def get_my_commands(state: EmulatorState, params: Params) -> list[JSONDict]:
    """The command list for a scope and language."""
    with state.lock:
        return copy.deepcopy(state.commands.get(_commands_key(params), []))


@api_method("deleteMyCommands")
def delete_my_commands(state: EmulatorState, params: Params) -> bool:
    """Forget the command list for a scope and language."""
    with state.lock:
        state.commands.pop(_commands_key(params), None)
    return True


@api_method("setMyDescription")
@api_method("setMyShortDescription")
@api_method("setMyName")
@api_method("setChatMenuButton")
def accept_setting(state: EmulatorState, params: Params) -> bool:
    """Bot profile settings: accepted (see the call log)."""
    return True


# --------------------------------------------------------------------------- messages


@api_method("sendMessage")
def send_message(state: EmulatorState, params: Params) -> JSONDict:
    """Send a text message."""
    chat = writable_chat(state, params)
    raw, plain, entities = rendered_text(state, params)
    fields: JSONDict = {"text": plain}
    if entities:
        fields["entities"] = entities
    record = send_record(state, "sendMessage", chat, params, fields,
                         text=plain, raw_text=raw, entities=entities)
    with state.lock:
        return copy.deepcopy(record.message)


def editable_message(state: EmulatorState, params: Params) -> RecordedMessage:
    """Find the message an edit method targets; 400s as Telegram words them."""
    if params.get_str("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = state.resolve_chat(params.chat_id())
    record = state.find_message(chat, params.get_int("message_id", required=True))
    if record is None:
        raise bad_request("message to edit not found")
    if not record.from_bot:
        raise bad_request("message can't be edited")
    return record


def apply_edit(state: EmulatorState, record: RecordedMessage, changes: JSONDict,
               markup: JSONDict | None) -> JSONDict:
    """Apply an edit (or raise "not modified"); keep the previous version in ``edits``."""
    message = record.message
    new_message = {**message, **changes}
    for key, value in changes.items():
        if value in (None, []):
            new_message.pop(key)
    if inline_part(markup):
        new_message["reply_markup"] = inline_part(markup)
    else:
        new_message.pop("reply_markup", None)
    visible = ("text", "entities", "caption", "caption_entities", "reply_markup")
    if all(message.get(key) == new_message.get(key) for key in visible):
        raise bad_request(NOT_MODIFIED)
    record.edits.append({"text": record.text, "raw_text": record.raw_text,
                         "parse_mode": record.parse_mode, "entities": record.entities,
                         "caption": record.caption, "reply_markup": record.reply_markup,
                         "message": copy.deepcopy(message)})
    new_message["edit_date"] = int(state.clock())
    record.message = new_message
    record.reply_markup = copy.deepcopy(markup)
    return copy.deepcopy(new_message)


@api_method("editMessageText")
def edit_message_text(state: EmulatorState, params: Params) -> JSONDict:
    """Edit a bot message's text; omitting reply_markup removes the inline keyboard."""
    with state.lock:
        record = editable_message(state, params)
        if record.text is None:
            raise bad_request("there is no text in the message to edit")
        raw, plain, entities = rendered_text(state, params)
        markup = checked_markup(params.get_json("reply_markup"))
        result = apply_edit(state, record, {"text": plain, "entities": entities}, markup)
        record.text, record.raw_text, record.entities = plain, raw, entities
        record.parse_mode = params.get_str("parse_mode")
    state.notify()
    return result


@api_method("editMessageCaption")
def edit_message_caption(state: EmulatorState, params: Params) -> JSONDict:
    """Edit the caption of a bot's media message."""
    with state.lock:
        record = editable_message(state, params)
        if record.text is not None:
            raise bad_request("there is no caption in the message to edit")
        raw, plain, entities = rendered_caption(state, params)
        markup = checked_markup(params.get_json("reply_markup"))
        result = apply_edit(state, record, {"caption": plain, "caption_entities": entities},
                            markup)
        record.caption, record.raw_text, record.entities = plain, raw, entities
        record.parse_mode = params.get_str("parse_mode")
    state.notify()
    return result


@api_method("editMessageReplyMarkup")
def edit_message_reply_markup(state: EmulatorState, params: Params) -> JSONDict:
    """Replace (or, without reply_markup, remove) a bot message's inline keyboard."""
    with state.lock:
        record = editable_message(state, params)
        markup = checked_markup(params.get_json("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        result = apply_edit(state, record, {}, markup)
    state.notify()
    return result


def _delete(state: EmulatorState, chat: ChatState, message_id: Any) -> None:
    record = state.find_message(chat, message_id)
    if record is None:
        raise bad_request("message to delete not found")
    if not record.from_bot and chat.is_group and chat.bot_status not in (
        "administrator", "creator"
    ):
        raise bad_request("message can't be deleted")
    record.deleted = True


@api_method("deleteMessage")
def delete_message(state: EmulatorState, params: Params) -> bool:
    """Delete a message (the bot's own, any in private chats, others' only as admin)."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        _delete(state, chat, params.get_int("message_id", required=True))
    state.notify()
    return True


@api_method("deleteMessages")
def delete_messages(state: EmulatorState, params: Params) -> bool:
    """Delete several messages; missing ones are skipped, as Telegram does."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        for message_id in params.get_json("message_ids") or []:
            if state.find_message(chat, message_id) is not None:
                _delete(state, chat, message_id)
    state.notify()
    return True


@api_method("answerCallbackQuery")
def answer_callback_query(state: EmulatorState, params: Params) -> bool:
    """Answer a callback query once; unknown or repeated answers get Telegram's 400."""
    with state.lock:
        query_id = params.get_str("callback_query_id") or ""
        query = state.callback_queries.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(QUERY_TOO_OLD)
        text = params.get_str("text")
        if text and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        state.answered_callbacks.append(
            {"callback_query_id": query_id, "text": text,
             "show_alert": params.get_bool("show_alert"), "url": params.get_str("url"),
             "cache_time": params.get_int("cache_time"), "data": query.get("data"),
             "chat_id": query.get("chat_id"), "message_id": query.get("message_id")}
        )
    state.notify()
    return True


#: The emoji a bot may react with (Bot API, ReactionTypeEmoji).
REACTION_EMOJI = frozenset(
    {
         "👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢",
         "🎉", "🤩", "🤮", "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳",
         "❤‍🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌", "🏆", "💔", "🤨", "😐", "🍓",
         "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨‍💻", "👀", "🎃", "🙈",
         "😇", "😨", "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿",
         "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾", "🤷‍♂", "🤷",
         "🤷‍♀", "😡",
    }
)


@api_method("setMessageReaction")
def set_message_reaction(state: EmulatorState, params: Params) -> bool:
    """Replace the bot's reactions on a message (an empty list removes them). A bot may set
    one reaction, from the emoji Telegram allows; the message must exist."""
    chat = state.resolve_chat(params.chat_id())
    record = state.find_message(chat, params.get_int("message_id", required=True))
    if record is None:
        raise bad_request("message to react not found")
    reaction = params.get_json("reaction") or []
    if not isinstance(reaction, list):
        raise bad_request("can't parse reaction types JSON object")
    if len(reaction) > 1:
        raise bad_request("REACTIONS_TOO_MANY")
    for item in reaction:
        if not isinstance(item, dict) or item.get("type") != "emoji":
            raise bad_request("REACTION_INVALID")
        if item.get("emoji") not in REACTION_EMOJI:
            raise bad_request("REACTION_INVALID")
    with state.lock:
        record.reactions = [dict(item) for item in reaction]
    state.notify()
    return True


@api_method("sendChatAction")
def send_chat_action(state: EmulatorState, params: Params) -> bool:
    """Record a chat action (typing...)."""
    chat = writable_chat(state, params)
    action = params.get_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    with state.lock:
        state.chat_actions.append({"chat_id": chat.id, "action": action,
                                   "time": state.clock()})
    state.notify()
    return True


# --------------------------------------------------------------------------- files


def input_file(state: EmulatorState, params: Params, key: str
               ) -> tuple[StoredFile | None, UploadedFile | None, str | None]:
    """Resolve an InputFile parameter: (existing file, new upload, URL); 400 if missing."""
    if key in params.files:
        return None, params.files[key], None
    value = params.get_str(key)
    if not value:
        raise bad_request(f"there is no {key} in the request")
    if value.startswith("attach://"):
        upload = params.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"there is no {key} in the request")
        return None, upload, None
    if value.startswith(("http://", "https://")):
        return None, None, value
    with state.lock:
        existing = state.files.get(value)
    if existing is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return existing, None, None


def store_upload(state: EmulatorState, upload: UploadedFile, kind: str) -> StoredFile:
    """Store uploaded bytes (413 above the 50 MB upload limit)."""
    if len(upload.data) > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")
    mime = upload.content_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(upload.filename or "")[0] or mime
    return state.store_file(upload.data, kind=kind, file_name=upload.filename, mime_type=mime)


def media_fields(state: EmulatorState, params: Params) -> tuple[JSONDict, str | None]:
    """The caption fields of a media message, and the raw caption."""
    raw, plain, entities = rendered_caption(state, params)
    fields: JSONDict = {}
    if plain:
        fields["caption"] = plain
    if entities:
        fields["caption_entities"] = entities
    return fields, raw


def finish_media(state: EmulatorState, method: str, chat: ChatState, params: Params,
                 fields: JSONDict, raw_caption: str | None, stored: StoredFile) -> JSONDict:
    """Store a media message and remember its file."""
    record = send_record(state, method, chat, params, fields, caption=fields.get("caption"),
                         raw_text=raw_caption, entities=fields.get("caption_entities", []),
                         files=[stored])
    with state.lock:
        return copy.deepcopy(record.message)


@api_method("sendPhoto")
def send_photo(state: EmulatorState, params: Params) -> JSONDict:
    """Send a photo (upload, file_id or URL); uploads must be real images."""
    chat = writable_chat(state, params)
    existing, upload, url = input_file(state, params, "photo")
    fields, raw_caption = media_fields(state, params)
    if upload is not None:
        if image_size(upload.data) is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        stored = store_upload(state, upload, "photos")
    elif existing is not None:
        stored = existing
    else:
        stored = state.store_file(b"", kind="photos", file_name=url)
    width, height = image_size(stored.data) or (320, 320)
    fields["photo"] = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                        "file_size": len(stored.data), "width": width, "height": height}]
    return finish_media(state, "sendPhoto", chat, params, fields, raw_caption, stored)


@api_method("sendDocument")
def send_document(state: EmulatorState, params: Params) -> JSONDict:
    """Send a document (upload, file_id or URL)."""
    chat = writable_chat(state, params)
    existing, upload, url = input_file(state, params, "document")
    fields, raw_caption = media_fields(state, params)
    if upload is not None:
        stored = store_upload(state, upload, "documents")
    elif existing is not None:
        stored = existing
    else:
        stored = state.store_file(b"", kind="documents", file_name=url)
    document: JSONDict = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                          "file_size": len(stored.data)}
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    fields["document"] = document
    return finish_media(state, "sendDocument", chat, params, fields, raw_caption, stored)


@api_method("getFile")
def get_file(state: EmulatorState, params: Params) -> JSONDict:
    """File info with a file_path for ``/file/bot<token>/<file_path>``."""
    with state.lock:
        stored = state.files.get(params.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data), "file_path": stored.file_path}


# --------------------------------------------------------------------------- chats & members


@api_method("getChat")
def get_chat(state: EmulatorState, params: Params) -> JSONDict:
    """ChatFullInfo with the fields PTB 22 requires."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        info = copy.deepcopy(chat.chat)
    info.update({"accent_color_id": 0, "max_reaction_count": 11,
                 "accepted_gift_types": {"unlimited_gifts": True, "limited_gifts": True,
                                         "unique_gifts": True, "premium_subscription": True,
                                         "gifts_from_channels": True}})
    return info


def chat_member_json(status: str, user: JSONDict) -> JSONDict:
    """A ChatMember object of the given status, with every field that status requires."""
    member: JSONDict = {"status": status, "user": user}
    if status == "restricted-left":  # restricted, and no longer in the chat
        return {**chat_member_json("restricted", user), "is_member": False}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False})
        for right in ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                      "can_restrict_members", "can_change_info", "can_invite_users",
                      "can_post_stories", "can_edit_stories", "can_delete_stories",
                      "can_pin_messages"):
            member[right] = True
        member["can_promote_members"] = False
    elif status == "restricted":
        member.update({"is_member": True, "until_date": 0})
        for right in ("can_send_messages", "can_send_audios", "can_send_documents",
                      "can_send_photos", "can_send_videos", "can_send_video_notes",
                      "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
                      "can_add_web_page_previews", "can_change_info", "can_invite_users",
                      "can_pin_messages", "can_manage_topics", "can_edit_tag",
                      "can_react_to_messages"):
            member[right] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


def user_json(state: EmulatorState, user_id: int) -> JSONDict:
    """The User object for an id: the bot, a known user, or a placeholder."""
    if user_id == state.bot_id:
        return state.bot_user()
    user = state.users.get(user_id)
    if user is not None:
        return user.to_json()
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


@api_method("getChatMember")
def get_chat_member(state: EmulatorState, params: Params) -> JSONDict:
    """A member's status (configure with ``set_member_status``)."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        user_id = params.get_int("user_id", required=True) or 0
        return chat_member_json(state.member_status(chat, user_id), user_json(state, user_id))


@api_method("getChatAdministrators")
def get_chat_administrators(state: EmulatorState, params: Params) -> list[JSONDict]:
    """The creator and administrators of a group (400 for private chats)."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        user_ids = [*chat.members, state.bot_id]
        return [
            chat_member_json(status, user_json(state, user_id))
            for user_id in user_ids
            if (status := state.member_status(chat, user_id)) in ("creator", "administrator")
        ]


@api_method("getChatMemberCount")
def get_chat_member_count(state: EmulatorState, params: Params) -> int:
    """The number of present members (the bot included)."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        if chat.type == "private":
            return 2
        present = ("creator", "administrator", "member", "restricted")
        users = {u for u, s in chat.members.items() if s in present}
        return len(users) + (chat.bot_status in present)


@api_method("leaveChat")
def leave_chat(state: EmulatorState, params: Params) -> bool:
    """The bot leaves a group: its status becomes ``left`` and a my_chat_member update comes."""
    with state.lock:
        chat = state.resolve_chat(params.chat_id())
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        if chat.bot_status in BOT_OUT_OF_CHAT:
            raise ApiError(403, "Forbidden: bot is not a member of the "
                                + ("supergroup chat" if chat.type == "supergroup"
                                   else "group chat"))
        old = chat.bot_status
        chat.bot_status = "left"
        update = {"my_chat_member": {
            "chat": copy.deepcopy(chat.chat), "from": state.bot_user(),
            "date": int(state.clock()),
            "old_chat_member": chat_member_json(old, state.bot_user()),
            "new_chat_member": chat_member_json("left", state.bot_user())}}
    state.push_update(update)
    return True
