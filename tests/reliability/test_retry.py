"""Retries: the pure policy (which failures, how long to wait), the sans-IO retry loop, and
the retry matrix end to end in both clients, with billing safety.

docs/reliability.md requirements 1 (matrix), 2 (backoff bounds), 3 (Retry-After) and 4
(billing safety) point here.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, formatdate

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oneminai_webapi import OneMinAIClient, RetryPolicy, Timeouts
from oneminai_webapi._protocol._http import Request, Response, Sleep
from oneminai_webapi._protocol._retry_loop import Attempt, attempts
from oneminai_webapi._protocol._retry_policy import (
    RETRYABLE_STATUSES,
    backoff_delay,
    delay_for_error,
    delay_for_response,
    parse_retry_after,
)
from oneminai_webapi.exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamInterruptedError,
    UnexpectedRedirectError,
    ValidationError,
)
from oneminai_webapi.testing import Emulator, Fault

CHAT = "/api/chat-with-ai"
Check = Callable[[BaseException], None]

# ── #1 retry matrix ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_status_twice_then_success(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], status: int
) -> None:
    emu.inject(Fault.status(status), times=2, path=CHAT)
    out = await client.generate_content("hi")
    assert out.text == "Echo from gpt-4o-mini: hi"
    assert len(emu.requests_to(CHAT)) == 3
    assert len(no_sleep) == 2
    assert client._transport.in_flight == 0


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (408, APIError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
async def test_three_failures_raise_mapped_error_after_three_requests(
    emu: Emulator,
    client: OneMinAIClient,
    no_sleep: list[float],
    clean: Check,
    status: int,
    cls: type,
) -> None:
    emu.inject(Fault.status(status), times=3, path=CHAT)
    with pytest.raises(cls) as info:
        await client.generate_content("hi")
    assert info.value.status_code == status
    assert len(emu.requests_to(CHAT)) == 3
    assert client._transport.in_flight == 0
    clean(info.value)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, APIError),
        (422, ValidationError),
    ],
)
async def test_client_errors_are_not_retried(
    emu: Emulator,
    client: OneMinAIClient,
    no_sleep: list[float],
    clean: Check,
    status: int,
    cls: type,
) -> None:
    emu.inject(Fault.status(status), times=3, path=CHAT)
    with pytest.raises(cls) as info:
        await client.generate_content("hi")
    assert len(emu.requests_to(CHAT)) == 1
    assert no_sleep == []
    clean(info.value)


def test_sync_client_follows_the_same_matrix(
    emu_thread: Emulator, canary: str, no_sleep: list[float]
) -> None:
    from oneminai_webapi import SyncOneMinAIClient

    emu_thread.inject(Fault.status(503), times=2, path=CHAT)
    with SyncOneMinAIClient(canary, base_url=emu_thread.base_url) as c:
        assert c.generate_content("hi").text == "Echo from gpt-4o-mini: hi"
        emu_thread.inject(Fault.status(400), times=1, path=CHAT)
        with pytest.raises(BadRequestError):
            c.generate_content("hi")
    assert len(emu_thread.requests_to(CHAT)) == 4


# ── the policy: pure decisions ──────────────────────────────────────────────────────────

NOW = 1_700_000_000.0  # fixed clock
POLICY = RetryPolicy()
BACKOFF = 0.5  # n=0 with rand=0


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
    def test_sequence(self) -> None:
        assert [backoff_delay(POLICY, n, 0.0) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]

    def test_rand_is_clamped(self) -> None:
        assert backoff_delay(POLICY, 0, -5) == 0.5
        assert backoff_delay(POLICY, 0, 5) == 0.375

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


# ── #2 backoff bounds ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("n", range(8))
def test_backoff_extremes(n: int) -> None:
    nominal = min(0.5 * 2**n, 8)
    assert backoff_delay(POLICY, n, 0.0) == pytest.approx(nominal)
    assert backoff_delay(POLICY, n, 1.0) == pytest.approx(nominal * 0.75)


@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0.0, max_value=1.0))
def test_backoff_is_bounded_and_never_overflows(n: int, rand: float) -> None:
    delay = backoff_delay(POLICY, n, rand)
    assert math.isfinite(delay)
    assert 0 <= delay <= 8


def test_retry_loop_yields_the_backoff_sequence() -> None:
    loop = attempts(
        Request("POST", CHAT), "http://x" + CHAT, RetryPolicy(max_retries=4), rand=lambda: 0.0
    )
    step = next(loop)
    sleeps = []
    for _ in range(4):
        assert isinstance(step, Attempt)
        step = loop.send(Response(503, {}, b""))
        assert isinstance(step, Sleep)
        sleeps.append(step.seconds)
        step = next(loop)
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    with pytest.raises(InternalServerError):
        loop.send(Response(503, {}, b""))


# ── #3 Retry-After ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "1500", "retry-after": "30"}, 1.5),
        ({"retry-after": "2"}, 2.0),
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": formatdate(NOW + 20, usegmt=True)}, 20.0),
        ({"retry-after": _http_date(20)}, 20.0),
        ({"retry-after": "0"}, BACKOFF),
        ({"retry-after": "-1"}, BACKOFF),
        ({"retry-after": "nan"}, BACKOFF),
        ({"retry-after": "inf"}, BACKOFF),
        ({"retry-after": "abc"}, BACKOFF),
        ({"retry-after": "Mon, 99 Foo 2024 25:61:61 GMT"}, BACKOFF),
        ({"retry-after": "Mon, 99 Xyz"}, BACKOFF),
        ({"retry-after": ""}, BACKOFF),
        ({"retry-after": "1e400"}, BACKOFF),
        ({"retry-after-ms": "garbage", "retry-after": "3"}, 3.0),
        ({"retry-after": "60"}, 60.0),
        ({"retry-after": "61"}, None),
        ({"retry-after-ms": "60001"}, None),
    ],
)
def test_retry_after_table(headers: dict[str, str], expected: float | None) -> None:
    delay = delay_for_response(POLICY, 0, 429, headers, now=NOW, rand=0.0)
    if expected is None:
        assert delay is None
    else:
        assert delay == pytest.approx(expected, abs=1e-6)


def test_retry_after_above_cap_means_no_retry() -> None:
    assert (
        delay_for_response(RetryPolicy(), 0, 429, {"retry-after": "61"}, now=NOW, rand=0.0) is None
    )
    assert parse_retry_after({"retry-after": "61"}, NOW) == 61.0


async def test_retry_after_61_raises_after_one_request(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], clean: Check
) -> None:
    emu.inject(Fault.rate_limited(61), times=3, path=CHAT)
    with pytest.raises(RateLimitError) as info:
        await client.generate_content("hi")
    assert info.value.retry_after == 61
    assert len(emu.requests_to(CHAT)) == 1
    clean(info.value)


async def test_retry_after_is_honoured_end_to_end(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float]
) -> None:
    emu.inject(Fault.status(429, headers={"retry-after-ms": "1500", "Retry-After": "7"}), path=CHAT)
    await client.generate_content("hi")
    assert no_sleep == [1.5]


# ── #4 billing safety ───────────────────────────────────────────────────────────────────


async def test_post_read_timeout_is_not_retried(
    emu: Emulator, canary: str, no_sleep: list[float], clean: Check
) -> None:
    emu.inject(Fault.stall(1.0), times=3, path=CHAT)
    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.15)) as c:
        with pytest.raises(APITimeoutError) as info:
            await c.generate_content("hi")
        assert c._transport.in_flight == 0
    assert info.value.phase in ("read", "total")
    assert isinstance(info.value, TimeoutError)
    assert len(emu.requests_to(CHAT)) == 1
    clean(info.value)


async def test_post_read_timeout_retried_when_opted_in(
    emu: Emulator, canary: str, no_sleep: list[float]
) -> None:
    emu.inject(Fault.stall(1.0), times=3, path=CHAT)
    async with OneMinAIClient(
        canary, base_url=emu.base_url, timeouts=Timeouts(read=0.15), retry_on_timeout=True
    ) as c:
        with pytest.raises(APITimeoutError):
            await c.generate_content("hi")
    assert len(emu.requests_to(CHAT)) == 3


async def test_get_read_timeout_is_retried(
    emu: Emulator, canary: str, no_sleep: list[float]
) -> None:
    emu.inject(Fault.stall(1.0), times=2, path="/models", method="GET")
    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.15)) as c:
        result = await c.list_models("UNIFY_CHAT_WITH_AI")
    assert result
    assert len(emu.requests_to("/models", "GET")) == 3
    assert len(no_sleep) == 2


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_connection_refused_is_retried_then_raises(
    canary: str, no_sleep: list[float], clean: Check
) -> None:
    async with OneMinAIClient(canary, base_url=f"http://127.0.0.1:{_closed_port()}") as c:
        with pytest.raises(APIConnectionError) as info:
            await c.generate_content("hi")
        assert c._transport.in_flight == 0
    assert len(no_sleep) == 2  # 3 attempts
    assert info.value.request_sent is False
    clean(info.value)


def test_sync_connection_refused_is_retried_then_raises(
    canary: str, no_sleep: list[float], clean: Check
) -> None:
    from oneminai_webapi import SyncOneMinAIClient

    with SyncOneMinAIClient(canary, base_url=f"http://127.0.0.1:{_closed_port()}") as c:
        with pytest.raises(APIConnectionError) as info:
            c.generate_content("hi")
    assert len(no_sleep) == 2
    clean(info.value)
