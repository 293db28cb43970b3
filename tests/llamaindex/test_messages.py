"""LlamaIndex messages -> ``complete()`` messages -> prompt, and reply -> message.

``OneMinAI`` only translates: the prompt is rendered and the reply read by the core client's
``complete()``. These tests check the translation directly (``to_messages``) and, through a
scripted client, the prompt that reaches 1min.AI and the message that comes back.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    CacheControl,
    CachePoint,
    ChatMessage,
    DocumentBlock,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.llms.oneminai import OneMinAI
from llama_index.llms.oneminai._messages import to_messages, tool_selections
from oneminai_webapi.integrations import ChatAttachment
from oneminai_webapi.tool_calling import ToolSpec

ADD = {
    "type": "function",
    "function": {
        "name": "add",
        "description": "Add two integers.",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
        },
    },
}
HI = [ChatMessage(role="user", content="hi")]


def test_roles_tool_calls_and_results(fake_llm: OneMinAI, fake_sync: Any) -> None:
    messages = [
        ChatMessage(role="system", content="Be brief."),
        ChatMessage(role="developer", content="Use tools."),
        ChatMessage(role="user", content="What is 2+3?"),
        ChatMessage(
            role="assistant",
            blocks=[
                TextBlock(text=""),
                ThinkingBlock(content="hmm"),
                ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs={"a": 2, "b": 3}),
            ],
        ),
        ChatMessage(role="tool", content="5", additional_kwargs={"tool_call_id": "call_1"}),
        ChatMessage(role="user", content="Thanks"),
        ChatMessage(role="user", content="again"),
    ]
    converted = to_messages(messages)
    assert [m["role"] for m in converted] == [
        "system",
        "system",
        "user",
        "assistant",
        "tool",
        "user",
        "user",
    ]
    assert converted[3]["tool_calls"] == [
        {"id": "call_1", "function": {"name": "add", "arguments": {"a": 2, "b": 3}}}
    ]
    assert "hmm" not in str(converted[3]["content"])
    assert converted[4]["tool_call_id"] == "call_1"
    fake_llm.chat(messages)
    prompt = fake_sync.prompts[-1]
    assert "[Tool result call_id=call_1 tool=add]\n5" in prompt  # name from the assistant's call
    assert "hmm" not in prompt
    assert fake_sync.uploads == []


def test_string_tool_kwargs_and_legacy_openai_tool_calls() -> None:
    messages = [
        ChatMessage(
            role="assistant",
            blocks=[ToolCallBlock(tool_call_id="c1", tool_name="add", tool_kwargs='{"a": 1}')],
        ),
        ChatMessage(
            role="assistant",
            content="",
            additional_kwargs={
                "tool_calls": [
                    {
                        "id": "c2",
                        "type": "function",
                        "function": {"name": "add", "arguments": '{"b": 2}'},
                    }
                ]
            },
        ),
    ]
    first, second = to_messages(messages)
    assert first["tool_calls"][0]["function"]["arguments"] == {"a": 1}
    assert second["tool_calls"] == [
        {"id": "c2", "function": {"name": "add", "arguments": {"b": 2}}}
    ]


def test_attachments_and_media_references(fake_llm: OneMinAI, fake_sync: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 16
    messages = [
        ChatMessage(
            role="user",
            blocks=[
                TextBlock(text="Describe these"),
                ImageBlock(image=png, image_mimetype="image/png"),
                ImageBlock(url="https://example.com/cat.jpg"),
                DocumentBlock(
                    data=b"%PDF-1.4 hello", title="report", document_mimetype="application/pdf"
                ),
                CachePoint(cache_control=CacheControl(type="ephemeral")),
            ],
        ),
        ChatMessage(
            role="tool",
            blocks=[TextBlock(text="done"), AudioBlock(url="https://x.test/a.mp3")],
            additional_kwargs={"tool_call_id": "c9"},
        ),
    ]
    user, tool = to_messages(messages)
    attachments = [p for p in user["content"] if isinstance(p, ChatAttachment)]
    assert [a.kind for a in attachments] == ["image", "image", "file"]
    assert tool["content"] == "done\n[audio: https://x.test/a.mp3]"
    fake_llm.chat(messages)
    prompt = fake_sync.prompts[-1]
    assert "Describe these\n[image attached: " in prompt
    assert "[file attached: report.pdf]" in prompt
    assert "[audio: https://x.test/a.mp3]" in prompt
    assert len(fake_sync.uploads) == 2  # the URL image is passed through


def test_lone_user_message_is_sent_verbatim(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_llm.chat([ChatMessage(role="user", content="Hello there")])
    assert fake_sync.prompts == ["Hello there"]
    assert fake_sync.calls[0]["model"] == "gpt-4o"


def test_tools_are_rendered_and_options_filtered(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_llm.chat(
        [ChatMessage(role="user", content="2+3?")],
        tools=[ADD],
        web_search=True,
        model="gpt-4o-mini",
        unrelated=1,
        formatted=True,
    )
    [sent] = fake_sync.calls
    assert "add" in sent["prompt"] and "tool_calls" in sent["prompt"]
    assert "MUST call" not in sent["prompt"]  # tool_choice "auto"
    assert (sent["model"], sent["web_search"]) == ("gpt-4o-mini", True)
    assert "unrelated" not in sent and "formatted" not in sent


def test_tool_choice_spellings(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script('{"a": 1, "b": 2}', '{"a": 1, "b": 2}', "no")
    fake_llm.chat(HI, tools=[ADD], tool_required=True)
    named = {"type": "function", "function": {"name": "add"}}
    fake_llm.chat(HI, tools=[ADD], tool_choice=named)
    fake_llm.chat(HI, tools=[ADD], tool_choice="none")
    required, forced, none = fake_sync.prompts
    assert "MUST call" in required
    assert "MUST call the tool `add`" in forced
    assert "MUST call" not in none and "Add two integers." not in none  # no tool offered


def test_tool_call_with_coercion(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script(
        '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": "2", "b": 3}}]}\n```'
    )
    message = fake_llm.chat([ChatMessage(role="user", content="2+3?")], tools=[ADD]).message
    [selection] = tool_selections(message)
    assert selection.tool_name == "add"
    assert selection.tool_kwargs == {"a": 2, "b": 3}
    assert selection.tool_id.startswith("call_")
    assert message.content == ""


def test_plain_text_and_required_unsatisfied(fake_sync: Any) -> None:
    llm = OneMinAI(api_key="k", client=fake_sync, max_tool_retries=0)
    fake_sync.script("Hello!", "Hello!")
    auto = llm.chat(HI, tools=[ADD]).message
    assert auto.content == "Hello!" and tool_selections(auto) == []
    forced = llm.chat(HI, tools=[ADD], tool_required=True).message
    assert tool_selections(forced) == [] and len(fake_sync.calls) == 2


def test_invalid_tool_calls_are_reported(fake_llm: OneMinAI, fake_sync: Any) -> None:
    bad = '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": "a=1"}]}\n```'
    fake_sync.script(bad, bad)  # a call that cannot be read gets one corrective retry
    message = fake_llm.chat([ChatMessage(role="user", content="x")], tools=[ADD]).message
    assert tool_selections(message) == []
    [invalid] = message.additional_kwargs["invalid_tool_calls"]
    assert invalid["name"] == "add" and "not valid JSON" in invalid["error"]


def test_unknown_tool_is_a_tool_selection(fake_llm: OneMinAI, fake_sync: Any) -> None:
    # Issue 13: like OpenAI, an unknown tool stays a call, so the agent reports "tool not
    # found" and goes on (it used to be an invalid call).
    fake_sync.script('```tool_calls\n{"tool_calls": [{"name": "nope", "arguments": {}}]}\n```')
    message = fake_llm.chat([ChatMessage(role="user", content="x")], tools=[ADD]).message
    assert [(s.tool_name, s.tool_kwargs) for s in tool_selections(message)] == [("nope", {})]
    assert message.additional_kwargs["tool_calls"][0]["function"]["name"] == "nope"


def test_single_call_when_parallel_disallowed(fake_llm: OneMinAI, fake_sync: Any) -> None:
    two_calls = (
        '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}},'
        ' {"name": "add", "arguments": {"a": 3, "b": 4}}]}\n```'
    )
    fake_sync.script(two_calls, two_calls)
    msgs = [ChatMessage(role="user", content="x")]
    single = fake_llm.chat(msgs, tools=[ADD], allow_parallel_tool_calls=False).message
    both = fake_llm.chat(msgs, tools=[ADD]).message
    assert [s.tool_kwargs for s in tool_selections(single)] == [{"a": 1, "b": 2}]
    assert [s.tool_kwargs for s in tool_selections(both)] == [{"a": 1, "b": 2}, {"a": 3, "b": 4}]


def test_json_output_is_bare_json(fake_llm: OneMinAI, fake_sync: Any) -> None:
    fake_sync.script('Sure!\n```json\n{"name": "Ada"}\n```')
    schema = {"type": "object", "properties": {"name": {"type": "string"}}}
    message = fake_llm.chat(
        [ChatMessage(role="user", content="Give me a person")], response_format=schema
    ).message
    assert "JSON" in fake_sync.prompts[0]
    assert message.content == '{"name": "Ada"}'


def test_tool_spec_objects_are_accepted(fake_llm: OneMinAI, fake_sync: Any) -> None:
    spec = ToolSpec(name="ping", description="Ping.")
    fake_llm.chat([ChatMessage(role="user", content="x")], tools=[spec])
    assert "ping" in fake_sync.prompts[0] and "Ping." in fake_sync.prompts[0]


def test_tool_error_flag_is_rendered(fake_llm: OneMinAI, fake_sync: Any) -> None:
    messages = [
        ChatMessage(
            role="tool", content="boom", additional_kwargs={"tool_call_id": "c1", "is_error": True}
        )
    ]
    assert to_messages(messages)[0]["is_error"] is True
    fake_llm.chat(messages)
    assert "Tool error" in fake_sync.prompts[0]
