"""Issue 14 items 3 and 4: bodies are bounded, and both clients read compressed answers.

Every attack comes from :mod:`hostile_server` (raw sockets) and runs against the async and
the sync client; memory is measured with ``tracemalloc`` while the attack runs.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi.exceptions import (
    BadRequestError,
    InternalServerError,
    ResponseTooLargeError,
    UnexpectedResponseError,
)

from .hostile_server import (
    KINDS,
    SSE_HEADERS,
    Conn,
    Req,
    chat_record,
    content,
    final_events,
    gzip_bomb,
    json_bytes,
    run,
    sse,
    stream_action,
)

MiB = 1 << 20
pytestmark = pytest.mark.parametrize("kind", KINDS)


def chat(client: Any) -> Any:
    return client.generate_content("hello")


# ── item 4: compressed answers ──────────────────────────────────────────────────────


def _compressed(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "gzip-two-members":
        half = len(data) // 2
        return gzip.compress(data[:half]) + gzip.compress(data[half:])
    if encoding == "deflate":
        return zlib.compress(data)
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)  # raw deflate, no zlib header
    return comp.compress(data) + comp.flush()


@pytest.mark.parametrize("encoding", ["gzip", "gzip-two-members", "deflate", "raw-deflate"])
def test_compressed_json_is_read(kind: str, encoding: str, canary: str) -> None:
    text = "Bonjour ☃ " * 200
    header = {"gzip-two-members": "gzip", "raw-deflate": "deflate"}.get(encoding, encoding)

    async def handler(conn: Conn, req: Req) -> None:
        body = _compressed(encoding, json_bytes(chat_record(text)))
        await conn.respond(200, body, {"Content-Encoding": header})

    out = run(kind, handler, chat, key=canary)
    assert out.error is None, out.error
    assert out.value.text == text
    assert out.server.requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_gzip_event_stream_in_tiny_chunks(kind: str, canary: str) -> None:
    """A compressing proxy in front of the event stream, flushing a few bytes at a time."""
    words = [f"w{i} " for i in range(50)]
    events = b"".join(content(w) for w in words) + final_events("".join(words))
    body = gzip.compress(events)

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {**SSE_HEADERS, "Content-Encoding": "gzip"}, chunked=True)
        for i in range(0, len(body), 7):
            await conn.chunk(body[i : i + 7])
        await conn.end_chunks()

    delivered: list[str] = []
    out = run(kind, handler, stream_action(delivered), key=canary)
    assert out.error is None, out.error
    assert delivered == words
    assert out.value == "".join(words)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_corrupt_compressed_body_is_a_typed_error(kind: str, encoding: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(
            200, b"\x1f\x8b\x08\x00garbage-not-compressed" * 4, {"Content-Encoding": encoding}
        )

    out = run(kind, handler, chat, key=canary)
    assert isinstance(out.error, UnexpectedResponseError)
    assert f"not valid {encoding}" in str(out.error)


def test_unasked_content_encoding_is_a_typed_error(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, b"\x0b\x02\x80{}\x03", {"Content-Encoding": "br"})

    out = run(kind, handler, chat, key=canary)
    assert isinstance(out.error, UnexpectedResponseError)
    assert "Content-Encoding 'br'" in str(out.error)


# ── item 3: bounded bodies ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("wrapper", ["gzip", "zlib", "raw"])
def test_json_gzip_bomb_is_refused_without_memory_growth(
    kind: str, wrapper: str, canary: str
) -> None:
    """64 MiB of white space compressed to ~64 KiB, with the limit set to 1 MiB."""
    bomb = gzip_bomb(64, wrapper=wrapper)
    assert len(bomb) < MiB // 4
    encoding = "gzip" if wrapper == "gzip" else "deflate"

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, bomb, {"Content-Encoding": encoding})

    out = run(kind, handler, chat, key=canary, trace_memory=True, max_body_bytes=MiB)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert out.error.limit == MiB
    assert out.peak < 6 * MiB, f"peak {out.peak / MiB:.1f} MiB"


def test_json_gzip_bomb_stops_at_the_default_limit(kind: str, canary: str) -> None:
    """The default limit (32 MiB) holds too: a 48 MiB bomb never inflates past it."""
    bomb = gzip_bomb(48)

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, bomb, {"Content-Encoding": "gzip"})

    out = run(kind, handler, chat, key=canary, trace_memory=True)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert out.error.limit == 32 * MiB
    assert out.peak < 40 * MiB, f"peak {out.peak / MiB:.1f} MiB"


def test_endless_json_body_hits_the_limit(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "application/json"}, chunked=True)
        await conn.chunk(b"[")
        await conn.forever(b"1," * 8192)

    out = run(kind, handler, chat, key=canary, trace_memory=True, max_body_bytes=2 * MiB)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert out.peak < 8 * MiB
    assert out.elapsed < 2


def test_declared_length_over_the_limit_fails_before_reading(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "application/json"}, length=10**12)
        await conn.forever(b" " * 65536, chunked=False)

    out = run(kind, handler, chat, key=canary, trace_memory=True)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert "declares 1000000000000 bytes" in str(out.error)
    assert out.peak < 2 * MiB


def test_error_bodies_are_read_a_few_kib_even_when_retried(
    kind: str, canary: str, no_sleep: list[float]
) -> None:
    """Three 500s, each with a body that never ends: three short reads, then the error."""

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(500, {"Content-Type": "text/plain"}, chunked=True)
        await conn.forever(b"Internal error! " * 1024)

    out = run(kind, handler, chat, key=canary, trace_memory=True)
    assert isinstance(out.error, InternalServerError), out.error
    assert len(out.server.requests) == 3
    assert len(no_sleep) == 2
    assert len(out.error.body) <= 8192
    assert out.peak < 4 * MiB
    assert out.elapsed < 2


def test_gzip_bomb_error_body_is_cut(kind: str, canary: str) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(
            400, gzip_bomb(64), {"Content-Encoding": "gzip"}, content_type="text/plain"
        )

    out = run(kind, handler, chat, key=canary, trace_memory=True)
    assert isinstance(out.error, BadRequestError), out.error
    assert len(out.error.body) <= 8192
    assert out.peak < 4 * MiB


def test_event_stream_labelled_json_is_bounded(kind: str, canary: str) -> None:
    """An endless event stream mislabelled ``application/json`` on a streaming call."""

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "application/json"}, chunked=True)
        await conn.forever(content("never ") * 200)

    delivered: list[str] = []
    out = run(kind, handler, stream_action(delivered), key=canary, trace_memory=True)
    assert isinstance(out.error, UnexpectedResponseError), out.error
    assert "Expected an event stream" in str(out.error)
    assert delivered == []
    assert out.peak < 4 * MiB
    assert out.elapsed < 2


def test_endless_download_stops_at_max_download_bytes(
    kind: str, canary: str, tmp_path: Path
) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "image/png"}, chunked=True)
        await conn.forever(b"\x89PNG" * 16384)

    def save(client: Any) -> Any:
        from oneminai_webapi.types import GeneratedImage

        image = GeneratedImage(url=client.base_url + "/files/cat.png")
        image._bind(client)
        return image.save(tmp_path)

    out = run(kind, handler, save, key=canary, trace_memory=True, max_download_bytes=3 * MiB)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert out.error.limit == 3 * MiB
    assert list(tmp_path.iterdir()) == []  # no file, no .part-
    assert out.peak < 4 * MiB


def test_download_declaring_too_much_creates_nothing(
    kind: str, canary: str, tmp_path: Path
) -> None:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, {"Content-Type": "image/png"}, length=5 * MiB)
        await conn.forever(b"x" * 65536, chunked=False)

    def save(client: Any) -> Any:
        from oneminai_webapi.types import GeneratedImage

        image = GeneratedImage(url=client.base_url + "/files/cat.png")
        image._bind(client)
        return image.save(tmp_path / "out")

    out = run(kind, handler, save, key=canary, max_download_bytes=MiB)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_gzip_bomb_download_stops_at_max_download_bytes(
    kind: str, canary: str, tmp_path: Path
) -> None:
    bomb = gzip_bomb(64)

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, bomb, {"Content-Encoding": "gzip"}, content_type="image/png")

    def save(client: Any) -> Any:
        from oneminai_webapi.types import GeneratedImage

        image = GeneratedImage(url=client.base_url + "/files/cat.png")
        image._bind(client)
        return image.save(tmp_path)

    out = run(kind, handler, save, key=canary, trace_memory=True, max_download_bytes=2 * MiB)
    assert isinstance(out.error, ResponseTooLargeError), out.error
    assert list(tmp_path.iterdir()) == []
    assert out.peak < 4 * MiB


def test_sse_events_after_a_json_limit_do_not_matter(kind: str, canary: str) -> None:
    """A normal compressed stream still passes the limits (no false alarms)."""
    text = "x" * 100_000

    async def handler(conn: Conn, req: Req) -> None:
        body = gzip.compress(content(text) + sse("result", chat_record(text)) + sse("done", {}))
        await conn.respond(200, body, {**SSE_HEADERS, "Content-Encoding": "gzip"}, content_type="")

    delivered: list[str] = []
    out = run(kind, handler, stream_action(delivered), key=canary, max_body_bytes=4096)
    assert out.error is None, out.error
    assert out.value == text
