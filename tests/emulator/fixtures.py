"""pytest fixtures for the Bot API emulator.

Load them from ``tests/conftest.py`` with ``pytest_plugins = ["tests.emulator.fixtures"]``.
Both fixtures are synchronous, so they work with any pytest-asyncio loop scope.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .emulator import TelegramEmulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[TelegramEmulator]:
    """One emulator for the whole session, serving on a free port of 127.0.0.1."""
    server = TelegramEmulator().start()
    yield server
    server.stop()


@pytest.fixture
def emu(emulator: TelegramEmulator) -> TelegramEmulator:
    """The session's emulator, reset (chats, updates, faults, limits...) for this test."""
    emulator.reset()
    return emulator
