"""Load and resources: 500 concurrent streams, 2,000 sequential calls, 200 abandoned and
50 cancelled streams — zero errors, exact text, no connection left acquired, no warnings,
bounded memory growth (reported as the ``rss_growth_mib`` property of the test)."""

from __future__ import annotations

import asyncio
import gc
import logging

import psutil
import pytest
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.testing import Emulator, Fault

from .conftest import collect_garbage

CHAT = "/api/chat-with-ai"
MiB = 1024 * 1024


def _rss() -> int:
    return int(psutil.Process().memory_info().rss)


@pytest.fixture
def quiet_emu_config(emu: Emulator) -> Emulator:
    emu.config.record_requests = False  # a long run must not grow the server's own log
    return emu


async def test_500_concurrent_streams(quiet_emu_config: Emulator, canary: str) -> None:
    emu = quiet_emu_config
    async with OneMinAIClient(canary, base_url=emu.base_url, max_connections=500) as c:

        async def one(i: int) -> tuple[str, str]:
            deltas: list[str] = []
            final = ""
            async with c.generate_content_stream(f"stream {i}") as s:
                async for chunk in s:
                    if chunk.is_final:
                        final = chunk.text
                    deltas.append(chunk.text_delta)
            return "".join(deltas), final

        results = await asyncio.gather(*(one(i) for i in range(500)))
        assert c._transport.in_flight == 0
    for i, (joined, final) in enumerate(results):
        expected = f"Echo from gpt-4o-mini: stream {i}"
        assert joined == expected
        assert final == expected
    assert emu.stats.streams_started == 500
    assert emu.stats.open_streams == 0


async def test_2000_sequential_calls_bounded_memory(
    quiet_emu_config: Emulator, canary: str, request: pytest.FixtureRequest
) -> None:
    emu = quiet_emu_config
    async with OneMinAIClient(canary, base_url=emu.base_url) as c:
        for i in range(200):  # warm-up: caches, pools, lazy imports
            assert (await c.generate_content(f"w{i}")).text == f"Echo from gpt-4o-mini: w{i}"
        gc.collect()
        start = _rss()
        peak = start
        for i in range(2000):
            out = await c.generate_content(f"q{i}")
            assert out.text == f"Echo from gpt-4o-mini: q{i}"
            if i % 250 == 0:
                peak = max(peak, _rss())
        assert c._transport.in_flight == 0
        gc.collect()
        peak = max(peak, _rss())
    growth = (peak - start) / MiB
    # Reported in JUnit XML (user properties) and on stdout (-rP); record_property would warn
    # under junit_family=xunit2, and warnings are errors in this suite.
    request.node.user_properties.append(("rss_growth_mib", round(growth, 2)))
    print(f"peak RSS growth over 2,000 sequential calls: {growth:.2f} MiB")
    # The emulator keeps state per call (records, messages) in the same process, so a
    # little growth is expected; a leak per call (e.g. 10 KiB x 2000) would exceed this.
    assert growth < 32, f"peak RSS grew {growth:.1f} MiB over 2,000 calls"


async def test_abandoned_and_cancelled_streams_leave_the_client_healthy(
    emu: Emulator, canary: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    emu.config.record_requests = False
    async with OneMinAIClient(canary, base_url=emu.base_url, max_connections=64) as c:
        # 200 streams abandoned after their first chunk (no aclose, no async with)
        for i in range(200):
            stream = c.generate_content_stream(f"abandon {i} a b c d e f")
            first = await stream.__anext__()
            assert first.text_delta == "Echo "
            del stream
        collect_garbage()
        assert c._transport.in_flight == 0

        # 50 streams cancelled mid-stream
        emu.inject(Fault.drip(0.05), times=50, path=CHAT)
        started = 0
        all_started = asyncio.Event()

        async def consume(i: int) -> None:
            nonlocal started
            async with c.generate_content_stream(f"cancel {i} a b c d e f g h") as s:
                async for _ in s:
                    started += 1
                    if started == 50:
                        all_started.set()

        tasks = [asyncio.create_task(consume(i)) for i in range(50)]
        await asyncio.wait_for(all_started.wait(), 10)
        for t in tasks:
            t.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert c._transport.in_flight == 0

        # healthy: exact answers, streamed and not
        assert (await c.generate_content("after")).text == "Echo from gpt-4o-mini: after"
        chunks = [x async for x in c.generate_content_stream("after stream")]
        assert chunks[-1].text == "Echo from gpt-4o-mini: after stream"
        assert c._transport.in_flight == 0
        collect_garbage()
        await asyncio.sleep(0)
        # Only the in-loop emulator's own keep-alive handlers may remain; no client task.
        leftovers = [
            t
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task() and "web_protocol" not in repr(t)
        ]
        assert leftovers == []
    collect_garbage()
    bad = [
        r.getMessage()
        for r in caplog.records
        if "destroyed" in r.getMessage() or "Unclosed" in r.getMessage()
    ]
    assert bad == []
