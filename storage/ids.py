"""Row ids that are never handed out twice (see migration m004b_note_numbers).

SQLite gives a new row the highest id + 1, so deleting the newest note and adding another
reused its id, and an old button meant for the deleted note acted on the new one. Inserts into
these tables take their id from `id_sequences` instead: `INSERT INTO notes (id, …) VALUES
({NEXT_ID["notes"]}, …)`.
"""

from __future__ import annotations

NEXT_ID: dict[str, str] = {
    table: f"(SELECT last_id + 1 FROM id_sequences WHERE name = '{table}')"
    for table in ("maps", "stages", "notes", "reviews", "schedules")
}
