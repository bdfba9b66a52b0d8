"""One schedules table for reviews and check-ins (storage/schedules.py, m064): both kinds keep
working side by side, and a database made before m064 is upgraded without losing either."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.core.model import STAGE_KEYS
from bot.core.schedule import QuietHours, ReviewRule
from storage.chats import remember_chat, remember_user
from storage.checkins import (
    claim_checkins,
    delete_checkin_schedule,
    get_checkin_schedule,
    groups_with_checkins,
    remember_member,
    save_checkin_schedule,
    set_checkins_paused,
)
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.migrations import migrations
from storage.reminders import (
    claim_due,
    delete_schedule,
    get_schedule,
    get_schedule_by_id,
    save_schedule,
    set_paused,
    waiting_reminders,
)

GROUP = -700
MIGRATION = "m064_one_schedules_table"
STAGES = [(key, None) for key in STAGE_KEYS]


def group_with_a_map(db) -> int:
    remember_chat(db, GROUP, "group", "Bakery", "pl")
    remember_user(db, 1, "Ola", None, "pl")
    remember_member(db, GROUP, 1, utcnow())
    return create_map(db, GROUP, "Cakes", None, 1, STAGES).id


def test_a_review_and_a_check_in_schedule_live_side_by_side(db):
    map_id = group_with_a_map(db)
    zone, now = "Europe/Warsaw", utcnow()
    review = save_schedule(db, GROUP, map_id, ReviewRule("weekly"), zone, now=now)
    checkin = save_checkin_schedule(db, GROUP, ReviewRule("biweekly"), zone, now=now,
                                    skip_weekends=True, created_by=1)
    assert review.id != checkin.id
    assert get_schedule(db, GROUP, map_id).rule == ReviewRule("weekly")
    assert get_checkin_schedule(db, GROUP).rule == ReviewRule("biweekly")
    assert get_checkin_schedule(db, GROUP).map_id is None
    # a review button cannot reach the check-in schedule by its id, nor the reverse
    assert get_schedule_by_id(db, GROUP, checkin.id) is None
    assert delete_schedule(db, GROUP, checkin.id) is False
    set_paused(db, GROUP, checkin.id, True, utcnow())
    assert get_checkin_schedule(db, GROUP).paused is False
    assert groups_with_checkins(db, 1) == [(GROUP, "Bakery", False)]


def test_a_check_in_schedule_keeps_its_id_a_replaced_review_schedule_does_not(db):
    map_id = group_with_a_map(db)
    first = save_checkin_schedule(db, GROUP, ReviewRule("weekly"), "UTC", now=utcnow())
    set_checkins_paused(db, GROUP, True, utcnow())
    again = save_checkin_schedule(db, GROUP, ReviewRule("biweekly"), "UTC", now=utcnow(),
                                  quiet=QuietHours(time(22), time(8)))
    assert again.id == first.id and not again.paused and again.quiet is not None
    review = save_schedule(db, GROUP, map_id, ReviewRule("weekly"), "UTC", now=utcnow())
    replaced = save_schedule(db, GROUP, map_id, ReviewRule("monthly"), "UTC", now=utcnow())
    assert replaced.id > review.id
    assert db.execute("SELECT count(*) FROM schedules").fetchone()[0] == 2
    assert delete_checkin_schedule(db, GROUP) is True
    assert get_schedule(db, GROUP, map_id).id == replaced.id


def test_each_kind_is_claimed_by_its_own_job(db):
    map_id = group_with_a_map(db)
    save_schedule(db, GROUP, map_id, ReviewRule("weekly"), "UTC", now=utcnow())
    save_checkin_schedule(db, GROUP, ReviewRule("weekly"), "UTC", now=utcnow())
    db.execute("UPDATE schedules SET next_run_at = ?", [to_iso(utcnow() - timedelta(seconds=1))])
    reminders = claim_due(db, utcnow())
    assert [(r.kind, r.map_id) for r in reminders] == [("review", map_id)]
    claim_checkins(db, utcnow())
    kinds = [r.kind for r in waiting_reminders(db)]
    assert kinds[0] == "review" and "checkin_group" in kinds


def test_only_one_check_in_schedule_per_group_and_reviews_need_a_map(db):
    import sqlite3

    group_with_a_map(db)
    save_checkin_schedule(db, GROUP, ReviewRule("weekly"), "UTC", now=utcnow())
    row = "(kind, chat_id, map_id, rule, timezone, created_at) VALUES (?, ?, NULL, 'x', 'UTC', '')"
    for kind in ("checkin", "review"):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(f"INSERT INTO schedules {row}", [kind, GROUP])


def test_a_database_of_the_previous_release_keeps_both_schedules(db_path):
    # the schema as main left it before m064, with history: a review schedule with a pending
    # and a sent reminder, a deleted schedule's id used up, a paused check-in schedule
    db = open_db(db_path, migrate=False)
    names = [m.name for m in migrations.pending(db)]
    migrations.apply(db, stop_before=names[names.index(MIGRATION):])
    map_id = group_with_a_map(db)
    other = create_map(db, GROUP, "Old map", None, 1, STAGES).id
    now = utcnow()
    columns = "(rule, timezone, next_run_at, skip_weekends, created_by, created_at"
    gone = db.execute(
        f"INSERT INTO schedules (map_id, chat_id, {columns[1:]}) "
        "VALUES (?, ?, 'FREQ=WEEKLY', 'UTC', ?, 0, 1, ?)",
        [other, GROUP, to_iso(now), to_iso(now)],
    ).lastrowid
    db.execute("DELETE FROM schedules WHERE id = ?", [gone])
    review_id = db.execute(
        f"INSERT INTO schedules (id, map_id, chat_id, {columns[1:]}) VALUES "
        "((SELECT last_id + 1 FROM id_sequences WHERE name = 'schedules'), ?, ?, ?, "
        "'Europe/Warsaw', ?, 1, 1, ?)",
        [map_id, GROUP, ReviewRule("weekly").to_rrule(), to_iso(now + timedelta(days=3)),
         to_iso(now - timedelta(days=30))],
    ).lastrowid
    for status, due in (("sent", now - timedelta(days=4)), ("pending", now)):
        db.execute(
            "INSERT INTO reminders (schedule_id, chat_id, map_id, due_at, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [review_id, GROUP, map_id, to_iso(due), status, to_iso(due)],
        )
    db.execute(
        f"INSERT INTO checkin_schedules (chat_id, {columns[1:]}, paused, quiet_start, quiet_end) "
        "VALUES (?, ?, 'Europe/Warsaw', ?, 1, 1, ?, 1, '21:00', '08:00')",
        [GROUP, ReviewRule("biweekly").to_rrule(), to_iso(now + timedelta(hours=5)), to_iso(now)],
    )
    db.close()

    db = open_db(db_path)  # m064 runs here, as at the bot's start
    review = get_schedule(db, GROUP, map_id)
    assert review.id == review_id and review.skip_weekends and review.timezone == "Europe/Warsaw"
    assert review.rule == ReviewRule("weekly")
    assert db.execute("SELECT status FROM reminders ORDER BY id").fetchall() == [
        ("sent",), ("pending",)
    ]  # the rebuild deleted no reminder (the cascade of the old table)
    checkin = get_checkin_schedule(db, GROUP)
    assert checkin.rule == ReviewRule("biweekly") and checkin.paused and checkin.skip_weekends
    assert checkin.quiet == QuietHours(time(21), time(8))
    assert checkin.id > review_id and checkin.id != gone
    assert "checkin_schedules" not in db.table_names()
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # both keep working: a new schedule gets an id never used, both kinds claim when due
    fresh = save_schedule(db, GROUP, other, ReviewRule("weekly"), "UTC", now=utcnow())
    assert fresh.id > checkin.id
    set_checkins_paused(db, GROUP, False, utcnow())
    db.execute("UPDATE schedules SET next_run_at = ?", [to_iso(utcnow() - timedelta(seconds=1))])
    assert {r.schedule_id for r in claim_due(db, utcnow()) if r.kind == "review"} == {
        review_id, fresh.id
    }
    claim_checkins(db, utcnow())
    assert "checkin_group" in [r.kind for r in waiting_reminders(db)]
    # deleting the map still deletes its schedule (the foreign key survived the rebuild)
    db.execute("DELETE FROM maps WHERE id = ?", [other])
    assert get_schedule(db, GROUP, other) is None
    migrations.apply(db)  # applying again changes nothing
    assert get_checkin_schedule(db, GROUP).id == checkin.id
    db.close()
