"""Operator alerts decided purely: one per kind per 10 minutes; the text names the place of the
error, never its message (which may quote what a user wrote)."""

from bot.core.alerts import AlertGate, alert_text


def test_one_alert_per_kind_per_ten_minutes():
    gate = AlertGate()
    assert gate.allow("database error", 0.0)
    assert not gate.allow("database error", 599.0)
    assert gate.allow("unhandled KeyError", 1.0)  # another kind is not held back
    assert gate.allow("database error", 600.0)
    assert not gate.allow("database error", 1000.0)


def test_the_text_names_the_place_but_not_the_message():
    try:
        {}["the customer said the cake was stale"]
    except KeyError as error:
        text = alert_text("unhandled KeyError", error, chat_id=-5, update_id=77)
    assert "KeyError at" in text and "test_the_text_names_the_place" in text
    assert "cake" not in text
    assert "chat -5, update 77" in text
    assert "10 minutes" in text


def test_a_vouched_detail_is_included():
    text = alert_text("database error", OSError("disk"), detail="SQLite: disk I/O error")
    assert "SQLite: disk I/O error" in text and "unknown place" in text
