"""Nobody gets in: buttons and commands touch only their own chat's data, destructive actions in a
group are for its administrators, and people who left a group cannot act through old buttons.

Each forged press is answered with a localized refusal (answerCallbackQuery), and the database's
tables are compared before and after: not a row of the other chat changes.
"""

from __future__ import annotations

import pytest

from bot.core.model import STAGE_KEYS, NoteDraft
from bot.core.schedule import ReviewRule
from bot.texts import t
from storage.chats import remember_chat, remember_user, set_active_map
from storage.db import utcnow
from storage.maps import create_map
from storage.notes import add_note
from storage.reminders import save_schedule
from storage.reviews import start_review
from tests.emulator.models import User
from tests.harness import BotUnderTest, Person

ANNA = User(801, "Anna", language_code="en")  # administrator of TEAM
BORYS = User(802, "Borys", language_code="uk")  # a member of TEAM
MALLORY = User(803, "Małgorzata", language_code="pl")  # not in TEAM; admin of her own group
TEAM = -8001
OTHER_TEAM = -8002
DOMAIN_TABLES = (
    "maps", "stages", "notes", "corrections", "schedules", "reviews", "reminders", "dialogs",
)
SECRET = "our supplier is late every friday"


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


def dump(db, tables=DOMAIN_TABLES) -> dict[str, list[tuple]]:
    """Every row of the tables that hold the chats' work, in a comparable form (without the
    search keys, which the background job derives from a note's text at any time)."""
    dumped = {}
    for table in tables:
        columns = ", ".join(c.name for c in db[table].columns if c.name != "search_keys")
        rows = db.execute(f"SELECT {columns} FROM {table}").fetchall()
        dumped[table] = sorted(map(tuple, rows), key=repr)
    return dumped


def team_with_everything(db) -> dict[str, int]:
    """TEAM's map with a pain point, a note, a schedule and a running review (ids returned)."""
    remember_chat(db, TEAM, "group", "Bakery", "en")
    remember_user(db, ANNA.id, ANNA.first_name, None, "en")
    journey = create_map(db, TEAM, "Cake orders", None, ANNA.id, [(k, None) for k in STAGE_KEYS])
    set_active_map(db, TEAM, journey.id)
    stage = journey.stages[0]
    pain = add_note(
        db, TEAM, journey.id, stage.id,
        NoteDraft(text=SECRET, lang="en", kind="pain_point", stage_key=stage.key), ANNA.id,
    )
    note = add_note(
        db, TEAM, journey.id, stage.id,
        NoteDraft(text="we post on instagram", lang="en", kind="touchpoint", stage_key=stage.key),
        ANNA.id,
    )
    schedule = save_schedule(db, TEAM, journey.id, ReviewRule("weekly"), "UTC", now=utcnow())
    review = start_review(db, TEAM, journey.id, ANNA.id, utcnow())
    return {
        "map": journey.id, "stage": stage.id, "other_stage": journey.stages[1].id,
        "pain": pain.id, "note": note.id, "schedule": schedule.id, "review": review.id,
    }


def forged_buttons(ids: dict[str, int]) -> list[str]:
    """Every kind of button that carries an id, pointed at TEAM's map, notes, schedule, review."""
    m, n, p, s, r = ids["map"], ids["note"], ids["pain"], ids["schedule"], ids["review"]
    return [
        f"nb:stage:{n}", f"nb:kind:{n}", f"nb:back:{n}", f"nb:undo:{n}", f"nb:chan:{n}",
        f"nb:tch:{n}:phone",
        f"nb:setstage:{n}:{ids['other_stage']}", f"nb:setkind:{n}:pain_point",
        f"maps:use:{m}", f"dm:yes:{m}", f"dm:no:{m}", f"rv:start:{m}",
        f"rp:res:{r}:{p}", f"rp:open:{r}:{p}", f"rp:mine:{r}:{p}", f"rp:idea:{r}:{p}",
        f"rp:fin:{r}:0", f"rs:snooze:{s}", f"rs:skip:{s}",
        f"ex:csv:{m}", f"ex:json:{m}", f"ex:md:{m}", f"ex:png:{m}",
    ]


@pytest.mark.parametrize("where", ["private chat", "own group as its admin"])
async def test_forged_buttons_for_another_chats_data_are_refused_and_change_nothing(bot, where):
    ids = team_with_everything(bot.db)
    chat_id = MALLORY.id if where == "private chat" else OTHER_TEAM
    mallory = Person(bot, chat_id, MALLORY, title="Mallory's shop")
    if chat_id < 0:
        bot.emu.set_member_status(OTHER_TEAM, MALLORY.id, "creator")
    own_message = (await mallory.says("/start"))[-1]
    before = dump(bot.db)
    refusal = t("pl", "error.not_found")

    for data in forged_buttons(ids):
        new = await mallory.presses_data(own_message.message_id, data, force=True)
        assert mallory.last_answer()["text"] == refusal, data
        assert new == [], data
    assert dump(bot.db) == before
    assert bot.emu.bot_messages(TEAM) == []  # nothing was said in the team's chat
    assert not [c for c in bot.emu.calls() if c.method in ("sendDocument", "sendPhoto")]


async def test_commands_see_and_touch_only_their_own_chat(bot):
    ids = team_with_everything(bot.db)
    mallory = Person(bot, MALLORY.id, MALLORY)
    await mallory.says("/start")
    before = dump(bot.db)

    # note numbers belong to the asker's own active map: Mallory has none
    for command in (f"/delete {ids['note']}", f"/delete #{ids['pain']}", f"/note {ids['note']}"):
        assert (await mallory.says(command))[-1].text == t("pl", "error.no_active_map"), command
    found = (await mallory.says("/search supplier friday"))[-1].text
    assert found == t("pl", "search.none", query="supplier friday")  # the query, no note
    for command in ("/map", "/review", "/insights", "/export csv", "/deletemap", "/rename X"):
        answer = (await mallory.says(command))[-1]
        assert answer.text == t("pl", "error.no_active_map") or SECRET not in answer.text, command
    everything = (await mallory.says("/export all"))[-1]
    assert SECRET.encode() not in bot.emu.file_bytes(everything.message["document"]["file_id"])
    assert dump(bot.db) == before


async def test_only_administrators_delete_maps_and_forget_the_chat(bot):
    ids = team_with_everything(bot.db)
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    borys = Person(bot, TEAM, BORYS, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    bot.emu.set_member_status(TEAM, BORYS.id, "member")
    before = dump(bot.db)

    assert (await borys.says("/deletemap"))[-1].text == t("en", "error.not_allowed")
    assert (await borys.says("/forget"))[-1].text == t("en", "error.not_allowed")
    delete_map = (await anna.says("/deletemap"))[-1]
    forget = (await anna.says("/forget"))[-1]
    not_yours = t("en", "error.not_your_question")
    for label, question in (("Delete", delete_map), ("Keep", delete_map), ("Yes", forget),
                            ("No", forget)):
        await borys.presses(label, question)  # Anna asked: Borys answers neither way
        assert borys.last_answer()["text"] == not_yours, label
    # forged: "yes" naming himself as the asker, on a message of his own
    own = (await borys.says("/help"))[-1]
    await borys.presses_data(own.message_id, f"dm:yes:{ids['map']}:{BORYS.id}", force=True)
    assert borys.last_answer()["text"] == t("en", "error.not_allowed")
    await borys.presses_data(own.message_id, f"fg:yes:{BORYS.id}", force=True)
    assert borys.last_answer()["text"] == t("en", "error.not_allowed")
    assert dump(bot.db) == before

    await anna.presses("Delete", delete_map)
    assert bot.db.execute("SELECT count(*) FROM maps").fetchone()[0] == 0


@pytest.mark.parametrize("how", ["left", "kicked", "status only"])
async def test_people_who_left_the_group_cannot_use_its_old_buttons(bot, how):
    ids = team_with_everything(bot.db)
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    borys = Person(bot, TEAM, BORYS, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    bot.emu.set_member_status(TEAM, BORYS.id, "administrator")
    listed = (await borys.says(f"/note {SECRET} again"))[-1]  # the group's combined ack
    ack = (await borys.presses(listed.button_texts[0], listed))[-1]  # the note's own card
    delete_map = (await anna.says("/deletemap"))[-1]
    if how == "status only":  # what getChatMember answers; no update about it
        bot.emu.set_member_status(TEAM, BORYS.id, "left")
    else:
        bot.emu.remove_chat_member(TEAM, BORYS, status=how)
        bot.expected += 2  # the chat_member update and the service message
        await bot.settle()
    before = dump(bot.db)

    for message, label in ((delete_map, "Delete"), (ack, "Undo"), (ack, "Change kind"),
                           (listed, listed.button_texts[0])):
        assert await borys.presses(label, message) == []
        assert borys.last_answer()["text"] == t("en", "error.not_a_member"), label
        assert borys.last_answer()["show_alert"] is True
    await borys.presses_data(ack.message_id, f"rp:res:{ids['review']}:{ids['pain']}", force=True)
    assert borys.last_answer()["text"] == t("en", "error.not_a_member")
    assert dump(bot.db) == before
    # the people still in the group are not affected
    await anna.presses("Undo", ack)
    assert anna.last_answer()["text"] in (None, "")
    assert dump(bot.db) != before


async def test_a_press_is_refused_when_telegram_cannot_say_who_is_in_the_group(bot):
    team_with_everything(bot.db)
    anna = Person(bot, TEAM, ANNA, title="Bakery")
    bot.emu.set_member_status(TEAM, ANNA.id, "administrator")
    delete_map = (await anna.says("/deletemap"))[-1]
    before = dump(bot.db)
    bot.emu.inject("getChatMember", status=500, times=1)
    await anna.presses("Delete", delete_map)
    assert anna.last_answer()["text"] == t("en", "error.generic")
    assert dump(bot.db) == before
    await anna.presses("Delete", delete_map)  # Telegram answers again: the press works
    assert bot.db.execute("SELECT count(*) FROM maps").fetchone()[0] == 0


# --- roles: every action × admin / member / former member / outsider, in a group and privately ---

CEZARY = User(804, "Cezary", language_code="pl")  # a member who wrote the "others'" notes
FIONA = User(805, "Fiona", language_code="en")  # wrote a note, then left the group
OSCAR = User(806, "Oscar", language_code="bg")  # never in the group
REFUSALS = {
    t("en", key)
    for key in ("error.not_allowed", "error.not_your_note", "error.not_a_member",
                "error.not_your_question")
}
# What each role may do, written out (not derived from bot.core.permissions):
# (administrator, member, member when "everyone edits" is on). Former members and outsiders
# may do nothing; the one person of a private chat may do everything.
EXPECTED = {
    "add_note": (True, True, True),
    "view": (True, True, True),
    "export": (True, True, True),
    "review": (True, True, True),
    "new_map": (True, True, True),
    "switch_map": (True, True, True),
    "edit_own": (True, True, True),
    "delete_own": (True, True, True),
    "edit_others": (True, False, True),
    "delete_others": (True, False, True),
    "rename": (True, False, True),
    "edit_stages": (True, False, True),
    "schedule": (True, False, True),
    "language": (True, False, True),
    "delete_map": (True, False, False),
    "forget": (True, False, False),
    "change_roles": (True, False, False),
}
READ_ONLY = {"view", "export"}
PLACEHOLDER_IDS = dict.fromkeys(
    ("map", "second_map", "own", "others", "review", "pain", "own_number", "others_number"), 0
)


def the_forms(ids: dict[str, int], performer: int, everyone_edits: bool) -> dict[str, list]:
    """Each action as the commands ("/…", then the confirming button if one is offered) and
    the buttons (callback data) that do it."""
    m, second, own, others = ids["map"], ids["second_map"], ids["own"], ids["others"]
    roles_button = "roles:off" if everyone_edits else "roles:on"
    return {
        "add_note": [("cmd", "/note customers ask about gluten free bread", None)],
        "view": [("cmd", "/map text", None)],
        "export": [("cmd", "/export csv", None), ("btn", f"ex:csv:{m}")],
        "review": [("btn", f"rp:res:{ids['review']}:{ids['pain']}")],
        "new_map": [("cmd", "/newmap Second thoughts", None), ("btn", "start:newmap")],
        "switch_map": [("btn", f"maps:use:{second}")],
        "edit_own": [("btn", f"nb:setkind:{own}:emotion"), ("btn", f"nb:edit:{own}")],
        "delete_own": [("cmd", f"/delete {ids['own_number']}", "Yes, delete it"),
                       ("btn", f"nb:undo:{own}"), ("btn", f"nb:delyes:{own}:{performer}")],
        "edit_others": [("btn", f"nb:setkind:{others}:emotion"), ("btn", f"nb:edit:{others}")],
        "delete_others": [("cmd", f"/delete {ids['others_number']}", "Yes, delete it"),
                          ("btn", f"nb:undo:{others}"), ("btn", f"nb:delyes:{others}:{performer}")],
        "rename": [("cmd", "/rename Wedding cakes", None)],
        "edit_stages": [("cmd", "/stages", None)],
        "schedule": [("cmd", "/schedule", None), ("btn", "sched:open"),
                     ("cmd", "/digest weekly", None), ("btn", f"dg:on:{m}")],
        "language": [("cmd", "/language polski", None), ("btn", "lang:pl")],
        "delete_map": [("cmd", "/deletemap", "Delete"), ("btn", f"dm:yes:{m}:{performer}")],
        "forget": [("cmd", "/forget", "Yes"), ("btn", f"fg:yes:{performer}")],
        "change_roles": [("cmd", "/roles", "edit"), ("btn", roles_button)],
    }


def chat_with_history(db, chat_id: int, chat_type: str, performer: User, *, everyone_edits: bool):
    """A chat with two maps, notes by the performer and by Cezary, a schedule and a review."""
    remember_chat(db, chat_id, chat_type, "Bakery" if chat_id < 0 else performer.first_name, "en")
    for user in (ANNA, BORYS, CEZARY, FIONA, OSCAR, performer):
        remember_user(db, user.id, user.first_name, None, user.language_code)
    db.execute("UPDATE chats SET everyone_edits = ? WHERE id = ?", [int(everyone_edits), chat_id])
    stages = [(k, None) for k in STAGE_KEYS]
    journey = create_map(db, chat_id, "Cake orders", None, ANNA.id, stages)
    second = create_map(db, chat_id, "Deliveries", None, ANNA.id, stages)
    set_active_map(db, chat_id, journey.id)
    stage = journey.stages[0]

    def note(text: str, kind: str, author: User):
        draft = NoteDraft(text=text, lang="en", kind=kind, stage_key=stage.key)
        return add_note(db, chat_id, journey.id, stage.id, draft, author.id)

    pain = note(SECRET, "pain_point", CEZARY)
    own = note("we post on instagram", "touchpoint", performer)
    others = note("people find us on google maps", "touchpoint", CEZARY)
    save_schedule(db, chat_id, journey.id, ReviewRule("weekly"), "UTC", now=utcnow())
    review = start_review(db, chat_id, journey.id, ANNA.id, utcnow())
    return {"map": journey.id, "second_map": second.id, "pain": pain.id, "own": own.id,
            "others": others.id, "review": review.id, "own_number": own.number,
            "others_number": others.number}


def dump_all(db) -> dict[str, list[tuple]]:
    """Every table but the bookkeeping ones (update ids, the update inbox, users' last-seen
    times and who was seen in which group, the search index and the search keys a background
    job derives from note texts)."""
    found = {}
    for name in db.table_names():
        if name in ("handled_updates", "inbox", "users", "chat_members") or name.startswith(
            ("_", "sqlite_", "notes_fts", "notes_search")
        ):
            continue
        columns = ", ".join(c for c in db[name].columns_dict if c != "search_keys")
        rows = db.execute(f"SELECT {columns} FROM {name}").fetchall()
        found[name] = sorted(map(tuple, rows), key=repr)
    return found


async def perform(person: Person, form: tuple) -> list[str]:
    """Does one form of an action; returns what the bot said and answered meanwhile."""
    emu = person.emu
    answered = len(emu.answered_callbacks)
    if form[0] == "cmd":
        _, command, confirm = form
        said = await person.says(command)
        if confirm and said and said[-1].callback_data:
            said += await person.presses(confirm, said[-1])
    else:
        said = await person.presses_data(10**6, form[1], force=True)
    answers = [a.get("text") or "" for a in emu.answered_callbacks[answered:]]
    return [m.text or m.caption or "" for m in said] + answers


@pytest.mark.parametrize(
    ("where", "role", "everyone_edits"),
    [
        ("group", "administrator", False),
        ("group", "member", False),
        ("group", "member", True),
        ("group", "former member", False),
        ("group", "outsider", False),
        ("private", "the chat's person", False),
    ],
)
async def test_every_action_for_every_role(bot, where, role, everyone_edits):
    performers = {"administrator": ANNA, "member": BORYS, "former member": FIONA,
                  "outsider": OSCAR}
    column = {"administrator": 0, "member": 2 if everyone_edits else 1}.get(role)
    wrong = []
    case = 0
    for action in EXPECTED:
        for form_index in range(len(the_forms(PLACEHOLDER_IDS, 0, everyone_edits)[action])):
            case += 1
            if where == "private":
                performer = User(90_000 + case, "Priya", language_code="en")
                chat_id, chat_type = performer.id, "private"
            else:
                performer, chat_id, chat_type = performers[role], -90_000 - case, "group"
            ids = chat_with_history(bot.db, chat_id, chat_type, performer,
                                    everyone_edits=everyone_edits)
            form = the_forms(ids, performer.id, everyone_edits)[action][form_index]
            if where == "private":
                bot.emu.create_chat(chat_id, chat_type="private", user=performer)
            if where == "group":
                bot.emu.create_chat(chat_id, chat_type="group", title="Bakery")
                status = {"administrator": "administrator", "member": "member"}.get(role, "left")
                for user, user_status in ((ANNA, "administrator"), (BORYS, "member"),
                                          (CEZARY, "member"), (FIONA, "left")):
                    bot.emu.set_member_status(chat_id, user.id, user_status)
                bot.emu.set_member_status(chat_id, performer.id, status)
                if column is None and form[0] == "cmd":
                    continue  # they cannot post in the group: only old buttons reach the bot
            person = Person(bot, chat_id, performer, title="Bakery" if chat_id < 0 else None)
            allowed = True if where == "private" else (
                EXPECTED[action][column] if column is not None else False
            )
            before = dump_all(bot.db)
            said = await perform(person, form)
            after = dump_all(bot.db)
            changed = after != before
            refused = any(refusal in line for line in said for refusal in REFUSALS)
            should_change = allowed and action not in READ_ONLY
            if where == "private" and action == "change_roles":
                should_change = False  # a group's setting: a private chat has nothing to share
            if changed != should_change or refused == allowed:
                diff = sorted(name for name in after if after[name] != before[name])
                wrong.append(f"{action} {form[:2]}: changed={diff} refused={refused} {said}")
    assert wrong == []
