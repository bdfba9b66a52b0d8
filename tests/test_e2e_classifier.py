"""End to end: the classifier asks when it is unsure, and learns from a chat's corrections at
once — in that chat only."""

from __future__ import annotations

import pytest

from bot.core.insights import emotion_curve
from bot.core.model import KINDS
from bot.texts import t
from nlp.classify import classify
from storage.maps import list_maps
from storage.notes import list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(611, "Anna", language_code="en")
OLA = User(612, "Ola", language_code="pl")
BORIS = User(613, "Boris", language_code="en")



@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


async def test_an_unsure_note_is_stored_at_once_and_offers_its_likeliest_choices(bot):
    ola = Person(bot, OLA.id, OLA)
    ack = (await ola.says("kurs"))[-1]  # one word: no stage to tell
    result = classify("kurs", fallback_lang="pl")
    assert not result.sure
    assert "🤔" in ack.text
    journey = list_maps(bot.db, OLA.id)[0][0]
    (note,) = list_notes(bot.db, OLA.id, journey.id)  # stored already, with the top choice
    assert note.stage_id == journey.stage_for_key(result.stage).id
    # the likeliest stages, best first, then "Other…"; Undo stays
    stage_row = ack.buttons[0]
    offered = [button["callback_data"] for button in stage_row[:-1]]
    expected = [f"nb:setstage:{note.id}:{journey.stage_for_key(key).id}:a"
                for key in result.choices("stage")]
    assert offered == expected and 2 <= len(offered) <= 3
    assert stage_row[-1]["text"] == "Inne…"
    assert "Cofnij" in ack.button_texts

    # a tap on the second choice is a correction like any other
    second = journey.stage_for_key(result.choices("stage")[1])
    await ola.presses_data(ack.message_id, offered[1])
    (note,) = list_notes(bot.db, OLA.id, journey.id)
    assert note.stage_id == second.id
    assert bot.db.execute("SELECT field, new_value FROM corrections").fetchall() == [
        ("stage", second.key)
    ]
    edited = ola.message(ack.message_id)
    assert "🤔" not in edited.text and "Zmień etap" in edited.button_texts

    # "Other…" opens the whole list of stages
    ack = (await ola.says("hmm"))[-1]
    assert "🤔" in ack.text
    await ola.presses_data(ack.message_id, ack.buttons[0][-1]["callback_data"])
    picker = ola.message(ack.message_id)
    assert len(picker.button_texts) == 7 and picker.button_texts[-1] == "« Wstecz"
    assert "Zakup" in picker.button_texts and "Polecanie" in picker.button_texts


async def test_a_sure_note_asks_nothing(bot):
    anna = Person(bot, ANNA.id, ANNA)
    text = "klienci porzucaja koszyk bo platnosc BLIKiem nie dziala"
    assert classify(text).sure
    ack = (await anna.says(f"/note {text}"))[-1]
    assert "🤔" not in ack.text
    assert ack.button_texts == ["Change stage", "Change kind", "Change channels", "Undo"]


async def test_a_correction_changes_that_chats_next_similar_note_and_no_other_chat(bot):
    note = "patients love the free parking validation"
    paraphrase = "our patients really love the free parking validation"
    model_kind = classify(paraphrase, "en").kind
    taught = next(kind for kind in ("need", "touchpoint", "emotion") if kind != model_kind)

    anna = Person(bot, ANNA.id, ANNA)
    ack = (await anna.says(f"/note {note}"))[-1]
    # "Change kind" (or, when the note was unsure, the kind row's "Other…"), then the kind
    change_kind = next(b["callback_data"] for row in ack.buttons for b in row
                       if b["callback_data"].startswith("nb:kind:"))
    await anna.presses_data(ack.message_id, change_kind)
    await anna.presses(t("en", f"kind.{taught}"), anna.message(ack.message_id))
    assert _kinds(bot, ANNA.id) == [taught]

    again = (await anna.says(f"/note {paraphrase}"))[-1]
    assert _kinds(bot, ANNA.id) == [taught, taught]
    assert t("en", f"kind.{taught}") in again.text
    # the team said which kind: no kind question (the stage may still be asked)
    assert not [b for row in again.buttons for b in row
                if b["callback_data"].startswith("nb:setkind:")]

    boris = Person(bot, BORIS.id, BORIS)
    await boris.says(f"/note {paraphrase}")
    assert _kinds(bot, BORIS.id) == [model_kind]


def _kinds(bot, chat_id: int) -> list[str]:
    journey = list_maps(bot.db, chat_id)[0][0]
    kinds = [note.kind for note in list_notes(bot.db, chat_id, journey.id)]
    assert all(kind in KINDS for kind in kinds)
    return kinds


async def test_a_note_corrected_to_a_pain_point_turns_negative_on_the_emotion_curve(bot):
    anna = Person(bot, ANNA.id, ANNA)
    text = "the shuttle bus leaves from the north gate"
    assert classify(text, "en").kind != "pain_point"
    ack = (await anna.says(f"/note {text}"))[-1]
    journey = list_maps(bot.db, ANNA.id)[0][0]
    (note,) = list_notes(bot.db, ANNA.id, journey.id)
    assert note.sentiment > -0.15  # a plain fact: not negative
    change_kind = next(b["callback_data"] for row in ack.buttons for b in row
                       if b["callback_data"].startswith("nb:kind:"))
    await anna.presses_data(ack.message_id, change_kind)
    await anna.presses(t("en", "kind.pain_point"), anna.message(ack.message_id))
    (note,) = list_notes(bot.db, ANNA.id, journey.id)
    assert note.kind == "pain_point" and note.sentiment <= -0.3
    assert emotion_curve(journey, [note])[journey.stages.index(
        journey.stage_by_id(note.stage_id))] <= -0.3


async def test_a_corrected_stage_carries_to_a_retyped_paraphrase_in_that_chat_only(bot):
    """Polish, typed again later without diacritics, another word order and a number: the
    chat that corrected the first note gets the team's stage; another chat gets the model's."""
    note = "kurier spóźnił się dwie godziny i tort się roztopił"
    paraphrase = "kurier znowu spoznil sie 2 godziny, tort roztopiony"
    model = classify(paraphrase, "pl")
    # a stage the model gives neither note, so the tap is a real correction
    taught = next(key for key in ("purchase", "decision", "awareness")
                  if key not in (model.stage, classify(note, "pl").stage))

    ola = Person(bot, OLA.id, OLA)
    ack = (await ola.says(note))[-1]
    await ola.presses("Zmień etap", ack)
    await ola.presses(t("pl", f"stage.{taught}"), ola.message(ack.message_id))
    assert _stages(bot, OLA.id) == [taught]

    again = (await ola.says(paraphrase))[-1]
    assert _stages(bot, OLA.id) == [taught, taught]
    assert t("pl", f"stage.{taught}") in again.text
    # the kind the team saw and left stands too: no question about either
    assert "🤔" not in again.text

    other = User(614, "Kasia", language_code="pl")
    await Person(bot, other.id, other).says(paraphrase)
    assert _stages(bot, other.id) == [model.stage]


def _stages(bot, chat_id: int) -> list[str]:
    journey = list_maps(bot.db, chat_id)[0][0]
    return [journey.stage_by_id(note.stage_id).key
            for note in list_notes(bot.db, chat_id, journey.id)]
