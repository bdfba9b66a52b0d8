"""Insights on a fixed map: hotspots, lowest mood, gaps, themes, changes, path to purchase."""

from datetime import UTC, datetime

from bot.core.insights import (
    biggest_gaps,
    compute_insights,
    emotion_curve,
    recurring_themes,
    stem,
    theme_words,
)
from bot.core.model import STAGE_KEYS, JourneyMap, Note, Stage

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
T1 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
STAGES = tuple(Stage(id=10 + i, map_id=1, position=i, key=key) for i, key in enumerate(STAGE_KEYS))
JOURNEY = JourneyMap(1, -100, "Cake orders", None, None, T0, STAGES)
AWARENESS, CONSIDERATION, DECISION, PURCHASE, RETENTION, ADVOCACY = (s.id for s in STAGES)


def note(number, stage_id, kind, text, sentiment=0.0, *, when=T0, channels=(), lang="pl"):
    return Note(
        id=number,
        chat_id=-100,
        map_id=1,
        stage_id=stage_id,
        kind=kind,
        text=text,
        lang=lang,
        author_id=None,
        created_at=when,
        sentiment=sentiment,
        channels=channels,
    )


NOTES = [
    note(1, AWARENESS, "touchpoint", "Instagram z tortami", 0.4, channels=("instagram",)),
    note(2, CONSIDERATION, "pain_point", "Brak cen na stronie", -0.5, channels=("website",)),
    note(3, CONSIDERATION, "action", "Porównuje trzy cukiernie", 0.0),
    note(4, DECISION, "pain_point", "Nie da się wybrać godziny dostawy", -0.6),
    note(
        5,
        PURCHASE,
        "pain_point",
        "Płatność kartą nie działa na telefonie",
        -0.8,
        channels=("website",),
    ),
    note(
        6,
        PURCHASE,
        "pain_point",
        "Platnosc karta odrzucona dwa razy",
        -0.7,
        when=T1,
        channels=("website",),
    ),
    note(7, PURCHASE, "pain_point", "Koszt dostawy widać dopiero na końcu", -0.4, when=T1),
    note(8, PURCHASE, "opportunity", "Dodać BLIK", 0.5),
    note(9, RETENTION, "emotion", "Zachwyceni smakiem", 0.9, when=T1),
]


def test_golden_insights_on_a_fixed_map():
    insights = compute_insights(JOURNEY, NOTES, reviewed_at=datetime(2025, 3, 5, tzinfo=UTC))
    assert [(s.stage.key, s.notes, s.pain_points) for s in insights.stages] == [
        ("awareness", 1, 0),
        ("consideration", 2, 1),
        ("decision", 1, 1),
        ("purchase", 4, 3),
        ("retention", 1, 0),
        ("advocacy", 0, 0),
    ]
    # open pain points: purchase 3, then consideration and decision 1 each, in map order
    assert [s.stage.key for s in insights.hotspots] == ["purchase", "consideration", "decision"]
    assert [s.stage.key for s in insights.worst] == ["purchase"]
    assert (insights.lowest_mood.stage.key, insights.lowest_mood.mood) == ("decision", -0.6)
    empty = {s.stage.key: s.empty_lanes for s in insights.stages}
    assert empty["advocacy"] == (
        "touchpoint",
        "action",
        "need",
        "emotion",
        "pain_point",
        "opportunity",
    )
    assert "touchpoint" in empty["purchase"] and "pain_point" not in empty["purchase"]
    gaps = [(stage.key, lanes[:2]) for stage, lanes in biggest_gaps(insights.stages)]
    assert gaps[:3] == [
        ("advocacy", ("touchpoint", "emotion")),  # nothing at all
        ("awareness", ("emotion", "pain_point")),  # five lanes empty, the first stage
        ("decision", ("touchpoint", "emotion")),
    ]
    themes = [(th.kind, th.label, th.count, th.note_ids) for th in insights.themes]
    assert themes == [
        ("channel", "website", 3, (2, 5, 6)),
        ("word", "dostawy", 2, (4, 7)),
        ("word", "karta / platnosc", 2, (5, 6)),
    ]
    assert (insights.since_review.notes, insights.since_review.pain_points) == (3, 2)
    path = insights.path_to_purchase
    assert (path.first.key, path.last.key, path.notes, path.pain_points) == (
        "awareness",
        "purchase",
        8,
        5,
    )
    assert (insights.whole_journey.notes, insights.whole_journey.pain_points) == (9, 5)
    assert insights.whole_journey.mood == round(sum(n.sentiment for n in NOTES) / 9, 2)


def test_emotion_curve_has_a_point_per_stage_and_gaps_where_nobody_wrote():
    assert emotion_curve(JOURNEY, NOTES) == [0.4, -0.25, -0.6, -0.35, 0.9, None]


def test_without_a_review_nothing_is_counted_as_new():
    since = compute_insights(JOURNEY, NOTES).since_review
    assert (since.reviewed_at, since.notes) == (None, 0)


def test_a_map_without_purchase_stage_has_no_path_to_purchase():
    custom = JourneyMap(2, -100, "Clinic", None, None, T0, (Stage(1, 2, 0, None, "Visit"),))
    assert compute_insights(custom, []).path_to_purchase is None
    assert compute_insights(custom, []).hotspots == ()


def test_words_are_folded_and_stop_words_dropped():
    assert theme_words("Płatność ZAŻÓŁĆ") == {"platnosc", "zazolc"}
    assert theme_words("Сайт і їжа") == {"сайт"}  # й and ї are letters of their own, not и, і
    assert theme_words("The delivery is very late, and the courier was rude") == {
        "delivery",
        "late",
        "courier",
        "rude",
    }
    assert stem("koszyka") == stem("koszyk") == "koszy"


def test_cyrillic_inflections_make_one_theme():
    notes = [
        note(1, PURCHASE, "pain_point", "Кур'єр запізнюється з доставкою", lang="uk"),
        note(2, PURCHASE, "pain_point", "Доставка коштує забагато", lang="uk"),
        note(3, PURCHASE, "pain_point", "Доставката закъснява", lang="bg"),
        note(4, PURCHASE, "need", "Доставка до дверей", lang="uk"),  # not a pain point
    ]
    themes = recurring_themes(notes)
    assert [(th.count, th.note_ids) for th in themes] == [(3, (1, 2, 3))]
    assert themes[0].label == "доставка"


def test_themes_show_words_as_typed_without_stop_words_or_channel_names():
    """Issue 12 item 14: no "саит" (й is a letter of its own), no «через» (spaCy's Ukrainian
    stop words), no word that only repeats a channel the classifier found."""
    from bot.classifier import theme_stop_words

    notes = [
        note(1, PURCHASE, "pain_point", "Сайт не працює через помилку оплати", lang="uk"),
        note(2, PURCHASE, "pain_point", "Через сайт неможливо замовити", lang="uk"),
        note(3, PURCHASE, "pain_point", "Сайту бракує цін, через це дзвонять", lang="uk"),
        note(4, DECISION, "pain_point", "Booking shows old prices", lang="en",
             channels=("Booking.com",)),
        note(5, DECISION, "pain_point", "On Booking the photos are old", lang="en",
             channels=("Booking.com",)),
    ]
    themes = recurring_themes(notes, stop_words=theme_stop_words())
    labels = [(th.kind, th.label, th.count) for th in themes]
    assert ("word", "сайт", 3) in labels
    assert ("channel", "Booking.com", 2) in labels
    assert not [label for label in labels if label[1] in ("саит", "через", "booking")]
    # the word the classifier read as the channel is not listed beside it ("sklep" for shop)
    shop = [
        note(6, PURCHASE, "pain_point", "Nie ma parkingu przy sklepie", channels=("shop",)),
        note(7, PURCHASE, "pain_point", "Sklep otwarty za krótko", channels=("shop",)),
    ]
    assert [(th.kind, th.label) for th in recurring_themes(shop)] == [("channel", "shop")]
    # without spaCy's lists "через" is a theme: the lists are what keeps it out
    assert "через" in " / ".join(th.label for th in recurring_themes(notes))


def test_stem_index_merges_as_comparing_every_pair_did():
    """The theme merge looks stems up in a prefix index (linear in the notes) and gives what
    the old comparison of each stem with every known one gave."""
    import random

    from bot.core.insights import MIN_WORD_LENGTH, STEM_LENGTH, _StemMerger

    def pairwise(key, known):
        if key in known:
            return key
        for other in known:
            shorter, longer = sorted((key, other), key=len)
            if len(shorter) >= MIN_WORD_LENGTH and longer.startswith(shorter):
                return other
        return key

    rng = random.Random(7)
    letters = "abcdeł"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 7))) for _ in range(3000)]
    known: dict[str, set] = {}
    index = _StemMerger()
    for word in words:
        stem_ = word[:STEM_LENGTH]
        expected = pairwise(stem_, known)
        known.setdefault(expected, set())
        assert index.key(stem_) == expected, word


def test_a_mood_shown_as_zero_is_not_the_lowest_mood():
    """/insights said "Lowest mood: Purchase (0)" for a mood of −0.01."""
    notes = [
        note(1, PURCHASE, "action", "pays", -0.02),
        note(2, PURCHASE, "action", "pays again", 0.0),
        note(3, DECISION, "action", "compares", 0.3),
    ]
    assert compute_insights(JOURNEY, notes).lowest_mood is None
    notes.append(note(4, RETENTION, "emotion", "disappointed", -0.4))
    assert compute_insights(JOURNEY, notes).lowest_mood.stage.key == "retention"
