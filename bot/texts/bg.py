"""Texts in bg: the same keys and placeholders as en.py."""

TEXTS: dict[str, str] = {}
