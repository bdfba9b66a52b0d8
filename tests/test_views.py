"""The map as text: stage order, pain points first, escaping, authors, splitting."""

import re
from datetime import UTC, datetime

from bot.core.model import JourneyMap, Note, Stage
from bot.views import MAX_MAP_MESSAGES, TELEGRAM_TEXT_LIMIT, note_label, render_map

WHEN = datetime(2026, 11, 23, tzinfo=UTC)
STAGES = (Stage(1, 9, 0, None, "Pick-up"), Stage(2, 9, 1, "awareness"))
JOURNEY = JourneyMap(9, -5, "Cakes <3", "parents & kids", 1, WHEN, STAGES)


def note(id_, stage_id, kind, text, author="Ola", channels=()):
    return Note(id_, -5, 9, stage_id, kind, text, "en", 1, WHEN, author_name=author,
                channels=channels, number=id_)


def test_stages_in_order_pain_points_first_and_text_escaped():
    notes = [
        note(1, 2, "touchpoint", "Instagram"),
        note(2, 2, "pain_point", "<b>nobody</b> finds us"),
        note(3, 1, "action", "they *call* first"),
        note(4, None, "need", "lost stage"),
    ]
    (text,) = render_map("en", JOURNEY, notes, show_authors=True)
    assert text.index("Pick-up") < text.index("Awareness") < text.index("Not sorted yet")
    awareness = text[text.index("Awareness"):text.index("Not sorted yet")]
    assert awareness.index("Pain points") < awareness.index("Touchpoints")
    assert "&lt;b&gt;nobody&lt;/b&gt; finds us — Ola <i>#2</i>" in text
    assert "Cakes &lt;3" in text and "parents &amp; kids" in text
    assert "2 stages · 4 notes · 1 open pain point\n" in text


def test_authors_only_in_groups_and_polish_labels():
    (text,) = render_map("pl", JOURNEY, [note(1, 2, "emotion", "radość")], show_authors=False)
    assert "— Ola" not in text and "Świadomość" in text


def test_acknowledgement_names_stage_kind_and_localized_channels():
    ack = note_label("uk", JOURNEY, note(1, 2, "pain_point", "x", channels=("BLIK", "phone")))
    assert ack.startswith("📌 #1 · Обізнаність")
    assert "BLIK" in ack and "телефон" in ack


def test_a_huge_map_is_capped_at_a_few_messages_saying_how_many_more():
    notes = [note(i, 1 + i % 2, "action", f"customer step number {i} " * 3) for i in range(10_000)]
    messages = render_map("en", JOURNEY, notes, show_authors=True)
    assert len(messages) == MAX_MAP_MESSAGES
    assert all(len(m) <= TELEGRAM_TEXT_LIMIT for m in messages)
    listed = sum(m.count("• ") for m in messages)
    assert messages[-1].endswith(f"… {10_000 - listed} more notes — /export for all")
    (polish,) = render_map("pl", JOURNEY, notes[:3], show_authors=False)
    assert "więcej" not in polish and "/export" not in polish
    last = render_map("pl", JOURNEY, notes[:400], show_authors=False)[-1]
    assert re.search(r"… i jeszcze \d+ notat(ek|ki|ka) — wszystkie są w /export$", last)
