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
