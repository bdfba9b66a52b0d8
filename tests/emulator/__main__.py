"""Run the emulator standalone: ``python -m tests.emulator --port 8081``."""

from __future__ import annotations

import argparse
import signal
import threading

from .emulator import TelegramEmulator


def main(argv: list[str] | None = None) -> None:
    """Start the emulator, print its URLs, serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=8081, help="TCP port (0 = any free one)")
    parser.add_argument("--bot-username", default="journeybot_test_bot")
    parser.add_argument("--no-privacy", action="store_true",
                        help="deliver every group message to the bot")
    args = parser.parse_args(argv)
    emulator = TelegramEmulator(host=args.host, port=args.port, bot_username=args.bot_username,
                                privacy_mode=not args.no_privacy).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print(f"Telegram Bot API emulator listening on {emulator.url}", flush=True)
    print(f"base_url={emulator.base_url}", flush=True)
    print(f"base_file_url={emulator.base_file_url}", flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
