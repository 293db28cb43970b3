"""What the async and sync clients share: construction, headers, URLs and repr."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

from .._config import (
    API_KEY_ENV,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_ERROR_BYTES,
    DEFAULT_TIMEOUT,
    Limits,
    Timeouts,
)
from .._protocol._bodies import ACCEPT_ENCODING
from .._protocol._context import Context, Credential, resolve_settings
from .._protocol._http import Request, Response, StreamedResponse, Surface, UploadProgress
from .._protocol._ratelimit import RateLimiter
from .._protocol._retry_loop import Retries
from .._protocol._retry_policy import RetryPolicy
from .._protocol._secrets import Secret
from .._protocol._streaming import StreamCore, state_interrupted
from ..exceptions import ClientClosedError, InvalidRequestError
from ._options import NOT_GIVEN, NotGiven, check_max_retries, copy_with_options

logger = logging.getLogger("oneminai_webapi")
_S = TypeVar("_S")


def hide(value: _S) -> _S:
    """A string argument as a :class:`Secret` (anything else unchanged)."""
    return Secret(value) if isinstance(value, str) else value  # type: ignore[return-value]


C = TypeVar("C", bound="ClientCore")


class ClientCore:
    """Resolves settings and credentials once; knows how to address and sign a request."""

    #: A ``with_options`` copy uses its original's pool and never closes it.
    _borrows_pool = False
    #: Set when a copy was closed: it refuses further calls (the pool stays open).
    _closed_copy = False
    #: When a list, the driver appends every final HTTP response to it (raw responses).
    _responses: list[Response] | None = None

    def __init__(
        self,
        api_key: str = "",
        proxy: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        *,
        base_url: str | None = None,
        max_retries: int = 2,
        timeouts: Timeouts | None = None,
        retry_on_timeout: bool = False,
        max_connections: int = 100,
        requests_per_minute: float | None = None,
        asset_base_url: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_error_bytes: int = DEFAULT_MAX_ERROR_BYTES,
        max_download_bytes: int | None = None,
    ) -> None:
        if not isinstance(api_key, str):
            raise InvalidRequestError("api_key must be a string")
        # From here on the key (and a proxy URL, which may hold a password) are Secrets:
        # a traceback that shows local variables shows '***'.
        api_key, proxy = hide(api_key), hide(proxy)
        check_max_retries(max_retries)
        key = hide(api_key or os.environ.get(API_KEY_ENV, ""))
        settings = resolve_settings(
            base_url=base_url,
            proxy=proxy,
            timeout=timeout,
            timeouts=timeouts,
            retry=RetryPolicy(max_retries=max_retries, retry_on_timeout=retry_on_timeout),
            limits=Limits(
                max_connections=max_connections,
                requests_per_minute=requests_per_minute,
                max_body_bytes=max_body_bytes,
                max_error_bytes=max_error_bytes,
                max_download_bytes=max_download_bytes,
            ),
            asset_base_url=asset_base_url,
        )
        self._ctx = Context(Credential(key), settings)
        #: What to blank in anything that leaves the client (see ``_secrets``).
        self._secrets = self._ctx.secrets
        self._limiter = RateLimiter(requests_per_minute) if requests_per_minute else None
        self._device_id = str(uuid.uuid4())

    # ── per-call options ──────────────────────────────────────────────────────────────

    def with_options(
        self: C,
        *,
        api_key: str | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        asset_base_url: str | NotGiven = NOT_GIVEN,
        timeout: float | NotGiven = NOT_GIVEN,
        timeouts: Timeouts | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_on_timeout: bool | NotGiven = NOT_GIVEN,
        requests_per_minute: float | NotGiven | None = NOT_GIVEN,
        on_upload_progress: UploadProgress | NotGiven | None = NOT_GIVEN,
    ) -> C:
        """A lightweight copy of this client with some settings changed.

        The copy shares this client's connection pool (and its rate-limit budget unless
        ``requests_per_minute`` is given), so it is cheap to make per call::

            await client.with_options(timeout=5, max_retries=0).generate_content("Hi")

        Closing the copy (or dropping it) never closes the shared pool: it only makes the
        copy refuse further calls. Closing the original closes the pool for every copy.
        Options left out keep this client's values; the proxy and the pool size cannot
        change (they belong to the pool).

        Args:
            api_key: Another API key (or web-app JWT).
            base_url: Another API origin (the asset host is derived again from it).
            asset_base_url: The host for relative result keys.
            timeout: The total timeout in seconds of a non-streamed call (for no total
                limit, pass ``timeouts=Timeouts(total=None)``).
            timeouts: All the timeouts (``timeout``, if also given, sets their total).
            max_retries: Retries for 408/429/5xx and connection failures.
            retry_on_timeout: Also retry POSTs whose answer timed out.
            requests_per_minute: A client-side rate limit of the copy alone (``None``: off).
            on_upload_progress: ``on_progress(bytes_sent, total_bytes)`` for every upload the
                copy makes, including the implicit ones: media file inputs given as a local
                path or bytes, ``complete()`` attachments (``None``: off). Files uploaded by
                one call count as one transfer (their sizes summed); see
                :meth:`upload_asset` for the reports.

        Raises:
            InvalidRequestError: an invalid value (nothing is copied).
        """
        return copy_with_options(
            self,
            api_key=hide(api_key),  # shown as '***' in traceback locals
            base_url=base_url,
            asset_base_url=asset_base_url,
            timeout=timeout,
            timeouts=timeouts,
            max_retries=max_retries,
            retry_on_timeout=retry_on_timeout,
            requests_per_minute=requests_per_minute,
            on_upload_progress=on_upload_progress,
        )

    def _raise_closed_copy(self) -> NoReturn:
        raise ClientClosedError("This client copy is closed; use the client it came from.")

    # ── addressing ───────────────────────────────────────────────────────────────────

    def _retries(self) -> Retries:
        """What the retry loop of each call needs: the policy, the origin, the rate limit."""
        settings = self._ctx.settings
        return Retries(
            settings.retry, settings.base_url, self._limiter, self._secrets, self._check_open
        )

    def _check_open(self) -> None:
        if self._closed_copy:
            self._raise_closed_copy()

    def _record(self, response: Response) -> None:
        """Keep a call's final (2xx) responses for ``with_raw_response``."""
        if self._responses is not None and response.status < 300:
            if isinstance(response, StreamedResponse):  # its body is read as the stream goes
                response = Response(response.status, response.headers, b"")
            self._responses.append(response)

    def _headers(self, request: Request) -> dict[str, str]:
        ctx = self._ctx
        credential = ctx.credential
        accept = "text/event-stream" if request.stream else "application/json"
        if request.surface is Surface.OFFICIAL and credential.kind == "api_key":
            # The common case, built in one go: what ``auth_headers`` returns for an API key.
            headers = {
                "User-Agent": ctx.settings.user_agent,
                "Accept": accept,
                "Accept-Encoding": ACCEPT_ENCODING,
                "API-KEY": credential.reveal(),
            }
        else:
            headers = {
                "User-Agent": ctx.settings.user_agent,
                "Accept": accept,
                "Accept-Encoding": ACCEPT_ENCODING,
            }
            headers.update(ctx.auth_headers(request.surface))
        if request.extra_headers:
            headers.update(request.extra_headers)
        return headers

    def _timeouts(self) -> Timeouts:
        return self._ctx.settings.timeouts

    def _limits(self) -> Limits:
        return self._ctx.settings.limits

    @property
    def base_url(self) -> str:
        """The API base URL this client talks to."""
        return self._ctx.settings.base_url

    @property
    def auth_kind(self) -> str:
        """``"api_key"`` (official API), ``"jwt"`` (web-app API) or ``"none"``."""
        return self._ctx.credential.kind

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth_kind!r})"

    def __getstate__(self) -> Mapping[str, Any]:
        raise TypeError(f"{type(self).__name__} cannot be pickled (it holds a credential)")


def too_deep(core: StreamCore) -> None:
    """Stop a stream whose last chunk held an event nested too deeply to parse.

    Chunks already decoded from that piece are handed out first (the error follows them,
    as ``StreamCore`` does with in-band errors); without any, the error is raised now.
    """
    error = state_interrupted(
        core, "The service sent an event nested too deeply to read; the stream was stopped."
    )
    core.finished = True
    if not core.pending:
        raise error
    core.deferred = error


def download_request(url: str, base_url: str) -> Request:
    """A GET for a result file; credentials are sent only to the API's own origin."""
    surface = Surface.OFFICIAL if url.startswith(base_url + "/api/") else Surface.EXTERNAL
    return Request("GET", url, surface=surface, stream=True)
