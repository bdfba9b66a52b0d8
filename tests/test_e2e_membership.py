"""Who is in a group, decided by one rule (bot.core.permissions.in_chat) wherever it is asked:
a button pressed in the group, the people check-ins ask (chat_member updates), the person
/assign names, and the bot itself. Telegram's ChatMember statuses: creator, administrator and
member are in the chat; restricted is while `is_member` is true — a restricted member who
leaves stays "restricted" with is_member false; left and kicked are not."""

from __future__ import annotations

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.permissions import in_chat
from bot.core.schedule import ReviewRule
from bot.texts import t
from storage.chats import remember_chat, remember_user, set_active_map
from storage.checkins import list_members
from storage.db import utcnow
from storage.items import resolve_item
from storage.maps import create_map
from storage.notes import add_note, delete_note
from storage.reminders import save_schedule
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(811, "Anna", username="anna_bakery", language_code="en")  # administrator
BORYS = User(812, "Borys", username="borys_bakery", language_code="en")  # gets restricted
CEZARY = User(813, "Cezary", language_code="en")
TEAM = -8101


@pytest.mark.parametrize(
    ("status", "is_member", "inside"),
    [
        ("creator", None, True),
        ("administrator", None, True),
        ("member", None, True),
        ("restricted", True, True),
        ("restricted", False, False),
        ("left", None, False),
        ("kicked", None, False),
        ("something new", None, False),
    ],
)
def test_one_rule_says_who_is_in_a_chat(status, is_member, inside):
    assert in_chat(status, is_member=is_member) is inside


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def team_with_history(db) -> int:
    """The Bakery's two maps ("Wedding cakes" made first, "Cake orders" active), notes by Borys
    and Anna on both, a deleted note and a resolved pain point; returns the id of Borys's open
    pain point #1 of "Cake orders"."""
    remember_chat(db, TEAM, "group", "Bakery", "en")
    for user in (ANNA, BORYS, CEZARY):
        remember_user(db, user.id, user.first_name, user.username, "en")
    stages = [(key, None) for key in STAGE_KEYS]
    weddings = create_map(db, TEAM, "Wedding cakes", None, ANNA.id, stages)
    purchase = weddings.stage_for_key("purchase").id
    old = add_note(db, TEAM, weddings.id, purchase,
                   NoteDraft("tasting slots are always full", "en", "pain_point", "purchase"),
                   BORYS.id)
    resolve_item(db, TEAM, old.id, ANNA.id, now=old.created_at)
    orders = create_map(db, TEAM, "Cake orders", None, ANNA.id, stages)
    purchase = orders.stage_for_key("purchase").id
    pain = add_note(db, TEAM, orders.id, purchase,
                    NoteDraft("the card terminal fails at lunch", "en", "pain_point", "purchase"),
                    BORYS.id)
    gone = add_note(db, TEAM, orders.id, purchase,
                    NoteDraft("we post on instagram", "en", "touchpoint", "awareness"), ANNA.id)
    delete_note(db, TEAM, gone.id)
    set_active_map(db, TEAM, orders.id)
    return pain.id


def members(bot) -> list[str]:
    return [member.first_name for member in list_members(bot.db, TEAM)]


async def test_a_restricted_member_is_in_the_group_until_they_leave(bot):
    team_with_history(bot.db)
    anna, borys = (Person(bot, TEAM, user, title="Bakery") for user in (ANNA, BORYS))
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    for person in (anna, borys):
        await person.says("/help")
    card = (await borys.says("/note 1"))[-1]
    assert members(bot) == ["Anna", "Borys"]

    # an admin restricts Borys (he may not send media): he is still in the group
    bot.emu.add_chat_member(TEAM, BORYS, status="restricted", service_message=False)
    bot.expected += 1  # the chat_member update
    await bot.settle()
    assert members(bot) == ["Anna", "Borys"]
    await borys.presses("Change kind", card)
    assert "What kind" in borys.message(card.message_id).text  # the press worked
    await borys.presses("Back", borys.message(card.message_id))
    assert "Borys" in (await anna.says("/assign 1 @borys_bakery"))[-1].text
    assert bot.db.execute("SELECT owner_id FROM notes WHERE number = 1 AND map_id = "
                          "(SELECT active_map_id FROM chats WHERE id = ?)", [TEAM]).fetchone() \
        == (BORYS.id,)

    # he leaves while restricted: Telegram says "restricted" with is_member false, and a large
    # group shows no service message — the chat_member update is all the bot hears
    bot.emu.remove_chat_member(TEAM, BORYS, status="restricted-left", service_message=False)
    bot.expected += 1
    await bot.settle()
    assert members(bot) == ["Anna"]  # check-ins no longer ask him (they did)
    assert await borys.presses("Change kind", borys.message(card.message_id)) == []
    assert borys.last_answer()["text"] == t("en", "error.not_a_member")
    refused = (await anna.says("/assign 1 @borys_bakery"))[-1].text
    assert refused == t("en", "item.not_member", person="@borys_bakery")

    # he comes back, still restricted: in again, everywhere
    bot.emu.add_chat_member(TEAM, BORYS, status="restricted", service_message=False)
    bot.expected += 1
    await bot.settle()
    assert members(bot) == ["Anna", "Borys"]
    await borys.presses("Change kind", borys.message(card.message_id))
    assert "What kind" in borys.message(card.message_id).text


async def test_the_bot_restricted_after_leaving_pauses_what_it_sends(bot):
    """The bot's own membership follows the same rule (`my_chat_member`)."""
    team_with_history(bot.db)
    active = bot.db.execute("SELECT active_map_id FROM chats WHERE id = ?", [TEAM]).fetchone()[0]
    save_schedule(bot.db, TEAM, active, ReviewRule("weekly"), "UTC", now=utcnow())
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    await anna.says("/help")

    def paused() -> list[tuple]:
        return bot.db.execute("SELECT paused FROM schedules WHERE chat_id = ?", [TEAM]).fetchall()

    bot.emu.set_bot_status(TEAM, "restricted", by=ANNA)  # still in the group
    bot.expected += 1
    await bot.settle()
    assert paused() == [(0,)]
    bot.emu.set_bot_status(TEAM, "restricted-left", by=ANNA)
    bot.expected += 1
    await bot.settle()
    assert paused() == [(1,)]
