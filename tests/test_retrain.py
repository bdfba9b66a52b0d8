"""The weekly retrain: an operator setting, off by default; the child process and reload."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from bot import retrain as retrain_module
from bot.retrain import JOB_NAME, retrain
from bot.settings import ConfigError, Settings
from nlp import classify as classifier
from tests.harness import BotUnderTest


def test_the_setting_is_off_by_default_and_validated(monkeypatch):
    monkeypatch.delenv("JOURNEYBOT_RETRAIN_WEEKLY", raising=False)
    assert Settings.from_env(db_path="x.db").retrain_weekly is False
    monkeypatch.setenv("JOURNEYBOT_RETRAIN_WEEKLY", "1")
    assert Settings.from_env(db_path="x.db").retrain_weekly is True
    monkeypatch.setenv("JOURNEYBOT_RETRAIN_WEEKLY", "weekly")
    with pytest.raises(ConfigError, match="JOURNEYBOT_RETRAIN_WEEKLY must be 1 or 0"):
        Settings.from_env(db_path="x.db")


class RetrainingBot(BotUnderTest):
    @property
    def settings(self) -> Settings:
        return dataclasses.replace(super().settings, retrain_weekly=True)


async def test_the_job_is_scheduled_only_when_switched_on(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "off.db", load_nlp=False) as bot:
        assert not bot.app.job_queue.get_jobs_by_name(JOB_NAME)
    async with RetrainingBot(emu, tmp_path / "on.db", load_nlp=False) as bot:
        (job,) = bot.app.job_queue.get_jobs_by_name(JOB_NAME)
        assert job.data == str(tmp_path / "on.db")


async def test_a_retrain_that_succeeds_reloads_the_models_and_one_that_fails_keeps_them(
    monkeypatch, tmp_path
):
    classifier.classify("kurs", "pl")  # a pipeline loaded
    loaded = dict(classifier._pipelines)
    # the child process: the real command line, asked for something that fails / succeeds
    monkeypatch.setattr(retrain_module, "retrain_command",
                        lambda db: [sys.executable, "-m", "nlp.cli", "train", "--lang", "xx"])
    assert await retrain(str(tmp_path / "bot.db")) is False
    assert classifier._pipelines == loaded
    monkeypatch.setattr(retrain_module, "retrain_command",
                        lambda db: [sys.executable, "-m", "nlp.cli", "train", "--help"])
    assert await retrain(str(tmp_path / "bot.db")) is True
    reloaded = [key for key in classifier._pipelines if key[1] == str(classifier.model_dir())]
    # loaded again by the loader thread before retrain() returned: no note loads one on the loop
    assert reloaded and all(classifier._pipelines[key] is not loaded.get(key) for key in reloaded)
    assert classifier.classify("kurs", "pl").lang == "pl"


async def test_what_start_up_loaded_is_frozen_so_no_collection_walks_it(monkeypatch):
    """A full garbage collection walked the loaded pipelines' ~124,000 objects: 67–75 ms of
    CPU on the event loop each time. After the background load they are frozen."""
    import gc
    import threading

    import bot.classifier as bot_classifier

    gc.unfreeze()
    monkeypatch.setattr(bot_classifier, "_loader", None)
    monkeypatch.setattr(bot_classifier, "_ready", threading.Event())
    try:
        bot_classifier.start_loading()
        await bot_classifier.classifier_ready()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        assert len(gc.get_objects()) < frozen / 2  # what a full collection still walks
    finally:
        gc.unfreeze()
