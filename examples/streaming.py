"""Streaming answers: text deltas, the final chunk, a cut stream, and the sync stream.

Run it with:

    uv run python examples/streaming.py

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI; set
``ONEMINAI_API_KEY`` (and optionally ``ONEMINAI_BASE_URL``) to use the real service.

What it shows:

1. ``async for chunk in stream``: ``chunk.text_delta`` is the new text, ``chunk.text``
   everything so far; the last chunk has ``is_final=True`` and the record id.
2. Handling ``StreamInterruptedError``: when a connection drops mid-answer, the error keeps
   what already arrived in ``partial_text``. On the emulator the script cuts the stream on
   purpose so that you can see the handler run; on the real service it normally finishes.
3. The same stream with the sync client (a plain ``for`` loop).
"""

from __future__ import annotations

import asyncio

from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.exceptions import StreamInterruptedError
from oneminai_webapi.testing import Fault, Target, live_or_emulator

PROMPT = "Write one sentence about the sea."


async def async_streaming(target: Target) -> None:
    async with OneMinAIClient(target.api_key, base_url=target.base_url) as client:
        print("── async stream")
        deltas = 0
        # `async with` guarantees the connection is released, even if we stop early.
        async with client.generate_content_stream(PROMPT) as stream:
            async for chunk in stream:
                if chunk.is_final:
                    # The final chunk adds no text; it carries the whole answer and the ids.
                    print(
                        f"\n  final chunk: {len(chunk.text)} characters, record {chunk.record_id}"
                    )
                else:
                    deltas += 1
                    print(chunk.text_delta, end="", flush=True)
        print(f"  received {deltas} text deltas")

        print("── an interrupted stream")
        if target.emulator is not None:  # i.e. not target.is_live
            # Emulator only: close the connection after 4 events of the next stream, to
            # show what a dropped connection looks like. The real service is left alone.
            target.emulator.inject(Fault.cut_after(4))
        try:
            async with client.generate_content_stream(PROMPT) as stream:
                async for chunk in stream:
                    print(chunk.text_delta, end="", flush=True)
            print("\n  (the stream finished normally)")
        except StreamInterruptedError as error:
            # A stream is never retried once text has arrived (a retry costs credits and may
            # say something different). Keep what arrived, or ask again yourself.
            print(f"\n  interrupted: {error}")
            print(f"  partial_text: {error.partial_text!r}")


def sync_streaming(target: Target) -> None:
    print("── sync stream")
    with SyncOneMinAIClient(target.api_key, base_url=target.base_url) as client:
        with client.generate_content_stream(PROMPT) as stream:
            for chunk in stream:
                print(chunk.text_delta, end="", flush=True)
        # After the loop, `stream.text` holds the whole answer.
        print(f"\n  sync stream done: {len(stream.text)} characters")


def main() -> None:
    with live_or_emulator() as target:
        print(f"target: {target.description}")
        asyncio.run(async_streaming(target))
        sync_streaming(target)


if __name__ == "__main__":
    main()
