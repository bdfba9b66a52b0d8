"""The weekly retrain (an operator setting, off by default: `JOURNEYBOT_RETRAIN_WEEKLY=1`).

Once a week the bot runs `journeybot train --with-corrections` on its own database in a child
process (training takes minutes of CPU; the event loop never waits for it). The gate in
`nlp.training.train.train_all` keeps a language's new model only if it is not worse on dev,
and the calibration is refitted; when the child succeeds the bot drops its loaded pipelines
and loads whatever model is now on disk in its loader thread, notes waiting for it as at start
(bot.classifier.reload_classifier): never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import timedelta

from telegram.ext import Application, CallbackContext

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
JOB_NAME = "weekly-retrain"


def retrain_command(db_path: str) -> list[str]:
    return [sys.executable, "-m", "nlp.cli", "train", "--with-corrections", "--db", db_path]


def start_retrain_job(app: Application, db_path: str, *, every: timedelta = WEEK) -> None:
    """Schedules the retrain every `every`, the first one `every` after start."""
    app.job_queue.run_repeating(_retrain, interval=every, first=every, name=JOB_NAME,
                                data=db_path)


async def _retrain(context: CallbackContext) -> None:
    await retrain(context.job.data)


async def retrain(db_path: str) -> bool:
    """Runs the retrain in a child process; True if it succeeded (and the models reloaded)."""
    process = await asyncio.create_subprocess_exec(
        *retrain_command(db_path), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode("utf8", "replace").strip()
    if process.returncode != 0:
        log.error("weekly retrain failed", extra={"returncode": process.returncode,
                                                  "output": text[-2000:]})
        return False
    from bot.classifier import reload_classifier
    from nlp.classify import forget_calibration, forget_pipelines, model_dir

    def forget() -> None:
        forget_pipelines(model_dir())
        forget_calibration()

    await reload_classifier(forget)
    log.info("weekly retrain done", extra={"output": text[-2000:]})
    return True
