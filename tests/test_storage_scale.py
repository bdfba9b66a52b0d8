"""Scale: the index migration on a database made by the previous release, and O(map) costs.

Costs are counted, not timed: SQLite calls a progress handler every virtual-machine step, and
a per-map operation must take the same number of steps whether the rest of the database holds
a thousand notes or ten times more. A full scan of the notes table would grow with it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from storage.chats import remember_chat, remember_user
from storage.db import open_db, to_iso
from storage.maps import create_map, delete_map, list_maps, replace_stages
from storage.migrations import migrations
from storage.notes import (
    add_note,
    add_notes,
    correct_note,
    count_notes,
    delete_note,
    filled_lanes,
    list_notes,
)
from storage.ownership import chat_counts, export_chat, last_review_at, list_reviews
from storage.reminders import claim_due, save_schedule
from storage.reviews import (
    changes_since,
    finish_review,
    last_finished_review,
    open_pain_points,
    open_review,
    start_review,
)
from tests.sql_support import query_plans

# The first migration of the scale work: a database made by the release before it has every
# migration before this one.
SCALE_MIGRATION = "m007_indexes_for_foreign_keys_and_hot_queries"
DEFAULT_STAGES = [(key, None) for key in STAGE_KEYS]
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _draft(text: str, kind: str = "pain_point", stage: str = "purchase") -> NoteDraft:
    return NoteDraft(text=text, lang="en", kind=kind, stage_key=stage)


def open_previous_release_db(path):
    """A database with only the previous release's schema (what `journeybot` made until now)."""
    db = open_db(path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=names[names.index(SCALE_MIGRATION):])
    assert [m.name for m in migrations.applied(db)] == names[: names.index(SCALE_MIGRATION)]
    return db


def _history(db) -> dict:
    """A second-day database: notes, corrections, answered pain points, deleted notes and maps,
    a finished and an abandoned review, a schedule with a sent reminder."""
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Ivan", None, "uk")
    remember_chat(db, -100, "group", "Bakery", "pl")
    remember_chat(db, 5, "private", "Ivan", "uk")
    bakery = create_map(db, -100, "Online shop", None, 7, DEFAULT_STAGES)
    gone = create_map(db, -100, "Old map", None, 7, DEFAULT_STAGES)
    purchase = bakery.stage_for_key("purchase")
    pain = add_note(db, -100, bakery.id, purchase.id, _draft("card payment fails"), 7)
    add_note(db, -100, bakery.id, purchase.id, _draft("add BLIK", "opportunity"), 8,
             parent_id=pain.id)
    moved = add_note(db, -100, bakery.id, purchase.id, _draft("courier late"), 8)
    correct_note(db, -100, moved.id, 7, stage_id=bakery.stage_for_key("retention").id,
                 stage_key="retention")
    deleted = add_note(db, -100, bakery.id, None, _draft("typo"), 7)
    delete_note(db, -100, deleted.id)
    add_note(db, -100, gone.id, None, _draft("old"), 7)
    delete_map(db, -100, gone.id)
    review = start_review(db, -100, bakery.id, 7, NOW - timedelta(days=7))
    finish_review(db, review, NOW - timedelta(days=7, minutes=-20))
    start_review(db, -100, bakery.id, 8, NOW - timedelta(days=1))  # abandoned
    ivan = create_map(db, 5, "Mapa", None, 8, DEFAULT_STAGES)
    add_note(db, 5, ivan.id, None, _draft("довга доставка"), 8)
    weekly = ReviewRule.from_rrule("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYHOUR=9;BYMINUTE=0")
    save_schedule(db, -100, bakery.id, weekly, "Europe/Warsaw", now=NOW - timedelta(days=30),
                  created_by=7)
    claim_due(db, NOW)
    return {"map": bakery.id, "pain": pain.id}


def _snapshot(db) -> dict:
    return {
        table: [dict(row) for row in db.query(f"SELECT * FROM [{table}] ORDER BY rowid")]
        for table in ("chats", "users", "maps", "stages", "notes", "corrections", "schedules",
                      "reviews", "reminders", "dialogs")
    }


def test_the_index_migration_upgrades_a_previous_release_database(db_path):
    db = open_previous_release_db(db_path)
    # today's notes reads join the resolver (m020) and schedules are read by kind (m064): the
    # history is written with those columns there, and the previous release's tables are
    # restored before the upgrade
    db.execute("ALTER TABLE notes ADD COLUMN resolved_by INTEGER")
    db.execute("ALTER TABLE schedules ADD COLUMN kind TEXT NOT NULL DEFAULT 'review'")
    ids = _history(db)
    db.execute("ALTER TABLE notes DROP COLUMN resolved_by")
    db.execute("ALTER TABLE schedules DROP COLUMN kind")
    before = _snapshot(db)
    db.close()

    db = open_db(db_path)  # what the new release does at start
    assert migrations.pending(db) == []
    assert SCALE_MIGRATION in {m.name for m in migrations.applied(db)}
    after = _snapshot(db)  # columns added by later migrations (chats.everyone_edits) aside
    assert {
        k: [{c: row[c] for c in (before[k][0] if before[k] else row)} for row in v]
        for k, v in after.items()
        if k != "notes"
    } == {k: v for k, v in before.items() if k != "notes"}
    assert [n["text"] for n in _snapshot(db)["notes"]] == [n["text"] for n in before["notes"]]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _unindexed_foreign_keys(db) == []
    # the old data works through the new indexes
    assert [n.text for n in list_notes(db, -100, ids["map"])] == [
        "card payment fails", "add BLIK", "courier late"]
    assert last_review_at(db, -100, ids["map"]) == NOW - timedelta(days=7, minutes=-20)
    assert open_review(db, -100, ids["map"]) is not None
    assert delete_note(db, -100, ids["pain"])
    assert db.execute("SELECT parent_id FROM notes WHERE text = 'add BLIK'").fetchone()[0] is None
    assert delete_map(db, -100, ids["map"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    assert migrations.pending(open_db(db_path)) == []  # a second start changes nothing


def _unindexed_foreign_keys(db) -> list[tuple[str, str]]:
    """(table, column) of every foreign key whose child column leads no index of its table
    (an INTEGER PRIMARY KEY is the table's rowid: its own index)."""
    missing = []
    for table in db.table_names():
        if table.startswith(("sqlite_", "notes_fts")):
            continue
        leading = {
            db.execute(f"PRAGMA index_info([{index[1]}])").fetchone()[2]
            for index in db.execute(f"PRAGMA index_list([{table}])").fetchall()
        }
        keys = [c for c in db.execute(f"PRAGMA table_info([{table}])").fetchall() if c[5]]
        if len(keys) == 1 and keys[0][2].upper() == "INTEGER":
            leading.add(keys[0][1])
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            if fk[3] not in leading:
                missing.append((table, fk[3]))
    return missing


def test_every_foreign_key_child_column_is_indexed(db):
    """Deleting a parent row looks its children up by this column: without an index, a scan."""
    assert _unindexed_foreign_keys(db) == []


# --- O(map): the same number of SQLite steps whatever the rest of the database holds ---------


class StepCounter:
    """Counts SQLite virtual-machine steps (a progress handler called every 10 steps)."""

    def __init__(self, db) -> None:
        self.db, self.steps = db, 0

    def _tick(self) -> int:
        self.steps += 10
        return 0

    def __call__(self, operation) -> int:
        self.steps = 0
        self.db.conn.set_progress_handler(self._tick, 10)
        try:
            operation()
        finally:
            self.db.conn.set_progress_handler(None, 0)
        return self.steps


def _filler(db, chat_id: int, map_id: int, stage_ids: list[int], count: int) -> None:
    """`count` notes in another map of the same chat (the worst case for the planner)."""
    kinds = ("pain_point", "touchpoint", "emotion", "need", "opportunity", "action")
    with db.atomic():
        add_notes(
            db,
            (
                (chat_id, map_id, stage_ids[i % len(stage_ids)],
                 _draft(f"filler note {i} about delivery", kinds[i % 6]), 7,
                 to_iso(NOW), None)
                for i in range(count)
            ),
        )
        db["reviews"].insert_all(
            {"map_id": map_id, "chat_id": chat_id, "started_by": 7, "started_at": to_iso(NOW),
             "finished_at": to_iso(NOW), "participants": "[7]", "summary": json.dumps({})}
            for _ in range(count // 10)
        )


@pytest.fixture
def grow(db):
    """A chat with a small map; grow(n) adds n notes (and n/10 reviews) to another map of it."""
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "pl")
    big = create_map(db, -100, "Big", None, 7, DEFAULT_STAGES)
    small = create_map(db, -100, "Small", None, 7, DEFAULT_STAGES)
    stages = [s.id for s in big.stages]

    def add(count: int) -> None:
        _filler(db, -100, big.id, stages, count)

    add.small = small
    return add


def _map_operations(db, journey) -> dict:
    chat_id, map_id = journey.chat_id, journey.id
    purchase = journey.stage_for_key("purchase")

    def add_then_delete_note():
        note = add_note(db, chat_id, map_id, purchase.id, _draft("one more"), 7)
        delete_note(db, chat_id, note.id)

    def add_then_remove_stage():
        stages = [(s.id, s.key, s.name) for s in journey.stages]
        replace_stages(db, chat_id, map_id, [*stages, (None, None, "Extra")])
        extra = db.execute(
            "SELECT id FROM stages WHERE map_id = ? AND name = 'Extra'", [map_id]).fetchone()[0]
        add_note(db, chat_id, map_id, extra, _draft("on the extra stage"), 7)
        replace_stages(db, chat_id, map_id, stages)

    def review_lookups():
        last_review_at(db, chat_id, map_id)
        list_reviews(db, chat_id, map_id)
        last_finished_review(db, chat_id, map_id)
        open_review(db, chat_id, map_id)

    return {
        "list_notes": lambda: list_notes(db, chat_id, map_id),
        "count_notes": lambda: count_notes(db, chat_id, map_id),
        "filled_lanes": lambda: filled_lanes(db, chat_id, map_id),
        "open_pain_points": lambda: open_pain_points(db, chat_id, map_id),
        "changes_since": lambda: changes_since(db, chat_id, map_id, NOW - timedelta(days=1)),
        "delete_note": add_then_delete_note,
        "remove_stage": add_then_remove_stage,
        "review_lookups": review_lookups,
    }


def test_per_map_operations_do_not_grow_with_the_rest_of_the_database(db, grow):
    journey = grow.small
    for i in range(10):
        add_note(db, journey.chat_id, journey.id, journey.stages[i % 6].id, _draft(f"n{i}"), 7)
    count = StepCounter(db)
    grow(1_000)
    small_db = {name: count(op) for name, op in _map_operations(db, journey).items()}
    grow(10_000)
    big_db = {name: count(op) for name, op in _map_operations(db, journey).items()}
    for name, steps in small_db.items():
        # A scan of the other map's notes would add ≥ 10 steps for each of 10,000 notes.
        assert big_db[name] <= steps * 1.2 + 200, (name, steps, big_db[name])


def test_deleting_a_map_costs_its_own_notes_only(db, grow):
    count = StepCounter(db)
    grow(1_000)
    costs = []
    for extra in (0, 10_000):
        grow(extra)
        doomed = create_map(db, -100, f"Doomed {extra}", None, 7, DEFAULT_STAGES)
        with db.atomic():
            add_notes(db, ((-100, doomed.id, doomed.stages[i % 6].id, _draft(f"d{i}"), 7,
                            to_iso(NOW), None) for i in range(100)))
        costs.append(count(lambda doomed=doomed: delete_map(db, -100, doomed.id)))
    assert costs[1] <= costs[0] * 1.2 + 200, costs


@pytest.mark.parametrize(
    "operation", ["list_notes", "count_notes", "filled_lanes", "open_pain_points", "changes_since"]
)
def test_per_map_queries_read_a_map_index_never_the_chat_index(db, grow, operation):
    grow(100)
    journey = grow.small
    plans = query_plans(db, _map_operations(db, journey)[operation])
    note_plans = [plan for plan in plans if "notes" in plan]
    assert note_plans, plans
    for plan in note_plans:
        assert "idx_notes_chat" not in plan and "SCAN notes" not in plan, plan
        assert "(map_id=?" in plan, plan


def test_chat_export_and_counts_grow_with_the_chat_not_the_database(db, grow):
    remember_chat(db, 9, "private", "Other", "en")
    other = create_map(db, 9, "Other", None, 7, DEFAULT_STAGES)
    add_note(db, 9, other.id, None, _draft("mine"), 7)
    count = StepCounter(db)
    grow(1_000)
    before = (count(lambda: export_chat(db, 9, NOW)), count(lambda: chat_counts(db, 9)),
              count(lambda: list_maps(db, 9)))
    grow(10_000)
    after = (count(lambda: export_chat(db, 9, NOW)), count(lambda: chat_counts(db, 9)),
             count(lambda: list_maps(db, 9)))
    for small, big in zip(before, after, strict=True):
        assert big <= small * 1.2 + 200, (before, after)
