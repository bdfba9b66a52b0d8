"""Second-day defects, end to end: the real Application against the Bot API emulator, on a
database that already has a history."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.texts import t
from storage.chats import remember_chat, remember_user, set_active_map
from storage.db import utcnow
from storage.items import set_owner_and_due
from storage.maps import create_map, delete_map
from storage.notes import add_note, correct_note, delete_note
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

OLA = User(702, "Ola", language_code="pl")


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def note_rows(bot, chat_id: int) -> list[tuple[int, str]]:
    return bot.db.execute(
        "SELECT number, text FROM notes WHERE chat_id = ? ORDER BY number", [chat_id]
    ).fetchall()


async def test_an_edit_typed_after_its_note_was_deleted_is_kept_as_a_new_note(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("kurier spóźnił się dwie godziny")
    await ola.says("strona sklepu nie działa na telefonie")
    card = (await ola.says("/note 1"))[-1]
    await ola.presses("Zmień tekst", card)
    # meanwhile the note is deleted elsewhere (another member, the board…)
    note_id = bot.db.execute("SELECT id FROM notes WHERE number = 1").fetchone()[0]
    assert delete_note(bot.db, OLA.id, note_id)
    typed = "kurier spóźnił się trzy godziny i nie zadzwonił"
    replies = await ola.says(typed)
    map_name = t("pl", "note.default_map_name")
    assert replies[0].text == t("pl", "note.edit_target_gone", number=1, name=map_name)
    assert replies[-1].text.startswith("📌 #3 ·") and "Cofnij" in replies[-1].button_texts
    assert note_rows(bot, OLA.id) == [(2, "strona sklepu nie działa na telefonie"), (3, typed)]
    # Undo under it takes it back, as under any new note
    await ola.presses("Cofnij", replies[-1])
    assert note_rows(bot, OLA.id) == [(2, "strona sklepu nie działa na telefonie")]


async def test_a_due_date_typed_after_the_note_became_another_kind_is_refused(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("płatność kartą nie działa na telefonie")
    note_id = bot.db.execute("SELECT id FROM notes WHERE number = 1").fetchone()[0]
    correct_note(bot.db, OLA.id, note_id, OLA.id, kind="pain_point")
    card = (await ola.says("/note 1"))[-1]
    await ola.presses("Termin", card)
    asked = await ola.presses("Wybierz datę", ola.message(card.message_id))
    assert asked[-1].text == t("pl", "item.ask_date", number=1)
    # meanwhile someone makes it an emotion (another member, the board…)
    correct_note(bot.db, OLA.id, note_id, OLA.id, kind="emotion")
    replies = await ola.says("jutro")
    kind = t("pl", "kind.emotion").lower()
    assert [m.text for m in replies] == [t("pl", "item.not_item", number=1, kind=kind)]
    assert bot.db.execute("SELECT due_on, remind_at FROM notes").fetchall() == [(None, None)]
    # the question is over: the next message is a note again
    await ola.says("kurier nie zadzwonił przed dostawą")
    assert len(note_rows(bot, OLA.id)) == 2


ANNA = User(701, "Anna", language_code="en")


def seed_pain_points(bot, chat_id: int, author: int, *texts: str, name: str = "Cake orders"):
    """A new map `name`, made the active one, with `texts` as its purchase pain points."""
    journey = create_map(bot.db, chat_id, name, None, author,
                         [(key, None) for key in STAGE_KEYS])
    set_active_map(bot.db, chat_id, journey.id)
    stage = journey.stage_for_key("purchase")
    for text in texts:
        draft = NoteDraft(text=text, lang="en", kind="pain_point", stage_key="purchase")
        add_note(bot.db, chat_id, journey.id, stage.id, draft, author)
    return journey


async def test_the_review_counts_only_what_it_walks_and_what_it_did(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails", "basket empties",
                     "no delivery slots")
    first = (await anna.says("/review"))[-1]
    assert "Pain point 1 of 3" in first.text and "card payment fails" in first.text
    second = (await anna.presses("Resolved", first))[-1]
    assert "Pain point 2 of 3" in second.text and "basket empties" in second.text
    # meanwhile #3 is resolved outside the review, from its card
    card = (await anna.says("/note 3"))[-1]
    await anna.presses("Resolved", card)
    again = await anna.says("/review")
    assert again[0].text == t("en", "review.already_running")
    assert "Pain point 2 of 2" in again[-1].text and "basket empties" in again[-1].text
    ask = (await anna.presses("Still open", again[-1]))[-1]
    summary = (await anna.presses("Finish review", ask))[-1]
    # the review resolved one and kept one open; #3 was resolved elsewhere, not by it
    assert "Resolved: 1 · still open: 1" in summary.text
    history = (await anna.says("/history"))
    assert any("✅ resolved: 1 · ⏳ still open: 1" in m.text for m in history if m.text)
    assert bot.db.execute(
        "SELECT number, status FROM notes ORDER BY number").fetchall() == [
        (1, "resolved"), (2, "open"), (3, "resolved")]


async def test_todo_names_the_dated_items_nobody_owns_that_insights_counts(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/help")
    seed_pain_points(bot, OLA.id, OLA.id, "kurier spóźnił się dwie godziny")
    card = (await ola.says("/note 1"))[-1]
    await ola.presses("Termin", card)
    await ola.presses("W tym tygodniu", ola.message(card.message_id))
    insights = " ".join(m.text or "" for m in await ola.says("/insights"))
    assert "1 otwarte zadanie" in insights  # counted as an open item…
    todo = (await ola.says("/todo"))[-1].text
    assert todo.startswith(t("pl", "todo.none").split(" 🎉")[0])  # …nobody's…
    assert "bez właściciela: #1 kurier spóźnił się dwie godziny" in todo  # …and said so
    await ola.presses("Biorę to", (await ola.says("/note 1"))[-1])
    todo = (await ola.says("/todo"))[-1].text
    assert "#1" in todo and "bez właściciela" not in todo


async def test_the_review_summary_and_history_agree_after_a_note_changed_kind(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails", "basket empties")
    first = (await anna.says("/review"))[-1]
    second = (await anna.presses("Resolved", first))[-1]
    ask = (await anna.presses("Still open", second))[-1]
    # before Finish, someone decides #1 was an emotion, not a pain point
    note_id = bot.db.execute("SELECT id FROM notes WHERE number = 1").fetchone()[0]
    correct_note(bot.db, ANNA.id, note_id, ANNA.id, kind="emotion")
    summary = (await anna.presses("Finish review", ask))[-1]
    assert "Resolved: 0 · still open: 1" in summary.text
    history = " ".join(m.text or "" for m in await anna.says("/history"))
    assert "✅ resolved: 0 · ⏳ still open: 1" in history


async def test_an_idea_typed_after_the_map_was_deleted_is_kept_as_a_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails")
    card = (await anna.says("/review"))[-1]
    await anna.presses("Add an idea", card)
    # meanwhile the map is deleted (by an administrator, elsewhere)
    map_id = bot.db.execute("SELECT id FROM maps").fetchone()[0]
    assert delete_map(bot.db, ANNA.id, map_id)
    replies = await anna.says("offer BLIK and Apple Pay at checkout")
    new_map = bot.db.execute("SELECT name FROM maps").fetchone()[0]
    assert replies[0].text == t("en", "review.idea_map_gone", old="Cake orders", name=new_map)
    assert note_rows(bot, ANNA.id) == [(1, "offer BLIK and Apple Pay at checkout")]


def note_maps(bot, chat_id: int) -> list[tuple[int, str, str]]:
    return bot.db.execute(
        "SELECT notes.number, notes.text, maps.name FROM notes JOIN maps ON maps.id = notes.map_id"
        " WHERE notes.chat_id = ? ORDER BY notes.number", [chat_id]
    ).fetchall()


async def test_an_edit_kept_after_a_map_switch_goes_to_the_note_s_map(bot):
    """Ola edits #1 of "Cake orders"; meanwhile the team opens another map and #1 is deleted:
    her text is kept as a new note of "Cake orders", where she was working, not the new map."""
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/help")
    seed_pain_points(bot, OLA.id, OLA.id, "kurier spóźnił się dwie godziny")
    card = (await ola.says("/note 1"))[-1]
    await ola.presses("Zmień tekst", card)
    seed_pain_points(bot, OLA.id, OLA.id, name="Catering")  # the team opens another map
    note_id = bot.db.execute("SELECT id FROM notes WHERE number = 1").fetchone()[0]
    assert delete_note(bot.db, OLA.id, note_id)
    typed = "kurier spóźnił się trzy godziny i nie zadzwonił"
    replies = await ola.says(typed)
    assert replies[0].text == t("pl", "note.edit_target_gone", number=1, name="Cake orders")
    assert note_maps(bot, OLA.id) == [(2, typed, "Cake orders")]


async def test_an_idea_from_a_review_card_goes_to_the_reviewed_map_after_a_switch(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails")
    card = (await anna.says("/review"))[-1]
    await anna.presses("Add an idea", card)
    seed_pain_points(bot, ANNA.id, ANNA.id, name="Catering")  # the team opens another map
    await anna.says("offer BLIK and Apple Pay at checkout")
    assert note_maps(bot, ANNA.id) == [
        (1, "card payment fails", "Cake orders"),
        (2, "offer BLIK and Apple Pay at checkout", "Cake orders")]


async def test_todo_names_the_maps_of_unowned_items_from_several_maps(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    cakes = seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails")
    seed_pain_points(bot, ANNA.id, ANNA.id, "no invoice for companies", name="Catering")
    set_active_map(bot.db, ANNA.id, cakes.id)  # the team went back to "Cake orders"
    for note_id, in bot.db.execute("SELECT id FROM notes").fetchall():
        set_owner_and_due(bot.db, ANNA.id, note_id, due_on=date(2030, 1, 7), now=utcnow())
    todo = (await anna.says("/todo"))[-1].text
    assert "#1 card payment fails — Cake orders" in todo
    assert "#1 no invoice for companies — Catering" in todo  # numbers are per map
    # /assign N takes the active map's #N: the hint says which map that is
    assert "/assign N takes one of the active map, “Cake orders”" in todo



async def test_a_group_list_of_notes_from_two_maps_names_each_note_s_map(bot):
    """Notes sent around a map switch share one combined list; numbers are per map, so the
    list says which map each "#1" is on (it did not)."""
    group = -5301
    remember_chat(bot.db, group, "group", "Bakery", "en")
    remember_user(bot.db, ANNA.id, "Anna", None, "en")
    seed_pain_points(bot, group, ANNA.id, "the courier was two hours late")
    first_list = bot.app.bot_data["group_acks"]._render(bot.app, group, [1])[0]
    assert "#1 Anna: the courier was two hours late — Purchase · Pain point" in first_list
    seed_pain_points(bot, group, ANNA.id, "no invoice for companies", name="Catering")
    ids = [row[0] for row in bot.db.execute("SELECT id FROM notes ORDER BY id")]
    text = bot.app.bot_data["group_acks"]._render(bot.app, group, ids)[0]
    assert "#1 Anna: the courier was two hours late — Cake orders · Purchase" in text
    assert "#1 Anna: no invoice for companies — Catering · Purchase · Pain point" in text


def notes_by_map(bot, chat_id: int) -> list[tuple[str, int, str, str | None]]:
    """(map, number, text, status) of every note of the chat."""
    return bot.db.execute(
        "SELECT maps.name, notes.number, notes.text, notes.status FROM notes"
        " JOIN maps ON maps.id = notes.map_id WHERE notes.chat_id = ?"
        " ORDER BY maps.id, notes.number", [chat_id]
    ).fetchall()


@pytest.mark.parametrize("who", [ANNA, OLA], ids=["en", "pl"])
async def test_acknowledgements_name_the_map_once_the_chat_has_several(bot, who):
    """Numbers are per map: after /newmap or a switch, "📌 #1" alone does not say where the
    note went. With one map the acknowledgement stays one line; with several it is headed by
    the map's name — in the first acknowledgement after the switch and in every later one."""
    person = Person(bot, who.id, who)
    await person.says("/help")
    seed_pain_points(bot, who.id, who.id, "card payment fails", "basket empties")
    note_id = bot.db.execute("SELECT id FROM notes WHERE number = 2").fetchone()[0]
    assert delete_note(bot.db, who.id, note_id)  # history: a deleted note
    alone = (await person.says("the courier was two hours late"))[-1]
    assert alone.text.startswith("📌 #3 ·")  # one map: nothing to tell apart
    seed_pain_points(bot, who.id, who.id, "no invoice for companies", name="Catering")
    after_new = (await person.says("the caterer forgot the vegan menu"))[-1]
    assert after_new.text.startswith("🗺 Catering\n📌 #2 ·")
    listing = (await person.says("/maps"))[-1]
    await person.presses("Cake orders", listing)
    after_switch = (await person.says("the parking is always full"))[-1]
    assert after_switch.text.startswith("🗺 Cake orders\n📌 #4 ·")
    card = (await person.says("/note 1"))[-1]
    assert card.text.startswith("🗺 Cake orders\n📌 #1 ·") and "card payment fails" in card.text
    placed = [row[:3] for row in notes_by_map(bot, who.id)]
    assert ("Catering", 2, "the caterer forgot the vegan menu") in placed
    assert ("Cake orders", 4, "the parking is always full") in placed


async def test_old_buttons_after_a_switch_a_delete_and_a_restart_act_on_their_own_note(bot):
    """Undo, Edit text, Resolved and Assign to me carry the note's id: pressed on an old message
    after the team switched to a map with a note of the same number, they change the note they
    were under — and say which map it is on —, never the active map's note of that number."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/help")
    seed_pain_points(bot, ANNA.id, ANNA.id, "card payment fails")
    ack = (await anna.says("the courier was two hours late"))[-1]  # Cake orders #2
    card = (await anna.says("/note 1"))[-1]  # Cake orders #1, a pain point
    seed_pain_points(bot, ANNA.id, ANNA.id, "no invoice for companies", "slow checkout",
                     name="Catering")  # Catering #1 and #2, now the active map
    before = notes_by_map(bot, ANNA.id)

    undone = (await anna.presses("Undo", ack))
    assert undone == [] and anna.message(ack.message_id).text == \
        "🗺 Cake orders\n↩️ Note #2 removed."
    assert notes_by_map(bot, ANNA.id) == [row for row in before if row[:2] != ("Cake orders", 2)]

    await anna.presses("Resolved", card)
    shown = anna.message(card.message_id).text
    assert shown.startswith("🗺 Cake orders\n📌 #1 ·") and "card payment fails" in shown
    assert notes_by_map(bot, ANNA.id) == [
        ("Cake orders", 1, "card payment fails", "resolved"),
        ("Catering", 1, "no invoice for companies", "open"),
        ("Catering", 2, "slow checkout", "open"),
    ]

    await bot.restart()
    await anna.presses("Reopen", anna.message(card.message_id))
    asked = (await anna.presses("Edit text", anna.message(card.message_id)))[-1]
    assert asked.text.startswith("🗺 Cake orders\nSend the new text for note #1.")
    await anna.says("card payment fails on weekends")
    assert notes_by_map(bot, ANNA.id)[0] == ("Cake orders", 1, "card payment fails on weekends",
                                             "open")
    await anna.presses("Assign to me", anna.message(card.message_id))
    picking = anna.message(card.message_id).text
    assert picking.startswith("🗺 Cake orders\n📅 When should #1")
    owners = bot.db.execute("SELECT maps.name, notes.number FROM notes JOIN maps"
                            " ON maps.id = notes.map_id WHERE owner_id IS NOT NULL").fetchall()
    assert owners == [("Cake orders", 1)]

    # the numbers typed now are the active map's, and the reply says which map that is
    assigned = (await anna.says("/assign 1 me"))[-1].text
    assert assigned.startswith("🗺 Catering\n📌 #1 no invoice for companies")
    # after a delete, the old card's buttons say the note is gone and touch nothing else
    cake = bot.db.execute("SELECT id FROM notes WHERE text LIKE 'card payment%'").fetchone()[0]
    assert delete_note(bot.db, ANNA.id, cake)
    before = notes_by_map(bot, ANNA.id)
    for label in ("No date", "Back"):
        assert await anna.presses(label, anna.message(card.message_id)) == []
        assert anna.last_answer()["text"] == t("en", "note.gone")
    assert notes_by_map(bot, ANNA.id) == before


async def test_a_group_list_of_one_map_names_it_when_the_group_has_several(bot):
    group = -5302
    remember_chat(bot.db, group, "group", "Bakery", "en")
    remember_user(bot.db, ANNA.id, "Anna", None, "en")
    seed_pain_points(bot, group, ANNA.id, "the courier was two hours late")
    acks = bot.app.bot_data["group_acks"]
    assert acks._render(bot.app, group, [1])[0].startswith("📌 Saved")  # one map: no name
    seed_pain_points(bot, group, ANNA.id, "no invoice for companies", name="Catering")
    (catering,) = bot.db.execute("SELECT id FROM notes WHERE number = 1 AND id > 1").fetchone()
    text = acks._render(bot.app, group, [catering])[0]
    assert text.startswith("🗺 <b>Catering</b>\n📌 Saved")  # the raw HTML of the list
    assert "#1 Anna: no invoice for companies — Purchase · Pain point" in text
