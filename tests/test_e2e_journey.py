"""End to end: building a map in conversation, notes with one-tap corrections, /map, groups."""

from __future__ import annotations

import pytest

from storage.maps import list_maps
from storage.notes import list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, button_data

ANNA = User(601, "Anna", language_code="en")
BOGDAN = User(602, "Bogdan", language_code="uk")
CHIARA = User(603, "Chiara", language_code="en")
OUTSIDER = User(699, "Mallory", language_code="en")
TEAM = -5001


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        yield bot


async def build_custom_map(person: Person) -> None:
    """Name, persona, then: rename Awareness, remove Advocacy, add 'Pick-up', move it first."""
    await person.answers("/newmap")
    await person.answers("Ordering a birthday cake online")
    await person.answers("busy parent planning a party")
    await person.presses("Rename")
    await person.presses("Awareness")
    await person.answers("Discovery")
    await person.presses("Remove")
    await person.presses("Advocacy")
    await person.presses("Add")
    await person.answers("Pick-up")
    await person.presses("Move")
    await person.presses("Pick-up")
    await person.presses("Before “Discovery”")


async def test_whole_newmap_flow_with_custom_stages_notes_corrections_and_map(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await build_custom_map(anna)
    stages_text = anna.latest_with_buttons().text
    assert stages_text.index("Pick-up") < stages_text.index("Discovery")
    assert "Advocacy" not in stages_text

    await anna.presses("Use these stages")
    # Stage 1 (Pick-up): touchpoints answered with a list, the rest skipped
    assert "Stage 1 of 6: Pick-up" in anna.latest_with_buttons().text
    added = await anna.answers("the shop counter, phone and Instagram")
    assert "Added: 3." in added[0].text
    await anna.presses("Next stage")
    # Stage 2 (Discovery): a pain point, then finish
    for _ in range(4):
        await anna.presses("Skip")
    assert "What goes wrong" in anna.latest_with_buttons().text
    await anna.answers("nobody finds us on Google Maps")
    summary = (await anna.presses("Finish"))[-1]
    assert "Ordering a birthday cake online" in summary.text
    assert "4 notes · 1 pain point\n" in summary.text

    # free notes in four languages
    for text in (
        "checkout keeps failing when they pay by card",
        "klienci porzucaja koszyk bo platnosc BLIKiem nie dziala",
        "Клієнти скаржаться, що Нова Пошта везе торт три дні",
        "Клиентите питат дали има доставка с Еконт",
    ):
        ack = (await anna.says(f"/note {text}"))[-1]
        assert "📌" in ack.text
        # an unsure note offers its likeliest choices first, then the usual buttons
        assert ack.button_texts[-4:] == ["Change stage", "Change kind", "Change channels", "Undo"]

    journey = list_maps(bot.db, ANNA.id)[0][0]
    notes = list_notes(bot.db, ANNA.id, journey.id)
    assert [n.source for n in notes] == ["guided"] * 4 + ["typed"] * 4
    assert {n.lang for n in notes[4:]} >= {"en", "pl"}

    # correct the stage of the last note with buttons, then undo the one before
    last_ack = anna.emu.bot_messages(ANNA.id)[-1]
    change_stage = next(b["callback_data"] for row in last_ack.buttons for b in row
                        if b["callback_data"].startswith("nb:stage:"))
    await anna.presses_data(last_ack.message_id, change_stage)
    await anna.presses("Pick-up", anna.message(last_ack.message_id))
    corrected = anna.message(last_ack.message_id)
    assert corrected.text.startswith("📌 #8 · Pick-up")
    pickup = journey.stages[0]
    assert list_notes(bot.db, ANNA.id, journey.id)[-1].stage_id == pickup.id
    correction = bot.db.execute("SELECT field, new_value, user_id FROM corrections").fetchall()
    assert correction == [("stage", None, ANNA.id)]

    undo_target = anna.emu.bot_messages(ANNA.id)[-2]
    await anna.presses("Undo", undo_target)
    assert "removed" in anna.message(undo_target.message_id).text
    remaining = list_notes(bot.db, ANNA.id, journey.id)
    assert len(remaining) == 7
    assert all("Нова Пошта" not in n.text for n in remaining)

    picture, *texts = await anna.says("/map")
    assert picture.method == "sendPhoto" and picture.document.startswith(b"\x89PNG")
    shown = "\n".join(m.text for m in texts)
    assert shown.index("Pick-up") < shown.index("Discovery")
    assert "nobody finds us on Google Maps" in shown
    assert "⚠️ Pain points" in shown and "📍 Touchpoints" in shown


async def test_long_map_is_split_without_cutting_a_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("Big map")
    long_note = "the customer waits " + "and waits " * 40
    for i in range(14):
        await anna.answers(f"note-{i:02d}: {long_note}")
    messages = await anna.says("/map text")
    assert len(messages) > 1
    assert all(len(m.text) <= 4096 for m in messages)
    for i in range(14):
        assert sum(f"note-{i:02d}: the customer waits" in m.text for m in messages) == 1


async def test_two_people_in_a_group_build_one_map_without_mixing_answers(bot):
    anna = Person(bot, TEAM, ANNA, title="Cake shop")
    bogdan = Person(bot, TEAM, BOGDAN, title="Cake shop")
    await anna.starts_map("Wedding cakes")
    # Bogdan runs /note meanwhile, in the same chat
    asked = (await bogdan.says("/note"))[-1]
    assert "What did you learn" in asked.text
    await anna.says("Instagram", reply_to=anna.latest_with_buttons().message_id)
    await bogdan.says("people ask about gluten-free cakes", reply_to=asked.message_id)
    await anna.says("word of mouth", reply_to=anna.latest_with_buttons().message_id)

    journey = list_maps(bot.db, TEAM)[0][0]
    notes = list_notes(bot.db, TEAM, journey.id)
    by_author = {(n.author_name, n.text, n.source) for n in notes}
    assert by_author == {
        ("Anna", "Instagram", "guided"),
        ("Anna", "word of mouth", "guided"),
        ("Bogdan", "people ask about gluten-free cakes", "typed"),
    }
    anna_notes = [n for n in notes if n.author_name == "Anna"]
    assert [n.kind for n in anna_notes] == ["touchpoint", "action"]
    shown = "\n".join(m.text for m in await anna.says("/map text"))
    assert "— Bogdan" in shown and "— Anna" in shown


async def test_a_copied_button_from_another_chat_is_refused_and_changes_nothing(bot):
    anna = Person(bot, ANNA.id, ANNA)
    ack = (await anna.says("/note delivery was late again"))[-1]
    journey = list_maps(bot.db, ANNA.id)[0][0]
    before = list_notes(bot.db, ANNA.id, journey.id)

    mallory = Person(bot, OUTSIDER.id, OUTSIDER)
    await mallory.says("/start")
    undo = button_data(ack, "Undo")
    await mallory.presses_data(ack.message_id, undo, force=True)
    assert mallory.last_answer()["text"].startswith("I can't find that")
    stage_data = f"nb:setstage:{before[0].id}:{journey.stages[0].id}"
    await mallory.presses_data(ack.message_id, stage_data, force=True)
    await mallory.presses_data(ack.message_id, f"maps:use:{journey.id}", force=True)
    await mallory.presses_data(ack.message_id, f"dm:yes:{journey.id}", force=True)
    assert list_notes(bot.db, ANNA.id, journey.id) == before
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    assert list_maps(bot.db, OUTSIDER.id) == []


async def test_only_admins_delete_a_group_map(bot):
    anna = Person(bot, TEAM, ANNA, title="Cake shop")
    chiara = Person(bot, TEAM, CHIARA, title="Cake shop")
    await anna.starts_map("Catering")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    bot.emu.set_member_status(TEAM, CHIARA.id, "member")
    refused = (await chiara.says("/deletemap"))[-1]
    assert "administrators" in refused.text
    confirm = (await anna.says("/deletemap"))[-1]
    await chiara.presses("Yes, delete", confirm)
    assert "Only the person who asked" in chiara.last_answer()["text"]
    assert len(list_maps(bot.db, TEAM)) == 1
    await anna.presses("Yes, delete", confirm)
    assert list_maps(bot.db, TEAM) == []


async def test_maps_switch_rename_and_delete_a_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("First", finish=True)
    await anna.starts_map("Second", finish=True)
    listing = (await anna.says("/maps"))[-1]
    assert "▶️ Second" in listing.text
    await anna.presses("First", listing)
    assert "Active map: “First”" in anna.message(listing.message_id).text
    await anna.says("/rename First, renamed")
    ack = (await anna.says("/note the parking is always full"))[-1]
    # the first note of this map; with two maps the acknowledgement says which map it is on
    assert ack.text.startswith("🗺 First, renamed\n📌 #1 ·")
    confirm = (await anna.says("/delete 1"))[-1]
    # after the switch the question names the map the number belongs to
    assert "Delete note #1 of “First, renamed”?" in confirm.text
    await anna.presses("Yes, delete", confirm)
    assert "Note #1 of “First, renamed” deleted" in anna.message(confirm.message_id).text
    assert "Note #1 of “First, renamed” was deleted" in (await anna.says("/delete 1"))[-1].text
    names = [m.name for m, _ in list_maps(bot.db, ANNA.id)]
    assert names == ["First, renamed", "Second"]


async def test_a_note_typed_on_the_line_after_note_keeps_its_first_word(bot):
    """On a phone: "/note", a new line, then the note. The first word used to be cut off."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("Cakes", finish=True)
    ack = (await anna.says("/note\nCourier was two days late, the cake melted"))[-1]
    assert ack.text.startswith("📌 #1 ·")
    journey = bot.db.execute("SELECT id FROM maps WHERE chat_id = ?", [ANNA.id]).fetchone()[0]
    (note,) = list_notes(bot.db, ANNA.id, journey)
    assert note.text == "Courier was two days late, the cake melted"
