"""The direct side of the gateway benchmark, in a fresh process:
``python -m bench._gateway_child BASE_URL N CONCURRENCY MODE`` (MODE: stream | once).

Runs N ``OneMinAIClient.complete()`` calls (CONCURRENCY at a time) against the emulator after a
warm-up, and prints one JSON line: this process's CPU seconds and wall seconds for the batch,
and how many calls failed or came back incomplete.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from oneminai_webapi import OneMinAIClient

from ._util import KEY, MODEL, PROMPT

MESSAGES = [{"role": "user", "content": PROMPT}]


async def one(client: OneMinAIClient, mode: str) -> bool:
    if mode == "once":
        completion = await client.complete(MESSAGES, model=MODEL)
        return completion.text.endswith(PROMPT)
    stream = await client.complete(MESSAGES, model=MODEL, stream=True).open()
    text = ""
    async for event in stream:
        if event.type == "text":
            text += event.text
    return text.endswith(PROMPT)


async def batch(client: OneMinAIClient, n: int, concurrency: int, mode: str) -> int:
    gate = asyncio.Semaphore(concurrency)

    async def guarded() -> bool:
        async with gate:
            try:
                return await one(client, mode)
            except Exception:
                return False

    results = await asyncio.gather(*(guarded() for _ in range(n)))
    return sum(1 for ok in results if not ok)


async def main(base: str, n: int, concurrency: int, mode: str) -> dict[str, float]:
    async with OneMinAIClient(
        KEY, base_url=base, max_connections=max(100, concurrency * 2)
    ) as client:
        await batch(client, min(n, 50), concurrency, mode)  # warm-up
        c0, w0 = time.process_time(), time.perf_counter()
        errors = await batch(client, n, concurrency, mode)
        return {
            "cpu_s": time.process_time() - c0,
            "wall_s": time.perf_counter() - w0,
            "errors": errors,
        }


if __name__ == "__main__":
    base, n, concurrency, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    print(json.dumps(asyncio.run(main(base, n, concurrency, mode))))
