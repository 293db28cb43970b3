"""Drives the earlier ``1minai-webapi`` 1.0.31 client in its own process.

Run as ``python bench/_seed_worker.py BASE_URL KEY MODEL PROMPT`` with the seed package
first on ``PYTHONPATH`` (it is also called ``oneminai_webapi``). Reads one JSON command a
line on stdin (``{"op": "stream"|"once", "n": N, "concurrent": bool}``) and answers one
JSON line with wall/CPU seconds and the number of content chunks seen.

Its URLs are module constants; they are pointed at the emulator's web-app routes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


def main() -> None:
    base, key, model, prompt = sys.argv[1:5]
    import oneminai_webapi
    from oneminai_webapi import client as seed

    team = base + "/teams/{team_id}"
    seed._USERS_URL = base + "/users"
    seed._CONV_URL = team + "/features/conversations"
    seed._CHAT_V2_URL = team + "/features/v2/unified-chat"
    version = getattr(oneminai_webapi, "__version__", "?")

    loop = asyncio.new_event_loop()
    client = seed.OneMinAIClient(api_key=key)

    async def stream() -> int:
        n = 0
        async for chunk in client.generate_content_stream(prompt, model):
            if chunk.text_delta:
                n += 1
        return n

    async def once() -> int:
        out = await client.generate_content(prompt, model)
        return 1 if out.text else 0

    async def run(op: str, n: int, concurrent: bool) -> int:
        fn = stream if op == "stream" else once
        if concurrent:
            return sum(await asyncio.gather(*(fn() for _ in range(n))))
        total = 0
        for _ in range(n):
            total += await fn()
        return total

    print(
        json.dumps({"ready": True, "file": oneminai_webapi.__file__, "version": version}),
        flush=True,
    )
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd.get("op") == "quit":
            break
        w0, c0 = time.perf_counter(), time.process_time()
        chunks = loop.run_until_complete(run(cmd["op"], cmd["n"], cmd["concurrent"]))
        out = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0, "chunks": chunks}
        print(json.dumps(out), flush=True)
    loop.run_until_complete(client.close())
    loop.close()


if __name__ == "__main__":
    main()
