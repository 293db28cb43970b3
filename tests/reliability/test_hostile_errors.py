"""Issue 14 item 7: only typed errors escape, partial text is kept, messages stay sane.

(File-system errors while saving are in ``test_hostile_downloads.py``.)
"""

from __future__ import annotations

import asyncio
import gc
import pickle
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import (
    APIError,
    BadRequestError,
    EventLoopMismatchError,
    OneMinAIError,
    StreamInterruptedError,
    UnexpectedResponseError,
)

from .hostile_server import (
    KINDS,
    Conn,
    HostileServer,
    Req,
    answering,
    chat_record,
    content,
    json_bytes,
    run,
    sse,
    stream_action,
    streaming,
)

DEEP = b"[" * 200_000 + b"]" * 200_000


def chat(client: Any) -> Any:
    return client.generate_content("hello")


answer = answering
events = streaming


def assert_typed(error: BaseException | None) -> OneMinAIError:
    assert isinstance(error, OneMinAIError), repr(error)
    clone = pickle.loads(pickle.dumps(error))
    assert str(clone) == str(error)
    return error


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (DEEP, "nested too deeply"),
        (b'{"aiRecord": {"uuid": "x", "aiRecordDetail": ', "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b'{"n": ' + b"9" * 100_000 + b"}", "not JSON"),  # over Python's int-digit limit
        (b"", "not JSON"),
    ],
    ids=["deep", "truncated", "bytes", "huge-int", "empty"],
)
def test_unreadable_json_is_a_typed_error(
    kind: str, canary: str, body: bytes, expected: str
) -> None:
    out = run(kind, answer(200, body), chat, key=canary)
    error = assert_typed(out.error)
    assert isinstance(error, UnexpectedResponseError)
    assert expected in str(error)
    assert error.__context__ is None  # the parser's error (holding the whole body) is gone


@pytest.mark.parametrize("kind", KINDS)
def test_deep_json_error_body_is_a_typed_error(kind: str, canary: str) -> None:
    out = run(kind, answer(400, DEEP), chat, key=canary)
    error = assert_typed(out.error)
    assert isinstance(error, BadRequestError)
    assert len(str(error)) < 2100


@pytest.mark.parametrize("kind", KINDS)
def test_deep_json_on_a_streaming_call_is_a_typed_error(kind: str, canary: str) -> None:
    out = run(kind, answer(200, DEEP), stream_action([]), key=canary)
    assert isinstance(assert_typed(out.error), UnexpectedResponseError)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("event", ["content", "result", "error"])
def test_deep_event_keeps_the_partial_text(kind: str, canary: str, event: str) -> None:
    delivered: list[str] = []
    handler = events(content("Hello "), content("world"), sse(event, DEEP.decode()))
    out = run(kind, handler, stream_action(delivered), key=canary)
    error = assert_typed(out.error)
    assert isinstance(error, StreamInterruptedError)
    assert error.partial_text == "Hello world" == "".join(delivered)
    assert len(str(error)) < 2100


@pytest.mark.parametrize("kind", KINDS)
def test_huge_in_band_error_message_is_truncated(kind: str, canary: str) -> None:
    message = "Overloaded! " * 100_000  # 1.2 MB
    delivered: list[str] = []
    handler = events(content("partial "), sse("error", {"error": {"message": message}}))
    out = run(kind, handler, stream_action(delivered), key=canary)
    error = assert_typed(out.error)
    assert isinstance(error, StreamInterruptedError)
    assert error.partial_text == "partial "
    assert "Overloaded!" in str(error)
    assert len(str(error)) <= 2100
    assert len(repr(error.args)) <= 2200


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "body",
    [
        {"success": False, "error": {"code": "X", "message": "Nope! " * 200_000}},
        {
            "aiRecord": {
                "uuid": "r",
                "status": "FAILED",
                "aiRecordDetail": {"errorMessage": "Bad " * 300_000},
            }
        },
    ],
    ids=["success-false", "failed-record"],
)
def test_huge_messages_in_a_200_are_truncated(kind: str, canary: str, body: dict[str, Any]) -> None:
    out = run(kind, answer(200, json_bytes(body)), chat, key=canary)
    error = assert_typed(out.error)
    assert isinstance(error, APIError)
    assert len(str(error)) <= 2100


@pytest.mark.parametrize("kind", KINDS)
def test_huge_error_message_in_an_http_error_is_truncated(kind: str, canary: str) -> None:
    body = json_bytes({"message": "Too long " * 100_000})
    out = run(kind, answer(422, body), chat, key=canary)
    error = assert_typed(out.error)
    assert len(str(error)) <= 2100


# ── a client used in a second event loop ────────────────────────────────────────────


def test_async_client_in_a_second_event_loop_is_a_typed_error(canary: str) -> None:
    async def ok(conn: Conn, req: Req) -> None:
        await conn.respond(200, json_bytes(chat_record("hi")))

    with HostileServer(ok) as srv:
        client = OneMinAIClient(canary, base_url=srv.base_url)
        first = asyncio.new_event_loop()
        try:
            assert first.run_until_complete(client.generate_content("x")).text == "hi"
            with pytest.raises(EventLoopMismatchError, match="another event loop") as info:
                asyncio.run(client.generate_content("x"))
            assert_typed(info.value)

            async def stream() -> None:
                async with client.generate_content_stream("x") as s:
                    async for _ in s:
                        pass

            with pytest.raises(EventLoopMismatchError):
                asyncio.run(stream())
            with pytest.raises(EventLoopMismatchError, match="close it there"):
                asyncio.run(client.close())
            first.run_until_complete(client.close())  # in its own loop: closed for good
            first.run_until_complete(client.close())
        finally:
            first.close()
        assert len(srv.requests) == 1
    gc.collect()
