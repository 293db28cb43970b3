"""Client configuration as small immutable value objects (safe to print: no secrets)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .exceptions import InvalidRequestError

#: The environment variables the clients (and the CLI, and ``live_or_emulator``) read.
API_KEY_ENV = "ONEMINAI_API_KEY"
BASE_URL_ENV = "ONEMINAI_BASE_URL"
DEFAULT_BASE_URL = "https://api.1min.ai"
DEFAULT_ASSET_BASE_URL = "https://asset.1min.ai"
DEFAULT_SOCIAL_BASE_URL = "https://social-api.1min.ai"
DEFAULT_MAX_CONNECTIONS = 100


class _DefaultTimeout(float):
    """The default ``timeout`` (60 s), told apart from an explicit 60 by identity."""

    def __repr__(self) -> str:
        return "60"


#: The clients' default ``timeout``: the total of a non-streamed call unless ``timeouts``
#: says otherwise (an explicit ``timeout`` always wins).
DEFAULT_TIMEOUT: float = _DefaultTimeout(60)


def _check_positive(name: str, value: float | None, *, allow_none: bool) -> None:
    if value is None:
        if not allow_none:
            raise InvalidRequestError(f"{name} must be a positive number of seconds, not None")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not (value > 0 and math.isfinite(value)):
        raise InvalidRequestError(
            f"{name} must be a positive, finite number of seconds, got {value!r}"
        )


@dataclass(frozen=True)
class Timeouts:
    """Timeouts in seconds.

    Attributes:
        connect: Opening a TCP/TLS connection.
        pool: Waiting for a free connection of the client's pool.
        read: The longest silence between two reads. For streams: the longest time without
            content (keep-alive comments and events that carry no content do not count),
            from the request until the first content and between two contents.
        total: The whole exchange of a non-streamed call, from sending the request to the
            last byte of the answer, slow headers included (never applied to streams).
        stream_total: When set, the longest a stream may take from the request to its end,
            however busy it is (``None``: no limit; ``read`` still ends a stalled stream).
        first_event: When set, the longest a stream may take from the request to its first
            content (``None``: only ``read`` applies).
    """

    connect: float = 10.0
    pool: float = 30.0
    read: float = 120.0
    total: float | None = 600.0
    stream_total: float | None = None
    first_event: float | None = None

    def __post_init__(self) -> None:
        _check_positive("connect timeout", self.connect, allow_none=False)
        _check_positive("pool timeout", self.pool, allow_none=False)
        _check_positive("read timeout", self.read, allow_none=False)
        _check_positive("total timeout", self.total, allow_none=True)
        _check_positive("stream_total timeout", self.stream_total, allow_none=True)
        _check_positive("first_event timeout", self.first_event, allow_none=True)


#: Defaults of the body limits (bytes, counted after decompression).
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_ERROR_BYTES = 8 * 1024


@dataclass(frozen=True)
class Limits:
    """Connection-pool size, an optional client-side request rate, and body sizes.

    Body sizes count decoded bytes (after gzip/deflate), so a small compressed answer cannot
    inflate past them.

    Attributes:
        max_connections: Concurrent connections of one client (requests beyond wait, up to
            the ``pool`` timeout).
        requests_per_minute: When set, requests are spaced so that the client stays under
            this rate instead of collecting 429s (the service default is 180/min).
        max_body_bytes: The largest non-streamed answer (JSON) accepted; a larger one raises
            ``ResponseTooLargeError`` (default 32 MiB).
        max_error_bytes: How much of an error answer is read (the rest is not downloaded);
            default 8 KiB, plenty for any error message.
        max_download_bytes: When set, the largest file ``save()`` downloads; a larger one
            raises ``ResponseTooLargeError`` and leaves no file (default: no limit).
    """

    max_connections: int = DEFAULT_MAX_CONNECTIONS
    requests_per_minute: float | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_error_bytes: int = DEFAULT_MAX_ERROR_BYTES
    max_download_bytes: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.max_connections, bool) or not isinstance(self.max_connections, int):
            raise InvalidRequestError("max_connections must be an int")
        if self.max_connections < 1:
            raise InvalidRequestError("max_connections must be at least 1")
        if self.requests_per_minute is not None and not self.requests_per_minute > 0:
            raise InvalidRequestError("requests_per_minute must be positive")
        for name in ("max_body_bytes", "max_error_bytes", "max_download_bytes"):
            value = getattr(self, name)
            if value is None and name == "max_download_bytes":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidRequestError(f"{name} must be a positive int, got {value!r}")
