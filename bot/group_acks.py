"""Acknowledging notes in a group without spending a message on each.

Telegram lets a bot send about 20 messages a minute to a group: one acknowledgement per note
made 60 notes take three minutes. Instead, each note gets a ✍ reaction on the member's own
message at once (a reaction is not a message), and every `delay` seconds one combined message
lists the notes stored since the last one — number, who, a few words, stage · kind — with a
button per note that opens its usual card (change stage or kind, undo), so every note can
still be corrected. Numbers are per map: when the group has several maps, the list says which
map its notes are on (its name above the list, or beside each note of a list that spans
two). A note the classifier was unsure of is marked in its line with the question
("🤔 Purchase or Decision?") and its button reads "🤔 #N": it opens the note's card with the
likeliest choices as one-tap buttons, as a private chat's acknowledgement has them.
The group gets no extra message for it. When a listed note is corrected (or undone), its
list is edited to match (an edit is not a message): the line shows the new stage · kind and
loses its question once the team answered it. The bot remembers which list shows which note
for the last LISTS_KEPT lists; older lists, and lists sent before a restart, stay as they were.

Until its combined message is out, a note's update stays in the inbox (`InboxQueue.held`):
after a crash it is reacted to and listed again, never stored again (bot/inbox.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.flows.add_note import choice_question, unsure_choices
from bot.inbox import InboxQueue
from bot.replies import esc
from bot.texts import t
from bot.views import stage_name, under_map_name
from storage.chats import get_chat
from storage.inbox import mark_update_handled
from storage.maps import get_map, has_several_maps
from storage.notes import get_note

log = logging.getLogger(__name__)

REACTION = "✍"
UNSURE = "🤔"  # marks a note the classifier was unsure of, in its line and on its button
DELAY = 3.0  # seconds between combined acknowledgements of one group
MAX_PER_MESSAGE = 20
BUTTONS_PER_ROW = 5
TEXT_WORDS = 48  # characters of each note shown in the list
MAX_ATTEMPTS = 3
LISTS_KEPT = 500  # combined messages whose notes are remembered, to edit them after a change


class GroupAcks:
    """The notes of each group waiting for their combined acknowledgement."""

    def __init__(self, inbox: InboxQueue, delay: float = DELAY) -> None:
        self.inbox = inbox
        self.delay = delay
        self._pending: dict[int, list[tuple[int, int]]] = {}  # chat → [(update id, note id)]
        self._flushing: set[int] = set()
        # (chat, message id) of a combined message → the note ids it lists; note → its list
        self._lists: OrderedDict[tuple[int, int], tuple[int, ...]] = OrderedDict()
        self._list_of: dict[int, tuple[int, int]] = {}

    def waiting(self, chat_id: int | None = None) -> int:
        """Notes (of one chat, or of all) not yet in a combined acknowledgement."""
        if chat_id is None:
            return sum(len(pending) for pending in self._pending.values())
        return len(self._pending.get(chat_id, ()))

    async def note_stored(self, update: Update, app: Application, note_id: int) -> None:
        """Reacts to the member's message and lists the note in the next combined message."""
        chat_id = update.effective_chat.id
        self.inbox.held.add(update.update_id)
        self._pending.setdefault(chat_id, []).append((update.update_id, note_id))
        if chat_id not in self._flushing:
            self._flushing.add(chat_id)
            app.create_task(self._flush_later(app, chat_id), update=update)
        try:
            await app.bot.set_message_reaction(
                chat_id, update.effective_message.message_id, REACTION
            )
        except TelegramError as error:  # the list still acknowledges the note
            log.warning("reaction refused: %s", error, extra={"chat_id": chat_id})

    async def _flush_later(self, app: Application, chat_id: int) -> None:
        failures = 0
        try:
            while self._pending.get(chat_id):
                await asyncio.sleep(self.delay)
                batch = self._pending[chat_id][:MAX_PER_MESSAGE]
                try:
                    await self._send(app, chat_id, [note_id for _, note_id in batch])
                except Forbidden as error:  # the bot was removed: nobody to tell
                    log.warning("combined acknowledgement refused: %s", error)
                except TelegramError as error:
                    failures += 1
                    log.warning("combined acknowledgement failed: %s", error)
                    if failures < MAX_ATTEMPTS:
                        continue
                failures = 0
                del self._pending[chat_id][: len(batch)]
                for update_id, _ in batch:
                    self.inbox.held.discard(update_id)
                    mark_update_handled(app.bot_data["db"], app.bot.id, update_id, chat_id)
        finally:
            self._flushing.discard(chat_id)
            if not self._pending.get(chat_id):
                self._pending.pop(chat_id, None)

    async def note_changed(self, app: Application, chat_id: int, note_id: int) -> None:
        """Edits the combined message that lists the note, if it is one of the last
        LISTS_KEPT, so it shows the note as it is now (an undone note leaves the list)."""
        where = self._list_of.get(note_id)
        if where is None or where[0] != chat_id:
            return
        rendered = self._render(app, chat_id, self._lists[where])
        try:
            if rendered is None:  # every note of the list is gone
                await app.bot.edit_message_reply_markup(chat_id, where[1], reply_markup=None)
            else:
                await app.bot.edit_message_text(rendered[0], chat_id, where[1],
                                                reply_markup=rendered[1])
        except TelegramError as error:  # deleted by an admin, not modified…: nothing to fix
            log.info("combined acknowledgement not edited: %s", error)

    def _remember(self, chat_id: int, message_id: int, note_ids: tuple[int, ...]) -> None:
        self._lists[(chat_id, message_id)] = note_ids
        for note_id in note_ids:
            self._list_of[note_id] = (chat_id, message_id)
        while len(self._lists) > LISTS_KEPT:
            old, ids = self._lists.popitem(last=False)
            for note_id in ids:
                if self._list_of.get(note_id) == old:
                    del self._list_of[note_id]

    async def _send(self, app: Application, chat_id: int, note_ids: list[int]) -> None:
        rendered = self._render(app, chat_id, note_ids)
        if rendered is None:
            return
        message = await app.bot.send_message(chat_id, rendered[0], reply_markup=rendered[1])
        self._remember(chat_id, message.message_id, tuple(note_ids))

    def _render(self, app: Application, chat_id: int, note_ids) -> tuple | None:
        """The text and buttons of a combined message listing `note_ids` as they are now
        (None when none of them exists any more)."""
        db = app.bot_data["db"]
        chat = get_chat(db, chat_id)
        lang = chat.lang if chat else "en"
        lines, buttons, maps = [t(lang, "group.noted_title")], [], {}
        any_unsure = False
        notes = [note for note in (get_note(db, chat_id, n) for n in note_ids) if note is not None]
        for note in notes:  # a note deleted meanwhile (/delete, /forget) is left out
            if note.map_id not in maps:
                maps[note.map_id] = get_map(db, chat_id, note.map_id)
        several_maps = len(maps) > 1  # numbers are per map: "#1" of which map?
        (only_map,) = maps.values() if len(maps) == 1 else (None,)
        if only_map is not None and has_several_maps(db, chat_id):  # on which of the maps?
            lines[0] = under_map_name(lang, only_map, lines[0])
        for note in notes:
            journey = maps[note.map_id]
            stage = journey.stage_by_id(note.stage_id) if journey else None
            where = stage_name(lang, stage)
            if several_maps and journey is not None:
                where = f"{journey.name} · {where}"
            line = t(
                lang,
                "group.noted_line",
                number=note.number,
                author=esc(note.author_name or "?"),
                text=esc(_shorten(note.text, TEXT_WORDS)),
                stage=esc(where),
                kind=t(lang, f"kind.{note.kind}"),
            )
            choices = unsure_choices(lang, journey, note) if journey else None
            if choices:
                any_unsure = True
                line += f" {UNSURE} {esc(choice_question(lang, choices))}"
            lines.append(line)
            mark = UNSURE if choices else "✏️"
            buttons.append(
                InlineKeyboardButton(f"{mark} #{note.number}", callback_data=f"nb:open:{note.id}")
            )
        if not buttons:
            return None
        if any_unsure:
            lines.append(t(lang, "group.unsure_hint"))
        rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
        return "\n".join(lines), InlineKeyboardMarkup(rows)


def _shorten(text: str, limit: int) -> str:
    """The text cut at a word boundary with "…" (views will offer bot.core.text.shorten)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,.;:—-") + "…"
