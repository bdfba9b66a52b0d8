"""When the classifier is sure (calibration), stage cues, the per-chat correction memory and
Ukrainian/Bulgarian typed in Latin letters — on the shipped pipelines."""

from __future__ import annotations

import json

import pytest

from nlp.calibration import (
    KIND_TARGET,
    STAGE_TARGET,
    Calibration,
    choose_thresholds,
    fit_temperature,
    scale,
)
from nlp.classify import CorrectionMemory, classify, classify_many, get_calibration
from nlp.cli import classify_stream
from nlp.cues import stage_cues
from nlp.langid import detect_language
from nlp.memory import similarity
from nlp.pipeline import MODEL_DIR
from nlp.training.calibrate import calibrated_rows, sure_figures, threshold_curve
from nlp.translit import to_cyrillic

needs_model = pytest.mark.skipif(
    not (MODEL_DIR / "pl" / "config.cfg").exists(), reason="no trained model in nlp/model"
)


# ---------------------------------------------------------------------------- calibration


def test_temperature_scaling_keeps_the_ranking_and_sums_to_one():
    probs = [0.6, 0.3, 0.1, 0.0]
    for temperature in (0.5, 1.0, 2.0):
        scaled = scale(probs, temperature)
        assert sum(scaled) == pytest.approx(1.0)
        assert sorted(range(4), key=scaled.__getitem__) == sorted(range(4), key=probs.__getitem__)
        assert scaled[3] == 0.0
    assert scale(probs, 2.0)[0] < 0.6 < scale(probs, 0.5)[0]


def test_fit_temperature_flattens_an_overconfident_model_and_sharpens_a_shy_one():
    # right 6 times in 10 while claiming 0.95: flatten
    overconfident = [([0.95, 0.05], 0)] * 6 + [([0.95, 0.05], 1)] * 4
    assert fit_temperature(overconfident) > 1.5
    # right every time while claiming 0.6: sharpen
    shy = [([0.6, 0.4], 0)] * 10
    assert fit_temperature(shy) < 1.0
    assert fit_temperature([]) == 1.0


def test_thresholds_keep_the_sure_notes_accurate_and_as_many_as_possible():
    # (stage prob, stage right, kind prob, kind right): the wrong stages all score 0.4
    rows = [(0.9, True, 0.9, True)] * 60 + [(0.4, False, 0.9, True)] * 20
    rows += [(0.45, True, 0.9, True)] * 20
    stage_t, kind_t = choose_thresholds(rows, stage_target=0.95, kind_target=0.9)
    assert 0.4 < stage_t <= 0.45  # the lowest that leaves the wrong ones out: most notes sure
    sure = [r for r in rows if r[0] >= stage_t and r[2] >= kind_t]
    assert len(sure) == 80
    assert choose_thresholds([(0.9, False, 0.9, False)]) == (1.01, 1.01)  # never sure


def test_a_higher_target_buys_its_margin_with_unsure_notes_only():
    # stage scores 0.50 … 0.99: wrong ones mostly low, a few high; kind always right
    rows = [(0.5 + i / 200, i % 10 != 0 if i < 60 else i % 40 != 0, 0.9, True)
            for i in range(100)]
    loose = choose_thresholds(rows, stage_target=0.95, kind_target=0.9)
    strict = choose_thresholds(rows, stage_target=0.98, kind_target=0.9)
    assert strict[0] > loose[0]
    _, loose_acc, _, loose_unsure = sure_figures(rows, *loose)
    _, strict_acc, _, strict_unsure = sure_figures(rows, *strict)
    assert 0.95 <= loose_acc < 0.98 <= strict_acc
    assert strict_unsure > loose_unsure
    lines = threshold_curve({"pl": rows}, (0.95, 0.98), (0.9, 0.9))
    assert lines[0] == "targets stage ≥ 0.95, kind ≥ 0.90:"
    assert f"sure stage {strict_acc:.3f}" in lines[4]
    assert f"unsure {strict_unsure:.1%} of 100" in lines[4]


def test_calibration_round_trips_through_json(tmp_path):
    calibration = Calibration({"pl": {"stage": 0.9, "kind": 1.1}}, 0.79, 0.53)
    calibration.save(tmp_path)
    assert Calibration.load(tmp_path) == calibration
    targeted = Calibration({}, 0.8, 0.5, {}, {"stage": 0.97, "kind": 0.92})
    targeted.save(tmp_path)
    assert Calibration.load(tmp_path) == targeted
    assert "fitted on dev for sure stage accuracy ≥ 0.97, kind ≥ 0.92" in targeted.describe()
    assert Calibration.load(tmp_path / "nowhere") == Calibration()  # no file: always sure
    assert calibration.temperature("en", "stage") == 1.0


def test_each_language_has_its_own_thresholds_and_others_use_the_pair_for_all(tmp_path):
    calibration = Calibration({"pl": {"stage": 0.9, "kind": 1.1}}, 0.79, 0.53,
                              {"pl": {"stage": 0.84, "kind": 0.5}})
    calibration.save(tmp_path)
    loaded = Calibration.load(tmp_path)
    assert loaded == calibration
    assert (loaded.threshold("pl", "stage"), loaded.threshold("pl", "kind")) == (0.84, 0.5)
    assert (loaded.threshold("bg", "stage"), loaded.threshold("bg", "kind")) == (0.79, 0.53)
    assert "pl stage ≥ 0.84, kind ≥ 0.50" in loaded.describe()


# ---------------------------------------------------------------------------- cues


def test_stage_cues_name_a_stage_in_every_language():
    cases = [
        ("pl", "Etap zakupu obejmuje faktyczną transakcję", "purchase"),
        ("pl", "Po etapie zakupu dzwonimy do klienta", "retention"),
        ("uk", "На етапі покупки клієнти часто кидають кошик", "purchase"),
        ("bg", "Етапът на покупката е най-кратък", "purchase"),
        ("en", "In the decision stage people compare prices", "decision"),
        ("pl", "Tutaj następuje zakup", None),  # no word for "stage": the model decides
        ("en", "the awareness stage and the decision stage", None),  # two stages: no cue
    ]
    for lang, text, stage in cases:
        assert stage_cues(lang).stage_named(text) == stage, text


@needs_model
def test_the_issue_example_is_purchase_and_says_whether_it_is_sure():
    result = classify("Etap zakupu obejmuje faktyczną transakcję")
    assert (result.lang, result.stage) == ("pl", "purchase")
    # what customers do at that stage; sure of both, so the bot asks nothing
    assert result.kind == "action" and result.sure
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    classify_stream(["Etap zakupu obejmuje faktyczną transakcję\n"], Sink())
    line = json.loads("".join(out))
    assert line["stage"] == "purchase" and isinstance(line["sure"], bool)


@needs_model
def test_a_named_stage_is_sure_even_when_the_other_words_point_elsewhere():
    cases = [
        ("en", "At the advocacy stage people compare our prices with the shop next door"),
        ("pl", "Na etapie polecania klienci porównują ceny z konkurencją"),
        ("uk", "На етапі рекомендації клієнти порівнюють ціни з конкурентами"),
        ("bg", "На етапа на препоръки клиентите сравняват цените с конкурентите"),
    ]
    for lang, text in cases:
        result = classify(text, lang)
        assert result.stage == "advocacy" and result.stage_sure, text


@needs_model
def test_praise_is_an_emotion_and_positive_not_a_need():
    for text, lang in [("super ze mozna zaplacic blikiem", "pl"),
                       ("great that people can now pay by phone at the till", "en"),
                       ("супер, що тепер можна розрахуватися телефоном на касі", "uk"),
                       ("супер, че вече може да се плаща с телефон на касата", "bg")]:
        result = classify(text, lang)
        assert result.kind == "emotion", text
        assert result.sentiment > 0, text


# ---------------------------------------------------------------------------- sure


@needs_model
def test_single_words_and_emoji_are_unsure_with_choices():
    for text in ("курс", "kurs", "🙂", "ok"):
        result = classify(text, fallback_lang="uk")
        assert not result.sure, text
        assert 2 <= len(result.choices("stage")) <= 3
        assert result.choices("stage")[0] == result.stage


@needs_model
def test_the_shipped_calibration_is_used_and_a_clear_note_is_sure():
    calibration = get_calibration()
    assert 0.3 <= calibration.stage_threshold <= 0.95
    for lang in ("en", "pl", "uk", "bg"):  # fitted on each language's dev notes
        assert 0.3 <= calibration.threshold(lang, "stage") <= 0.95
        assert lang in calibration.thresholds
    result = classify("klienci porzucaja koszyk bo platnosc BLIKiem nie dziala")
    assert result.sure and result.choices("stage") == result.choices("kind") == ()


@needs_model
def test_the_shipped_thresholds_keep_the_margin_on_every_languages_dev_notes():
    """Sure stage ≥ 0.97 and sure kind ≥ 0.92 on each language's dev notes (the issue's
    0.95 / 0.90 plus the margin for new text), with at most a fifth or so of them unsure."""
    calibration = get_calibration()
    assert calibration.targets == {"stage": STAGE_TARGET, "kind": KIND_TARGET}
    _, rows = calibrated_rows()
    assert set(rows) == {"en", "pl", "uk", "bg"}
    for lang, lang_rows in rows.items():
        n, stage_acc, kind_acc, unsure = sure_figures(
            lang_rows, calibration.threshold(lang, "stage"), calibration.threshold(lang, "kind"))
        assert n >= 150, lang
        assert stage_acc >= STAGE_TARGET and kind_acc >= KIND_TARGET, lang
        assert unsure <= 0.25, (lang, unsure)


# ---------------------------------------------------------------------------- memory


@needs_model
def test_memory_changes_close_notes_of_its_chat_only():
    note = "patients love the free parking validation"
    paraphrase = "our patients really love the free parking validation"
    unrelated = "the website crashes when they pay by card"
    plain = classify(paraphrase, "en")
    taught = "need" if plain.kind != "need" else "touchpoint"
    memory = CorrectionMemory()
    memory.add(note, "en", kind=taught)
    remembered = classify(paraphrase, "en", memory=memory)
    assert (remembered.kind, remembered.kind_sure, remembered.remembered) == (
        taught, True, ("kind",))
    assert remembered.stage == plain.stage  # the stage was not corrected
    assert classify(unrelated, "en", memory=memory) == classify(unrelated, "en")
    assert classify(paraphrase, "en", memory=CorrectionMemory()) == plain  # another chat
    # the same words in another language's note are not the same note
    assert classify(paraphrase, "en", memory=_memory("pl", paraphrase, taught)) == plain
    assert classify_many([paraphrase], lang="en", memory=memory)[0] == remembered


def _memory(lang: str, text: str, kind: str) -> CorrectionMemory:
    memory = CorrectionMemory()
    memory.add_signature(frozenset(text.split()), lang, kind=kind)
    return memory


def test_similarity_is_a_cosine_of_sets():
    a, b = frozenset("abcd"), frozenset("abce")
    assert similarity(a, b) == pytest.approx(0.75)
    assert similarity(a, frozenset()) == 0.0


# ---------------------------------------------------------------------------- Latin uk/bg


def test_ukrainian_and_bulgarian_typed_in_latin_letters_are_detected():
    assert detect_language("studenty kydaiut kurs na 3-mu tyzhni").lang == "uk"
    assert detect_language("klientite pitat za cenata, dostavkata e mnogo bavna").lang == "bg"
    # Polish without diacritics and English stay what they are
    assert detect_language("klienci narzekaja na dostawe").lang == "pl"
    assert detect_language("most people find us on Instagram").lang == "en"


def test_transliteration_back_to_cyrillic():
    assert to_cyrillic("studenty kydaiut kurs na 3-mu tyzhni", "uk") == (
        "студенти кидают курс на 3-му тижні")
    assert to_cyrillic("4akahme kuriera 2 4asa", "bg") == "чакахме куриера 2 часа"
    assert to_cyrillic("kurs", "pl") == "kurs"  # only uk and bg


@needs_model
def test_latin_ukrainian_is_classified_like_its_cyrillic_spelling():
    latin = classify("na etapi pokupky liudy chasto kydaiut koshyk cherez dovhu dostavku")
    cyrillic = classify("на етапі покупки люди часто кидають кошик через довгу доставку")
    assert latin.lang == cyrillic.lang == "uk"
    assert latin.stage == cyrillic.stage == "purchase"
