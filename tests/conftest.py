"""Shared fixtures: a real SQLite file per test; the Bot API emulator from tests/emulator."""

from __future__ import annotations

import os

import pytest

from storage.db import open_db

pytest_plugins = ["tests.emulator.fixtures"]

# PTB 22: RetryAfter.retry_after as a timedelta (the future default), as the bot runs it.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "bot.db"


@pytest.fixture
def db(db_path):
    database = open_db(db_path)
    yield database
    database.close()
