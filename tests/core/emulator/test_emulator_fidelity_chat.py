"""The emulator speaks chat as the live service does in 2026 (issue 12): the repeated answer."""

from __future__ import annotations

import aiohttp
import pytest
from oneminai_webapi.testing import Emulator

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
