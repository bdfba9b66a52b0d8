"""Renders docs/sample-map-<lang>.png (a small fixed map per language, drawn by bot.render),
docs/sample-history-<lang>.png (the /history chart of six weekly reviews of that map) and
docs/sample-digest-<lang>.txt (the /digest text for its last week, as Telegram shows it).

    $ .venv/bin/python docs/make_samples.py

The pictures are deterministic: running this again on the same code gives the same bytes.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import re  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from bot.core.digest import Person, compose_digest, listed, pain_timeline  # noqa: E402
from bot.core.model import STAGE_KEYS, JourneyMap, Note, Stage  # noqa: E402
from bot.render import map_picture, timeline_chart  # noqa: E402
from bot.reports import digest_text, timeline_labels  # noqa: E402

CREATED = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

# (map name, persona, [(stage key, kind, text, sentiment)])
SAMPLES: dict[str, tuple[str, str, list[tuple[str, str, str, float]]]] = {
    "en": (
        "Ordering a birthday cake online",
        "a busy parent planning a party",
        [
            ("awareness", "touchpoint", "Instagram posts with cake photos", 0.4),
            ("awareness", "need", "Wants to see prices before writing to us", 0.0),
            ("consideration", "action", "Compares three bakeries on Google Maps reviews", 0.1),
            ("consideration", "pain_point", "No prices on the website", -0.6),
            ("decision", "emotion", "Nervous that the cake will arrive late", -0.7),
            ("decision", "pain_point", "Cannot pick a delivery time slot", -0.5),
            ("purchase", "pain_point", "Card payment fails on the phone", -0.8),
            ("purchase", "pain_point", "The basket empties after logging in", -0.7),
            ("purchase", "opportunity", "Offer BLIK and Apple Pay", 0.4),
            ("retention", "emotion", "Delighted with the taste", 0.9),
            ("advocacy", "action", "Tags us in stories after the party", 0.7),
        ],
    ),
    "pl": (
        "Zamówienie tortu urodzinowego online",
        "zapracowany rodzic planujący przyjęcie",
        [
            ("awareness", "touchpoint", "Posty na Instagramie ze zdjęciami tortów", 0.4),
            ("awareness", "need", "Chce znać ceny, zanim do nas napisze", 0.0),
            ("consideration", "action", "Porównuje trzy cukiernie po opiniach w Google", 0.1),
            ("consideration", "pain_point", "Brak cen na stronie", -0.6),
            ("decision", "emotion", "Stresuje się, że tort dojedzie za późno", -0.7),
            ("decision", "pain_point", "Nie da się wybrać godziny dostawy", -0.5),
            ("purchase", "pain_point", "Płatność kartą nie działa na telefonie", -0.8),
            ("purchase", "pain_point", "Koszyk się czyści po zalogowaniu", -0.7),
            ("purchase", "opportunity", "Dodać BLIK i Apple Pay", 0.4),
            ("retention", "emotion", "Zachwyceni smakiem", 0.9),
            ("advocacy", "action", "Oznacza nas w relacjach po przyjęciu", 0.7),
        ],
    ),
    "uk": (
        "Замовлення торта на день народження",
        "зайнята мама, яка планує свято",
        [
            ("awareness", "touchpoint", "Дописи в Instagram із фото тортів", 0.4),
            ("awareness", "need", "Хоче бачити ціни, перш ніж писати нам", 0.0),
            ("consideration", "action", "Порівнює три кондитерські за відгуками в Google", 0.1),
            ("consideration", "pain_point", "На сайті немає цін", -0.6),
            ("decision", "emotion", "Хвилюється, що торт привезуть запізно", -0.7),
            ("decision", "pain_point", "Не можна вибрати час доставки", -0.5),
            ("purchase", "pain_point", "Оплата карткою не проходить з телефона", -0.8),
            ("purchase", "pain_point", "Кошик очищується після входу", -0.7),
            ("purchase", "opportunity", "Додати Apple Pay і Google Pay", 0.4),
            ("retention", "emotion", "У захваті від смаку", 0.9),
            ("advocacy", "action", "Відмічає нас у сторіз після свята", 0.7),
        ],
    ),
    "bg": (
        "Поръчка на торта за рожден ден",
        "зает родител, който планира парти",
        [
            ("awareness", "touchpoint", "Публикации в Instagram със снимки на торти", 0.4),
            ("awareness", "need", "Иска да види цените, преди да ни пише", 0.0),
            ("consideration", "action", "Сравнява три сладкарници по отзивите в Google", 0.1),
            ("consideration", "pain_point", "Няма цени на сайта", -0.6),
            ("decision", "emotion", "Притеснява се, че тортата ще закъснее", -0.7),
            ("decision", "pain_point", "Не може да избере час за доставка", -0.5),
            ("purchase", "pain_point", "Плащането с карта не минава от телефона", -0.8),
            ("purchase", "pain_point", "Количката се изпразва след вход", -0.7),
            ("purchase", "opportunity", "Да добавим Apple Pay и Google Pay", 0.4),
            ("retention", "emotion", "Във възторг от вкуса", 0.9),
            ("advocacy", "action", "Отбелязва ни в сторита след партито", 0.7),
        ],
    ),
}


RESOLVED_IN_SAMPLE = ("consideration", "pain_point")


def sample_map(lang: str) -> tuple[JourneyMap, list[Note]]:
    """The fixed sample map of `lang`, as the bot would load it from the database."""
    name, persona, rows = SAMPLES[lang]
    stages = tuple(
        Stage(id=index + 1, map_id=1, position=index, key=key)
        for index, key in enumerate(STAGE_KEYS)
    )
    journey = JourneyMap(1, 1, name, persona, None, CREATED, stages)
    stage_id = {stage.key: stage.id for stage in stages}
    notes = [
        Note(
            number,
            1,
            1,
            stage_id[key],
            kind,
            text,
            lang,
            None,
            CREATED,
            sentiment=sentiment,
            number=number,
            # the team has fixed the prices on the website: the picture shows it resolved
            status="resolved" if (key, kind) == RESOLVED_IN_SAMPLE else "open",
        )
        for number, (key, kind, text, sentiment) in enumerate(rows, start=1)
    ]
    return journey, notes


# Six weekly reviews of the sample map: (stage key, written before review n, resolved by
# review n or None) for each pain point — the team fixes checkout first, then delivery.
REVIEWS = [CREATED + timedelta(weeks=week, hours=8) for week in range(1, 7)]
NOW = REVIEWS[-1] + timedelta(days=6)
HISTORY = [
    ("consideration", 0, 2),
    ("consideration", 1, None),
    ("decision", 0, 4),
    ("decision", 2, None),
    ("decision", 3, 5),
    ("purchase", 0, 1),
    ("purchase", 0, 3),
    ("purchase", 1, 2),
    ("purchase", 2, None),
    ("purchase", 4, 5),
    ("retention", 3, None),
    ("retention", 5, None),
]


def sample_history(journey: JourneyMap):
    """The pain timeline of the six reviews and now (bot.core.digest.pain_timeline)."""
    moments = [*REVIEWS, NOW]
    groups = [
        (journey.stage_for_key(key).id, born, len(moments) if closed is None else closed, 1)
        for key, born, closed in HISTORY
    ]
    return pain_timeline(journey, moments, groups)


def sample_digest(lang: str, journey: JourneyMap, notes: list[Note]) -> str:
    """The digest of the sample map's last week, as plain text (Telegram's rendering)."""
    by_number = {note.number: note for note in notes}
    pains = [note for note in notes if note.is_open_pain_point]
    owned = [
        replace(by_number[7], owner_name="Ola", due_on=date(2025, 4, 11)),
        replace(by_number[6], owner_name="Piotr", due_on=date(2025, 4, 18)),
        replace(by_number[9], owner_name="Ola"),
    ]
    digest = compose_digest(
        journey,
        NOW - timedelta(days=7),
        NOW,
        counts=[(by_number[8].stage_id, "pain_point", 1), (by_number[9].stage_id, "opportunity", 1),
                (by_number[10].stage_id, "emotion", 1)],
        new_pain_points=listed([by_number[8]], 1, 5),
        resolved=listed([by_number[4]], 1, 5),
        open_pain_points=pains,
        contributors=[Person(1, "Ola", 2), Person(2, "Piotr", 1)],
        members=[Person(1, "Ola"), Person(2, "Piotr"), Person(3, "Marta")],
        items=listed(owned, 3, 8),
        overdue=1,
        timeline=sample_history(journey),
    )
    html = digest_text(lang, digest, "Europe/Warsaw", is_group=True)
    return re.sub(r"<[^>]+>", "", html) + "\n"


def main() -> None:
    for lang in SAMPLES:
        journey, notes = sample_map(lang)
        path = ROOT / "docs" / f"sample-map-{lang}.png"
        path.write_bytes(map_picture(lang, journey, notes))
        print(path.relative_to(ROOT))
        if lang in ("en", "pl"):
            timeline = sample_history(journey)
            labels = timeline_labels(lang, timeline, "Europe/Warsaw")
            chart = timeline_chart(lang, journey, timeline, labels, "picture.timeline_title")
            path = ROOT / "docs" / f"sample-history-{lang}.png"
            path.write_bytes(chart)
            print(path.relative_to(ROOT))
            path = ROOT / "docs" / f"sample-digest-{lang}.txt"
            path.write_text(sample_digest(lang, journey, notes))
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
