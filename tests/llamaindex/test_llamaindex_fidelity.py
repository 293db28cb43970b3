"""OneMinAI against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.llms.oneminai import OneMinAI
from oneminai_webapi.exceptions import BadRequestError, ContentFilteredError
from oneminai_webapi.testing import Fault

EMULATOR_KEY = "test-key"  # the shared emulator's key (conftest)

USER = [ChatMessage(role="user", content="Capital of France?")]
ANSWER = "Paris is the capital of France."


@pytest.fixture
def gpt5(emu: Any) -> Iterator[OneMinAI]:
    """A gpt-5 model: the service (and the emulator) repeat its streamed answer."""
    model = OneMinAI(model="gpt-5", api_key=EMULATOR_KEY, base_url=emu.base_url)
    yield model
    model.close()


# ── #1 the repeated final content event ──────────────────────────────────────────────


def test_stream_chat_is_not_doubled(gpt5: OneMinAI, emu: Any) -> None:
    emu.script_replies([ANSWER])
    items = list(gpt5.stream_chat(USER))
    assert "".join(i.delta or "" for i in items) == ANSWER
    assert items[-1].message.content == ANSWER


async def test_astream_chat_is_not_doubled(gpt5: OneMinAI, emu: Any) -> None:
    emu.script_replies([ANSWER])
    items = [i async for i in await gpt5.astream_chat(USER)]
    assert "".join(i.delta or "" for i in items) == ANSWER
    assert items[-1].message.content == ANSWER


# ── #4 errors ────────────────────────────────────────────────────────────────────────

MODERATED = [ChatMessage(role="user", content="Say it [moderate-me]")]


@pytest.mark.parametrize("mode", ["chat", "stream_chat", "achat", "astream_chat"])
async def test_moderation_propagates_as_a_typed_error(llm: OneMinAI, mode: str) -> None:
    with pytest.raises(ContentFilteredError):
        if mode == "chat":
            llm.chat(MODERATED)
        elif mode == "stream_chat":
            list(llm.stream_chat(MODERATED))
        elif mode == "achat":
            await llm.achat(MODERATED)
        else:
            [item async for item in await llm.astream_chat(MODERATED)]


def test_a_provider_refusal_propagates_with_its_reason(llm: OneMinAI, emu: Any) -> None:
    emu.inject(Fault.provider_error("context too long"), path="/api/chat-with-ai")
    with pytest.raises(BadRequestError) as info:
        llm.chat(USER)
    assert info.value.provider_detail == "context too long"


# ── #5 credits ───────────────────────────────────────────────────────────────────────


def _credits(mapping: dict[str, Any]) -> tuple[Any, Any, Any]:
    return (
        mapping.get("credits_used"),
        mapping.get("input_credits"),
        mapping.get("output_credits"),
    )


def test_chat_and_complete_report_credits(llm: OneMinAI) -> None:
    for response in (llm.chat(USER), llm.complete("Hello")):
        used, given, produced = _credits(response.raw)
        assert used == 100 and given + produced == 100
        assert _credits(response.additional_kwargs) == (used, given, produced)


async def test_streams_report_credits_on_the_final_item(llm: OneMinAI) -> None:
    items = list(llm.stream_chat(USER))
    assert _credits(items[-1].raw)[0] == 100 and items[-1].additional_kwargs["credits_used"] == 100
    assert all(not i.additional_kwargs for i in items[:-1])
    aitems = [i async for i in await llm.astream_complete("Hello")]
    assert _credits(aitems[-1].raw)[0] == 100
    assert _credits(aitems[-1].additional_kwargs)[0] == 100


# ── #6 web-search sources ────────────────────────────────────────────────────────────


def test_sources_reach_raw_as_plain_dicts(llm: OneMinAI) -> None:
    response = llm.chat(USER, web_search=True)
    sources = response.raw["sources"]
    assert len(sources) == 3 and all(type(s) is dict for s in sources)
    assert sources[0]["url"].startswith("https://example.com/search/1") and sources[0]["title"]
    final = list(llm.stream_chat(USER, web_search=True))[-1]
    assert [s["url"] for s in final.raw["sources"]] == [s["url"] for s in sources]


async def test_the_web_search_tool_lists_titles_and_urls(emu: Any) -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    spec = OneMinAIToolSpec(api_key=EMULATOR_KEY, base_url=emu.base_url)
    try:
        emu.script_replies(["It is sunny.", "It is sunny."])
        tools = {tool.metadata.name: tool for tool in spec.to_tool_list()}
        ask = tools["oneminai_ask"]
        for output in (
            ask.call(prompt="Weather in Paris?", web_search=True),
            await ask.acall(prompt="Weather in Paris?", web_search=True),
        ):
            lines = output.content.split("Sources:\n", 1)[1].splitlines()
            assert len(lines) == 3
            assert lines[0].startswith("[1] Search result 1 for Weather in Paris? https://")
            sources = output.raw_output.artifact["sources"]
            assert [f"[{n}] {s['title']} {s['url']}" for n, s in enumerate(sources, 1)] == lines
    finally:
        await spec.aclose()
