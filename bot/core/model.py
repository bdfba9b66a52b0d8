"""Journey maps, stages and notes: the domain objects every other layer passes around."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

# Languages, stages and kinds are defined once, in bot.core.vocabulary; re-exported here.
from bot.core.vocabulary import DEFAULT_LANGUAGE, KINDS, LANES, LANGUAGES, STAGES  # noqa: F401

STAGE_KEYS = STAGES  # the canonical stage keys, a map's default stages
# A note's status (notes.status): items are open until someone marks them resolved (shown only
# while the note is an item: Note.is_resolved).
OPEN, RESOLVED = "open", "resolved"
# Kinds of note that are things to act on: they can get an owner and a due date, and be resolved.
ITEM_KINDS = ("pain_point", "opportunity")

# Default time zone of a chat, from its language, until the team picks one.
DEFAULT_TIMEZONES: dict[str, str] = {
    "en": "UTC",
    "pl": "Europe/Warsaw",
    "uk": "Europe/Kyiv",
    "bg": "Europe/Sofia",
}

MAX_NOTE_LENGTH = 4000  # a pasted review or a voice-typed ramble (Telegram sends up to 4096)
MAX_MAP_NAME_LENGTH = 120
MAX_STAGE_NAME_LENGTH = 40
MAX_STAGES = 12
MAX_MAPS_PER_CHAT = 50


class DomainError(Exception):
    """A user-facing rule was broken; `key` names the localized text that explains it."""

    key = "error.generic"

    def __init__(self, **details: Any) -> None:
        super().__init__(self.key, details)
        self.details = details


class EmptyText(DomainError):
    key = "error.empty_text"


class TextTooLong(DomainError):
    key = "error.text_too_long"


class NoWords(DomainError):
    """Emoji or signs only: nothing a team could read on the map, nothing to classify."""

    key = "error.no_words"


class TooManyStages(DomainError):
    key = "error.too_many_stages"


class TooManyMaps(DomainError):
    key = "error.too_many_maps"


class NoActiveMap(DomainError):
    key = "error.no_active_map"


class NotFound(DomainError):
    """The thing a button or command points at does not exist in this chat (any more)."""

    key = "error.not_found"


class NotAllowed(DomainError):
    key = "error.not_allowed"


class NotYourItem(NotAllowed):
    """A member changing an item that is neither theirs to own nor theirs to have written."""

    key = "error.not_your_item"


class NotYourNote(NotAllowed):
    """A member changing or deleting someone else's note (see bot/core/permissions.py)."""

    key = "error.not_your_note"


@dataclass(frozen=True)
class Chat:
    """A team: one Telegram chat, private or group."""

    id: int
    type: str
    title: str | None
    lang: str
    timezone: str
    active_map_id: int | None = None
    timezone_confirmed: bool = False
    everyone_edits: bool = False

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    @property
    def display_name(self) -> str:
        return self.first_name or (f"@{self.username}" if self.username else str(self.id))


@dataclass(frozen=True)
class Stage:
    """One column of a map. `key` is the canonical stage it stands for, or None for a custom one."""

    id: int
    map_id: int
    position: int
    key: str | None
    name: str | None = None


@dataclass(frozen=True)
class JourneyMap:
    id: int
    chat_id: int
    name: str
    persona: str | None
    created_by: int | None
    created_at: datetime
    stages: tuple[Stage, ...] = ()

    def stage_for_key(self, key: str | None) -> Stage | None:
        """The map's stage that carries a canonical key (first one), if any."""
        return next((s for s in self.stages if key and s.key == key), None)

    def stage_by_id(self, stage_id: int | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True)
class Note:
    id: int
    chat_id: int
    map_id: int
    stage_id: int | None
    kind: str
    text: str
    lang: str
    author_id: int | None
    created_at: datetime
    source: str = "typed"
    author_name: str | None = None
    stage_score: float | None = None
    kind_score: float | None = None
    sentiment: float = 0.0
    channels: tuple[str, ...] = ()
    status: str = "open"
    owner_id: int | None = None
    number: int = 0  # per map, 1, 2, 3…, never reused: what the team reads and types
    due_on: date | None = None  # the day it should be done, in the chat's time zone
    resolved_by: int | None = None  # who closed it (None before owners existed, or open)
    resolved_at: datetime | None = None
    owner_name: str | None = None  # the owner's first name (or @username), when read with it
    resolved_by_name: str | None = None
    # a customer's own words (a forwarded message, an imported review): drawn as a quote
    quote: bool = False
    quoted_from: str | None = None  # the customer, as Telegram or the imported file names them
    said_at: datetime | None = None  # when the customer said it, where known
    # when the classifier was unsure: the stage keys / kinds it offers as one-tap choices,
    # likeliest first (empty when it was sure, or once the team set that field)
    stage_choices: tuple[str, ...] = ()
    kind_choices: tuple[str, ...] = ()

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Note:
        """The note whose fields are `fields`, every one of them (storage reads them all), made
        without the frozen dataclass's `__init__`: its one `object.__setattr__` per field was
        4 µs a note, a quarter of listing a map's notes."""
        note = object.__new__(cls)
        note.__dict__.update(fields)
        return note

    @property
    def is_pain_point(self) -> bool:
        return self.kind == "pain_point"

    @property
    def is_resolved(self) -> bool:
        """Resolved, and of a kind that can be (a pain point or an opportunity). A resolved item
        corrected to another kind keeps `status` in the database but shows no resolution
        anywhere; corrected back, it is resolved again, by the same person."""
        return self.kind in ITEM_KINDS and self.status == RESOLVED

    @property
    def shown_status(self) -> str:
        """The status every view and export shows: "resolved" only for a resolved item."""
        return RESOLVED if self.is_resolved else OPEN

    @property
    def is_resolved_pain_point(self) -> bool:
        return self.kind == "pain_point" and self.status == RESOLVED

    @property
    def is_item(self) -> bool:
        """A pain point or an opportunity: what can get an owner and a due date."""
        return self.kind in ITEM_KINDS

    @property
    def is_open_pain_point(self) -> bool:
        """A pain point nobody has marked resolved: what every count of "pain" counts."""
        return self.kind == "pain_point" and self.status != RESOLVED


class NoteFacts(NamedTuple):
    """What /insights reads of a note (`storage.notes.list_note_facts`): the fields its counts,
    moods and themes use, with `Note`'s meaning and the same names, so every function of
    `bot.core.insights` takes either. A map's 10,000 notes are read as these in a fraction of
    the time whole `Note`s take (no joins, no names, no dates but the creation's)."""

    id: int
    stage_id: int | None
    kind: str
    status: str
    sentiment: float
    created_at: datetime
    text: str
    lang: str
    channels: tuple[str, ...]

    is_pain_point = Note.is_pain_point
    is_open_pain_point = Note.is_open_pain_point


@dataclass(frozen=True)
class NoteDraft:
    """A note before it is stored: what the team typed plus what the classifier made of it."""

    text: str
    lang: str
    kind: str
    stage_key: str | None
    stage_score: float | None = None
    kind_score: float | None = None
    sentiment: float = 0.0
    channels: tuple[str, ...] = ()
    source: str = "typed"
    classified_stage: str | None = None
    classified_kind: str | None = None
    # when the classifier is unsure: the likeliest stage keys / kinds, best first, to offer as
    # one-tap choices (empty when it is sure, or the team chose in the guided flow)
    stage_choices: tuple[str, ...] = ()
    kind_choices: tuple[str, ...] = ()
    # the customer's voice (see Note): a forwarded message or an imported row
    quote: bool = False
    quoted_from: str | None = None
    said_at: datetime | None = None


@dataclass(frozen=True)
class Dialog:
    """Where one user stands in one multi-step conversation; stored so it survives restarts."""

    chat_id: int
    user_id: int
    flow: str
    state: str
    data: dict[str, Any] = field(default_factory=dict)
    # when the last answer came: an idle conversation expires
    updated_at: datetime | None = field(default=None, compare=False)

    def to(self, state: str, **changes: Any) -> Dialog:
        """The same conversation moved to `state`, with `changes` merged into its data."""
        return replace(self, state=state, data={**self.data, **changes})
