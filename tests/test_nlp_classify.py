"""The public API on the shipped pipelines: contract, the issue's example, accuracy floors."""

from __future__ import annotations

import dataclasses

import pytest

from nlp.classify import (
    GENERIC_CHANNELS,
    KINDS,
    STAGES,
    Classification,
    classify,
    classify_many,
    warm_up,
)
from nlp.evaluate import evaluate
from nlp.pipeline import DATA_DIR, MODEL_DIR
from nlp.training.corpus import read_notes

pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "pl" / "config.cfg").exists(), reason="no trained model in nlp/model"
)


def test_the_issue_example():
    result = classify("klienci porzucaja koszyk bo platnosc BLIKiem nie dziala")
    assert result.lang == "pl"
    assert result.stage == "purchase"
    assert result.pain_point is True
    assert result.kind == "pain_point"
    assert "BLIK" in result.channels
    assert result.sentiment < 0


def test_classification_is_frozen_and_in_range():
    result = classify("Замовила через Instagram, але посилка Новою Поштою йшла тиждень")
    assert isinstance(result, Classification)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.stage = "awareness"  # type: ignore[misc]
    assert result.lang == "uk"
    assert result.stage in STAGES and result.kind in KINDS
    assert 0.0 <= result.stage_score <= 1.0 and 0.0 <= result.kind_score <= 1.0
    assert -1.0 <= result.sentiment <= 1.0
    assert result.pain_point == (result.kind == "pain_point")
    assert {"Instagram", "Nova Poshta"} <= set(result.channels)


def test_alternatives_are_sorted_and_start_with_the_answer():
    result = classify("we could send an SMS reminder the day before", lang="en")
    for key, answer, score in (("stage", result.stage, result.stage_score),
                               ("kind", result.kind, result.kind_score)):
        alternatives = result.alternatives[key]
        assert alternatives[0] == (answer, score)
        scores = [s for _, s in alternatives]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


def test_channels_are_canonical():
    result = classify("офис на Спиди или по имейл, цените са на сайта", lang="bg")
    assert result.channels[0] == "Speedy"
    assert {"email", "website"} <= set(result.channels)
    assert all(c in GENERIC_CHANNELS or not c.islower() for c in result.channels)


def test_classify_many_keeps_order_and_matches_classify():
    texts = [  # Polish in a uk chat needs its letters (without them it is read as Latin uk)
        "klienci porzucają koszyk bo płatność BLIKiem nie działa",
        "most people find us on Instagram",
        "Хората питат за цената във Viber",
        "довга доставка",
    ]
    many = classify_many(texts, fallback_lang="uk")
    assert [r.lang for r in many] == ["pl", "en", "bg", "uk"]
    for text, result in zip(texts, many, strict=True):
        assert result == classify(text, fallback_lang="uk")


def test_given_language_is_trusted():
    assert classify("super", lang="bg").lang == "bg"
    assert classify("super", lang="pl-PL").lang == "pl"


def test_bad_input():
    with pytest.raises(ValueError):
        classify("   ")
    with pytest.raises(ValueError):
        classify("hello", lang="de")


def test_warm_up_loads_everything():
    warm_up()
    warm_up(["pl"])


@pytest.fixture(scope="module")
def dev_report():
    return evaluate(read_notes(DATA_DIR / "dev"))


def test_accuracy_floors_on_dev(dev_report):
    """Floors well under the measured scores: they catch a broken model, not a worse one."""
    overall = dev_report["overall"]
    assert overall["stage_macro_f1"] >= 0.75
    assert overall["kind_macro_f1"] >= 0.75
    assert overall["pain_point"]["f1"] >= 0.7
    for lang, scores in dev_report["languages"].items():
        assert scores["stage_macro_f1"] >= 0.65, lang
        assert scores["kind_macro_f1"] >= 0.65, lang


def test_fast_extension_readers_agree_with_doc_underscore():
    from nlp.classify import get_pipeline
    from nlp.extensions import negated_of, sentiment_of

    doc = get_pipeline("en")("the card terminal is not working again 😡")
    assert doc._.journey_sentiment == sentiment_of(doc) < -0.3
    assert doc._.journey_negated == negated_of(doc) >= 1
    calm = get_pipeline("en")("they order on Tuesdays")
    assert calm._.journey_sentiment == sentiment_of(calm) == 0.0



@pytest.mark.parametrize("lang, text", [
    ("pl", "Klienci porzucają koszyk, bo płatność BLIKiem nie działa  😡"),
    ("uk", "пишуть у Viber, а посилка Новою Поштою йде 5 днів"),
])
def test_token_rows_shared_by_the_components_match_the_doc(lang, text):
    """The lemmatizer hands its token rows to the components after it; they must be the
    doc's own ORTH, NORM and SPACY, and a doc without them falls back to reading the doc."""
    from spacy.attrs import NORM, ORTH, SPACY

    from nlp.classify import get_pipeline
    from nlp.extensions import channel_names, token_rows

    nlp = get_pipeline(lang)
    doc = nlp(text)
    assert [list(row) for row in token_rows(doc)] == doc.to_array([ORTH, NORM, SPACY]).T.tolist()
    bare = nlp.make_doc(text)
    assert token_rows(bare)[0] == [token.orth for token in bare]
    assert token_rows(nlp.make_doc("")) == ([], [], [])
    # channels found from the shared rows are those of the note's own text, and the names
    # the classifier reads are the spans' labels
    channels = [span.text for span in doc.spans["channels"]]
    assert channels == (["BLIKiem"] if lang == "pl" else ["Viber", "Новою Поштою"])
    assert channel_names(doc) == [span.label_ for span in doc.spans["channels"]]
    assert channel_names(bare) == []

def test_language_detection_on_dev_notes():
    notes = read_notes(DATA_DIR / "dev")
    predictions = classify_many([n["text"] for n in notes])
    correct = sum(p.lang == n["lang"] for p, n in zip(predictions, notes, strict=True))
    assert correct / len(notes) >= 0.95


def test_label_weights_scale_a_probability_and_are_validated():
    import spacy

    from nlp.classify import get_pipeline

    textcat = get_pipeline("en").get_pipe("textcat_kind")
    shipped = dict(textcat.label_weights)
    factor = shipped["pain_point"]  # English's own factor (textcat.cfg, pain_point_weight)
    assert factor != 1.0
    note = "the card terminal keeps rejecting contactless payments"
    weighted = get_pipeline("en")(note).cats
    textcat.label_weights = {}
    try:
        plain = get_pipeline("en")(note).cats
    finally:
        textcat.label_weights = shipped
    odds = {cats["pain_point"] / cats["touchpoint"] for cats in (weighted, plain)}
    assert max(odds) / min(odds) == pytest.approx(1 / factor, rel=1e-3)
    assert sum(weighted[k] for k in KINDS) == pytest.approx(1.0, abs=1e-5)

    with pytest.raises(ValueError, match="label_weights maps labels to positive numbers"):
        spacy.blank("en").add_pipe("journey_textcat", config={"label_weights": {"need": 0}})


def test_to_dict_has_every_field_and_hands_out_copies():
    """to_dict is written out by hand: every field must be in it (a new field would otherwise
    go missing from `journeybot classify`), plus "sure", and changing it leaves the result
    alone."""
    for result in classify_many(["card payment fails on Instagram shop 😡", "ok", "Нова Пошта"]):
        as_dict = result.to_dict()
        names = {f.name for f in dataclasses.fields(result)}
        names -= {"stage_alternatives", "kind_alternatives", "remembered"}
        assert names | {"sure", "alternatives"} == set(as_dict)
        assert as_dict["sure"] == result.sure
        assert as_dict["alternatives"]["stage"] == [list(p) for p in result.stage_alternatives]
        as_dict["channels"].append("X")
        as_dict["alternatives"]["kind"][0][1] = -1.0
        assert result.to_dict() == result.to_dict() != as_dict


def test_classification_is_immutable_all_the_way_down():
    result = classify("card payment fails on Instagram shop 😡", lang="en")
    assert isinstance(result.channels, tuple)
    assert all(isinstance(pair, tuple) for pair in result.stage_alternatives)
    hash(result)  # hashable: nothing mutable inside
    result.alternatives["stage"] = ()
    assert result.alternatives["stage"] == result.stage_alternatives != ()


@pytest.mark.parametrize(
    ("lang", "brand", "word"),
    [("en", "they compare our prices with Amazon", "an amazing price"),
     ("en", "the Trustpilot invite email", "they trust us"),
     ("pl", "zamawiają przez Pyszne.pl", "pyszny tort")],
)
def test_a_brand_name_carries_no_sentiment_of_the_word_it_starts_with(lang, brand, word):
    from nlp.classify import get_pipeline
    from nlp.extensions import sentiment_of

    assert sentiment_of(get_pipeline(lang)(brand)) == 0.0
    assert sentiment_of(get_pipeline(lang)(word)) > 0.3
