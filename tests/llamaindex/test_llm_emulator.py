"""OneMinAI end to end: real core clients over HTTP against the 1min.AI emulator."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, ImageBlock, TextBlock
from llama_index.llms.oneminai import OneMinAI
from oneminai_webapi.exceptions import AuthenticationError

USER = [ChatMessage(role="user", content="Hello")]


def test_chat_sends_one_prompt(llm: OneMinAI, emu: Any, chat_requests: Any) -> None:
    emu.script_replies(["Hi! How can I help?"])
    response = llm.chat(
        [ChatMessage(role="system", content="Be kind."), ChatMessage(role="user", content="Hello")]
    )
    assert response.message.content == "Hi! How can I help?"
    assert response.raw["model"] == "gpt-4o-mini"
    assert response.raw["record_id"]
    [body] = chat_requests()
    prompt = body["promptObject"]["prompt"]
    assert "Be kind." in prompt and "Hello" in prompt
    assert body["model"] == "gpt-4o-mini"


def test_stream_chat(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies(["one two three four five"])
    items = list(llm.stream_chat(USER))
    assert len(items) >= 5
    assert "".join(i.delta for i in items) == items[-1].message.content == "one two three four five"
    assert items[-1].raw["usage"]["completion_tokens"] > 0


async def test_async_methods(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies(["a b c", "d e f", "g h", "i j"])
    assert (await llm.achat(USER)).message.content == "a b c"
    assert (await llm.acomplete("x")).text == "d e f"
    chat_gen = await llm.astream_chat(USER)
    chats = [i async for i in chat_gen]
    assert chats[-1].message.content == "g h" == "".join(i.delta for i in chats)
    comp_gen = await llm.astream_complete("y")
    comps = [i async for i in comp_gen]
    assert comps[-1].text == "i j" == "".join(i.delta for i in comps)


def test_async_from_several_event_loops(llm: OneMinAI, emu: Any) -> None:
    """Each loop gets its own aiohttp session, closed when that loop shuts down."""

    async def ask() -> str:
        return (await llm.acomplete("ping")).text

    assert asyncio.run(ask()).startswith("Echo from gpt-4o-mini")
    assert asyncio.run(ask()).startswith("Echo from gpt-4o-mini")


def test_web_search_and_model_override(llm: OneMinAI, emu: Any, chat_requests: Any) -> None:
    llm.complete("latest news", web_search=True, num_of_site=4, model="gpt-4o")
    [body] = chat_requests()
    search = body["promptObject"]["settings"]["webSearchSettings"]
    assert search["webSearch"] is True and search["numOfSite"] == 4
    assert body["model"] == "gpt-4o"


def test_image_attachment_is_uploaded(llm: OneMinAI, emu: Any, chat_requests: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    message = ChatMessage(
        role="user",
        blocks=[TextBlock(text="What is this?"), ImageBlock(image=png, image_mimetype="image/png")],
    )
    reply = llm.chat([message])
    assert "1 image(s)" in (reply.message.content or "")
    [body] = chat_requests()
    [key] = body["promptObject"]["attachments"]["images"]
    assert key in emu.assets


def test_bad_key_raises_on_first_request(emu: Any) -> None:
    llm = OneMinAI(api_key="wrong-key", base_url=emu.base_url, max_retries=0)
    try:
        with pytest.raises(AuthenticationError) as info:
            llm.complete("hi")
        assert "wrong-key" not in repr(info.value) and "wrong-key" not in str(info.value)
    finally:
        llm.close()


def test_tool_round_trip_over_http(llm: OneMinAI, emu: Any) -> None:
    from llama_index.core.tools import FunctionTool

    def multiply(a: int, b: int) -> int:
        """Multiply two integers."""
        return a * b

    tool = FunctionTool.from_defaults(fn=multiply)
    emu.script_replies(
        [
            '```tool_calls\n{"tool_calls": [{"name": "multiply",'
            ' "arguments": {"a": 6, "b": "7"}}]}\n```'
        ]
    )
    response = llm.chat_with_tools([tool], user_msg="6 times 7?")
    [selection] = llm.get_tool_calls_from_response(response)
    assert (selection.tool_name, selection.tool_kwargs) == ("multiply", {"a": 6, "b": 7})
