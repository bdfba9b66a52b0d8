"""What SQLite plans to do: the plans of the statements an operation runs, for tests that assert
an index is used rather than time a query."""

from __future__ import annotations

from collections.abc import Callable


def query_plans(db, operation: Callable[[], object]) -> list[str]:
    """The query plan of every SELECT `operation` runs (traced with its parameters), one string
    per statement, its plan's rows joined by " | "."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        operation()
    finally:
        db.conn.set_trace_callback(None)
    return [
        " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]


def assert_notes_read_through(plans: list[str], index: str) -> None:
    """Every statement that reads `notes` reads it through `index` (e.g. "COVERING INDEX
    idx_notes_map (map_id=?)"), and none scans the table."""
    note_plans = [plan for plan in plans if "notes" in plan]
    assert note_plans and all(index in plan for plan in note_plans), plans
    assert not any("SCAN notes" in plan for plan in plans), plans
