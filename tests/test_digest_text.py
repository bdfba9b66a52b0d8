"""The digest and history texts: caps with "… N more", a quiet week, unfinished reviews."""

from datetime import UTC, date, datetime, timedelta

from bot.core.digest import (
    History,
    Person,
    ReviewRecord,
    compose_digest,
    listed,
    pain_timeline,
)
from bot.core.model import STAGE_KEYS, JourneyMap, Note, Stage
from bot.reports import digest_text, history_text

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
STAGES = tuple(Stage(id=10 + i, map_id=1, position=i, key=key) for i, key in enumerate(STAGE_KEYS))
JOURNEY = JourneyMap(1, -100, "Cake <orders>", None, None, NOW, STAGES)


def pain(number: int, text: str = "slow checkout", **fields) -> Note:
    return Note(
        number, -100, 1, STAGES[3].id, "pain_point", text, "en", None, NOW, number=number, **fields
    )


def digest(**changes):
    fields = dict(
        counts=[],
        new_pain_points=listed([], 0, 5),
        resolved=listed([], 0, 5),
        open_pain_points=[],
        contributors=[],
        members=[],
        items=listed([], 0, 8),
        overdue=0,
        timeline=pain_timeline(JOURNEY, [NOW], []),
    )
    fields.update(changes)
    return compose_digest(JOURNEY, NOW - timedelta(days=7), NOW, **fields)


def test_a_quiet_week_says_so_and_offers_a_way_to_assign_items():
    text = digest_text("en", digest(), "UTC", is_group=True)
    assert "Nothing new was written or resolved in this period." in text
    assert "No open items with an owner or a due date" in text
    assert "Cake &lt;orders&gt;" in text  # the map's name is escaped


def test_long_lists_are_capped_with_how_many_more():
    pains = [pain(n) for n in range(1, 6)]
    members = [Person(n, f"Person {n:02}") for n in range(1, 15)]
    items = [pain(n, due_on=date(2026, 12, 1)) for n in range(1, 9)]
    text = digest_text(
        "pl",
        digest(
            counts=[(STAGES[3].id, "pain_point", 12)],
            new_pain_points=listed(pains, 12, 5),
            members=members,
            items=listed(items, 11, 8),
            overdue=11,
        ),
        "Europe/Warsaw",
        is_group=True,
    )
    assert text.count("• #") == 5 and "… i jeszcze 7" in text
    assert "Person 10, … i jeszcze 4." in text  # ten names, then the rest counted
    assert text.count("⏰ #") == 8 and "… i jeszcze 3 — /todo pokaże twoje" in text
    assert "termin minął 2026-12-01" in text


def test_quiet_members_are_not_named_in_a_private_chat():
    text = digest_text("en", digest(members=[Person(1, "Olena")]), "UTC", is_group=False)
    assert "Olena" not in text


def test_history_marks_unfinished_reviews_and_counts_the_rest():
    records = (
        ReviewRecord(2, NOW, None, ("Bogdan",), 0, 1, 0, 0, 3),
        ReviewRecord(1, NOW - timedelta(days=7), NOW - timedelta(days=7), (), 2, 0, 1, 1, 4),
    )
    text = history_text("uk", History(JOURNEY, records, 10, 0, None), "Europe/Kyiv")
    assert text.startswith("🗂 <b>Історія оглядів: Cake &lt;orders&gt;</b> · 10 оглядів")
    assert "⏸ <b>2026-12-07</b> · Bogdan · не завершено" in text
    assert "нові нотатки" not in text.split("\n\n")[1]  # an unfinished review counts no notes
    assert "📋 <b>2026-11-30</b> · —" in text and "нові нотатки: 4" in text
    assert "… і ще 8 — натисніть «Раніші»." in text
