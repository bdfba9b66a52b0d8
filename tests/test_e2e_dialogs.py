"""Everyday use, end to end (issue 12): the real Application against the Bot API emulator and
the console, on databases that already have a history."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from bot.app import build_application
from bot.console import Screen, run_console
from bot.settings import Settings
from bot.texts import t
from storage.db import open_db
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person, button_data

ANNA = User(601, "Anna", language_code="en")
OLA = User(602, "Ola", language_code="pl")


async def console_session(db_path, lines: list[str], *, chat_id: int = 601, lang: str = "en"):
    """One console launch on `db_path`: the lines typed, the screen returned."""
    out = io.StringIO()
    settings = Settings(db_path=str(db_path), load_nlp=False)
    await run_console(
        lambda request: build_application(settings, request=request),
        chat_id=chat_id, user_name="Anna", lang=lang,
        stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out,
    )
    return out.getvalue()


def gone_notice(lang: str, label: str) -> str:
    """The console's "that button is gone" notice up to the list of the buttons open now."""
    return t(lang, "console.button_gone", label=label, choices="\0").split("\0")[0]


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


# --- item 1: update ids of the console and of Telegram never collide -------------------------


async def test_console_sessions_and_telegram_share_a_database(emu, tmp_path):
    db_path = tmp_path / "shared.db"
    for _ in range(2):  # two console launches: both answered
        out = await console_session(db_path, ["/help", "/help"])
        assert out.count("/newmap — ") == 2
    async with BotUnderTest(emu, db_path, load_nlp=False) as bot:  # Telegram's ids start at 1
        anna = Person(bot, ANNA.id, ANNA)
        assert "/newmap — " in (await anna.says("/help"))[-1].text
        assert "/newmap — " in (await anna.says("/help"))[-1].text


def note_numbers(bot) -> list[tuple[int, str]]:
    return bot.db.execute("SELECT number, text FROM notes ORDER BY id").fetchall()


def map_text(replies) -> str:
    return "\n".join(m.text for m in replies)


# --- item 2: note numbers per map, never reused; old buttons never hit another note ----------


async def test_an_old_undo_never_deletes_a_newer_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("the cake was too sweet")
    second = (await anna.says("delivery came two hours late"))[-1]
    assert second.text.startswith("📌 #2 ·")
    confirm = (await anna.says("/delete 2"))[-1]
    await anna.presses("Yes, delete", confirm)
    third = (await anna.says("nobody answers the phone"))[-1]
    assert third.text.startswith("📌 #3 ·")  # not #2 again
    await anna.presses("Undo", second)  # the acknowledgement of the deleted #2
    assert anna.last_answer()["text"] == t("en", "note.gone")
    assert note_numbers(bot) == [(1, "the cake was too sweet"), (3, "nobody answers the phone")]
    shown = map_text(await anna.says("/map text"))
    assert "nobody answers the phone #3" in shown and "#2" not in shown
    ola = Person(bot, OLA.id, OLA)  # another chat starts at 1
    assert (await ola.says("klienci czekają na kuriera"))[-1].text.startswith("📌 #1 ·")


async def test_note_number_zero_was_never_given_so_it_was_never_deleted(bot):
    """#0 is no note's number: /note 0, /delete 0 and /assign 0 say there is no such note —
    they said "Note #0 was deleted"."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("the cake was too sweet")
    no_such = t("en", "note.no_such_number", number=0, name="Our customer journey")
    for command in ("/note 0", "/delete 0", "/assign 0 tomorrow", "/delete #0"):
        assert (await anna.says(command))[-1].text == no_such, command
    assert note_numbers(bot) == [(1, "the cake was too sweet")]


# --- item 3: /note N shows any note with its buttons; /delete N asks first ------------------


async def test_any_note_can_be_corrected_edited_and_deleted(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("the cake was too sweet")
    await anna.says("delivery came two hours late")
    card = (await anna.says("/note 1"))[-1]
    assert card.text.startswith("📌 #1 ·") and "the cake was too sweet" in card.text
    assert [b for b in card.button_texts] == [
        "Change stage", "Change kind", "Change channels", "✏️ Edit text", "🗑 Delete"]
    await anna.presses("Change kind", card)
    await anna.presses("Emotion", anna.message(card.message_id))
    assert bot.db.execute("SELECT kind FROM notes WHERE number = 1").fetchone() == ("emotion",)
    assert "✏️ Edit text" in anna.message(card.message_id).button_texts  # still the card
    asked = await anna.presses("Edit text", anna.message(card.message_id))
    assert "the cake was too sweet" in asked[-1].text
    edited = await anna.says("the cake was far too sweet, they said on Instagram")
    assert edited[0].text == t("en", "note.text_edited", number=1)
    assert note_numbers(bot)[0] == (1, "the cake was far too sweet, they said on Instagram")
    assert "Instagram" in edited[-1].text.splitlines()[0]  # its channels are read again
    assert bot.db.execute("SELECT kind FROM notes WHERE number = 1").fetchone() == ("emotion",)
    confirm = await anna.presses("Delete", edited[-1])
    asked_text = anna.message(edited[-1].message_id).text
    assert confirm == [] and "Delete note #1 of “Our customer journey”?" in asked_text
    await anna.presses("No, keep it", anna.message(edited[-1].message_id))
    assert len(note_numbers(bot)) == 2
    asked = (await anna.says("/delete 1"))[-1]
    await anna.presses("Yes, delete it", asked)
    assert anna.message(asked.message_id).text == t(
        "en", "note.deleted", number=1, name="Our customer journey"
    )
    assert note_numbers(bot) == [(2, "delivery came two hours late")]
    assert (await anna.says("/note 1"))[-1].text == t(
        "en", "note.number_deleted", number=1, name="Our customer journey"
    )
    assert "no note #7 on" in (await anna.says("/delete 7"))[-1].text
    await anna.presses_data(card.message_id, f"nb:kind:{card.callback_data[0].split(':')[2]}:c")
    assert anna.last_answer()["text"] == t("en", "note.gone")


async def test_only_the_asker_confirms_a_deletion_in_a_group(bot):
    team = -4101
    anna = Person(bot, team, ANNA, title="Bakery")
    ola = Person(bot, team, OLA, title="Bakery")
    await anna.says("/note the cake was too sweet")
    asked = (await anna.says("/delete 1"))[-1]
    await ola.presses("Yes, delete it", asked)
    assert ola.last_answer()["text"] == t("en", "error.not_your_question")
    assert len(note_numbers(bot)) == 1


# --- item 8: invalid text is replaced, stored, never a crash ---------------------------------


def test_invalid_utf8_in_the_console_is_replaced_and_the_note_stored(tmp_path):
    db_path = tmp_path / "x.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(db_path), "--lang", "pl"],
        input=b"klienci \xff\xfe placa za dostawe\n/map text\n",
        capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": ""},
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    out = done.stdout.decode()
    assert "📌 #1 ·" in out and t("pl", "error.generic") not in out
    db = open_db(db_path)
    assert db.execute("SELECT text FROM notes").fetchall() == [
        ("klienci \ufffd\ufffd placa za dostawe",)
    ]
    db.close()


# --- item 9: abandoned conversations never capture later notes ------------------------------


async def test_a_command_ends_the_running_conversation(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap Cakes")
    await anna.presses("Skip")
    await anna.presses("Use these stages")
    await anna.says("/rename")
    await anna.says("/help")
    await anna.says("the waiting room music is too loud")
    assert bot.db.execute("SELECT name FROM maps").fetchall() == [("Cakes",)]
    assert note_numbers(bot) == [(1, "the waiting room music is too loud")]


async def test_an_unknown_command_keeps_the_conversation_and_asks_again(bot):
    """A typo or a command the bot does not have ("/skip" where a question says it may be
    skipped) loses nothing: it is answered as unknown and the question comes back."""
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/language pl")
    await ola.says("/newmap Torty")
    await ola.says("zabiegani rodzice")
    replies = await ola.says("/skip")
    assert replies[0].text == t("pl", "hint.unknown_command", command="/skip")
    assert replies[-1].reply_markup is not None  # the stages question, with its buttons
    await ola.presses(t("pl", "button.keep_stages"))
    assert bot.db.execute("SELECT name, persona FROM maps").fetchall() == [
        ("Torty", "zabiegani rodzice")
    ]


async def test_an_idle_conversation_expires_and_the_text_becomes_a_note(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap")
    question = (await anna.says("Cake orders"))[-1]  # the persona question, with Skip
    bot.db.execute("UPDATE dialogs SET updated_at = '2026-01-01T00:00:00+00:00'")
    replies = await anna.says("the shop is hard to find")
    assert replies[0].text == t("en", "dialog.expired", minutes=30)
    assert note_numbers(bot) == [(1, "the shop is hard to find")]
    assert bot.db.execute("SELECT name FROM maps").fetchall() == [("Our customer journey",)]
    await anna.presses("Skip", question)  # its buttons are stale now
    assert anna.last_answer()["text"] == t("en", "stale.button")


async def test_a_button_of_an_earlier_step_changes_nothing(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap Cakes")
    persona = anna.latest_with_buttons()
    stages = (await anna.presses("Skip", persona))[-1]
    await anna.presses("Use these stages", stages)
    rename = button_data(stages, "Rename")  # the stage editor's button, after the map was made
    await anna.presses_data(stages.message_id, rename, force=True)
    assert anna.last_answer()["text"] == t("en", "stale.button")


# --- items 6 and 10: /cancel says what it keeps; /language asks the question again -----------


async def test_cancel_says_truthfully_what_is_kept(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap Cakes")
    await anna.says("busy parents")
    stopped = (await anna.says("/cancel"))[-1].text
    assert stopped == t("en", "cancel.newmap_unsaved", name="Cakes")
    assert "/newmap" in (await anna.says("/maps"))[-1].text  # "No maps yet"
    await anna.starts_map("Pies")
    await anna.says("Instagram")
    assert (await anna.says("/cancel"))[-1].text == t("en", "cancel.newmap_kept", name="Pies")
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone() == (1,)


async def test_stopping_a_schedule_before_its_time_zone_is_confirmed_says_it_is_not_saved(bot):
    """A first /schedule (or /checkin) asks to confirm the time zone before it saves: stopping
    there, with /cancel or another command, says the chosen schedule was not saved."""
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("Cakes", finish=True)
    await anna.says("/schedule")
    await anna.presses("Weekly")
    assert (await anna.says("/cancel"))[-1].text == t(
        "en", "cancel.schedule_unsaved", command="/schedule")
    await anna.says("/schedule")
    await anna.presses("Pick day")
    await anna.presses("Friday")
    said = await anna.says("/map text")  # another command stops it too, and says so
    assert said[0].text == t("en", "cancel.schedule_unsaved", command="/schedule")
    assert bot.db.execute("SELECT count(*) FROM schedules").fetchone() == (0,)
    await anna.says("/schedule")
    await anna.presses("Weekly")
    await anna.presses("Yes")
    assert (await anna.says("/cancel"))[-1].text == t("en", "cancel.done")  # saved: nothing lost
    assert bot.db.execute("SELECT count(*) FROM schedules").fetchone() == (1,)


async def test_a_stopped_schedule_says_it_is_not_saved_in_polish(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/language pl")
    await ola.says("/newmap Torty")
    await ola.presses(t("pl", "button.skip"))
    await ola.presses(t("pl", "button.keep_stages"))
    await ola.says("/schedule")
    await ola.presses("Co tydzień")
    stopped = (await ola.says("/cancel"))[-1].text
    assert stopped == (
        "Przerwane. Wybrany harmonogram nie został zapisany — nic się nie zmieniło. "
        "/schedule zaczyna od nowa."
    )


async def test_changing_the_language_asks_the_current_question_again(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap Cakes")
    await anna.presses("Skip")
    picker = (await anna.says("/language"))[-1]
    again = await anna.presses("Polski", picker)
    assert again[-1].text.startswith(t("pl", "newmap.stages_intro"))
    assert t("pl", "button.keep_stages") in again[-1].button_texts
    await anna.presses(t("pl", "button.keep_stages"), again[-1])
    assert bot.db.execute("SELECT name FROM maps").fetchall() == [("Cakes",)]


# --- item 7: deleting the active map activates another --------------------------------------


async def test_deleting_the_active_map_makes_another_one_active(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("First", finish=True)
    await anna.starts_map("Second", finish=True)
    confirm = (await anna.says("/deletemap"))[-1]
    await anna.presses("Yes, delete", confirm)
    assert t("en", "deletemap.now_active", name="First") in anna.message(confirm.message_id).text
    await anna.says("the parking is always full")
    assert bot.db.execute(
        "SELECT maps.name FROM notes JOIN maps ON maps.id = notes.map_id"
    ).fetchall() == [("First",)]
    confirm = (await anna.says("/deletemap"))[-1]
    await anna.presses("Yes, delete", confirm)
    assert t("en", "deletemap.none_left") in anna.message(confirm.message_id).text


# --- item 17: emoji alone is no note ---------------------------------------------------------


async def test_emoji_only_notes_ask_for_words_and_store_nothing(bot):
    anna = Person(bot, ANNA.id, ANNA)
    assert (await anna.says("🦷"))[-1].text == t("en", "error.no_words")
    assert (await anna.says("/note 🦷 👍 !!!"))[-1].text == t("en", "error.no_words")
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    assert bot.db.execute("SELECT count(*) FROM maps").fetchone() == (0,)
    await anna.starts_map("Dentist")
    assert (await anna.says("🦷, 😬"))[-1].text == t("en", "error.no_words")
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    await anna.says("🦷, the receptionist")  # the lane question is still open
    assert note_numbers(bot) == [(1, "the receptionist")]


# --- item 21: an answer's items are stored together or not at all ---------------------------


async def test_a_lane_answer_is_stored_whole_or_not_at_all(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.starts_map("Cakes")
    bot.db.execute(  # the disk refuses the second item (a fault at the outer edge)
        "CREATE TRIGGER refuse BEFORE INSERT ON notes WHEN new.text = 'Facebook'"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    replies = await anna.says("Instagram, Facebook and TikTok")
    assert replies[-1].text == t("en", "error.database")  # the database refused: not saved
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone() == (0,)


# --- the same in the console, on a database that already has a history -----------------------


async def test_console_everyday_loop_on_a_database_with_history(tmp_path):
    db_path = tmp_path / "history.db"
    await console_session(db_path, [  # yesterday: a map, notes, a deletion, an abandoned /newmap
        "/newmap Cakes", "Skip", "Use these stages", "Finish",
        "the cake was too sweet", "delivery came two hours late",
        "/delete 2", "Yes, delete it", "/newmap", "Pies",
    ])
    db = open_db(db_path)  # a night passes: the /newmap left at its second question expires
    db.execute("UPDATE dialogs SET updated_at = '2026-01-01T00:00:00+00:00'")
    db.close()
    out = await console_session(db_path, [
        "the waiting room music is too loud",
        "/rename", "/help", "the shop is hard to find",
        "/note 1", "Edit text", "the cake was much too sweet",
        "/map text",
    ])
    assert t("en", "dialog.expired", minutes=30) in out
    db = open_db(db_path)
    assert db.execute("SELECT name FROM maps").fetchall() == [("Cakes",)]
    assert db.execute("SELECT number, text FROM notes ORDER BY id").fetchall() == [
        (1, "the cake was much too sweet"),
        (3, "the waiting room music is too loud"),
        (4, "the shop is hard to find"),
    ]
    db.close()
    assert "the shop is hard to find #4" in out and "#2" not in out


async def test_console_language_change_mid_question_and_gone_buttons(tmp_path):
    """/language in the middle of /newmap asks the current question again in Polish. "Polski"
    typed at the first lane question is that lane's answer (while a question waits for typed
    text, typed text is the answer — README; it was refused before as the language picker's
    gone button); typed once the map is finished, no question waits: the button is gone."""
    db_path = tmp_path / "x.db"
    out = await console_session(db_path, [
        "/newmap Cakes", "Skip", "/language", "Polski", "Zostaw te etapy",
        "Polski",  # the answer to "Co klient robi na tym etapie?"
        "Zakończ",
        "Polski",  # the language picker's button: gone by now, and no question waits
    ])
    assert t("pl", "newmap.stages_intro") in out
    assert t("pl", "newmap.added", count=1) in out
    assert out.count(gone_notice("pl", "🇵🇱 Polski")) == 1
    assert out.index(t("pl", "newmap.added", count=1)) < out.index(gone_notice("pl", "🇵🇱 Polski"))
    db = open_db(db_path)
    assert db.execute("SELECT name FROM maps").fetchall() == [("Cakes",)]
    assert db.execute("SELECT kind, text FROM notes").fetchall() == [("touchpoint", "Polski")]
    db.close()


def test_the_conversation_timeout_comes_from_the_environment(monkeypatch):
    from datetime import timedelta

    from bot.settings import ConfigError

    monkeypatch.setenv("JOURNEYBOT_CONVERSATION_MINUTES", "5")
    assert Settings.from_env(db_path="x.db").conversation_timeout == timedelta(minutes=5)
    monkeypatch.delenv("JOURNEYBOT_CONVERSATION_MINUTES")
    assert Settings.from_env(db_path="x.db").conversation_timeout == timedelta(minutes=30)
    for wrong in ("soon", "0", "-3"):
        monkeypatch.setenv("JOURNEYBOT_CONVERSATION_MINUTES", wrong)
        with pytest.raises(ConfigError):
            Settings.from_env(db_path="x.db")


async def test_a_button_that_opens_another_conversation_says_what_the_first_one_loses(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("the cake was too sweet")
    card = (await anna.says("/note 1"))[-1]
    await anna.says("/newmap Pies")
    replies = await anna.presses("Edit text", card)
    assert replies[0].text == t("en", "cancel.newmap_unsaved", name="Pies")
    assert "Send the new text for note #1" in replies[-1].text
    await anna.says("the cake was far too sweet")
    assert note_numbers(bot) == [(1, "the cake was far too sweet")]


async def test_text_where_a_button_is_expected_shows_the_buttons_again(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/newmap Pies")
    await anna.presses("Skip")
    replies = await anna.says("hmm")
    assert replies[0].text == t("en", "hint.use_buttons")
    assert "Your message was not saved" in replies[0].text  # it said only "use the buttons"
    assert t("en", "button.keep_stages") in replies[-1].button_texts
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone() == (0,)


async def test_console_a_button_of_an_earlier_session_or_language_is_not_a_note(tmp_path):
    """Item 11 on the second day: the label of a button from yesterday's session — or in the
    language the chat used before — typed today is said to be gone, not stored as a note."""
    db_path = tmp_path / "x.db"
    await console_session(db_path, ["the card payment fails at checkout", "/review"])
    out = await console_session(db_path, ["Zakończ przegląd", "Finish review"])
    for label in (t("pl", "button.finish_review"), t("en", "button.finish_review")):
        assert t("en", "console.button_gone_none", label=label) in out  # none open: a new day
    db = open_db(db_path)
    assert db.execute("SELECT text FROM notes").fetchall() == [
        ("the card payment fails at checkout",)
    ]
    db.close()


async def test_console_a_button_number_of_an_earlier_session_is_not_a_note(tmp_path):
    """The next day "1" (meant for yesterday's first button) presses nothing and stores
    nothing; in the same session a number of a shown button still presses it."""
    db_path = tmp_path / "x.db"
    first = await console_session(db_path, ["the card payment fails at checkout"])
    assert "[1] " in first  # the note's buttons, numbered
    out = await console_session(db_path, ["1", "/map"])
    assert t("en", "console.no_such_choice", number="1") in out
    db = open_db(db_path)
    assert db.execute("SELECT text FROM notes").fetchall() == [
        ("the card payment fails at checkout",)
    ]
    db.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
async def test_console_a_typed_label_of_a_button_still_open_presses_it(tmp_path, lang):
    """On the second day, Undo under the latest note's acknowledgement is still there after
    /note 1 showed another card: typed, it presses that Undo (Telegram would let it be
    pressed), not the card's and not a note "Undo". A label whose button is gone says which
    buttons can be pressed now."""
    db_path = tmp_path / "x.db"
    await console_session(db_path, ["the card payment fails at checkout"], lang=lang)
    undo, finish = t(lang, "button.undo"), t(lang, "button.finish_review")
    out = await console_session(db_path, ["the courier was two hours late", "/note 1", undo,
                                          finish], lang=lang)
    assert t(lang, "note.undone", number=2) in out
    db = open_db(db_path)
    assert db.execute("SELECT number, text FROM notes").fetchall() == [
        (1, "the card payment fails at checkout")]
    db.close()
    card_buttons = f"[1] {t(lang, 'button.change_stage')}, [2] {t(lang, 'button.change_kind')}"
    assert gone_notice(lang, finish) + card_buttons in out  # the card's buttons, open now


@pytest.mark.parametrize("lang", ["pl", "uk"])
async def test_console_a_typed_answer_is_never_a_press_of_an_older_cards_button(tmp_path, lang):
    """While a question waits for typed text, typed text is the answer: on the second day a
    stage renamed to the card's "📅 Termin" label is renamed (the card's button, still under
    /note 1, is not pressed), and a note's new text equal to that label is the text, even
    though the card's buttons were the last numbered ones on the screen."""
    db_path = tmp_path / "x.db"
    await console_session(db_path, ["the card payment fails at checkout"], lang=lang)
    due = t(lang, "button.due_date").split(" ", 1)[1]  # "Termin", as a person types it
    out = await console_session(db_path, [
        "/note 1", "/stages", t(lang, "button.rename_stage"), t(lang, "stage.purchase"), due,
        "/note 1", t(lang, "button.edit_text"), due,
    ], lang=lang)
    date_picker = t(lang, "item.pick_date", number=1, text="").split("<b>")[0]
    assert date_picker not in out
    db = open_db(db_path)
    assert db.execute("SELECT name FROM stages WHERE key = 'purchase'").fetchone() == (due,)
    assert db.execute("SELECT text, due_on FROM notes").fetchall() == [(due, None)]
    db.close()


def test_console_buttons_taken_away_by_an_edit_can_no_longer_be_typed():
    """edit_message_reply_markup(None) (a reminder's "Start review" once pressed) takes the
    buttons away: their labels typed are no press any more."""
    screen = Screen(out=io.StringIO(), chat={"id": 1, "type": "private"})
    sent = screen.show("sendMessage", {"chat_id": 1, "text": "Time for a review", "reply_markup": {
        "inline_keyboard": [[{"text": "▶️ Start review", "callback_data": "rv:start:1"}]]}})
    screen.show("sendMessage", {"chat_id": 1, "text": "Another message"})
    assert screen.live_button("Start review") == ("rv:start:1", sent["message_id"])
    screen.show("editMessageReplyMarkup", {"chat_id": 1, "message_id": sent["message_id"]})
    assert screen.live_button("Start review") is None
    assert "reply_markup" not in screen.messages[sent["message_id"]]
