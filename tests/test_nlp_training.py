"""Training: reproducible bytes, corrections, the corpus reader."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from nlp.classify import KINDS, STAGES
from nlp.pipeline import DATA_DIR, load_pipeline
from nlp.training.corpus import check_corpus, create_notes_corpus, read_notes
from nlp.training.train import corrections_file, train_language

SMALL = {"training.max_epochs": 3}


def small_corpus(root: Path) -> Path:
    """120 English training notes and 30 dev notes: enough to train in a few seconds."""
    for split, count in (("train", 120), ("dev", 30)):
        (root / split).mkdir(parents=True)
        lines = (DATA_DIR / split / "en.jsonl").read_text(encoding="utf8").splitlines()
        (root / split / "en.jsonl").write_text("\n".join(lines[:count]) + "\n", encoding="utf8")
    return root


def file_hashes(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_training_twice_gives_identical_files(tmp_path):
    data = small_corpus(tmp_path / "data")
    first = train_language("en", tmp_path / "one", data_dir=data, overrides=SMALL)
    second = train_language("en", tmp_path / "two", data_dir=data, overrides=SMALL)
    hashes = file_hashes(first)
    assert "textcat_stage/model" in hashes and "journey_lemmatizer/lemmas.tsv.gz" in hashes
    assert hashes == file_hashes(second)


def test_training_with_extra_notes_changes_the_model(tmp_path):
    data = small_corpus(tmp_path / "data")
    extra = tmp_path / "corrections.jsonl"
    extra.write_text(json.dumps({"text": "the parcel locker app keeps crashing", "lang": "en",
                                 "stage": "retention", "kind": "pain_point"}) + "\n")
    plain = train_language("en", tmp_path / "plain", data_dir=data, overrides=SMALL)
    corrected = train_language("en", tmp_path / "corrected", data_dir=data, extra=extra,
                               overrides=SMALL)
    assert file_hashes(plain)["textcat_stage/model"] != file_hashes(corrected)[
        "textcat_stage/model"]


def test_corrections_file_from_an_empty_database(tmp_path):
    path, count = corrections_file(tmp_path / "bot.db", tmp_path)
    assert count == 0
    assert path.read_text() == ""


def test_reader_adds_extra_notes_of_the_same_language(tmp_path):
    import spacy

    data = small_corpus(tmp_path / "data")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps({"text": "extra note", "lang": "en", "stage": "purchase", "kind": "need"})
        + "\n"
        + json.dumps({"text": "inna notatka", "lang": "pl", "stage": "purchase", "kind": "need"})
        + "\n"
    )
    corpus = create_notes_corpus(str(data), "train", "en", str(extra))
    examples = list(corpus(spacy.blank("en")))
    assert len(examples) == 121
    assert examples[-1].reference.cats["purchase"] == 1.0
    assert examples[-1].reference.cats["need"] == 1.0
    assert sum(examples[-1].reference.cats.values()) == 2.0


def test_read_notes_skips_bad_lines(tmp_path):
    path = tmp_path / "pl.jsonl"
    path.write_text(
        '{"text": "ok", "lang": "pl", "stage": "purchase", "kind": "need"}\n'
        "not json\n"
        '{"text": "bad label", "lang": "pl", "stage": "shopping", "kind": "need"}\n'
    )
    assert [n["text"] for n in read_notes(path)] == ["ok"]


def corrected_database(path: Path) -> Path:
    """A bot database where a team filed six notes about "frobnik" rewards and corrected
    each from the classifier's guess to advocacy / opportunity, plus one uncorrected note."""
    from bot.core.model import STAGE_KEYS, NoteDraft
    from storage.chats import remember_chat, remember_user
    from storage.db import open_db
    from storage.maps import create_map
    from storage.notes import add_note, correct_note

    db = open_db(path)
    remember_user(db, 7, "Ola", "ola", "en")
    remember_chat(db, -100, "group", "Bakery team", "en")
    journey = create_map(db, -100, "Cakes", None, 7, [(key, None) for key in STAGE_KEYS])
    advocacy = journey.stage_for_key("advocacy")
    texts = [
        "frobnik vouchers for every frobnik friend",
        "give frobnik cards to regulars",
        "frobnik frobnik frobnik",
        "a frobnik for each friend they bring",
        "frobnik stickers in the bag",
        "frobnik points for reviews",
        "the oven is slow on mondays",
    ]
    for text in texts:
        guess = NoteDraft(text=text, lang="en", kind="pain_point", stage_key="purchase",
                          channels=(), classified_stage="purchase", classified_kind="pain_point")
        note = add_note(db, -100, journey.id, journey.stage_for_key("purchase").id, guess, 7)
        if "frobnik" in text:
            correct_note(db, -100, note.id, 7, stage_id=advocacy.id, stage_key="advocacy",
                         kind="opportunity")
    db.close()
    return path


def test_train_with_corrections_learns_what_the_team_corrected(tmp_path):
    data = small_corpus(tmp_path / "data")
    db_path = corrected_database(tmp_path / "bot.db")
    command = [sys.executable, "-m", "bot.cli", "train", "--lang", "en", "--data", str(data),
               "--db", str(db_path)]
    plain = subprocess.run([*command, "--output", str(tmp_path / "plain")],
                           capture_output=True, text=True, check=True, timeout=300)
    assert "corrected notes" not in plain.stderr
    corrected = subprocess.run(
        [*command, "--output", str(tmp_path / "corrected"), "--with-corrections"],
        capture_output=True, text=True, check=True, timeout=300,
    )
    assert "6 corrected notes added to the training data" in corrected.stderr

    note = "frobnik vouchers"  # the corrected notes' word, in a note none of them was
    before = load_pipeline("en", tmp_path / "plain")(note).cats
    after = load_pipeline("en", tmp_path / "corrected")(note).cats
    assert max(KINDS, key=before.get) != "opportunity"
    assert max(STAGES, key=after.get) == "advocacy"
    assert max(KINDS, key=after.get) == "opportunity"


def test_shipped_corpus_passes_its_check():
    assert check_corpus(DATA_DIR) == []


def test_corpus_check_finds_each_kind_of_problem(tmp_path):
    def write(split, notes, extra_lines=()):
        (tmp_path / split).mkdir(exist_ok=True)
        lines = [json.dumps({"lang": "en", **note}) for note in notes] + list(extra_lines)
        (tmp_path / split / "en.jsonl").write_text("\n".join(lines) + "\n")

    balanced = [
        {"text": f"note number {i} about {stage} and {kind}", "stage": stage, "kind": kind}
        for i, (stage, kind) in enumerate(zip(STAGES, KINDS, strict=True))
    ]
    write("dev", [*balanced[:5], {"text": "the courier left the parcel at the wrong door",
                                  "stage": "advocacy", "kind": "action"}])
    write("test", balanced)
    write(
        "train",
        [*balanced, {"text": "the courier left our parcel at the wrong door", "stage":
                     "retention", "kind": "pain_point"}],
        ['{"text": "broken', '{"text": "x", "lang": "en", "stage": "buying", "kind": "need"}'],
    )
    (tmp_path / "blind2").mkdir()
    (tmp_path / "blind2" / "en.jsonl").write_text(json.dumps(
        {"text": "the card payment fails on every iphone we tried", "lang": "en",
         "stage": "purchase", "kind": "pain_point"}) + "\n")
    (tmp_path / "dev" / "sentiment").mkdir()
    (tmp_path / "dev" / "sentiment" / "en.jsonl").write_text(json.dumps(
        {"text": balanced[0]["text"], "lang": "en", "sentiment": "neutral"}) + "\n")
    (tmp_path / "train" / "en.jsonl").open("a").write(json.dumps(
        {"text": "card payment fails on every iphone we tried", "lang": "en",
         "stage": "purchase", "kind": "pain_point"}) + "\n")
    problems = "\n".join(check_corpus(tmp_path))
    assert "train/en.jsonl:10: nearly repeats blind2/en.jsonl:1" in problems
    assert "train/en.jsonl:1: same text as dev/sentiment/en.jsonl:1" in problems
    assert "train/en.jsonl:8: not JSON" in problems
    assert "train/en.jsonl:9: bad label buying/need" in problems
    assert "same text as" in problems  # the balanced notes are in all three splits
    assert "train/en.jsonl:7: nearly repeats dev/en.jsonl:6" in problems
    assert "train/en: kind pain_point is 38% of the notes" in problems


def test_lemma_table_round_trip_keeps_the_folded_index(tmp_path):
    """The saved table carries its folded index (so loading need not rebuild it); a table
    saved without one, as before, still loads and rebuilds the same index."""
    import gzip

    import spacy

    from nlp.components import JourneyLemmatizer

    def lemmatizer() -> JourneyLemmatizer:
        return JourneyLemmatizer(spacy.blank("pl").vocab, "lemmatizer", lang="pl")

    source = lemmatizer()
    source.set_table({"płatności": "płatność", "płatność": "płatność", "koszyk": "koszyk",
                      "żółty": "żółty"})
    assert source._folded == {"platnosci": "płatność", "platnosc": "płatność", "zolty": "żółty"}
    saved = source.to_bytes()
    loaded = lemmatizer().from_bytes(saved)
    assert (loaded.table, loaded._folded) == (source.table, source._folded)
    assert loaded.to_bytes() == saved
    assert loaded.lemma("platnosci") == "płatność"

    old_format = "\n".join(f"{form}\t{lemma}" for form, lemma in source.table.items())
    legacy = lemmatizer().from_bytes(gzip.compress(old_format.encode("utf8")))
    assert (legacy.table, legacy._folded) == (source.table, source._folded)
    assert lemmatizer().from_bytes(lemmatizer().to_bytes()).table == {}


def _team_corrects(db_path: Path, notes: list[dict], stage: str | None, kind: str | None) -> None:
    """The notes typed in a chat and corrected with the bot's buttons (the storage calls the
    buttons make); stage/kind None: the note's own label."""
    from bot.core.model import STAGE_KEYS, NoteDraft
    from storage.chats import remember_chat
    from storage.db import open_db
    from storage.maps import create_map
    from storage.notes import add_note, correct_note

    db = open_db(db_path)
    remember_chat(db, 1, "private", "Ann", "en")
    journey = create_map(db, 1, "Cakes", None, None, [(key, None) for key in STAGE_KEYS])
    others = {"stage": dict(zip(STAGES, STAGES[1:] + STAGES[:1], strict=True)),
              "kind": dict(zip(KINDS, KINDS[1:] + KINDS[:1], strict=True))}
    for row in notes:
        typed_stage = others["stage"][row["stage"]]  # what the classifier had said: wrong
        draft = NoteDraft(text=row["text"], lang="en", kind=others["kind"][row["kind"]],
                          stage_key=typed_stage)
        note = add_note(db, 1, journey.id, journey.stage_for_key(typed_stage).id, draft, None)
        final = journey.stage_for_key(stage or row["stage"])
        correct_note(db, 1, note.id, None, stage_id=final.id, stage_key=final.key,
                     kind=kind or row["kind"])
    db.close()


def test_with_corrections_a_new_model_is_kept_only_if_not_worse_on_dev(tmp_path):
    from nlp.training.train import train_all

    data = small_corpus(tmp_path / "data")
    models = tmp_path / "models"
    logs: list[str] = []
    train_all(["en"], models, data_dir=data, overrides=SMALL, log=logs.append)
    assert (models / "calibration.json").exists()
    before = file_hashes(models)

    # a team that put 80 notes on Advocacy · Action whatever they said: worse on dev, refused
    wrong = read_notes(DATA_DIR / "train" / "en.jsonl")[200:280]
    _team_corrects(tmp_path / "wrong.db", wrong, "advocacy", "action")
    logs.clear()
    written = train_all(["en"], models, data_dir=data, db_path=tmp_path / "wrong.db",
                        with_corrections=True, overrides=SMALL, log=logs.append)
    assert logs[0] == "80 corrected notes added to the training data"
    assert written == [] and any("NOT kept" in line for line in logs)
    assert file_hashes(models) == before

    # a team whose corrections are right (here: dev's own labels): kept, recalibrated
    _team_corrects(tmp_path / "right.db", read_notes(data / "dev" / "en.jsonl"), None, None)
    logs.clear()
    written = train_all(["en"], models, data_dir=data, db_path=tmp_path / "right.db",
                        with_corrections=True, overrides=SMALL, log=logs.append)
    assert written == [models / "en"] and any("kept the new model" in line for line in logs)
    assert file_hashes(models)["en/textcat_stage/model"] != before["en/textcat_stage/model"]


def test_seeds_are_averaged_into_one_model_reproducibly(tmp_path):
    import numpy
    import spacy

    data = small_corpus(tmp_path / "data")
    runs = [train_language("en", tmp_path / f"seed{seed}", data_dir=data,
                           overrides={**SMALL, "system.seed": seed}) for seed in (1, 2)]
    both = {**SMALL, "journeybot.seeds": [1, 2]}
    averaged = train_language("en", tmp_path / "averaged", data_dir=data, overrides=both)
    again = train_language("en", tmp_path / "again", data_dir=data, overrides=both)
    assert file_hashes(averaged) == file_hashes(again)
    models = [spacy.load(path).get_pipe("textcat_kind").model for path in (*runs, averaged)]
    first, second, mean = (model.get_param("W") for model in models)
    assert not numpy.allclose(first, second)  # the seeds do differ
    assert numpy.allclose(mean, (first + second) / 2)
    assert load_pipeline("en", tmp_path / "averaged")("courier was late again").cats


def test_each_language_gets_its_pain_point_weight_from_the_config(tmp_path):
    from spacy.util import load_config

    from nlp.pipeline import CONFIG_PATH

    weights = load_config(CONFIG_PATH, interpolate=False)["journeybot"]["pain_point_weight"]
    assert set(weights) == {"en", "pl", "uk", "bg"}
    data = small_corpus(tmp_path / "data")
    train_language("en", tmp_path / "model", data_dir=data,
                   overrides={**SMALL, "system.seed": 1})
    kind = load_pipeline("en", tmp_path / "model").get_pipe("textcat_kind")
    assert kind.label_weights == {"pain_point": weights["en"]}
    for lang in weights:  # the shipped models were trained with them
        shipped = load_pipeline(lang).get_pipe("textcat_kind")
        assert shipped.label_weights == {"pain_point": weights[lang]}


def test_skip_bigrams_are_read_where_the_config_asks(tmp_path):
    import numpy
    from spacy.strings import hash_string
    from spacy.util import load_config

    from nlp.pipeline import CONFIG_PATH

    data = small_corpus(tmp_path / "data")
    models = {}
    for on in (True, False):
        settings = {**SMALL, "system.seed": 1, "journeybot.skip_bigrams": {"en": on}}
        train_language("en", tmp_path / str(on), data_dir=data, overrides=settings)
        models[on] = load_pipeline("en", tmp_path / str(on))
    note = read_notes(data / "train" / "en.jsonl")[0]["text"]
    words = [t.norm_ for t in models[True](note) if not (t.is_punct or t.is_space)]
    skip = hash_string(f"k:{words[0]} {words[2]}")
    for on, pipeline in models.items():
        for name in ("textcat_stage", "textcat_kind"):
            model = pipeline.get_pipe(name).model
            assert model.attrs["cfg"]["skip_bigrams"] is on
            assert bool(numpy.isin(numpy.uint64(skip), model.attrs["keys"])) is on
    assert models[True](note).cats != models[False](note).cats
    wanted = load_config(CONFIG_PATH, interpolate=False)["journeybot"]["skip_bigrams"]
    for lang in ("en", "pl", "uk", "bg"):  # the shipped models were trained as the config says
        model = load_pipeline(lang).get_pipe("textcat_stage").model
        assert model.attrs["cfg"].get("skip_bigrams", False) is bool(wanted.get(lang, False))


def test_stage_weights_fitted_out_of_fold_lower_a_stage_the_model_over_predicts():
    import numpy

    from nlp.training.stage_prior import fit_weights, macro_f1

    draw = numpy.random.default_rng(3)
    gold = draw.integers(0, 3, size=600)
    probabilities = draw.dirichlet([1.0, 1.0, 1.0], size=600) + 0.8 * numpy.eye(3)[gold]
    probabilities[:, 0] += 0.5  # the model says "0" far too readily on notes it has not seen
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    plain = macro_f1(probabilities, gold, numpy.ones(3))
    weights = fit_weights(probabilities, gold)
    assert weights[0] < 0.8 < weights[1] and weights[2] > 0.8
    assert numpy.isclose(numpy.exp(numpy.log(weights).mean()), 1.0)
    assert macro_f1(probabilities, gold, weights) > plain + 0.05


def test_out_of_fold_folds_keep_each_business_together():
    from nlp.training.stage_prior import split_fold

    notes = read_notes(DATA_DIR / "train" / "pl.jsonl")
    held_out = []
    for fold in range(3):
        kept, held = split_fold(notes, fold, 3)
        assert len(kept) + len(held) == len(notes)
        assert not {n["domain"] for n in kept} & {n["domain"] for n in held}  # no business in both
        assert len(held) > len(notes) / 4  # three folds of roughly a third each
        held_out += held
    assert sorted(n["text"] for n in held_out) == sorted(n["text"] for n in notes)  # each once


def test_each_language_gets_its_stage_weights_from_the_config(tmp_path):
    from spacy.util import load_config

    from nlp.pipeline import CONFIG_PATH

    data = small_corpus(tmp_path / "data")
    weights = {stage: 1.0 for stage in STAGES} | {"purchase": 0.5, "retention": 1.5}
    settings = {**SMALL, "system.seed": 1, "journeybot.stage_weights": {"en": weights}}
    train_language("en", tmp_path / "model", data_dir=data, overrides=settings)
    assert load_pipeline("en", tmp_path / "model").get_pipe("textcat_stage").label_weights == (
        weights)
    wanted = load_config(CONFIG_PATH, interpolate=False)["journeybot"].get("stage_weights", {})
    for lang in ("en", "pl", "uk", "bg"):  # the shipped models were trained as the config says
        shipped = load_pipeline(lang).get_pipe("textcat_stage").label_weights
        assert shipped == dict(wanted.get(lang, {}))
