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
from typing import Any

import aiohttp

from .._config import Timeouts
from .._protocol._http import Request, Response
from ..exceptions import APIConnectionError, APITimeoutError, ClientClosedError, OneMinAIError

_READ_CHUNK = 1 << 16


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


def _client_timeout(t: Timeouts, *, stream: bool, total: float | None) -> aiohttp.ClientTimeout:
    # Streams are governed by the idle read timeout alone: a total would kill long answers.
    return aiohttp.ClientTimeout(
        total=None if stream else total,
        sock_connect=t.connect,
        sock_read=t.read,
    )


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
            with _mapped():
                chunk = await content.readany()
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
            data = json.dumps(request.json, ensure_ascii=False).encode()
            hdrs["Content-Type"] = "application/json"
        total = request.timeout_s or timeouts.total
        try:
            with _mapped():
                return await session.request(
                    request.method,
                    url,
                    params=dict(request.query) if request.query else None,
                    data=data,
                    headers=hdrs,
                    allow_redirects=False,
                    proxy=self._proxy,
                    timeout=_client_timeout(timeouts, stream=request.stream, total=total),
                )
        except BaseException:
            self._release()
            raise

    async def send(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> Response:
        """Send once and read the whole body."""
        response = await self._start(request, url, headers, timeouts)
        try:
            with _mapped():
                body = await response.read()
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
