"""What a note costs the bot and what it keeps while many people write at once (issue 14):
the SQL statements and transactions of a private note, counted through SQLite's trace
callback, and a closed loop of people who each write again as soon as they see the answer —
nothing shed, lost or reordered. Timing lives in bench/latency.py."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

from tests.emulator.models import User
from tests.harness import BotUnderTest, Person


async def stop_background_jobs(bot: BotUnderTest) -> None:
    """Reminders, the search index and the rest: their SQL is not the note's. The start-up's
    background work (bot/app.py `_start_background`: the outbox's first delivery among it)
    begins once the first answers are out, so it is waited for first, and a delivery under way
    ends before the note is measured."""
    if (background := bot.app.bot_data.get("background")) is not None:
        await background
    for job in bot.app.job_queue.jobs():
        job.schedule_removal()
    await asyncio.sleep(0.3)  # a delivery the scheduler already dispatched takes the lock …
    async with bot.app.bot_data["reminder_lock"]:  # … and ends
        pass


async def test_a_private_note_costs_five_transactions_and_leaves_the_inbox_once(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", reminder_interval=3600) as bot:
        ann = Person(bot, 8301, User(8301, "Ann", language_code="en"))
        # the chat's first note starts its map (and waits for the classifier to load)
        await ann.says("The parcel came a week late", timeout=60)
        await stop_background_jobs(bot)
        statements: list[str] = []
        bot.db.conn.set_trace_callback(statements.append)
        try:
            (ack,) = await ann.says("Nobody answered the phone at the shop")
        finally:
            bot.db.conn.set_trace_callback(None)
        assert ack.text.startswith("📌")
        kinds = Counter(" ".join(s.split()[:3]).upper() for s in statements)
        # the inbox's record, sender and chat, the attempt, the note, handled: one commit each
        assert kinds["BEGIN"] == 5 and kinds["COMMIT"] == 5
        handled = [s for s in statements if s.startswith("INSERT OR IGNORE INTO handled_updates")]
        assert len(handled) == 1  # taken out of the inbox once, when the answer went out
        assert sum(s.startswith("SELECT * FROM maps") for s in statements) == 1
        assert len(statements) <= 50  # was 57 with the inbox's second transaction
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
        assert bot.db.execute("SELECT count(*) FROM handled_updates").fetchone()[0] >= 2
        assert bot.app.update_queue.gate.queued() == 0  # its place was freed once, not twice


async def test_people_who_write_again_as_soon_as_they_are_answered_lose_nothing(emu, tmp_path):
    """50 chats, each person's next note as soon as the last is acknowledged (what
    bench/latency.py --only throughput does): every note accepted — none shed as "busy"
    because the previous one was still finishing —, stored once and acknowledged in order."""
    people, notes_each = 50, 3
    async with BotUnderTest(emu, tmp_path / "bot.db", reminder_interval=3600) as bot:
        users = [User(8400 + i, f"P{i}", language_code="en") for i in range(people)]

        async def closed_loop(user: User) -> None:
            for number in range(1, notes_each + 1):
                emu.send_message(user.id, f"Delivery {number} for P{user.id} was late", user=user)
                await emu.wait_for(
                    lambda n=number: len(emu.bot_messages(user.id)) >= n + 1,  # + "map started"
                    timeout=60,
                    description=f"answer {number} in chat {user.id}",
                )

        bot.expected += people * notes_each
        await asyncio.gather(*(closed_loop(user) for user in users))
        await bot.settle(60)
        assert bot.app.update_queue.shed == 0
        for user in users:
            texts = [m.text for m in emu.bot_messages(user.id)]
            assert not [text for text in texts if text.startswith("⏳")]
            numbers = [int(n) for n in re.findall(r"#(\d+)", " ".join(texts[1:]))[:notes_each]]
            assert numbers == [1, 2, 3], texts
            stored = [row[0] for row in bot.db.execute(
                "SELECT text FROM notes WHERE chat_id = ? ORDER BY id", [user.id])]
            assert stored == [f"Delivery {n} for P{user.id} was late" for n in (1, 2, 3)]
        assert bot.db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
