"""Digest and history queries on a database with a past: reviews, resolved and deleted notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.insights import stage_stats
from bot.core.model import STAGE_KEYS, NoteDraft
from storage.chats import remember_chat, remember_user
from storage.db import to_iso, utcnow
from storage.digests import (
    contributors,
    count_reviews,
    last_digest_until,
    new_pain_points,
    period_counts,
    resolved_pain_points,
    review_moments,
    review_page,
    set_weekly_digest,
    timeline,
    weekly_digest_at,
)
from storage.maps import create_map, get_map
from storage.migrations import migrations
from storage.notes import add_note, delete_note, list_notes
from storage.reviews import finish_review, record_outcome, start_review

CHAT = -100
NOW = utcnow().replace(microsecond=0)


def write(db, journey, stage_key, text, kind="pain_point", author=7, days_ago=0):
    stage = journey.stage_for_key(stage_key)
    draft = NoteDraft(text=text, lang="en", kind=kind, stage_key=stage_key)
    note = add_note(db, CHAT, journey.id, stage.id, draft, author)
    db.execute(
        "UPDATE notes SET created_at = ? WHERE id = ?",
        [to_iso(NOW - timedelta(days=days_ago)), note.id],
    )
    return note


@pytest.fixture
def history(db):
    """A map used for three weeks: two finished reviews, an abandoned one, a deleted note."""
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_user(db, 8, "Piotr", None, "pl")
    remember_user(db, 9, "Zenon", None, "pl")
    remember_chat(db, CHAT, "group", "Bakery", "pl")
    journey = create_map(db, CHAT, "Tort", None, 7, [(k, None) for k in STAGE_KEYS])
    card = write(db, journey, "purchase", "card payment fails", days_ago=21)
    basket = write(db, journey, "purchase", "basket empties", days_ago=21)
    slots = write(db, journey, "decision", "no delivery slots", days_ago=21)
    write(db, journey, "awareness", "instagram posts", kind="touchpoint", author=9, days_ago=21)
    first = start_review(db, CHAT, journey.id, 7, NOW - timedelta(days=20))
    first = record_outcome(db, first, slots.id, "resolved", 8, NOW - timedelta(days=20))
    first = record_outcome(db, first, card.id, "still_open", 8, NOW - timedelta(days=20))
    finish_review(db, first, NOW - timedelta(days=20) + timedelta(minutes=5))
    prices = write(db, journey, "consideration", "no prices online", author=8, days_ago=10)
    write(db, journey, "purchase", "cash only on delivery", author=8, days_ago=10)
    start_review(db, CHAT, journey.id, 8, NOW - timedelta(days=9))  # abandoned
    second = start_review(db, CHAT, journey.id, 7, NOW - timedelta(days=3))
    second = record_outcome(db, second, basket.id, "resolved", 7, NOW - timedelta(days=3))
    finish_review(db, second, NOW - timedelta(days=3) + timedelta(minutes=5))
    write(db, journey, "retention", "no loyalty card", author=8, days_ago=1)
    delete_note(db, CHAT, prices.id)  # deleted: gone from every count
    return get_map(db, CHAT, journey.id)


def test_the_last_column_of_the_timeline_is_what_the_map_counts_now(db, history):
    moments = [*review_moments(db, history, NOW, 12), NOW]
    assert len(moments) == 3  # two finished reviews (the abandoned one has no end), then now
    found = timeline(db, history, moments)
    by_key = {s.stage.key: s for s in found.stages if s.stage}
    assert by_key["decision"].open == (0, 0, 0) and by_key["decision"].resolved == (1, 1, 1)
    assert by_key["purchase"].open == (2, 2, 2) and by_key["purchase"].resolved == (0, 1, 1)
    assert by_key["consideration"].open == (0, 0, 0)  # its only pain point was deleted
    assert by_key["retention"].open == (0, 0, 1)
    stats = {s.stage.key: s for s in stage_stats(history, list_notes(db, CHAT, history.id))}
    for key, series in by_key.items():
        assert (series.open[-1], series.resolved[-1]) == (
            stats[key].pain_points,
            stats[key].resolved,
        )


def test_a_period_holds_its_notes_pain_points_and_writers(db, history):
    since = NOW - timedelta(days=14)
    counts = period_counts(db, history, since, NOW)
    assert sorted(counts, key=str) == sorted(
        [
            (history.stage_for_key("purchase").id, "pain_point", 1),
            (history.stage_for_key("retention").id, "pain_point", 1),
        ],
        key=str,
    )
    new = new_pain_points(db, history, since, NOW, limit=1)
    assert new.total == 2 and [n.text for n in new.shown] == ["cash only on delivery"]
    resolved = resolved_pain_points(db, history, since, NOW, limit=5)
    assert [n.text for n in resolved.shown] == ["basket empties"]
    assert [(p.name, p.notes) for p in contributors(db, history, since, NOW)] == [("Piotr", 2)]


def test_review_history_counts_only_notes_that_still_exist(db, history):
    assert count_reviews(db, CHAT, history.id) == 3
    page = review_page(db, history, 0, 10, NOW)
    assert [r.finished_at is not None for r in page] == [True, False, True]  # newest first
    latest, abandoned, first = page
    assert (latest.resolved, latest.still_open, latest.people) == (1, 0, ("Ola",))
    assert (first.resolved, first.still_open) == (1, 1)
    assert abandoned.people == ("Piotr",)
    delete_note(db, CHAT, history.stage_for_key("decision") and _note_id(db, "no delivery slots"))
    assert review_page(db, history, 2, 10, NOW)[0].resolved == 0
    assert review_page(db, history, 1, 1, NOW)[0].id == abandoned.id  # pages by offset


def test_review_history_leaves_out_outcomes_of_notes_made_another_kind_since(db, history):
    """A pain point resolved (or kept open) in a review and later made an emotion is no pain
    point any more: the history's outcomes follow, as /map, the chart and /insights do."""
    from storage.notes import correct_note

    latest, _, first = review_page(db, history, 0, 10, NOW)
    assert (latest.resolved, first.resolved, first.still_open) == (1, 1, 1)
    correct_note(db, CHAT, _note_id(db, "basket empties"), 7, kind="emotion")
    correct_note(db, CHAT, _note_id(db, "card payment fails"), 7, kind="need")
    latest, _, first = review_page(db, history, 0, 10, NOW)
    assert (latest.resolved, latest.still_open) == (0, 0)
    assert (first.resolved, first.still_open) == (1, 0)  # "no delivery slots" still counts
    moments = [*review_moments(db, history, NOW, 12), NOW]
    purchase = next(s for s in timeline(db, history, moments).stages
                    if s.stage and s.stage.key == "purchase")
    assert purchase.resolved == (0, 0, 0)  # the chart agrees


def _note_id(db, text):
    return db.execute("SELECT id FROM notes WHERE text = ?", [text]).fetchone()[0]


def test_weekly_setting_and_last_digest(db, history):
    assert weekly_digest_at(db, CHAT, history.id) is None
    set_weekly_digest(db, CHAT, history.id, NOW + timedelta(days=2), 7, NOW)
    assert weekly_digest_at(db, CHAT, history.id) == NOW + timedelta(days=2)
    set_weekly_digest(db, CHAT, history.id, None, 7, NOW)
    assert weekly_digest_at(db, CHAT, history.id) is None
    assert last_digest_until(db, CHAT, history.id) is None


def test_the_digest_migration_upgrades_a_database_with_a_past(db, history):
    """As a database made before m035: its notes and reviews stay, the digest tables appear."""
    db.execute("DROP INDEX idx_notes_map_created")
    db.execute("DROP INDEX idx_notes_map_resolved")
    db.execute("DROP TABLE digests")
    db.execute("DROP TABLE digest_settings")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm035_digests'")
    notes = len(list_notes(db, CHAT, history.id))
    migrations.apply(db)
    migrations.apply(db)
    assert {"digests", "digest_settings"} <= set(db.table_names())
    assert len(list_notes(db, CHAT, history.id)) == notes and count_reviews(db, CHAT, history.id)
    plan = " ".join(
        str(row)
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM notes WHERE map_id = 1 AND created_at > ''"
        )
    )
    assert "idx_notes_map_created" in plan
