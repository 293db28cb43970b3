"""docs/reliability.md requirements 9 (pool bound) and 20 (lifecycle)."""

from __future__ import annotations

import asyncio
import warnings

import aiohttp
import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient, Timeouts
from oneminai_webapi.exceptions import APITimeoutError, ClientClosedError
from oneminai_webapi.testing import Emulator, Fault

CHAT = "/api/chat-with-ai"


async def test_pool_bound_limits_server_concurrency(emu: Emulator, canary: str) -> None:
    emu.inject(Fault.stall(0.05), times=None, path=CHAT)
    async with OneMinAIClient(canary, base_url=emu.base_url, max_connections=2) as c:
        outs = await asyncio.gather(*(c.generate_content(f"q{i}") for i in range(10)))
        assert c._transport.in_flight == 0
    assert [o.text for o in outs] == [f"Echo from gpt-4o-mini: q{i}" for i in range(10)]
    assert emu.stats.peak_in_flight == 2


async def test_pool_timeout_instead_of_hanging(emu: Emulator, canary: str, clean, no_sleep) -> None:  # type: ignore[no-untyped-def]
    # A pool timeout happens before anything is sent, so it is retried (with backoff) like
    # any unsent failure; no_sleep records those delays instead of waiting them out.
    emu.script_replies(["a b c d e f g h"] * 2)
    emu.inject(Fault.drip(0.2), times=2, path=CHAT)
    async with OneMinAIClient(
        canary, base_url=emu.base_url, max_connections=2, timeouts=Timeouts(pool=0.1)
    ) as c:
        s1, s2 = c.generate_content_stream("1"), c.generate_content_stream("2")
        async with s1, s2:
            await s1.__anext__()
            await s2.__anext__()
            assert c._transport.in_flight == 2
            with pytest.raises(APITimeoutError) as info:
                await c.generate_content("third")
            assert info.value.phase == "pool"
            assert info.value.request_sent is False
            assert len(no_sleep) == 2
        assert c._transport.in_flight == 0
        assert (await c.generate_content("fourth")).text.endswith("fourth")
    assert len(emu.requests_to(CHAT)) == 3
    clean(info.value)


def test_sync_pool_timeout(emu_thread: Emulator, canary: str, no_sleep: list[float]) -> None:
    emu_thread.script_replies(["a b c d e f g h"])
    emu_thread.inject(Fault.drip(0.2), times=1, path=CHAT)
    with SyncOneMinAIClient(
        canary, base_url=emu_thread.base_url, max_connections=1, timeouts=Timeouts(pool=0.1)
    ) as c:
        with c.generate_content_stream("1") as s:
            next(s)
            with pytest.raises(APITimeoutError) as info:
                c.generate_content("second")
            assert info.value.phase == "pool"
        assert c._transport.in_flight == 0


# ── #20 lifecycle ───────────────────────────────────────────────────────────────────────


async def test_async_with_closes_the_session(emu: Emulator, canary: str) -> None:
    async with OneMinAIClient(canary, base_url=emu.base_url) as c:
        await c.generate_content("hi")
        session = c._transport.session
        assert session is not None and not session.closed
    assert session.closed
    await c.close()  # idempotent


async def test_call_after_close_raises(emu: Emulator, canary: str, clean) -> None:  # type: ignore[no-untyped-def]
    c = OneMinAIClient(canary, base_url=emu.base_url)
    await c.generate_content("hi")
    await c.close()
    with pytest.raises(ClientClosedError) as info:
        await c.generate_content("hi")
    with pytest.raises(ClientClosedError):
        async for _ in c.generate_content_stream("hi"):
            pass
    assert len(emu.requests_to(CHAT)) == 1
    clean(info.value)


def test_sync_call_after_close_raises(emu_thread: Emulator, canary: str) -> None:
    c = SyncOneMinAIClient(canary, base_url=emu_thread.base_url)
    c.generate_content("hi")
    c.close()
    c.close()
    with pytest.raises(ClientClosedError):
        c.generate_content("hi")


async def test_caller_session_is_never_closed(emu: Emulator, canary: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with OneMinAIClient(canary, base_url=emu.base_url, session=session) as c:
            assert (await c.generate_content("hi")).text.endswith("hi")
        assert not session.closed
        async with session.get(emu.base_url + "/models?feature=UNIFY_CHAT_WITH_AI") as resp:
            assert resp.status == 200


def test_construction_outside_a_loop_opens_nothing(canary: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = OneMinAIClient(canary, base_url="http://127.0.0.1:9")
        assert c._transport.session is None
        del c


async def test_close_before_first_use(canary: str) -> None:
    c = OneMinAIClient(canary, base_url="http://127.0.0.1:9")
    await c.close()
    assert c._transport.session is None
    with pytest.raises(ClientClosedError):
        await c.generate_content("hi")


async def test_two_clients_do_not_share_or_close_each_others_pool(
    emu: Emulator, canary: str
) -> None:
    # We offer no with_options() (docs/reliability.md); independent clients stay independent.
    async with OneMinAIClient(canary, base_url=emu.base_url) as parent:
        await parent.generate_content("p")
        async with OneMinAIClient(canary, base_url=emu.base_url) as child:
            await child.generate_content("c")
        assert (await parent.generate_content("p2")).text.endswith("p2")
