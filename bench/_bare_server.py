"""The floor of the gateway benchmark: a bare aiohttp server around the same ``complete()``.

``python -m bench._bare_server EMULATOR_URL PORT``. No keys, no validation, no ledger, no
OpenAI object shapes: just the HTTP server, ``client.complete()`` and minimal JSON/SSE
output. The gateway's CPU minus this server's is what the gateway's own logic costs; this
server's minus the direct client's is what serving HTTP costs.
"""

from __future__ import annotations

import json
import sys

from aiohttp import web
from oneminai_webapi import OneMinAIClient

from ._util import KEY


async def make_app(base: str) -> web.Application:
    client = OneMinAIClient(KEY, base_url=base, max_connections=2000)

    async def chat(request: web.Request) -> web.StreamResponse:
        body = json.loads(await request.read())
        if not body.get("stream"):
            done = await client.complete(body["messages"], model=body["model"])
            return web.json_response({"choices": [{"message": {"content": done.text}}]})
        stream = await client.complete(body["messages"], model=body["model"], stream=True).open()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        async for event in stream:
            parts = []
            for item in (event, *stream.read_ready()):
                if item.type == "text":
                    delta = {"choices": [{"delta": {"content": item.text}}]}
                    parts.append("data: " + json.dumps(delta) + "\n\n")
            if parts:
                await response.write("".join(parts).encode())
        await response.write(b"data: [DONE]\n\n")
        return response

    async def close(app: web.Application) -> None:
        await client.close()

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    app.on_cleanup.append(close)
    return app


if __name__ == "__main__":
    web.run_app(
        make_app(sys.argv[1]),
        host="127.0.0.1",
        port=int(sys.argv[2]),
        access_log=None,
        print=lambda _: print("serving", flush=True),
    )
