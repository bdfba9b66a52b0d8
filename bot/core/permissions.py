"""Who may do what in a chat: the one policy every handler asks (pure, no I/O).

In a private chat its one person is its administrator. In a group, Telegram's owner and
administrators are administrators; everyone else present is a member; people who left or were
removed are former members; people never in the group are outsiders. Former members and
outsiders may do nothing (they can still see old messages of a public group and press buttons).

Members add notes, correct and delete their own notes, switch maps, start maps, take part in
reviews and export; they take unowned pain points and opportunities, and set the due date of,
resolve or reopen the items that are theirs (they own them, or wrote them and nobody owns
them). Changing or deleting other people's notes and items, renaming the map or changing
its stages, the review
schedule and the chat's language are for administrators, unless an administrator has turned
"everyone edits" on for the chat. Deleting a map, forgetting the chat and that setting itself
stay with the administrators whatever the setting says.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"
    FORMER = "former"
    OUTSIDER = "outsider"


class Action(StrEnum):
    ADD_NOTE = "add_note"
    VIEW = "view"
    EXPORT = "export"
    REVIEW = "review"
    NEW_MAP = "new_map"
    SWITCH_MAP = "switch_map"
    EDIT_NOTE = "edit_note"
    DELETE_NOTE = "delete_note"
    RENAME_MAP = "rename_map"
    EDIT_STAGES = "edit_stages"
    SCHEDULE = "schedule"
    LANGUAGE = "language"
    DELETE_MAP = "delete_map"
    FORGET = "forget"
    CHANGE_ROLES = "change_roles"
    ASSIGN = "assign"  # give an item an owner or a due date, resolve or reopen it


# Telegram's getChatMember statuses, as roles.
ROLE_OF_STATUS: dict[str, Role] = {
    "creator": Role.ADMIN,
    "owner": Role.ADMIN,
    "administrator": Role.ADMIN,
    "member": Role.MEMBER,
    "restricted": Role.MEMBER,
    "left": Role.FORMER,
    "kicked": Role.FORMER,
    "banned": Role.FORMER,
}

MEMBER_ACTIONS = frozenset(
    {Action.ADD_NOTE, Action.VIEW, Action.EXPORT, Action.REVIEW, Action.NEW_MAP, Action.SWITCH_MAP}
)
OWN_NOTE_ACTIONS = frozenset({Action.EDIT_NOTE, Action.DELETE_NOTE})
# `own` for an item: the member owns it, or wrote it and nobody owns it, or takes it for
# themselves while nobody owns it
OWN_ITEM_ACTIONS = frozenset({Action.ASSIGN})
EVERYONE_EDITS_ACTIONS = frozenset(
    {
        Action.EDIT_NOTE,
        Action.DELETE_NOTE,
        Action.RENAME_MAP,
        Action.EDIT_STAGES,
        Action.SCHEDULE,
        Action.LANGUAGE,
        Action.ASSIGN,
    }
)
ADMIN_ONLY_ACTIONS = frozenset({Action.DELETE_MAP, Action.FORGET, Action.CHANGE_ROLES})


IN_CHAT_ROLES = frozenset({Role.ADMIN, Role.MEMBER})


def role_from_status(status: str, *, is_member: bool | None = None) -> Role:
    """The role of a getChatMember status ("restricted" with is_member False has left)."""
    if status == "restricted" and is_member is False:
        return Role.FORMER
    return ROLE_OF_STATUS.get(status, Role.OUTSIDER)


def in_chat(status: str, *, is_member: bool | None = None) -> bool:
    """The one rule for "is this person in the chat now", from Telegram's ChatMember: creator,
    administrator and member are; restricted is while `is_member` (Telegram keeps a restricted
    person's restrictions after they leave, with is_member false); left and kicked are not."""
    return role_from_status(status, is_member=is_member) in IN_CHAT_ROLES


def may(role: Role, action: Action, *, everyone_edits: bool = False, own: bool = False) -> bool:
    """Whether someone with `role` may do `action`; `own`: the note is theirs."""
    if role is Role.ADMIN:
        return True
    if role is not Role.MEMBER:
        return False
    if action in MEMBER_ACTIONS:
        return True
    if (action in OWN_NOTE_ACTIONS or action in OWN_ITEM_ACTIONS) and own:
        return True
    return everyone_edits and action in EVERYONE_EDITS_ACTIONS


def may_answer(role: Role, *, user_id: int, asker_id: int | None) -> bool:
    """Only the person who asked a question (or an administrator) answers its Yes/No."""
    if role is Role.ADMIN:
        return True
    return role is Role.MEMBER and asker_id is not None and user_id == asker_id
