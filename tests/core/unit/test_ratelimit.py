"""Tests for the pure token-bucket rate limiter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oneminai_webapi._protocol._ratelimit import RateLimiter


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_invalid_rate(bad: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(bad)


@pytest.mark.parametrize("bad", ["60", None, True])
def test_rate_type(bad: object) -> None:
    with pytest.raises(TypeError):
        RateLimiter(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -3])
def test_invalid_burst(bad: int) -> None:
    with pytest.raises(ValueError):
        RateLimiter(60, burst=bad)


def test_first_request_is_free() -> None:
    assert RateLimiter(60).reserve(100.0) == 0.0


def test_default_burst_spaces_evenly() -> None:
    limiter = RateLimiter(60)  # one per second
    assert [limiter.reserve(0.0) for _ in range(4)] == [0.0, 1.0, 2.0, 3.0]


def test_waits_shrink_as_time_passes() -> None:
    limiter = RateLimiter(120)  # one every 0.5 s
    assert limiter.reserve(10.0) == 0.0
    assert limiter.reserve(10.2) == pytest.approx(0.3)
    assert limiter.reserve(11.5) == 0.0  # 10.7 slot done, bucket refilled by 11.2


def test_burst() -> None:
    limiter = RateLimiter(60, burst=3)
    assert [limiter.reserve(0.0) for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    # After a long idle period the bucket holds only `burst` tokens.
    assert [limiter.reserve(1000.0) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]


def test_clock_going_backwards_does_not_refill() -> None:
    limiter = RateLimiter(60)
    assert limiter.reserve(50.0) == 0.0
    assert limiter.reserve(40.0) == pytest.approx(1.0)


def test_repr() -> None:
    assert repr(RateLimiter(180, burst=2)) == "RateLimiter(per_minute=180, burst=2)"


@given(
    st.floats(1, 10_000),
    st.integers(1, 10),
    st.lists(st.floats(0, 5), min_size=1, max_size=60),
)
def test_never_more_than_rate_allows(per_minute: float, burst: int, gaps: list[float]) -> None:
    """Scheduled send times never exceed ``burst + rate * window`` in any window."""
    limiter = RateLimiter(per_minute, burst=burst)
    rate = per_minute / 60
    now, sends = 0.0, []
    for gap in gaps:
        now += gap
        wait = limiter.reserve(now)
        assert wait >= 0
        sends.append(now + wait)
    for i, start in enumerate(sends):
        for j in range(i, len(sends)):
            window = sends[j] - start
            assert j - i + 1 <= burst + rate * window + 1e-6
