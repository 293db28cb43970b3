"""A client-side token-bucket rate limiter (pure: the caller supplies the clock)."""

from __future__ import annotations

import math

__all__ = ["RateLimiter"]


class RateLimiter:
    """Spread requests so that at most ``per_minute`` start per minute on average.

    Token-bucket semantics: the bucket holds up to ``burst`` tokens and refills at
    ``per_minute / 60`` tokens per second. :meth:`reserve` takes one token, possibly
    going into debt, and tells the caller how long to wait before sending; later
    callers queue behind earlier reservations. The default ``burst`` of 1 gives an
    even spacing of ``60 / per_minute`` seconds, which never exceeds the server's
    per-minute limit in any window.
    """

    __slots__ = ("_burst", "_last", "_rate", "_tokens")

    def __init__(self, per_minute: float, burst: int | None = None) -> None:
        """Create a limiter.

        Args:
            per_minute: Sustained requests per minute; must be a finite number > 0.
            burst: How many requests may start back to back after an idle period
                (default 1).

        Raises:
            ValueError: ``per_minute`` or ``burst`` is not positive.
            TypeError: They are not numbers.
        """
        if isinstance(per_minute, bool) or not isinstance(per_minute, (int, float)):
            raise TypeError("per_minute must be a number")
        if not (math.isfinite(per_minute) and per_minute > 0):
            raise ValueError("per_minute must be a finite number > 0")
        if burst is None:
            burst = 1
        if isinstance(burst, bool) or not isinstance(burst, int):
            raise TypeError("burst must be an int")
        if burst < 1:
            raise ValueError("burst must be >= 1")
        self._rate = per_minute / 60.0  # tokens per second
        self._burst = float(burst)
        self._tokens = float(burst)
        self._last: float | None = None

    def __repr__(self) -> str:
        return f"RateLimiter(per_minute={self._rate * 60.0:g}, burst={int(self._burst)})"

    def reserve(self, now: float) -> float:
        """Reserve the next slot.

        Args:
            now: A monotonic timestamp in seconds (e.g. ``time.monotonic()``).

        Returns:
            Seconds the caller must wait before sending (0.0 when it may send now).
        """
        if self._last is not None:
            elapsed = max(0.0, now - self._last)  # a clock going backwards refills nothing
            self._tokens = min(self._burst, self._tokens + elapsed * self._rate)
        if self._last is None or now > self._last:
            self._last = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0.0 else -self._tokens / self._rate
