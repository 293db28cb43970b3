"""Raw HTTP against the gateway: malformed requests get 4xx in OpenAI's error shape (never a
500), the stream is OpenAI's SSE format byte for byte, and a client that disconnects cancels
the upstream call."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_gateway import GatewayServer
from oneminai_webapi.testing import Emulator, Fault

from .conftest import ALICE

AUTH = {"Authorization": f"Bearer {ALICE}"}
HELLO = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}


async def post(url: str, body: Any = None, *, data: Any = None, headers: dict | None = None):
    async with aiohttp.ClientSession() as session:
        payload = data if data is not None else json.dumps(body).encode()
        async with session.post(url, data=payload, headers={**AUTH, **(headers or {})}) as r:
            return r.status, dict(r.headers), await r.read()


def error_of(raw: bytes) -> dict[str, Any]:
    body = json.loads(raw)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("body", "param", "fragment"),
    [
        ({**HELLO, "messages": "hello"}, "messages", "Invalid value for 'messages'"),
        ({**HELLO, "stream": "yes"}, "stream", "stream"),
        ({**HELLO, "temperature": "hot"}, "temperature", "temperature"),
        ({**HELLO, "temperature": 3}, "temperature", "temperature"),
        ({**HELLO, "n": "1"}, "n", "n"),
        ({**HELLO, "max_tokens": 0}, "max_tokens", "max_tokens"),
        (
            {**HELLO, "frobnicate": True},
            "frobnicate",
            "Unrecognized request argument supplied: frobnicate",
        ),
        ({"messages": HELLO["messages"]}, "model", "Missing required parameter: 'model'"),
        ({**HELLO, "messages": []}, "messages", "messages"),
        (
            {**HELLO, "tools": [{"type": "function", "function": {"description": "x"}}]},
            "tools",
            "tools[0].function.name",
        ),
        ({**HELLO, "tool_choice": "required"}, "tool_choice", "tool_choice"),
        ({**HELLO, "n": 3}, "n", "n must be 1"),
        (
            {**HELLO, "messages": [{"role": "user", "content": [{"type": "input_audio"}]}]},
            None,
            "audio input",
        ),
        ({**HELLO, "response_format": {"type": "yaml"}}, None, "response_format"),
    ],
)
async def test_malformed_chat_requests_are_400s(base_url, body, param, fragment) -> None:
    status, _, raw = await post(base_url + "/chat/completions", body)
    assert status == 400
    error = error_of(raw)
    assert fragment in error["message"]
    assert error["type"] == "invalid_request_error"
    if param is not None:
        assert error["param"] == param


async def test_bad_json_is_a_400(base_url) -> None:
    for raw_body in (b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"text"'):
        status, _, raw = await post(base_url + "/chat/completions", data=raw_body)
        assert status == 400, raw_body
        assert error_of(raw)["type"] == "invalid_request_error"


async def test_bodies_over_the_limit_are_refused(make_gateway, emu: Emulator) -> None:
    gateway = make_gateway(server={"max_body_bytes": 4096})
    url = gateway.base_url + "/v1/chat/completions"
    big = {**HELLO, "messages": [{"role": "user", "content": "x" * 10_000}]}
    status, _, raw = await post(url, big)
    assert status == 413 and error_of(raw)["code"] == "request_too_large"

    async def chunks():  # no Content-Length: the limit is enforced while reading
        yield json.dumps(big).encode()

    status, _, raw = await post(url, data=chunks())
    assert status == 413 and error_of(raw)["code"] == "request_too_large"

    form = aiohttp.FormData()
    form.add_field("model", "whisper-1")
    form.add_field("file", b"\x00" * 10_000, filename="a.mp3", content_type="audio/mpeg")
    status, _, raw = await post(gateway.base_url + "/v1/audio/transcriptions", data=form)
    assert status == 413
    assert [r for r in emu.requests if r.path != "/api/models"] == []


async def test_unknown_routes_methods_and_missing_keys(base_url, gateway: GatewayServer) -> None:
    status, _, raw = await post(base_url + "/completions", HELLO)
    assert status == 404 and error_of(raw)["code"] == "unknown_url"
    async with aiohttp.ClientSession() as session:
        async with session.get(base_url + "/chat/completions", headers=AUTH) as r:
            assert r.status == 405
            error_of(await r.read())
        async with session.get(base_url + "/models") as r:
            assert r.status == 401 and error_of(await r.read())["code"] == "missing_api_key"
        async with session.get(base_url + "/models", headers={"Authorization": "Basic abc"}) as r:
            assert r.status == 401
        async with session.get(gateway.base_url + "/health") as r:
            assert r.status == 200 and await r.json() == {"status": "ok"}


async def test_multipart_endpoints_check_their_forms(base_url) -> None:
    status, _, raw = await post(base_url + "/audio/transcriptions", {"model": "whisper-1"})
    assert status == 400 and "multipart" in error_of(raw)["message"]
    only_model = aiohttp.MultipartWriter("form-data")  # multipart without a file part
    only_model.append("whisper-1").set_content_disposition("form-data", name="model")
    status, _, raw = await post(base_url + "/audio/transcriptions", data=only_model)
    assert status == 400 and error_of(raw)["param"] == "file"
    form = aiohttp.FormData()
    form.add_field("model", "whisper-1")
    form.add_field("response_format", "docx")
    form.add_field("file", b"ID3", filename="a.mp3", content_type="audio/mpeg")
    status, _, raw = await post(base_url + "/audio/transcriptions", data=form)
    assert status == 400 and error_of(raw)["param"] == "response_format"
    status, _, raw = await post(base_url + "/images/generations", {"prompt": "x", "size": "big"})
    assert status == 400 and error_of(raw)["param"] == "size"
    status, _, raw = await post(
        base_url + "/audio/speech", {"model": "tts-1", "input": "hi", "voice": "alloy", "speed": 9}
    )
    assert status == 400 and error_of(raw)["param"] == "speed"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    ["model", "messages", "stream", "tools", "tool_choice", "stop", "n", "response_format",
     "stream_options", "temperature", "parallel_tool_calls", "web_search", "functions"]
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=st.dictionaries(FIELDS, JSON_VALUES, max_size=3))
def test_no_request_body_gets_a_500(gateway: GatewayServer, overrides: dict) -> None:
    body = {**HELLO, **overrides}
    status, _, raw = asyncio.run(post(gateway.base_url + "/v1/chat/completions", body))
    assert status < 500, raw
    if status >= 400:
        error_of(raw)


async def test_the_stream_is_openai_sse(base_url, emu: Emulator) -> None:
    emu.script_replies(["one two"])
    body = {**HELLO, "stream": True, "stream_options": {"include_usage": True}}
    status, headers, raw = await post(base_url + "/chat/completions", body)
    assert status == 200
    assert headers["Content-Type"].startswith("text/event-stream")
    events = raw.decode().split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-2]]
    assert all(e.startswith("data: ") for e in events[:-2])
    assert [c["choices"][0]["delta"] for c in chunks[:3]] == [
        {"role": "assistant", "content": ""},
        {"content": "one "},
        {"content": "two"},
    ]
    assert chunks[3]["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }
    assert chunks[3]["oneminai"]["credits"] == emu.config.credits_per_call
    assert chunks[4]["choices"] == [] and chunks[4]["usage"]["total_tokens"] > 0
    assert all(c["usage"] is None for c in chunks[:4])
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)


async def test_tool_call_chunks_are_shaped_like_openai(base_url, emu: Emulator) -> None:
    from .conftest import WEATHER_TOOL, tool_reply

    emu.script_replies([tool_reply("get_weather", city="Oslo")])
    body = {**HELLO, "stream": True, "tools": [WEATHER_TOOL], "tool_choice": "required"}
    _, _, raw = await post(base_url + "/chat/completions", body)
    chunks = [json.loads(e.removeprefix("data: ")) for e in raw.decode().split("\n\n")[:-2]]
    deltas = [c["choices"][0]["delta"] for c in chunks]
    head, args = deltas[1]["tool_calls"][0], deltas[2]["tool_calls"][0]
    assert head["index"] == 0 and head["type"] == "function" and head["id"].startswith("call_")
    assert head["function"] == {"name": "get_weather", "arguments": ""}
    assert args == {"index": 0, "function": {"arguments": '{"city": "Oslo"}'}}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


async def test_a_client_that_disconnects_cancels_the_upstream_stream(
    gateway: GatewayServer, emu: Emulator
) -> None:
    emu.script_replies([" ".join(f"word{i}" for i in range(60))])
    emu.inject(Fault.drip(0.05))
    body = {**HELLO, "stream": True}
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            gateway.base_url + "/v1/chat/completions", json=body, headers=AUTH
        )
        await response.content.readuntil(b"word1")  # streaming has started
        assert emu.stats.open_streams == 1
        response.close()  # hang up mid-stream (the reply needs about 3 s more)
    started = time.monotonic()
    while emu.stats.open_streams and time.monotonic() - started < 2:
        await asyncio.sleep(0.02)
    assert emu.stats.open_streams == 0
    assert time.monotonic() - started < 1.5
    gateway.flush_ledger()
    from oneminai_gateway._ledger import totals

    [row] = list(totals(gateway.config.server.ledger))
    assert row.failed == 1
