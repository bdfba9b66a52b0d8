"""Repeating background jobs (PTB's JobQueue, APScheduler underneath)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram.ext import Application


def run_alone_every(
    app: Application,
    callback: Callable[..., Awaitable[None]],
    *,
    interval: float,
    first: float,
    name: str,
) -> None:
    """Runs `callback` `first` seconds from now, then every `interval` seconds: a job of the
    same name is replaced, a run never overlaps the previous one, and missed runs collapse
    into one."""
    for job in app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    app.job_queue.run_repeating(
        callback,
        interval=interval,
        first=first,
        name=name,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
