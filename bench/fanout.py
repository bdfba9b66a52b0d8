"""Fan-out benchmark: N chats due for a review at once, delivered through the Bot API emulator
with Telegram's 30 messages/s limit. Prints the sustained delivery rate, lost and duplicated.

    python bench/fanout.py [--chats 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.model import STAGE_KEYS
from bot.core.schedule import ReviewRule
from storage.chats import remember_chat
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.reminders import save_schedule
from tests.emulator import TelegramEmulator
from tests.harness import BotUnderTest

REMINDER = "Time to review"


def prepare(db_path: Path, chats: list[int]) -> None:
    db = open_db(db_path)
    now = utcnow()
    with db.atomic():
        for chat_id in chats:
            remember_chat(db, chat_id, "group", f"Team {chat_id}", "en")
            journey = create_map(db, chat_id, f"Map {chat_id}", None, None,
                                 [(key, None) for key in STAGE_KEYS])
            save_schedule(db, chat_id, journey.id, ReviewRule("weekly"), "UTC", now=now)
        db.execute("UPDATE schedules SET next_run_at = ?", [to_iso(now - timedelta(seconds=1))])
    db.close()


async def run(count: int) -> int:
    chats = [-1_000_000 - i for i in range(count)]
    with tempfile.TemporaryDirectory() as folder, TelegramEmulator() as emu:
        for chat_id in chats:
            emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
        emu.set_rate_limits(global_per_second=30, per_group_per_minute=20)
        db_path = Path(folder) / "bench.db"
        prepare(db_path, chats)
        bot = BotUnderTest(emu, db_path, load_nlp=False, rate_limit=True, reminder_interval=1.0)
        started = time.perf_counter()
        await bot.start()
        try:
            deadline = time.perf_counter() + count / 20 + 60
            while sum(c.ok for c in emu.calls("sendMessage")) < count and (
                time.perf_counter() < deadline
            ):
                await asyncio.sleep(0.5)  # a cheap check: the bot, not the bench, gets the CPU
            await asyncio.sleep(1.0)  # anything sent twice would arrive now
        finally:
            await bot.stop()
        sends = [c for c in emu.calls("sendMessage") if c.ok]
        first, last = sends[0].time, sends[-1].time
        per_chat = Counter(int(c.params["chat_id"]) for c in sends)
        lost = sum(1 for chat_id in chats if per_chat.get(chat_id, 0) == 0)
        duplicated = sum(n - 1 for n in per_chat.values() if n > 1)
        flood = sum(1 for c in emu.calls("sendMessage") if c.error_code == 429)
        rate = (len(sends) - 1) / (last - first) if last > first else float("inf")
        print(f"chats                {count}")
        print(f"delivered            {len(sends)}")
        print(f"sustained rate       {rate:.1f} msg/s (limit 30)")
        print(f"wall time            {time.perf_counter() - started:.1f} s")
        print(f"429 answers          {flood}")
        print(f"lost                 {lost}")
        print(f"duplicated           {duplicated}")
        return 0 if lost == 0 and duplicated == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    args = parser.parse_args()
    return asyncio.run(run(args.chats))


if __name__ == "__main__":
    sys.exit(main())
