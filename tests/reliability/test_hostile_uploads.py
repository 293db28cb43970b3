"""Issue 18 item 5: uploads stream from the file, with per-byte progress, in both clients.

Against the hostile server, which reads request bodies itself here (``stream_bodies``):
a large file is sent with bounded memory in a normal ``Content-Length`` multipart POST;
progress follows what a slow reader really takes; a retry sends the file again from its
first byte; a file that changes while it is sent, or a progress callback that raises,
ends the upload with that error (never a retried connection error), and the connection
that carried half the body is closed at once (never pooled, never left to the collector).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import InvalidRequestError

from .hostile_server import KINDS, Conn, Req, json_bytes, run

pytestmark = pytest.mark.parametrize("kind", KINDS)

MIB = 1 << 20
ANSWER = {
    "asset": {"key": "videos/x_clip.mp4", "originalname": "clip.mp4", "mimetype": "video/mp4"},
    "fileContent": {"uuid": "file-1", "path": "videos/x_clip.mp4"},
}


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` zero bytes, created instantly (no data written)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def expected_body_digest(req: Req, head: bytes, content: Iterable[bytes]) -> str:
    """The sha256 of a one-file body: its part head (as received), the file, the end."""
    boundary = req.headers["content-type"].split("boundary=", 1)[1]
    digest = hashlib.sha256(head[: head.index(b"\r\n\r\n") + 4])
    for piece in content:
        digest.update(piece)
    digest.update(f"\r\n--{boundary}--\r\n".encode())
    return digest.hexdigest()


class Received:
    """What the server read of each request body."""

    def __init__(self) -> None:
        self.bodies: list[tuple[int, str, bytes]] = []


def reading_server(received: Received, *, statuses: tuple[int, ...] = (200,)) -> Any:
    """Reads each body in full, then answers ``statuses`` in turn (the last one repeats)."""

    async def handler(conn: Conn, req: Req) -> None:
        received.bodies.append(await conn.read_body(req))
        status = statuses[min(len(received.bodies), len(statuses)) - 1]
        if status == 200:
            await conn.respond(200, json_bytes(ANSWER))
        else:
            body = json_bytes({"message": "Service unavailable"})
            await conn.respond(status, body, {"Retry-After": "0"})

    return handler


def upload(path: Path, reports: list[tuple[int, int]], **options: Any) -> Callable[[Any], Any]:
    def act(client: Any) -> Any:
        return client.upload_asset(path, on_progress=lambda s, t: reports.append((s, t)), **options)

    return act


def check_progress(reports: list[tuple[int, int]], total: int) -> None:
    """One pass: (0, total) first, strictly increasing, ending at (total, total)."""
    assert reports[0] == (0, total)
    assert reports[-1] == (total, total)
    sent = [s for s, _ in reports]
    assert sent == sorted(set(sent)), "bytes sent must increase monotonically"
    assert {t for _, t in reports} == {total}


def test_a_large_file_uploads_with_bounded_memory(kind: str, tmp_path: Path, canary: str) -> None:
    size = 50 * MIB
    path = sparse_file(tmp_path / "clip.mp4", size)
    received = Received()
    warm = tmp_path / "warm.txt"
    warm.write_bytes(b"warm-up")
    peaks: list[int] = []

    def measured(call: Callable[[], Any]) -> Any:
        tracemalloc.start()
        try:
            return call()
        finally:
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    def act(client: Any) -> Any:
        # A first small upload creates the session and its TLS context (not what is measured).
        if isinstance(client, OneMinAIClient):

            async def go() -> Any:
                await client.upload_asset(warm)
                tracemalloc.start()
                try:
                    return await client.upload_asset(path)
                finally:
                    peaks.append(tracemalloc.get_traced_memory()[1])
                    tracemalloc.stop()

            return go()
        client.upload_asset(warm)
        return measured(lambda: client.upload_asset(path))

    out = run(kind, reading_server(received), act, key=canary, stream_bodies=True)

    assert out.error is None, out.error
    assert out.value.asset_key == "videos/x_clip.mp4"
    (peak,) = peaks
    assert peak < 4 * MIB, f"peak {peak} bytes for a {size}-byte file"
    req = out.server.requests[1]
    length, digest, head = received.bodies[1]
    assert req.headers["content-length"] == str(length)
    assert "transfer-encoding" not in req.headers  # a normal POST, never chunked
    assert head.startswith(b"--") and b'name="asset"; filename="clip.mp4"' in head
    assert digest == expected_body_digest(req, head, (bytes(MIB) for _ in range(size // MIB)))


def test_progress_follows_a_slow_reader(kind: str, tmp_path: Path, canary: str) -> None:
    """While the server stops reading, the client's progress stops too: it counts bytes the
    connection took, not bytes read from the disk."""
    size = 16 * MIB
    path = sparse_file(tmp_path / "clip.mp4", size)
    reports: list[tuple[int, int]] = []
    seen_when_stalled: list[int] = []

    async def handler(conn: Conn, req: Req) -> None:
        # A small receive buffer (no autotuning): what the server has not read stays small.
        conn.writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, MIB)

        async def slowly(received: int) -> None:
            if not seen_when_stalled and received >= 64 * 1024:
                await asyncio.sleep(0.2)  # the client fills the socket buffers, then waits
                seen_when_stalled.append(reports[-1][0])

        await conn.read_body(req, on_piece=slowly)
        await conn.respond(200, json_bytes(ANSWER))

    out = run(kind, handler, upload(path, reports), key=canary, stream_bodies=True)

    assert out.error is None, out.error
    check_progress(reports, size)
    assert len(reports) >= size // (64 * 1024)  # per piece, not per file
    (stalled_at,) = seen_when_stalled
    assert 0 < stalled_at < size - MIB, "progress ran ahead of what the server took"


def test_a_retried_upload_sends_the_file_again_from_its_first_byte(
    kind: str, tmp_path: Path, canary: str, no_sleep: list[float]
) -> None:
    data = bytes(range(256)) * 1200  # 300 KiB: several pieces
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    received = Received()
    reports: list[tuple[int, int]] = []

    out = run(
        kind,
        reading_server(received, statuses=(503, 200)),
        upload(path, reports),
        key=canary,
        stream_bodies=True,
    )

    assert out.error is None, out.error
    assert len(out.server.requests) == 2 and len(no_sleep) == 1
    for req, (length, digest, head) in zip(out.server.requests, received.bodies, strict=True):
        assert req.headers["content-length"] == str(length)
        assert digest == expected_body_digest(req, head, [data])
    # Each attempt reports its own pass: from 0 to the total, twice.
    restart = reports.index((0, len(data)), 1)
    check_progress(reports[:restart], len(data))
    check_progress(reports[restart:], len(data))


def test_a_file_that_shrinks_while_it_is_sent_fails_clearly(
    kind: str, tmp_path: Path, canary: str, no_sleep: list[float]
) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"v" * 400_000)
    received = Received()

    def shrink(sent: int, total: int) -> None:
        if sent == 0:
            path.write_bytes(b"v" * 1000)  # cut short after the size was taken

    def act(client: Any) -> Any:
        return client.upload_asset(path, on_progress=shrink)

    out = run(kind, reading_server(received), act, key=canary, stream_bodies=True)

    assert isinstance(out.error, InvalidRequestError), repr(out.error)
    assert "shorter while it was being uploaded" in str(out.error)
    assert str(path) in str(out.error)
    assert len(out.server.requests) <= 1 and no_sleep == []  # never retried
    assert out.error.__context__ is None


def test_a_progress_callback_that_raises_stops_the_upload(
    kind: str, tmp_path: Path, canary: str, no_sleep: list[float]
) -> None:
    path = sparse_file(tmp_path / "clip.mp4", 4 * MIB)
    received = Received()

    class Stop(Exception):
        pass

    def stop_halfway(sent: int, total: int) -> None:
        if sent >= total // 2:
            raise Stop(sent)

    def act(client: Any) -> Any:
        return client.upload_asset(path, on_progress=stop_halfway)

    out = run(kind, reading_server(received), act, key=canary, stream_bodies=True)

    assert isinstance(out.error, Stop), repr(out.error)  # the caller's own exception
    assert out.error.__context__ is None  # not chained to a library error (headers)
    assert 2 * MIB <= out.error.args[0] < 4 * MIB
    assert no_sleep == []
    assert all(length < 4 * MIB for length, _, _ in received.bodies)  # never completed


def test_a_raising_callback_closes_its_connection_at_once(
    kind: str, tmp_path: Path, canary: str, no_sleep: list[float]
) -> None:
    """The connection that carried half a body is closed when the callback raises, not
    left to the pool or the garbage collector: the server sees it end while the client
    is still open, the client holds no connection, and its next upload goes out on a new
    connection without a retry."""
    path = sparse_file(tmp_path / "clip.mp4", 4 * MIB)
    small = tmp_path / "small.txt"
    small.write_bytes(b"small")
    ended = threading.Event()

    class Stop(Exception):
        pass

    def stop_halfway(sent: int, total: int) -> None:
        if sent >= total // 2:
            raise Stop(sent)

    async def handler(conn: Conn, req: Req) -> None:
        length, _, _ = await conn.read_body(req)
        if length < int(req.headers["content-length"]):  # the stopped upload
            if await conn.wait_closed_by_client(2.0):
                ended.set()
            return
        await conn.respond(200, json_bytes(ANSWER))

    def check_stopped(client: Any) -> None:
        assert ended.is_set(), "the half-sent connection was not closed"
        assert client._transport.in_flight == 0

    def act(client: Any) -> Any:
        if isinstance(client, OneMinAIClient):

            async def go() -> Any:
                with pytest.raises(Stop):
                    await client.upload_asset(path, on_progress=stop_halfway)
                for _ in range(200):  # the server shares this loop: let it see the end
                    if ended.is_set():
                        break
                    await asyncio.sleep(0.01)
                check_stopped(client)
                return await client.upload_asset(small)

            return go()
        with pytest.raises(Stop):
            client.upload_asset(path, on_progress=stop_halfway)
        ended.wait(2.0)
        check_stopped(client)
        return client.upload_asset(small)

    out = run(kind, handler, act, key=canary, stream_bodies=True)

    assert out.error is None, out.error
    assert out.value.asset_key == "videos/x_clip.mp4"
    assert no_sleep == []  # the second upload needed no retry
    assert out.server.stats.connections == 2  # the stopped one was never reused
    assert len(out.server.requests) == 2
