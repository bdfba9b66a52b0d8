"""Takes docs/board-360.png and docs/board-1280.png: the board (issue 17 §2) of a small bakery
map in headless Chromium, at a phone's 360 px and a desktop's 1280 px, in Telegram's dark theme.

    $ .venv/bin/python docs/make_board_screenshots.py

It runs what the tests run: journeybot against the Bot API emulator (tests/emulator), the
board served by uvicorn on 127.0.0.1, initData signed for the test token, Debian's chromium
(`apt-get install chromium`) driven by Playwright.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.board_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    THEME,
    board_url,
    fill_board,
    init_data,
    second_day,
    serving,
    web_app,
)
from tests.emulator.emulator import TelegramEmulator  # noqa: E402
from tests.emulator.models import User  # noqa: E402
from tests.harness import BotUnderTest, Person  # noqa: E402

ANNA = User(731, "Anna", language_code="en")
OLA = User(732, "Ola", language_code="en")
TEAM = -7301
SIZES = {360: 780, 1280: 720}


async def main() -> None:
    emu = TelegramEmulator().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with BotUnderTest(emu, Path(folder) / "bot.db", load_nlp=False) as bot:
                await Person(bot, TEAM, ANNA, chat_type="supergroup", title="Bakery").says(
                    "/start"
                )
                emu.set_member_status(TEAM, ANNA.id, "administrator")
                journey = fill_board(bot.db, TEAM, [ANNA, OLA])
                second_day(bot.db, TEAM, journey, OLA)
                async with serving(web_app(bot)) as base, async_playwright() as p:
                    browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    for width, height in SIZES.items():
                        page = await browser.new_page(viewport={"width": width, "height": height})
                        await page.goto(board_url(base, TEAM, init_data(ANNA), THEME))
                        await page.wait_for_selector("body.loaded")
                        out = ROOT / "docs" / f"board-{width}.png"
                        await page.screenshot(path=str(out), full_page=width > 400)
                        print(out.relative_to(ROOT))
                    await browser.close()
    finally:
        emu.stop()


if __name__ == "__main__":
    asyncio.run(main())
