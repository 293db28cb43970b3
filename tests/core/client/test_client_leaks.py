"""No leaked connections: early ``break``, ``async with``/``with`` exits, cancellation, errors."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator

import pytest
from oneminai_webapi.exceptions import StreamInterruptedError
from oneminai_webapi.testing import Fault

from .conftest import await_until, call, close_stream, collect

CHAT = "/api/chat-with-ai"
LONG = " ".join(f"w{i}" for i in range(40))


@pytest.fixture
async def no_leaks() -> AsyncIterator[None]:
    """The test must end without ResourceWarnings or 'Unclosed …' loop errors (after a GC)."""
    loop = asyncio.get_running_loop()
    loop_errors: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, ctx: loop_errors.append(str(ctx.get("message"))))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
            gc.collect()
            await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    resource = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert resource == []
    assert loop_errors == []


async def settled(client, emu) -> None:
    """Client slots released now; the server notices the closed stream soon after."""
    assert client._transport.in_flight == 0
    assert await await_until(lambda: emu.stats.open_streams == 0, 3.0), emu.stats


async def test_break_out_of_a_plain_loop_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    emu.inject(Fault.drip(0.02), path=CHAT)
    got = []
    stream = await call(client.chat("Hi", stream=True))
    if hasattr(stream, "__aiter__"):
        async for chunk in stream:
            got.append(chunk)
            break
    else:
        for chunk in stream:
            got.append(chunk)
            break
    del stream, chunk  # the abandoned stream is reclaimed and gives its slot back
    gc.collect()
    await asyncio.sleep(0)
    assert [c.text_delta for c in got] == ["w0 "]
    await settled(client, emu)


async def test_context_manager_exiting_early_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    emu.inject(Fault.drip(0.02), path=CHAT)
    stream = client.generate_content_stream("Hi")
    if hasattr(stream, "__aenter__"):
        async with stream as s:
            async for chunk in s:
                assert chunk.text_delta == "w0 "
                break
            assert client._transport.in_flight == 1  # still open inside the block
    else:
        with stream as s:
            for chunk in s:
                assert chunk.text_delta == "w0 "
                break
            assert client._transport.in_flight == 1
    assert client._transport.in_flight == 0  # released on exit, not at garbage collection
    await settled(client, emu)
    # closing twice (and iterating a closed stream) is harmless
    await close_stream(stream)
    await close_stream(stream)
    assert (await collect(stream)).chunks == []


async def test_explicit_close_mid_stream_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    stream = client.generate_content_stream("Hi")
    it = stream.__aiter__() if hasattr(stream, "__aiter__") else iter(stream)
    first = await it.__anext__() if hasattr(it, "__anext__") else next(it)
    assert first.text_delta == "w0 "
    await close_stream(stream)
    await settled(client, emu)


async def test_closing_a_stream_never_started_sends_nothing(client, emu):
    stream = client.generate_content_stream("Hi")
    await close_stream(stream)
    assert emu.requests == []
    assert client._transport.in_flight == 0


async def test_completed_and_failed_streams_release(client, emu, no_leaks):
    emu.script_replies(["a b c", "a b c d"])
    await collect(client.generate_content_stream("Hi"))
    await settled(client, emu)
    emu.inject(Fault.cut_after(2), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, StreamInterruptedError)
    await settled(client, emu)
    emu.inject(Fault.error_after(1), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, StreamInterruptedError)
    await settled(client, emu)


async def test_many_abandoned_streams_do_not_exhaust_the_pool(make, emu, no_leaks):
    client = make(max_connections=2)
    for _ in range(6):
        emu.script_replies([LONG])
        stream = client.generate_content_stream("Hi")
        if hasattr(stream, "__aenter__"):
            async with stream:
                async for _chunk in stream:
                    break
        else:
            with stream:
                for _chunk in stream:
                    break
    assert client._transport.in_flight == 0
    assert (await call(client.generate_content("still works"))).text.endswith("still works")
    await settled(client, emu)


# ── async-only: task cancellation ──────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", ["async"], indirect=True)
async def test_cancelling_a_task_awaiting_the_next_event_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    emu.inject(Fault.drip(0.5), path=CHAT)
    first = asyncio.Event()

    async def consume() -> None:
        async with client.generate_content_stream("Hi") as stream:
            async for _chunk in stream:
                first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 5)
    await asyncio.sleep(0.05)  # now awaiting the next event
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task  # propagated unwrapped, not swallowed
    assert task.cancelled()
    await settled(client, emu)


@pytest.mark.parametrize("kind", ["async"], indirect=True)
async def test_cancelling_without_context_manager_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    emu.inject(Fault.drip(0.5), path=CHAT)
    first = asyncio.Event()

    async def consume() -> None:
        async for _chunk in client.generate_content_stream("Hi"):
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 5)
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await settled(client, emu)


@pytest.mark.parametrize("kind", ["async"], indirect=True)
async def test_cancelling_a_non_streamed_call_releases(client, emu, no_leaks):
    emu.inject(Fault.stall(0.5), path=CHAT)
    task = asyncio.create_task(client.generate_content("Hi"))
    await await_until(lambda: len(emu.requests) == 1, 3.0)
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client._transport.in_flight == 0


@pytest.mark.parametrize("kind", ["async"], indirect=True)
async def test_timeout_wrapping_a_stream_releases(client, emu, no_leaks):
    emu.script_replies([LONG])
    emu.inject(Fault.drip(0.3), path=CHAT)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(collect(client.generate_content_stream("Hi")), 0.2)
    await settled(client, emu)


@pytest.mark.parametrize("kind", ["async"], indirect=True)
async def test_async_client_context_manager_closes_the_session(kind, emu):
    from oneminai_webapi import OneMinAIClient
    from oneminai_webapi.exceptions import ClientClosedError

    async with OneMinAIClient(emu.api_key, base_url=emu.base_url) as client:
        await client.generate_content("Hi")
        session = client._transport.session
        assert session is not None and not session.closed
    assert session.closed
    with pytest.raises(ClientClosedError):
        await client.generate_content("Hi")


@pytest.mark.parametrize("kind", ["sync"], indirect=True)
async def test_sync_client_context_manager_closes(kind, emu):
    from oneminai_webapi import SyncOneMinAIClient
    from oneminai_webapi.exceptions import ClientClosedError

    with SyncOneMinAIClient(emu.api_key, base_url=emu.base_url) as client:
        client.generate_content("Hi")
    with pytest.raises(ClientClosedError):
        client.generate_content("Hi")
