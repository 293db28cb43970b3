"""The emulator speaks chat as the live service does in 2026 (issue 12)."""

from __future__ import annotations

import json

import aiohttp
import pytest
from oneminai_webapi.testing import Emulator, Fault

from .conftest import chat_body, parse_sse


async def stream_events(emu: Emulator, session: aiohttp.ClientSession, model: str) -> list:
    url = f"{emu.base_url}/api/chat-with-ai?isStreaming=true"
    resp = await session.post(
        url, json=chat_body("Hi there", model=model), headers=emu.official_headers
    )
    assert resp.status == 200
    return parse_sse(await resp.read())


async def test_gpt5_streams_repeat_the_whole_answer_as_the_last_content_event(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    events = await stream_events(emu, session, "gpt-5")
    contents = [data["content"] for name, data in events if name == "content"]
    answer = "Echo from gpt-5: Hi there"
    assert "".join(contents[:-1]) == answer and contents[-1] == answer
    assert [name for name, _ in events][-2:] == ["result", "done"]
    assert events[-2][1]["aiRecord"]["aiRecordDetail"]["resultObject"] == [answer]


async def test_other_models_do_not_repeat_by_default(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    events = await stream_events(emu, session, "gpt-4o-mini")
    contents = [data["content"] for name, data in events if name == "content"]
    assert "".join(contents) == "Echo from gpt-4o-mini: Hi there"


@pytest.mark.onemin_emulator(repeat_answer_models=("",))
async def test_the_repeat_can_be_switched_on_for_every_model(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    events = await stream_events(emu, session, "gpt-4o-mini")
    contents = [data["content"] for name, data in events if name == "content"]
    assert contents[-1] == "".join(contents[:-1]) == "Echo from gpt-4o-mini: Hi there"


@pytest.mark.onemin_emulator(repeat_answer_models=())
async def test_and_off_for_every_model(emu: Emulator, session: aiohttp.ClientSession) -> None:
    events = await stream_events(emu, session, "gpt-5")
    contents = [data["content"] for name, data in events if name == "content"]
    assert "".join(contents) == "Echo from gpt-5: Hi there"


# ── errors as the service sends them ────────────────────────────────────────────────


async def test_moderation_trigger_answers_a_code_and_message_record(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    url = f"{emu.base_url}/api/chat-with-ai"
    body = chat_body("Write [moderate-me]")
    plain = await (await session.post(url, json=body, headers=emu.official_headers)).json()
    [item] = plain["aiRecord"]["aiRecordDetail"]["resultObject"]
    assert set(item) == {"code", "message"} and plain["aiRecord"]["status"] == "SUCCESS"
    resp = await session.post(f"{url}?isStreaming=true", json=body, headers=emu.official_headers)
    events = parse_sse(await resp.read())
    assert [name for name, _ in events] == ["result", "done"]
    assert events[0][1]["aiRecord"]["aiRecordDetail"]["resultObject"] == [item]


async def test_provider_error_fault_has_the_live_shape(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    emu.inject(Fault.provider_error("bad size"), path="/api/features")
    resp = await session.post(
        f"{emu.base_url}/api/features", json={"type": "x"}, headers=emu.official_headers
    )
    body = await resp.json()
    assert resp.status == 400 and body["errorCode"] == "EXTERNAL_API_RESPONSE_WITH_ERROR"
    assert isinstance(body["details"], str) and json.loads(body["details"])["message"] == "bad size"


async def test_an_unknown_result_is_a_null_record(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    resp = await session.get(f"{emu.base_url}/api/results/unknown", headers=emu.official_headers)
    assert resp.status == 200 and await resp.json() == {"aiRecord": None}
