"""The board's API over HTTP (httpx → the Starlette app) with the real bot running against the
Bot API emulator: signed, forged, expired and other-chat initData; members and non-members
(getChatMember through the emulator); moving a card records a correction."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from bot.board import (
    CONTENT_SECURITY_POLICY,
    Membership,
    Refused,
    check_init_data,
    sign_init_data,
    start_param_for,
)
from storage.chats import set_everyone_edits
from storage.notes import get_note_by_number
from tests.board_support import fill_board, group_with_history, init_data, web_app
from tests.emulator.models import User
from tests.harness import TOKEN, BotUnderTest, Person

ANNA = User(701, "Anna", username="anna", language_code="en")
OLA = User(702, "Ola", language_code="pl")
STRANGER = User(703, "Mallory", language_code="uk")
TEAM = -7001
OTHER_TEAM = -7002


@pytest.fixture
async def bot(emu, tmp_path):
    async with BotUnderTest(emu, tmp_path / "bot.db", load_nlp=False) as bot:
        yield bot


@pytest.fixture
async def team(bot, emu):
    """A group with a map (a history: one resolved, one owned, one deleted); Anna administers
    it, Ola is a member, Mallory is not in it."""
    return await group_with_history(bot, TEAM, ANNA, OLA)


@pytest.fixture
async def client(bot):
    transport = httpx.ASGITransport(app=web_app(bot))
    async with httpx.AsyncClient(transport=transport, base_url="http://board.test") as client:
        yield client


def tma(data: str) -> dict:
    return {"Authorization": f"tma {data}"}


async def test_a_member_gets_the_whole_map(client, team):
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(OLA)))
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    board = answer.json()
    assert board["chat"]["lang"] == "en"
    assert board["map"]["name"] == "Cake orders"
    assert [s["key"] for s in board["map"]["stages"]] == [
        "awareness", "consideration", "decision", "purchase", "retention", "advocacy",
    ]
    notes = {n["number"]: n for n in cards(board)}
    assert sorted(notes) == [1, 2, 4, 5, 6, 7, 8, 9]  # #3 was deleted
    assert board["map"]["total"] == 8
    assert all(cell["count"] == len(cell["notes"]) for cell in board["map"]["cells"])
    assert {a["name"] for a in board["map"]["authors"]} == {"Anna", "Ola"}
    assert notes[2]["resolved"] and not notes[2]["pain"]  # resolved: marked, not pain
    assert notes[5]["pain"] and notes[5]["owner"] == "Ola"
    assert notes[6]["author"] == "Ola"
    assert len(board["map"]["curve"]) == 6 and board["map"]["curve"][3] < 0
    assert board["viewer"] == {"id": OLA.id, "admin": False}


def cards(board: dict) -> list[dict]:
    """Every card the board's first answer carries, cell after cell."""
    return [note for cell in board["map"]["cells"] for note in cell["notes"]]


async def test_a_crowded_cell_comes_first_30_then_page_by_page(bot, client, emu):
    """The first answer carries what the page draws (30 cards a cell and the cell's count,
    not 4.7 MiB for a 10,000-note map); the rest of a cell comes a page at a time, each note
    once, none left out."""
    many = [(f"Note number {i} about delivery", "pain_point", "purchase", -0.5, 0)
            for i in range(430)] + [("Loved the free samples", "emotion", "retention", 0.8, 0)]
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    journey = fill_board(bot.db, OLA.id, [OLA], many, name="Big")
    answer = await client.get(f"/api/board?chat_id={OLA.id}", headers=tma(init_data(OLA)))
    board = answer.json()
    crowded = next(c for c in board["map"]["cells"] if c["kind"] == "pain_point")
    assert crowded["count"] == 430 and len(crowded["notes"]) == 30
    assert [n["number"] for n in crowded["notes"]] == list(range(1, 31))  # oldest first
    assert len(cards(board)) == 31 and board["map"]["total"] == 431
    assert len(answer.content) < 30_000
    assert answer.headers["content-encoding"] == "gzip"  # compressed in the worker
    assert answer.num_bytes_downloaded < len(answer.content) / 4
    assert crowded["more"] == 400
    seen, cursor, fingerprint = [n["number"] for n in crowded["notes"]], crowded, None
    for expected, more in ((200, 200), (200, 0), (0, 0)):
        page = await client.get(
            f"/api/board/cell?chat_id={OLA.id}&map_id={journey.id}"
            f"&stage_id={crowded['stage_id']}&kind=pain_point&after={cursor['next']}",
            headers=tma(init_data(OLA)))
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        cursor = page.json()
        assert cursor["count"] == 430 and len(cursor["notes"]) == expected
        assert cursor["more"] == more
        assert cursor["before"] == (fingerprint or crowded["seen"])  # nothing drawn changed
        fingerprint = cursor["seen"]
        seen += [n["number"] for n in cursor["notes"]]
    assert seen == list(range(1, 431))


async def test_a_cell_changed_between_pages_neither_skips_nor_repeats(bot, client, emu):
    """Paging after the last card drawn (not by offset): a drawn note deleted and another
    moved into the cell leave the next page whole, its `more` true, and `before` tells the
    page that what it drew is out of date."""
    from storage.notes import correct_note, delete_note

    many = [(f"Late parcel {i}", "pain_point", "purchase", -0.5, 0) for i in range(40)]
    many.append(("Wants a gift card", "need", "decision", 0.0, 0))
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    journey = fill_board(bot.db, OLA.id, [OLA], many, name="Parcels")
    board = (await client.get(f"/api/board?chat_id={OLA.id}", headers=tma(init_data(OLA)))).json()
    crowded = next(c for c in board["map"]["cells"] if c["kind"] == "pain_point")
    assert (crowded["count"], crowded["more"]) == (40, 10)
    first = get_note_by_number(bot.db, OLA.id, journey.id, 1)
    delete_note(bot.db, OLA.id, first.id)  # drawn: the offset 30 would now skip #31
    gift = get_note_by_number(bot.db, OLA.id, journey.id, 41)
    correct_note(bot.db, OLA.id, gift.id, OLA.id, kind="pain_point",
                 stage_id=crowded["stage_id"], stage_key="purchase")
    page = (await client.get(
        f"/api/board/cell?chat_id={OLA.id}&map_id={journey.id}&stage_id={crowded['stage_id']}"
        f"&kind=pain_point&after={crowded['next']}&limit=5", headers=tma(init_data(OLA)))).json()
    assert [n["number"] for n in page["notes"]] == [31, 32, 33, 34, 35]
    assert (page["count"], page["more"]) == (40, 6)  # 36-40 and the gift card (#41)
    assert page["before"] != crowded["seen"]  # #1 is gone from what was drawn
    rest = (await client.get(
        f"/api/board/cell?chat_id={OLA.id}&map_id={journey.id}&stage_id={crowded['stage_id']}"
        f"&kind=pain_point&after={page['next']}", headers=tma(init_data(OLA)))).json()
    assert [n["number"] for n in rest["notes"]] == [36, 37, 38, 39, 40, 41]
    assert rest["more"] == 0 and rest["before"] == page["seen"]


async def test_no_board_answer_or_url_tells_how_many_notes_other_chats_write(bot, client, emu):
    """Note ids are shared by every chat: a cursor or fingerprint made of them would tell a
    member how many notes other teams write. Two chats with the same notes, one of them
    written after another chat's 800, get the very same cursors, fingerprints and cards, and
    no value in them is one of the notes' ids."""
    from storage.maps import replace_stages

    many = [(f"Parcel {i} came late", "pain_point", "purchase", -0.5, 0) for i in range(70)]
    many += [(f"Parcel {i} lost", "pain_point", "retention", -0.6, 0) for i in range(35)]
    boards = {}
    for user, noise in ((OLA, 0), (ANNA, 800)):
        await Person(bot, user.id, user).says("/start")
        if noise:  # another chat (one this member is not in) writes 800 notes first
            await Person(bot, STRANGER.id, STRANGER).says("/start")
            fill_board(bot.db, STRANGER.id, [STRANGER],
                       [(f"Other {i}", "need", "decision", 0.0, 0) for i in range(noise)],
                       name="Theirs")
        journey = fill_board(bot.db, user.id, [OLA], many, name="Parcels")
        retention = journey.stage_for_key("retention").id
        replace_stages(bot.db, user.id, journey.id,  # retention removed: its notes have none
                       [(s.id, s.key, s.name) for s in journey.stages if s.id != retention])
        answers = [(await client.get(f"/api/board?chat_id={user.id}",
                                     headers=tma(init_data(user)))).json()]
        urls = []
        for cell in answers[0]["map"]["cells"]:
            stage = "none" if cell["stage_id"] is None else cell["stage_id"]
            cursor = cell
            while cursor["more"]:
                urls.append(f"/api/board/cell?chat_id={user.id}&map_id={journey.id}"
                            f"&stage_id={stage}&kind={cell['kind']}&after={cursor['next']}"
                            "&limit=20")
                cursor = (await client.get(urls[-1], headers=tma(init_data(user)))).json()
                assert cursor["before"] != "" and cursor["notes"]
                answers.append(cursor)
        ids = {row[0] for row in bot.db.execute(
            "SELECT id FROM notes WHERE map_id = ?", [journey.id])}
        assert min(ids) > 800 if noise else max(ids) <= 105  # ids and numbers differ
        values = set(re.findall(r"[\w-]+", json.dumps(answers) + " ".join(urls)))
        assert not values & {str(i) for i in ids if i > 105}
        boards[user.id] = [
            {key: value for key, value in answer.items() if key in (
                "next", "seen", "before", "count", "more")}
            | {"cards": [(n["number"], n["text"]) for n in answer.get("notes", [])]}
            for answer in [*answers[0]["map"]["cells"], *answers[1:]]
        ]
        assert len(answers) == 1 + 2 + 1  # the board (two cells), then 2 pages and 1
    assert boards[OLA.id] == boards[ANNA.id]
    numbers = [n for page in boards[ANNA.id] if page["cards"] and page["cards"][0][1].endswith(
        "lost") for n, _ in page["cards"]]
    assert numbers == list(range(71, 106))  # the stageless cell: each note once, in order


async def test_filters_are_applied_by_the_server_to_counts_and_pages(bot, client, team):
    pain = (await client.get(f"/api/board?chat_id={TEAM}&status=pain",
                             headers=tma(init_data(OLA)))).json()
    assert sorted(n["number"] for n in cards(pain)) == [5, 6]
    assert all(n["pain"] for n in cards(pain)) and pain["map"]["total"] == 8
    olas = (await client.get(f"/api/board?chat_id={TEAM}&author={OLA.id}&lane=pain_point",
                             headers=tma(init_data(OLA)))).json()
    assert {(n["author"], n["kind"]) for n in cards(olas)} == {("Ola", "pain_point")}
    stage = next(c["stage_id"] for c in pain["map"]["cells"])
    page = (await client.get(
        f"/api/board/cell?chat_id={TEAM}&map_id={team.id}&stage_id={stage}"
        f"&kind=pain_point&after=0&status=resolved", headers=tma(init_data(OLA)))).json()
    assert page["count"] == 0 and page["notes"] == []


@pytest.mark.parametrize(
    "query",
    [
        "stage_id=1&kind=gossip&after=0",
        "stage_id=1&kind=need&after=-1",
        "stage_id=1&kind=need&after=12a",
        "stage_id=abc&kind=need&after=0",
        "stage_id=1&kind=need&after=0&limit=100000",
        "stage_id=1&kind=need&after=0&status=sleeping",
        "stage_id=1&kind=need&after=0&author=someone",
    ],
)
async def test_a_cell_request_not_understood_is_400(bot, client, team, query):
    answer = await client.get(f"/api/board/cell?chat_id={TEAM}&map_id={team.id}&{query}",
                              headers=tma(init_data(OLA)))
    assert answer.status_code == 400 and "Nie rozumiem" in answer.json()["message"]  # hers


async def test_a_cell_of_a_map_no_longer_active_is_409_and_a_stranger_gets_nothing(
    bot, client, team
):
    stage = team.stage_for_key("purchase").id
    path = f"/api/board/cell?chat_id={TEAM}&map_id={team.id + 1000}&stage_id={stage}" \
        "&kind=pain_point&after=0"
    stale = await client.get(path, headers=tma(init_data(OLA)))
    assert stale.status_code == 409 and "zmieniła" in stale.json()["message"]
    mine = path.replace(str(team.id + 1000), str(team.id))
    stranger = await client.get(mine, headers=tma(init_data(STRANGER)))
    assert stranger.status_code == 403 and "Card payment" not in stranger.text


async def test_the_chat_language_is_the_boards(bot, client, team):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    fill_board(bot.db, OLA.id, [OLA, OLA], name="Tort")
    board = (await client.get(f"/api/board?chat_id={OLA.id}", headers=tma(init_data(OLA)))).json()
    assert board["chat"]["lang"] == "pl"
    assert board["texts"]["move"] == "Przenieś"
    assert board["map"]["stages"][0]["name"] == "Świadomość"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer x"},
        {"Authorization": "tma "},
        {"Authorization": "tma query_id=1&auth_date=1&hash=00"},
    ],
)
async def test_no_or_unsigned_init_data_is_401(client, team, headers):
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=headers)
    assert answer.status_code == 401
    assert "map" not in answer.json() and "Cake" not in answer.text


async def test_forged_init_data_is_401(client, team):
    forged = init_data(STRANGER, token="999999:another-bots-token")
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(forged))
    assert answer.status_code == 401
    assert answer.json()["error"] == "auth"
    # the refusal is worded in the language the (unverified) user says they use
    assert answer.json()["message"].startswith("Дошка не змогла")


async def test_tampered_init_data_is_401(client, team):
    signed = init_data(STRANGER)
    tampered = signed.replace(f"%22id%22%3A{STRANGER.id}", f"%22id%22%3A{ANNA.id}")
    assert tampered != signed
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(tampered))
    assert answer.status_code == 401


async def test_expired_init_data_is_401(client, team):
    old = init_data(OLA, age=24 * 3600 + 60)
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(old))
    assert answer.status_code == 401
    fresh_enough = init_data(OLA, age=23 * 3600)
    assert (await client.get(f"/api/board?chat_id={TEAM}", headers=tma(fresh_enough))).is_success


async def test_a_non_member_is_403(client, team, emu):
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(STRANGER)))
    assert answer.status_code == 403
    assert "notes" not in answer.text
    emu.set_member_status(TEAM, STRANGER.id, "left")
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(STRANGER)))
    assert answer.status_code == 403


async def test_another_chats_init_data_is_403(client, team, emu):
    emu.set_member_status(OTHER_TEAM, OLA.id, "member")
    made_for_other = init_data(OLA, start_param=start_param_for(OTHER_TEAM))
    answer = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(made_for_other))
    assert answer.status_code == 403
    made_for_team = init_data(OLA, start_param=start_param_for(TEAM))
    assert (await client.get(f"/api/board?chat_id={TEAM}", headers=tma(made_for_team))).is_success


async def test_a_private_board_is_its_users_alone(bot, client, team):
    ola = Person(bot, OLA.id, OLA)
    await ola.says("/start")
    fill_board(bot.db, OLA.id, [OLA, OLA], name="Mine")
    answer = await client.get(f"/api/board?chat_id={OLA.id}", headers=tma(init_data(ANNA)))
    assert answer.status_code == 403
    answer = await client.get(f"/api/board?chat_id={OLA.id}", headers=tma(init_data(OLA)))
    assert answer.json()["viewer"]["admin"] is True


async def test_membership_is_asked_at_most_once_a_minute(bot, emu):
    now = [0.0]
    membership = Membership(bot.app.bot, clock=lambda: now[0])
    emu.set_member_status(TEAM, OLA.id, "member")
    assert await membership.status(TEAM, OLA.id) == "member"
    emu.set_member_status(TEAM, OLA.id, "kicked")
    now[0] = 59.0
    assert await membership.status(TEAM, OLA.id) == "member"  # kept for a minute
    now[0] = 60.5
    assert await membership.status(TEAM, OLA.id) == "kicked"


async def test_moving_a_card_is_a_correction(bot, client, team):
    stages = {s.key: s.id for s in team.stages}
    answer = await client.post(
        "/api/notes/6/move",
        headers=tma(init_data(OLA)),
        json={"chat_id": TEAM, "stage_id": stages["decision"], "kind": "need"},
    )
    assert answer.status_code == 200, answer.text
    note = get_note_by_number(bot.db, TEAM, team.id, 6)
    assert (note.stage_id, note.kind) == (stages["decision"], "need")
    rows = list(bot.db.query(
        "SELECT user_id, field, old_value, new_value FROM corrections WHERE note_id = ?"
        " ORDER BY id", [note.id]))
    assert rows == [
        {"user_id": OLA.id, "field": "stage", "old_value": "purchase", "new_value": "decision"},
        {"user_id": OLA.id, "field": "kind", "old_value": "pain_point", "new_value": "need"},
    ]
    assert not [m for m in bot.emu.bot_messages(TEAM) if "#6" in (m.text or "")]  # chat: quiet


async def test_members_move_their_own_cards_admins_any(bot, client, team):
    stages = {s.key: s.id for s in team.stages}
    body = {"chat_id": TEAM, "stage_id": stages["retention"]}
    annas_note = await client.post("/api/notes/5/move", headers=tma(init_data(OLA)), json=body)
    assert annas_note.status_code == 403
    assert annas_note.json()["message"].startswith("Notatkę może przenieść tylko")
    assert get_note_by_number(bot.db, TEAM, team.id, 5).stage_id == stages["purchase"]
    by_admin = await client.post("/api/notes/6/move", headers=tma(init_data(ANNA)), json=body)
    assert by_admin.status_code == 200
    stranger = await client.post("/api/notes/1/move", headers=tma(init_data(STRANGER)), json=body)
    assert stranger.status_code == 403
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1


async def test_with_everyone_edits_on_members_move_any_card(bot, client, team):
    """The chat's /roles setting counts on the board as in the chat (one permission policy)."""
    stages = {s.key: s.id for s in team.stages}
    body = {"chat_id": TEAM, "stage_id": stages["retention"]}
    board = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(OLA)))
    assert board.json()["viewer"] == {"id": OLA.id, "admin": False}
    set_everyone_edits(bot.db, TEAM, allowed=True)
    board = await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(OLA)))
    assert board.json()["viewer"] == {"id": OLA.id, "admin": True}  # Move offered on every card
    annas_note = await client.post("/api/notes/5/move", headers=tma(init_data(OLA)), json=body)
    assert annas_note.status_code == 200
    assert get_note_by_number(bot.db, TEAM, team.id, 5).stage_id == stages["retention"]
    stranger = await client.post("/api/notes/1/move", headers=tma(init_data(STRANGER)), json=body)
    assert stranger.status_code == 403


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/notes/3/move", {"kind": "need"}),  # deleted
        ("/api/notes/99/move", {"kind": "need"}),
        ("/api/notes/abc/move", {"kind": "need"}),
        ("/api/notes/1/move", {"kind": "gossip"}),
        ("/api/notes/1/move", {"stage_id": 10**9}),
        ("/api/notes/1/move", {}),
    ],
)
async def test_bad_moves_change_nothing(bot, client, team, path, body):
    answer = await client.post(path, headers=tma(init_data(ANNA)), json={"chat_id": TEAM, **body})
    assert answer.status_code in (400, 404)
    assert answer.json()["message"]
    assert bot.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


async def test_the_page_has_a_strict_policy_and_no_outside_scripts(client):
    page = await client.get("/board/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "://" not in page.text  # no outside addresses at all
    assert "<script>" not in page.text  # no inline code: every script is a file of ours
    assert not re.search(r"\son[a-z]+=", page.text)  # no inline event handlers
    script = await client.get("/board/telegram-web-app.js")
    assert script.status_code == 200
    assert "window.Telegram.WebApp = WebApp;" in script.text
    assert (await client.get("/board/../bot/board.py")).status_code == 404
    assert (await client.get("/board/secret.db")).status_code == 404


async def test_no_note_text_in_logs(client, team, caplog):
    caplog.set_level("DEBUG")
    await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(ANNA)))
    await client.post("/api/notes/6/move", headers=tma(init_data(ANNA)),
                      json={"chat_id": TEAM, "kind": "need"})
    await client.get(f"/api/board?chat_id={TEAM}", headers=tma(init_data(STRANGER)))
    logged = caplog.text + json.dumps([r.__dict__ for r in caplog.records], default=str)
    assert "Card payment" not in logged and "basket" not in logged


def test_init_data_as_telegram_documents_it():
    """Telegram's algorithm written out here independently of bot.board: the library accepts
    it, and a changed field, another bot's key or an old auth_date are refused."""
    import hashlib
    import hmac
    import time
    from urllib.parse import quote

    user = '{"id":279058397,"first_name":"Vladislav","language_code":"ru"}'
    fields = {"auth_date": str(int(time.time())), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": user}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    raw = "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items()) + f"&hash={digest}"
    assert check_init_data(raw, TOKEN).user_id == 279058397
    assert check_init_data(raw, TOKEN).lang == "uk"  # ru → the nearest interface language
    with pytest.raises(Refused):
        check_init_data(raw.replace("Vladislav", "Vladimir"), TOKEN)
    with pytest.raises(Refused):
        check_init_data(raw, "999:other")
    assert sign_init_data(TOKEN, {k: v for k, v in fields.items()}).endswith(f"hash={digest}")
