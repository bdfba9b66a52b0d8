"""Check-in storage: members from the history, claiming rounds once, the round-closed hook."""

from __future__ import annotations

from datetime import timedelta

from bot.core.model import STAGE_KEYS, Dialog
from bot.core.schedule import ReviewRule
from storage.chats import remember_chat, remember_user
from storage.checkins import (
    claim_checkins,
    get_checkin_schedule,
    get_round,
    list_members,
    question_sent,
    record_answer,
    remember_member,
    round_asks,
    save_checkin_schedule,
    set_checkins_off,
    start_round,
    waiting_private_asks,
)
from storage.db import open_db, to_iso, utcnow
from storage.dialogs import answer_awaited, save_dialog
from storage.maps import create_map
from storage.migrations import migrations

GROUP = -500


def team(db, *, private=(1,)) -> int:
    remember_chat(db, GROUP, "group", "Bakery", "en")
    for user_id, name in ((1, "Anna"), (2, "Bogdan"), (3, "Cezary")):
        remember_user(db, user_id, name, None, "en")
        remember_member(db, GROUP, user_id, utcnow())
    for user_id in private:
        remember_chat(db, user_id, "private", "Anna", "en")
    journey = create_map(db, GROUP, "Cakes", None, 1, [(k, None) for k in STAGE_KEYS])
    save_checkin_schedule(db, GROUP, ReviewRule("weekly"), "UTC", now=utcnow())
    return journey.id


def outbox(db) -> list[tuple]:
    return db.execute("SELECT kind, chat_id, user_id FROM reminders ORDER BY id").fetchall()


def test_a_due_check_in_is_claimed_once_with_one_group_message(db):
    team(db)
    set_checkins_off(db, GROUP, 3, True)
    db.execute("UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())])
    claim_checkins(db, utcnow())
    claim_checkins(db, utcnow())  # a second look (a restart) changes nothing
    assert outbox(db) == [("checkin", 1, 1), ("checkin_group", GROUP, None)]
    assert [(a.user_id, a.via) for a in round_asks(db, 1)] == [(1, "private"), (2, "group")]


def test_a_check_in_more_than_a_day_late_is_skipped_and_the_schedule_moves_on(db):
    team(db)
    db.execute(
        "UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'",
        [to_iso(utcnow() - timedelta(days=2))],
    )
    claim_checkins(db, utcnow())
    assert outbox(db) == []
    next_run = db.execute("SELECT next_run_at FROM schedules WHERE kind = 'checkin'").fetchone()[0]
    assert next_run > to_iso(utcnow())


def test_the_round_closed_hook_replaces_the_summary_once(db):
    map_id = team(db)
    db.execute("UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())])
    claim_checkins(db, utcnow())
    db.execute("UPDATE checkin_rounds SET closes_at = ?", [to_iso(utcnow())])
    calls = []

    def digest(db_, chat_id, map_id_, round_id, closed_at):
        calls.append((chat_id, map_id_, round_id))
        return True

    now = utcnow()
    claim_checkins(db, now, on_closed=[digest])
    claim_checkins(db, now, on_closed=[digest])
    assert calls == [(GROUP, map_id, 1)]
    assert "checkin_summary" not in [kind for kind, *_ in outbox(db)]


def test_a_second_round_for_the_same_second_leaves_the_first_open(db):
    """Two "Ask now" in one second: the second start finds the round for that `due_at` and
    returns None without closing it (it closed the round just started, queued its summary and
    started nothing)."""
    team(db)
    schedule = get_checkin_schedule(db, GROUP)
    now = utcnow().replace(microsecond=0)
    first = start_round(db, schedule, now, now)
    assert first is not None
    assert start_round(db, schedule, now, now.replace(microsecond=500_000)) is None
    assert get_round(db, GROUP, first.id).closed_at is None
    assert len(round_asks(db, first.id)) == 3
    assert "checkin_summary" not in [kind for kind, *_ in outbox(db)]
    later = now + timedelta(seconds=1)  # a press a second later ends it and asks again
    second = start_round(db, schedule, later, later)
    assert second is not None and get_round(db, GROUP, first.id).closed_at is not None

def test_members_come_from_the_history_of_an_upgraded_database(db_path):
    # a database as the previous release left it: notes by two people, no chat_members rows
    db = open_db(db_path)
    map_id = team(db)
    db.execute("DELETE FROM chat_members")
    db.execute(
        "INSERT INTO notes (chat_id, map_id, kind, text, lang, author_id, created_at) "
        "VALUES (?, ?, 'need', 'x', 'en', 2, ?)",
        [GROUP, map_id, to_iso(utcnow())],
    )
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm026_checkins'")
    for table in ("checkin_asks", "checkin_rounds", "chat_members"):
        db.execute(f"DROP TABLE {table}")
    migrations.apply(db)
    assert [m.first_name for m in list_members(db, GROUP)] == ["Anna", "Bogdan"]
    db.execute("DROP TABLE checkin_schedules")  # m026 made it again; m064 had folded it away
    db.close()


def test_a_round_whose_people_all_opted_out_says_so_instead_of_zero_of_zero(db):
    from bot.checkins import round_summary
    from storage.chats import get_chat
    from storage.checkins import get_round

    team(db)
    db.execute("UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())])
    claim_checkins(db, utcnow())
    for user_id in (1, 2, 3):
        set_checkins_off(db, GROUP, user_id, True)
    text, _ = round_summary(db, get_chat(db, GROUP), get_round(db, GROUP, 1))
    assert "Nobody is asked any more" in text and "0 of 0" not in text
    set_checkins_off(db, GROUP, 2, False)
    text, _ = round_summary(db, get_chat(db, GROUP), get_round(db, GROUP, 1))
    assert "Answered: 0 of 1." in text and "Maybe next time: Bogdan" in text


def test_an_answer_is_awaited_while_a_private_question_waits_or_a_conversation_runs(db):
    """storage.dialogs.answer_awaited, the inbox's one read at a note's arrival (bot/inbox.py):
    a waiting private check-in question (as waiting_private_asks sees it) or a conversation
    touched within the timeout makes the next message an answer, not a note."""
    team(db)
    db.execute("UPDATE schedules SET next_run_at = ? WHERE kind = 'checkin'", [to_iso(utcnow())])
    claim_checkins(db, utcnow())
    since = utcnow() - timedelta(minutes=30)

    def awaited(checkins: bool = True) -> bool:
        return answer_awaited(db, 1, 1, active_since=since, checkins=checkins)

    assert not awaited() and not waiting_private_asks(db, 1)  # not sent yet: nothing to answer
    question_sent(db, 1, 1, 901)
    assert awaited() and waiting_private_asks(db, 1)
    assert not awaited(checkins=False)  # a forwarded quote is a note even then
    record_answer(db, get_round(db, GROUP, 1), 1, 2, utcnow())
    assert not awaited() and not waiting_private_asks(db, 1)
    save_dialog(db, Dialog(1, 1, "nm", "persona", {"name": "Cakes"}))
    assert awaited(checkins=False)
    db.execute("UPDATE dialogs SET updated_at = ?", [to_iso(utcnow() - timedelta(hours=1))])
    assert not awaited()  # idle past the timeout: the next message is a note again
