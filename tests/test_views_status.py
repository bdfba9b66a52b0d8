"""Issue 12 items 4 and 5: every view agrees with `notes.status` and ranks by open pain points.

A resolved pain point is shown as resolved (✓, grey, under a "resolved" line) and never counted
as open: in /insights, the /map header and text, the PNG, the pain chart, Markdown exports and the
review reminder. The stage with most open pain points ranks first; ties are all highlighted.
"""

import io
from dataclasses import replace
from datetime import UTC, datetime

import matplotlib.image
import numpy as np

from bot.core.insights import compute_insights, recurring_themes
from bot.core.model import STAGE_KEYS, JourneyMap, Note, NoteDraft, Stage
from bot.exports import map_markdown
from bot.render import PAIN, PAIN_FILL, RESOLVED_FILL, map_picture, pain_chart
from bot.reports import insights_text
from bot.views import map_counts, render_map
from storage.chats import remember_chat
from storage.db import utcnow
from storage.maps import create_map
from storage.notes import add_note, correct_note
from storage.reviews import changes_since, record_outcome, start_review

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
STAGES = tuple(Stage(id=10 + i, map_id=1, position=i, key=key) for i, key in enumerate(STAGE_KEYS))
JOURNEY = JourneyMap(1, -100, "Cake orders", None, None, T0, STAGES)
AWARENESS, CONSIDERATION, DECISION, PURCHASE, RETENTION, ADVOCACY = (s.id for s in STAGES)


def note(number, stage_id, kind, text, *, status="open", lang="en", channels=()):
    return Note(
        number, -100, 1, stage_id, kind, text, lang, None, T0, status=status, channels=channels,
        number=number,
    )


def resolved(number, stage_id, text, **kw):
    return note(number, stage_id, "pain_point", text, status="resolved", **kw)


# Purchase: 3 pain points, 2 of them resolved → 1 open. Decision: 2 open in 6 notes.
NOTES = [
    note(1, PURCHASE, "pain_point", "card payment fails at checkout"),
    resolved(2, PURCHASE, "card payment declined twice"),
    resolved(3, PURCHASE, "card payment page times out"),
    note(4, DECISION, "pain_point", "no delivery slots on weekends"),
    note(5, DECISION, "pain_point", "delivery price shown too late"),
    *(note(6 + i, DECISION, "action", f"compares bakeries {i}") for i in range(4)),
]


def pixels(png: bytes) -> np.ndarray:
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    return (image[:, :, :3] * 255).round().astype(int)


def count_colour(image: np.ndarray, hex_colour: str, tolerance: int = 3) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - rgb).max(axis=2) <= tolerance).sum())


def test_insights_count_only_open_pain_points_and_rank_by_them():
    insights = compute_insights(JOURNEY, NOTES)
    by_key = {s.stage.key: s for s in insights.stages}
    assert (by_key["purchase"].pain_points, by_key["purchase"].resolved) == (1, 2)
    assert [s.stage.key for s in insights.hotspots] == ["decision", "purchase"]
    assert [s.stage.key for s in insights.worst] == ["decision"]
    assert insights.whole_journey.pain_points == 3
    assert insights.path_to_purchase.pain_points == 3
    text = insights_text("en", JOURNEY, insights, "UTC")
    assert "<b>Decision</b> (2 open pain points, 6 notes); Purchase (1 open pain point" in text
    assert "Whole journey:</b> 9 notes, 3 open pain points" in text


def test_gaps_say_when_a_stage_lacks_more_lanes_than_are_named():
    """Played: "Nobody has written yet: touchpoint, emotion for Awareness" of a stage with one
    action and nothing else read as if only those two lanes were missing."""
    notes = [
        note(1, AWARENESS, "action", "saw an ad on instagram"),
        *(note(2 + i, CONSIDERATION, kind, f"{kind} note") for i, kind in enumerate(
            ("action", "need", "pain_point", "opportunity"))),  # lacks touchpoint and emotion
        *(note(10 + i, stage, kind, f"{kind} note") for i, (stage, kind) in enumerate(
            (s, k) for s in (DECISION, PURCHASE, RETENTION, ADVOCACY)
            for k in ("touchpoint", "action", "need", "emotion", "pain_point", "opportunity"))),
    ]
    text = insights_text("en", JOURNEY, compute_insights(JOURNEY, notes), "UTC")
    awareness, consideration = "touchpoint, emotion, +3 more", "touchpoint, emotion"
    assert f"{awareness} for Awareness; {consideration} for Consideration" in text
    text = insights_text("uk", JOURNEY, compute_insights(JOURNEY, notes), "UTC")
    assert "Обізнаність (точка контакту, емоція, ще 3); Розгляд (точка контакту, емоція)" in text


def test_resolved_pain_points_make_no_theme():
    # "card payment" is in three pain points, but two are resolved
    assert [th.label for th in recurring_themes(NOTES)] == ["delivery"]


def test_a_map_whose_pain_points_are_all_resolved_does_not_hurt():
    all_resolved = [replace(n, status="resolved") if n.is_pain_point else n for n in NOTES]
    insights = compute_insights(JOURNEY, all_resolved)
    assert insights.hotspots == () and insights.worst == ()
    assert "No open pain points" in insights_text("en", JOURNEY, insights, "UTC")


def test_ties_for_the_most_open_pain_points_are_all_highlighted():
    notes = [
        note(1, AWARENESS, "pain_point", "nobody finds the shop"),
        note(2, RETENTION, "pain_point", "no loyalty card"),
        *(note(3 + i, RETENTION, "action", f"comes back {i}") for i in range(5)),
        note(9, ADVOCACY, "pain_point", "hard to leave a review"),
        note(10, CONSIDERATION, "pain_point", "prices hidden"),
        note(11, CONSIDERATION, "pain_point", "no photos of cakes"),
        note(12, DECISION, "pain_point", "slow answers"),
        note(13, DECISION, "pain_point", "no phone number"),
    ]
    insights = compute_insights(JOURNEY, notes)
    assert [s.stage.key for s in insights.worst] == ["consideration", "decision"]
    # three shown at least, and every stage tied with the last one shown
    assert [s.stage.key for s in insights.hotspots] == [
        "consideration",
        "decision",
        "awareness",
        "retention",
        "advocacy",
    ]
    text = insights_text("en", JOURNEY, insights, "UTC")
    assert "<b>Consideration</b> (2" in text and "<b>Decision</b> (2" in text
    assert "<b>Awareness</b>" not in text
    # the chart paints both tied bars in the strong colour, the others lighter
    tied = count_colour(pixels(pain_chart("en", insights)), PAIN)
    single = compute_insights(JOURNEY, [n for n in notes if n.id != 13])
    one = count_colour(pixels(pain_chart("en", single)), PAIN)
    assert tied > 1.8 * one > 0


def test_map_header_and_text_list_resolved_pain_points_apart():
    assert map_counts("en", JOURNEY, NOTES) == (
        "6 stages · 9 notes · 3 open pain points · ✓ 2 resolved"
    )
    (text,) = render_map("en", JOURNEY, NOTES, show_authors=False)
    purchase = text[text.index("Purchase") :]
    assert purchase.index("⚠️ Pain points (1)") < purchase.index("✓ Resolved pain points (2)")
    assert "• card payment fails at checkout <i>#1</i>" in purchase
    assert "• ✓ card payment declined twice <i>#2</i>" in purchase
    (polish,) = render_map("pl", JOURNEY, NOTES, show_authors=False)
    assert "3 otwarte problemy · ✓ rozwiązane: 2" in polish
    assert "✓ Rozwiązane problemy (2)" in polish


def test_markdown_export_lists_resolved_pain_points_apart():
    text = map_markdown("en", JOURNEY, NOTES)
    assert "3 open pain points · ✓ 2 resolved" in text
    assert "### ✓ Resolved pain points (2)\n\n- ✓ card payment declined twice (#2)" in text


def test_picture_shows_resolved_pain_points_grey_not_red():
    only_resolved = [resolved(1, PURCHASE, "card payment declined")]
    image = pixels(map_picture("en", JOURNEY, only_resolved))
    # a card is about 11,000 pixels; a few edge pixels of other shapes blend into similar tints
    assert count_colour(image, PAIN_FILL) < 200
    assert count_colour(image, RESOLVED_FILL) > 8000
    open_one = [note(1, PURCHASE, "pain_point", "card payment declined")]
    image = pixels(map_picture("en", JOURNEY, open_one))
    assert count_colour(image, PAIN_FILL) > 8000
    assert count_colour(image, RESOLVED_FILL) < 2000


def test_reminder_counts_a_pain_point_resolved_since_as_resolved_not_new(db):
    remember_chat(db, -100, "group", "Bakery", "en")
    journey = create_map(db, -100, "Cakes", None, None, [(k, None) for k in STAGE_KEYS])
    purchase = journey.stage_for_key("purchase").id
    for text in ("card payment fails", "no parking"):
        draft = NoteDraft(text, "en", "pain_point", "purchase")
        add_note(db, -100, journey.id, purchase, draft, None)
    review = start_review(db, -100, journey.id, None, utcnow())
    record_outcome(db, review, review.queue[0], "resolved", None, utcnow())
    changes = changes_since(db, -100, journey.id, None)
    assert changes["new_pain_points_by_position"] == {3: 1}
    assert (changes["new_notes"], changes["resolved"]) == (2, 1)
    # made an emotion after it was resolved, it is no resolved pain point any more (as in /map)
    correct_note(db, -100, review.queue[0], None, kind="emotion")
    assert changes_since(db, -100, journey.id, None)["resolved"] == 0


def test_a_resolved_pain_point_says_so_on_its_card_and_in_search():
    from bot.reports import search_text
    from bot.views import note_label

    done = replace(resolved(2, PURCHASE, "card payment declined twice"), number=2)
    assert note_label("en", JOURNEY, done) == "📌 #2 · Purchase · Pain point (✓ resolved)"
    assert "Problem (✓ rozwiązany)" in note_label("pl", JOURNEY, done)
    hits = search_text("en", ("card",), [done], 1, 0, 5, {1: JOURNEY}, 1)
    assert "Purchase · Pain point (✓ resolved) · #2" in hits


def test_open_pain_points_of_a_removed_stage_are_ranked_as_not_sorted_yet():
    """Pain points under "Not sorted yet" (their stage was removed) count in the whole journey
    and are ranked as a row of their own — first here, bold and dark in the chart — so the
    ranking and the total agree (in English and Polish)."""
    unsorted = [note(20 + i, 99, "pain_point", f"stage gone {i}") for i in range(3)]
    insights = compute_insights(JOURNEY, NOTES + unsorted)
    assert [s.stage.key if s.stage else None for s in insights.hotspots] == [
        None, "decision", "purchase"]
    assert [s.stage for s in insights.worst] == [None]
    text = insights_text("en", JOURNEY, insights, "UTC")
    assert ("Where it hurts:</b> <b>Not sorted yet</b> (3 open pain points, 3 notes); Decision "
            "(2 open pain points, 6 notes); Purchase (1 open pain point, 3 notes)") in text
    assert "Whole journey:</b> 12 notes, 6 open pain points" in text
    gone = [replace(n, sentiment=-0.9) for n in unsorted]
    assert compute_insights(JOURNEY, NOTES + gone).lowest_mood.stage is None  # ranked too
    polish = insights_text("pl", JOURNEY, insights, "UTC")
    assert "Gdzie boli:</b> <b>Jeszcze bez etapu</b> (3 otwarte problemy, 3 notatki)" in polish
    dark = count_colour(pixels(pain_chart("en", insights)), PAIN)
    alone = count_colour(pixels(pain_chart("en", compute_insights(JOURNEY, NOTES))), PAIN)
    assert dark > 1.3 * alone > 0  # the three-point bar of "Not sorted yet" is the dark one
