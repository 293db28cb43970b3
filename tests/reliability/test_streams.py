"""docs/reliability.md requirements 5–8, 12 (end to end) and the stream half of 19: cuts, truncation, early exit,
cancellation, idle-vs-total timeouts, oversized events, JSON instead of a stream, in-band errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient, Timeouts
from oneminai_webapi._protocol import _streaming
from oneminai_webapi.exceptions import (
    APITimeoutError,
    EventTooLarge,
    StreamError,
    StreamInterruptedError,
    UnexpectedResponseError,
)
from oneminai_webapi.testing import Emulator, Fault

from .conftest import collect_garbage

CHAT = "/api/chat-with-ai"
REPLY = "one two three four five six"
Check = Callable[[BaseException], None]


async def wait_for(predicate: Callable[[], bool], within: float = 1.0) -> None:
    """Poll (without a fixed sleep) until ``predicate()`` holds, failing after ``within`` s."""
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.005)


# ── #5 a stream cut mid-body is never retried ──────────────────────────────────────────


async def test_cut_after_three_events(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], clean: Check
) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.cut_after(3), path=CHAT)
    deltas: list[str] = []
    with pytest.raises(StreamInterruptedError) as info:
        async with client.generate_content_stream("x") as stream:
            async for chunk in stream:
                deltas.append(chunk.text_delta)
    assert deltas == ["one ", "two ", "three "]
    assert info.value.partial_text == "".join(deltas)
    assert info.value.events_received == 3
    assert len(emu.requests_to(CHAT)) == 1
    assert no_sleep == []
    assert client._transport.in_flight == 0
    clean(info.value)


def test_cut_after_three_events_sync(
    emu_thread: Emulator, sync_client: SyncOneMinAIClient, clean: Check
) -> None:
    emu_thread.script_replies([REPLY])
    emu_thread.inject(Fault.cut_after(3), path=CHAT)
    deltas: list[str] = []
    with pytest.raises(StreamInterruptedError) as info:
        with sync_client.generate_content_stream("x") as stream:
            for chunk in stream:
                deltas.append(chunk.text_delta)
    assert info.value.partial_text == "".join(deltas) == "one two three "
    assert info.value.events_received == 3
    assert len(emu_thread.requests_to(CHAT)) == 1
    assert sync_client._transport.in_flight == 0
    clean(info.value)


@pytest.mark.parametrize("fault", [Fault.no_result_no_done(), Fault.drop_events("result", "done")])
async def test_clean_eof_before_result_is_not_success(
    emu: Emulator, client: OneMinAIClient, fault: Fault, clean: Check
) -> None:
    emu.script_replies([REPLY])
    emu.inject(fault, path=CHAT)
    with pytest.raises(StreamInterruptedError) as info:
        async for _ in client.generate_content_stream("x"):
            pass
    assert info.value.partial_text == REPLY
    assert info.value.events_received == 6
    assert client._transport.in_flight == 0
    clean(info.value)


async def test_eof_after_result_without_done_is_accepted(
    emu: Emulator, client: OneMinAIClient
) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.no_done(), path=CHAT)
    chunks = [c async for c in client.generate_content_stream("x")]
    assert chunks[-1].is_final and chunks[-1].text == REPLY


async def test_done_without_result_is_accepted_with_streamed_text(
    emu: Emulator, client: OneMinAIClient
) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.no_result(), path=CHAT)
    chunks = [c async for c in client.generate_content_stream("x")]
    assert chunks[-1].is_final and chunks[-1].text == REPLY


async def test_non_streamed_call_cut_mid_body_is_not_retried(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], clean: Check
) -> None:
    # A POST whose answer was lost after it was sent may have been billed: no retry.
    emu.inject(Fault.disconnect(), path=CHAT)
    with pytest.raises(Exception) as info:
        await client.generate_content("x")
    assert len(emu.requests_to(CHAT)) == 1
    assert client._transport.in_flight == 0
    clean(info.value)


# ── #6 early exit releases the connection ──────────────────────────────────────────────


async def test_break_inside_async_with_releases(emu: Emulator, client: OneMinAIClient) -> None:
    emu.script_replies([REPLY * 20])
    emu.inject(Fault.drip(0.02), path=CHAT)
    async with client.generate_content_stream("x") as stream:
        async for _ in stream:
            break
        assert client._transport.in_flight == 1
    assert client._transport.in_flight == 0
    await wait_for(lambda: emu.stats.open_streams == 0)  # the server's next write failed
    await stream.aclose()
    await stream.aclose()
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()


def test_break_inside_with_releases_sync(
    emu_thread: Emulator, sync_client: SyncOneMinAIClient
) -> None:
    emu_thread.script_replies([REPLY * 20])
    emu_thread.inject(Fault.drip(0.02), path=CHAT)
    with sync_client.generate_content_stream("x") as stream:
        for _ in stream:
            break
    assert sync_client._transport.in_flight == 0
    stream.close()
    stream.close()
    assert sync_client.generate_content("again").text.endswith("again")


async def test_abandoned_stream_without_close_is_released(
    emu: Emulator, client: OneMinAIClient
) -> None:
    emu.script_replies([REPLY * 20])
    emu.inject(Fault.drip(0.02), path=CHAT)
    stream = client.generate_content_stream("x")
    await stream.__anext__()
    assert client._transport.in_flight == 1
    del stream
    collect_garbage()
    assert client._transport.in_flight == 0
    await wait_for(lambda: emu.stats.open_streams == 0)
    assert (await client.generate_content("after")).text.endswith("after")


# ── #7 cancellation ─────────────────────────────────────────────────────────────────────


async def test_cancel_while_awaiting_next_event(emu: Emulator, client: OneMinAIClient) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.drip(0.3), path=CHAT)
    first = asyncio.Event()

    async def consume() -> None:
        async with client.generate_content_stream("x") as stream:
            async for _ in stream:
                first.set()

    task = asyncio.create_task(consume())
    await first.wait()
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    assert client._transport.in_flight == 0
    collect_garbage()
    await wait_for(lambda: emu.stats.open_streams == 0)


async def test_cancel_without_context_manager(emu: Emulator, client: OneMinAIClient) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.drip(5.0), path=CHAT)
    stream = client.generate_content_stream("x")
    await stream.__anext__()
    task = asyncio.create_task(stream.__anext__())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client._transport.in_flight == 0


# ── #8 idle vs total timeouts ───────────────────────────────────────────────────────────


async def test_total_timeout_does_not_apply_to_streams(emu: Emulator, canary: str) -> None:
    reply = " ".join(f"w{i}" for i in range(12))
    emu.script_replies([reply])
    emu.inject(Fault.drip(0.04), path=CHAT)  # ~0.5 s in all, never 0.2 s of silence
    async with OneMinAIClient(
        canary, base_url=emu.base_url, timeouts=Timeouts(read=0.2, total=0.15)
    ) as c:
        start = time.monotonic()
        chunks = [ch async for ch in c.generate_content_stream("x")]
        assert time.monotonic() - start > 0.15
    assert chunks[-1].text == reply


async def test_idle_stream_raises_read_timeout_with_partial_text(
    emu: Emulator, canary: str, clean: Check
) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.drip(1.0), path=CHAT)
    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.25)) as c:
        got: list[str] = []
        with pytest.raises(APITimeoutError) as info:
            async with c.generate_content_stream("x") as stream:
                async for chunk in stream:
                    got.append(chunk.text_delta)
                    start = time.monotonic()
        elapsed = time.monotonic() - start
        assert c._transport.in_flight == 0
    # the transport's read timer starts when it begins waiting for the next piece, which
    # can be a little before this loop sees the chunk: allow that scheduling gap (0.05 s)
    # below, and prove the drip (1 s) was not waited out above
    assert 0.2 <= elapsed < 1.0
    assert isinstance(info.value, TimeoutError)
    assert info.value.phase == "read"
    assert info.value.partial_text == "".join(got) == "one "
    clean(info.value)


# ── #12 an oversized event fails the stream and releases the connection ────────────────


async def test_event_too_large_releases_connection(
    emu: Emulator, client: OneMinAIClient, monkeypatch: pytest.MonkeyPatch, clean: Check
) -> None:
    monkeypatch.setattr(_streaming, "MAX_EVENT_BYTES", 64 * 1024)
    body = 'event: content\ndata: {"content":"hi "}\n\n' + "data: " + "x" * (256 * 1024)
    emu.inject(Fault.raw_stream(body), path=CHAT)
    with pytest.raises(EventTooLarge) as info:
        async for _ in client.generate_content_stream("x"):
            pass
    assert info.value.partial_text == "hi "
    assert client._transport.in_flight == 0
    clean(info.value)


async def test_five_mib_event_decodes_end_to_end(emu: Emulator, client: OneMinAIClient) -> None:
    big = "y" * (5 * 1024 * 1024)
    emu.script_replies([big])
    emu.config.stream_words_per_event = 1
    text = ""
    async for chunk in client.generate_content_stream("x"):
        text = chunk.text
    assert text == big


# ── #19 (streams): JSON instead of a stream, in-band error events ───────────────────────


async def test_json_on_a_streaming_call_is_an_error(
    emu: Emulator, client: OneMinAIClient, clean: Check
) -> None:
    emu.inject(Fault.json_instead_of_stream(), path=CHAT)
    with pytest.raises(UnexpectedResponseError) as info:
        async for _ in client.generate_content_stream("x"):
            pass
    assert client._transport.in_flight == 0
    clean(info.value)


async def test_in_band_error_event(emu: Emulator, client: OneMinAIClient, clean: Check) -> None:
    emu.script_replies([REPLY])
    emu.inject(Fault.error_after(2, "model exploded"), path=CHAT)
    with pytest.raises(StreamError) as info:
        async for _ in client.generate_content_stream("x"):
            pass
    assert "model exploded" in str(info.value)
    assert info.value.partial_text == "one two "
    assert info.value.events_received == 2
    assert client._transport.in_flight == 0
    clean(info.value)


def test_in_band_error_event_sync(emu_thread: Emulator, sync_client: SyncOneMinAIClient) -> None:
    emu_thread.script_replies([REPLY])
    emu_thread.inject(Fault.error_after(2, "model exploded"), path=CHAT)
    with pytest.raises(StreamError) as info:
        for _ in sync_client.generate_content_stream("x"):
            pass
    assert info.value.partial_text == "one two "
    assert sync_client._transport.in_flight == 0


async def test_stream_with_hostile_framing_still_exact(
    emu: Emulator, client: OneMinAIClient
) -> None:
    reply = "naïve 😀 café \u2028 line\u0085end"
    for faults in (
        [Fault.crlf(), Fault.byte_chunks(1)],
        [Fault.multiline_data(), Fault.keepalive_comments(), Fault.no_space_after_colon()],
    ):
        emu.script_replies([reply])
        for f in faults:
            emu.inject(f, path=CHAT)
        chunks = [c async for c in client.generate_content_stream("x")]
        assert chunks[-1].text == reply
        assert "".join(c.text_delta for c in chunks) == reply
