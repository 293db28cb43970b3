"""Issue 14 item 5: timeouts mean what they say, in both clients.

``total`` bounds a whole non-streamed call, slow headers included; a stream is idle when
no content arrives within ``read``, whatever keep-alive comments arrive; ``first_event``
and ``stream_total`` bound a stream's start and its whole length; connection errors name
the host and the reason.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from oneminai_webapi import Timeouts
from oneminai_webapi.exceptions import APIConnectionError, APITimeoutError

from .hostile_server import (
    KINDS,
    SSE_HEADERS,
    Conn,
    Req,
    chat_record,
    content,
    final_events,
    json_bytes,
    run,
    sse,
    stream_action,
)

pytestmark = pytest.mark.parametrize("kind", KINDS)

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: "
    + b"x" * 400
    + b"\r\nContent-Length: 10\r\n\r\n"
)


def chat(client: Any) -> Any:
    return client.generate_content("hello")


def fast(**kw: Any) -> Timeouts:
    return Timeouts(**{"connect": 1.0, "pool": 1.0, "read": 5.0, "total": 5.0, **kw})


# ── non-streamed calls: total ───────────────────────────────────────────────────────


def test_slow_headers_are_bounded_by_total(kind: str, canary: str, no_sleep: list[float]) -> None:
    """Headers arrive one byte every 20 ms, far within the read timeout: only a real
    deadline stops the call (the sync client used to wait for the whole trickle)."""

    async def handler(conn: Conn, req: Req) -> None:
        await conn.trickle(HEAD, 0.02)

    out = run(kind, handler, chat, key=canary, timeouts=fast(read=1.0, total=0.4))
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "total"
    assert 0.35 <= out.elapsed < 1.0, out.elapsed
    assert "127.0.0.1" in str(out.error)
    assert len(out.server.requests) == 1  # a POST that timed out is not retried


def test_trickled_body_is_bounded_by_total(kind: str, canary: str) -> None:
    body = json_bytes(chat_record("x" * 2000))

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "application/json"}, length=len(body))
        await conn.trickle(body, 0.02)

    out = run(kind, handler, chat, key=canary, timeouts=fast(read=1.0, total=0.4))
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "total"
    assert 0.35 <= out.elapsed < 1.0, out.elapsed


def test_a_fast_answer_is_not_cut_by_the_watchdog(kind: str, canary: str) -> None:
    """Many quick calls in a row with a short total: none is cut by an old deadline."""

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, json_bytes(chat_record("ok")))

    def many(client: Any) -> Any:
        if kind == "sync":
            return [client.generate_content("x").text for _ in range(30)]

        async def go() -> list[str]:
            return [(await client.generate_content("x")).text for _ in range(30)]

        return go()

    out = run(kind, handler, many, key=canary, timeouts=fast(total=0.3))
    assert out.error is None, out.error
    assert out.value == ["ok"] * 30


# ── streams: idle by content, first event, whole stream ─────────────────────────────


def test_keepalive_comments_do_not_keep_a_stalled_stream_alive(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.chunk(content("Hello "))
        await conn.forever(b": keep-alive\n\n", every=0.03)

    delivered: list[str] = []
    out = run(kind, handler, stream_action(delivered), key=canary, timeouts=fast(read=0.3))
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "read"
    assert out.error.partial_text == "Hello "
    assert delivered == ["Hello "]
    assert 0.3 <= out.elapsed < 0.9, out.elapsed


def test_events_without_content_do_not_keep_a_stream_alive(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.forever(sse("ping", {"t": 1}) + b"data:\n\n", every=0.03)

    out = run(kind, handler, stream_action([]), key=canary, timeouts=fast(read=0.3))
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "read"
    assert 0.3 <= out.elapsed < 0.9, out.elapsed


def test_content_keeps_a_stream_alive_past_read(kind: str, canary: str) -> None:
    """The idle timer restarts on every content: 15 contents 40 ms apart with read=0.2."""
    words = [f"w{i} " for i in range(15)]

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        for word in words:
            await conn.chunk(content(word) + b": ping\n\n")
            await asyncio.sleep(0.04)
        await conn.chunk(final_events("".join(words)))
        await conn.end_chunks()

    out = run(kind, handler, stream_action([]), key=canary, timeouts=fast(read=0.2, total=0.3))
    assert out.error is None, out.error
    assert out.value == "".join(words)


def test_slow_stream_headers_are_bounded_by_read(kind: str, canary: str) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Pad: " + b"y" * 400

    async def handler(conn: Conn, req: Req) -> None:
        await conn.trickle(head, 0.02)

    out = run(kind, handler, stream_action([]), key=canary, timeouts=fast(read=0.3))
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "read"
    assert 0.3 <= out.elapsed < 0.9, out.elapsed


def test_first_event_deadline(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.forever(b": thinking\n\n", every=0.03)

    timeouts = fast(read=5.0, first_event=0.3)
    out = run(kind, handler, stream_action([]), key=canary, timeouts=timeouts)
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "first_event"
    assert "first_event" in str(out.error)
    assert 0.3 <= out.elapsed < 0.9, out.elapsed


def test_first_event_deadline_covers_slow_headers(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 200, 0.02)

    timeouts = fast(read=5.0, first_event=0.3)
    out = run(kind, handler, stream_action([]), key=canary, timeouts=timeouts)
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "first_event"
    assert 0.3 <= out.elapsed < 0.9, out.elapsed


def test_stream_total_deadline_keeps_partial_text(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.forever(content("more "), every=0.03)

    delivered: list[str] = []
    timeouts = fast(read=5.0, stream_total=0.4)
    out = run(kind, handler, stream_action(delivered), key=canary, timeouts=timeouts)
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.error.phase == "stream_total"
    assert delivered and out.error.partial_text == "".join(delivered)
    assert 0.4 <= out.elapsed < 1.0, out.elapsed


# ── connection errors name the host and the reason ──────────────────────────────────


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_connection_names_host_and_reason(
    kind: str, canary: str, no_sleep: list[float]
) -> None:
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

    port = _closed_port()
    url = f"http://127.0.0.1:{port}"
    if kind == "sync":
        with (
            SyncOneMinAIClient(canary, base_url=url) as client,
            pytest.raises(APIConnectionError) as info,
        ):
            client.generate_content("x")
    else:

        async def go() -> None:
            async with OneMinAIClient(canary, base_url=url) as client:
                await client.generate_content("x")

        with pytest.raises(APIConnectionError) as info:
            asyncio.run(go())
    assert str(info.value) == f"Could not connect to 127.0.0.1:{port}: connection refused."
    assert info.value.request_sent is False


def test_server_closing_without_answer_names_host_and_reason(
    kind: str, canary: str, no_sleep: list[float]
) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        conn.close()

    out = run(kind, handler, chat, key=canary, max_retries=0)
    assert isinstance(out.error, APIConnectionError), out.error
    port = out.server.port
    message = str(out.error)
    assert f"127.0.0.1:{port}" in message
    assert "closed the connection" in message


def test_reset_mid_body_names_host_and_reason(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "application/json"}, length=1000)
        await conn.send(b'{"aiRecord": ')
        await asyncio.sleep(0.05)
        conn.abort()

    out = run(kind, handler, chat, key=canary, max_retries=0)
    assert isinstance(out.error, APIConnectionError), out.error
    assert f"127.0.0.1:{out.server.port}" in str(out.error)
    assert "cut off" in str(out.error) or "reset" in str(out.error), str(out.error)


def test_the_watchdog_does_not_pile_up_finished_calls(kind: str, canary: str) -> None:
    """Every sync call arms a deadline ``total`` ahead (600 s by default); finished calls
    are swept out, so a long run of quick calls keeps the watchdog small."""
    if kind == "async":
        pytest.skip("the watchdog serves the sync client")
    from oneminai_webapi._transport._watchdog import watchdog

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, json_bytes(chat_record("ok")))

    def many(client: Any) -> int:
        for _ in range(400):
            client.generate_content("x")
        return len(watchdog._heap)

    out = run(kind, handler, many, key=canary, timeouts=fast(total=600.0))
    assert out.error is None, out.error
    assert out.value < 300


def test_a_slow_reader_is_not_idle(kind: str, canary: str) -> None:
    """The caller's own time between chunks is not the server's silence: a consumer that
    takes 0.35 s per chunk finishes a stream whose read timeout is 0.2 s."""
    import time

    words = ["one ", "two ", "three "]

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.chunk(b"".join(content(w) for w in words) + final_events("".join(words)))
        await conn.end_chunks()

    def slow(client: Any) -> Any:
        if kind == "sync":
            seen = []
            for chunk in client.generate_content_stream("x"):
                seen.append(chunk.text_delta)
                time.sleep(0.35)
            return "".join(seen)

        async def go() -> str:
            seen = []
            async with client.generate_content_stream("x") as stream:
                async for chunk in stream:
                    seen.append(chunk.text_delta)
                    await asyncio.sleep(0.35)
            return "".join(seen)

        return go()

    out = run(kind, handler, slow, key=canary, timeouts=fast(read=0.2))
    assert out.error is None, out.error
    assert out.value == "".join(words)
