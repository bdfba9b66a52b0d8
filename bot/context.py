"""The typed callback context: handlers reach the database and the chat's language through it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.model import DEFAULT_LANGUAGE, Chat
from bot.core.permissions import Role

if TYPE_CHECKING:
    from sqlite_utils import Database


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """CallbackContext with `db`, `chat_record` (set for every update), `lang` and `role`."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.chat_record: Chat | None = None
        self.role: Role | None = None  # the sender's role in the chat, once asked

    @property
    def db(self) -> Database:
        return self.bot_data["db"]

    @property
    def lang(self) -> str:
        return self.chat_record.lang if self.chat_record else DEFAULT_LANGUAGE
