"""End to end: in a group, a note the classifier is unsure of is marked in the combined
acknowledgement (bot/group_acks.py) and its "🤔 #N" button opens the question with the
likeliest choices as one-tap buttons — no extra message per note, in every language."""

from __future__ import annotations

import pytest

from bot.texts import t
from nlp.classify import classify
from storage.maps import list_maps
from storage.notes import get_note, list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, button_data

# per language: a one-word note (no stage to tell: unsure) and a plain complaint (sure)
NOTES = {
    "en": ("prices", "customers abandon the cart because card payment keeps failing"),
    "pl": ("kurs", "klienci porzucaja koszyk bo platnosc BLIKiem nie dziala"),
    "uk": ("курс", "клієнти кидають кошик, бо оплата карткою не проходить"),
    "bg": ("курс", "клиентите изоставят количката, защото плащането с карта не минава"),
}


@pytest.fixture
async def bot(emu, tmp_path):
    # the real delay between a group's lists: both notes of the test land in one list even
    # on a loaded machine
    async with BotUnderTest(emu, tmp_path / "bot.db", group_ack_delay=3.0) as bot:
        yield bot


@pytest.mark.parametrize("lang", ["en", "pl", "uk", "bg"])
async def test_a_group_list_marks_unsure_notes_and_their_button_asks(bot, lang):
    group = -6200 - len(lang) - ord(lang[0])
    member = User(740 + ord(lang[0]), "Ira", language_code=lang)
    team = Person(bot, group, member, title="Team")
    unsure_text, sure_text = NOTES[lang]
    unsure, sure = classify(unsure_text, fallback_lang=lang), classify(sure_text, lang)
    assert not unsure.sure and sure.sure

    for text in (unsure_text, sure_text):  # two notes at once: one combined message
        bot.emu.send_message(group, f"/note {text}", user=member, title="Team")
        bot.expected += 1
    await bot.settle()
    combined = [m for m in bot.emu.bot_messages(group) if m.text.startswith("📌")]
    assert len(combined) == 1
    (listed,) = combined
    journey = list_maps(bot.db, group)[0][0]
    first, second = list_notes(bot.db, group, journey.id)
    assert (first.text, second.text) == (unsure_text, sure_text)

    # the unsure note's line asks its question; the sure one's does not; one hint at the end
    stage_names = [t(lang, f"stage.{key}") for key in unsure.choices("stage")]
    question = t(lang, "note.or").join([", ".join(stage_names[:-1]), stage_names[-1]]) + "?"
    lines = listed.text.splitlines()
    unsure_line = next(line for line in lines if line.startswith(f"#{first.number} "))
    sure_line = next(line for line in lines if line.startswith(f"#{second.number} "))
    assert "🤔" in unsure_line and question in unsure_line
    assert "🤔" not in sure_line
    assert lines[-1] == t(lang, "group.unsure_hint")
    assert listed.button_texts == [f"🤔 #{first.number}", f"✏️ #{second.number}"]
    # no message of its own for either note: the list and (first note) the new map's notice
    assert not [m for m in bot.emu.bot_messages(group)
                if m.message_id != listed.message_id and "🤔" in m.text]

    # "🤔 #1" opens the question with the likeliest stages as buttons, then "Other…"
    card = (await team.presses(f"🤔 #{first.number}", listed))[-1]
    assert t(lang, "note.unsure").split("{")[0].strip() in card.text
    stage_row = card.buttons[0]
    assert [b["text"] for b in stage_row] == [*stage_names, t(lang, "button.other")]
    second_stage = journey.stage_for_key(unsure.choices("stage")[1])
    await team.presses_data(card.message_id, stage_row[1]["callback_data"])
    note = get_note(bot.db, group, first.id)
    assert note.stage_id == second_stage.id and note.stage_choices == ()
    assert bot.db.execute("SELECT field, new_value FROM corrections").fetchall() == [
        ("stage", second_stage.key)
    ]
    # the list follows: the note's line shows the chosen stage and only the kind's question
    listed = team.message(listed.message_id)
    line = next(li for li in listed.text.splitlines() if li.startswith(f"#{first.number} "))
    assert t(lang, f"stage.{second_stage.key}") in line and question not in line
    kind_names = [t(lang, f"kind.{kind}") for kind in unsure.choices("kind")]
    assert len(kind_names) >= 2 and "🤔" in line and kind_names[-1] + "?" in line
    assert listed.button_texts[0] == f"🤔 #{first.number}"
    # answered: opened again, the note no longer asks its stage
    again = (await team.presses(f"🤔 #{first.number}", listed))[-1]
    assert not [b for row in again.buttons for b in row
                if b["callback_data"].startswith("nb:setstage:")]

    # "✏️ #2" opens the sure note's usual acknowledgement: no question; Undo takes it off
    # the list
    plain = (await team.presses(f"✏️ #{second.number}", listed))[-1]
    assert "🤔" not in plain.text
    assert button_data(plain, t(lang, "button.change_kind")).startswith("nb:kind:")
    await team.presses(t(lang, "button.undo"), plain)
    listed = team.message(listed.message_id)
    assert f"#{second.number} " not in listed.text
    assert listed.button_texts[-1] != f"✏️ #{second.number}"
    # messages to the group: the new map's notice, the list, and the three cards the team
    # opened; every change since was an edit
    assert len(bot.emu.bot_messages(group)) == 5
