"""journeybot: a Telegram assistant that helps small businesses map their customers' journey."""

import sys

__version__ = "0.1.0"


def _skip_unused_optional_imports() -> None:
    """The first answer must come within a second of start (issue 14), and three optional
    imports of our dependencies cost much of that without ever being used by the bot:
    sqlite-utils imports numpy (~0.27 s) only to map numpy column types, httpx imports its
    command line (rich, ~0.26 s), and python-telegram-bot imports cryptography (~25 ms of CPU
    and a 15 MB library to read from disk on a cold start) only to decrypt Telegram Passport
    data, which the bot never asks for. Each treats the module as absent when its import
    fails, so it is made to fail, for them only: numpy stays importable (spaCy loads it later,
    in the background), and so does cryptography (the board's Mini App check uses it).

    Two consequences. `import bot` (any of our modules) imports python-telegram-bot, ~100 ms.
    And python-telegram-bot records CRYPTO_INSTALLED = False for the whole process (telegram._bot,
    telegram._passport.credentials): Telegram Passport cannot be used — `Bot(private_key=…)` /
    `ApplicationBuilder().private_key(…)` raise, `PassportData.decrypted_data` fails. Nothing in
    journeybot passes a private key (tests/test_startup_first_answer.py checks it); whoever adds
    Passport must stop hiding cryptography here."""
    if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy → ImportError
        try:
            import sqlite_utils  # noqa: F401
        finally:
            del sys.modules["numpy"]
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
        import httpx  # noqa: F401
    if "telegram" not in sys.modules and "cryptography" not in sys.modules:
        sys.modules["cryptography"] = None  # type: ignore[assignment]
        try:
            import telegram  # noqa: F401
        finally:
            del sys.modules["cryptography"]


_skip_unused_optional_imports()
