"""ChatOneMinAI against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import tool
from langchain_oneminai import ChatOneMinAI
from oneminai_webapi.exceptions import BadRequestError, ContentFilteredError
from oneminai_webapi.testing import Emulator, Fault

CALL = (
    '```tool_calls\n{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}\n```'
)
ANSWER = "Paris is the capital of France."


def make(emu: Emulator, **kwargs: Any) -> ChatOneMinAI:
    kwargs.setdefault("model", "gpt-5")  # the service repeats the answer for gpt-5.x
    return ChatOneMinAI(api_key="test-key", base_url=emu.base_url, **kwargs)


def aggregate(chunks: list[BaseMessage]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk  # type: ignore[operator]
    assert isinstance(full, AIMessageChunk)
    return full


# ── #1 the repeated final content event ──────────────────────────────────────────────


def test_stream_is_not_doubled(emulator: Emulator) -> None:
    emulator.script_replies([ANSWER])
    assert aggregate(list(make(emulator).stream("Capital?"))).content == ANSWER


async def test_astream_is_not_doubled(emulator: Emulator) -> None:
    emulator.script_replies([ANSWER])
    chunks = [chunk async for chunk in make(emulator).astream("Capital?")]
    assert aggregate(chunks).content == ANSWER


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_streamed_agent_executes_the_tool_call_once(emulator: Emulator, mode: str) -> None:
    from langchain.agents import create_agent

    calls: list[str] = []

    @tool
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        calls.append(city)
        return f"Sunny in {city}"

    emulator.script_replies([CALL, "It is sunny in Paris."])
    # streaming=True: the agent's model calls go through _stream/_astream.
    agent = create_agent(make(emulator, streaming=True), tools=[get_weather])
    request = {"messages": [HumanMessage("Weather in Paris?")]}
    messages: list[BaseMessage] = []
    if mode == "sync":
        for update in agent.stream(request, stream_mode="values"):
            messages = update["messages"]
    else:
        async for update in agent.astream(request, stream_mode="values"):
            messages = update["messages"]
    assert calls == ["Paris"]
    assert isinstance(messages[1], AIMessage) and len(messages[1].tool_calls) == 1
    assert [type(m) for m in messages].count(ToolMessage) == 1
    assert messages[-1].content == "It is sunny in Paris."


# ── #4 errors ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("mode", ["invoke", "stream", "ainvoke", "astream"])
async def test_moderation_propagates_as_a_typed_error(emulator: Emulator, mode: str) -> None:
    llm = make(emulator, model="gpt-4o-mini")
    with pytest.raises(ContentFilteredError):
        if mode == "invoke":
            llm.invoke("Say it [moderate-me]")
        elif mode == "stream":
            list(llm.stream("Say it [moderate-me]"))
        elif mode == "ainvoke":
            await llm.ainvoke("Say it [moderate-me]")
        else:
            [chunk async for chunk in llm.astream("Say it [moderate-me]")]


def test_a_provider_refusal_propagates_with_its_reason(emulator: Emulator) -> None:
    emulator.inject(Fault.provider_error("context too long"), path="/api/chat-with-ai")
    with pytest.raises(BadRequestError) as info:
        make(emulator).invoke("hi")
    assert info.value.provider_detail == "context too long"
