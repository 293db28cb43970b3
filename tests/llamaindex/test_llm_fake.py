"""OneMinAI against scripted fake core clients: what is sent and what comes back."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, DocumentBlock, ImageBlock, TextBlock
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.tools import FunctionTool
from llama_index.llms.oneminai import OneMinAI

CALL = '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": "2", "b": 3}}]}\n```'
TWO_CALLS = (
    '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}},'
    ' {"name": "add", "arguments": {"a": 3, "b": 4}}]}\n```'
)


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


ADD = FunctionTool.from_defaults(fn=add)
USER = [ChatMessage(role="user", content="Hello")]


def test_chat_and_complete(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("Hi there!", "Done.")
    response = fake_llm.chat(USER)
    assert response.message.content == "Hi there!"
    assert response.message.role == "assistant"
    assert response.raw["usage"]["prompt_tokens"] > 0
    assert response.raw["usage"]["completion_tokens"] > 0
    assert response.raw["record_id"] == "rec-1"
    assert fake_llm.complete("Say done").text == "Done."
    assert fake_sync.prompts == ["Hello", "Say done"]
    assert fake_sync.calls[0]["model"] == "gpt-4o"
    assert fake_sync.calls[0]["web_search"] is False


async def test_async_chat_and_complete(fake_llm: OneMinAI, fake_async: Any) -> None:
    fake_async.script("async hi", "async done")
    assert (await fake_llm.achat(USER)).message.content == "async hi"
    assert (await fake_llm.acomplete("x")).text == "async done"


def test_stream_chat_is_cumulative_with_deltas(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("The quick brown fox")
    items = list(fake_llm.stream_chat(USER))
    assert len(items) > 2
    assert all(item.delta is not None for item in items)
    assert "".join(item.delta for item in items) == "The quick brown fox"
    assert items[-1].message.content == "The quick brown fox"
    for item in items:
        assert "The quick brown fox".startswith(item.message.content)
    assert items[-1].raw["usage"]["completion_tokens"] > 0


async def test_astream_chat_and_complete(fake_llm: OneMinAI, fake_async: Any) -> None:
    assert inspect.iscoroutinefunction(OneMinAI.astream_chat)
    fake_async.script("streamed async text", "completion text")
    gen = await fake_llm.astream_chat(USER)
    items = [item async for item in gen]
    assert "".join(i.delta for i in items) == items[-1].message.content == "streamed async text"
    gen2 = await fake_llm.astream_complete("p")
    comp = [item async for item in gen2]
    assert comp[-1].text == "".join(c.delta for c in comp) == "completion text"


def test_stream_complete_and_llm_stream(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("abcdefghij", "tokens joined")
    items = list(fake_llm.stream_complete("p"))
    assert items[-1].text == "abcdefghij"
    assert "".join(i.delta for i in items) == "abcdefghij"
    assert (
        "".join(
            fake_llm.stream(
                __import__("llama_index.core.prompts", fromlist=["PromptTemplate"]).PromptTemplate(
                    "q"
                )
            )
        )
        == "tokens joined"
    )


def test_token_counting_handler_sees_usage(fake_sync: Any) -> None:
    counter = TokenCountingHandler(tokenizer=lambda text: text.split())
    llm = OneMinAI(api_key="k", client=fake_sync, callback_manager=CallbackManager([counter]))
    fake_sync.script("one two three four five six seven eight")
    llm.chat([ChatMessage(role="user", content="count these words please")])
    assert counter.prompt_llm_token_count > 0
    assert counter.completion_llm_token_count > 0


def test_per_call_options(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_llm.chat(USER, model="claude-3-5-haiku", web_search=True, num_of_site=5)
    sent = fake_sync.calls[-1]
    assert (sent["model"], sent["web_search"], sent["num_of_site"]) == ("claude-3-5-haiku", True, 5)


def test_instance_web_search_option(fake_sync: Any) -> None:
    llm = OneMinAI(api_key="k", client=fake_sync, web_search=True, num_of_site=2, max_word=300)
    llm.complete("news?")
    sent = fake_sync.calls[-1]
    assert (sent["web_search"], sent["num_of_site"], sent["max_word"]) == (True, 2, 300)


def test_attachments_are_uploaded_once(fake_llm: OneMinAI, fake_sync: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"1" * 32
    message = ChatMessage(
        role="user",
        blocks=[
            TextBlock(text="What is in the picture and the PDF?"),
            ImageBlock(image=png, image_mimetype="image/png"),
            ImageBlock(url="https://example.com/cat.jpg"),
            DocumentBlock(
                data=b"%PDF-1.4 report", title="report", document_mimetype="application/pdf"
            ),
        ],
    )
    fake_llm.chat([message])
    fake_llm.chat([message])  # same content: no second upload
    assert len(fake_sync.uploads) == 2
    image_upload, doc_upload = fake_sync.uploads
    assert image_upload["data"] == png
    assert str(image_upload["asset_type"]) in ("IMAGE", "AssetType.IMAGE")
    assert image_upload["filename"].endswith(".png")
    assert doc_upload["filename"] == "report.pdf"
    sent = fake_sync.calls[-1]
    assert sent["images"] == ["images/asset-1.png", "https://example.com/cat.jpg"]
    assert sent["files"] == ["file-2"]


async def test_async_attachments(fake_llm: OneMinAI, fake_async: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"2" * 32
    message = ChatMessage(role="user", blocks=[TextBlock(text="see"), ImageBlock(image=png)])
    await fake_llm.achat([message])
    assert fake_async.calls[-1]["images"] == ["images/asset-1.png"]


def test_chat_with_tools_returns_one_selection(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(CALL)
    response = fake_llm.chat_with_tools([ADD], user_msg="What is 2+3?")
    [selection] = fake_llm.get_tool_calls_from_response(response)
    assert selection.tool_name == "add"
    assert selection.tool_kwargs == {"a": 2, "b": 3}
    assert "add" in fake_sync.prompts[0] and "What is 2+3?" in fake_sync.prompts[0]


def test_no_tool_call(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("I just answer.")
    response = fake_llm.chat_with_tools([ADD], user_msg="hi")
    assert fake_llm.get_tool_calls_from_response(response, error_on_no_tool_call=False) == []
    with pytest.raises(ValueError, match="tool call"):
        fake_llm.get_tool_calls_from_response(response)


def test_parallel_calls_validation(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(TWO_CALLS, TWO_CALLS)
    single = fake_llm.chat_with_tools([ADD], user_msg="x", allow_parallel_tool_calls=False)
    assert len(fake_llm.get_tool_calls_from_response(single)) == 1
    both = fake_llm.chat_with_tools([ADD], user_msg="x", allow_parallel_tool_calls=True)
    assert [s.tool_kwargs for s in fake_llm.get_tool_calls_from_response(both)] == [
        {"a": 1, "b": 2},
        {"a": 3, "b": 4},
    ]


def test_required_tool_gets_one_corrective_retry(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("I refuse to use tools.", CALL)
    response = fake_llm.chat_with_tools([ADD], user_msg="x", tool_required=True)
    assert len(fake_llm.get_tool_calls_from_response(response)) == 1
    assert len(fake_sync.calls) == 2
    assert "Correction" in fake_sync.prompts[1]


def test_no_retry_when_disabled(fake_sync: Any) -> None:
    llm = OneMinAI(api_key="k", client=fake_sync, max_tool_retries=0)
    fake_sync.script("no tools")
    response = llm.chat_with_tools([ADD], user_msg="x", tool_required=True)
    assert llm.get_tool_calls_from_response(response, error_on_no_tool_call=False) == []
    assert len(fake_sync.calls) == 1


def test_stream_with_tools_buffers_the_call(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(CALL)
    items = list(fake_llm.stream_chat_with_tools([ADD], user_msg="2+3?"))
    assert all("tool_calls" not in (i.message.content or "") for i in items)
    [selection] = fake_llm.get_tool_calls_from_response(items[-1])
    assert selection.tool_kwargs == {"a": 2, "b": 3}


def test_stream_with_tools_streams_prose(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("Let me think about it. Then I answer plainly.")
    items = list(fake_llm.stream_chat_with_tools([ADD], user_msg="hi"))
    assert len(items) > 2  # prose is streamed while tools are offered
    assert "".join(i.delta for i in items) == items[-1].message.content
    assert items[-1].message.content == "Let me think about it. Then I answer plainly."


def test_stream_prose_then_call(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script("Sure, calling it.\n" + CALL)
    items = list(fake_llm.stream_chat_with_tools([ADD], user_msg="2+3?"))
    assert "".join(i.delta for i in items) == items[-1].message.content == "Sure, calling it."
    assert len(fake_llm.get_tool_calls_from_response(items[-1])) == 1


async def test_astream_with_forced_tool_retry(fake_llm: OneMinAI, fake_async: Any) -> None:
    fake_async.script("plain text", CALL)
    gen = await fake_llm.astream_chat_with_tools([ADD], user_msg="x", tool_choice="add")
    items = [i async for i in gen]
    assert len(fake_llm.get_tool_calls_from_response(items[-1])) == 1
    assert len(fake_async.calls) == 2


def test_tool_history_round_trip_prompt(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(CALL, "The answer is 5.")
    first = fake_llm.chat_with_tools([ADD], user_msg="What is 2+3?")
    [sel] = fake_llm.get_tool_calls_from_response(first)
    history = [
        ChatMessage(role="user", content="What is 2+3?"),
        first.message,
        ChatMessage(role="tool", content="5", additional_kwargs={"tool_call_id": sel.tool_id}),
    ]
    second = fake_llm.chat_with_tools([ADD], chat_history=history)
    assert second.message.content == "The answer is 5."
    prompt = fake_sync.prompts[1]
    assert sel.tool_id in prompt and "tool=add" in prompt


def test_predict_and_call(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(CALL)
    assert fake_llm.predict_and_call([ADD], user_msg="2+3").response == "5"
