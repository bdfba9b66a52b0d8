"""The pure domain core: dataclasses and functions with no Telegram, SQLite or spaCy imports."""
