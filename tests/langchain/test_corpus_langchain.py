"""ChatOneMinAI against the corpus of real reply styles (tests/corpus): invoke, stream, agents.

The model is scripted in-process (tests/corpus/scripted.py): it answers with the entry's
reply, answers our corrective prompt with the entry's retry, and answers anything after a tool
result with a final sentence. No sockets and no sleeps, so the whole corpus runs in seconds.
"""

from __future__ import annotations

from typing import Any

import pytest
from corpus import (
    SCHEMAS,
    SINGLE_TOOL_ENTRIES,
    STRUCTURED_ENTRIES,
    TOOL_ENTRIES,
    TOOLS,
    Entry,
    alternating,
    params,
)
from corpus import tools as corpus_tools
from corpus.scripted import AsyncScriptedClient, ScriptedClient, clients
from langchain.agents import create_agent
from langchain.agents.structured_output import ProviderStrategy, ToolStrategy
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.tools import StructuredTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_oneminai import ChatOneMinAI

LC_TOOLS = [StructuredTool.from_function(fn) for fn in corpus_tools.FUNCTIONS]
TWO_CALL_ENTRIES = [e for e in TOOL_ENTRIES if len(e.calls) == 2]


def scripted(
    entry: Entry, **kwargs: Any
) -> tuple[ChatOneMinAI, ScriptedClient, AsyncScriptedClient]:
    sync, async_ = clients(entry)
    return ChatOneMinAI(model="gpt-4o", client=sync, async_client=async_, **kwargs), sync, async_


def aggregate(chunks: list[BaseMessage]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk  # type: ignore[operator]
    assert isinstance(full, AIMessageChunk)
    return full


def starts_with_prose(entry: Entry) -> bool:
    """The reply opens with words, not with a call, a tag or reasoning."""
    head = entry.reply.lstrip()[:1]
    return head.isalpha() and bool(entry.text) and entry.text[:1] == head


def check_message(message: AIMessage, entry: Entry, *, text: str | None = None) -> None:
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        (c.name, c.args) for c in entry.calls
    ]
    assert len(message.invalid_tool_calls) == len(entry.invalid), message.invalid_tool_calls
    errors = message.response_metadata.get("invalid_tool_call_errors", {})
    for bad, expected in zip(message.invalid_tool_calls, entry.invalid, strict=True):
        # A stream's aggregation rebuilds invalid calls without their error (langchain-core
        # parses the chunks again); the errors are in the response metadata either way.
        error = bad["error"] or errors.get(bad["id"])
        assert bad["name"] == expected.name and expected.error in str(error)
        assert expected.error in errors[bad["id"]]
        assert bad["args"]  # the raw text of the call is kept
    assert message.content == (entry.text if text is None else text)
    assert message.additional_kwargs.get("reasoning_content", "") == entry.reasoning
    reasoning_blocks = [b for b in message.content_blocks if b["type"] == "reasoning"]
    assert [b.get("reasoning") for b in reasoning_blocks] == (
        [entry.reasoning] if entry.reasoning else []
    )
    ids = [c["id"] for c in message.tool_calls + message.invalid_tool_calls]
    assert all(ids) and len(ids) == len(set(ids))
    assert message.response_metadata.get("corrective_retries", 0) == (1 if entry.retried else 0)
    if message.tool_calls:
        assert message.response_metadata["finish_reason"] == "tool_calls"


def test_corpus_tools_match_their_python_twins() -> None:
    for spec, tool in zip(TOOLS, LC_TOOLS, strict=True):
        rendered = convert_to_openai_tool(tool)["function"]
        expected = spec["function"]
        assert rendered["name"] == expected["name"]
        params_ = rendered["parameters"]
        assert set(params_["properties"]) == set(expected["parameters"]["properties"])
        assert set(params_.get("required", [])) == set(expected["parameters"].get("required", []))


# ----------------------------------------------------------------------------- tool replies


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_invoke_and_stream(entry: Entry) -> None:
    llm, sync, _ = scripted(entry)
    bound = llm.bind_tools(LC_TOOLS, tool_choice=entry.tool_choice)
    invoked = bound.invoke([HumanMessage(entry.user)])
    assert isinstance(invoked, AIMessage)
    check_message(invoked, entry)
    assert len(sync.prompts) == (2 if entry.retried else 1)
    chunks = list(bound.stream([HumanMessage(entry.user)]))
    streamed = aggregate(chunks)
    check_message(streamed, entry, text=entry.stream_text)
    assert chunks[-1].chunk_position == "last"
    if starts_with_prose(entry):  # tools bound, yet the prose streams before the reply ends
        assert any(chunk.content for chunk in chunks[:-1])
    if entry.reasoning:
        assert any(c.additional_kwargs.get("reasoning_content") for c in chunks[:-1])


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
async def test_ainvoke_and_astream(entry: Entry) -> None:
    llm, _, async_ = scripted(entry)
    bound = llm.bind_tools(LC_TOOLS)
    invoked = await bound.ainvoke([HumanMessage(entry.user)])
    assert isinstance(invoked, AIMessage)
    check_message(invoked, entry)
    streamed = aggregate([chunk async for chunk in bound.astream([HumanMessage(entry.user)])])
    check_message(streamed, entry, text=entry.stream_text)
    assert len(async_.prompts) == (4 if entry.retried else 2)


@pytest.mark.parametrize("entry", params(SINGLE_TOOL_ENTRIES))
async def test_one_bound_tool_with_a_required_call(entry: Entry) -> None:
    llm, sync, async_ = scripted(entry)
    assert entry.tools is not None
    tools = [t for t in LC_TOOLS if t.name in entry.tools]
    bound = llm.bind_tools(tools, tool_choice=entry.tool_choice)
    invoked = bound.invoke([HumanMessage(entry.user)])
    assert isinstance(invoked, AIMessage)
    check_message(invoked, entry)
    assert len(sync.prompts) == (2 if entry.retried else 1)
    chunks = list(bound.stream([HumanMessage(entry.user)]))
    check_message(aggregate(chunks), entry)
    streamed = aggregate([chunk async for chunk in bound.astream([HumanMessage(entry.user)])])
    check_message(streamed, entry)
    assert len(async_.prompts) == (2 if entry.retried else 1)


def check_agent_run(messages: list[BaseMessage], entry: Entry) -> None:
    final = messages[-1]
    assert isinstance(final, AIMessage) and not final.tool_calls
    # the run never ends with an empty message where the model wrote something
    assert final.content or final.additional_kwargs.get("reasoning_content")
    assert final.content == entry.final_text
    tool_messages = [m for m in messages if isinstance(m, ToolMessage)]
    assert sorted(str(m.name) for m in tool_messages) == sorted(c.name for c in entry.calls)
    errors = [m for m in tool_messages if m.status == "error"]
    assert bool(errors) == entry.tool_error, [m.content for m in tool_messages]
    for message in errors:
        assert message.content  # the model is told what went wrong


async def run_agent_streaming(entry: Entry) -> list[BaseMessage]:
    llm, _, _ = scripted(entry)
    agent = create_agent(llm, tools=LC_TOOLS)
    pieces: list[str] = []
    state: dict[str, Any] = {}
    async for mode, data in agent.astream(
        {"messages": [HumanMessage(entry.user)]}, stream_mode=["messages", "values"]
    ):
        if mode == "messages":
            chunk, _meta = data
            if isinstance(chunk, AIMessageChunk) and isinstance(chunk.content, str):
                pieces.append(chunk.content)
        else:
            state = data
    assert "".join(pieces).endswith(entry.final_text)  # the final answer was streamed
    return list(state["messages"])


@pytest.mark.parametrize(("entry", "mode"), alternating(TOOL_ENTRIES, ("invoke", "astream")))
async def test_create_agent_recovers(entry: Entry, mode: str) -> None:
    corpus_tools.CALLS.clear()
    if mode == "astream":
        messages = await run_agent_streaming(entry)
    else:
        llm, _, _ = scripted(entry)
        result = create_agent(llm, tools=LC_TOOLS).invoke({"messages": [HumanMessage(entry.user)]})
        messages = result["messages"]
    check_agent_run(messages, entry)
    ran = sorted(name for name, _ in corpus_tools.CALLS)
    if entry.tool_error:  # some calls fail; the others run
        assert set(ran) <= {c.name for c in entry.calls}
    else:
        assert ran == sorted(c.name for c in entry.calls)


@pytest.mark.parametrize("entry", params(TWO_CALL_ENTRIES))
def test_parallel_tool_calls_false_keeps_one_call(entry: Entry) -> None:
    llm, sync, _ = scripted(entry)
    result = llm.bind_tools(LC_TOOLS, parallel_tool_calls=False).invoke(entry.user)
    first = entry.calls[0]
    assert [(c["name"], c["args"]) for c in result.tool_calls] == [(first.name, first.args)]
    assert "at most one tool" in sync.prompts[0]


# ----------------------------------------------------------------------------- structured


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
def test_structured_output_every_method(entry: Entry, method: str) -> None:
    assert entry.schema is not None
    model_class = corpus_tools.MODELS[entry.schema]
    llm, sync, _ = scripted(entry)
    out = llm.with_structured_output(model_class, method=method, include_raw=True).invoke(
        entry.user
    )  # type: ignore[arg-type]
    assert isinstance(out["raw"], AIMessage)
    assert out["raw"].additional_kwargs.get("reasoning_content", "") == entry.reasoning
    assert len(sync.prompts) == (2 if entry.retried else 1)
    if entry.parsing_error:
        assert out["parsed"] is None and out["parsing_error"] is not None
        with pytest.raises(OutputParserException):
            scripted(entry)[0].with_structured_output(model_class, method=method).invoke(entry.user)  # type: ignore[arg-type]
    else:
        assert out["parsing_error"] is None
        assert out["parsed"] == model_class.model_validate(entry.parsed)


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
def test_structured_output_with_a_dict_schema(entry: Entry, method: str) -> None:
    assert entry.schema is not None
    schema = {"title": entry.schema, **SCHEMAS[entry.schema]}
    llm, _, _ = scripted(entry)
    out = llm.with_structured_output(schema, method=method, include_raw=True).invoke(entry.user)  # type: ignore[arg-type]
    if entry.parsing_error:
        assert out["parsed"] is None and out["parsing_error"] is not None
    else:
        assert out["parsing_error"] is None and out["parsed"] == entry.parsed


@pytest.mark.parametrize("strategy", [ToolStrategy, ProviderStrategy])
@pytest.mark.parametrize("entry", params([e for e in STRUCTURED_ENTRIES if not e.parsing_error]))
def test_create_agent_structured_response(entry: Entry, strategy: Any) -> None:
    assert entry.schema is not None
    model_class = corpus_tools.MODELS[entry.schema]
    llm, _, _ = scripted(entry)
    agent = create_agent(llm, tools=[], response_format=strategy(model_class))
    result = agent.invoke({"messages": [HumanMessage(entry.user)]})
    assert result["structured_response"] == model_class.model_validate(entry.parsed)
