"""The map picture and the pain chart: valid PNGs, deterministic, legible, big maps capped."""

import io
from datetime import UTC, datetime

import matplotlib.image
import pytest

from bot.core.insights import compute_insights
from bot.core.model import KINDS, MAX_STAGES, STAGE_KEYS, JourneyMap, Note, Stage
from bot.render import MAX_CARDS, clip_lines, drawable, map_picture, pain_chart, plain_label

T0 = datetime(2025, 3, 1, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def journey(stage_count=6, name="Zamówienie tortu — żółć"):
    keys = [*STAGE_KEYS, *[None] * MAX_STAGES][:stage_count]
    stages = tuple(
        Stage(id=i + 1, map_id=1, position=i, key=key, name=None if key else f"Етап {i + 1}")
        for i, key in enumerate(keys)
    )
    return JourneyMap(1, 1, name, "Зайнята мама 👩", None, T0, stages)


def note(number, stage_id, kind, text, sentiment=0.0):
    return Note(number, 1, 1, stage_id, kind, text, "uk", None, T0, sentiment=sentiment)


NOTES = [
    note(1, 1, "touchpoint", "Instagram 📸 і знайомі", 0.3),
    note(2, 2, "pain_point", "Немає цін на сайті — доводиться писати в директ", -0.6),
    note(3, 4, "pain_point", "Płatność kartą nie działa", -0.8),
    note(4, 4, "opportunity", "Додати BLIK і Apple Pay", 0.4),
    note(5, 5, "emotion", "Щасливі 🎉", 0.9),
]


def decode(png: bytes):
    return matplotlib.image.imread(io.BytesIO(png), format="png")


def test_map_picture_is_a_png_matplotlib_can_read_back():
    png = map_picture("uk", journey(), NOTES)
    assert png.startswith(PNG_SIGNATURE)
    height, width, channels = decode(png).shape
    assert 1600 <= width <= 4000 and 800 <= height <= 3000 and channels in (3, 4)
    assert len(png) < 1_000_000  # Telegram takes photos up to 10 MB; phones like them small


def test_same_map_gives_the_same_bytes():
    assert map_picture("uk", journey(), NOTES) == map_picture("uk", journey(), NOTES)
    assert map_picture("uk", journey(), NOTES[:-1]) != map_picture("uk", journey(), NOTES)


def test_png_has_no_software_or_time_stamp():
    png = map_picture("en", journey(), NOTES)
    assert b"Software" not in png and b"matplotlib" not in png.lower()


@pytest.mark.parametrize("lang", ["en", "pl", "uk", "bg"])
def test_every_language_renders_without_missing_glyphs(lang, recwarn):
    map_picture(lang, journey(), NOTES)
    missing = [w for w in recwarn if "missing from" in str(w.message).lower()]
    assert missing == []


def test_a_huge_map_renders_with_capped_cells():
    big = journey(MAX_STAGES)
    notes = [
        note(n, (n % MAX_STAGES) + 1, KINDS[n % len(KINDS)], f"Нотатка номер {n} " * 8, -0.3)
        for n in range(1, 1501)
    ]
    png = map_picture("uk", big, notes)
    height, width, _ = decode(png).shape
    assert width + height <= 10_000 and width / height <= 20  # Telegram's limits for photos
    assert height < 3000  # cells are capped, so 1500 notes take no more room than 36
    assert len(png) < 5_000_000


def test_empty_map_renders():
    decode(map_picture("bg", journey(3), []))


def test_pain_chart_is_a_png():
    insights = compute_insights(journey(), NOTES)
    png = pain_chart("pl", insights)
    assert decode(png).shape[1] == 960
    assert png == pain_chart("pl", insights)


def test_text_helpers_drop_emoji_and_clip_with_an_ellipsis():
    assert drawable("Щасливі 🎉 дуже") == "Щасливі дуже"
    assert plain_label("📍 Touchpoints") == "Touchpoints"
    assert plain_label("⚠️ <b>Pain points</b>") == "Pain points"
    lines = clip_lines("słowo " * 30, 20, 3)
    assert len(lines) == 3 and lines[-1].endswith("…") and all(len(x) <= 20 for x in lines)
    assert MAX_CARDS == 3


def drawn_texts_outside_their_column(lang: str, journey_map, notes) -> list[str]:
    """The texts of the stage headers and cards that reach past their column's edges."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from bot.render import COLUMN_WIDTH, _MapDrawing, load_matplotlib

    load_matplotlib()
    drawing = _MapDrawing(lang, journey_map, notes)
    figure = drawing.draw()
    renderer = FigureCanvasAgg(figure).get_renderer()
    to_inches = drawing.axes.transData.inverted()
    first, last = drawing.column_x(0), drawing.column_x(len(drawing.columns))
    outside = []
    for text in drawing.axes.texts:
        (left, _), (right, _) = to_inches.transform(text.get_window_extent(renderer).get_points())
        if not first <= left < last:  # the title, the lane labels, the curve: not in a column
            continue
        column = int((left - first) // COLUMN_WIDTH)
        start = drawing.column_x(column)
        if left < start or right > start + COLUMN_WIDTH - 0.03:
            outside.append(text.get_text())
    return outside


@pytest.mark.parametrize(
    ("lang", "name"),
    [("uk", "Повторні замовлення"), ("pl", "Obsługa po zakupie"), ("bg", "Повторни поръчки"),
     ("en", "Repeat orders & care"), ("uk", "Обслуговування після покупки")],
)
def test_stage_headers_and_cards_stay_inside_their_columns(lang, name):
    """Played: the header "5. Повторні замовлення" (22 letters, bold) ran past both edges of
    its column and lost its "5."."""
    stages = tuple(
        Stage(id=i + 1, map_id=1, position=i, key=key, name=name if i == 4 else None)
        for i, key in enumerate(STAGE_KEYS)
    )
    named = JourneyMap(1, 1, "Замовлення торта онлайн", None, None, T0, stages)
    notes = [
        *NOTES,
        note(6, 5, "pain_point", "Щоразу шукаю, де ж те замовлення, що робила минулого місяця"),
        note(7, None, "action", "Порекомендувала нас подрузі в фейсбуці"),
    ]
    assert drawn_texts_outside_their_column(lang, named, notes) == []
