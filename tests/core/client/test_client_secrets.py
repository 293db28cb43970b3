"""The API key never shows up: reprs, DEBUG logs, exceptions (str/repr/traceback/pickle)."""

from __future__ import annotations

import logging
import pickle
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from oneminai_webapi import RetryPolicy, Timeouts
from oneminai_webapi.exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    OneMinAIError,
    StreamInterruptedError,
    UnexpectedRedirectError,
)
from oneminai_webapi.testing import Fault

from .conftest import call, collect

CHAT = "/api/chat-with-ai"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__]
    return seen


def assert_clean_exception(exc: BaseException, *secrets: str) -> None:
    texts = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    ]
    blob = pickle.dumps(exc)
    clone = pickle.loads(blob)
    assert type(clone) is type(exc) and str(clone) == str(exc)
    for secret in secrets:
        for text in texts:
            assert secret not in text
        assert secret.encode() not in blob
        for attr in vars(exc).values():
            assert secret not in repr(attr)
    for link in _chain(exc):
        assert not type(link).__module__.startswith(("aiohttp", "requests", "urllib3")), type(link)


# ── scenarios: each returns the exception it raised (or None on success) ───────────────


async def _success(client, emu) -> BaseException | None:
    await call(client.generate_content("Hi"))
    await collect(client.generate_content_stream("Hi"))
    await call(client.upload_asset(data=b"x", filename="a.txt"))
    await call(client.list_conversations())
    return None


async def _unauthorized(client, emu) -> BaseException | None:
    emu.inject(Fault.status(401), path=CHAT)
    with pytest.raises(AuthenticationError) as info:
        await call(client.generate_content("Hi"))
    return info.value


async def _webapp_refused(client, emu) -> BaseException | None:
    emu.config.webapp_accepts_api_key = False
    with pytest.raises(AuthenticationError) as info:
        await call(client.get_team_credits())
    return info.value


async def _retried_500(client, emu) -> BaseException | None:
    emu.inject(Fault.status(500), path=CHAT, times=None)
    with pytest.raises(InternalServerError) as info:
        await call(client.generate_content("Hi"))
    return info.value


async def _timeout(client, emu) -> BaseException | None:
    client._ctx.settings.timeouts = Timeouts(connect=2, pool=2, read=0.2, total=5)
    emu.inject(Fault.stall(0.6), path=CHAT)
    with pytest.raises(APITimeoutError) as info:
        await call(client.generate_content("Hi"))
    return info.value


async def _stream_timeout(client, emu) -> BaseException | None:
    client._ctx.settings.timeouts = Timeouts(connect=2, pool=2, read=0.2, total=5)
    emu.inject(Fault.drip(0.6), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi"), catch=True)
    assert isinstance(drained.error, APITimeoutError)
    return drained.error


async def _stream_interrupt(client, emu) -> BaseException | None:
    emu.inject(Fault.cut_after(2), path=CHAT)
    drained = await collect(client.generate_content_stream("Hi there friend"), catch=True)
    assert isinstance(drained.error, StreamInterruptedError)
    return drained.error


async def _redirect(client, emu) -> BaseException | None:
    emu.inject(Fault.redirect("http://127.0.0.2:9/steal", 307), path=CHAT)
    with pytest.raises(UnexpectedRedirectError) as info:
        await call(client.generate_content("Hi"))
    return info.value


async def _refused(client, emu) -> BaseException | None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client._ctx.settings.base_url = f"http://127.0.0.1:{port}"
    with pytest.raises(APIConnectionError) as info:
        await call(client.generate_content("Hi"))
    return info.value


async def _oauth_then_error(client, emu) -> BaseException | None:
    await call(client.oauth_login("ya29.secret-google-token"))
    emu.inject(Fault.status(500), times=None)
    with pytest.raises(InternalServerError) as info:
        await call(client.get_team_credits())
    return info.value


SCENARIOS: dict[str, Callable[[Any, Any], Awaitable[BaseException | None]]] = {
    "success": _success,
    "401": _unauthorized,
    "webapp-refused": _webapp_refused,
    "retried-500": _retried_500,
    "timeout": _timeout,
    "stream-timeout": _stream_timeout,
    "stream-interrupt": _stream_interrupt,
    "redirect": _redirect,
    "refused": _refused,
    "oauth": _oauth_then_error,
}


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in (
        None,
        "oneminai_webapi",
        "aiohttp",
        "aiohttp.client",
        "urllib3",
        "requests",
        "asyncio",
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _record_texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), repr(record.args), repr(record.msg)]
    if record.exc_info:
        texts.append("".join(traceback.format_exception(*record.exc_info)))
    texts += [repr(v) for k, v in vars(record).items() if k not in ("args", "msg", "exc_info")]
    return texts


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_the_key_never_appears_in_logs_or_exceptions(
    client, emu, canary, debug_logs, scenario
):
    client._ctx.settings.retry = RetryPolicy(
        max_retries=2, initial_delay_s=0.001, max_delay_s=0.002
    )
    secrets = [canary]
    exc = await SCENARIOS[scenario](client, emu)
    if client.auth_kind == "jwt":
        secrets += [client._ctx.credential.reveal(), "ya29.secret-google-token"]
    if scenario in ("retried-500", "refused"):
        assert any("retry" in r.getMessage() for r in debug_logs.records), "retries are logged"
    for record in debug_logs.records:
        for text in _record_texts(record):
            for secret in secrets:
                assert secret not in text, (
                    f"secret in log record {record.name}: {record.getMessage()}"
                )
    if exc is not None:
        assert isinstance(exc, OneMinAIError)
        assert_clean_exception(exc, *secrets)
    assert canary not in repr(client) and canary not in str(client)
    for secret in secrets:
        assert secret not in repr(client._ctx) and secret not in repr(client._ctx.credential)


def test_client_and_config_reprs_hide_the_key(canary):
    from oneminai_webapi import Limits, OneMinAIClient, SyncOneMinAIClient

    for cls in (OneMinAIClient, SyncOneMinAIClient):
        client = cls(canary, base_url="http://127.0.0.1:1")
        assert canary not in repr(client)
        assert canary not in str(client)
        assert canary not in repr(client._ctx.settings)
        assert canary not in repr(vars(client))
        with pytest.raises(TypeError):
            pickle.dumps(client)
        with pytest.raises(TypeError):
            pickle.dumps(client._ctx.credential)
        if hasattr(client._transport, "_closed"):
            client._transport._closed = True
    assert canary not in repr(Timeouts()) + repr(Limits()) + repr(RetryPolicy())


async def test_outputs_never_carry_the_key(client, emu, canary):
    out = await call(client.generate_content("Hi"))
    user = await call(client.get_current_user())
    conv = await call(client.create_conversation("T"))
    asset = await call(client.upload_asset(data=b"x", filename="a.txt"))
    for obj in (out, user, conv, asset):
        assert canary not in repr(obj)
        assert canary not in obj.model_dump_json()
