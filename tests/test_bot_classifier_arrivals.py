"""Notes classified together where they arrive (bot.classifier.ArrivalBatch, bot/inbox.py):
each note gets exactly what classifying it alone would give, with its chat's language and
memory at the moment it is handled; a failing batch fails nobody but the bad note."""

from __future__ import annotations

import pytest

from bot.classifier import Arrival, ArrivalBatch, warm_up
from nlp.classify import CorrectionMemory, classify
from storage.db import open_db
from storage.dialogs import get_dialog
from storage.notes import list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest

NOTES = [  # (chat id, text, the chat's language)
    (701, "The courier was two days late and nobody called", "en"),
    (702, "Kurier spóźnił się dwa dni", "pl"),
    (703, "Не зміг знайти таблицю розмірів на сайті", "uk"),
    (704, "Доставката закъсня с три дни", "bg"),
    (705, "Loved the free samples in the parcel", "en"),
]


@pytest.fixture(scope="module", autouse=True)
def classifier():
    warm_up()


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "bot.db")
    yield db
    db.close()


def announce(batch: ArrivalBatch, db, notes=NOTES) -> None:
    for update_id, (chat_id, text, lang) in enumerate(notes, start=1):
        batch.expect(db, update_id, chat_id, text, lang)


def test_notes_that_arrived_together_are_classified_once_each_as_alone(db):
    batch = ArrivalBatch()
    announce(batch, db)
    for update_id, (chat_id, text, lang) in enumerate(NOTES, start=1):
        result = batch.classification(Arrival(batch, update_id, chat_id), text, lang, None)
        assert result == classify(text, fallback_lang=lang), text
    assert batch.batches == 1  # the first note classified all five; the rest were ready
    assert not batch._waiting and not batch._ready


def test_a_note_alone_is_classified_alone(db):
    batch = ArrivalBatch()
    chat_id, text, lang = NOTES[0]
    batch.expect(db, 1, chat_id, text, lang)
    assert batch.classification(Arrival(batch, 1, chat_id), text, lang, None) == classify(
        text, fallback_lang=lang)
    assert batch.batches == 0


def test_what_changed_since_arrival_is_classified_anew(db):
    """The chat's language changed (/language), a correction made a new memory, the text is
    not the one announced: the note is classified with what it is handled with."""
    batch = ArrivalBatch()
    announce(batch, db)
    first_chat, first_text, first_lang = NOTES[0]
    batch.classification(Arrival(batch, 1, first_chat), first_text, first_lang, None)

    chat_id, text, _ = NOTES[1]  # announced as Polish, handled in a chat now in Ukrainian
    assert batch.classification(Arrival(batch, 2, chat_id), text, "uk", None) == classify(
        text, fallback_lang="uk")
    # (its Polish letters decide its language either way; a brand alone goes by the chat's:)
    brand = ArrivalBatch()
    brand.expect(db, 1, 706, "Allegro", "pl")  # announced in a Polish chat…
    brand.expect(db, 2, 707, "The courier was late again", "en")
    brand.classification(Arrival(brand, 2, 707), "The courier was late again", "en", None)
    in_ukrainian = brand.classification(Arrival(brand, 1, 706), "Allegro", "uk", None)
    assert in_ukrainian == classify("Allegro", fallback_lang="uk")  # …handled in Ukrainian
    assert in_ukrainian != classify("Allegro", fallback_lang="pl")

    chat_id, text, lang = NOTES[2]  # a correction since: this very text belongs to advocacy
    memory = CorrectionMemory()
    memory.add(text, "uk", stage="advocacy", kind="opportunity")
    result = batch.classification(Arrival(batch, 3, chat_id), text, lang, memory)
    assert (result.stage, result.kind) == ("advocacy", "opportunity")
    assert result == classify(text, fallback_lang=lang, memory=memory)

    chat_id, _, lang = NOTES[3]
    other = "Поръчката пристигна счупена"
    assert batch.classification(Arrival(batch, 4, chat_id), other, lang, None) == classify(
        other, fallback_lang=lang)


def test_a_batch_that_fails_leaves_each_note_to_be_classified_alone(db):
    batch = ArrivalBatch()
    announce(batch, db, [*NOTES[:2], (709, "   ", "en")])  # a defect: nothing to classify
    chat_id, text, lang = NOTES[0]
    assert batch.classification(Arrival(batch, 1, chat_id), text, lang, None) == classify(
        text, fallback_lang=lang)
    chat_id, text, lang = NOTES[1]
    assert batch.classification(Arrival(batch, 2, chat_id), text, lang, None) == classify(
        text, fallback_lang=lang)
    with pytest.raises(ValueError):
        batch.classification(Arrival(batch, 3, 709), "   ", "en", None)


def test_what_is_kept_is_bounded_and_handled_updates_are_forgotten(db, monkeypatch):
    monkeypatch.setattr("bot.classifier.ARRIVALS_KEPT", 3)
    batch = ArrivalBatch()
    announce(batch, db)
    assert list(batch._waiting) == [3, 4, 5]
    batch.forget(4)
    assert list(batch._waiting) == [3, 5]


async def test_notes_of_one_poll_are_classified_together_and_stored_as_alone(emu, tmp_path):
    people = [User(7100 + i, f"P{i}", language_code=lang)
              for i, (_, _, lang) in enumerate(NOTES)]
    async with BotUnderTest(emu, tmp_path / "bot.db", reminder_interval=3600) as bot:
        for person in people:  # each chat's first note starts its map
            emu.send_message(person.id, "Warming up: the first note", user=person)
        bot.expected += len(people)
        await bot.settle(60)
        arrivals = bot.app.update_queue.arrivals
        batches = arrivals.batches
        with emu.state.lock:  # queued at once: one getUpdates answer brings all five
            for person, (_, text, _) in zip(people, NOTES, strict=True):
                emu.send_message(person.id, text, user=person)
        bot.expected += len(people)
        hits = arrivals.hits
        await bot.settle(30)
        assert arrivals.batches > batches
        assert arrivals.hits - hits >= 3  # the notes classified with the first one used it
        for person, (_, text, lang) in zip(people, NOTES, strict=True):
            expected = classify(text, fallback_lang=lang)
            (journey,) = [row[0] for row in
                          bot.db.execute("SELECT id FROM maps WHERE chat_id = ?", [person.id])]
            note = list_notes(bot.db, person.id, journey)[-1]
            assert note.text == text
            assert (note.kind, note.lang, note.stage_score) == (
                expected.kind, expected.lang, pytest.approx(expected.stage_score)), text
            stage_key = bot.db.execute("SELECT key FROM stages WHERE id = ?",
                                       [note.stage_id]).fetchone()[0]
            assert stage_key == expected.stage
        assert not arrivals._waiting and not arrivals._ready  # forgotten once handled


async def test_an_answer_in_a_conversation_is_not_classified_and_the_notes_still_batch(
    emu, tmp_path
):
    """A typed answer to the bot's question (here a new map's name, then its persona) is no
    note: it is not announced to the batch, so nothing classifies it (~0.25 ms each, for
    nothing); the notes that arrive in the same poll are still classified together."""
    people = [User(7200 + i, f"Q{i}", language_code=lang)
              for i, (_, _, lang) in enumerate(NOTES)]
    namer, writers = people[0], people[1:]
    async with BotUnderTest(emu, tmp_path / "bot.db", reminder_interval=3600) as bot:
        for person in people:  # a history: each chat has a map and a note
            emu.send_message(person.id, "Warming up: the first note", user=person)
        bot.expected += len(people)
        await bot.settle(60)
        emu.send_message(namer.id, "/newmap", user=namer)  # the bot asks for the map's name
        bot.expected += 1
        await bot.settle(30)
        arrivals = bot.app.update_queue.arrivals
        announced, hits = arrivals.announced, arrivals.hits
        with emu.state.lock:  # one getUpdates answer: the name and four notes
            emu.send_message(namer.id, "Summer wedding cakes", user=namer)
            for person, (_, text, _) in zip(writers, NOTES[1:], strict=True):
                emu.send_message(person.id, text, user=person)
        bot.expected += 1 + len(writers)
        await bot.settle(30)
        assert arrivals.announced - announced == len(writers)  # the notes, not the name
        assert arrivals.hits - hits >= 2  # the notes classified together
        emu.send_message(namer.id, "a bride on a budget", user=namer)  # the persona
        bot.expected += 1
        await bot.settle(30)
        assert arrivals.announced - announced == len(writers)
        asked = get_dialog(bot.db, namer.id, namer.id)  # now at the stages
        assert (asked.flow, asked.data["name"], asked.data["persona"]) == (
            "nm", "Summer wedding cakes", "a bride on a budget")
        texts = {row[0] for row in bot.db.execute("SELECT text FROM notes")}
        assert "Summer wedding cakes" not in texts and "a bride on a budget" not in texts
        assert {text for _, text, _ in NOTES[1:]} <= texts
