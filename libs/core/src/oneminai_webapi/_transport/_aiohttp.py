"""The async transport: one lazily created aiohttp session per client, sending one attempt.

This is the only module that imports aiohttp for API calls, and :func:`_mapped` is the one
place where aiohttp's exceptions become ours (raised ``from None``: aiohttp's request info
carries every header, the API key included).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

import aiohttp

from .._config import Timeouts
from .._protocol._http import Request, Response
from ..exceptions import APIConnectionError, APITimeoutError, ClientClosedError, OneMinAIError

_READ_CHUNK = 1 << 16
#: ``json.dumps(obj, ensure_ascii=False)`` builds a new encoder per call; reuse one.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


@contextmanager
def _mapped() -> Iterator[None]:
    try:
        try:
            yield
        except aiohttp.ConnectionTimeoutError:
            raise APITimeoutError("Timed out while connecting.", phase="connect") from None
        except aiohttp.SocketTimeoutError:
            raise APITimeoutError(
                "Timed out waiting for data from the server.", phase="read"
            ) from None
        except (aiohttp.ServerTimeoutError, asyncio.TimeoutError):
            raise APITimeoutError(
                "The request exceeded its total timeout.", phase="total"
            ) from None
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"Could not connect to {exc.host}:{exc.port} ({type(exc.os_error).__name__}).",
                request_sent=False,
            ) from None
        except aiohttp.ClientError as exc:
            raise APIConnectionError(f"Connection error: {type(exc).__name__}.") from None
    except OneMinAIError as exc:
        # ``from None`` only hides the aiohttp error: it would stay reachable through
        # ``__context__`` (its request info holds every header). Drop it for good.
        exc.__context__ = None
        raise


def _raise_mapped(exc: BaseException) -> NoReturn:
    """Re-raise ``exc`` through :func:`_mapped` (the error path of the hot calls).

    The hot paths catch exceptions themselves instead of entering the context manager on
    every call (a generator-based context manager costs a few microseconds per use); a
    failure goes through exactly the same mapping.
    """
    with _mapped():
        raise exc


#: ``aiohttp.ClientTimeout`` objects by (connect, read, total): immutable, so one per
#: combination is enough (a new one per request was measurable).
_TIMEOUTS: dict[tuple[float, float, float | None], aiohttp.ClientTimeout] = {}


def _client_timeout(
    t: Timeouts, *, stream: bool, total: float | None, read: float | None = None
) -> aiohttp.ClientTimeout:
    # Streams are governed by the idle read timeout alone: a total would kill long answers.
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


class AsyncStreamBody:
    """An open streamed response: iterate its chunks, then :meth:`aclose` (idempotent)."""

    def __init__(self, response: aiohttp.ClientResponse, release: Any) -> None:
        self._response = response
        self._release = release
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives."""
        content = self._response.content
        while True:
            try:
                chunk = await content.readany()
            except BaseException as exc:
                _raise_mapped(exc)
            if not chunk:
                return
            yield chunk

    async def read(self) -> bytes:
        """The whole remaining body."""
        with _mapped():
            return await self._response.read()

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
        slots = self._slots
        if slots is not None and not slots.locked():
            await slots.acquire()  # a free slot: no suspension (see ``_acquire``)
            self.in_flight += 1
        else:
            await self._acquire(timeouts.pool)
        data: Any = None
        hdrs = dict(headers)
        if request.files:
            form = aiohttp.FormData()
            for key, value in (request.form or {}).items():
                form.add_field(key, value)
            for part in request.files:
                form.add_field(
                    part.field, part.content, filename=part.filename, content_type=part.content_type
                )
            data = form
        elif request.json is not None:
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
            )
        except BaseException as exc:
            self._release()
            _raise_mapped(exc)

    async def send(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> Response:
        """Send once and read the whole body."""
        response = await self._start(request, url, headers, timeouts)
        try:
            try:
                body = await response.read()
            except BaseException as exc:
                _raise_mapped(exc)
            return Response(
                response.status, {k.lower(): v for k, v in response.headers.items()}, body
            )
        finally:
            response.release()
            self._release()

    async def open(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> AsyncStreamBody:
        """Send once and return the unread body; the caller must ``aclose()`` it."""
        response = await self._start(request, url, headers, timeouts)
        return AsyncStreamBody(response, self._release)

    async def close(self) -> None:
        """Close the session if this transport created it (idempotent)."""
        self._closed = True
        if self._session is not None and self._owns_session and not self._session.closed:
            await self._session.close()
