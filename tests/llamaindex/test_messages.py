"""Message list -> prompt turns, and reply -> message (pure functions, no client)."""

from __future__ import annotations

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
from llama_index.llms.oneminai._messages import build_message, to_turns, tool_selections
from llama_index.llms.oneminai._request import PreparedCall, prepare_chat
from oneminai_webapi.tool_calling import ReplyOutcome, ToolCall, ToolSpec


def interpret(call: PreparedCall, text: str) -> tuple[ChatMessage, ReplyOutcome]:
    """Read a reply the way ``OneMinAI`` does: core outcome, then the LlamaIndex message."""
    outcome = call.reply.interpret(text)
    return build_message(outcome), outcome


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


def test_roles_tool_calls_and_results() -> None:
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
    turns, attachments = to_turns(messages)
    assert [t.role for t in turns] == [
        "system",
        "system",
        "user",
        "assistant",
        "tool",
        "user",
        "user",
    ]
    assert turns[3].tool_calls == (ToolCall("call_1", "add", {"a": 2, "b": 3}),)
    assert "hmm" not in turns[3].content
    assert turns[4].tool_call_id == "call_1"
    assert turns[4].name == "add"  # looked up from the assistant's call
    assert attachments == []


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
    turns, _ = to_turns(messages)
    assert turns[0].tool_calls[0].arguments == {"a": 1}
    assert turns[1].tool_calls[0] == ToolCall("c2", "add", {"b": 2})


def test_attachments_and_media_references() -> None:
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
    turns, attachments = to_turns(messages)
    assert [a.kind for a in attachments] == ["image", "image", "document"]
    assert "[attached image #1]" in turns[0].content
    assert "[attached document #3 report]" in turns[0].content
    assert "[audio: https://x.test/a.mp3]" in turns[1].content


def test_lone_user_message_is_sent_verbatim() -> None:
    call = prepare_chat([ChatMessage(role="user", content="Hello there")], {"model": "m"}, {})
    assert call.prompt == "Hello there"
    assert call.options == {"model": "m"}
    assert not call.reply.tools_active


def test_tools_are_rendered_and_options_filtered() -> None:
    call = prepare_chat(
        [ChatMessage(role="user", content="2+3?")],
        {"model": "m", "web_search": False},
        {"tools": [ADD], "web_search": True, "model": "gpt-4o", "unrelated": 1, "formatted": True},
    )
    assert "add" in call.prompt and "tool_calls" in call.prompt
    assert call.options == {"model": "gpt-4o", "web_search": True}
    assert call.reply.tool_choice == "auto" and not call.reply.call_required


def test_tool_choice_spellings() -> None:
    msgs = [ChatMessage(role="user", content="hi")]
    required = prepare_chat(msgs, {}, {"tools": [ADD], "tool_required": True})
    named = prepare_chat(
        msgs, {}, {"tools": [ADD], "tool_choice": {"type": "function", "function": {"name": "add"}}}
    )
    none = prepare_chat(msgs, {}, {"tools": [ADD], "tool_choice": "none"})
    assert required.reply.tool_choice == "required" and required.reply.call_required
    assert named.reply.tool_choice == "add" and named.reply.call_required
    assert none.reply.tool_choice == "none" and not none.reply.tools_active


def test_interpret_tool_call_with_coercion() -> None:
    call = prepare_chat([ChatMessage(role="user", content="2+3?")], {}, {"tools": [ADD]})
    message, outcome = interpret(
        call,
        '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": "2", "b": 3}}]}\n```',
    )
    assert not outcome.missing_call
    [selection] = tool_selections(message)
    assert selection.tool_name == "add"
    assert selection.tool_kwargs == {"a": 2, "b": 3}
    assert selection.tool_id.startswith("call_")
    assert message.content == ""


def test_interpret_plain_text_and_required_unsatisfied() -> None:
    msgs = [ChatMessage(role="user", content="hi")]
    auto, auto_outcome = interpret(prepare_chat(msgs, {}, {"tools": [ADD]}), "Hello!")
    assert not auto_outcome.missing_call and auto.content == "Hello!"
    assert tool_selections(auto) == []
    _, forced = interpret(prepare_chat(msgs, {}, {"tools": [ADD], "tool_required": True}), "Hello!")
    assert forced.missing_call


def test_invalid_tool_calls_are_reported() -> None:
    call = prepare_chat([ChatMessage(role="user", content="x")], {}, {"tools": [ADD]})
    message, outcome = interpret(
        call, '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": "a=1"}]}\n```'
    )
    assert tool_selections(message) == [] and outcome.malformed_call
    [invalid] = message.additional_kwargs["invalid_tool_calls"]
    assert invalid["name"] == "add" and "not valid JSON" in invalid["error"]


def test_unknown_tool_is_a_tool_selection() -> None:
    # Issue 13: like OpenAI, an unknown tool stays a call, so the agent reports "tool not
    # found" and goes on (it used to be an invalid call).
    call = prepare_chat([ChatMessage(role="user", content="x")], {}, {"tools": [ADD]})
    message, _ = interpret(
        call, '```tool_calls\n{"tool_calls": [{"name": "nope", "arguments": {}}]}\n```'
    )
    assert [(s.tool_name, s.tool_kwargs) for s in tool_selections(message)] == [("nope", {})]
    assert message.additional_kwargs["tool_calls"][0]["function"]["name"] == "nope"


def test_single_call_when_parallel_disallowed() -> None:
    msgs = [ChatMessage(role="user", content="x")]
    two_calls = (
        '```tool_calls\n{"tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}},'
        ' {"name": "add", "arguments": {"a": 3, "b": 4}}]}\n```'
    )
    options = {"tools": [ADD], "allow_parallel_tool_calls": False}
    single, _ = interpret(prepare_chat(msgs, {}, options), two_calls)
    both, _ = interpret(prepare_chat(msgs, {}, {"tools": [ADD]}), two_calls)
    assert [s.tool_kwargs for s in tool_selections(single)] == [{"a": 1, "b": 2}]
    assert [s.tool_kwargs for s in tool_selections(both)] == [{"a": 1, "b": 2}, {"a": 3, "b": 4}]


def test_json_output_is_bare_json() -> None:
    call = prepare_chat(
        [ChatMessage(role="user", content="Give me a person")],
        {},
        {"response_format": {"type": "object", "properties": {"name": {"type": "string"}}}},
    )
    assert call.reply.response_schema is not None and "JSON" in call.prompt
    message, _ = interpret(call, 'Sure!\n```json\n{"name": "Ada"}\n```')
    assert message.content == '{"name": "Ada"}'


def test_tool_spec_objects_are_accepted() -> None:
    spec = ToolSpec(name="ping", description="Ping.")
    call = prepare_chat([ChatMessage(role="user", content="x")], {}, {"tools": [spec]})
    assert call.reply.tools == (spec,)


def test_tool_error_flag_is_rendered() -> None:
    messages = [
        ChatMessage(
            role="tool", content="boom", additional_kwargs={"tool_call_id": "c1", "is_error": True}
        )
    ]
    turns, _ = to_turns(messages)
    assert turns[0].is_error
    call = prepare_chat(messages, {}, {})
    assert "Tool error" in call.prompt
