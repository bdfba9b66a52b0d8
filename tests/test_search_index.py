"""bot/search_index.py: a chat's waiting notes are indexed before it searches, in batches."""

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.search_index import BATCH, index_chat, keys_of_words
from storage.chats import remember_chat
from storage.maps import create_map
from storage.notes import add_note
from storage.search import notes_to_index, search_notes, search_terms


async def test_a_big_chats_waiting_notes_are_all_indexed_in_batches(db):
    remember_chat(db, 5, "private", "Ola", "pl")
    remember_chat(db, 6, "private", "Ivan", "pl")
    ours = create_map(db, 5, "Sklep", None, None, [(k, None) for k in STAGE_KEYS])
    theirs = create_map(db, 6, "Sklep", None, None, [(k, None) for k in STAGE_KEYS])
    count = 2 * BATCH + 7
    for number in range(count):
        add_note(db, 5, ours.id, None, NoteDraft(f"kurier spóźniony {number}", "pl", "need", None),
                 None)
    add_note(db, 6, theirs.id, None, NoteDraft("kurier", "pl", "need", None), None)
    assert await index_chat(db, 5) == count
    assert notes_to_index(db, chat_id=5) == [] and len(notes_to_index(db, chat_id=6)) == 1
    terms = search_terms("kurierem")
    keys = await keys_of_words(terms)
    assert search_notes(db, 5, terms, keys.__getitem__).total == count
    assert await index_chat(db, 5) == 0  # nothing waits any more
