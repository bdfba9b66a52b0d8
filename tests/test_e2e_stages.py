"""/stages end to end: an existing map's stages renamed, added, moved and removed, on a database
with a history; what the confirmation says about a removed stage's notes holds in every view."""

from __future__ import annotations

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.texts import t
from storage.chats import remember_chat, remember_user, set_active_map
from storage.maps import create_map, get_map, stage_note_counts
from storage.notes import add_note, delete_note, list_notes
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(611, "Anna", language_code="en")
OLA = User(612, "Ola", language_code="pl")
BORYS = User(613, "Borys", language_code="pl")
TEAM = -6001


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def map_with_history(db, chat_id: int, chat_type: str, author: User, lang: str):
    """A map with notes on three stages (one deleted since) and an older second map."""
    remember_chat(db, chat_id, chat_type, "Bakery", lang)
    remember_user(db, author.id, author.first_name, None, author.language_code)
    stages = [(key, None) for key in STAGE_KEYS]
    older = create_map(db, chat_id, "Older map", None, author.id, stages)
    journey = create_map(db, chat_id, "Cake orders", None, author.id, stages)
    placed = {"awareness": 2, "decision": 3, "purchase": 1}
    for key, count in placed.items():
        stage = journey.stage_for_key(key)
        for number in range(count):
            draft = NoteDraft(text=f"{key} note {number}", lang="en", kind="pain_point",
                              stage_key=key)
            note = add_note(db, chat_id, journey.id, stage.id, draft, author.id)
    delete_note(db, chat_id, note.id)  # the purchase stage's only note: deleted yesterday
    add_note(db, chat_id, older.id, older.stages[0].id,
             NoteDraft(text="old", lang="en", kind="need", stage_key="awareness"), author.id)
    set_active_map(db, chat_id, journey.id)
    return journey


async def test_rename_add_move_and_remove_stages_of_an_existing_map(bot):
    journey = map_with_history(bot.db, ANNA.id, "private", ANNA, "en")
    anna = Person(bot, ANNA.id, ANNA)
    listing = (await anna.says("/stages"))[-1]
    assert "Stages of “Cake orders”" in listing.text
    assert "1. Awareness — 2 notes" in listing.text
    assert "3. Decision — 3 notes" in listing.text
    assert "4. Purchase — 0 notes" in listing.text  # its note was deleted

    await anna.presses("Rename")
    await anna.presses("Awareness")
    renamed = (await anna.answers("Discovery"))[-1]
    assert "“Awareness” is now called “Discovery”" in renamed.text
    assert "1. Discovery — 2 notes" in renamed.text

    await anna.presses("Add")
    added = (await anna.answers("Pick-up at the counter"))[-1]
    assert "7. Pick-up at the counter — 0 notes" in added.text

    await anna.presses("Move")
    await anna.presses("Pick-up at the counter")
    await anna.presses("Before “Discovery”")
    stages = get_map(bot.db, ANNA.id, journey.id).stages
    assert [s.name or s.key for s in stages] == [
        "Pick-up at the counter", "Discovery", "consideration", "decision", "purchase",
        "retention", "advocacy"]
    assert stages[1].key == "awareness"  # renamed, it still takes the classifier's notes

    # removing a stage with notes: the confirmation says where they go, and it is true
    await anna.presses("Remove")
    await anna.presses("Decision")
    confirm = anna.latest_with_buttons()
    assert "Remove the stage “Decision”?" in confirm.text
    assert "Its 3 notes stay on the map, under “Not sorted yet”" in confirm.text
    assert "New notes I would have put on this stage will go under “Not sorted yet”" in (
        confirm.text)
    await anna.presses("No, keep it")
    assert stage_note_counts(bot.db, ANNA.id, journey.id)[journey.stage_for_key("decision").id] == 3

    await anna.presses("Remove")
    await anna.presses("Decision")
    await anna.presses("Yes, remove")
    after = anna.latest_with_buttons()
    assert "Stage “Decision” removed. 3 notes now under “Not sorted yet”." in after.text
    assert "· Not sorted yet — 3 notes" in after.text
    assert "Decision" not in after.text.partition("removed.")[2]
    current = get_map(bot.db, ANNA.id, journey.id)
    assert len(current.stages) == 6 and current.stage_for_key("decision") is None
    notes = list_notes(bot.db, ANNA.id, journey.id)
    assert len(notes) == 5  # nothing lost
    assert sum(n.stage_id is None for n in notes) == 3

    # every view agrees: /map text lists them under "Not sorted yet", counts say 6 stages
    shown = "\n".join(m.text for m in await anna.says("/map text", timeout=60))
    assert "6 stages · 5 notes" in shown
    assert "Not sorted yet" in shown and "decision note 2" in shown
    assert "\n· Not sorted yet (3)\n" in shown  # no stage number: the map has six stages
    assert "7. Not sorted yet" not in shown
    # /insights ranks "Not sorted yet" as a row of its own: the ranking adds up to the total
    insights = (await anna.says("/insights", timeout=60))[0].text
    assert ("Where it hurts: Not sorted yet (3 open pain points, 3 notes); "
            "Discovery (2 open pain points, 2 notes)") in insights
    assert "Whole journey: 5 notes, 5 open pain points" in insights

    # (/map ended the conversation: its buttons are stale now) a stage without notes goes too
    await anna.presses_data(after.message_id, "st:pick:remove")
    assert t("en", "stale.button") in anna.last_answer().get("text", "")
    after = (await anna.says("/stages"))[-1]
    await anna.presses("Remove", after)
    await anna.presses("Purchase")
    no_notes = anna.latest_with_buttons()
    assert "It has no notes." in no_notes.text
    await anna.presses("Yes, remove", no_notes)
    await anna.presses("Done")
    final = anna.message(no_notes.message_id)  # the list, edited in place, without buttons
    assert not final.callback_data
    assert "Stages of “Cake orders”" in final.text and "5. Advocacy — 0 notes" in final.text
    assert [s.key for s in get_map(bot.db, ANNA.id, journey.id).stages] == [
        None, "awareness", "consideration", "retention", "advocacy"]
    stale = await anna.presses_data(confirm.message_id, f"st:yes:{current.stages[0].id}",
                                    force=True)
    assert stale == []
    assert t("en", "stale.button") in anna.last_answer().get("text", "")
    assert len(get_map(bot.db, ANNA.id, journey.id).stages) == 5


async def test_polish_group_members_need_everyone_edits_and_a_map_keeps_one_stage(bot):
    map_with_history(bot.db, TEAM, "group", OLA, "pl")
    bot.emu.create_chat(TEAM, chat_type="group", title="Bakery")
    bot.emu.set_member_status(TEAM, OLA.id, "administrator")
    bot.emu.set_member_status(TEAM, BORYS.id, "member")
    borys = Person(bot, TEAM, BORYS, title="Bakery")
    refused = (await borys.says("/stages"))[-1]
    assert refused.text == t("pl", "error.not_allowed")

    ola = Person(bot, TEAM, OLA, title="Bakery")
    listing = (await ola.says("/stages"))[-1]
    assert "Etapy mapy „Cake orders”" in listing.text
    assert "3. Decyzja — 3 notatki" in listing.text
    for _ in range(5):  # down to one stage
        await ola.presses("Usuń")
        first = ola.latest_with_buttons().buttons[0][0]["text"]
        await ola.presses(first)
        await ola.presses("Tak, usuń")
    last = ola.latest_with_buttons()
    assert "Jeszcze bez etapu — 5 notatek" in last.text
    await ola.presses("Usuń")
    await ola.presses(ola.latest_with_buttons().buttons[0][0]["text"])
    assert ola.last_answer()["text"] == t("pl", "newmap.need_one_stage")


def test_what_a_removal_says_about_one_note_or_many_agrees_in_number():
    unsorted = "…"
    said = {(lang, n): t(lang, "stages.remove_keeps_notes", count=n, unsorted=unsorted)
            for lang in ("en", "pl", "uk", "bg") for n in (1, 3, 5, 21)}
    assert said["en", 1].startswith("Its 1 note stays")
    assert said["en", 3].startswith("Its 3 notes stay")
    assert said["pl", 1].startswith("Jego 1 notatka zostaje")
    assert said["pl", 3].startswith("Jego 3 notatki zostają")
    assert said["pl", 5].startswith("Jego 5 notatek zostaje")
    assert said["uk", 21].startswith("Його 21 нотатка залишається")
    assert said["uk", 5].startswith("Його 5 нотаток залишаються")
    assert said["bg", 1].startswith("1 бележка от него остава")
    assert said["bg", 3].startswith("3 бележки от него остават")
