"""The framework adapters are thin: ``client.complete()`` renders prompts and reads replies.

Two checks: no adapter module imports the prompt renderer, the reply reader or the sans-IO
protocol (only ``complete()`` may use them), and each chat model turns what ``complete()``
returns into its framework's message without ever sending a prompt of its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi.completions import Completion, ReasoningDelta, TextDelta
from oneminai_webapi.tool_calling import ToolCall

LIBS = Path(__file__).resolve().parents[2] / "libs"
ADAPTERS = [
    LIBS / "langchain/src/langchain_oneminai",
    LIBS / "llama-index-llms-oneminai/src/llama_index/llms/oneminai",
    LIBS / "gateway/src/oneminai_gateway",
]
#: What renders a conversation into a prompt or reads a reply: ``complete()``'s business.
RENDER_AND_READ = {
    "ReplyAssembler",
    "ReplyDelta",
    "ReplyOutcome",
    "ReplyPlan",
    "ParsedReply",
    "Turn",
    "coerce_arguments",
    "corrective_prompt",
    "extract_json",
    "json_corrective_prompt",
    "malformed_call_prompt",
    "parse_reply",
    "render_prompt",
    "split_reasoning",
    "stream_safe_prefix",
    "unwrap_response_format",
}


def _imports(path: Path) -> Iterator[tuple[str, str | None]]:
    """``(module, name)`` of every import in a file (``name`` is None for ``import m``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name


@pytest.mark.parametrize("package", ADAPTERS, ids=lambda p: p.name)
def test_adapters_import_no_renderer_or_reader(package: Path) -> None:
    files = sorted(package.rglob("*.py"))
    assert files
    offending = [
        f"{path.relative_to(LIBS)}: {module}{'.' + name if name else ''}"
        for path in files
        for module, name in _imports(path)
        if module.startswith(("oneminai_webapi._", "oneminai_webapi.tool_calling._"))
        or (module == "oneminai_webapi.tool_calling" and (name is None or name in RENDER_AND_READ))
    ]
    assert offending == []


class _Stream:
    def __init__(self, events: list[Any]) -> None:
        self.events = events

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.events)


class _CompleteOnly(SyncOneMinAIClient):
    """A client whose ``complete()`` answers and whose ``chat()`` must never be called."""

    def __init__(self) -> None:
        super().__init__("thin-key")
        self.calls: list[tuple[Any, dict[str, Any]]] = []
        self.completion = Completion(
            text="It is sunny.",
            reasoning="look it up",
            tool_calls=[ToolCall("call_1", "get_weather", {"city": "Rome"})],
            finish_reason="tool_calls",
            model="gpt-4o-mini",
            credits_used=7,
        )

    def complete(self, messages: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.calls.append((messages, kwargs))
        if kwargs.get("stream"):
            return _Stream(
                [
                    ReasoningDelta(text="look it up"),
                    TextDelta(text="It is "),
                    TextDelta(text="sunny."),
                    *self.completion.tool_call_deltas(),
                    self.completion,
                ]
            )
        return self.completion

    def chat(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise AssertionError("an adapter sent a prompt of its own")


WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.mark.parametrize("stream", [False, True])
def test_langchain_translates_what_complete_returns(stream: bool) -> None:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
    from langchain_oneminai import ChatOneMinAI

    client = _CompleteOnly()
    llm = ChatOneMinAI(client=client, api_key="thin-key").bind_tools([WEATHER])
    history = [SystemMessage("Be brief."), HumanMessage("Weather in Rome?")]
    if stream:
        chunks = list(llm.stream(history))
        message: Any = chunks[0]
        for chunk in chunks[1:]:
            message = message + chunk
    else:
        message = llm.invoke(history)
    [(messages, kwargs)] = client.calls
    assert messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Rome?"},
    ]
    assert kwargs["tools"] == [WEATHER] and kwargs["model"] == "gpt-4o-mini"
    assert isinstance(message, AIMessage)
    assert message.content == "It is sunny."
    assert message.additional_kwargs["reasoning_content"] == "look it up"
    assert [(c["name"], c["args"], c["id"]) for c in message.tool_calls] == [
        ("get_weather", {"city": "Rome"}, "call_1")
    ]
    assert message.response_metadata["credits_used"] == 7


@pytest.mark.parametrize("stream", [False, True])
def test_llamaindex_translates_what_complete_returns(stream: bool) -> None:
    from llama_index.core.base.llms.types import ChatMessage
    from llama_index.llms.oneminai import OneMinAI

    client = _CompleteOnly()
    llm = OneMinAI(api_key="thin-key", client=client)
    history = [
        ChatMessage(role="system", content="Be brief."),
        ChatMessage(role="user", content="Weather in Rome?"),
    ]
    if stream:
        items = list(llm.stream_chat(history, tools=[WEATHER]))
        assert "".join(i.delta or "" for i in items) == "It is sunny."
        response = items[-1]
    else:
        response = llm.chat(history, tools=[WEATHER])
    [(messages, kwargs)] = client.calls
    assert messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Rome?"},
    ]
    assert kwargs["tools"] == [WEATHER] and kwargs["model"] == "gpt-4o-mini"
    assert response.message.content == "It is sunny."
    [selection] = llm.get_tool_calls_from_response(response)
    assert (selection.tool_id, selection.tool_name, selection.tool_kwargs) == (
        "call_1",
        "get_weather",
        {"city": "Rome"},
    )
    assert response.raw["credits_used"] == 7 == response.additional_kwargs["credits_used"]
