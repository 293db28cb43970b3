"""The async transport: one lazily created aiohttp session per client, sending one attempt.

This is the only module that imports aiohttp for API calls, and :func:`_mapped` is the one
place where aiohttp's exceptions become ours (raised ``from None``: aiohttp's request info
carries every header, the API key included). Bodies arrive undecoded (aiohttp's own
decompression is off) and go through the sans-IO decoder and limits of ``_bodies``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

import aiohttp

from .._config import Limits, Timeouts
from .._protocol._bodies import BodyReader, ContentDecoder
from .._protocol._http import Request, Response
from .._protocol._multipart import BodyStream, request_body
from .._protocol._neterrors import connection_error, host_of, os_reason
from ..exceptions import (
    APITimeoutError,
    ClientClosedError,
    EventLoopMismatchError,
    OneMinAIError,
)

_READ_CHUNK = 1 << 16
#: ``json.dumps(obj, ensure_ascii=False)`` builds a new encoder per call; reuse one.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


@contextmanager
def _mapped(url: str, proxy: str | None = None) -> Iterator[None]:
    try:
        try:
            yield
        except aiohttp.ConnectionTimeoutError:
            raise APITimeoutError(
                f"Timed out while connecting to {host_of(url)}.", phase="connect"
            ) from None
        except aiohttp.SocketTimeoutError:
            raise APITimeoutError(
                f"Timed out waiting for data from {host_of(url)}.", phase="read"
            ) from None
        except (aiohttp.ServerTimeoutError, asyncio.TimeoutError):
            raise APITimeoutError(
                f"The request to {host_of(url)} exceeded its total timeout.", phase="total"
            ) from None
        except aiohttp.ClientConnectorError as exc:
            raise connection_error(url, os_reason(exc.os_error), sent=False, proxy=proxy) from None
        except aiohttp.ServerDisconnectedError:
            raise connection_error(
                url, "the server closed the connection", sent=True, proxy=proxy
            ) from None
        except aiohttp.ClientPayloadError:
            raise connection_error(url, "the answer was cut off", sent=True, proxy=proxy) from None
        except aiohttp.ClientError as exc:
            low = exc if isinstance(exc, OSError) else exc.__cause__
            reason = os_reason(low) if low is not None else type(exc).__name__
            raise connection_error(url, reason, sent=True, proxy=proxy) from None
    except OneMinAIError as exc:
        # ``from None`` only hides the aiohttp error: it would stay reachable through
        # ``__context__`` (its request info holds every header). Drop it for good.
        exc.__context__ = None
        raise


def _raise_mapped(exc: BaseException, url: str, proxy: str | None = None) -> NoReturn:
    """Re-raise ``exc`` through :func:`_mapped` (the error path of the hot calls).

    The hot paths catch exceptions themselves instead of entering the context manager on
    every call (a generator-based context manager costs a few microseconds per use); a
    failure goes through exactly the same mapping.
    """
    with _mapped(url, proxy):
        raise exc


def _raise_alone(error: BaseException) -> NoReturn:
    """Raise ``error`` as it was (a failure of the upload body), chained to nothing.

    The aiohttp error it would be chained to holds every header, the API key included.
    """
    try:
        raise error
    except BaseException as exc:
        exc.__context__ = None
        raise


#: ``aiohttp.ClientTimeout`` objects by (connect, read, total): immutable, so one per
#: combination is enough (a new one per request was measurable).
_TIMEOUTS: dict[tuple[float, float, float | None], aiohttp.ClientTimeout] = {}


def _client_timeout(
    t: Timeouts, *, stream: bool, total: float | None, read: float | None = None
) -> aiohttp.ClientTimeout:
    # Streams are governed by the idle read timeout (and the stream deadlines the client
    # enforces): a total would kill long answers.
    key = (t.connect, read or t.read, None if stream else total)
    timeout = _TIMEOUTS.get(key)
    if timeout is None:
        if len(_TIMEOUTS) >= 64:  # bounded: per-call totals could vary without end
            _TIMEOUTS.clear()
        total_s = key[2]
        # A total at least 1 s shorter than the read timeout always expires first (it starts
        # earlier and also covers the body; aiohttp rounds both up to whole seconds), so
        # the read timeout could never fire: leave it out and spare aiohttp re-arming a
        # timer on every received chunk.
        read_s = None if total_s is not None and total_s + 1 <= key[1] else key[1]
        timeout = _TIMEOUTS[key] = aiohttp.ClientTimeout(
            total=total_s, sock_connect=t.connect, sock_read=read_s
        )
    return timeout


def _salvage(content: aiohttp.StreamReader) -> bytes:
    """Bytes already buffered by a reader that has failed (``b""`` when none)."""
    try:
        if content._buffer:
            return content._read_nowait(-1)
    except (AttributeError, TypeError):  # pragma: no cover - aiohttp internals changed
        pass
    return b""


class AsyncStreamBody:
    """An open streamed response: iterate its chunks, then :meth:`aclose` (idempotent)."""

    def __init__(self, response: aiohttp.ClientResponse, release: Any, url: str) -> None:
        self._response = response
        self._release = release
        self._url = url
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives, decoded (``Content-Encoding``), in bounded pieces."""
        content = self._response.content
        decoder = ContentDecoder(self.headers.get("content-encoding"))
        identity = decoder.identity
        while True:
            try:
                chunk = await content.readany()
            except Exception as exc:
                # aiohttp raises a failure before handing out bytes it already received:
                # keep those (text received is never lost), then fail.
                chunk = _salvage(content)
                if not chunk:
                    _raise_mapped(exc, self._url)
            except BaseException as exc:
                _raise_mapped(exc, self._url)
            if not chunk:
                return
            if identity:
                yield chunk
            else:
                for piece in decoder.feed(chunk):
                    yield piece

    async def read_limited(self, limits: Limits, *, truncate: bool | None = None) -> bytes:
        """The body, as much of it as ``limits`` allow (see :class:`BodyReader`)."""
        reader = BodyReader(
            self.status,
            self.headers,
            max_body_bytes=limits.max_body_bytes,
            max_error_bytes=limits.max_error_bytes,
            truncate=truncate,
        )
        content = self._response.content
        while True:
            try:
                chunk = await content.readany()
            except BaseException as exc:
                _raise_mapped(exc, self._url)
            if not chunk or reader.feed(chunk):
                return reader.body()

    def interrupt(self, error: OneMinAIError) -> None:
        """Make the pending (and every later) read raise ``error`` (a deadline passed)."""
        self._response.content.set_exception(error)

    async def aclose(self) -> None:
        """Release the connection (closing it when the body was not fully read)."""
        if self._release is None:
            return
        release, self._release = self._release, None
        try:
            if not self._response.content.at_eof():
                self._response.close()
            else:
                self._response.release()
        finally:
            release()


async def _upload_chunks(upload: BodyStream) -> AsyncIterator[bytes]:
    """A request body streamed from ``upload`` (aiohttp asks for a piece once it sent one)."""
    try:
        while chunk := upload.next_chunk():
            yield chunk
    finally:
        upload.close()


class AiohttpTransport:
    """Sends single attempts; owns (or borrows) the ``aiohttp.ClientSession``."""

    def __init__(
        self,
        *,
        max_connections: int,
        proxy: str | None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self._max_connections = max_connections
        self._proxy = proxy
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        #: Requests currently holding a connection slot (streams count until closed).
        self.in_flight = 0

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The underlying session, once created."""
        return self._session

    def _ensure(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientClosedError("This client is closed; create a new one.")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None:
                raise EventLoopMismatchError(
                    "This async client was first used in another event loop, which owns its "
                    "connections; create one client per event loop (for example inside each "
                    "asyncio.run())."
                )
            self._loop = loop
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._max_connections, limit_per_host=0)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_connections)
        return self._session

    async def _acquire(self, pool_timeout: float) -> None:
        slots = self._slots
        assert slots is not None
        if not slots.locked():
            # A free slot: acquire() returns without suspending. asyncio.wait_for would
            # wrap it in a task plus a timer and cost two extra loop iterations per request.
            await slots.acquire()
            self.in_flight += 1
            return
        try:
            await asyncio.wait_for(slots.acquire(), pool_timeout)
        except asyncio.TimeoutError:
            raise APITimeoutError(
                "No free connection in the client's pool within the pool timeout.", phase="pool"
            ) from None
        self.in_flight += 1

    def _release(self) -> None:
        assert self._slots is not None
        self.in_flight -= 1
        self._slots.release()

    async def _start(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> aiohttp.ClientResponse:
        session = self._ensure()
        data: Any = None
        hdrs = dict(headers)
        upload: BodyStream | None = None
        if request.files:  # streamed from the files, a new pass per attempt
            body = request_body(request)
            upload = body.open(request.upload_progress)
            data = _upload_chunks(upload)
            hdrs["Content-Type"] = body.content_type
            hdrs["Content-Length"] = str(body.length)  # never chunked
        slots = self._slots
        if slots is not None and not slots.locked():
            await slots.acquire()  # a free slot: no suspension (see ``_acquire``)
            self.in_flight += 1
        else:
            await self._acquire(timeouts.pool)
        if request.json is not None and upload is None:
            data = _encode_json(request.json).encode()
            hdrs["Content-Type"] = "application/json"
        total = request.timeout_s or timeouts.total
        try:
            return await session.request(
                request.method,
                url,
                params=dict(request.query) if request.query else None,
                data=data,
                headers=hdrs,
                allow_redirects=False,
                proxy=self._proxy,
                timeout=_client_timeout(
                    timeouts, stream=request.stream, total=total, read=request.read_timeout_s
                ),
                auto_decompress=False,
            )
        except BaseException as exc:
            self._release()
            if upload is not None and upload.error is not None:
                _raise_alone(upload.error)  # aiohttp wraps failures of the body
            _raise_mapped(exc, url, self._proxy)
        finally:
            if upload is not None:
                upload.close()

    async def send(
        self,
        request: Request,
        url: str,
        headers: Mapping[str, str],
        timeouts: Timeouts,
        limits: Limits,
    ) -> Response:
        """Send once and read the body within ``limits`` (and the total timeout)."""
        response = await self._start(request, url, headers, timeouts)
        body = AsyncStreamBody(response, self._release, url)
        try:
            return Response(body.status, body.headers, await body.read_limited(limits))
        finally:
            await body.aclose()

    async def open(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> AsyncStreamBody:
        """Send once and return the unread body; the caller must ``aclose()`` it."""
        response = await self._start(request, url, headers, timeouts)
        return AsyncStreamBody(response, self._release, url)

    async def close(self) -> None:
        """Close the session if this transport created it (idempotent).

        Raises:
            EventLoopMismatchError: Called in another event loop than the one the session
                belongs to while that loop still exists (close it there).
        """
        session = self._session
        if session is None or not self._owns_session or session.closed:
            self._closed = True
            return
        loop = self._loop
        if loop is not None and loop is not asyncio.get_running_loop():
            if not loop.is_closed():
                raise EventLoopMismatchError(
                    "This async client belongs to another event loop; close it there."
                )
            # Its loop has ended without closing it: the connections ended with the loop.
            self._closed = True
            self._session = None
            return
        self._closed = True
        await session.close()
