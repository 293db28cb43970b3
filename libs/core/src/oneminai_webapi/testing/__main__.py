"""Command line: ``python -m oneminai_webapi.testing --port 8765 --api-key KEY``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import Any

from ._server import Emulator


def _parse(argv: Sequence[str] | None, prog: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=prog, description="Run a local emulator of the 1min.AI API.")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    p.add_argument("--api-key", default="test-key", help="accepted API key (default test-key)")
    p.add_argument("--rate-limit", action="store_true", help="enable the 180/min rate limit")
    p.add_argument("--legacy-chat", action="store_true", help="accept legacy CHAT_WITH_* types")
    p.add_argument("--bearer", action="store_true", help="also accept Authorization: Bearer")
    p.add_argument("--credits", type=int, default=None, help="initial team credit")
    return p.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    options: dict[str, Any] = {
        "rate_limit": args.rate_limit,
        "legacy_chat": args.legacy_chat,
        "accept_bearer_auth": args.bearer,
    }
    if args.credits is not None:
        options["initial_credits"] = args.credits
    emu = Emulator(args.api_key, host=args.host, port=args.port, **options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    async with emu:
        print(f"1min.AI emulator listening on {emu.base_url}", flush=True)
        print(f"  API key: {emu.api_key}   team id: {emu.team_id}", flush=True)
        print(f"  assets:  {emu.asset_base_url}/<key>", flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None, prog: str = "oneminai-emulator") -> int:
    """Entry point of ``oneminai-emulator`` (and of ``oneminai emulator``)."""
    args = _parse(argv, prog)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
