"""Journey maps and their stages. Every read is scoped to the chat that owns the map."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from bot.core.model import MAX_MAPS_PER_CHAT, JourneyMap, Stage, TooManyMaps
from storage.db import from_iso, to_iso, utcnow
from storage.ids import NEXT_ID

StageSpec = tuple[str | None, str | None]  # (canonical key or None, custom name or None)
# Notes deleted or moved off a removed stage per transaction by the batched steps below: about
# 15 ms at a million notes (a map's notes lie on as many pages as it has notes), so a 10,000-note
# map is deleted in short steps with the event loop free in between (bot.offload.in_steps).
STEP_NOTES = 100
_INSERT_STAGE = (
    f"INSERT INTO stages (id, map_id, position, key, name) VALUES ({NEXT_ID['stages']}, ?, ?, ?, ?)"
)


def _stages(db: Database, map_id: int) -> tuple[Stage, ...]:
    return tuple(
        Stage(id=r["id"], map_id=r["map_id"], position=r["position"], key=r["key"], name=r["name"])
        for r in db.query("SELECT * FROM stages WHERE map_id = ? ORDER BY position, id", [map_id])
    )


def _map_from_row(db: Database, row: dict) -> JourneyMap:
    return JourneyMap(
        id=row["id"],
        chat_id=row["chat_id"],
        name=row["name"],
        persona=row["persona"],
        created_by=row["created_by"],
        created_at=from_iso(row["created_at"]),
        stages=_stages(db, row["id"]),
    )


def create_map(
    db: Database,
    chat_id: int,
    name: str,
    persona: str | None,
    created_by: int | None,
    stages: Sequence[StageSpec],
) -> JourneyMap:
    """Stores a new map with its stages and makes it the chat's active map."""
    now = to_iso(utcnow())
    with db.atomic():
        count = db.execute("SELECT count(*) FROM maps WHERE chat_id = ?", [chat_id]).fetchone()[0]
        if count >= MAX_MAPS_PER_CHAT:
            raise TooManyMaps(limit=MAX_MAPS_PER_CHAT)
        cursor = db.execute(
            "INSERT INTO maps (id, chat_id, name, persona, created_by, created_at, updated_at)"
            f" VALUES ({NEXT_ID['maps']}, ?, ?, ?, ?, ?, ?)",
            [chat_id, name, persona, created_by, now, now],
        )
        map_id = cursor.lastrowid
        for position, (key, stage_name) in enumerate(stages):
            db.execute(
                _INSERT_STAGE,
                [map_id, position, key, stage_name],
            )
        db.execute("UPDATE chats SET active_map_id = ? WHERE id = ?", [map_id, chat_id])
    journey = get_map(db, chat_id, map_id)
    assert journey is not None
    return journey


def get_map(db: Database, chat_id: int, map_id: int | None) -> JourneyMap | None:
    """The map if it exists *and belongs to this chat*; None otherwise."""
    if map_id is None:
        return None
    rows = list(db.query("SELECT * FROM maps WHERE id = ? AND chat_id = ?", [map_id, chat_id]))
    return _map_from_row(db, rows[0]) if rows else None


def has_several_maps(db: Database, chat_id: int) -> bool:
    """Whether the chat has more than one map (read from `idx_maps_chat`, two rows at most)."""
    return db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM maps WHERE chat_id = ? LIMIT 2)", [chat_id]
    ).fetchone()[0] > 1


def list_maps(db: Database, chat_id: int) -> list[tuple[JourneyMap, int]]:
    """The chat's maps, oldest first, each with its number of notes."""
    rows = db.query(
        """
        SELECT maps.*, (SELECT count(*) FROM notes WHERE notes.map_id = maps.id) AS note_count
        FROM maps WHERE chat_id = ? ORDER BY id
        """,
        [chat_id],
    )
    return [(_map_from_row(db, row), row["note_count"]) for row in rows]


def stage_note_counts(db: Database, chat_id: int, map_id: int) -> dict[int | None, int]:
    """How many notes each stage of the chat's map has (None: notes without a stage), read
    from the map's covering index alone (`idx_notes_map`): the chat is checked on the map's
    row, not on each note's (a `+chat_id` filter read every note's row: 45–210 ms for a
    10,000-note map on the loop, 1–5 ms now)."""
    rows = db.execute(
        "SELECT stage_id, count(*) FROM notes"
        " WHERE map_id = (SELECT id FROM maps WHERE id = ? AND chat_id = ?) GROUP BY stage_id",
        [map_id, chat_id],
    )
    return dict(rows.fetchall())


def rename_map(db: Database, chat_id: int, map_id: int, name: str) -> bool:
    """Renames the chat's map; False if there is no such map in this chat."""
    cursor = db.execute(
        "UPDATE maps SET name = ?, updated_at = ? WHERE id = ? AND chat_id = ?",
        [name, to_iso(utcnow()), map_id, chat_id],
    )
    return cursor.rowcount == 1


def delete_map(db: Database, chat_id: int, map_id: int) -> bool:
    """Deletes the chat's map with its stages and notes. If it was the active map, the chat's
    most recently changed other map becomes active (none if it was the last)."""
    with db.atomic():
        cursor = db.execute("DELETE FROM maps WHERE id = ? AND chat_id = ?", [map_id, chat_id])
        if cursor.rowcount != 1:
            return False
        db.execute(
            """
            UPDATE chats SET active_map_id = (
                SELECT id FROM maps WHERE chat_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1
            ) WHERE id = ? AND active_map_id = ?
            """,
            [chat_id, chat_id, map_id],
        )
    return True


def delete_some_notes_of_map(db: Database, chat_id: int, map_id: int,
                             limit: int = STEP_NOTES) -> int:
    """One step of deleting a big map: deletes up to `limit` of its notes in one short
    transaction and returns how many (0 when none are left; then call `delete_map`). A note
    added meanwhile is deleted with the map by `delete_map` anyway."""
    with db.atomic():
        return db.execute(
            """
            DELETE FROM notes WHERE id IN (
              SELECT id FROM notes WHERE map_id = ? AND +chat_id = ? LIMIT ?)
            """,
            [map_id, chat_id, limit],
        ).rowcount


def unstage_some_notes(db: Database, chat_id: int, map_id: int, stages: Sequence[tuple],
                       limit: int = STEP_NOTES) -> int:
    """One step before `replace_stages(db, chat_id, map_id, stages)` on a big map: moves up to
    `limit` notes of the stages it will delete off them (what the deletion does) in one short
    transaction; returns how many (0 when none are left)."""
    keep = [stage_id for stage_id, _, _ in stages if stage_id is not None]
    with db.atomic():
        return db.execute(
            f"""
            UPDATE notes SET stage_id = NULL WHERE id IN (
              SELECT id FROM notes
              WHERE stage_id IN (
                  SELECT id FROM stages
                  WHERE map_id = ? AND id NOT IN ({", ".join("?" * len(keep))}))
                AND +map_id = ? AND +chat_id = ?
              LIMIT ?)
            """,
            [map_id, *keep, map_id, chat_id, limit],
        ).rowcount


def replace_stages(db: Database, chat_id: int, map_id: int, stages: Sequence[tuple]) -> None:
    """Sets the map's stages to `stages` — (stage id or None, key, name) in order.

    Kept stages keep their id (and notes); stages left out are deleted and their notes stay
    on the map without a stage.
    """
    with db.atomic():
        if get_map(db, chat_id, map_id) is None:
            return
        keep = {stage_id for stage_id, _, _ in stages if stage_id is not None}
        for row in list(db.query("SELECT id FROM stages WHERE map_id = ?", [map_id])):
            if row["id"] not in keep:
                db.execute("DELETE FROM stages WHERE id = ?", [row["id"]])
        for position, (stage_id, key, name) in enumerate(stages):
            if stage_id is None:
                db.execute(
                    _INSERT_STAGE,
                    [map_id, position, key, name],
                )
            else:
                db.execute(
                    "UPDATE stages SET position = ?, key = ?, name = ? WHERE id = ? AND map_id = ?",
                    [position, key, name, stage_id, map_id],
                )
        db.execute("UPDATE maps SET updated_at = ? WHERE id = ?", [to_iso(utcnow()), map_id])
