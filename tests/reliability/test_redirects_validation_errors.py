"""docs/reliability.md requirements 17 (redirect policy), 18 (validation before I/O), 19 (error mapping, odd bodies)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from oneminai_webapi import OneMinAIClient, RetryPolicy, SyncOneMinAIClient, Timeouts
from oneminai_webapi._protocol._errors import error_from_response
from oneminai_webapi.exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CloudflareChallengeError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnexpectedRedirectError,
    UnsupportedModelError,
    ValidationError,
)
from oneminai_webapi.testing import Emulator, Fault

CHAT = "/api/chat-with-ai"
Check = Callable[[BaseException], None]


@pytest_asyncio.fixture
async def other(canary: str) -> AsyncIterator[Emulator]:
    """A second server that must never receive the key (nor anything at all)."""
    async with Emulator(api_key="other-key") as server:
        yield server


# ── #17 redirect policy ─────────────────────────────────────────────────────────────────

CROSS_TARGETS: dict[str, Callable[[Emulator, Emulator], str]] = {
    "another host": lambda e, o: f"http://localhost:{o.port}/api/chat-with-ai",
    "another port": lambda e, o: f"http://127.0.0.1:{o.port}/api/chat-with-ai",
    "https scheme change": lambda e, o: f"https://127.0.0.1:{e.port}/api/chat-with-ai",
    "userinfo trick": lambda e, o: f"http://127.0.0.1:{e.port}@localhost:{o.port}/api/chat-with-ai",
    "protocol relative": lambda e, o: f"//localhost:{o.port}/api/chat-with-ai",
}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", list(CROSS_TARGETS))
async def test_cross_origin_redirect_is_refused(
    emu: Emulator,
    other: Emulator,
    client: OneMinAIClient,
    canary: str,
    clean: Check,
    status: int,
    target: str,
) -> None:
    location = CROSS_TARGETS[target](emu, other)
    emu.inject(Fault.redirect(location, status), path=CHAT)
    with pytest.raises(UnexpectedRedirectError) as info:
        await client.generate_content("hi")
    assert other.requests == []
    assert len(emu.requests_to(CHAT)) == 1
    assert "@" not in info.value.location
    assert client._transport.in_flight == 0
    clean(info.value)


@pytest.mark.parametrize("status", [307, 308])
async def test_same_origin_307_308_is_followed_with_the_key(
    emu: Emulator, client: OneMinAIClient, canary: str, status: int
) -> None:
    emu.inject(Fault.redirect(f"HTTP://127.0.0.1:{emu.port}{CHAT}", status), path=CHAT)
    out = await client.generate_content("hi")
    assert out.text.endswith("hi")
    reqs = emu.requests_to(CHAT)
    assert len(reqs) == 2
    assert all(r.headers.get("api-key") == canary for r in reqs)


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_same_origin_post_redirect_is_not_replayed(
    emu: Emulator, client: OneMinAIClient, clean: Check, status: int
) -> None:
    emu.inject(Fault.redirect(CHAT, status), path=CHAT)
    with pytest.raises(UnexpectedRedirectError) as info:
        await client.generate_content("hi")
    assert len(emu.requests_to(CHAT)) == 1
    clean(info.value)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_same_origin_get_redirect_is_followed(
    emu: Emulator, client: OneMinAIClient, status: int
) -> None:
    emu.inject(Fault.redirect("/models?feature=UNIFY_CHAT_WITH_AI", status), path="/models")
    assert await client.list_models("UNIFY_CHAT_WITH_AI")
    assert len(emu.requests_to("/models")) == 2


async def test_redirect_loop_ends(emu: Emulator, client: OneMinAIClient) -> None:
    emu.inject(
        Fault.redirect("/models?feature=UNIFY_CHAT_WITH_AI", 302), path="/models", times=None
    )
    with pytest.raises(APIError):
        await client.list_models("UNIFY_CHAT_WITH_AI")
    assert len(emu.requests_to("/models")) == 6  # 1 + MAX_REDIRECTS


def test_sync_cross_origin_redirect_is_refused(emu_thread: Emulator, canary: str) -> None:
    with (
        Emulator(api_key="other-key") as other,
        SyncOneMinAIClient(canary, base_url=emu_thread.base_url) as c,
    ):
        for status in (302, 307):
            emu_thread.inject(
                Fault.redirect(f"http://localhost:{other.port}{CHAT}", status), path=CHAT
            )
            with pytest.raises(UnexpectedRedirectError):
                c.generate_content("hi")
        assert other.requests == []


async def test_redirected_stream_is_refused(
    emu: Emulator, other: Emulator, client: OneMinAIClient
) -> None:
    emu.inject(Fault.redirect(f"http://127.0.0.1:{other.port}{CHAT}", 307), path=CHAT)
    with pytest.raises(UnexpectedRedirectError):
        async for _ in client.generate_content_stream("hi"):
            pass
    assert other.requests == []
    assert client._transport.in_flight == 0


# ── #18 validation before I/O ───────────────────────────────────────────────────────────

BAD_CALLS: dict[str, Callable[[OneMinAIClient], object]] = {
    "empty prompt": lambda c: c.generate_content(""),
    "blank prompt": lambda c: c.generate_content("   "),
    "non-string prompt": lambda c: c.generate_content(None),  # type: ignore[arg-type]
    "empty model": lambda c: c.generate_content("hi", model=""),
    "empty stream prompt": lambda c: c.generate_content_stream(""),
    "empty feature": lambda c: c.list_models(""),
    "dot-dot conversation": lambda c: c.get_conversation(".."),
    "encoded dot-dot conversation": lambda c: c.get_conversation("%2e%2e"),
    "encoded dot-dot upper": lambda c: c.get_conversation("%2E%2E"),
    "empty conversation id": lambda c: c.get_conversation(""),
    "dot-dot delete": lambda c: c.delete_conversation(".."),
    "bad num_of_site": lambda c: c.chat("hi", num_of_site=0),
    "bad history limit": lambda c: c.chat("hi", history_message_limit=-1),
    "bad images entry": lambda c: c.generate_content("hi", images=[""]),
    "bad filename on save": lambda c: c._save_url(c.base_url + "/x", ".", "../evil", False),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
async def test_bad_input_fails_before_any_request(
    emu: Emulator, client: OneMinAIClient, name: str
) -> None:
    with pytest.raises((ValueError, TypeError)):
        result = BAD_CALLS[name](client)
        if hasattr(result, "__await__"):
            await result  # type: ignore[misc]
    assert emu.requests == []


async def test_slash_in_path_parameter_is_encoded(emu: Emulator, client: OneMinAIClient) -> None:
    token = emu.issue_token()
    async with OneMinAIClient(token, base_url=emu.base_url) as jwt_client:
        with pytest.raises(NotFoundError):
            await jwt_client.get_conversation("a/../../users")
    # The server decodes the path for display; it still routed it as one segment.
    assert emu.requests[-1].path.startswith(f"/teams/{emu.team_id}/features/conversations/")
    from oneminai_webapi._protocol._routes import segment

    assert segment("a/../../users") == "a%2F..%2F..%2Fusers"
    assert segment("x?y#z") == "x%3Fy%23z"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": None},
        {"max_retries": -1},
        {"max_retries": True},
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeouts": "fast"},
        {"max_connections": 0},
        {"requests_per_minute": 0},
        {"base_url": "ftp://example"},
    ],
)
def test_bad_client_options(kwargs: dict[str, object]) -> None:
    with pytest.raises((ValueError, TypeError)):
        OneMinAIClient("key", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, -1, float("inf"), float("nan"), "1", None])
def test_bad_timeouts(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        Timeouts(read=value)  # type: ignore[arg-type]


def test_bad_retry_policy() -> None:
    for kwargs in (
        {"max_retries": None},
        {"max_retries": -1},
        {"jitter": 2},
        {"max_delay_s": float("inf")},
    ):
        with pytest.raises((ValueError, TypeError)):
            RetryPolicy(**kwargs)  # type: ignore[arg-type]


async def test_empty_key_without_env_fails_before_io(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    async with OneMinAIClient(base_url=emu.base_url) as c:
        with pytest.raises(InvalidRequestError):
            await c.generate_content("hi")
        with pytest.raises(InvalidRequestError):
            c.generate_content_stream("hi")
    assert emu.requests == []


# ── #19 error mapping and odd bodies ────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (
            400,
            {"errorCode": "UNSUPPORTED_MODEL", "message": "Model x is not supported"},
            UnsupportedModelError,
        ),
        (400, {"error": {"message": "bad", "details": [{"field": "prompt"}]}}, ValidationError),
        (400, {"message": "bad"}, BadRequestError),
        (
            401,
            {
                "success": False,
                "error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key"},
            },
            AuthenticationError,
        ),
        (402, None, InsufficientCreditsError),
        (400, {"message": "Insufficient credits for this request"}, InsufficientCreditsError),
        (403, {"message": "no"}, PermissionDeniedError),
        (404, {"detail": "nope"}, NotFoundError),
        (422, {"detail": [{"msg": "field required"}]}, ValidationError),
        (429, {"message": "slow down"}, RateLimitError),
        (500, "<html><title>Oops</title></html>", InternalServerError),
        (502, "", InternalServerError),
        (418, b"\xff\xfe not utf8", APIError),
    ],
)
async def test_status_maps_to_class(
    emu: Emulator,
    client: OneMinAIClient,
    no_sleep: list[float],
    clean: Check,
    status: int,
    body: object,
    cls: type,
) -> None:
    emu.inject(Fault.status(status, body, headers={"x-request-id": "req-123"}), times=3, path=CHAT)
    with pytest.raises(cls) as info:
        await client.generate_content("hi")
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.request_id == "req-123"
    assert err.body is not None
    clean(err)


@pytest.mark.parametrize("status", [403, 503, 429])
async def test_cloudflare_challenge_is_typed_truncated_and_not_retried(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], status: int, clean: Check
) -> None:
    emu.inject(Fault.cloudflare(status), times=3, path=CHAT)
    with pytest.raises(CloudflareChallengeError) as info:
        await client.generate_content("hi")
    assert len(emu.requests_to(CHAT)) == 1
    assert len(str(info.value.body).encode()) <= 2048
    clean(info.value)


def test_huge_html_error_body_is_truncated() -> None:
    page = "<html><head><title>Bad gateway</title></head><body>" + "x" * 100_000 + "</body></html>"
    err = error_from_response(502, {"content-type": "text/html"}, page.encode())
    assert isinstance(err, InternalServerError)
    assert len(err.body.encode()) <= 2048
    assert "Bad gateway" in str(err)
    cf = error_from_response(503, {"cf-mitigated": "challenge"}, ("<html>" + "y" * 10_000).encode())
    assert isinstance(cf, CloudflareChallengeError)
    assert len(cf.body.encode()) <= 2048


async def test_success_false_in_a_200_is_an_error(emu: Emulator, client: OneMinAIClient) -> None:
    body = {"success": False, "error": {"code": "UNSUPPORTED_MODEL", "message": "gone"}}
    emu.inject(Fault.status(200, body), path=CHAT)
    with pytest.raises(UnsupportedModelError):
        await client.generate_content("hi")


async def test_failed_record_in_a_200_is_an_error(emu: Emulator, client: OneMinAIClient) -> None:
    from oneminai_webapi.exceptions import JobFailedError

    body = {
        "aiRecord": {
            "uuid": "r1",
            "status": "FAILED",
            "aiRecordDetail": {"errorMessage": "model down"},
        }
    }
    emu.inject(Fault.status(200, body), path=CHAT)
    with pytest.raises(JobFailedError) as info:
        await client.generate_content("hi")
    assert "model down" in str(info.value)
    assert json.dumps(info.value.body)
