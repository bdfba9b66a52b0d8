"""End to end: the outbox (review reminders, check-ins, digests, due-date reminders) is sent at
its own pace — at most 20 queued messages a second, one a second per chat, each chat's in order,
a RetryAfter honoured — and a person's command is answered while a backlog is still waiting
(issue 14: 10,000 reminders due at start delayed the answer to /start from 0.9 to 2.3 s)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

from bot.core.model import STAGE_KEYS
from bot.core.schedule import ReviewRule
from bot.pacing import CHAT_INTERVAL, OUTBOX_PER_SECOND, OutboxPacer
from storage.chats import remember_chat
from storage.db import open_db, to_iso, utcnow
from storage.maps import create_map
from storage.reminders import save_schedule
from tests.emulator.models import User
from tests.harness import BotUnderTest

TEAMS = [-7400 - i for i in range(8)]
MAPS_PER_TEAM = 4
ANNA = User(7401, "Anna", language_code="en")
TITLE = re.compile(r"Time to review “(Map [-\d]+/(\d))”")


def backlog(db_path, teams: list[int], maps: int) -> None:
    """`maps` maps per team, each with a review overdue; map k of a team is the (k+1)-th most
    overdue, so the outbox holds each team's reminders in map order."""
    db = open_db(db_path)
    now = utcnow()
    with db.atomic():
        for chat_id in teams:
            remember_chat(db, chat_id, "group", f"Team {chat_id}", "en")
            for k in range(maps):
                journey = create_map(db, chat_id, f"Map {chat_id}/{k}", None, None,
                                     [(key, None) for key in STAGE_KEYS])
                schedule = save_schedule(db, chat_id, journey.id, ReviewRule("weekly"), "UTC",
                                         now=now)
                db.execute("UPDATE schedules SET next_run_at = ? WHERE id = ?",
                           [to_iso(now - timedelta(seconds=60 - k)), schedule.id])
    db.close()


def reminder_calls(emu) -> list:
    return [c for c in emu.calls("sendMessage")
            if c.ok and TITLE.search(c.params.get("text", ""))]


def per_team(calls) -> dict[int, list]:
    teams: dict[int, list] = defaultdict(list)
    for call in calls:
        teams[int(call.params["chat_id"])].append(call)
    return teams


async def test_a_backlog_goes_out_paced_in_order_and_a_command_is_answered_first(emu, tmp_path):
    for chat_id in TEAMS:
        emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
    db_path = tmp_path / "bot.db"
    backlog(db_path, TEAMS, MAPS_PER_TEAM)
    emu.send_message(ANNA.id, "/start", user=ANNA)  # waiting when the bot starts, as the backlog
    total = len(TEAMS) * MAPS_PER_TEAM
    async with BotUnderTest(emu, db_path, load_nlp=False):
        await emu.wait_for(lambda: len(reminder_calls(emu)) >= total, timeout=30)
        await emu.wait_for(lambda: emu.bot_messages(ANNA.id), timeout=5)
    sends = reminder_calls(emu)
    assert len(sends) == total  # nothing lost, nothing twice
    teams = per_team(sends)
    assert sorted(teams) == sorted(TEAMS)
    for chat_id, calls in teams.items():
        order = [int(TITLE.search(c.params["text"]).group(2)) for c in calls]
        assert order == list(range(MAPS_PER_TEAM)), (chat_id, order)
        gaps = [b.time - a.time for a, b in pairwise(calls)]
        assert min(gaps) >= CHAT_INTERVAL * 0.9, (chat_id, gaps)
    times = sorted(c.time for c in sends)
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    assert busiest <= OUTBOX_PER_SECOND + 1, busiest
    answer = next(c for c in emu.calls("sendMessage")
                  if c.ok and int(c.params["chat_id"]) == ANNA.id)
    assert answer.time < times[-1]  # answered while the backlog was still going out
    assert sum(t < answer.time for t in times) < total // 2, "the answer waited for the backlog"


async def test_flood_control_pauses_the_outbox_and_keeps_each_chats_order(emu, tmp_path):
    """No request pacing here (it would absorb the 429 itself): the outbox honours the
    RetryAfter on its own — nothing queued goes out until it has passed — and the refused
    reminder goes out before its chat's later ones."""
    teams = TEAMS[:3]
    for chat_id in teams:
        emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
    db_path = tmp_path / "bot.db"
    backlog(db_path, teams, 3)
    emu.inject("sendMessage", status=429, retry_after=2, times=1)
    async with BotUnderTest(emu, db_path, load_nlp=False, rate_limit=False):
        await emu.wait_for(lambda: len(reminder_calls(emu)) >= 9, timeout=30)
    refused = next(c for c in emu.calls("sendMessage") if c.error_code == 429)
    sends = reminder_calls(emu)
    assert len(sends) == 9
    assert not [c for c in sends if refused.time < c.time < refused.time + 1.9]
    for chat_id, calls in per_team(sends).items():
        order = [int(TITLE.search(c.params["text"]).group(2)) for c in calls]
        assert order == [0, 1, 2], (chat_id, order)
    with open_db(db_path) as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM reminders")]
    assert statuses == ["sent"] * 9


async def test_people_waiting_at_start_are_answered_before_the_outbox_begins(emu, tmp_path):
    """At start the outbox's first delivery, the classifier's loading and the worker wait until
    the updates that were waiting are answered (bot/startup.py, after_first_answers); a note
    among them starts the classifier's loading itself and is answered too."""
    for chat_id in TEAMS:
        emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
    db_path = tmp_path / "bot.db"
    backlog(db_path, TEAMS, 1)
    emu.send_message(ANNA.id, "/start", user=ANNA)
    emu.send_message(ANNA.id, "/help", user=ANNA)
    emu.send_message(ANNA.id, "The courier was two days late", user=ANNA)
    # the production interval: only the start's own delivery can send the backlog this soon
    async with BotUnderTest(emu, db_path, load_nlp=True, reminder_interval=20.0):
        await emu.wait_for(lambda: len(reminder_calls(emu)) >= len(TEAMS), timeout=15)
        await emu.wait_for(lambda: len(emu.bot_messages(ANNA.id)) >= 3, timeout=60)
    answers = [c for c in emu.calls("sendMessage") if c.ok and int(c.params["chat_id"]) == ANNA.id]
    first_reminder = min(c.time for c in reminder_calls(emu))
    assert answers[0].time < first_reminder and answers[1].time < first_reminder, (
        "an outbox message went out before the commands waiting at start were answered")
    db = open_db(db_path)
    stored = db.execute("SELECT count(*) FROM notes WHERE text = ?",
                        ["The courier was two days late"]).fetchone()[0]
    db.close()
    assert stored == 1


async def test_a_group_gets_at_most_its_share_of_a_minute_and_other_chats_do_not_wait(
    emu, tmp_path, monkeypatch
):
    """Telegram takes about 20 messages a minute in a group. One second apart, a group whose
    outbox holds more (reminders of many maps, check-ins, digests, due-date reminders) would get
    60 a minute and wait in the request pacing, with the team's answers queued behind. Here a
    group's window is 3 in any 4 s (the bot: 15 a minute): the big group's seven reminders go
    out three per window, in order, and the small group's are not held back by them."""
    monkeypatch.setattr(
        "bot.reminders.OutboxPacer", functools.partial(OutboxPacer, group_limit=3, group_period=4)
    )
    big, small = TEAMS[0], TEAMS[1]
    for chat_id in (big, small):
        emu.create_chat(chat_id, chat_type="group", title=f"Team {chat_id}")
    db_path = tmp_path / "bot.db"
    backlog(db_path, [big], 7)
    backlog(db_path, [small], 2)
    async with BotUnderTest(emu, db_path, load_nlp=False):
        await emu.wait_for(lambda: len(reminder_calls(emu)) >= 9, timeout=40)
    teams = per_team(reminder_calls(emu))
    calls = teams[big]
    order = [int(TITLE.search(c.params["text"]).group(2)) for c in calls]
    assert order == list(range(7))
    times = [c.time for c in calls]
    busiest = max(sum(1 for t in times if start <= t < start + 4 * 0.97) for start in times)
    assert busiest == 3, [round(t - times[0], 2) for t in times]
    assert times[-1] - times[0] >= 8 * 0.95  # 3 + 3 + 1 over three windows
    assert max(c.time for c in teams[small]) < times[3]  # not behind the big group's window
