"""ChatOneMinAI against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from langchain_core.load import dumps
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import tool
from langchain_oneminai import ChatOneMinAI, get_oneminai_callback
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


# ── #5 credits ───────────────────────────────────────────────────────────────────────


def credits_of(message: BaseMessage) -> tuple[Any, Any, Any]:
    meta = message.response_metadata
    return meta.get("credits_used"), meta.get("input_credits"), meta.get("output_credits")


def test_response_metadata_reports_credits(emulator: Emulator) -> None:
    emulator.config.credits_per_call = 56
    llm = make(emulator, model="gpt-4o-mini")
    for message in (llm.invoke("Hello"), aggregate(list(llm.stream("Hello")))):
        used, given, produced = credits_of(message)
        assert used == 56 and given + produced == 56


def test_corrective_retries_add_up_their_credits(emulator: Emulator) -> None:
    @tool
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        return city

    emulator.script_replies(["no call here", CALL])
    message = make(emulator).bind_tools([get_weather], tool_choice="any").invoke("Weather?")
    assert message.response_metadata["corrective_retries"] == 1
    assert credits_of(message)[0] == 200  # two requests of 100


def test_callback_sums_credits_and_requests_across_a_block(emulator: Emulator) -> None:
    llm = make(emulator, model="gpt-4o-mini")
    with get_oneminai_callback() as cb:
        llm.invoke("one")
        list(llm.stream("two"))
        with get_oneminai_callback() as inner:
            llm.invoke("three")
    llm.invoke("outside")
    assert (cb.total_credits, cb.successful_requests) == (300, 3)
    assert cb.input_credits + cb.output_credits == 300
    assert (inner.total_credits, inner.successful_requests) == (100, 1)
    assert "Credits used: 300" in repr(cb)


async def test_callback_works_in_async_code_and_tasks(emulator: Emulator) -> None:
    llm = make(emulator, model="gpt-4o-mini")
    async with get_oneminai_callback() as cb:
        await asyncio.gather(llm.ainvoke("a"), llm.ainvoke("b"))
        [chunk async for chunk in llm.astream("c")]
    assert (cb.total_credits, cb.successful_requests) == (300, 3)


def test_callbacks_of_other_threads_stay_separate(emulator: Emulator) -> None:
    llm = make(emulator, model="gpt-4o-mini")
    results: dict[int, int] = {}

    def work(n: int) -> None:
        with get_oneminai_callback() as cb:
            for _ in range(n):
                llm.invoke("hi")
        results[n] = cb.total_credits

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {1: 100, 2: 200, 3: 300}


def test_callback_ignores_other_providers() -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    with get_oneminai_callback() as cb:
        FakeListChatModel(responses=["hi"]).invoke("x")
    assert (cb.total_credits, cb.successful_requests) == (0, 0)


# ── #6 web-search sources ────────────────────────────────────────────────────────────


@pytest.mark.parametrize("mode", ["invoke", "stream"])
def test_sources_reach_response_metadata_as_plain_dicts(emulator: Emulator, mode: str) -> None:
    llm = make(emulator, model="gpt-4o-mini").bind_tools([{"type": "web_search"}])
    if mode == "invoke":
        message: BaseMessage = llm.invoke("Mars news")
    else:
        message = aggregate(list(llm.stream("Mars news")))
    sources = message.response_metadata["sources"]
    assert len(sources) == 3 and all(type(s) is dict for s in sources)
    assert sources[0]["url"].startswith("https://example.com/search/1") and sources[0]["title"]
    assert json.loads(dumps(message))  # serialisable, as LangChain tracing needs
