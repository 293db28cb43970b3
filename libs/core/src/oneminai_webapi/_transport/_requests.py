"""The sync transport on ``requests``; :func:`_mapped` maps its exceptions in one place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import requests
import requests.adapters

from .._config import Timeouts
from .._protocol._http import Request, Response
from ..exceptions import APIConnectionError, APITimeoutError, ClientClosedError, OneMinAIError

_READ_CHUNK = 1 << 16


@contextmanager
def _mapped() -> Iterator[None]:
    try:
        try:
            yield
        except requests.exceptions.ConnectTimeout:
            raise APITimeoutError("Timed out while connecting.", phase="connect") from None
        except requests.exceptions.ReadTimeout:
            raise APITimeoutError(
                "Timed out waiting for data from the server.", phase="read"
            ) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not _is_connect_failure(exc)
            raise APIConnectionError(
                f"Connection error: {type(exc).__name__}.", request_sent=sent
            ) from None
        except requests.exceptions.RequestException as exc:
            raise APIConnectionError(f"Connection error: {type(exc).__name__}.") from None
    except OneMinAIError as exc:
        _forget_context(exc)
        raise


def _forget_context(exc: BaseException) -> None:
    # ``from None`` only hides the library error: it would stay reachable through
    # ``__context__`` (requests' errors hold the prepared request, headers and all).
    exc.__context__ = None


def _is_connect_failure(exc: BaseException) -> bool:
    """Whether the connection was never established (so nothing was sent).

    requests wraps urllib3's errors: ``ConnectionError(MaxRetryError(reason=...))``.
    """
    import urllib3.exceptions as u3

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(
        reason, (u3.NewConnectionError, u3.NameResolutionError, u3.ConnectTimeoutError)
    )


class SyncStreamBody:
    """An open streamed response: iterate :meth:`chunks`, then :meth:`close` (idempotent)."""

    def __init__(self, response: requests.Response, release: Any, deadline: float | None) -> None:
        self._response = response
        self._release = release
        self.status = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    def chunks(self) -> Iterator[bytes]:
        """The body as it arrives (undecoded bytes)."""
        raw = self._response.raw
        read = raw.read1 if hasattr(raw, "read1") else raw.read
        while True:
            # A chunked body comes one HTTP chunk (often one event) per read, so the error
            # mapping stays off the happy path: the two context managers cost more than the
            # read itself. A failed read is re-raised inside them and mapped exactly as before.
            try:
                chunk = read(_READ_CHUNK)
            except Exception:
                with _mapped(), _urllib3_mapped():
                    raise
            if not chunk:
                return
            yield chunk

    def read(self) -> bytes:
        """The whole remaining body."""
        with _mapped(), _urllib3_mapped():
            return b"".join(self.chunks())

    def close(self) -> None:
        """Release the connection."""
        if self._release is None:
            return
        release, self._release = self._release, None
        try:
            self._response.close()
        finally:
            release()


@contextmanager
def _urllib3_mapped() -> Iterator[None]:
    import urllib3.exceptions as u3

    try:
        try:
            yield
        except u3.ReadTimeoutError:
            raise APITimeoutError(
                "Timed out waiting for data from the server.", phase="read"
            ) from None
        except (u3.ProtocolError, u3.HTTPError, OSError) as exc:
            raise APIConnectionError(f"Connection error: {type(exc).__name__}.") from None
    except OneMinAIError as exc:
        _forget_context(exc)
        raise


class RequestsTransport:
    """Sends single attempts with a ``requests.Session`` (thread-safe pool slots)."""

    def __init__(self, *, max_connections: int, proxy: str | None) -> None:
        self._session: requests.Session | None = None
        self._max_connections = max_connections
        self._proxies = {"http": proxy, "https": proxy} if proxy else None
        self._slots = threading.BoundedSemaphore(max_connections)
        self._lock = threading.Lock()
        self._closed = False
        self.in_flight = 0

    def _ensure(self) -> requests.Session:
        if self._closed:
            raise ClientClosedError("This client is closed; create a new one.")
        if self._session is None:
            session = requests.Session()
            session.trust_env = False
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=4, pool_maxsize=self._max_connections, max_retries=0
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._session = session
        return self._session

    def _acquire(self, pool_timeout: float) -> None:
        if not self._slots.acquire(timeout=pool_timeout):
            raise APITimeoutError(
                "No free connection in the client's pool within the pool timeout.", phase="pool"
            )
        with self._lock:
            self.in_flight += 1

    def _release(self) -> None:
        with self._lock:
            self.in_flight -= 1
        self._slots.release()

    def _start(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> requests.Response:
        session = self._ensure()
        self._acquire(timeouts.pool)
        kwargs: dict[str, Any] = {}
        if request.files:
            kwargs["files"] = [
                (p.field, (p.filename, p.content, p.content_type)) for p in request.files
            ]
            kwargs["data"] = dict(request.form or {})
        elif request.json is not None:
            kwargs["json"] = request.json
        try:
            with _mapped():
                return session.request(
                    request.method,
                    url,
                    params=dict(request.query) if request.query else None,
                    headers=dict(headers),
                    allow_redirects=False,
                    proxies=self._proxies,
                    timeout=(timeouts.connect, request.read_timeout_s or timeouts.read),
                    stream=True,
                    **kwargs,
                )
        except BaseException:
            self._release()
            raise

    def send(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> Response:
        """Send once and read the whole body (within the total timeout)."""
        start = time.monotonic()
        response = self._start(request, url, headers, timeouts)
        body = SyncStreamBody(response, self._release, None)
        try:
            parts = []
            total = request.timeout_s or timeouts.total
            for chunk in body.chunks():
                parts.append(chunk)
                if total is not None and time.monotonic() - start > total:
                    raise APITimeoutError("The request exceeded its total timeout.", phase="total")
            return Response(body.status, body.headers, b"".join(parts))
        finally:
            body.close()

    def open(
        self, request: Request, url: str, headers: Mapping[str, str], timeouts: Timeouts
    ) -> SyncStreamBody:
        """Send once and return the unread body; the caller must ``close()`` it."""
        return SyncStreamBody(self._start(request, url, headers, timeouts), self._release, None)

    def close(self) -> None:
        """Close the session (idempotent)."""
        self._closed = True
        if self._session is not None:
            self._session.close()
