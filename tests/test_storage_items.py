"""Owners, due dates and resolving: storage/items.py, the m020 migration on a database made by
the release before it, and query plans that stay inside a chat's open items."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import QuietHours, ReviewRule
from storage.chats import find_user_by_username, remember_chat, remember_user
from storage.db import open_db, to_iso
from storage.items import (
    KEEP,
    claim_due_items_batch,
    count_overdue,
    open_items,
    overdue_items,
    owner_open_items,
    reopen_item,
    resolve_item,
    set_owner_and_due,
)
from storage.maps import create_map
from storage.migrations import migrations
from storage.notes import add_note, correct_note, delete_note, get_note
from storage.reminders import claim_due, save_schedule, waiting_reminders
from storage.reviews import assign_owner, record_outcome, start_review

MIGRATION = "m020_item_owners_and_due_dates"
STAGES = [(key, None) for key in STAGE_KEYS]
# Monday 7 December 2026, 08:00 UTC = 09:00 in Warsaw
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _draft(text: str, kind: str = "pain_point") -> NoteDraft:
    return NoteDraft(text=text, lang="en", kind=kind, stage_key="purchase")


@pytest.fixture
def bakery(db):
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Ivan", "Ivan_K", "uk")
    remember_chat(db, -100, "group", "Bakery", "pl")  # Europe/Warsaw
    journey = create_map(db, -100, "Shop", None, 7, STAGES)
    return journey


def _note(db, journey, text="card payment fails", kind="pain_point"):
    return add_note(db, journey.chat_id, journey.id, journey.stages[3].id, _draft(text, kind), 7)


def test_owner_and_due_date_are_set_kept_and_cleared(db, bakery):
    note = _note(db, bakery)
    item = set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 11), now=NOW)
    assert (item.owner_id, item.owner_name, item.due_on) == (8, "Ivan", date(2026, 12, 11))
    item = set_owner_and_due(db, -100, note.id, 7, KEEP, now=NOW)
    assert (item.owner_id, item.due_on) == (7, date(2026, 12, 11))
    item = set_owner_and_due(db, -100, note.id, KEEP, None, now=NOW)
    assert (item.owner_id, item.due_on) == (7, None)
    assert set_owner_and_due(db, -999, note.id, 7, now=NOW) is None  # another chat's note


def test_the_reminder_is_planned_at_nine_local_time_after_quiet_hours(db, bakery):
    note = _note(db, bakery)
    set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 11), now=NOW)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    assert remind_at == "2026-12-11T08:00:00+00:00"  # 09:00 in Warsaw
    weekly = ReviewRule("weekly", 0)
    save_schedule(db, -100, bakery.id, weekly, "Europe/Warsaw", now=NOW,
                  quiet=QuietHours(time(20, 0), time(10, 30)))
    set_owner_and_due(db, -100, note.id, KEEP, date(2026, 12, 14), now=NOW)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    assert remind_at == "2026-12-14T09:30:00+00:00"  # the end of quiet hours, 10:30 local
    # due today, after 09:00: reminded now
    later = NOW + timedelta(hours=5)
    set_owner_and_due(db, -100, note.id, KEEP, date(2026, 12, 7), now=later)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    assert remind_at == to_iso(later)


def test_a_due_item_is_claimed_once_and_only_when_due(db, bakery):
    note = _note(db, bakery)
    set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 8), now=NOW)
    assert claim_due_items_batch(db, NOW) == 0
    day = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert claim_due_items_batch(db, day) == 1
    assert claim_due_items_batch(db, day) == 0  # the same moment again: nothing more
    [reminder] = waiting_reminders(db)
    assert (reminder.kind, reminder.ref_id, reminder.user_id, reminder.schedule_id) == (
        "due", note.id, 8, None)
    # a new date plans a new reminder; the old row stays as it was
    set_owner_and_due(db, -100, note.id, KEEP, date(2026, 12, 9), now=day)
    assert claim_due_items_batch(db, day + timedelta(days=1)) == 1
    assert len(waiting_reminders(db)) == 2


def test_an_item_made_another_kind_is_not_reminded_and_made_an_item_again_is(db, bakery):
    """Corrected to an emotion, an item with an owner and a date loses its due-date reminder
    (nothing claims it when the day comes); corrected back, the reminder is planned again from
    the owner and date it kept."""
    item = _note(db, bakery, "courier late")
    set_owner_and_due(db, -100, item.id, 8, date(2026, 12, 10), now=NOW)
    correct_note(db, -100, item.id, 7, kind="emotion", now=NOW)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [item.id]).fetchone()[0]
    assert remind_at is None
    due_day = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    assert claim_due_items_batch(db, due_day) == 0 and waiting_reminders(db) == []
    correct_note(db, -100, item.id, 7, kind="opportunity", now=NOW)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [item.id]).fetchone()[0]
    assert remind_at == "2026-12-10T08:00:00+00:00"  # 09:00 in Warsaw, as before
    assert claim_due_items_batch(db, due_day) == 1
    [reminder] = waiting_reminders(db)
    assert (reminder.ref_id, reminder.user_id) == (item.id, 8)


def test_a_non_item_with_a_reminder_left_by_an_older_release_is_never_claimed(db, bakery):
    """A database written before kind corrections dropped the reminder may hold an emotion
    with `remind_at` set: the claim skips it."""
    item = _note(db, bakery, "courier late")
    set_owner_and_due(db, -100, item.id, 8, date(2026, 12, 10), now=NOW)
    db.execute("UPDATE notes SET kind = 'emotion' WHERE id = ?", [item.id])
    assert claim_due_items_batch(db, datetime(2026, 12, 10, 8, 0, tzinfo=UTC)) == 0


def test_review_reminders_still_claim_into_the_rebuilt_outbox(db, bakery):
    save_schedule(db, -100, bakery.id, ReviewRule("weekly", 0), "Europe/Warsaw",
                  now=NOW - timedelta(days=2))
    [reminder] = claim_due(db, NOW + timedelta(hours=2))
    assert (reminder.kind, reminder.ref_id, reminder.schedule_id is not None) == (
        "review", None, True)


def test_resolving_records_who_and_when_everywhere(db, bakery):
    note = _note(db, bakery)
    set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 11), now=NOW)
    done = resolve_item(db, -100, note.id, 8, NOW)
    assert (done.status, done.resolved_by, done.resolved_at) == ("resolved", 8, NOW)
    assert db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0] is None
    again = resolve_item(db, -100, note.id, 7, NOW + timedelta(hours=1))
    assert (again.resolved_by, again.resolved_at) == (8, NOW)  # the first close is kept
    reopened = reopen_item(db, -100, note.id, NOW)
    assert (reopened.status, reopened.resolved_by, reopened.resolved_at) == ("open", None, None)
    assert db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    # a review's Resolved goes through the same function
    review = start_review(db, -100, bakery.id, 7, NOW)
    review = assign_owner(db, review, note.id, 7, NOW, date(2026, 12, 9))
    assert get_note(db, -100, note.id).due_on == date(2026, 12, 9)
    record_outcome(db, review, note.id, "resolved", 7, NOW)
    closed = get_note(db, -100, note.id)
    assert (closed.status, closed.resolved_by, closed.resolved_at) == ("resolved", 7, NOW)


def test_open_items_put_overdue_first_and_stay_in_their_chat(db, bakery):
    remember_chat(db, -200, "group", "Hotel", "en")
    hotel = create_map(db, -200, "Rooms", None, 8, STAGES)
    late = _note(db, bakery, "courier late")
    soon = _note(db, bakery, "add BLIK", "opportunity")
    undated = _note(db, bakery, "no parking")
    _note(db, bakery, "nobody's")
    elsewhere = _note(db, hotel, "cold room")
    set_owner_and_due(db, -100, soon.id, 8, date(2026, 12, 20), now=NOW)
    set_owner_and_due(db, -100, late.id, 7, date(2026, 12, 10), now=NOW)
    set_owner_and_due(db, -100, undated.id, 8, now=NOW)
    set_owner_and_due(db, -200, elsewhere.id, 8, date(2026, 12, 9), now=NOW)
    today = date(2026, 12, 12)
    assert [n.text for n in open_items(db, -100)] == ["courier late", "add BLIK", "no parking"]
    assert [n.text for n in open_items(db, -100, owner_id=8)] == ["add BLIK", "no parking"]
    assert [n.text for n in overdue_items(db, -100, today)] == ["courier late"]
    assert count_overdue(db, -100, bakery.id, today) == 1
    mine = owner_open_items(db, 8)
    assert [(n.text, m, c) for n, m, c in mine] == [
        ("cold room", "Rooms", "Hotel"), ("add BLIK", "Shop", "Bakery"),
        ("no parking", "Shop", "Bakery")]
    assert [n.text for n, _, _ in owner_open_items(db, 8, chat_id=-100)] == [
        "add BLIK", "no parking"]
    resolve_item(db, -100, late.id, 7, NOW)
    assert overdue_items(db, -100, today) == []
    delete_note(db, -100, soon.id)
    assert [n.text for n in open_items(db, -100)] == ["no parking"]


def test_an_item_made_another_kind_is_no_open_item_any_more(db, bakery):
    """A pain point with an owner and a date, corrected to an emotion, leaves /todo, the
    overdue lists and the counts (its "✓" would only have answered that emotions get no owner);
    made a pain point again, it is back with its owner and date."""
    item = _note(db, bakery, "courier late")
    set_owner_and_due(db, -100, item.id, 8, date(2026, 12, 10), now=NOW)
    correct_note(db, -100, item.id, 7, kind="emotion")
    today = date(2026, 12, 12)
    assert open_items(db, -100) == [] and overdue_items(db, -100, today) == []
    assert count_overdue(db, -100, bakery.id, today) == 0
    assert owner_open_items(db, 8) == [] and owner_open_items(db, 8, chat_id=-100) == []
    correct_note(db, -100, item.id, 7, kind="pain_point")
    assert [n.owner_id for n in open_items(db, -100)] == [8]
    assert count_overdue(db, -100, bakery.id, today) == 1


def test_people_are_found_by_username_whatever_the_case(db, bakery):
    assert find_user_by_username(db, "@ivan_k").id == 8
    assert find_user_by_username(db, "IVAN_K").id == 8
    assert find_user_by_username(db, "@nobody") is None
    assert find_user_by_username(db, "@") is None


# --- the plans: a chat's open items, never the whole notes table -----------------------------


def _plan(db, sql: str, params) -> str:
    return " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_item_queries_read_only_their_index(db, bakery):
    from storage import items

    traced: list[tuple[str, list]] = []
    db.conn.set_trace_callback(lambda sql: traced.append(sql))
    today = date(2026, 12, 12)
    open_items(db, -100)
    open_items(db, -100, map_id=bakery.id)
    overdue_items(db, -100, today, map_id=bakery.id)
    count_overdue(db, -100, bakery.id, today)
    owner_open_items(db, 8)
    owner_open_items(db, 8, chat_id=-100)
    claim_due_items_batch(db, NOW)
    find_user_by_username(db, "ivan_k")
    db.conn.set_trace_callback(None)
    selects = [sql for sql in traced if sql.lstrip().upper().startswith("SELECT")
               and ("FROM notes" in sql or "FROM users" in sql)]
    assert len(selects) >= 8
    for sql in selects:
        plan = db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        details = " | ".join(row[3] for row in plan)
        assert "SCAN notes" not in details and "SCAN users" not in details, (sql, details)
        item_indexes = ("idx_notes_open_items", "idx_notes_owner_open", "idx_notes_remind_at",
                        "idx_users_username")
        assert any(f"USING INDEX {index} " in details for index in item_indexes), details
    assert items  # the module under test


def test_the_migration_upgrades_a_database_of_the_previous_release(db_path):
    db = open_db(db_path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=names[names.index(MIGRATION):])
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Bakery", "pl")
    journey = create_map(db, -100, "Shop", None, 7, STAGES)
    db.execute(
        "INSERT INTO notes (chat_id, map_id, kind, text, lang, created_at, status, owner_id,"
        " resolved_at) VALUES (-100, ?, 'pain_point', 'old resolved', 'pl', ?, 'resolved', 7, ?)",
        [journey.id, to_iso(NOW), to_iso(NOW)],
    )
    db.execute(
        "INSERT INTO notes (chat_id, map_id, kind, text, lang, created_at, owner_id)"
        " VALUES (-100, ?, 'pain_point', 'old owned', 'pl', ?, 7)",
        [journey.id, to_iso(NOW)],
    )
    db.close()

    db = open_db(db_path)
    assert migrations.pending(db) == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    old = [n for n in open_items(db, -100)]
    assert [n.text for n in old] == ["old owned"]
    resolved = db.execute(
        "SELECT resolved_by, resolved_at FROM notes WHERE text = 'old resolved'").fetchone()
    assert resolved == (None, to_iso(NOW))
    # the upgraded database takes due-date reminders into the outbox
    set_owner_and_due(db, -100, old[0].id, KEEP, date(2026, 12, 8), now=NOW)
    assert claim_due_items_batch(db, NOW + timedelta(days=1)) == 1
    assert [r.ref_id for r in waiting_reminders(db)] == [old[0].id]
    db.close()
    assert migrations.pending(open_db(db_path)) == []


def test_reminders_follow_a_new_time_zone_and_quiet_hours(db, bakery):
    from storage.chats import set_chat_timezone
    from storage.items import replan_reminders

    note = _note(db, bakery)
    set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 11), now=NOW)
    set_chat_timezone(db, -100, "Europe/Kyiv")
    assert replan_reminders(db, -100, NOW) == 1
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    assert remind_at == "2026-12-11T07:00:00+00:00"  # 09:00 in Kyiv
    save_schedule(db, -100, bakery.id, ReviewRule("weekly", 0), "Europe/Kyiv", now=NOW,
                  quiet=QuietHours(time(21, 0), time(10, 0)))
    replan_reminders(db, -100, NOW)
    remind_at = db.execute("SELECT remind_at FROM notes WHERE id = ?", [note.id]).fetchone()[0]
    assert remind_at == "2026-12-11T08:00:00+00:00"  # after quiet hours, 10:00 in Kyiv
    claim_due_items_batch(db, datetime(2026, 12, 11, 8, 0, tzinfo=UTC))
    assert replan_reminders(db, -100, NOW) == 0  # claimed: nothing left to plan


def test_m066_drops_the_reminders_of_non_items_left_by_the_previous_release(db_path):
    db = open_db(db_path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=names[names.index("m066_no_due_reminders_for_non_items"):])
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Ivan", "Ivan_K", "uk")
    remember_chat(db, -100, "group", "Bakery", "pl")
    journey = create_map(db, -100, "Shop", None, 7, STAGES)
    kept, corrected = _note(db, journey, "no parking"), _note(db, journey, "courier late")
    for note in (kept, corrected):
        set_owner_and_due(db, -100, note.id, 8, date(2026, 12, 10), now=NOW)
    db.execute("UPDATE notes SET kind = 'emotion' WHERE id = ?", [corrected.id])  # the old way
    db.close()

    db = open_db(db_path)
    assert migrations.pending(db) == []
    reminders = dict(db.execute("SELECT text, remind_at FROM notes").fetchall())
    assert reminders == {"no parking": "2026-12-10T08:00:00+00:00", "courier late": None}
    correct_note(db, -100, corrected.id, 7, kind="pain_point", now=NOW)
    assert get_note(db, -100, corrected.id).due_on == date(2026, 12, 10)
    assert claim_due_items_batch(db, datetime(2026, 12, 10, 8, 0, tzinfo=UTC)) == 2
    db.close()
