"""Notes that reach the classifier in the same turn of the event loop (the notes of one
getUpdates batch, each in its own chat's handling) are classified with one `nlp.pipe` per
language and memory — and each gets exactly what it would have got alone (bot/classifier.py)."""

from __future__ import annotations

import asyncio

import pytest

import nlp.classify
from bot.classifier import chat_memory, draft_note, warm_up
from nlp.classify import classify
from storage.chats import remember_chat, remember_user
from storage.maps import create_map
from storage.notes import add_note, correct_note

NOTES = [
    ("The delivery took nine days and nobody told us", "en"),
    ("Checkout asked for my address twice", "en"),
    ("Kurier spóźnił się dwa dni", "pl"),
    ("Platnosc BLIK nie przeszla za pierwszym razem", "pl"),
    ("Не зміг знайти таблицю розмірів", "uk"),
    ("Доставката закъсня с три дни", "bg"),
    ("Loved the free samples in the parcel 😍", "en"),
    ("kurs", "pl"),  # one word: unsure, with choices
]


@pytest.fixture(autouse=True)
def classifier_loaded():
    warm_up()


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of every `classify_many` batch (the real function runs)."""
    sizes: list[int] = []
    real = nlp.classify.classify_many

    def counted(texts, **kwargs):
        texts = list(texts)
        sizes.append(len(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(nlp.classify, "classify_many", counted)
    return sizes


async def test_notes_drafted_in_one_turn_are_classified_together_as_each_alone(batches):
    drafts = await asyncio.gather(*(draft_note(text, lang) for text, lang in NOTES))
    # one batch per chat language: en (3), pl (3); uk and bg alone
    assert batches == [3, 3]
    for draft, (text, lang) in zip(drafts, NOTES, strict=True):
        alone = classify(text, fallback_lang=lang)
        assert draft.text == text
        assert (draft.lang, draft.stage_key, draft.kind) == (alone.lang, alone.stage, alone.kind)
        assert (draft.stage_score, draft.kind_score) == (alone.stage_score, alone.kind_score)
        assert (draft.sentiment, draft.channels) == (alone.sentiment, alone.channels)
        assert draft.stage_choices == alone.choices("stage")
        assert draft.kind_choices == alone.choices("kind")
    assert drafts[-1].stage_choices  # "kurs" is unsure: its choices came through the batch


async def test_notes_of_different_turns_are_not_held_for_each_other(batches):
    first = await draft_note(NOTES[0][0], "en")
    second = await draft_note(NOTES[1][0], "en")
    assert batches == []  # each alone: nobody waited for a batch to fill
    assert first.kind == classify(NOTES[0][0], fallback_lang="en").kind
    assert second.kind == classify(NOTES[1][0], fallback_lang="en").kind


async def test_a_note_that_cannot_be_classified_fails_alone(batches):
    results = await asyncio.gather(
        draft_note(NOTES[0][0], "en"),
        draft_note("   ", "en"),  # nothing to classify: classify raises
        draft_note(NOTES[1][0], "en"),
        return_exceptions=True,
    )
    assert batches == [3]  # tried together, then one by one
    assert isinstance(results[1], ValueError)
    assert results[0].kind == classify(NOTES[0][0], fallback_lang="en").kind
    assert results[2].kind == classify(NOTES[1][0], fallback_lang="en").kind


async def test_each_chat_keeps_its_own_memory_in_a_batch(db, batches):
    """A chat's corrections decide its next similar note, in a batch shared with a chat that
    corrected nothing (second-day database: the correction is from an earlier session)."""
    text = "The courier left the parcel at the wrong door"
    for chat_id in (1, 2):
        remember_user(db, chat_id, f"Person {chat_id}", None, "en")
        remember_chat(db, chat_id, "private", f"Person {chat_id}", "en")
    journey = create_map(db, 1, "Shop", None, 1, [("purchase", None), ("retention", None)])
    stored = add_note(db, 1, journey.id, None, await draft_note(text, "en"), 1)
    corrected_kind = next(k for k in ("opportunity", "emotion") if k != stored.kind)
    correct_note(db, 1, stored.id, 1, kind=corrected_kind)
    one, two = chat_memory(db, 1), chat_memory(db, 2)
    assert one is not None and two is None
    batches.clear()
    drafts = await asyncio.gather(
        draft_note(text, "en", memory=one), draft_note(text, "en", memory=two),
        draft_note(NOTES[0][0], "en", memory=two),
    )
    assert sorted(batches) == [2]  # chat 1's note alone (its memory), chat 2's two together
    assert drafts[0].kind == classify(text, fallback_lang="en", memory=one).kind == corrected_kind
    assert drafts[1].kind == classify(text, fallback_lang="en").kind == stored.kind
