"""The schema, as sqlite-utils migrations. Never edit a migration that has shipped: add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("journeybot")


def _run_statements(db: Database, script: str) -> None:
    """Runs `;`-separated DDL inside the migration's transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_create_core_tables(db: Database) -> None:
    """Chats, users, maps, stages, notes, corrections, schedules, reviews and dialogs."""
    _run_statements(
        db,
        """
        CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            title TEXT,
            lang TEXT NOT NULL,
            timezone TEXT NOT NULL,
            active_map_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL,
            username TEXT,
            language_code TEXT,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE maps (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            persona TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_maps_chat ON maps(chat_id);

        CREATE TABLE stages (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            key TEXT,
            name TEXT
        ) STRICT;
        CREATE INDEX idx_stages_map ON stages(map_id, position);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            stage_id INTEGER REFERENCES stages(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'typed',
            stage_score REAL,
            kind_score REAL,
            sentiment REAL NOT NULL DEFAULT 0,
            channels TEXT NOT NULL DEFAULT '[]',
            classified_stage TEXT,
            classified_kind TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            resolved_at TEXT,
            parent_id INTEGER REFERENCES notes(id) ON DELETE SET NULL
        ) STRICT;
        CREATE INDEX idx_notes_map ON notes(map_id, stage_id, kind);
        CREATE INDEX idx_notes_chat ON notes(chat_id);

        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            note_id INTEGER REFERENCES notes(id) ON DELETE SET NULL,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_corrections_note ON corrections(note_id);

        CREATE TABLE schedules (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            next_run_at TEXT,
            last_sent_at TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            skip_weekends INTEGER NOT NULL DEFAULT 0,
            quiet_start TEXT,
            quiet_end TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_schedules_due ON schedules(paused, next_run_at);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            started_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            participants TEXT NOT NULL DEFAULT '[]',
            summary TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE dialogs (
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            flow TEXT NOT NULL,
            state TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id)
        ) STRICT;

        CREATE TABLE handled_updates (
            update_id INTEGER PRIMARY KEY,
            chat_id INTEGER,
            handled_at TEXT NOT NULL
        ) STRICT;
        """,
    )


# The search index over notes: what `db["notes"].enable_fts(["text"], create_triggers=True,
# tokenize="unicode61 remove_diacritics 2")` builds, written as statements because enable_fts
# uses executescript, which would commit in the middle of the migration's transaction. The
# tokenizer folds ą→a, ś→s, ó→o… but not the Polish ł, which has no Unicode decomposition, so
# the index gets the text with ł→l (storage/search.py folds queries the same way). To rebuild
# the index, repopulate it with the INSERT below rather than FTS5's 'rebuild' command.
_FOLD_L = "replace(replace({}, 'ł', 'l'), 'Ł', 'L')"
_NOTES_FTS = (
    """
    CREATE VIRTUAL TABLE [notes_fts] USING FTS5 (
        [text],
        tokenize='unicode61 remove_diacritics 2',
        content=[notes]
    )
    """,
    "INSERT INTO [notes_fts] (rowid, [text])"
    f" SELECT rowid, {_FOLD_L.format('[text]')} FROM [notes]",
    f"""
    CREATE TRIGGER [notes_ai] AFTER INSERT ON [notes] BEGIN
      INSERT INTO [notes_fts] (rowid, [text]) VALUES (new.rowid, {_FOLD_L.format("new.[text]")});
    END
    """,
    f"""
    CREATE TRIGGER [notes_ad] AFTER DELETE ON [notes] BEGIN
      INSERT INTO [notes_fts] ([notes_fts], rowid, [text])
        VALUES('delete', old.rowid, {_FOLD_L.format("old.[text]")});
    END
    """,
    f"""
    CREATE TRIGGER [notes_au] AFTER UPDATE OF [text] ON [notes] BEGIN
      INSERT INTO [notes_fts] ([notes_fts], rowid, [text])
        VALUES('delete', old.rowid, {_FOLD_L.format("old.[text]")});
      INSERT INTO [notes_fts] (rowid, [text]) VALUES (new.rowid, {_FOLD_L.format("new.[text]")});
    END
    """,
)


@migrations()
def m002_notes_full_text_search(db: Database) -> None:
    """An FTS5 index on notes.text (diacritics folded), kept in sync by triggers."""
    for statement in _NOTES_FTS:
        db.execute(statement)


@migrations()
def m003_review_reminders(db: Database) -> None:
    """Review reminders claimed from due schedules (each (schedule, due time) is sent once),
    one schedule per map, and whether the chat has confirmed its time zone."""
    _run_statements(
        db,
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            schedule_id INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            message_id INTEGER,
            sent_at TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (schedule_id, due_at)
        ) STRICT;
        CREATE INDEX idx_reminders_status ON reminders(status, id);
        CREATE UNIQUE INDEX idx_schedules_map ON schedules(map_id);
        ALTER TABLE chats ADD COLUMN timezone_confirmed INTEGER NOT NULL DEFAULT 0
        """,
    )


@migrations()
def m004_handled_updates_per_bot(db: Database) -> None:
    """Handled updates are keyed by (bot id, update id): the console and Telegram, or two bots
    sharing one file, number their updates independently. The old rows (keyed by update id
    alone, kept two days against redeliveries) cannot say which bot they came from: dropped."""
    _run_statements(
        db,
        """
        DROP TABLE handled_updates;
        CREATE TABLE handled_updates (
            bot_id INTEGER NOT NULL,
            update_id INTEGER NOT NULL,
            chat_id INTEGER,
            handled_at TEXT NOT NULL,
            PRIMARY KEY (bot_id, update_id)
        ) STRICT;
        CREATE INDEX idx_handled_updates_at ON handled_updates(handled_at)
        """,
    )


# Tables whose row ids buttons and commands carry: an id is never handed out twice, even after
# the row with the highest id is deleted (SQLite would reuse it; AUTOINCREMENT cannot be added
# to an existing table without rebuilding it). Inserts take `storage.ids.NEXT_ID[table]`; a
# trigger keeps the sequence ahead of any id inserted another way.
SEQUENCED_TABLES = ("maps", "stages", "notes", "reviews")
# Rows deleted before the upgrade may have had ids above today's highest one, and old buttons
# still carry them: the sequences start this far above, so those ids are not given out again.
_ID_MARGIN = 1000


@migrations()
def m004b_note_numbers(db: Database) -> None:
    """Row ids that are never reused, and per-map note numbers (1, 2, 3…, never reused either):
    existing notes are numbered per map in the order they were added."""
    db.execute("CREATE TABLE id_sequences (name TEXT PRIMARY KEY, last_id INTEGER NOT NULL) STRICT")
    for table in SEQUENCED_TABLES:
        db.execute(
            f"INSERT INTO id_sequences (name, last_id)"
            f" SELECT '{table}', CASE WHEN max(id) IS NULL THEN 0 ELSE max(id) + {_ID_MARGIN} END"
            f" FROM {table}"
        )
        db.execute(
            f"""
            CREATE TRIGGER {table}_id_sequence AFTER INSERT ON {table} BEGIN
              UPDATE id_sequences SET last_id = new.id WHERE name = '{table}' AND last_id < new.id;
            END
            """
        )
    _run_statements(
        db,
        """
        ALTER TABLE maps ADD COLUMN last_note_number INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE notes ADD COLUMN number INTEGER;
        UPDATE notes SET number = numbered.n
          FROM (SELECT id, row_number() OVER (PARTITION BY map_id ORDER BY id) AS n FROM notes)
            AS numbered
          WHERE notes.id = numbered.id;
        UPDATE maps SET last_note_number = coalesce(
            (SELECT max(number) FROM notes WHERE notes.map_id = maps.id), 0);
        CREATE UNIQUE INDEX idx_notes_number ON notes(map_id, number)
        """,
    )
    db.execute(
        """
        CREATE TRIGGER notes_number AFTER INSERT ON notes WHEN new.number IS NULL BEGIN
          UPDATE maps SET last_note_number = last_note_number + 1 WHERE id = new.map_id;
          UPDATE notes SET number = (SELECT last_note_number FROM maps WHERE id = new.map_id)
            WHERE id = new.id;
        END
        """
    )


@migrations()
def m004c_schedule_ids(db: Database) -> None:
    """Schedule ids are never reused either: a reminder's Snooze / Skip buttons carry one, and a
    schedule switched off and replaced by another map's must not be snoozed by an old button."""
    margin = _ID_MARGIN
    db.execute(
        "INSERT INTO id_sequences (name, last_id) SELECT 'schedules',"
        f" CASE WHEN max(id) IS NULL THEN 0 ELSE max(id) + {margin} END FROM schedules"
    )
    db.execute(
        """
        CREATE TRIGGER schedules_id_sequence AFTER INSERT ON schedules BEGIN
          UPDATE id_sequences SET last_id = new.id WHERE name = 'schedules' AND last_id < new.id;
        END
        """
    )


# The search index of m006: each note is indexed under its search keys (the folded lemmas of its
# words, `notes.search_keys`, written by storage/search.py from keys the bot's nlp computes),
# every key prefixed with its chat ("-100123" → "m100123_kurier"), so a word's list of notes in
# the index holds only that chat's notes and a search reads nothing of other chats. The table
# is contentless (the keys are in `notes`); triggers keep it in step with `notes.search_keys`.
# A note whose text changes loses its keys (NULL: waiting to be indexed, see
# idx_notes_unindexed) until the bot indexes it again.
_CHAT_PREFIX = "replace(CAST({0}.chat_id AS TEXT), '-', 'm') || '_'"
_CHAT_KEYS = f"{_CHAT_PREFIX} || replace({{0}}.search_keys, ' ', ' ' || {_CHAT_PREFIX})"
_INDEX_NEW = (
    "INSERT INTO notes_search (rowid, keys)"
    f" SELECT new.id, {_CHAT_KEYS.format('new')} WHERE new.search_keys <> '';"
)
_UNINDEX_OLD = (
    "INSERT INTO notes_search (notes_search, rowid, keys)"
    f" SELECT 'delete', old.id, {_CHAT_KEYS.format('old')} WHERE old.search_keys <> '';"
)


@migrations()
def m006_search_by_lemma_per_chat(db: Database) -> None:
    """Search by lemma, inside the asking chat's part of the index: `notes.search_keys` and the
    `notes_search` index replace m002's `notes_fts`. Existing notes wait to be indexed."""
    for statement in (
        "DROP TRIGGER IF EXISTS notes_ai",
        "DROP TRIGGER IF EXISTS notes_ad",
        "DROP TRIGGER IF EXISTS notes_au",
        "DROP TABLE IF EXISTS notes_fts",
        "ALTER TABLE notes ADD COLUMN search_keys TEXT",
        "CREATE INDEX idx_notes_unindexed ON notes(chat_id) WHERE search_keys IS NULL",
        """
        CREATE VIRTUAL TABLE notes_search USING fts5(
            keys, content='', tokenize='unicode61 remove_diacritics 0 tokenchars ''_'''
        )
        """,
        f"""
        CREATE TRIGGER notes_search_ai AFTER INSERT ON notes BEGIN
          {_INDEX_NEW}
        END
        """,
        f"""
        CREATE TRIGGER notes_search_au AFTER UPDATE OF search_keys ON notes BEGIN
          {_UNINDEX_OLD}
          {_INDEX_NEW}
        END
        """,
        """
        CREATE TRIGGER notes_search_text AFTER UPDATE OF text ON notes
        WHEN new.text IS NOT old.text AND new.search_keys IS old.search_keys BEGIN
          UPDATE notes SET search_keys = NULL WHERE id = new.id;
        END
        """,
        f"""
        CREATE TRIGGER notes_search_ad AFTER DELETE ON notes BEGIN
          {_UNINDEX_OLD}
        END
        """,
    ):
        db.execute(statement)


@migrations()
def m010_update_inbox(db: Database) -> None:
    """The inbox: every update fetched from Telegram is written here before Telegram is told it
    was received, and stays until it has been handled (then only its id is kept, in
    handled_updates, against redeliveries). `replayable` turns 0 once a handler has begun a
    change that must not be repeated after a crash; `note_id` is the note stored for the update
    while its acknowledgement is still owed."""
    _run_statements(
        db,
        """
        CREATE TABLE inbox (
            bot_id INTEGER NOT NULL,
            update_id INTEGER NOT NULL,
            chat_id INTEGER,
            user_id INTEGER,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            replayable INTEGER NOT NULL DEFAULT 1,
            note_id INTEGER,
            PRIMARY KEY (bot_id, update_id)
        ) STRICT;
        CREATE INDEX idx_inbox_chat ON inbox(chat_id) WHERE chat_id IS NOT NULL
        """,
    )


@migrations()
def m007_indexes_for_foreign_keys_and_hot_queries(db: Database) -> None:
    """An index under every foreign-key child column and under the hot per-map queries.

    Without them SQLite scans the child table on every parent delete (deleting one note scanned
    all notes for `parent_id`, deleting a map did so per note) and reviews were found by
    scanning every review. Nullable columns that are mostly NULL get partial indexes: the
    foreign-key check and `column = ?` lookups can use them, and NULLs cost nothing.
    """
    _run_statements(
        db,
        """
        CREATE INDEX IF NOT EXISTS idx_maps_created_by ON maps(created_by)
            WHERE created_by IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_notes_stage ON notes(stage_id)
            WHERE stage_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_notes_author ON notes(author_id)
            WHERE author_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_notes_owner ON notes(owner_id)
            WHERE owner_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_notes_parent ON notes(parent_id)
            WHERE parent_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_corrections_chat ON corrections(chat_id);
        CREATE INDEX IF NOT EXISTS idx_corrections_user ON corrections(user_id)
            WHERE user_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_schedules_chat ON schedules(chat_id);
        CREATE INDEX IF NOT EXISTS idx_schedules_created_by ON schedules(created_by)
            WHERE created_by IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_reviews_map ON reviews(map_id, finished_at);
        CREATE INDEX IF NOT EXISTS idx_reviews_chat ON reviews(chat_id);
        CREATE INDEX IF NOT EXISTS idx_reviews_started_by ON reviews(started_by)
            WHERE started_by IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_reminders_chat ON reminders(chat_id);
        CREATE INDEX IF NOT EXISTS idx_reminders_map ON reminders(map_id);
        CREATE INDEX IF NOT EXISTS idx_handled_updates_chat ON handled_updates(chat_id)
            WHERE chat_id IS NOT NULL
        """,
    )


@migrations()
def m008_everyone_edits(db: Database) -> None:
    """The chat setting "everyone edits": members may change everyone's notes, rename the map,
    plan reviews and change the language (off: those are for the group's administrators)."""
    _run_statements(db, "ALTER TABLE chats ADD COLUMN everyone_edits INTEGER NOT NULL DEFAULT 0")


@migrations()
def m047_note_unsure_choices(db: Database) -> None:
    """When the classifier was unsure of a note: the stage keys and kinds it offered as one-tap
    choices (JSON lists, likeliest first; NULL when it was sure). Kept with the note, a group's
    combined acknowledgement can ask later (its "🤔 #N" button opens the question), and a
    replayed note can still ask; a field's choices are cleared once the team set that field."""
    _run_statements(
        db,
        "ALTER TABLE notes ADD COLUMN stage_choices TEXT;"
        " ALTER TABLE notes ADD COLUMN kind_choices TEXT",
    )


@migrations()
def m030_customer_voice(db: Database) -> None:
    """A note may be a customer's own words (issue 16, "the customer's voice"): `quote` (1 for
    a forwarded message or an imported review), `quoted_from` (the customer's name as Telegram
    or the imported file gives it) and `said_at` (when the customer said it, where known).
    Existing notes are the team's own: quote 0, the other two NULL."""
    _run_statements(
        db,
        """
        ALTER TABLE notes ADD COLUMN quote INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE notes ADD COLUMN quoted_from TEXT;
        ALTER TABLE notes ADD COLUMN said_at TEXT
        """,
    )


@migrations()
def m025_outbox_kinds(db: Database) -> None:
    """The reminders outbox carries more than review reminders (check-in questions, due-date
    reminders): `kind` ('review' for the rows it held), the person a message is for
    (`user_id`), the row it is about (`ref_id`: a check-in round, a note) and a `dedupe_key`
    that makes claiming the same message twice impossible. Reviews keep their unique
    (schedule_id, due_at); other kinds have no schedule or map, so both become nullable: the
    table is rebuilt with its rows."""
    _run_statements(
        db,
        """
        CREATE TABLE reminders_new (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'review',
            schedule_id INTEGER REFERENCES schedules(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            map_id INTEGER REFERENCES maps(id) ON DELETE CASCADE,
            user_id INTEGER,
            ref_id INTEGER,
            dedupe_key TEXT UNIQUE,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            message_id INTEGER,
            sent_at TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (schedule_id, due_at)
        ) STRICT;
        INSERT INTO reminders_new (id, schedule_id, chat_id, map_id, due_at, status, attempts,
                                   message_id, sent_at, error, created_at)
            SELECT id, schedule_id, chat_id, map_id, due_at, status, attempts, message_id,
                   sent_at, error, created_at FROM reminders;
        DROP TABLE reminders;
        ALTER TABLE reminders_new RENAME TO reminders;
        CREATE INDEX idx_reminders_status ON reminders(status, id);
        CREATE INDEX idx_reminders_chat ON reminders(chat_id);
        CREATE INDEX idx_reminders_map ON reminders(map_id) WHERE map_id IS NOT NULL;
        CREATE INDEX idx_reminders_ref ON reminders(kind, ref_id) WHERE ref_id IS NOT NULL
        """,
    )



@migrations()
def m026_checkins(db: Database) -> None:
    """Check-ins: who is in a group (`chat_members`: everyone the bot has seen there, and
    whether they asked not to be asked), each group's check-in schedule (the columns of
    `schedules`, per chat instead of per map), its rounds and who was asked in each round.

    Members are filled from the history: authors of notes and corrections, who made a map or
    started a review, and people with a conversation in the group."""
    _run_statements(
        db,
        """
        CREATE TABLE chat_members (
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            left_at TEXT,
            checkins_off INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (chat_id, user_id)
        ) STRICT;
        CREATE INDEX idx_chat_members_user ON chat_members(user_id);

        CREATE TABLE checkin_schedules (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL UNIQUE REFERENCES chats(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            next_run_at TEXT,
            last_sent_at TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            skip_weekends INTEGER NOT NULL DEFAULT 0,
            quiet_start TEXT,
            quiet_end TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_checkin_schedules_due ON checkin_schedules(paused, next_run_at);
        CREATE INDEX idx_checkin_schedules_created_by ON checkin_schedules(created_by)
            WHERE created_by IS NOT NULL;

        CREATE TABLE checkin_rounds (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            due_at TEXT NOT NULL,
            started_at TEXT NOT NULL,
            since_at TEXT,
            nudge_at TEXT,
            nudged_at TEXT,
            closes_at TEXT NOT NULL,
            closed_at TEXT,
            UNIQUE (chat_id, due_at)
        ) STRICT;
        CREATE INDEX idx_checkin_rounds_open ON checkin_rounds(closes_at) WHERE closed_at IS NULL;
        CREATE INDEX idx_checkin_rounds_nudge ON checkin_rounds(nudge_at)
            WHERE nudged_at IS NULL AND closed_at IS NULL;

        CREATE TABLE checkin_asks (
            round_id INTEGER NOT NULL REFERENCES checkin_rounds(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            via TEXT NOT NULL,
            message_id INTEGER,
            answered_at TEXT,
            notes INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (round_id, user_id)
        ) STRICT;
        CREATE INDEX idx_checkin_asks_user ON checkin_asks(user_id, round_id);
        CREATE INDEX idx_checkin_asks_chat ON checkin_asks(chat_id);

        INSERT OR IGNORE INTO chat_members (chat_id, user_id, first_seen_at, last_seen_at)
            SELECT seen.chat_id, seen.user_id, min(seen.at), max(seen.at)
            FROM (
                SELECT chat_id, author_id AS user_id, created_at AS at FROM notes
                    WHERE author_id IS NOT NULL
                UNION ALL SELECT chat_id, user_id, created_at FROM corrections
                    WHERE user_id IS NOT NULL
                UNION ALL SELECT chat_id, started_by, started_at FROM reviews
                    WHERE started_by IS NOT NULL
                UNION ALL SELECT chat_id, created_by, created_at FROM maps
                    WHERE created_by IS NOT NULL
                UNION ALL SELECT chat_id, user_id, updated_at FROM dialogs
            ) AS seen
            JOIN chats ON chats.id = seen.chat_id AND chats.type IN ('group', 'supergroup')
            JOIN users ON users.id = seen.user_id
            GROUP BY seen.chat_id, seen.user_id
        """,
    )


@migrations()
def m020_item_owners_and_due_dates(db: Database) -> None:
    """Owners and due dates of pain points and opportunities, and who resolved them.

    `notes.due_on` is a date in the chat's time zone (ISO); `notes.remind_at` is the UTC moment
    the due-date reminder goes out, NULL once it has been claimed into the outbox (kind 'due',
    see m025) or when there is none; `notes.resolved_by` is who closed the item (resolved_at
    already existed: items resolved before this release keep their date, without a name).
    Partial indexes hold a chat's open items, an owner's open items and the pending reminders,
    so every item query reads only those. Users are found by @username (case-insensitive).
    """
    _run_statements(
        db,
        """
        ALTER TABLE notes ADD COLUMN due_on TEXT;
        ALTER TABLE notes ADD COLUMN remind_at TEXT;
        ALTER TABLE notes ADD COLUMN resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
        CREATE INDEX idx_notes_resolved_by ON notes(resolved_by) WHERE resolved_by IS NOT NULL;
        CREATE INDEX idx_notes_open_items ON notes(chat_id, due_on)
            WHERE status = 'open' AND (owner_id IS NOT NULL OR due_on IS NOT NULL);
        CREATE INDEX idx_notes_owner_open ON notes(owner_id, due_on)
            WHERE owner_id IS NOT NULL AND status = 'open';
        CREATE INDEX idx_notes_remind_at ON notes(remind_at) WHERE remind_at IS NOT NULL;
        CREATE INDEX idx_users_username ON users(username COLLATE NOCASE)
            WHERE username IS NOT NULL
        """,
    )


@migrations()
def m035_digests(db: Database) -> None:
    """Team digests: each map's weekly-digest setting, the digests posted (their periods, so the
    next one starts where the last ended) and indexes for notes written or resolved in a
    period of one map (a digest reads only its period, not the whole map)."""
    _run_statements(
        db,
        """
        CREATE TABLE digest_settings (
            map_id INTEGER PRIMARY KEY REFERENCES maps(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            weekly INTEGER NOT NULL DEFAULT 0,
            next_run_at TEXT,
            updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_digest_settings_chat ON digest_settings(chat_id);
        CREATE INDEX idx_digest_settings_due ON digest_settings(next_run_at)
            WHERE weekly = 1;
        CREATE INDEX idx_digest_settings_updated_by ON digest_settings(updated_by)
            WHERE updated_by IS NOT NULL;

        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            since TEXT NOT NULL,
            until TEXT NOT NULL,
            trigger TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX idx_digests_map ON digests(map_id, until);
        CREATE INDEX idx_digests_chat ON digests(chat_id);

        CREATE INDEX IF NOT EXISTS idx_notes_map_created ON notes(map_id, created_at);
        CREATE INDEX IF NOT EXISTS idx_notes_map_resolved ON notes(map_id, resolved_at)
            WHERE resolved_at IS NOT NULL
        """,
    )


@migrations(transactional=False)
def m064_one_schedules_table(db: Database) -> None:
    """Check-in schedules become rows of `schedules` (storage/schedules.py serves both): a
    `kind` column ('review' for the rows it held, 'checkin'), `map_id` nullable (a check-in
    schedule belongs to a chat, not a map; a CHECK keeps reviews with a map and check-ins
    without), at most one check-in schedule per chat. Review schedules keep their ids (their
    reminders and buttons point at them); check-in schedules get new ones from the
    `schedules` id sequence (nothing pointed at their ids). `checkin_schedules` is dropped.

    SQLite cannot make a column nullable in place, so the table is rebuilt. Dropping the old
    `schedules` with foreign keys on would delete every reminder it had (ON DELETE CASCADE):
    the rebuild runs with foreign keys off, in one transaction, checked before it commits.
    Outside the usual transaction for that reason; a rerun after a crash between the commit
    and the migration's record finds `checkin_schedules` gone and does nothing."""
    if not db["checkin_schedules"].exists():
        return
    foreign_keys = db.execute("PRAGMA foreign_keys").fetchone()[0]
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        if db.execute("PRAGMA foreign_keys").fetchone()[0]:  # ignored inside a transaction
            raise RuntimeError("m064 must run outside a transaction (foreign keys stayed on)")
        with db.atomic():
            _run_statements(
                db,
                """
                CREATE TABLE schedules_new (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'checkin')),
                    map_id INTEGER REFERENCES maps(id) ON DELETE CASCADE,
                    chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    timezone TEXT NOT NULL,
                    next_run_at TEXT,
                    last_sent_at TEXT,
                    paused INTEGER NOT NULL DEFAULT 0,
                    skip_weekends INTEGER NOT NULL DEFAULT 0,
                    quiet_start TEXT,
                    quiet_end TEXT,
                    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
                    created_at TEXT NOT NULL,
                    CHECK ((kind = 'review') = (map_id IS NOT NULL))
                ) STRICT;
                INSERT INTO schedules_new (id, kind, map_id, chat_id, rule, timezone,
                                           next_run_at, last_sent_at, paused, skip_weekends,
                                           quiet_start, quiet_end, created_by, created_at)
                    SELECT id, 'review', map_id, chat_id, rule, timezone, next_run_at,
                           last_sent_at, paused, skip_weekends, quiet_start, quiet_end,
                           created_by, created_at
                    FROM schedules;
                INSERT INTO schedules_new (id, kind, map_id, chat_id, rule, timezone,
                                           next_run_at, last_sent_at, paused, skip_weekends,
                                           quiet_start, quiet_end, created_by, created_at)
                    SELECT (SELECT last_id FROM id_sequences WHERE name = 'schedules')
                               + row_number() OVER (ORDER BY id),
                           'checkin', NULL, chat_id, rule, timezone, next_run_at,
                           last_sent_at, paused, skip_weekends, quiet_start, quiet_end,
                           created_by, created_at
                    FROM checkin_schedules;
                UPDATE id_sequences SET last_id = max(last_id,
                    (SELECT coalesce(max(id), 0) FROM schedules_new))
                    WHERE name = 'schedules';
                DROP TABLE checkin_schedules;
                DROP TABLE schedules;
                ALTER TABLE schedules_new RENAME TO schedules;
                CREATE INDEX idx_schedules_due ON schedules(kind, paused, next_run_at);
                CREATE UNIQUE INDEX idx_schedules_map ON schedules(map_id);
                CREATE UNIQUE INDEX idx_schedules_checkin ON schedules(chat_id)
                    WHERE kind = 'checkin';
                CREATE INDEX idx_schedules_chat ON schedules(chat_id);
                CREATE INDEX idx_schedules_created_by ON schedules(created_by)
                    WHERE created_by IS NOT NULL
                """,
            )
            db.execute(
                """
                CREATE TRIGGER schedules_id_sequence AFTER INSERT ON schedules BEGIN
                  UPDATE id_sequences SET last_id = new.id
                    WHERE name = 'schedules' AND last_id < new.id;
                END
                """
            )
            for table in ("schedules", "reminders"):
                broken = db.execute(f"PRAGMA foreign_key_check({table})").fetchall()
                if broken:
                    raise RuntimeError(f"m064: {table} has broken foreign keys: {broken[:5]}")
    finally:
        db.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")


@migrations()
def m066_no_due_reminders_for_non_items(db: Database) -> None:
    """Drops the due-date reminder of notes that are no pain point or opportunity any more:
    before kind corrections dropped it, an item corrected to an emotion kept `remind_at` (the
    reminder could fire for an emotion). Corrected back to an item, the note's reminder is
    planned again from the date it kept (storage.notes.correct_note). Reads only the
    `idx_notes_remind_at` rows."""
    db.execute(
        "UPDATE notes SET remind_at = NULL WHERE remind_at IS NOT NULL"
        " AND kind NOT IN ('pain_point', 'opportunity')"
    )


@migrations()
def m080_indexes_for_reviews_and_corrections(db: Database) -> None:
    """Indexes found by the million-note audit (issue 14, docs/scaling.md):

    * `idx_notes_open_pain`: a review's queue (`storage.reviews.open_pain_point_ids`) reads the
      map's open pain points only, not each of its notes' rows (10,000-note map: 24 ms → ~2 ms).
    * `idx_corrections_chat_created`: the chat's correction mark, checked before every note is
      classified (`storage.notes.corrections_mark`), is read from the index alone instead of
      one row per correction."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_notes_open_pain ON notes(map_id, id)"
        " WHERE kind = 'pain_point' AND status = 'open'"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_corrections_chat_created"
        " ON corrections(chat_id, created_at)"
    )


@migrations()
def m105_pauses_while_the_bot_is_out_of_a_chat(db: Database) -> None:
    """`paused_while_out` on review and check-in schedules and on weekly-digest settings: 1 when
    the bot paused them itself because it could no longer write to the chat (removed from the
    group, blocked in private; `storage.chat_presence.pause_chat`), so that they go on again when
    the bot is back (`resume_chat`) while a pause the team chose stays. Rows paused before this
    migration keep their pause: nobody can tell now who paused them."""
    _run_statements(
        db,
        """
        ALTER TABLE schedules ADD COLUMN paused_while_out INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE digest_settings ADD COLUMN paused_while_out INTEGER NOT NULL DEFAULT 0
        """,
    )
