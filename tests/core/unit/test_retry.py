"""Tests for the pure retry decisions (engineering.md §2.1, §2.9 requirements 1-3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oneminai_webapi._protocol._retry import (
    RETRYABLE_STATUSES,
    RetryPolicy,
    backoff_delay,
    delay_for_error,
    delay_for_response,
    parse_retry_after,
)
from oneminai_webapi.exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidRequestError,
    StreamInterruptedError,
    UnexpectedRedirectError,
)

NOW = 1_700_000_000.0  # fixed clock
POLICY = RetryPolicy()


def _http_date(offset_s: float) -> str:
    when = datetime.fromtimestamp(NOW, tz=timezone.utc) + timedelta(seconds=offset_s)
    return format_datetime(when, usegmt=True)


class TestPolicy:
    def test_defaults(self) -> None:
        p = RetryPolicy()
        assert (p.max_retries, p.initial_delay_s, p.max_delay_s, p.jitter) == (2, 0.5, 8.0, 0.25)
        assert (p.max_retry_after_s, p.retry_on_timeout) == (60.0, False)

    @pytest.mark.parametrize("bad", [None, 1.5, "2", True])
    def test_max_retries_type(self, bad: object) -> None:
        with pytest.raises(TypeError):
            RetryPolicy(max_retries=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "kw",
        [
            {"max_retries": -1},
            {"initial_delay_s": -0.1},
            {"max_delay_s": float("nan")},
            {"max_retry_after_s": float("inf")},
            {"jitter": 1.5},
            {"jitter": -0.1},
        ],
    )
    def test_invalid_values(self, kw: dict[str, float]) -> None:
        with pytest.raises(ValueError):
            RetryPolicy(**kw)  # type: ignore[arg-type]

    def test_zero_retries_allowed(self) -> None:
        assert RetryPolicy(max_retries=0).max_retries == 0


class TestRetryAfter:
    @pytest.mark.parametrize(
        ("headers", "expected"),
        [
            ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
            ({"retry-after-ms": "250.5"}, 0.2505),
            ({"retry-after-ms": "abc", "retry-after": "3"}, 3.0),
            ({"retry-after-ms": "0", "retry-after": "3"}, 3.0),
            ({"retry-after": "2"}, 2.0),
            ({"retry-after": "2.5"}, 2.5),
            ({"retry-after": " 7 "}, 7.0),
            ({"retry-after": _http_date(20)}, 20.0),
            ({"retry-after": "61"}, 61.0),
            ({"Retry-After": "4"}, 4.0),
            ({"retry-after": "0"}, None),
            ({"retry-after": "-1"}, None),
            ({"retry-after": "-10"}, None),
            ({"retry-after": "nan"}, None),
            ({"retry-after": "inf"}, None),
            ({"retry-after": "-inf"}, None),
            ({"retry-after": "1e400"}, None),
            ({"retry-after": "abc"}, None),
            ({"retry-after": "Fri, 99 Foo 2023 99:99:99 GMT"}, None),
            ({"retry-after": "Fri, 32 Dec 2023 10:00:00 GMT"}, None),
            ({"retry-after": _http_date(-20)}, None),
            ({"retry-after": ""}, None),
            ({"retry-after-ms": ""}, None),
            ({"retry-after-ms": "nan"}, None),
            ({}, None),
        ],
    )
    def test_table(self, headers: dict[str, str], expected: float | None) -> None:
        result = parse_retry_after(headers, NOW)
        if expected is None:
            assert result is None
        else:
            assert result == pytest.approx(expected)

    def test_date_without_zone_is_utc(self) -> None:
        date = _http_date(30).replace("GMT", "-0000")
        assert parse_retry_after({"retry-after": date}, NOW) == pytest.approx(30.0)


class TestBackoff:
    @pytest.mark.parametrize("n", range(8))
    def test_extremes(self, n: int) -> None:
        nominal = min(0.5 * 2**n, 8.0)
        assert backoff_delay(POLICY, n, 0.0) == pytest.approx(nominal)
        assert backoff_delay(POLICY, n, 1.0) == pytest.approx(nominal * 0.75)

    def test_sequence(self) -> None:
        assert [backoff_delay(POLICY, n, 0.0) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]

    def test_rand_is_clamped(self) -> None:
        assert backoff_delay(POLICY, 0, -5) == 0.5
        assert backoff_delay(POLICY, 0, 5) == 0.375

    @given(st.integers(0, 10_000), st.floats(0, 1))
    def test_bounded_and_no_overflow(self, n: int, rand: float) -> None:
        delay = backoff_delay(POLICY, n, rand)
        assert 0 <= delay <= 8.0

    def test_huge_exponent(self) -> None:
        assert backoff_delay(POLICY, 10**18, 0.0) == 8.0
        p = RetryPolicy(initial_delay_s=1e300, max_delay_s=1e308)
        assert backoff_delay(p, 100_000, 0.0) == 1e308


class TestDelayForResponse:
    @pytest.mark.parametrize("status", sorted(RETRYABLE_STATUSES))
    def test_retryable(self, status: int) -> None:
        assert delay_for_response(POLICY, 0, status, {}, now=NOW, rand=0.0) == 0.5
        assert delay_for_response(POLICY, 1, status, {}, now=NOW, rand=0.0) == 1.0

    def test_retryable_set(self) -> None:
        assert frozenset({408, 429, 500, 502, 503, 504}) == RETRYABLE_STATUSES

    @pytest.mark.parametrize("status", [200, 400, 401, 402, 403, 404, 409, 413, 422, 501, 505])
    def test_not_retryable(self, status: int) -> None:
        assert delay_for_response(POLICY, 0, status, {}, now=NOW, rand=0.0) is None

    def test_exhausted(self) -> None:
        assert delay_for_response(POLICY, 2, 503, {}, now=NOW, rand=0.0) is None
        assert delay_for_response(RetryPolicy(max_retries=0), 0, 503, {}, now=NOW, rand=0) is None

    @pytest.mark.parametrize("status", [403, 429, 503])
    def test_cloudflare_challenge_never_retried(self, status: int) -> None:
        headers = {"cf-mitigated": "challenge"}
        assert delay_for_response(POLICY, 0, status, headers, now=NOW, rand=0.0) is None

    def test_other_cf_mitigated_values(self) -> None:
        headers = {"cf-mitigated": "none"}
        assert delay_for_response(POLICY, 0, 503, headers, now=NOW, rand=0.0) == 0.5

    @pytest.mark.parametrize(
        ("headers", "expected"),
        [
            ({"retry-after-ms": "1500", "retry-after": "30"}, 1.5),
            ({"retry-after": "2"}, 2.0),
            ({"retry-after": _http_date(20)}, 20.0),
            ({"retry-after": "60"}, 60.0),
            ({"retry-after": "0"}, 0.5),
            ({"retry-after": "-1"}, 0.5),
            ({"retry-after": "nan"}, 0.5),
            ({"retry-after": "inf"}, 0.5),
            ({"retry-after": "abc"}, 0.5),
            ({"retry-after": "Mon, 99 Xyz"}, 0.5),
            ({"retry-after": ""}, 0.5),
            ({"retry-after": "61"}, None),
            ({"retry-after-ms": "60001"}, None),
        ],
    )
    def test_retry_after(self, headers: dict[str, str], expected: float | None) -> None:
        result = delay_for_response(POLICY, 0, 429, headers, now=NOW, rand=0.0)
        assert result == (pytest.approx(expected) if expected is not None else None)

    def test_custom_cap(self) -> None:
        policy = RetryPolicy(max_retry_after_s=120)
        assert delay_for_response(policy, 0, 429, {"retry-after": "90"}, now=NOW, rand=0) == 90


class TestDelayForError:
    def test_not_sent_is_retried(self) -> None:
        err = APIConnectionError("refused", request_sent=False)
        assert delay_for_error(POLICY, 0, err, idempotent=False, rand=0.0) == 0.5

    @pytest.mark.parametrize("phase", ["connect", "pool"])
    def test_connect_and_pool_timeouts_retried(self, phase: str) -> None:
        err = APITimeoutError(phase=phase)
        assert delay_for_error(POLICY, 0, err, idempotent=False, rand=0.0) == 0.5

    @pytest.mark.parametrize("phase", ["read", "total"])
    def test_read_timeout_of_post_not_retried(self, phase: str) -> None:
        err = APITimeoutError(phase=phase)
        assert delay_for_error(POLICY, 0, err, idempotent=False, rand=0.0) is None

    @pytest.mark.parametrize("phase", ["read", "total"])
    def test_read_timeout_retried_when_opted_in(self, phase: str) -> None:
        policy = RetryPolicy(retry_on_timeout=True)
        err = APITimeoutError(phase=phase)
        assert delay_for_error(policy, 0, err, idempotent=False, rand=0.0) == 0.5

    def test_opt_in_does_not_cover_disconnects(self) -> None:
        policy = RetryPolicy(retry_on_timeout=True)
        err = APIConnectionError("server disconnected", request_sent=True)
        assert delay_for_error(policy, 0, err, idempotent=False, rand=0.0) is None

    @pytest.mark.parametrize(
        "err", [APITimeoutError(phase="read"), APIConnectionError("reset", request_sent=True)]
    )
    def test_idempotent_retried(self, err: APIConnectionError) -> None:
        assert delay_for_error(POLICY, 1, err, idempotent=True, rand=1.0) == 0.75

    def test_exhausted(self) -> None:
        err = APIConnectionError("refused", request_sent=False)
        assert delay_for_error(POLICY, 2, err, idempotent=True, rand=0.0) is None

    @pytest.mark.parametrize(
        "err",
        [
            UnexpectedRedirectError("redirect", location="https://elsewhere"),
            APIError("boom", status_code=500),
            InvalidRequestError("bad"),
            StreamInterruptedError("cut"),
        ],
    )
    def test_other_errors_never_retried(self, err: APIError) -> None:
        assert delay_for_error(POLICY, 0, err, idempotent=True, rand=0.0) is None
