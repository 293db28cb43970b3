"""Chat options through the gateway with the official ``openai`` SDK (in front of the
emulator): named ``tool_choice``, ``parallel_tool_calls``, the legacy ``functions``, the
``developer`` and ``function`` roles, URL images and file parts, ``web_search_options`` and
``reasoning_content``, each as docs/gateway.md describes them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import openai
import pytest
from oneminai_webapi.testing import Emulator
from openai import OpenAI

from .conftest import ALICE, WEATHER_TOOL, tool_reply

TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current time in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
ASK = [{"role": "user", "content": "Weather in Paris?"}]


@pytest.fixture
def client(base_url: str) -> Iterator[OpenAI]:
    with OpenAI(base_url=base_url, api_key=ALICE, max_retries=0, timeout=10) as c:
        yield c


def chat_bodies(emu: Emulator) -> list[dict]:
    return [r.json for r in emu.requests if r.path == "/api/chat-with-ai"]


def prompts(emu: Emulator) -> list[str]:
    return [b["promptObject"]["prompt"] for b in chat_bodies(emu)]


def two_calls() -> str:
    payload = {
        "tool_calls": [
            {"name": "get_weather", "arguments": {"city": "Paris"}},
            {"name": "get_time", "arguments": {"city": "Paris"}},
        ]
    }
    return "```tool_calls\n" + json.dumps(payload) + "\n```"


def test_a_named_tool_choice_is_required_and_asked_again_once(
    client: OpenAI, emu: Emulator
) -> None:
    emu.script_replies(["Let me check that for you.", tool_reply("get_time", city="Paris")])

    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=ASK,
        tools=[WEATHER_TOOL, TIME_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )

    [call] = completion.choices[0].message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_time",
        {"city": "Paris"},
    )
    assert completion.choices[0].finish_reason == "tool_calls"
    assert completion.choices[0].message.content is None  # the prose attempt never shows
    first, second = prompts(emu)
    assert "MUST call the tool `get_time`" in first
    assert "get_time" in second[len(first) :]  # the correction names the tool again
    assert completion.model_extra["oneminai"]["attempts"] == 2


def test_a_named_tool_choice_naming_no_offered_tool_is_a_400(client: OpenAI, emu: Emulator) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=ASK,
            tools=[WEATHER_TOOL],
            tool_choice={"type": "function", "function": {"name": "get_time"}},
        )
    assert "get_time" in refused.value.message
    assert chat_bodies(emu) == []  # refused before anything was sent


@pytest.mark.parametrize("stream", [False, True])
def test_parallel_tool_calls_false_keeps_one_call(
    client: OpenAI, emu: Emulator, stream: bool
) -> None:
    emu.script_replies([two_calls(), two_calls()])
    tools = [WEATHER_TOOL, TIME_TOOL]

    def calls(**options: object) -> list[tuple[str, dict]]:
        if stream:
            with client.chat.completions.stream(
                model="gpt-4o-mini", messages=ASK, tools=tools, **options
            ) as s:
                message = s.get_final_completion().choices[0].message
        else:
            message = (
                client.chat.completions.create(
                    model="gpt-4o-mini", messages=ASK, tools=tools, **options
                )
                .choices[0]
                .message
            )
        return [(c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls]

    assert calls() == [("get_weather", {"city": "Paris"}), ("get_time", {"city": "Paris"})]
    assert calls(parallel_tool_calls=False) == [("get_weather", {"city": "Paris"})]


def test_legacy_functions_and_function_call(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies(["Maybe later.", tool_reply("get_weather", city="Rome")] * 2)
    functions = [WEATHER_TOOL["function"]]
    forced = {"name": "get_weather"}

    whole = client.chat.completions.create(
        model="gpt-4o-mini", messages=ASK, functions=functions, function_call=forced
    )
    chunks = list(
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=ASK,
            functions=functions,
            function_call=forced,
            stream=True,
        )
    )

    choice = whole.choices[0]
    assert choice.finish_reason == "function_call" and choice.message.tool_calls is None
    assert choice.message.function_call is not None
    assert choice.message.function_call.name == "get_weather"
    assert json.loads(choice.message.function_call.arguments) == {"city": "Rome"}
    streamed = [
        c.choices[0].delta.function_call for c in chunks if c.choices[0].delta.function_call
    ]
    assert [f.name for f in streamed] == ["get_weather"]
    assert json.loads("".join(f.arguments or "" for f in streamed)) == {"city": "Rome"}
    assert all(c.choices[0].delta.tool_calls is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "function_call"
    assert len(chat_bodies(emu)) == 4  # the forced call was asked again once, twice


def test_developer_and_function_roles(client: OpenAI, emu: Emulator) -> None:
    messages = [
        {"role": "developer", "content": "Answer in French."},
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {"role": "function", "name": "get_weather", "content": "Sunny, 25 C"},
    ]

    client.chat.completions.create(model="gpt-4o-mini", messages=messages)

    [prompt] = prompts(emu)
    assert prompt.startswith("## Instructions\nAnswer in French.\n")
    assert '"name": "get_weather", "arguments": {"city": "Paris"}' in prompt
    assert "[Tool result tool=get_weather]\nSunny, 25 C" in prompt


def test_an_https_image_goes_as_its_url_and_a_file_part_is_uploaded(
    client: OpenAI, emu: Emulator
) -> None:
    pdf = base64.b64encode(b"%PDF-1.4 a small document").decode()
    content = [
        {"type": "text", "text": "Compare these."},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {
            "type": "file",
            "file": {"file_data": f"data:application/pdf;base64,{pdf}", "filename": "notes.pdf"},
        },
    ]

    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": content}])

    uploads = [r for r in emu.requests if r.path == "/api/assets"]
    assert len(uploads) == 1  # the file; the URL image is not downloaded by the gateway
    [body] = chat_bodies(emu)
    attachments = body["promptObject"]["attachments"]
    assert attachments["images"] == ["https://example.com/cat.png"]
    [file_ref] = attachments["files"]
    [asset] = [a for a in emu.assets.values() if file_ref in (a.uuid, a.key)]
    assert asset.data == b"%PDF-1.4 a small document"
    assert "[file attached: notes.pdf]" in body["promptObject"]["prompt"]


def test_web_search_options_turn_web_search_on(client: OpenAI, emu: Emulator) -> None:
    client.chat.completions.create(model="gpt-4o-mini", messages=ASK, web_search_options={})
    client.chat.completions.create(model="gpt-4o-mini", messages=ASK)

    searches = [
        b["promptObject"]["settings"]["webSearchSettings"]["webSearch"] for b in chat_bodies(emu)
    ]
    assert searches == [True, False]


def test_reasoning_content_in_the_message_and_in_stream_deltas(
    client: OpenAI, emu: Emulator
) -> None:
    reply = "<think>2 and 2 make 4.</think>The answer is 4."
    emu.script_replies([reply, reply])

    whole = client.chat.completions.create(model="gpt-4o-mini", messages=ASK)
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=ASK, stream=True))

    message = whole.choices[0].message
    assert message.content == "The answer is 4."
    assert message.model_extra["reasoning_content"] == "2 and 2 make 4."
    deltas = [c.choices[0].delta for c in chunks]
    reasoning = "".join((d.model_extra or {}).get("reasoning_content") or "" for d in deltas)
    assert reasoning == "2 and 2 make 4."
    assert "".join(d.content or "" for d in deltas) == "The answer is 4."
    first_text = next(i for i, d in enumerate(deltas) if d.content)
    assert all(not (d.model_extra or {}).get("reasoning_content") for d in deltas[first_text:])
