"""A hostile HTTP/1.1 server for the reliability suite: raw asyncio sockets on 127.0.0.1.

The emulator behaves like the service; this server is written to misbehave at the byte
level: headers sent one byte at a time, bodies that never end, gzip bombs, event streams
labelled ``application/json``, keep-alive comments forever, echoed keys, hostile file names.

Every scenario is bounded: a connection lives at most ``max_seconds``, loops stop when the
client goes away, and endless bodies stop at ``max_bytes``. Use it in the test's own loop
(``async with HostileServer(handler) as srv``) for the async client, or on its own thread
(``with HostileServer(handler) as srv``) for the sync client.

A handler is ``async def handler(conn: Conn, req: Req) -> None``; it writes the answer with
the :class:`Conn` helpers. The connection is kept alive for the next request unless the
handler closes it (or sent a body without framing).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import hashlib
import inspect
import json
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Conn",
    "Handler",
    "HostileServer",
    "Req",
    "gzip_bomb",
    "json_bytes",
]

MAX_REQUEST_BYTES = 8 << 20


@dataclass
class Req:
    """One request as the server read it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Conn:
    """One accepted connection, with helpers to answer (all bounded and failure-tolerant)."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: HostileServer
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.server = server
        self.closed = False
        #: Set when a write failed: the client went away.
        self.gone = False
        self.bytes_sent = 0

    # ── reading ─────────────────────────────────────────────────────────────────────

    async def read_request(self) -> Req | None:
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = [*lines[0].split(" ", 2), "", ""][:3]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = b""
        if self.server.stream_bodies:
            pass  # the handler reads the body (see ``read_body``)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunked()
        elif headers.get("content-length", "0").isdigit():
            length = min(int(headers.get("content-length", "0")), MAX_REQUEST_BYTES)
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
                body = await self.reader.readexactly(length)
        return Req(method, path, headers, body)

    async def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        try:
            while total < MAX_REQUEST_BYTES:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                total += size
                await self.reader.readexactly(2)
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            pass
        return b"".join(parts)

    async def read_body(
        self,
        req: Req,
        *,
        piece: int = 1 << 16,
        on_piece: Callable[[int], Awaitable[None]] | None = None,
    ) -> tuple[int, str, bytes]:
        """Read a body left unread (``stream_bodies``) by ``Content-Length``, keeping none of it.

        ``on_piece(received_so_far)`` is awaited after each piece (to read slowly).
        Returns ``(bytes read, sha256 hex digest, the first 1 KiB)``.
        """
        length = int(req.headers.get("content-length", "0"))
        digest = hashlib.sha256()
        head = b""
        received = 0
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while received < length:
                data = await self.reader.readexactly(min(piece, length - received))
                digest.update(data)
                if len(head) < 1024:
                    head += data[: 1024 - len(head)]
                received += len(data)
                if on_piece is not None:
                    await on_piece(received)
        return received, digest.hexdigest(), head

    async def wait_closed_by_client(self, timeout: float) -> bool:
        """Wait until the client closes its side (True) or ``timeout`` passes (False)."""
        try:
            while True:
                data = await asyncio.wait_for(self.reader.read(65536), timeout)
                if not data:
                    return True
        except (asyncio.TimeoutError, ConnectionError):
            return False

    # ── writing ─────────────────────────────────────────────────────────────────────

    async def send(self, data: bytes) -> bool:
        """Write ``data``; False once the client has gone."""
        if self.gone or self.closed:
            return False
        try:
            self.writer.write(data)
            await self.writer.drain()
        except (ConnectionError, RuntimeError):
            self.gone = True
            return False
        self.bytes_sent += len(data)
        return True

    async def head(
        self,
        status: int = 200,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        *,
        length: int | None = None,
        chunked: bool = False,
        reason: str = "OK",
    ) -> bool:
        """The status line and headers (``Content-Length`` or chunked framing if asked)."""
        items = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        if length is not None:
            items.append(("Content-Length", str(length)))
        if chunked:
            items.append(("Transfer-Encoding", "chunked"))
        lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in items]
        return await self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def respond(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        *,
        content_type: str = "application/json",
    ) -> bool:
        """A complete answer with ``Content-Length``."""
        items = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        if content_type and not any(k.lower() == "content-type" for k, _ in items):
            items.append(("Content-Type", content_type))
        return await self.head(status, items, length=len(body)) and await self.send(body)

    async def chunk(self, data: bytes) -> bool:
        """One chunk of a chunked body."""
        if not data:
            return True
        return await self.send(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    async def end_chunks(self) -> bool:
        return await self.send(b"0\r\n\r\n")

    async def trickle(self, data: bytes, every: float, *, chunked: bool = False) -> bool:
        """Send ``data`` one byte at a time, ``every`` seconds apart."""
        for i in range(len(data)):
            piece = data[i : i + 1]
            if not await (self.chunk(piece) if chunked else self.send(piece)):
                return False
            await asyncio.sleep(every)
        return True

    async def forever(
        self,
        piece: bytes,
        *,
        every: float = 0.0,
        chunked: bool = True,
        max_bytes: int | None = None,
    ) -> int:
        """Repeat ``piece`` until the client goes away, ``max_bytes`` or the time bound."""
        limit = self.server.max_bytes if max_bytes is None else max_bytes
        sent = 0
        deadline = time.monotonic() + self.server.max_seconds
        while sent < limit and time.monotonic() < deadline:
            if not await (self.chunk(piece) if chunked else self.send(piece)):
                break
            sent += len(piece)
            await asyncio.sleep(every)
        return sent

    def close(self) -> None:
        """Close the connection (abruptly when ``abort``)."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                self.writer.close()

    def abort(self) -> None:
        """Reset the connection."""
        self.closed = True
        with contextlib.suppress(Exception):
            self.writer.transport.abort()


Handler = Callable[[Conn, Req], Awaitable[None]]


@dataclass
class Stats:
    """What the server saw."""

    requests: list[Req] = field(default_factory=list)
    connections: int = 0
    #: Connections whose client went away while the handler was still writing.
    client_gone: int = 0


class HostileServer:
    """A scripted raw-socket HTTP server on 127.0.0.1.

    Args:
        handler: Answers each request.
        max_seconds: The longest a connection may live.
        max_bytes: The default bound of :meth:`Conn.forever`.
        stream_bodies: Leave request bodies unread for the handler (:meth:`Conn.read_body`).
    """

    def __init__(
        self,
        handler: Handler,
        *,
        max_seconds: float = 3.0,
        max_bytes: int = 1 << 30,
        stream_bodies: bool = False,
    ):
        self.handler = handler
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.stream_bodies = stream_bodies
        self.stats = Stats()
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        #: Connections accepted whose handler has not started yet (see ``stop``).
        self._arriving = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[Req]:
        return self.stats.requests

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._arriving -= 1
        self._tasks.add(task)
        self.stats.connections += 1
        conn = Conn(reader, writer, self)
        try:
            await asyncio.wait_for(self._loop_requests(conn), self.max_seconds)
        except (asyncio.TimeoutError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if conn.gone:
                self.stats.client_gone += 1
            conn.abort() if not conn.closed else None
            self._tasks.discard(task)

    async def _loop_requests(self, conn: Conn) -> None:
        while not conn.closed and not conn.gone:
            req = await conn.read_request()
            if req is None:
                return
            self.stats.requests.append(req)
            await self.handler(conn, req)

    def _protocol(self) -> asyncio.StreamReaderProtocol:
        # What ``asyncio.start_server`` makes, counted from the moment the loop accepted
        # the connection: its handler task only starts a few loop turns later.
        self._arriving += 1
        return asyncio.StreamReaderProtocol(asyncio.StreamReader(), self._serve)

    async def start(self) -> HostileServer:
        self._loop = loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Stop listening, then end every connection, one accepted just before included.

        A fast client can connect, send and give up before the loop has even started the
        handler of its connection: the loop's accept step, the protocol's
        ``connection_made`` and the handler's first step each take a turn. Each of those
        turns is waited for (a handler not started yet cannot be cancelled into closing
        its connection); left behind, the connection would outlive the loop, and the
        garbage collector would report its socket (``ResourceWarning``) in a later test.
        """
        server, self._server = self._server, None
        if server is None:
            return
        # Stop accepting first, and let the accept steps already queued make their
        # transports: closing the server under a queued step leaves the accepted socket
        # to the garbage collector (``Server._attach`` fails once it is closed, 3.11).
        loop = asyncio.get_running_loop()
        for sock in server.sockets:
            loop.remove_reader(sock.fileno())
        await asyncio.sleep(0)
        server.close()
        deadline = time.monotonic() + 2
        while True:
            await asyncio.sleep(0)  # one turn: an accepted connection moves on
            if self._tasks:
                for task in self._tasks:
                    task.cancel()
                await asyncio.wait(list(self._tasks), timeout=max(0.0, deadline - time.monotonic()))
            if (not self._tasks and not self._arriving) or time.monotonic() > deadline:
                break
        await server.wait_closed()

    async def __aenter__(self) -> HostileServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ── on its own thread (for the sync client) ─────────────────────────────────────

    def __enter__(self) -> HostileServer:
        started = threading.Event()
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="hostile-server", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        loop, thread = self._loop, self._thread
        assert loop is not None and thread is not None
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


# ── bodies ──────────────────────────────────────────────────────────────────────────


def json_bytes(obj: Any) -> bytes:
    return json.dumps(obj).encode()


@functools.cache
def gzip_bomb(inflated_mib: int, *, wrapper: str = "gzip") -> bytes:
    """``inflated_mib`` MiB of spaces, compressed about 1000:1 (a few milliseconds to build).

    One MiB is deflated once, ending with a full flush so that its compressed form does
    not depend on what came before; the bomb repeats it and closes the stream with the
    right trailer (``wrapper``: ``gzip``, ``zlib`` or ``raw`` deflate), so it inflates
    to exactly ``inflated_mib`` MiB.
    """
    block = b" " * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    comp.compress(block)
    comp.flush(zlib.Z_FULL_FLUSH)
    piece = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)  # history-independent
    body = piece * inflated_mib + comp.flush()
    crc, adler = 0, 1
    for _ in range(inflated_mib):
        crc = zlib.crc32(block, crc)
        adler = zlib.adler32(block, adler)
    if wrapper == "raw":
        return body
    if wrapper == "zlib":
        return b"\x78\xda" + body + adler.to_bytes(4, "big")
    size = (inflated_mib << 20) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + body + crc.to_bytes(4, "little") + size.to_bytes(4, "little")


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


# ── service-shaped answers ──────────────────────────────────────────────────────────


def chat_record(text: str, **extra: Any) -> dict[str, Any]:
    """A successful chat ``aiRecord`` envelope."""
    record = {
        "uuid": "rec-1",
        "model": "gpt-4o-mini",
        "status": "SUCCESS",
        "aiRecordDetail": {"resultObject": [text]},
        **extra,
    }
    return {"aiRecord": record}


def sse(event: str, data: Any) -> bytes:
    """One server-sent event (``data`` JSON-encoded unless it is text)."""
    text = data if isinstance(data, str) else json.dumps(data)
    return f"event: {event}\ndata: {text}\n\n".encode()


def content(delta: str) -> bytes:
    return sse("content", {"content": delta})


def final_events(text: str) -> bytes:
    return sse("result", chat_record(text)) + sse("done", {})


SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}


def answering(
    status: int, body: bytes | str, content_type: str = "application/json", **headers: str
) -> Handler:
    """A handler answering every request with ``status`` and ``body`` (and ``headers``)."""
    raw = body.encode() if isinstance(body, str) else body

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(status, raw, headers, content_type=content_type)

    return handler


def streaming(*parts: bytes) -> Handler:
    """A handler answering an event stream: ``parts`` as chunks, then the end."""

    async def handler(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        for part in parts:
            await conn.chunk(part)
        await conn.end_chunks()

    return handler


# ── running either client against a server ──────────────────────────────────────────


@dataclass
class Outcome:
    """What one call against a hostile server gave."""

    value: Any
    error: BaseException | None
    server: HostileServer
    elapsed: float
    #: Peak bytes allocated during the call (when measured with ``trace_memory``).
    peak: int = 0


def run(
    kind: str,
    handler: Handler,
    action: Callable[[Any], Any],
    *,
    key: str,
    trace_memory: bool = False,
    server_seconds: float = 3.0,
    stream_bodies: bool = False,
    **client_options: Any,
) -> Outcome:
    """Run ``action(client)`` with the ``kind`` client (``"async"`` or ``"sync"``) against
    a fresh :class:`HostileServer`; the action's result (awaited for the async client) or
    its exception is returned with the server and the elapsed time."""
    import tracemalloc

    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

    def measured(call: Callable[[], Any]) -> tuple[Any, BaseException | None, float, int]:
        if trace_memory:
            tracemalloc.start()
            tracemalloc.reset_peak()
        start = time.monotonic()
        try:
            value, error = call(), None
        except Exception as exc:  # returned for the test to inspect
            value, error = None, exc
        elapsed = time.monotonic() - start
        peak = 0
        if trace_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return value, error, elapsed, peak

    if kind == "sync":
        with HostileServer(handler, max_seconds=server_seconds, stream_bodies=stream_bodies) as srv:
            with SyncOneMinAIClient(key, base_url=srv.base_url, **client_options) as client:
                value, error, elapsed, peak = measured(lambda: action(client))
        return Outcome(value, error, srv, elapsed, peak)

    async def scenario() -> Outcome:
        async with HostileServer(
            handler, max_seconds=server_seconds, stream_bodies=stream_bodies
        ) as srv:
            async with OneMinAIClient(key, base_url=srv.base_url, **client_options) as client:
                if trace_memory:
                    tracemalloc.start()
                    tracemalloc.reset_peak()
                start = time.monotonic()
                value: Any = None
                error: BaseException | None = None
                try:
                    result = action(client)
                    value = await result if inspect.isawaitable(result) else result
                except Exception as exc:  # returned for the test to inspect
                    error = exc
                elapsed = time.monotonic() - start
                peak = 0
                if trace_memory:
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                return Outcome(value, error, srv, elapsed, peak)

    return asyncio.run(scenario())


def stream_action(delivered: list[str], prompt: str = "go") -> Callable[[Any], Any]:
    """An action that streams a chat answer into ``delivered`` (text deltas) and returns
    the final text (works with both clients)."""
    from oneminai_webapi import SyncOneMinAIClient

    def act(client: Any) -> Any:
        if isinstance(client, SyncOneMinAIClient):
            with client.generate_content_stream(prompt) as stream:
                for chunk in stream:
                    if chunk.text_delta:
                        delivered.append(chunk.text_delta)
                return stream.text

        async def go() -> str:
            async with client.generate_content_stream(prompt) as stream:
                async for chunk in stream:
                    if chunk.text_delta:
                        delivered.append(chunk.text_delta)
                return str(stream.text)

        return go()

    return act


KINDS = ("async", "sync")
