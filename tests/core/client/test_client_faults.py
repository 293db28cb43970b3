"""Every emulator fault and what the client must make of it (docs/protocol.md, docs/reliability.md)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from oneminai_webapi import Timeouts
from oneminai_webapi.exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloudflareChallengeError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamInterruptedError,
    UnexpectedRedirectError,
    UnexpectedResponseError,
    ValidationError,
)
from oneminai_webapi.testing import Fault

from .conftest import call, collect

CHAT = "/api/chat-with-ai"
REPLY = "alpha beta gamma delta epsilon"
DELTAS = ["alpha ", "beta ", "gamma ", "delta ", "epsilon"]


def chat_requests(emu) -> int:
    return len(emu.requests_to(CHAT))


# ── retries of HTTP answers ────────────────────────────────────────────────────────────


async def test_429_retry_after_is_honoured_then_success(client, emu, sleeps):
    emu.inject(Fault.rate_limited(retry_after=2), path=CHAT)
    out = await call(client.generate_content("Hi"))
    assert out.text.endswith("Hi")
    assert chat_requests(emu) == 2
    assert sleeps == [2.0]  # exactly what the server asked for, not the backoff


async def test_429_retry_after_really_waits(client, emu):
    emu.inject(Fault.rate_limited(retry_after="0.3"), path=CHAT)
    start = time.monotonic()
    await call(client.generate_content("Hi"))
    assert time.monotonic() - start >= 0.3
    assert chat_requests(emu) == 2


async def test_429_retry_after_over_60s_is_not_retried(client, emu, sleeps):
    emu.inject(Fault.rate_limited(retry_after=61), path=CHAT, times=3)
    with pytest.raises(RateLimitError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.retry_after_s == 61
    assert info.value.status_code == 429
    assert chat_requests(emu) == 1
    assert sleeps == []


async def test_429_without_retry_after_uses_backoff_and_exhausts(client, emu, sleeps):
    emu.inject(Fault.rate_limited(retry_after=None), path=CHAT, times=5)
    with pytest.raises(RateLimitError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.retry_after_s is None
    assert chat_requests(emu) == 3
    assert len(sleeps) == 2 and all(0 < s <= 0.005 for s in sleeps)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_retryable_status_twice_then_success(client, emu, status, sleeps):
    emu.inject(Fault.status(status), path=CHAT, times=2)
    out = await call(client.generate_content("Hi"))
    assert out.text == "Echo from gpt-4o-mini: Hi"
    assert chat_requests(emu) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_exhausted_raises_after_max_retries_plus_one(client, emu, status, sleeps):
    emu.inject(Fault.status(status), path=CHAT, times=None)
    with pytest.raises(InternalServerError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.status_code == status
    assert chat_requests(emu) == 3  # max_retries=2 → 3 requests


async def test_max_retries_zero_sends_once(make, emu, sleeps):
    client = make(max_retries=0)
    emu.inject(Fault.status(500), path=CHAT, times=None)
    with pytest.raises(InternalServerError):
        await call(client.generate_content("Hi"))
    assert chat_requests(emu) == 1
    assert sleeps == []


async def test_5xx_on_a_stream_open_is_retried_before_any_event(client, emu, sleeps):
    emu.inject(Fault.status(502), path=CHAT, times=1)
    emu.script_replies([REPLY])
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.deltas == REPLY
    assert chat_requests(emu) == 2


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, BadRequestError.__mro__[1]),  # APIError
        (422, ValidationError),
    ],
)
async def test_4xx_is_never_retried(client, emu, status, cls, sleeps):
    emu.inject(Fault.status(status), path=CHAT, times=None)
    with pytest.raises(cls) as info:
        await call(client.generate_content("Hi"))
    assert info.value.status_code == status
    assert chat_requests(emu) == 1
    assert sleeps == []


async def test_wrong_api_key_is_authentication_error(make, emu):
    client = make(api_key="sk-wrong")
    with pytest.raises(AuthenticationError) as info:
        await call(client.generate_content("Hi"))
    assert "Invalid or missing API key" in str(info.value)
    assert info.value.body == {
        "success": False,
        "error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key"},
    }
    assert len(emu.requests) == 1


@pytest.mark.parametrize("status", [403, 503])
async def test_cloudflare_challenge_is_typed_and_not_retried(client, emu, status, sleeps):
    emu.inject(Fault.cloudflare(status), times=None)
    with pytest.raises(CloudflareChallengeError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.status_code == status
    assert len(str(info.value.body or "")) <= 2048
    assert "<script" not in str(info.value)
    assert len(emu.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("status", [402, 400, 403])
async def test_insufficient_credits(client, emu, stream, status, sleeps):
    emu.config.insufficient_credits_status = status
    emu.credits = 0
    with pytest.raises(InsufficientCreditsError) as info:
        if stream:
            await collect(client.generate_content_stream("Hi"))
        else:
            await call(client.generate_content("Hi"))
    assert info.value.status_code == status
    assert "credit" in str(info.value).lower()
    assert chat_requests(emu) == 1
    assert sleeps == []


async def test_429_on_a_stream_open_is_retried(client, emu, sleeps):
    emu.inject(Fault.rate_limited(retry_after=1), path=CHAT)
    emu.script_replies([REPLY])
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.final.text == REPLY
    assert chat_requests(emu) == 2
    assert sleeps == [1.0]


# ── streams ────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("n", [1, 3])
async def test_connection_cut_after_n_events_is_interrupted_and_not_retried(client, emu, n, sleeps):
    emu.script_replies([REPLY])
    emu.inject(Fault.cut_after(n), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    err = drained.error
    assert isinstance(err, StreamInterruptedError), repr(err)
    assert [c.text_delta for c in drained.chunks] == DELTAS[:n]
    assert err.partial_text == "".join(DELTAS[:n])
    assert err.events_received == n
    assert chat_requests(emu) == 1
    assert sleeps == []
    assert client._transport.in_flight == 0


async def test_connection_cut_in_a_non_streamed_web_app_turn_is_not_retried(client, emu, sleeps):
    await call(client.oauth_login("ya29.x"))
    emu.script_replies([REPLY])
    emu.inject(Fault.cut_after(2))
    with pytest.raises(StreamInterruptedError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.partial_text == "alpha beta "
    assert len(emu.requests_to(f"/teams/{emu.team_id}/features/v2/unified-chat")) == 1


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.crlf()],
        [Fault.multiline_data()],
        [Fault.keepalive_comments()],
        [Fault.no_space_after_colon()],
        [Fault.crlf(), Fault.multiline_data(), Fault.keepalive_comments(), Fault.byte_chunks(3)],
    ],
    ids=["crlf", "multiline", "comments", "nospace", "all"],
)
async def test_sse_framing_variants_decode_exactly(client, emu, faults):
    emu.script_replies([REPLY])
    for f in faults:
        emu.inject(f, path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"))
    assert [c.text_delta for c in drained.chunks if not c.is_final] == DELTAS
    assert drained.final.text == REPLY and drained.final.record_id


async def test_crlf_line_endings_from_config(client, emu):
    emu.config.sse_line_ending = "\r\n"
    emu.script_replies([REPLY])
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.final.text == REPLY


async def test_in_band_error_event_raises_with_partial_text(client, emu):
    emu.script_replies([REPLY])
    emu.inject(Fault.error_after(2, "Upstream model exploded"), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    err = drained.error
    assert isinstance(err, StreamInterruptedError)
    assert "Upstream model exploded" in str(err)
    assert err.partial_text == "alpha beta "
    assert drained.deltas == "alpha beta "
    assert chat_requests(emu) == 1


async def test_one_byte_chunks_split_utf8_and_the_text_is_exact(client, emu):
    text = "Grüße 世界 🌍🚀 naïve — ok"
    emu.script_replies([text])
    emu.inject(Fault.byte_chunks(1), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.deltas == text
    assert drained.final.text == text
    assert all("\ufffd" not in c.text for c in drained.chunks)


async def test_slow_drip_within_the_read_timeout_completes(make, emu):
    client = make(timeouts=Timeouts(connect=2, pool=2, read=0.5, total=0.3))
    emu.script_replies([REPLY])
    emu.inject(Fault.drip(0.15), path=CHAT)
    start = time.monotonic()
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.final.text == REPLY
    # 5 events + result + done at 0.15 s each: longer than the total timeout, which
    # streams ignore (only the idle read timeout applies)
    assert time.monotonic() - start > 0.3


async def test_stall_mid_stream_beyond_the_read_timeout_carries_partial_text(make, emu, sleeps):
    client = make(timeouts=Timeouts(connect=2, pool=2, read=0.3, total=5))
    emu.script_replies([REPLY])
    emu.inject(Fault.drip(1.0), path=CHAT)
    start = time.monotonic()
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    elapsed = time.monotonic() - start
    err = drained.error
    assert isinstance(err, APITimeoutError), repr(err)
    assert isinstance(err, TimeoutError)
    assert err.phase == "read"
    assert err.partial_text == "alpha "
    assert drained.deltas == "alpha "
    assert 0.25 <= elapsed < 0.95
    assert chat_requests(emu) == 1
    assert sleeps == []


async def test_stall_before_the_first_event_times_out_with_empty_partial_text(make, emu):
    client = make(timeouts=Timeouts(connect=2, pool=2, read=0.3, total=5))
    emu.inject(Fault.stall_body(1.0), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, APITimeoutError) and drained.error.phase == "read"
    assert drained.error.partial_text == ""
    assert chat_requests(emu) == 1


async def test_missing_done_with_result_is_complete(client, emu):
    emu.script_replies([REPLY])
    emu.inject(Fault.no_done(), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.final.text == REPLY and drained.final.record_id


async def test_missing_result_with_done_is_complete_with_streamed_text(client, emu):
    emu.script_replies([REPLY])
    emu.inject(Fault.no_result(), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"))
    assert drained.final.text == REPLY
    assert drained.final.record_id is None


async def test_missing_result_and_done_is_interrupted(client, emu):
    emu.script_replies([REPLY])
    emu.inject(Fault.no_result_no_done(), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, StreamInterruptedError)
    assert drained.error.partial_text == REPLY
    assert drained.error.events_received == 5


async def test_json_on_a_streaming_call_is_unexpected_response(client, emu):
    emu.inject(Fault.json_instead_of_stream(), path=CHAT)
    with pytest.raises(UnexpectedResponseError) as info:
        await collect(client.generate_content_stream("Hi"))
    assert info.value.status_code == 200
    assert chat_requests(emu) == 1
    assert client._transport.in_flight == 0


async def test_raw_stream_with_garbage_is_interrupted(client, emu):
    emu.inject(Fault.raw_stream(b"this is not an event stream"), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, StreamInterruptedError)


# ── timeouts and connection failures ───────────────────────────────────────────────────

STALL_TIMEOUTS = Timeouts(connect=2, pool=2, read=0.25, total=5)


async def test_post_read_timeout_is_not_retried_by_default(make, emu, sleeps):
    client = make(timeouts=STALL_TIMEOUTS)
    emu.inject(Fault.stall(0.8), path=CHAT, times=None)
    with pytest.raises(APITimeoutError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.phase == "read"
    assert chat_requests(emu) == 1  # the generation may have run: retrying could bill twice
    assert sleeps == []


async def test_post_read_timeout_is_retried_with_retry_on_timeout(make, emu, sleeps):
    client = make(timeouts=STALL_TIMEOUTS, retry_on_timeout=True)
    emu.inject(Fault.stall(0.8), path=CHAT, times=None)
    with pytest.raises(APITimeoutError):
        await call(client.generate_content("Hi"))
    assert chat_requests(emu) == 3
    assert len(sleeps) == 2


async def test_get_stall_is_retried(emu, make, sleeps):
    client = make(timeouts=STALL_TIMEOUTS)
    emu.inject(Fault.stall(0.8), path="/models", times=1)
    models = await call(client.list_models("UNIFY_CHAT_WITH_AI"))
    assert models
    assert len(emu.requests_to("/models")) == 2
    assert len(sleeps) == 1


async def test_disconnect_without_answer_on_get_is_retried(client, emu, sleeps):
    emu.inject(Fault.disconnect(), path="/models", times=1)
    assert await call(client.list_models("UNIFY_CHAT_WITH_AI"))
    assert len(emu.requests_to("/models")) == 2


async def test_disconnect_without_answer_on_post_is_not_retried(client, emu, sleeps):
    emu.inject(Fault.disconnect(), path=CHAT, times=None)
    with pytest.raises(APIConnectionError):
        await call(client.generate_content("Hi"))
    assert chat_requests(emu) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_connection_refused_is_retried_then_api_connection_error(make, sleeps):
    client = make(base_url=f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(APIConnectionError) as info:
        await call(client.generate_content("Hi"))
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request_sent is False
    assert len(sleeps) == 2  # 3 attempts
    assert client._transport.in_flight == 0


# ── redirects ──────────────────────────────────────────────────────────────────────────


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def _answer(self) -> None:
        type(self).seen.append({k.lower(): v for k, v in self.headers.items()})
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Another origin on loopback that records every request it gets."""
    seen: list[dict[str, str]] = []
    handler = type("Rec", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_cross_origin_redirect_is_refused_and_the_key_never_leaves(
    client, emu, other_host, status, sleeps
):
    url, seen = other_host
    emu.inject(Fault.redirect(f"{url}/api/chat-with-ai", status), times=None)
    with pytest.raises(UnexpectedRedirectError) as info:
        await call(client.generate_content("Hi"))
    assert info.value.location == f"{url}/api/chat-with-ai"
    assert seen == []
    assert chat_requests(emu) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "location",
    [
        "http://localhost:{port}/x",
        "//127.0.0.2:{port}/x",
        "http://user:pw@127.0.0.1:1/x",
        "https://127.0.0.1:{port}/x",
    ],
    ids=["other-host-name", "scheme-relative", "userinfo-other-port", "https-downgrade-swap"],
)
async def test_cross_origin_redirect_variants_are_refused(client, emu, location):
    emu.inject(Fault.redirect(location.format(port=emu.port), 302), path="/models", times=None)
    with pytest.raises(UnexpectedRedirectError) as info:
        await call(client.list_models("UNIFY_CHAT_WITH_AI"))
    assert "pw" not in info.value.location
    assert len(emu.requests_to("/models")) == 1


async def test_same_origin_redirect_is_followed_with_the_key(client, emu):
    emu.inject(Fault.redirect("/api/chat-with-ai", 307), path=CHAT, times=1)
    out = await call(client.generate_content("Hi"))
    assert out.text.endswith("Hi")
    first, second = emu.requests_to(CHAT)
    assert second.headers["api-key"] == emu.api_key
    assert second.json == first.json


async def test_same_origin_302_on_post_is_not_replayed(client, emu):
    emu.inject(Fault.redirect("/api/chat-with-ai", 302), path=CHAT, times=1)
    with pytest.raises(UnexpectedRedirectError):
        await call(client.generate_content("Hi"))
    assert chat_requests(emu) == 1
