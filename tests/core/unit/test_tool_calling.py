"""Tests for the framework-agnostic emulated tool calling (``oneminai_webapi.tool_calling``)."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from itertools import count
from pathlib import Path

import oneminai_webapi.tool_calling as tool_calling
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_webapi.tool_calling import (
    InvalidToolCall,
    ToolCall,
    ToolSpec,
    Turn,
    coerce_arguments,
    corrective_prompt,
    extract_json,
    json_corrective_prompt,
    new_call_id,
    normalize_tool_choice,
    parse_reply,
    render_prompt,
    stream_safe_prefix,
)

MAGIC = ToolSpec.from_openai(
    {
        "type": "function",
        "function": {
            "name": "magic_function",
            "description": "Applies a magic function to an input.",
            "parameters": {
                "type": "object",
                "properties": {"input": {"type": "integer"}},
                "required": ["input"],
            },
        },
    }
)
NO_ARGS = ToolSpec.from_openai(
    {
        "name": "magic_function_no_args",
        "description": "Calculates a magic function.",
        "parameters": {"type": "object", "properties": {}},
    }
)
WEATHER = ToolSpec(
    name="get_weather",
    description="Get the weather for a location.",
    parameters={
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer"},
            "detailed": {"type": "boolean"},
        },
        "required": ["location"],
    },
)
TOOLS = [MAGIC, NO_ARGS, WEATHER]
CALL_ID = re.compile(r"^call_[0-9a-f]{24}$")
CALL_JSON = '{"tool_calls": [{"name": "magic_function", "arguments": {"input": 3}}]}'
FENCED = "```tool_calls\n" + CALL_JSON + "\n```"


def only_call(text: str, tools: list[ToolSpec] = TOOLS) -> ToolCall:
    reply = parse_reply(text, tools)
    assert reply.invalid_tool_calls == [], reply
    assert len(reply.tool_calls) == 1, reply
    return reply.tool_calls[0]


REFERENCE_PAGE = Path(__file__).resolve().parents[3] / "docs" / "reference" / "tool_calling.md"
PUBLIC_API = {
    "InvalidToolCall", "ParsedReply", "ReasoningSplit", "ReplyAssembler", "ReplyDelta",
    "ReplyOutcome", "ReplyPlan", "ToolCall", "ToolSpec", "Turn", "coerce_arguments",
    "corrective_prompt", "extract_json", "json_corrective_prompt", "malformed_call_prompt",
    "new_call_id", "normalize_tool_choice", "parse_reply", "render_prompt", "schema_errors",
    "split_reasoning", "stream_safe_prefix", "unwrap_response_format",
}  # fmt: skip


# ---------------------------------------------------------------- the package itself


def test_public_api_is_exported_and_documented() -> None:
    assert set(tool_calling.__all__) == PUBLIC_API
    for name in PUBLIC_API:
        assert getattr(tool_calling, name).__module__.startswith("oneminai_webapi.tool_calling")
    assert tool_calling.Turn("user", "hi").role == "user"
    assert tool_calling.Role is not None  # the type of Turn.role stays importable
    # The reference page lists its members explicitly (to keep their reading order): it must
    # name every public object, and nothing else.
    listed = re.findall(r"^ {8}- (\w+)$", REFERENCE_PAGE.read_text(encoding="utf-8"), re.M)
    assert sorted(listed) == sorted(PUBLIC_API)


def test_import_stays_light() -> None:
    code = (
        "import sys, oneminai_webapi.tool_calling; "
        "print(sorted(m for m in ('aiohttp', 'requests', 'pydantic', 'secrets', 'langchain_core',"
        " 'llama_index') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- ToolSpec / small helpers


def test_tool_spec_from_openai_shapes() -> None:
    assert MAGIC.name == "magic_function"
    assert MAGIC.description.startswith("Applies")
    assert MAGIC.parameters["properties"]["input"] == {"type": "integer"}
    bare = ToolSpec.from_openai({"name": "x"})
    assert bare.parameters == {"type": "object", "properties": {}}
    anthropic = ToolSpec.from_openai(
        {"name": "y", "input_schema": {"type": "object", "properties": {"a": {}}}}
    )
    assert "a" in anthropic.parameters["properties"]
    with pytest.raises(ValueError, match="no name"):
        ToolSpec.from_openai({"type": "function", "function": {"description": "d"}})


def test_new_call_id_unique_and_shaped() -> None:
    ids = {new_call_id() for _ in range(500)}
    assert len(ids) == 500
    assert all(CALL_ID.match(i) for i in ids)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, "auto"),
        ("auto", "auto"),
        ("any", "required"),
        ("required", "required"),
        (True, "required"),
        ("none", "none"),
        (False, "none"),
        ("magic_function", "magic_function"),
        ("not_a_tool", "required"),
        ({"type": "function", "function": {"name": "magic_function"}}, "magic_function"),
        ({"type": "tool", "name": "magic_function"}, "magic_function"),
        ({"type": "any"}, "required"),
        ({"type": "auto"}, "auto"),
        ({"type": "none"}, "none"),
        ({"type": "function"}, "required"),
        ({}, "required"),
    ],
)
def test_normalize_tool_choice(choice: object, expected: str) -> None:
    assert normalize_tool_choice(choice, TOOLS) == expected


# ---------------------------------------------------------------- parsing: accepted shapes


@pytest.mark.parametrize(
    "reply",
    [
        # the documented protocol
        FENCED,
        # bare protocol object
        '{"tool_calls": [{"name": "magic_function", "arguments": {"input": 3}}]}',
        # json fence
        '```json\n{"name": "magic_function", "arguments": {"input": 3}}\n```',
        # unlabeled fence, one line
        '```{"name": "magic_function", "arguments": {"input": 3}}```',
        # bare OpenAI-like call
        '{"name": "magic_function", "arguments": {"input": 3}}',
        # arguments as a JSON string (OpenAI wire format)
        '{"name": "magic_function", "arguments": "{\\"input\\": 3}"}',
        # nested "function" object
        '{"type": "function", "function": {"name": "magic_function", '
        '"arguments": "{\\"input\\":3}"}}',
        # alternative argument keys
        '{"name": "magic_function", "parameters": {"input": 3}}',
        '{"name": "magic_function", "args": {"input": 3}}',
        '{"type": "tool_use", "name": "magic_function", "input": {"input": 3}}',
        '{"tool": "magic_function", "tool_input": {"input": 3}}',
        # arguments inline next to the name
        '{"name": "magic_function", "input": 3}',
        # {tool_name: arguments}
        '{"magic_function": {"input": 3}}',
        # Qwen/Hermes style tags
        '<tool_call>\n{"name": "magic_function", "arguments": {"input": 3}}\n</tool_call>',
        # list of one call
        '[{"name": "magic_function", "arguments": {"input": 3}}]',
        # tool_calls holding a single object instead of a list
        '{"tool_calls": {"name": "magic_function", "arguments": {"input": 3}}}',
        # trailing comma / Python literal
        '{"name": "magic_function", "arguments": {"input": 3},}',
        "{'name': 'magic_function', 'arguments': {'input': 3}}",
        # stringly-typed numbers are coerced
        '{"name": "magic_function", "arguments": {"input": "3"}}',
        '{"name": "magic_function", "arguments": {"input": 3.0}}',
        '{"name": "magic_function", "arguments": {"input": " 3 "}}',
        # unclosed fence (truncated reply / stop sequence)
        '```tool_calls\n{"tool_calls": [{"name": "magic_function", "arguments": {"input": 3}}]}',
        # case / prefix differences in the tool name
        '{"name": "functions.magic_function", "arguments": {"input": 3}}',
        '{"name": "Magic_Function", "arguments": {"input": 3}}',
        # CRLF line endings
        "```tool_calls\r\n" + CALL_JSON + "\r\n```",
    ],
)
def test_parse_single_call_shapes(reply: str) -> None:
    call = only_call(reply)
    assert call.name == "magic_function"
    assert call.arguments == {"input": 3}
    assert isinstance(call.arguments["input"], int)
    assert CALL_ID.match(call.id)
    assert parse_reply(reply, TOOLS).text == ""


@pytest.mark.parametrize(
    ("reply", "before", "after"),
    [
        (
            'Sure, let me compute that.\n```tool_calls\n{"tool_calls": [{"name": '
            '"magic_function", "arguments": {"input": 3}}]}\n```',
            "Sure, let me compute that.",
            "",
        ),
        (
            'Calling now.\n\n```json\n{"name": "magic_function", "arguments": {"input": 3}}\n'
            "```\n\nI'll wait for the result.",
            "Calling now.",
            "I'll wait for the result.",
        ),
    ],
)
def test_prose_around_call_is_kept_as_text(reply: str, before: str, after: str) -> None:
    parsed = parse_reply(reply, TOOLS)
    assert [c.arguments for c in parsed.tool_calls] == [{"input": 3}]
    assert parsed.text.startswith(before)
    assert parsed.text.endswith(after)
    assert "magic_function" not in parsed.text


def test_several_calls_in_one_block() -> None:
    reply = (
        "```tool_calls\n"
        + json.dumps(
            {
                "tool_calls": [
                    {"name": "magic_function", "arguments": {"input": 1}},
                    {"name": "get_weather", "arguments": {"location": "Paris"}},
                    {"name": "magic_function_no_args", "arguments": {}},
                ]
            }
        )
        + "\n```"
    )
    parsed = parse_reply(reply, TOOLS)
    assert [c.name for c in parsed.tool_calls] == [
        "magic_function",
        "get_weather",
        "magic_function_no_args",
    ]
    assert len({c.id for c in parsed.tool_calls}) == 3


def test_several_calls_as_list_json_lines_and_separate_fences() -> None:
    as_list = (
        '[{"name": "magic_function", "arguments": {"input": 1}}, '
        '{"name": "magic_function", "arguments": {"input": 2}}]'
    )
    json_lines = (
        "```tool_calls\n"
        '{"name": "magic_function", "arguments": {"input": 1}}\n'
        '{"name": "magic_function", "arguments": {"input": 2}}\n'
        "```"
    )
    two_fences = (
        'First:\n```json\n{"name": "magic_function", "arguments": {"input": 1}}\n```\n'
        'Second:\n```json\n{"name": "magic_function", "arguments": {"input": 2}}\n```'
    )
    two_tags = (
        '<tool_call>{"name": "magic_function", "arguments": {"input": 1}}</tool_call>'
        '<tool_call>{"name": "magic_function", "arguments": {"input": 2}}</tool_call>'
    )
    for reply in (as_list, json_lines, two_fences, two_tags):
        parsed = parse_reply(reply, TOOLS)
        assert [c.arguments["input"] for c in parsed.tool_calls] == [1, 2], reply
        assert parsed.tool_calls[0].id != parsed.tool_calls[1].id
    assert parse_reply(two_fences, TOOLS).text == "First:\n\nSecond:"


@pytest.mark.parametrize(
    "reply",
    [
        '{"name": "magic_function_no_args", "arguments": {}}',
        '{"name": "magic_function_no_args"}',
        '{"name": "magic_function_no_args", "arguments": ""}',
        '{"name": "magic_function_no_args", "arguments": null}',
        '{"name": "magic_function_no_args", "arguments": "{}"}',
        '{"name": "magic_function_no_args", "arguments": {"input": null, "x": 1}}',
        '{"tool_calls": [{"name": "magic_function_no_args"}]}',
    ],
)
def test_no_argument_tool_gets_empty_dict(reply: str) -> None:
    call = only_call(reply)
    assert call.name == "magic_function_no_args"
    assert call.arguments == {}


def test_unicode_arguments_preserved() -> None:
    spec = ToolSpec(
        name="unicode_customer",
        parameters={
            "type": "object",
            "properties": {"customer_name": {"type": "string"}, "description": {"type": "string"}},
        },
    )
    reply = (
        '```tool_calls\n{"tool_calls": [{"name": "unicode_customer", "arguments": '
        '{"customer_name": "你好啊集团", "description": "测试"}}]}\n```'
    )
    call = only_call(reply, [spec])
    assert call.arguments["customer_name"] == "你好啊集团"
    escaped = '{"name": "unicode_customer", "arguments": {"customer_name": "\\u3053\\u3093"}}'
    assert only_call(escaped, [spec]).arguments["customer_name"] == "こん"


def test_ids_come_from_factory_and_stay_unique() -> None:
    counter = count()
    parsed = parse_reply(
        '[{"name": "magic_function", "arguments": {"input": 1}}, '
        '{"name": "magic_function", "arguments": {"input": 2}}]',
        TOOLS,
        id_factory=lambda: f"id{next(counter)}",
    )
    assert [c.id for c in parsed.tool_calls] == ["id0", "id1"]
    same = parse_reply(
        '[{"name": "magic_function", "arguments": {"input": 1}}, '
        '{"name": "magic_function", "arguments": {"input": 2}}]',
        TOOLS,
        id_factory=lambda: "dup",
    )
    assert len({c.id for c in same.tool_calls}) == 2


# ---------------------------------------------------------------- parsing: not a call


@pytest.mark.parametrize(
    "reply",
    [
        "The answer is 5.",
        "Hello! How can I help you today?",
        'In JSON you would write {"name": "Bob", "age": 3} for a person.',
        "Use arrays like [1, 2, 3] and sets like {1, 2}.",
        "```python\ndef f(x):\n    return {'a': x}\n```",
        '```json\n{"setup": "Why?", "punchline": "Because."}\n```',
        # Issue 13: JSON inside a sentence is shown, not executed; only fenced blocks, explicit
        # markers or a reply that as a whole is a call count (this used to be a call).
        'I will call the tool: {"name": "magic_function", "arguments": {"input": 3}} '
        "and then report back.",
        'Calling {"name": "magic_function", "arguments": {"input": 3 oops}} now',
        "",
        "   ",
    ],
)
def test_plain_answers_have_no_calls(reply: str) -> None:
    parsed = parse_reply(reply, TOOLS)
    assert parsed.tool_calls == []
    assert parsed.invalid_tool_calls == []
    assert parsed.text == reply.strip()


def test_leading_think_block_is_reasoning_not_text_and_not_searched() -> None:
    parsed = parse_reply(
        '<think>maybe {"name": "magic_function", "arguments": {"input": 3}}</think>It is 5.', TOOLS
    )
    assert parsed.tool_calls == [] and parsed.invalid_tool_calls == []
    assert parsed.text == "It is 5."
    assert parsed.reasoning == 'maybe {"name": "magic_function", "arguments": {"input": 3}}'


@pytest.mark.parametrize(
    "reply",
    [
        '{"name": "launch_rocket", "arguments": {}}',
        '{"tool_calls": [{"name": "launch_rocket", "arguments": {}}]}',
        '```tool_calls\n{"tool_calls": [{"name": "launch_rocket", "arguments": {}}]}\n```',
    ],
)
def test_unknown_tool_stays_a_call(reply: str) -> None:
    # Issue 13: as with OpenAI, a call of a tool that was not offered is still a call, so that
    # agent frameworks answer "tool not found" and the run goes on (it used to be invalid).
    call = only_call(reply)
    assert (call.name, call.arguments) == ("launch_rocket", {})


def test_no_tools_means_plain_text() -> None:
    reply = '{"name": "magic_function", "arguments": {"input": 3}}'
    parsed = parse_reply(reply, [])
    assert parsed.tool_calls == [] and parsed.text == reply


# ---------------------------------------------------------------- parsing: invalid calls


@pytest.mark.parametrize(
    ("reply", "name", "error_part"),
    [
        (
            '{"name": "magic_function", "arguments": "{input: three"}',
            "magic_function",
            "not valid JSON",
        ),
        ('{"name": "magic_function", "arguments": [1, 2]}', "magic_function", "JSON object"),
        (
            "```tool_calls\n" + CALL_JSON[:-3] + "\n```",
            "magic_function",
            "could not parse",
        ),
        ("```tool_calls\nI want to call magic_function with 3\n```", None, "could not parse"),
        ('{"tool_calls": [42]}', None, "unrecognized"),
        ('{"tool_calls": [{"arguments": {"input": 3}}]}', None, "no tool name"),
        (
            '```json\n{"name": "magic_function", "arguments": {"input": 3 oops}}\n```',
            "magic_function",
            "could not parse",
        ),
    ],
)
def test_malformed_calls_become_invalid(reply: str, name: str | None, error_part: str) -> None:
    parsed = parse_reply(reply, TOOLS)
    assert parsed.tool_calls == []
    assert len(parsed.invalid_tool_calls) == 1, parsed
    bad = parsed.invalid_tool_calls[0]
    assert isinstance(bad, InvalidToolCall)
    assert bad.name == name
    assert error_part in bad.error
    assert CALL_ID.match(bad.id)


def test_valid_and_invalid_calls_together() -> None:
    parsed = parse_reply(
        '{"tool_calls": [{"name": "magic_function", "arguments": {"input": 2}}, '
        '{"name": "get_weather", "arguments": "{not json"}]}',
        TOOLS,
    )
    assert [c.name for c in parsed.tool_calls] == ["magic_function"]
    assert [c.name for c in parsed.invalid_tool_calls] == ["get_weather"]


# ---------------------------------------------------------------- coercion


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"location": 94105}, {"location": "94105"}),
        ({"location": "SF", "days": "3"}, {"location": "SF", "days": 3}),
        ({"location": "SF", "days": 3.0}, {"location": "SF", "days": 3}),
        ({"location": "SF", "days": "three"}, {"location": "SF", "days": "three"}),
        ({"location": "SF", "detailed": "true"}, {"location": "SF", "detailed": True}),
        ({"location": "SF", "detailed": "No"}, {"location": "SF", "detailed": False}),
        ({"location": "SF", "detailed": 1}, {"location": "SF", "detailed": True}),
        ({"location": "SF", "unit": "Celsius"}, {"location": "SF", "unit": "celsius"}),
        ({"Location": "SF"}, {"location": "SF"}),
        ({"location": "SF", "extra": 1}, {"location": "SF", "extra": 1}),
        ({"location": True}, {"location": "true"}),
        ({}, {}),
    ],
)
def test_coerce_flat(arguments: dict[str, object], expected: dict[str, object]) -> None:
    assert coerce_arguments(arguments, WEATHER.parameters) == expected


def test_coerce_nested_refs_unions_and_arrays() -> None:
    schema = {
        "type": "object",
        "$defs": {
            "Point": {
                "type": "object",
                "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
            }
        },
        "properties": {
            "points": {"type": "array", "items": {"$ref": "#/$defs/Point"}},
            "origin": {"$ref": "#/$defs/Point"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "limit": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "scale": {"type": ["number", "null"]},
            "mode": {"allOf": [{"enum": ["fast", "slow"]}]},
            "config": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    result = coerce_arguments(
        {
            "points": '[{"x": "1", "y": 2.5}, {"x": 3, "y": "4.5"}]',
            "origin": '{"x": "0", "y": "0"}',
            "tags": "urgent",
            "limit": "10",
            "scale": "null",
            "mode": "FAST",
            "config": {"a": "1", "b": 2},
        },
        schema,
    )
    assert result == {
        "points": [{"x": 1, "y": 2.5}, {"x": 3, "y": 4.5}],
        "origin": {"x": 0, "y": 0},
        "tags": ["urgent"],
        "limit": 10,
        "scale": None,
        "mode": "fast",
        "config": {"a": 1, "b": 2},
    }
    assert coerce_arguments({"limit": None}, schema) == {"limit": None}


def test_coerce_drops_keys_only_when_schema_forbids_them() -> None:
    closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    assert coerce_arguments({"a": 1, "b": 2}, closed) == {"a": 1}
    free_form = {"type": "object"}
    assert coerce_arguments({"b": 2}, free_form) == {"b": 2}
    no_args = {"type": "object", "properties": {}}
    assert coerce_arguments({"b": 2}, no_args) == {}


def test_coerce_does_not_touch_property_named_like_keywords() -> None:
    schema = {
        "type": "object",
        "properties": {"type": {"type": "string"}, "properties": {"type": "integer"}},
    }
    assert coerce_arguments({"type": 5, "properties": "7"}, schema) == {
        "type": "5",
        "properties": 7,
    }


def test_coerce_survives_recursive_schema() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {"v": {"type": "integer"}, "child": {"$ref": "#/$defs/Node"}},
            }
        },
        "$ref": "#/$defs/Node",
    }
    deep: dict[str, object] = {"v": "1"}
    node = deep
    for _ in range(60):
        child: dict[str, object] = {"v": "2"}
        node["child"] = child
        node = child
    out = coerce_arguments(deep, schema)
    assert out["v"] == 1


# ---------------------------------------------------------------- rendering


def test_single_user_message_is_sent_verbatim() -> None:
    assert render_prompt([Turn("user", "Hello")]) == "Hello"


def test_render_full_transcript_with_tools() -> None:
    call = ToolCall(id="call_abc", name="magic_function", arguments={"input": 3})
    prompt = render_prompt(
        [
            Turn("system", "You are terse."),
            Turn("user", "What is magic_function(3)?", name="example_user"),
            Turn("assistant", "", tool_calls=(call,)),
            Turn("tool", "5", name="magic_function", tool_call_id="call_abc"),
            Turn("tool", "boom", name="get_weather", tool_call_id="call_def", is_error=True),
            Turn("system", "Answer in English."),
        ],
        tools=TOOLS,
        tool_choice="auto",
    )
    instructions = prompt.index("## Instructions")
    conversation = prompt.index("## Conversation so far")
    tools_section = prompt.index("## Tools")
    assert instructions < conversation < tools_section
    assert "You are terse." in prompt and "Answer in English." in prompt
    assert "[User: example_user]" in prompt
    assert '"id": "call_abc"' in prompt and "```tool_calls" in prompt
    assert "[Tool result call_id=call_abc tool=magic_function]\n5" in prompt
    assert "[Tool error call_id=call_def tool=get_weather]\nboom" in prompt
    for spec in TOOLS:
        assert f"### {spec.name}" in prompt
    assert '"input": {"type": "integer"}' in prompt
    assert "Call a tool only when it helps" in prompt
    assert "tool results above" in prompt


def test_rendered_history_round_trips_through_parser() -> None:
    call = ToolCall(id="call_x", name="get_weather", arguments={"location": "東京", "days": 2})
    prompt = render_prompt([Turn("assistant", "", tool_calls=(call,))], tools=TOOLS)
    block = prompt[prompt.index("```tool_calls") : prompt.index("```", prompt.index("{")) + 3]
    parsed = parse_reply(block, TOOLS)
    assert parsed.tool_calls[0].arguments == {"location": "東京", "days": 2}


@pytest.mark.parametrize(
    ("choice", "phrase"),
    [
        ("any", "MUST call at least one tool"),
        ("required", "MUST call at least one tool"),
        ("get_weather", "MUST call the tool `get_weather`"),
    ],
)
def test_render_forced_tool_choice(choice: str, phrase: str) -> None:
    prompt = render_prompt([Turn("user", "Hello!")], tools=TOOLS, tool_choice=choice)
    assert phrase in prompt


def test_render_tool_choice_none_hides_protocol() -> None:
    prompt = render_prompt([Turn("user", "Hi")], tools=TOOLS, tool_choice="none")
    assert "## Tools" not in prompt
    assert "Do not call any tools" in prompt


def test_render_response_schema_and_wrappers() -> None:
    schema = {
        "title": "Joke",
        "type": "object",
        "properties": {"setup": {"type": "string", "title": "Setup"}},
    }
    prompt = render_prompt([Turn("user", "Tell me a joke")], response_schema=schema)
    assert "## Answer format" in prompt and '"setup"' in prompt
    assert "Joke" not in prompt.split("## Answer format")[1]
    wrapped = {"type": "json_schema", "json_schema": {"name": "Joke", "schema": schema}}
    assert '"setup"' in render_prompt([Turn("user", "x")], response_schema=wrapped)
    json_mode = render_prompt([Turn("user", "x")], response_schema={})
    assert "only one JSON object" in json_mode
    with_tools = render_prompt([Turn("user", "x")], tools=TOOLS, response_schema=schema)
    assert "When you answer without calling a tool" in with_tools


def test_render_never_fails_on_odd_histories() -> None:
    turns = [
        Turn("assistant", "I start"),
        Turn("assistant", ""),
        Turn("tool", "orphan result"),
        Turn("user", ""),
        Turn("user", "again"),
        Turn("system", ""),
    ]
    prompt = render_prompt(turns, tools=TOOLS, tool_choice="weird")
    assert "orphan result" in prompt and "(empty reply)" in prompt


def test_corrective_prompt() -> None:
    base = render_prompt([Turn("user", "Hello!")], tools=TOOLS, tool_choice="any")
    fixed = corrective_prompt(base, TOOLS, "any", previous_reply="Hi there!")
    assert fixed.startswith(base)
    assert "Hi there!" in fixed and "`magic_function`" in fixed
    named = corrective_prompt(base, TOOLS, "get_weather")
    assert "the tool `get_weather`" in named


def test_json_corrective_prompt() -> None:
    fixed = json_corrective_prompt("PROMPT", previous_reply="Sure! Here it is")
    assert fixed.startswith("PROMPT") and "Sure! Here it is" in fixed
    assert "ONLY the JSON value" in fixed


# ---------------------------------------------------------------- structured output


@pytest.mark.parametrize(
    "reply",
    [
        '{"setup": "a", "punchline": "b"}',
        '  \n{"setup": "a", "punchline": "b"}\n',
        '```json\n{"setup": "a", "punchline": "b"}\n```',
        '```\n{"setup": "a", "punchline": "b"}\n```',
        'Here is the joke:\n```json\n{"setup": "a", "punchline": "b"}\n```\nEnjoy!',
        'Sure! {"setup": "a", "punchline": "b"} Hope you like it.',
        '<think>I need {"x": 1}?</think>{"setup": "a", "punchline": "b"}',
        '{"setup": "a", "punchline": "b",}',
        '```json\n{"setup": "a", "punchline": "b"}',
        'Result: {"setup": "a", "punchline": "b"  ,  } done',
    ],
)
def test_extract_json_shapes(reply: str) -> None:
    assert extract_json(reply) == {"setup": "a", "punchline": "b"}


def test_extract_json_arrays_and_nesting() -> None:
    assert extract_json("[1, 2, 3]") == [1, 2, 3]
    assert extract_json('See [1] and [{"a": 1}, {"a": 2}].') == [{"a": 1}, {"a": 2}]
    assert extract_json('Here [{"a": {"b": [1]}}] ok') == [{"a": {"b": [1]}}]
    assert extract_json('x {"outer": {"inner": 1}} y') == {"outer": {"inner": 1}}


@pytest.mark.parametrize("reply", ["", "no json here", "{not json", "```json\n```"])
def test_extract_json_raises_value_error(reply: str) -> None:
    with pytest.raises(ValueError, match="no JSON"):
        extract_json(reply)


# ---------------------------------------------------------------- streaming prefix


@pytest.mark.parametrize(
    "reply",
    [
        "Let me check.\n" + FENCED,
        'Sure: {"name": "magic_function", "arguments": {"input": 3}} done',
        "  Plain answer with no call.  ",
        "Use {braces} sometimes",
        '<think>x</think>{"name": "magic_function", "arguments": {"input": 3}}',
    ],
)
def test_stream_safe_prefix_is_prefix_of_final_text(reply: str) -> None:
    final = parse_reply(reply, TOOLS).text
    for end in range(len(reply) + 1):
        assert final.startswith(stream_safe_prefix(reply[:end]))


# ---------------------------------------------------------------- properties

_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
_fragments = st.sampled_from(
    [
        "```",
        "```tool_calls\n",
        "```json\n",
        "{",
        "}",
        "[",
        "]",
        '"',
        "'",
        ",",
        ":",
        '"name"',
        '"magic_function"',
        '"arguments"',
        '"tool_calls"',
        "<tool_call>",
        "</tool_call>",
        "<think>",
        "</think>",
        "\\",
        "\n",
        " ",
        "3",
        "null",
    ]
)
_replies = st.one_of(
    st.text(),
    st.lists(st.one_of(_fragments, st.text(max_size=5)), max_size=40).map("".join),
    _json_values.map(lambda v: json.dumps(v, default=str)),
    st.builds(
        lambda prose, args: (
            prose + json.dumps({"name": "magic_function", "arguments": args}, default=str)
        ),
        st.text(max_size=20),
        _json_values,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_replies)
def test_parse_reply_never_crashes(reply: str) -> None:
    parsed = parse_reply(reply, TOOLS)
    assert isinstance(parsed.text, str)
    ids = [c.id for c in parsed.tool_calls] + [c.id for c in parsed.invalid_tool_calls]
    assert len(ids) == len(set(ids))
    names = {spec.name for spec in TOOLS}
    for call in parsed.tool_calls:
        assert call.name in names
        assert isinstance(call.arguments, dict)
        json.dumps(call.arguments, default=str)
    assert parsed.text.startswith(stream_safe_prefix(reply))


@settings(max_examples=200, deadline=None)
@given(_replies)
def test_extract_json_only_raises_value_error(reply: str) -> None:
    with contextlib.suppress(ValueError):
        extract_json(reply)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _json_values, max_size=5))
def test_coerce_arguments_never_crashes(arguments: dict[str, object]) -> None:
    for spec in TOOLS:
        assert isinstance(coerce_arguments(arguments, spec.parameters), dict)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), st.text(max_size=30))
def test_round_trip_of_rendered_calls(value: int, location: str) -> None:
    call = ToolCall(
        id="call_1", name="get_weather", arguments={"location": location, "days": value}
    )
    prompt = render_prompt([Turn("assistant", "", tool_calls=(call,))], tools=TOOLS)
    start = prompt.index("```tool_calls\n")
    end = prompt.index("\n```", start + 14) + 4
    parsed = parse_reply(prompt[start:end], TOOLS)
    assert parsed.tool_calls[0].arguments == {"location": location, "days": value}
