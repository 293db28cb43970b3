"""Quickstart: one question, one streamed answer, and the sync client in three lines.

Run it with:

    uv run python examples/quickstart.py

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI (it answers by
echoing the prompt, so you can see exactly what was sent). Set ``ONEMINAI_API_KEY`` (and
optionally ``ONEMINAI_BASE_URL``) to talk to the real service instead.
"""

from __future__ import annotations

import asyncio

from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.testing import Target, live_or_emulator


async def ask_and_stream(target: Target) -> None:
    # The async client is an async context manager: it owns one connection pool,
    # which is closed when the block ends.
    async with OneMinAIClient(target.api_key, base_url=target.base_url) as client:
        # One question, one complete answer. No conversation is created on the server.
        answer = await client.generate_content("What is the capital of France?")
        print(f"answer [{answer.model}]: {answer}")  # str(answer) is the answer's text

        # The same question, streamed: each chunk carries the new text in `text_delta`.
        print("stream: ", end="")
        async with client.generate_content_stream("Name three colours of the rainbow.") as stream:
            async for chunk in stream:
                print(chunk.text_delta, end="", flush=True)
        print()


def main() -> None:
    with live_or_emulator() as target:
        print(f"target: {target.description}")
        asyncio.run(ask_and_stream(target))

        # The sync client has the same methods, without `await`:
        with SyncOneMinAIClient(target.api_key, base_url=target.base_url) as client:
            print("sync:", client.generate_content("Say hello in French."))


if __name__ == "__main__":
    main()
