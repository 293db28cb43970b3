"""The client-side rate limiter keeps a batch under the service's limit (no 429s).

The emulator's bucket holds 5 requests and refills at PER_MINUTE; a burst of 30 overflows it,
while the client spacing requests at the same rate never does.
"""

from __future__ import annotations

import asyncio
import time

from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import RateLimitError
from oneminai_webapi.testing import Emulator

PER_MINUTE = 1200  # 20 requests per second keeps the test short


async def _batch(client: OneMinAIClient, n: int) -> list[object]:
    return await asyncio.gather(
        *(client.generate_content(f"job {i}") for i in range(n)), return_exceptions=True
    )


async def test_without_the_limiter_a_burst_collects_429s() -> None:
    async with Emulator(
        api_key="k", rate_limit=True, rate_limit_per_minute=PER_MINUTE, rate_limit_burst=3
    ) as emu:
        async with OneMinAIClient("k", base_url=emu.base_url, max_retries=0) as client:
            results = await _batch(client, 30)
    assert any(isinstance(r, RateLimitError) for r in results)


async def test_the_limiter_spaces_a_burst_under_the_limit() -> None:
    async with Emulator(
        api_key="k", rate_limit=True, rate_limit_per_minute=PER_MINUTE, rate_limit_burst=3
    ) as emu:
        async with OneMinAIClient(
            "k", base_url=emu.base_url, max_retries=0, requests_per_minute=PER_MINUTE
        ) as client:
            start = time.monotonic()
            results = await _batch(client, 30)
            elapsed = time.monotonic() - start
        statuses = [r for r in results if isinstance(r, BaseException)]
        assert statuses == []  # every call succeeded, none was refused
        assert all(r.text.startswith("Echo from") for r in results)  # type: ignore[union-attr]
        # 30 requests at 20/s cannot finish much faster than the spacing allows.
        assert elapsed >= (30 - 1) / (PER_MINUTE / 60) * 0.9
        assert len(emu.requests_to("/api/chat-with-ai")) == 30
