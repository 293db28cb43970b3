"""The contenders of the request-overhead benchmark, as async workloads.

Every workload runs ``n`` chats against the emulator (sequentially or all at once) and
returns the number of content chunks it saw, so that a broken contender cannot look fast.

* ``floor``: bare aiohttp with one reused session, sending the same bytes as our client
  and splitting the same SSE with the least code that is still correct for this stream.
* ``ours``: :class:`oneminai_webapi.OneMinAIClient`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from ._util import KEY, MODEL, PROMPT


def chat_body() -> dict[str, Any]:
    """Byte-for-byte the body our client sends for ``generate_content(PROMPT, MODEL)``."""
    return {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": MODEL,
        "promptObject": {
            "prompt": PROMPT,
            "settings": {
                "webSearchSettings": {"webSearch": False, "numOfSite": 3, "maxWord": 1000},
                "historySettings": {"isMixed": False, "historyMessageLimit": 10},
                "withMemories": False,
            },
        },
    }


class Floor:
    """The floor: what any client must at least do to get the same answer."""

    def __init__(self, base_url: str, *, limit: int = 100) -> None:
        self.url = base_url + "/api/chat-with-ai"
        self.limit = limit
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Floor:
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.limit))
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None
        await self.session.close()

    async def stream(self) -> int:
        assert self.session is not None
        data = json.dumps(chat_body(), ensure_ascii=False).encode()
        headers = {
            "User-Agent": "oneminai-webapi/2",
            "Accept": "text/event-stream",
            "API-KEY": KEY,
            "Content-Type": "application/json",
        }
        text = ""
        n = 0
        async with self.session.post(
            self.url, params={"isStreaming": "true"}, data=data, headers=headers
        ) as resp:
            buf = b""
            async for chunk in resp.content.iter_any():
                buf += chunk
                *blocks, buf = buf.split(b"\n\n")
                for block in blocks:
                    event = "message"
                    lines = []
                    for line in block.decode().split("\n"):
                        if line.startswith("event: "):
                            event = line[7:]
                        elif line.startswith("data: "):
                            lines.append(line[6:])
                    payload = json.loads("\n".join(lines))
                    if event == "content":
                        text += payload["content"]
                        n += 1
                    elif event == "result":
                        text = payload["aiRecord"]["aiRecordDetail"]["resultObject"][0]
        return n

    async def once(self) -> int:
        assert self.session is not None
        data = json.dumps(chat_body(), ensure_ascii=False).encode()
        headers = {
            "User-Agent": "oneminai-webapi/2",
            "Accept": "application/json",
            "API-KEY": KEY,
            "Content-Type": "application/json",
        }
        async with self.session.post(self.url, data=data, headers=headers) as resp:
            payload = json.loads(await resp.read())
        return 1 if payload["aiRecord"]["aiRecordDetail"]["resultObject"][0] else 0

    async def hold(self, opened: asyncio.Event, release: asyncio.Event) -> int:
        """Open a stream, read its first bytes, wait for ``release``, then drain it."""
        assert self.session is not None
        data = json.dumps(chat_body(), ensure_ascii=False).encode()
        headers = {
            "Accept": "text/event-stream",
            "API-KEY": KEY,
            "Content-Type": "application/json",
        }
        async with self.session.post(
            self.url, params={"isStreaming": "true"}, data=data, headers=headers
        ) as resp:
            n = 0
            buf = b""
            first = True
            async for chunk in resp.content.iter_any():
                buf += chunk
                *blocks, buf = buf.split(b"\n\n")
                n += sum(1 for b in blocks if b.startswith(b"event: content"))
                if first:
                    first = False
                    opened.set()
                    await release.wait()
        return n


class Ours:
    """Our async client."""

    def __init__(self, base_url: str, *, limit: int = 100) -> None:
        from oneminai_webapi import OneMinAIClient

        self.client = OneMinAIClient(KEY, base_url=base_url, max_connections=limit)

    async def __aenter__(self) -> Ours:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()

    async def stream(self) -> int:
        n = 0
        async for chunk in self.client.generate_content_stream(PROMPT, MODEL):
            if not chunk.is_final:
                n += 1
        return n

    async def once(self) -> int:
        out = await self.client.generate_content(PROMPT, MODEL)
        return 1 if out.text else 0

    async def hold(self, opened: asyncio.Event, release: asyncio.Event) -> int:
        n = 0
        async with self.client.generate_content_stream(PROMPT, MODEL) as stream:
            async for chunk in stream:
                if n == 0:
                    opened.set()
                    await release.wait()
                if not chunk.is_final:
                    n += 1
        return n


async def run(op: Callable[[], Awaitable[int]], n: int, *, concurrent: bool) -> int:
    """Run ``op`` ``n`` times, one after the other or all at once; total chunks seen."""
    if concurrent:
        return sum(await asyncio.gather(*(op() for _ in range(n))))
    total = 0
    for _ in range(n):
        total += await op()
    return total
