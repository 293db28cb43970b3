"""Per-call options: ``with_options`` copies share the pool; raw responses show HTTP facts."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient, RawResponse, SyncOneMinAIClient, Timeouts
from oneminai_webapi.exceptions import (
    APIConnectionError,
    AuthenticationError,
    ClientClosedError,
    InternalServerError,
    InvalidRequestError,
)
from oneminai_webapi.testing import Emulator, Fault

from .conftest import FAST_TIMEOUTS, aclose, call, collect, make_client

# ── with_options ────────────────────────────────────────────────────────────────────────


async def test_copy_changes_settings_and_shares_the_pool(client: Any, emu: Emulator) -> None:
    copy = client.with_options(timeout=3.5, max_retries=0, retry_on_timeout=True)
    assert type(copy) is type(client)
    assert copy._transport is client._transport  # the same session, pool and slots
    assert copy._ctx.settings.timeouts.total == 3.5
    assert copy._ctx.settings.timeouts.read == FAST_TIMEOUTS.read  # the rest is kept
    assert copy._ctx.settings.retry.max_retries == 0
    assert copy._ctx.settings.retry.retry_on_timeout is True
    # The original is untouched.
    assert client._ctx.settings.timeouts.total == FAST_TIMEOUTS.total
    assert client._ctx.settings.retry.max_retries == 2
    assert client._ctx.settings.retry.retry_on_timeout is False
    assert (await call(copy.generate_content("via copy"))).text.endswith("via copy")
    assert (await call(client.generate_content("via original"))).text.endswith("via original")


async def test_max_retries_of_the_copy_applies_to_its_calls(client: Any, emu: Emulator) -> None:
    emu.inject(Fault.status(500), times=1, path="/api/chat-with-ai")
    with pytest.raises(InternalServerError):
        await call(client.with_options(max_retries=0).generate_content("once"))
    assert len(emu.requests_to("/api/chat-with-ai")) == 1
    emu.inject(Fault.status(500), times=1, path="/api/chat-with-ai")
    await call(client.generate_content("retried"))  # the original still retries
    assert len(emu.requests_to("/api/chat-with-ai")) == 3


async def test_timeouts_of_the_copy_apply_to_its_calls(client: Any, emu: Emulator) -> None:
    emu.inject(Fault.stall(0.6), times=1, path="/api/chat-with-ai")
    fast = client.with_options(timeouts=Timeouts(connect=1, pool=1, read=0.2, total=0.3))
    with pytest.raises(APIConnectionError):  # APITimeoutError is a subclass
        await call(fast.with_options(max_retries=0).generate_content("slow"))


async def test_closing_a_copy_keeps_the_shared_pool_open(client: Any, kind: str) -> None:
    copy = client.with_options(timeout=5)
    await call(copy.generate_content("warm the pool"))
    await aclose(copy)
    with pytest.raises(ClientClosedError):
        await call(copy.generate_content("after close"))
    assert client._transport._closed is False
    if kind == "async":
        assert client._transport.session is not None and not client._transport.session.closed
    assert (await call(client.generate_content("original"))).text.endswith("original")


async def test_a_copy_used_as_context_manager_does_not_close_the_pool(
    client: Any, kind: str
) -> None:
    if kind == "async":
        async with client.with_options(max_retries=1) as copy:
            await copy.generate_content("inside")
    else:
        with client.with_options(max_retries=1) as copy:
            copy.generate_content("inside")
    assert (await call(client.generate_content("after"))).text.endswith("after")


async def test_garbage_collected_copies_leave_the_pool_alone(client: Any, kind: str) -> None:
    for i in range(3):  # a throw-away copy per call, as in the documented idiom
        await call(client.with_options(timeout=5).generate_content(f"call {i}"))
    gc.collect()
    assert client._transport._closed is False
    if kind == "async":
        assert not client._transport.session.closed
    assert (await call(client.generate_content("still open"))).text.endswith("still open")


async def test_closing_the_original_closes_every_copy(kind: str, emu: Emulator) -> None:
    original = make_client(kind, emu.base_url, emu.api_key)
    copy = original.with_options(max_retries=0)
    await call(copy.generate_content("before"))
    await aclose(original)
    with pytest.raises(ClientClosedError):
        await call(copy.generate_content("after"))


async def test_api_key_and_base_url_of_a_copy(client: Any, emu: Emulator) -> None:
    wrong = client.with_options(api_key="sk-wrong", max_retries=0)
    with pytest.raises(AuthenticationError):
        await call(wrong.generate_content("hi"))
    elsewhere = client.with_options(base_url="http://127.0.0.1:9/", max_retries=0)
    assert elsewhere.base_url == "http://127.0.0.1:9"
    # result keys never resolve against base_url (a proxy or gateway): the asset host stays
    assert elsewhere._ctx.settings.asset_base_url == "https://asset.1min.ai"
    with pytest.raises(APIConnectionError):
        await call(elsewhere.generate_content("hi"))
    assert client.base_url == emu.base_url
    assert (await call(client.generate_content("hi"))).text


async def test_rate_limit_budget_is_shared_unless_given(client: Any) -> None:
    assert client.with_options(timeout=1)._limiter is client._limiter
    limited = client.with_options(requests_per_minute=60)
    assert limited._limiter is not None and limited._limiter is not client._limiter
    assert limited._ctx.settings.limits.requests_per_minute == 60
    assert client._ctx.settings.limits.requests_per_minute is None


@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"max_retries": None},
        {"timeout": 0},
        {"timeout": None},
        {"timeouts": 5},
        {"api_key": ""},
        {"base_url": "ftp://example"},
        {"requests_per_minute": -3},
    ],
)
async def test_invalid_options_are_refused_before_anything(client: Any, options: Any) -> None:
    with pytest.raises(InvalidRequestError):
        client.with_options(**options)


def test_pool_options_cannot_change() -> None:
    client = SyncOneMinAIClient("k")
    with pytest.raises(TypeError):
        client.with_options(proxy="http://127.0.0.1:1")
    with pytest.raises(TypeError):
        client.with_options(max_connections=3)
    client.close()


async def test_copy_never_reveals_the_key(client: Any, canary: str) -> None:
    copy = client.with_options(timeout=2)
    assert canary not in repr(copy)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(copy)


# ── raw responses ───────────────────────────────────────────────────────────────────────


async def test_raw_response_has_status_headers_request_id_and_result(
    client: Any, emu: Emulator
) -> None:
    emu.inject(Fault.headers({"X-Request-Id": "req-abc123"}), path="/api/chat-with-ai")
    raw = await call(client.with_raw_response.generate_content("hello raw"))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id == "req-abc123"
    assert b"hello raw" in raw.content
    assert raw.parse().text.endswith("hello raw")
    assert len(raw.responses) == 1
    assert "req-abc123" in repr(raw)


async def test_raw_request_id_falls_back_to_cf_ray_or_none(client: Any, emu: Emulator) -> None:
    emu.inject(Fault.headers({"cf-ray": "8f00abc-AMS"}), path="/api/chat-with-ai")
    assert (await call(client.with_raw_response.generate_content("a"))).request_id == (
        "8f00abc-AMS"
    )
    assert (await call(client.with_raw_response.generate_content("b"))).request_id is None


async def test_raw_stream_is_open_with_its_headers(client: Any, emu: Emulator) -> None:
    emu.inject(Fault.headers({"x-request-id": "req-stream"}), path="/api/chat-with-ai")
    raw = await call(client.with_raw_response.generate_content_stream("stream me"))
    assert raw.status_code == 200 and raw.request_id == "req-stream"
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.content == b""
    drained = await collect(raw.parse())
    assert drained.final.text.endswith("stream me")


async def test_raw_chat_with_stream_flag(client: Any) -> None:
    raw = await call(client.with_raw_response.chat("flagged", stream=True))
    assert raw.status_code == 200
    assert (await collect(raw.parse())).final.text.endswith("flagged")


async def test_raw_response_of_a_polled_job_keeps_every_response(
    client: Any, emu: Emulator
) -> None:
    emu.config.async_pending_polls = 1
    raw = await call(client.with_raw_response.generate_video("a cat", poll_interval=0.01))
    assert raw.parse().status == "SUCCESS"
    assert len(raw.responses) == 3  # the job, one pending poll, the final poll
    assert all(r.status == 200 for r in raw.responses)
    assert raw.status_code == 200 and raw.responses[-1].headers is raw.headers


async def test_raw_errors_raise_as_usual(client: Any, emu: Emulator) -> None:
    emu.inject(Fault.status(401, headers={"x-request-id": "req-denied"}), path="/api/chat-with-ai")
    with pytest.raises(AuthenticationError) as info:
        await call(client.with_raw_response.generate_content("no"))
    assert info.value.request_id == "req-denied"


async def test_raw_calls_do_not_change_the_client(client: Any) -> None:
    await call(client.with_raw_response.generate_content("x"))
    assert client._responses is None
    assert (await call(client.generate_content("plain"))).text.endswith("plain")


def test_raw_offers_only_methods_that_send_requests() -> None:
    client = OneMinAIClient("k")
    with pytest.raises(AttributeError):
        client.with_raw_response.start_chat  # noqa: B018 - no request of its own
    with pytest.raises(AttributeError):
        client.with_raw_response._run  # noqa: B018
    with pytest.raises(AttributeError):
        client.with_raw_response.no_such_method  # noqa: B018


def test_raw_validation_fails_before_sending(emu: Emulator) -> None:
    client = SyncOneMinAIClient(emu.api_key, base_url=emu.base_url)
    with pytest.raises(InvalidRequestError):
        client.with_raw_response.generate_content("")
    assert emu.requests == []
    client.close()
