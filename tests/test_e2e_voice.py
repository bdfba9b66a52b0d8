"""End to end through the Bot API emulator: the customer's voice (issue 16 §5) — forwarded
messages become customer quotes, long texts are offered as separate points, CSV/TXT files are
imported as notes."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

import pytest

from bot.classifier import classifier_ready
from bot.texts import t
from storage.notes import list_notes
from tests.emulator.emulator import origin_channel, origin_hidden_user, origin_user
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(701, "Anna", username="anna", language_code="en")
OKSANA = User(702, "Оксана", language_code="uk")
CUSTOMER = User(9001, "Marta", last_name="Kowalska")
SAID = datetime(2026, 11, 3, 14, 30, tzinfo=UTC)


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db") as bot:
        await asyncio.wait_for(classifier_ready(), 120)  # loaded once per process, in the back
        yield bot


def notes_of(bot, chat_id):
    chat = bot.db.execute("SELECT active_map_id FROM chats WHERE id = ?", [chat_id]).fetchone()
    return list_notes(bot.db, chat_id, chat[0])


async def test_a_forwarded_message_is_a_customer_quote_with_its_source_and_date(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    await anna.starts_map("Cake orders", finish=True)
    said = int(SAID.timestamp())
    ack = (await anna.forwards("The courier left my cake at the wrong door, it was ruined.",
                               origin_user(CUSTOMER, said)))[-1]
    assert ack.text.startswith("📌 #1 · ")
    assert "❝ Kept as a customer quote (Marta Kowalska, 3.11.2026)." in ack.text
    [note] = notes_of(bot, ANNA.id)
    assert (note.quote, note.quoted_from, note.said_at) == (True, "Marta Kowalska", SAID)
    assert note.author_id == ANNA.id and note.source == "forwarded"
    assert note.kind in ("pain_point", "emotion")  # classified as any note

    # a typed note next to it is the team's own words
    await anna.says("We could call before delivery")
    map_text = (await anna.says("/map text"))[-1].text
    assert ("“The courier left my cake at the wrong door, it was ruined.” "
            "(Marta Kowalska, 3.11.2026)") in map_text
    assert "• We could call before delivery" in map_text

    rows = list(csv.DictReader(io.StringIO(
        (await anna.says("/export csv"))[-1].document.decode("utf-8-sig"))))
    quote = next(row for row in rows if row["quote"])
    assert (quote["quoted_from"], quote["said_at"]) == (
        "Marta Kowalska", "2026-11-03T14:30:00+00:00")
    assert [row["quote"] for row in rows].count("") == 1
    markdown = (await anna.says("/export md"))[-1].document.decode()
    assert "“The courier left my cake at the wrong door, it was ruined.” (Marta" in markdown


async def test_forwards_from_hidden_users_and_channels_in_ukrainian(bot):
    oksana = Person(bot, OKSANA.id, OKSANA)
    await oksana.says("/start")
    said = int(SAID.timestamp())
    ack = (await oksana.forwards("Доставка Новою поштою йшла тиждень, дуже довго",
                                 origin_hidden_user("Ігор", said)))[-1]
    assert "❝ Збережено як цитату клієнта (Ігор, 3.11.2026)." in ack.text
    ack = (await oksana.forwards("Ціни на сайті не збігаються з цінами в магазині",
                                 origin_channel(-100777, "Відгуки", 12, said, signature="Адмін")))
    assert "(Відгуки · Адмін, 3.11.2026)" in ack[-1].text
    hidden, channel = notes_of(bot, OKSANA.id)
    assert hidden.quoted_from == "Ігор" and channel.quoted_from == "Відгуки · Адмін"
    map_text = (await oksana.says("/map text"))[-1].text
    assert "«Доставка Новою поштою йшла тиждень, дуже довго» (Ігор, 3.11.2026)" in map_text


async def forwards_with_caption(person, kind: str, caption: str, origin: dict) -> list:
    """`person` forwards a photo or a document with a caption from elsewhere."""
    person._fresh()
    if kind == "photo":
        person.emu.send_photo(person.chat_id, caption=caption, user=person.user,
                              chat_type=person.chat_type, forward_origin=origin)
    else:
        person.emu.send_document(person.chat_id, b"%PDF-1.4 complaint", file_name="scan.pdf",
                                 mime_type="application/pdf", caption=caption, user=person.user,
                                 chat_type=person.chat_type, forward_origin=origin)
    person.bot.expected += 1
    await person.bot.settle()
    return person._fresh()


async def test_a_forwarded_photo_or_file_with_a_caption_is_a_customer_quote(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    said = int(SAID.timestamp())
    replies = await forwards_with_caption(
        anna, "photo", "The cake arrived squashed, look at this!", origin_user(CUSTOMER, said))
    assert replies[-2].text.startswith("📌 #1 · ")
    assert "❝ Kept as a customer quote (Marta Kowalska, 3.11.2026)." in replies[-2].text
    assert "the attachment itself is not stored" in replies[-1].text
    [note] = notes_of(bot, ANNA.id)
    assert (note.text, note.quote, note.quoted_from, note.said_at, note.source) == (
        "The cake arrived squashed, look at this!", True, "Marta Kowalska", SAID, "forwarded")
    # a forwarded file with a caption: the caption, not an import of the file
    replies = await forwards_with_caption(
        anna, "document", "Invoice shows the wrong price", origin_hidden_user("Jan", said))
    assert "(Jan, 3.11.2026)" in replies[-2].text
    assert not any("Reading" in m.text for m in replies)
    assert [n.quoted_from for n in notes_of(bot, ANNA.id)] == ["Marta Kowalska", "Jan"]
    # a photo that is not forwarded, or forwarded without a caption, is still not read
    anna._fresh()
    bot.emu.send_photo(ANNA.id, caption="my own photo", user=ANNA)
    bot.expected += 1
    await bot.settle()
    assert "I can only read text" in anna._fresh()[-1].text
    replies = await forwards_with_caption(anna, "photo", "", origin_user(CUSTOMER, said))
    assert "I can only read text" in replies[-1].text
    assert len(notes_of(bot, ANNA.id)) == 2


async def test_a_forwarded_photo_with_a_caption_in_ukrainian(bot):
    oksana = Person(bot, OKSANA.id, OKSANA)
    await oksana.says("/start")
    said = int(SAID.timestamp())
    replies = await forwards_with_caption(oksana, "photo", "Торт приїхав зім'ятий, дуже прикро",
                                          origin_channel(-100777, "Відгуки", 12, said))
    assert "(Відгуки, 3.11.2026)" in replies[-2].text
    assert replies[-1].text == t("uk", "note.caption_only")
    [note] = notes_of(bot, OKSANA.id)
    assert note.quote and note.quoted_from == "Відгуки" and note.author_id == OKSANA.id
    # an emoji-only caption is refused like an emoji-only note, nothing is stored
    replies = await forwards_with_caption(oksana, "photo", "😡😡", origin_user(CUSTOMER, said))
    assert len(notes_of(bot, OKSANA.id)) == 1 and replies


async def test_a_forwarded_message_of_the_bot_itself_is_not_a_quote(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    me = User(bot.app.bot.id, "journeybot")
    ack = (await anna.forwards("Parking is hard to find", origin_user(me, 1_780_000_000)))[-1]
    assert "quote" not in ack.text
    [note] = notes_of(bot, ANNA.id)
    assert not note.quote and note.source == "typed"


OLA = User(703, "Ola", language_code="pl")
REVIEW_EN = (
    "I ordered a birthday cake on your website last Friday. The checkout asked for my address "
    "twice and then the card payment failed. The courier came two hours late and did not call. "
    "Otherwise the cake was delicious!"
)
REVIEW_PL = (
    "Zamówiłam tort przez stronę w piątek. Płatność BLIK nie przeszła za pierwszym razem. "
    "Kurier spóźnił się dwie godziny i nie zadzwonił. Tort był pyszny, dzieci zachwycone."
)


async def test_a_long_review_is_offered_as_points_and_added_all(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    replies = await anna.says(REVIEW_EN)
    ack, offer = replies[-2], replies[-1]
    assert ack.text.startswith("📌 #1 · ")
    assert offer.text.startswith("✂️ I found 4 points in note #1:")
    assert "2. The checkout asked for my address twice and then the card payment failed." in (
        offer.text)
    assert "kept as one note, #1" in offer.text
    assert offer.button_texts == ["➕ Add all 4", "☑️ Choose", "Keep as one note"]
    assert [n.text for n in notes_of(bot, ANNA.id)] == [REVIEW_EN]  # stored at once, whole

    assert await anna.presses("Add all 4", offer) == []  # the offer is edited in place
    done = anna.message(offer.message_id)
    assert done.text.startswith("✂️ Note #1 is now 4 notes: #2, #3, #4, #5.")
    assert done.callback_data == []
    notes = notes_of(bot, ANNA.id)
    assert [n.number for n in notes] == [2, 3, 4, 5]
    assert notes[1].text == (
        "The checkout asked for my address twice and then the card payment failed.")
    assert notes[1].kind == "pain_point"
    assert all(n.author_id == ANNA.id for n in notes)
    # the offer's buttons are spent: pressed again, nothing changes
    await anna.presses_data(offer.message_id, "sp:all:1:4", force=True)
    assert len(notes_of(bot, ANNA.id)) == 4


async def test_choosing_points_in_polish_replaces_the_note_with_the_ticked_ones(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    offer = (await ola.says(REVIEW_PL))[-1]
    assert offer.text.startswith("✂️ W notatce #1 widzę 4 punkty:")
    await ola.presses("Wybierz", offer)
    chooser = ola.message(offer.message_id)
    assert chooser.button_texts[:4] == ["☑ 1", "☑ 2", "☑ 3", "☑ 4"]
    await ola.presses("☑ 1", chooser)  # untick the first and the last point
    await ola.presses("☑ 4", ola.message(offer.message_id))
    chooser = ola.message(offer.message_id)
    assert chooser.button_texts[:4] == ["☐ 1", "☑ 2", "☑ 3", "☐ 4"]
    await ola.presses("Dodaj 2 punkty", chooser)
    done = ola.message(offer.message_id).text
    assert done.startswith("✂️ Z notatki #1 są teraz 2 notatki: #2, #3.")
    assert "Pominięto 2 punkty." in done
    assert [n.text for n in notes_of(bot, OLA.id)] == [
        "Płatność BLIK nie przeszła za pierwszym razem.",
        "Kurier spóźnił się dwie godziny i nie zadzwonił.",
    ]


async def test_split_points_keep_the_owner_and_due_date_in_polish(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    offer = (await ola.says(REVIEW_PL))[-1]
    bot.db.execute("UPDATE notes SET kind = 'pain_point' WHERE number = 1")  # an item
    card = (await ola.says("/note 1"))[-1]
    await ola.presses("Biorę to", card)
    choosing = ola.message(card.message_id)
    next_week = next(b for b in choosing.button_texts if b.startswith("W przyszłym tygodniu"))
    await ola.presses(next_week, choosing)
    [whole] = notes_of(bot, OLA.id)
    assert whole.owner_id == OLA.id and whole.due_on is not None

    await ola.presses("Dodaj wszystkie 4", offer)
    points = notes_of(bot, OLA.id)
    assert len(points) == 4 and all(n.author_id == OLA.id for n in points)
    items = [n for n in points if n.is_item]
    assert items, [n.kind for n in points]  # the payment and the courier are pain points
    assert all((n.owner_id, n.due_on) == (OLA.id, whole.due_on) for n in items)
    assert all((n.owner_id, n.due_on) == (None, None) for n in points if not n.is_item)
    remind = bot.db.execute(
        "SELECT count(*) FROM notes WHERE remind_at IS NOT NULL AND chat_id = ?", [OLA.id]
    ).fetchone()[0]
    assert remind == len(items)  # each item is reminded on its day, as any item
    todo = (await ola.says("/todo"))[-1].text
    assert all(f"#{n.number}" in todo for n in items) and "#1 " not in todo


async def test_a_resolved_note_splits_into_resolved_items_in_english(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    offer = (await anna.says(REVIEW_EN))[-1]
    bot.db.execute("UPDATE notes SET kind = 'pain_point' WHERE number = 1")
    card = (await anna.says("/note 1"))[-1]
    await anna.presses("Resolved", card)
    [whole] = notes_of(bot, ANNA.id)
    await anna.presses("Add all 4", offer)
    items = [n for n in notes_of(bot, ANNA.id) if n.is_item]
    assert items
    assert all((n.status, n.resolved_by, n.resolved_at) == ("resolved", ANNA.id,
                                                            whole.resolved_at) for n in items)


async def test_an_ignored_or_kept_offer_leaves_one_note_and_a_short_text_is_not_offered(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    replies = await anna.says("Delivery was late. Courier was rude.")
    assert replies[-1].text.startswith("📌 #1") and not any("✂️" in m.text for m in replies)
    offer = (await anna.says(REVIEW_EN))[-1]
    await anna.presses("Keep as one", offer)
    assert anna.message(offer.message_id).text == "Kept as one note, #2."
    assert [n.number for n in notes_of(bot, ANNA.id)] == [1, 2]
    # a note edited since the offer: its points changed, nothing is split
    offer = (await anna.says(REVIEW_EN))[-1]
    bot.db.execute("UPDATE notes SET text = 'short now' WHERE number = 3")
    await anna.presses("Add all", offer)
    assert "has changed since" in anna.last_answer()["text"]
    assert len(notes_of(bot, ANNA.id)) == 3


async def test_a_long_forwarded_quote_splits_into_quotes(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    offer = (await anna.forwards(REVIEW_EN, origin_user(CUSTOMER, int(SAID.timestamp()))))[-1]
    await anna.presses("Add all", offer)
    notes = notes_of(bot, ANNA.id)
    assert len(notes) == 4
    assert all(n.quote and n.quoted_from == "Marta Kowalska" and n.said_at == SAID for n in notes)


REVIEWS_CSV = (
    "Date;Author;Review;Stars\n"
    "03.11.2026;Marta K.;The checkout asked for my address twice;2\n"
    "04.11.2026;Jan;;5\n"  # line 3: no text
    "2026-11-05 10:00;Ola;The courier did not call before delivery;1\n"
    "06.11.2026;Piotr;\"Loved the cake,\nthe kids were happy\";5\n"  # lines 5-6: one row
    "07.11.2026;Ewa;the checkout asked for my ADDRESS twice!;2\n"  # a duplicate of line 2
    "someday;Ivan;Prices on Instagram differ from the shop;3\n"  # a date not understood
)


async def test_a_csv_document_is_imported_with_a_bad_row_and_a_duplicate(bot):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    await anna.starts_map("Cake orders", finish=True)
    await anna.says("The courier did not call before delivery.")  # already on the map
    replies = await anna.sends_document(REVIEWS_CSV.encode("utf-8-sig"), "reviews.csv")
    summary = anna.message(replies[-1].message_id)
    assert summary.edits, "the 'Reading…' message is edited into the summary"
    text = summary.text
    assert text.startswith("📥 3 notes from reviews.csv added to “Cake orders”.")
    assert "By stage: " in text and "Pain points found: " in text
    assert ("Skipped 2 duplicates (the same text is already on the map or earlier in the file)."
            in text)
    assert "Skipped 1 row without text: line 3." in text
    assert "1 date not understood (line 8); that note has no date." in text
    notes = notes_of(bot, ANNA.id)
    imported = [n for n in notes if n.source == "imported"]
    assert [n.text for n in imported] == [
        "The checkout asked for my address twice",
        "Loved the cake,\nthe kids were happy",
        "Prices on Instagram differ from the shop",
    ]
    assert [(n.quoted_from, n.said_at) for n in imported] == [
        ("Marta K.", datetime(2026, 11, 3, tzinfo=UTC)),
        ("Piotr", datetime(2026, 11, 6, tzinfo=UTC)),
        ("Ivan", None),
    ]
    assert all(n.quote and n.author_id == ANNA.id for n in imported)
    counted = sum(int(part.rsplit(" ", 1)[1]) for part in
                  text.split("By stage: ")[1].split("\n")[0].split(" · "))
    assert counted == 3  # the per-stage counts add up to what was stored
    pains = int(text.split("Pain points found: ")[1].split("\n")[0])
    assert pains == sum(1 for n in imported if n.kind == "pain_point")

    again = await anna.sends_document(REVIEWS_CSV.encode("utf-8-sig"), "reviews.csv")
    assert anna.message(again[-1].message_id).text.startswith(
        "📥 0 notes from reviews.csv added")
    assert len(notes_of(bot, ANNA.id)) == len(notes)


async def test_a_txt_document_in_ukrainian_cp1251_and_a_group_reply(bot):
    team = Person(bot, -7001, OKSANA, title="Пекарня")
    await team.says("/start")
    await team.says("/note Доставка Новою поштою йшла тиждень")
    lines = "Доставка Новою поштою йшла тиждень\n\nСайт повільно завантажується\n!!! ???\n"
    replies = await team.sends_document(lines.encode("cp1251"), "відгуки.txt", "text/plain",
                                        reply_to_bot=True)
    text = team.message(replies[-1].message_id).text
    assert text.startswith("📥 Додав 1 нотатку з файлу відгуки.txt до мапи")
    assert "Пропустив 1 дублікат" in text
    assert "Пропустив 1 рядок лише з емодзі чи знаками: рядок 4." in text


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.csv", "That file is not text."),
        ("Text;Date\nŁódź — kurier się spóźnił;01.02.2026\n".encode("utf-16-be"), "pl.csv",
         "That file is not text."),
        (b"id,rating,date\n1,5,2026-01-01\n2,4,2026-01-02\n", "scores.csv",
         "I found no text column in that file (its columns: id, rating, date)."),
        (b"\xef\xbb\xbf\n\n", "empty.csv", "That file has no rows to import."),
        (b"a,b", "data.xlsx", "I import CSV and TXT files; data.xlsx is neither."),
        ("Доставка йшла тиждень, кур'єр не подзвонив".encode("koi8_u"), "koi8.txt",
         "I can't read that file's characters."),
    ],
)
async def test_bad_files_get_a_clear_error_and_import_nothing(bot, data, name, expected):
    anna = Person(bot, ANNA.id, ANNA)
    await anna.says("/start")
    replies = await anna.sends_document(data, name)
    text = anna.message(replies[-1].message_id).text
    assert text.startswith(expected) and text.endswith("Nothing was imported.")
    assert bot.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    assert bot.db.execute("SELECT count(*) FROM maps").fetchone()[0] == 0  # none started


async def test_a_50_mb_file_is_refused_before_it_is_downloaded(bot):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    replies = await ola.sends_document(b"x" * (50 * 1024 * 1024), "duzy.csv")
    assert replies[-1].text == (
        "Ten plik jest za duży: 50 MB, przyjmuję do 20 MB. Podziel go na mniejsze pliki. "
        "Niczego nie zaimportowałem.")
    assert not bot.emu.calls("getFile")
