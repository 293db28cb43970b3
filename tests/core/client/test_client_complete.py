"""``client.complete()``: OpenAI-style messages in, a typed completion (or events) out.

Both clients, against the emulator: what is sent (one rendered prompt, attachments uploaded
once), how the reply is read (text, tool calls, JSON, reasoning, stop sequences), corrective
retries, and that streaming and non-streaming give the same completion.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from oneminai_webapi.completions import (
    Completion,
    ReasoningDelta,
    TextDelta,
    ToolCallDelta,
)
from oneminai_webapi.exceptions import AuthenticationError, InvalidRequestError
from oneminai_webapi.testing import Emulator
from pydantic import BaseModel

from .conftest import call

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city"],
        },
    },
}
CALL_REPLY = (
    '```tool_calls\n{"tool_calls": [{"name": "get_weather", '
    '"arguments": {"city": "Paris", "days": "2"}}]}\n```'
)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).decode()


async def events_of(client: Any, messages: list[dict[str, Any]], **kwargs: Any) -> list[Any]:
    stream = await call(client.complete(messages, stream=True, **kwargs))
    if hasattr(stream, "__aiter__"):
        return [event async for event in stream]
    return list(stream)


def text_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def chat_requests(emu: Emulator) -> list[Any]:
    return [r for r in emu.requests if r.path == "/api/chat-with-ai"]


USER = [{"role": "user", "content": "Hello"}]


async def test_a_lone_user_message_is_sent_as_is_and_read_into_a_completion(client, emu):
    out = await call(client.complete(USER))

    assert isinstance(out, Completion)
    assert out.text == "Echo from gpt-4o-mini: Hello" == str(out)
    assert (out.model, out.finish_reason, out.attempts) == ("gpt-4o-mini", "stop", 1)
    assert out.tool_calls == [] and out.reasoning is None
    assert out.record_id in emu.records
    assert out.credits_used == emu.config.credits_per_call
    assert out.usage.estimated
    assert out.usage.prompt_tokens == 2  # "Hello" → ceil(5 / 4)
    assert out.usage.completion_tokens == 7
    assert out.usage.total_tokens == 9
    [request] = chat_requests(emu)
    assert request.json["promptObject"]["prompt"] == "Hello"
    assert request.json["model"] == "gpt-4o-mini"


async def test_streamed_text_adds_up_to_the_completion_which_comes_last(client, emu):
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi there"},
    ]
    events = await events_of(client, messages, model="gpt-4o")
    final = events[-1]

    assert isinstance(final, Completion)
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    assert len(events) > 3  # really streamed, word by word
    assert text_of(events) == final.text
    assert final.text.startswith("Echo from gpt-4o: ## Instructions\nBe brief.")
    whole = await call(client.complete(messages, model="gpt-4o"))
    same = {"record_id": final.record_id, "metadata": final.metadata}
    assert final == whole.model_copy(update=same)


async def test_the_stream_sends_its_request_before_it_is_returned(client, emu):
    stream = await call(client.complete(USER, stream=True))
    try:
        assert len(chat_requests(emu)) == 1
        assert chat_requests(emu)[0].query == {"isStreaming": "true"}
    finally:
        await call(stream.aclose() if hasattr(stream, "aclose") else stream.close())


async def test_refusals_raise_when_the_stream_is_opened(make, emu):
    client = make(api_key="wrong-key")
    with pytest.raises(AuthenticationError):
        await call(client.complete(USER, stream=True))


async def test_tool_calls_are_parsed_coerced_and_streamed_as_deltas(client, emu):
    emu.script_replies([CALL_REPLY, CALL_REPLY])
    messages = [{"role": "user", "content": "Weather in Paris for 2 days?"}]

    out = await call(client.complete(messages, tools=[WEATHER]))
    events = await events_of(client, messages, tools=[WEATHER])

    assert out.finish_reason == "tool_calls" and out.text == ""
    [tool_call] = out.tool_calls
    assert (tool_call.name, tool_call.arguments) == ("get_weather", {"city": "Paris", "days": 2})
    assert tool_call.id.startswith("call_")
    deltas = [e for e in events if isinstance(e, ToolCallDelta)]
    assert [(d.index, d.name) for d in deltas] == [(0, "get_weather")]
    assert json.loads(deltas[0].arguments) == {"city": "Paris", "days": 2}
    assert deltas[0].id == events[-1].tool_calls[0].id
    assert text_of(events) == ""
    prompt = chat_requests(emu)[0].json["promptObject"]["prompt"]
    assert "### get_weather" in prompt and "```tool_calls" in prompt


async def test_a_required_call_missing_is_asked_again_invisibly(client, emu):
    emu.script_replies(["I think it is sunny.", CALL_REPLY])

    events = await events_of(
        client, [{"role": "user", "content": "Weather?"}], tools=[WEATHER], tool_choice="required"
    )

    final = events[-1]
    assert final.attempts == 2 and final.finish_reason == "tool_calls"
    assert text_of(events) == ""  # the refused first reply never reached the caller
    first, second = (r.json["promptObject"]["prompt"] for r in chat_requests(emu))
    assert "## Correction" not in first
    assert second.startswith(first) and "I think it is sunny." in second
    assert final.usage.prompt_tokens > len(first) // 4


async def test_parallel_tool_calls_off_keeps_the_first_call(client, emu):
    two = (
        '```tool_calls\n{"tool_calls": [{"name": "get_weather", "arguments": {"city": "A"}},'
        ' {"name": "get_weather", "arguments": {"city": "B"}}]}\n```'
    )
    emu.script_replies([two, two])
    messages = [{"role": "user", "content": "A and B?"}]

    both = await call(client.complete(messages, tools=[WEATHER]))
    first = await call(client.complete(messages, tools=[WEATHER], parallel_tool_calls=False))

    assert [c.arguments["city"] for c in both.tool_calls] == ["A", "B"]
    assert [c.arguments["city"] for c in first.tool_calls] == ["A"]


class City(BaseModel):
    name: str
    population: int


async def test_a_json_answer_is_extracted_from_fences_and_prose(client, emu):
    emu.script_replies(['Sure!\n```json\n{"name": "Paris", "population": 2100000}\n```'] * 2)
    messages = [{"role": "user", "content": "Describe Paris"}]

    out = await call(client.complete(messages, response_format=City))
    events = await events_of(
        client,
        messages,
        response_format={
            "type": "json_schema",
            "json_schema": {"schema": City.model_json_schema()},
        },
    )

    assert City.model_validate_json(out.text) == City(name="Paris", population=2100000)
    assert text_of(events) == out.text
    prompt = chat_requests(emu)[0].json["promptObject"]["prompt"]
    assert "## Answer format" in prompt and '"population"' in prompt


async def test_stop_sequences_cut_the_text_in_both_modes(client, emu):
    emu.script_replies(["one two STOP three four"] * 2)

    out = await call(client.complete(USER, stop=["STOP"]))
    events = await events_of(client, USER, stop="STOP")

    assert out.text == "one two "
    assert text_of(events) == "one two " == events[-1].text


async def test_a_leading_think_block_becomes_reasoning(client, emu):
    reply = "<think>\nThe user greets me.\n</think>\n\nHello to you!"
    emu.script_replies([reply, reply])

    out = await call(client.complete(USER))
    events = await events_of(client, USER)

    assert out.text == "Hello to you!"
    assert out.reasoning == "The user greets me."  # stripped, as the adapters give it
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert reasoning == out.reasoning
    assert text_of(events) == out.text
    kinds = [e.type for e in events]
    assert kinds.index("text") > max(i for i, k in enumerate(kinds) if k == "reasoning")


async def test_images_and_files_are_uploaded_once_and_attached(client, emu):
    png = f"data:image/png;base64,{PNG}"
    pdf = "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4 hello").decode()
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in these?"},
                {"type": "image_url", "image_url": {"url": png, "detail": "low"}},
                {"type": "file", "file": {"file_data": pdf, "filename": "report.pdf"}},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
            ],
        }
    ]

    out = await call(client.complete(messages))
    await call(client.complete(messages))

    uploads = [r for r in emu.requests if r.path == "/api/assets"]
    assert len(uploads) == 2  # the PNG and the PDF, once each; the URL is passed as it is
    first, second = chat_requests(emu)
    attachments = first.json["promptObject"]["attachments"]
    assert attachments == second.json["promptObject"]["attachments"]
    assert attachments["images"][1] == "https://example.com/cat.png"
    assert attachments["images"][0].startswith("images/")
    assert len(attachments["files"]) == 1
    assert "attachments: 2 image(s), 1 file(s)" in out.text
    prompt = first.json["promptObject"]["prompt"]
    assert "[image attached: image.png]" in prompt and "[file attached: report.pdf]" in prompt


async def test_a_tool_round_trip_is_rendered_with_call_ids_and_tool_names(client, emu):
    messages = [
        {"role": "developer", "content": "Use tools."},
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 25 C"},
    ]
    emu.script_replies(["It is sunny in Paris."])

    out = await call(client.complete(messages, tools=[WEATHER]))

    prompt = chat_requests(emu)[0].json["promptObject"]["prompt"]
    assert "## Instructions\nUse tools." in prompt
    assert '"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}' in prompt
    assert "[Tool result call_id=call_1 tool=get_weather]\nSunny, 25 C" in prompt
    assert (out.finish_reason, out.text) == ("stop", "It is sunny in Paris.")


async def test_web_search_reports_sources(client, emu):
    out = await call(client.complete(USER, web_search=True, num_of_site=2))

    settings = chat_requests(emu)[0].json["promptObject"]["settings"]["webSearchSettings"]
    assert settings["webSearch"] is True and settings["numOfSite"] == 2
    assert len(out.sources) == 2


async def test_a_built_in_web_search_tool_turns_web_search_on(client, emu):
    await call(client.complete(USER, tools=[{"type": "web_search"}]))

    request = chat_requests(emu)[0].json["promptObject"]
    assert request["settings"]["webSearchSettings"]["webSearch"] is True
    assert request["prompt"] == "Hello"  # no function tools: nothing to render


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"messages": []}, "must not be empty"),
        ({"messages": "hi"}, "must be a list"),
        ({"messages": [{"role": "bot", "content": "x"}]}, "messages[0].role"),
        ({"messages": [{"role": "user", "content": 3}]}, "content must be"),
        (
            {"messages": [{"role": "user", "content": [{"type": "video", "video": "x"}]}]},
            "unknown part type",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]},
            "audio input is not supported",
        ),
        (
            {
                "messages": [
                    {"role": "system", "content": [{"type": "image_url", "image_url": "x"}]}
                ]
            },
            "user messages only",
        ),
        ({"messages": [{"role": "tool", "content": "x"}]}, "tool_call_id is required"),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "image_url", "image_url": {"url": "data:image/png;base64,@@"}}
                        ],
                    }
                ]
            },
            "base64",
        ),
        ({"tools": [WEATHER], "tool_choice": "get_time"}, "names no tool"),
        ({"tool_choice": "required"}, "requires tools"),
        ({"tools": [{"type": "function", "function": {}}]}, "needs a function name"),
        ({"tools": [WEATHER, WEATHER]}, "unique"),
        ({"response_format": {"type": "yaml"}}, "response_format.type"),
        ({"stop": [1]}, "stop must be"),
        ({"parallel_tool_calls": "yes"}, "parallel_tool_calls"),
        ({"model": ""}, "model"),
    ],
)
async def test_bad_arguments_are_refused_before_anything_is_sent(client, emu, kwargs, message):
    arguments = {"messages": USER, **kwargs}
    messages = arguments.pop("messages")
    with pytest.raises(InvalidRequestError) as info:
        await call(client.complete(messages, **arguments))
    assert message in str(info.value)
    assert emu.requests == []


async def test_read_ready_hands_out_buffered_events_in_order(client, emu):
    emu.script_replies([" ".join(f"w{i}" for i in range(30))] * 2)
    plain = await events_of(client, USER)

    stream = await call(client.complete(USER, stream=True))
    batched: list[Any] = []
    sizes: list[int] = []
    iterator = stream.__aiter__() if hasattr(stream, "__aiter__") else iter(stream)
    while True:
        try:
            event = await iterator.__anext__() if hasattr(stream, "__aiter__") else next(iterator)
        except (StopIteration, StopAsyncIteration):
            break
        ready = stream.read_ready()
        batched += [event, *ready]
        sizes.append(1 + len(ready))

    assert [e.type for e in batched] == [e.type for e in plain]
    assert text_of(batched) == text_of(plain) == batched[-1].text
    if hasattr(stream, "__aiter__"):
        assert max(sizes) > 1  # several events were ready at once (one network read)
    assert stream.completion is batched[-1]
