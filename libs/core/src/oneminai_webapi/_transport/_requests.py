"""The sync transport on ``requests``; :func:`_mapped` maps its exceptions in one place.

Bodies are read raw (undecoded) and go through the sans-IO decoder and limits of
``_bodies``; deadlines that per-read socket timeouts cannot express (the total of a call,
the stream deadlines) are enforced by the watchdog of ``_watchdog``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

import requests
import requests.adapters

from .._config import Limits, Timeouts
from .._protocol._bodies import BodyReader, ContentDecoder
from .._protocol._http import Request, Response
from .._protocol._multipart import BodyStream, request_body
from .._protocol._neterrors import connection_error, host_of, os_reason
from ..exceptions import APITimeoutError, ClientClosedError, OneMinAIError
from ._watchdog import Watch, WatchedAdapter, connecting

_READ_CHUNK = 1 << 16


def _timeout_error(watch: Watch | None, url: str) -> APITimeoutError | None:
    """The error of a watch whose deadline cut the connection (``None`` otherwise)."""
    if watch is None or not watch.fired:
        return None
    phase = watch.phase()
    what = "its total timeout" if phase == "total" else f"its {phase} timeout"
    return APITimeoutError(f"The request to {host_of(url)} exceeded {what}.", phase=phase)


@contextmanager
def _mapped(url: str, watch: Watch | None = None, proxy: str | None = None) -> Iterator[None]:
    try:
        try:
            yield
        except requests.exceptions.ConnectTimeout:
            raise APITimeoutError(
                f"Timed out while connecting to {host_of(url)}.", phase="connect"
            ) from None
        except requests.exceptions.ReadTimeout:
            raise _timeout_error(watch, url) or APITimeoutError(
                f"Timed out waiting for data from {host_of(url)}.", phase="read"
            ) from None
        except requests.exceptions.ConnectionError as exc:
            low, sent = _cause(exc)
            raise _timeout_error(watch, url) or connection_error(
                url, _reason(low), sent=sent, proxy=proxy
            ) from None
        except requests.exceptions.RequestException as exc:
            raise _timeout_error(watch, url) or connection_error(
                url, type(exc).__name__, sent=True, proxy=proxy
            ) from None
    except OneMinAIError as exc:
        _forget_context(exc)
        raise


def _forget_context(exc: BaseException) -> None:
    # ``from None`` only hides the library error: it would stay reachable through
    # ``__context__`` (requests' errors hold the prepared request, headers and all).
    exc.__context__ = None


def _raise_alone(error: BaseException) -> NoReturn:
    """Raise ``error`` as it was (a failure of the upload body), chained to nothing."""
    try:
        raise error
    except BaseException as exc:
        _forget_context(exc)
        raise


def _cause(exc: BaseException) -> tuple[BaseException | None, bool]:
    """The low-level error under requests' wrapping, and whether the request was sent.

    requests wraps urllib3's errors: ``ConnectionError(MaxRetryError(reason=...))``.
    """
    import urllib3.exceptions as u3

    inner: Any = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", inner)
    unsent = isinstance(
        reason,
        (u3.NewConnectionError, u3.NameResolutionError, u3.ConnectTimeoutError, u3.ProxyError),
    )
    return reason if isinstance(reason, BaseException) else None, not unsent


def _reason(exc: BaseException | None) -> str:
    """Plain words for a urllib3/http.client error."""
    import http.client

    import urllib3.exceptions as u3

    seen = 0
    while exc is not None and seen < 8:
        seen += 1
        if isinstance(exc, http.client.RemoteDisconnected):
            return "the server closed the connection without answering"
        if isinstance(exc, (http.client.IncompleteRead, u3.IncompleteRead)):
            return "the answer was cut off"
        if isinstance(exc, u3.ProxyError):
            inner = exc.args[1] if len(exc.args) > 1 else None
            detail = _reason(inner) if isinstance(inner, BaseException) else "failed"
            return f"the proxy: {detail}"
        if isinstance(exc, OSError) and not isinstance(exc, u3.HTTPError):
            return os_reason(exc)
        nested = exc.args[1] if isinstance(exc, u3.ProtocolError) and len(exc.args) > 1 else None
        exc = nested if isinstance(nested, BaseException) else exc.__cause__ or exc.__context__
    return os_reason(exc) if exc is not None else "connection error"


class SyncStreamBody:
    """An open streamed response: iterate :meth:`chunks`, then :meth:`close` (idempotent)."""

    def __init__(
        self, response: requests.Response, release: Any, url: str, watch: Watch | None = None
    ) -> None:
        self._response = response
        self._release = release
        self._url = url
        self.watch = watch
        self.status = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    def raw_chunks(self) -> Iterator[bytes]:
        """The body as it arrives, undecoded."""
        raw = self._response.raw
        read = raw.read1 if hasattr(raw, "read1") else raw.read
        while True:
            # A chunked body comes one HTTP chunk (often one event) per read, so the error
            # mapping stays off the happy path: the two context managers cost more than the
            # read itself. A failed read is re-raised inside them and mapped exactly as before.
            try:
                chunk = read(_READ_CHUNK)
            except Exception:
                with _mapped(self._url, self.watch), _urllib3_mapped(self._url, self.watch):
                    raise
            if not chunk:
                error = _timeout_error(self.watch, self._url)
                if error is not None:  # the watchdog cut the body short
                    raise error
                return
            yield chunk

    def chunks(self) -> Iterator[bytes]:
        """The body as it arrives, decoded (``Content-Encoding``), in bounded pieces."""
        decoder = ContentDecoder(self.headers.get("content-encoding"))
        if decoder.identity:
            yield from self.raw_chunks()
            return
        for chunk in self.raw_chunks():
            yield from decoder.feed(chunk)

    def read_limited(self, limits: Limits, *, truncate: bool | None = None) -> bytes:
        """The body, as much of it as ``limits`` allow (see :class:`BodyReader`)."""
        reader = BodyReader(
            self.status,
            self.headers,
            max_body_bytes=limits.max_body_bytes,
            max_error_bytes=limits.max_error_bytes,
            truncate=truncate,
        )
        for chunk in self.raw_chunks():
            if reader.feed(chunk):
                break
        return reader.body()

    def close(self) -> None:
        """Release the connection."""
        if self._release is None:
            return
        release, self._release = self._release, None
        if self.watch is not None:
            self.watch.detach()  # the connection goes back to the pool: never cut it now
        try:
            self._response.close()
        finally:
            release()


@contextmanager
def _urllib3_mapped(url: str, watch: Watch | None) -> Iterator[None]:
    import urllib3.exceptions as u3

    try:
        try:
            yield
        except u3.ReadTimeoutError:
            raise _timeout_error(watch, url) or APITimeoutError(
                f"Timed out waiting for data from {host_of(url)}.", phase="read"
            ) from None
        except (u3.ProtocolError, u3.HTTPError, OSError) as exc:
            raise _timeout_error(watch, url) or connection_error(
                url, _reason(exc), sent=True
            ) from None
    except OneMinAIError as exc:
        _forget_context(exc)
        raise


class RequestsTransport:
    """Sends single attempts with a ``requests.Session`` (thread-safe pool slots)."""

    def __init__(self, *, max_connections: int, proxy: str | None) -> None:
        self._session: requests.Session | None = None
        self._max_connections = max_connections
        self._proxy = proxy
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
            adapter = WatchedAdapter(
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
        self,
        request: Request,
        url: str,
        headers: Mapping[str, str],
        timeouts: Timeouts,
        watch: Watch | None,
    ) -> requests.Response:
        session = self._ensure()
        kwargs: dict[str, Any] = {}
        hdrs = dict(headers)
        upload: BodyStream | None = None
        if request.files:  # streamed from the files, a new pass per attempt
            body = request_body(request)
            upload = body.open(request.upload_progress)
            kwargs["data"] = upload  # iterable with a len(): Content-Length, never chunked
            hdrs["Content-Type"] = body.content_type
        elif request.json is not None:
            kwargs["json"] = request.json
        self._acquire(timeouts.pool)
        try:
            with _mapped(url, watch, self._proxy), connecting(watch):
                return session.request(
                    request.method,
                    url,
                    params=dict(request.query) if request.query else None,
                    headers=hdrs,
                    allow_redirects=False,
                    proxies=self._proxies,
                    timeout=(timeouts.connect, request.read_timeout_s or timeouts.read),
                    stream=True,
                    **kwargs,
                )
        except BaseException:
            self._release()
            if upload is not None and upload.error is not None:
                _raise_alone(upload.error)  # as it was, not wrapped
            raise
        finally:
            if upload is not None:
                upload.close()

    def send(
        self,
        request: Request,
        url: str,
        headers: Mapping[str, str],
        timeouts: Timeouts,
        limits: Limits,
    ) -> Response:
        """Send once and read the body within ``limits`` and the total timeout.

        The total covers everything from sending to the last byte, slow headers included:
        the watchdog cuts the connection when it passes.
        """
        total = request.timeout_s or timeouts.total
        watch = None
        if total is not None:
            deadline = time.monotonic() + total
            watch = Watch(lambda: deadline)
        with watch or _NO_WATCH:
            response = self._start(request, url, headers, timeouts, watch)
            body = SyncStreamBody(response, self._release, url, watch)
            try:
                return Response(body.status, body.headers, body.read_limited(limits))
            finally:
                body.close()

    def open(
        self,
        request: Request,
        url: str,
        headers: Mapping[str, str],
        timeouts: Timeouts,
        watch: Watch | None = None,
    ) -> SyncStreamBody:
        """Send once and return the unread body; the caller must ``close()`` it.

        ``watch`` (already started by the caller) cuts the connection at its deadline.
        """
        response = self._start(request, url, headers, timeouts, watch)
        return SyncStreamBody(response, self._release, url, watch)

    def close(self) -> None:
        """Close the session (idempotent)."""
        self._closed = True
        if self._session is not None:
            self._session.close()


class _NoWatch:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_WATCH = _NoWatch()
