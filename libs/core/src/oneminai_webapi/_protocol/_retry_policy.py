"""Retry decisions: which failures to retry and how long to wait (pure functions).

1min.AI bills per call, so a repeated POST can cost credits twice. The defaults retry
only what is safe: HTTP 408/429/500/502/503/504 answers (the server did not do the
work, or said so) and connection failures that happened before the request was sent.
A read timeout after the body was sent is retried only for idempotent requests or
when :attr:`RetryPolicy.retry_on_timeout` is set. Cloudflare challenges are never retried.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime

from ..exceptions import (
    APIConnectionError,
    APITimeoutError,
    OneMinAIError,
    UnexpectedRedirectError,
)

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryPolicy",
    "backoff_delay",
    "delay_for_error",
    "delay_for_response",
    "is_cloudflare_challenge",
    "parse_retry_after",
]

#: HTTP statuses worth another attempt.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# 2**64 already dwarfs any sensible max_delay_s; capping the exponent avoids OverflowError.
_MAX_EXPONENT = 64


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how patiently to retry.

    Attributes:
        max_retries: Retries after the first attempt (``2`` means up to 3 requests).
        initial_delay_s: Backoff before the first retry; doubles each time.
        max_delay_s: Cap of the exponential backoff.
        jitter: Fraction of the delay removed at random (0.25 → 75-100 % of nominal).
        max_retry_after_s: A ``Retry-After`` longer than this means "do not retry".
        retry_on_timeout: Also retry read/total timeouts of non-idempotent requests
            (this may run, and bill, a generation twice).
    """

    max_retries: int = 2
    initial_delay_s: float = 0.5
    max_delay_s: float = 8.0
    jitter: float = 0.25
    max_retry_after_s: float = 60.0
    retry_on_timeout: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError(f"max_retries must be an int, not {type(self.max_retries).__name__}")
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        for name in ("initial_delay_s", "max_delay_s", "max_retry_after_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number")
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0")
        if isinstance(self.jitter, bool) or not isinstance(self.jitter, (int, float)):
            raise TypeError("jitter must be a number")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        for key, val in headers.items():
            if key.lower() == name:
                return val
    return value


def _positive_finite(value: float) -> float | None:
    return value if math.isfinite(value) and value > 0 else None


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Read how long the server asked us to wait.

    ``retry-after-ms`` (float milliseconds) wins over ``retry-after``, which may be
    seconds (a float) or an HTTP-date (taken relative to ``now``).

    Args:
        headers: Response headers (names are matched case-insensitively).
        now: The current time in epoch seconds (``time.time()``).

    Returns:
        Seconds to wait, or None when absent, unparsable, zero, negative, NaN or infinite.
    """
    raw_ms = _header(headers, "retry-after-ms")
    if raw_ms is not None:
        try:
            delay = _positive_finite(float(raw_ms) / 1000.0)
        except ValueError:
            delay = None
        if delay is not None:
            return delay
    raw = _header(headers, "retry-after")
    if raw is None or not raw.strip():
        return None
    try:
        return _positive_finite(float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return _positive_finite(when.timestamp() - now)
    except (OverflowError, ValueError, OSError):
        return None


def backoff_delay(policy: RetryPolicy, retries_taken: int, rand: float) -> float:
    """Exponential backoff with multiplicative jitter.

    Args:
        policy: The retry policy.
        retries_taken: Retries already made (0 before the first retry).
        rand: A random number in ``[0, 1]``; 0 gives the nominal delay, 1 the shortest.

    Returns:
        ``min(initial · 2ⁿ, max) × (1 − jitter · rand)`` seconds.
    """
    n = min(max(retries_taken, 0), _MAX_EXPONENT)
    nominal = min(policy.initial_delay_s * 2.0**n, policy.max_delay_s)
    rand = min(max(rand, 0.0), 1.0)
    return nominal * (1.0 - policy.jitter * rand)


def is_cloudflare_challenge(headers: Mapping[str, str]) -> bool:
    """Whether the response carries ``cf-mitigated: challenge``.

    Args:
        headers: Response headers.

    Returns:
        True for a Cloudflare bot-check answer.
    """
    value = _header(headers, "cf-mitigated")
    return value is not None and value.strip().lower() == "challenge"


def delay_for_response(
    policy: RetryPolicy,
    retries_taken: int,
    status: int,
    headers: Mapping[str, str],
    *,
    now: float,
    rand: float,
) -> float | None:
    """Decide whether to retry after an HTTP error answer.

    Args:
        policy: The retry policy.
        retries_taken: Retries already made.
        status: The HTTP status.
        headers: Response headers.
        now: The current time in epoch seconds (for HTTP-date ``Retry-After``).
        rand: A random number in ``[0, 1]`` for the jitter.

    Returns:
        Seconds to wait before the next attempt, or None to give up: the status is
        not retryable, retries are exhausted, it is a Cloudflare challenge, or the
        server asked for a wait longer than ``policy.max_retry_after_s``.
    """
    if retries_taken >= policy.max_retries or status not in RETRYABLE_STATUSES:
        return None
    if is_cloudflare_challenge(headers):
        return None
    retry_after = parse_retry_after(headers, now)
    if retry_after is not None:
        return retry_after if retry_after <= policy.max_retry_after_s else None
    return backoff_delay(policy, retries_taken, rand)


def delay_for_error(
    policy: RetryPolicy,
    retries_taken: int,
    error: OneMinAIError,
    *,
    idempotent: bool,
    rand: float,
) -> float | None:
    """Decide whether to retry after a failure without an HTTP answer.

    Only :class:`~oneminai_webapi.exceptions.APIConnectionError` is retried (never a
    refused redirect): always when the request was never sent, for idempotent
    requests, and for read/total timeouts when ``policy.retry_on_timeout`` is set.

    Args:
        policy: The retry policy.
        retries_taken: Retries already made.
        error: The failure.
        idempotent: Whether repeating the request cannot bill twice.
        rand: A random number in ``[0, 1]`` for the jitter.

    Returns:
        Seconds to wait, or None to give up.
    """
    if retries_taken >= policy.max_retries:
        return None
    if not isinstance(error, APIConnectionError) or isinstance(error, UnexpectedRedirectError):
        return None
    retry = (
        not error.request_sent
        or idempotent
        or (
            policy.retry_on_timeout
            and isinstance(error, APITimeoutError)
            and error.phase in ("read", "total")
        )
    )
    return backoff_delay(policy, retries_taken, rand) if retry else None
