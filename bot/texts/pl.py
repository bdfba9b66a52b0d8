"""Texts in pl: the same keys and placeholders as en.py."""

TEXTS: dict[str, str] = {}
