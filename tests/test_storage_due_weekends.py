"""Due-date reminders and the team's weekends: the check-in schedule counts when the map has no
review schedule, and a Friday reminder's "move on" button offers Monday, not Saturday."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.items import next_team_day
from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.flows.items import due_reminder_message
from bot.views import format_day
from storage.chats import remember_chat, remember_user
from storage.checkins import save_checkin_schedule
from storage.items import set_owner_and_due
from storage.maps import create_map
from storage.notes import add_note
from storage.reminders import save_schedule

STAGES = [(key, None) for key in STAGE_KEYS]
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00 in Warsaw
FRIDAY, SATURDAY, MONDAY = date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 14)


@pytest.fixture
def bakery(db):
    remember_user(db, 7, "Ola", "ola", "pl")
    remember_chat(db, -100, "group", "Piekarnia", "pl")  # Europe/Warsaw
    return create_map(db, -100, "Zamówienia", None, 7, STAGES)


def _item(db, journey, due_on: date):
    draft = NoteDraft(text="zimne pieczywo", lang="pl", kind="pain_point", stage_key="purchase")
    note = add_note(db, journey.chat_id, journey.id, journey.stages[3].id, draft, 7)
    return set_owner_and_due(db, journey.chat_id, note.id, 7, due_on, now=NOW)


def _remind_at(db, note_id: int) -> str:
    return db.execute("SELECT remind_at FROM notes WHERE id = ?", [note_id]).fetchone()[0]


def test_the_check_in_schedule_s_weekends_count_when_the_map_has_no_review_schedule(db, bakery):
    save_checkin_schedule(db, -100, ReviewRule("weekly", 0), "Europe/Warsaw", now=NOW,
                          skip_weekends=True)
    item = _item(db, bakery, SATURDAY)
    assert _remind_at(db, item.id) == "2026-12-11T08:00:00+00:00"  # Friday 09:00 in Warsaw
    # the map's own review schedule wins when it has one (weekends allowed there)
    save_schedule(db, -100, bakery.id, ReviewRule("weekly", 0), "Europe/Warsaw", now=NOW)
    item = _item(db, bakery, SATURDAY)
    assert _remind_at(db, item.id) == "2026-12-12T08:00:00+00:00"


def test_next_team_day_skips_the_weekend_only_when_the_team_does():
    assert next_team_day(FRIDAY) == SATURDAY
    assert next_team_day(FRIDAY, skip_weekends=True) == MONDAY
    assert next_team_day(SATURDAY, skip_weekends=True) == MONDAY
    assert next_team_day(date(2026, 12, 8), skip_weekends=True) == date(2026, 12, 9)


@pytest.mark.parametrize("schedule", ["review", "checkin"])
def test_a_friday_reminder_offers_monday_when_weekends_are_skipped(db, bakery, schedule):
    if schedule == "review":
        save_schedule(db, -100, bakery.id, ReviewRule("weekly", 0), "Europe/Warsaw", now=NOW,
                      skip_weekends=True)
    else:
        save_checkin_schedule(db, -100, ReviewRule("weekly", 0), "Europe/Warsaw", now=NOW,
                              skip_weekends=True)
    item = _item(db, bakery, FRIDAY)
    _, keyboard = due_reminder_message(db, "pl", item, FRIDAY)
    buttons = {b.text: b.callback_data for row in keyboard.inline_keyboard for b in row}
    label = f"Przesuń na {format_day('pl', MONDAY)}"
    assert buttons[label] == f"ib:set:{item.id}:{MONDAY}:r"
    assert not any(str(SATURDAY) in data for data in buttons.values())


def test_a_friday_reminder_offers_saturday_when_the_team_works_weekends(db, bakery):
    item = _item(db, bakery, FRIDAY)
    _, keyboard = due_reminder_message(db, "en", item, FRIDAY)
    buttons = {b.text: b.callback_data for row in keyboard.inline_keyboard for b in row}
    assert buttons["Move to tomorrow"] == f"ib:set:{item.id}:{SATURDAY}:r"
