"""The LlamaIndex ``OneMinAI`` LLM against the corpus of real reply styles (tests/corpus).

Every tool entry runs through ``chat_with_tools`` (sync, async, streaming), ``predict_and_call``,
``FunctionAgent`` (streaming and not) and ``ReActAgent``; every structured entry through
``structured_predict`` and its async and streaming variants and ``as_structured_llm``. The
model is scripted in-process (tests/corpus/scripted.py): no sockets, no sleeps.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from corpus import (
    FINAL_ANSWER,
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
from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ReActAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, ThinkingBlock
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.llms.oneminai import OneMinAI

# ``workflows`` discovers steps with ``inspect.getmembers`` on the (pydantic) agent, which
# touches pydantic's deprecated ``__fields__``/``model_fields`` instance properties; ReActAgent
# calls the deprecated ``ctx.is_running`` inside its own step (llama-index-core).
pytestmark = [
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20"),
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211"),
    pytest.mark.filterwarnings("ignore:is_running called from within a step:DeprecationWarning"),
]

LI_TOOLS = [FunctionTool.from_defaults(fn=fn) for fn in corpus_tools.FUNCTIONS]
KNOWN = {tool.metadata.name for tool in LI_TOOLS}
PROMPT = PromptTemplate("{text}")
_LEADING_THINK = re.compile(r"\s*<(think|thinking|reasoning)>.*?(</\1>|\Z)", re.S | re.I)


def scripted(
    entry: Entry, *, react: bool = False
) -> tuple[OneMinAI, ScriptedClient, AsyncScriptedClient]:
    sync, async_ = clients(entry, react=react)
    llm = OneMinAI(model="gpt-4o", api_key="k", client=sync, async_client=async_)
    return llm, sync, async_


def memory() -> ChatMemoryBuffer:
    # LlamaIndex's default ``Memory`` leaves an aiosqlite connection open (ResourceWarning).
    return ChatMemoryBuffer.from_defaults(token_limit=200_000)


def reasoning_of(message: ChatMessage) -> str:
    return "".join(b.content or "" for b in message.blocks if isinstance(b, ThinkingBlock))


def check_response(
    llm: OneMinAI, response: ChatResponse, entry: Entry, text: str | None = None
) -> None:
    selections = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
    assert [(s.tool_name, s.tool_kwargs) for s in selections] == [
        (c.name, c.args) for c in entry.calls
    ]
    message = response.message
    assert message.content == (entry.text if text is None else text)
    assert reasoning_of(message) == entry.reasoning
    invalid = message.additional_kwargs.get("invalid_tool_calls", [])
    assert [(i["name"]) for i in invalid] == [i.name for i in entry.invalid]
    for found, expected in zip(invalid, entry.invalid, strict=True):
        assert expected.error in found["error"] and found["arguments"]
    # set as llama-index-llms-openai sets it (streaming structured output reads it)
    listed = message.additional_kwargs.get("tool_calls", [])
    assert [c["function"]["name"] for c in listed] == [c.name for c in entry.calls]


def test_corpus_tools_match_their_python_twins() -> None:
    for spec, tool in zip(TOOLS, LI_TOOLS, strict=True):
        rendered = tool.metadata.to_openai_tool()["function"]
        expected = spec["function"]["parameters"]
        assert rendered["name"] == spec["function"]["name"]
        assert set(rendered["parameters"]["properties"]) == set(expected["properties"])
        assert set(rendered["parameters"].get("required", [])) == set(expected.get("required", []))


# ----------------------------------------------------------------------------- tool replies


def required_call(entry: Entry) -> tuple[list[FunctionTool], dict[str, Any]]:
    """The one bound tool, and how LlamaIndex requires its call (``tool_required`` or a name)."""
    assert entry.tools is not None
    tools = [t for t in LI_TOOLS if t.metadata.name in entry.tools]
    if entry.tool_choice == "required":
        return tools, {"tool_required": True}
    return tools, {"tool_choice": entry.tool_choice}


@pytest.mark.parametrize("entry", params(SINGLE_TOOL_ENTRIES))
async def test_one_bound_tool_with_a_required_call(entry: Entry) -> None:
    llm, sync, async_ = scripted(entry)
    tools, required = required_call(entry)
    response = llm.chat_with_tools(tools, user_msg=entry.user, **required)
    check_response(llm, response, entry)
    assert len(sync.prompts) == (2 if entry.retried else 1)
    must = (
        "at least one tool"
        if entry.tool_choice == "required"
        else f"the tool `{entry.tool_choice}`"
    )
    assert f"you MUST call {must}" in sync.prompts[0]  # the requirement reached the model
    streamed = list(llm.stream_chat_with_tools(tools, user_msg=entry.user, **required))
    check_response(llm, streamed[-1], entry)
    assert "".join(r.delta or "" for r in streamed) == streamed[-1].message.content
    check_response(llm, await llm.achat_with_tools(tools, user_msg=entry.user, **required), entry)
    stream = await llm.astream_chat_with_tools(tools, user_msg=entry.user, **required)
    check_response(llm, [r async for r in stream][-1], entry)
    assert len(async_.prompts) == (4 if entry.retried else 2)


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_chat_with_tools(entry: Entry) -> None:
    llm, sync, _ = scripted(entry)
    response = llm.chat_with_tools(LI_TOOLS, user_msg=entry.user, allow_parallel_tool_calls=True)
    check_response(llm, response, entry)
    assert len(sync.prompts) == (2 if entry.retried else 1)
    single = llm.chat_with_tools(LI_TOOLS, user_msg=entry.user)  # parallel calls off
    first = [(c.name, c.args) for c in entry.calls[:1]]
    got = llm.get_tool_calls_from_response(single, error_on_no_tool_call=False)
    assert [(s.tool_name, s.tool_kwargs) for s in got] == first


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_stream_chat_with_tools(entry: Entry) -> None:
    llm, _, _ = scripted(entry)
    responses = list(
        llm.stream_chat_with_tools(LI_TOOLS, user_msg=entry.user, allow_parallel_tool_calls=True)
    )
    check_response(llm, responses[-1], entry, text=entry.stream_text)
    assert "".join(r.delta or "" for r in responses) == responses[-1].message.content
    thinking = "".join(r.additional_kwargs.get("thinking_delta", "") for r in responses)
    assert thinking == entry.reasoning
    contents = [r.message.content or "" for r in responses]
    assert all(b.startswith(a) for a, b in itertools.pairwise(contents))
    head = entry.reply.lstrip()[:1]
    if head.isalpha() and entry.text[:1] == head:  # prose streams before the reply ends
        assert any(r.delta for r in responses[:-1])


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
async def test_async_chat_and_stream_with_tools(entry: Entry) -> None:
    llm, _, async_ = scripted(entry)
    response = await llm.achat_with_tools(
        LI_TOOLS, user_msg=entry.user, allow_parallel_tool_calls=True
    )
    check_response(llm, response, entry)
    stream = await llm.astream_chat_with_tools(
        LI_TOOLS, user_msg=entry.user, allow_parallel_tool_calls=True
    )
    responses = [r async for r in stream]
    check_response(llm, responses[-1], entry, text=entry.stream_text)
    assert len(async_.prompts) == (4 if entry.retried else 2)


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_predict_and_call(entry: Entry) -> None:
    llm, _, _ = scripted(entry)
    if any(c.name not in KNOWN for c in entry.calls):
        # llama-index-core's predict_and_call looks tools up by name with no fallback (for
        # every LLM); agents, below, report the unknown tool to the model instead.
        with pytest.raises(KeyError):
            llm.predict_and_call(LI_TOOLS, user_msg=entry.user, allow_parallel_tool_calls=True)
        return
    corpus_tools.CALLS.clear()
    response = llm.predict_and_call(
        LI_TOOLS,
        user_msg=entry.user,
        # with parallel calls on, llama-index-core answers "" when no tool was called
        allow_parallel_tool_calls=len(entry.calls) > 1,
        error_on_no_tool_call=False,
    )
    assert [s.tool_name for s in response.sources] == [c.name for c in entry.calls]
    assert any(s.is_error for s in response.sources) == entry.tool_error
    if not entry.calls:
        assert response.response == entry.text


async def run_function_agent(
    entry: Entry, *, streaming: bool
) -> tuple[str, list[ToolCallResult], str]:
    llm, _, _ = scripted(entry)
    agent = FunctionAgent(tools=LI_TOOLS, llm=llm, streaming=streaming)
    handler = agent.run(entry.user, memory=memory())
    results: list[ToolCallResult] = []
    deltas: list[str] = []
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            results.append(event)
        elif isinstance(event, AgentStream):
            deltas.append(event.delta)
    output = await handler
    return str(output), results, "".join(deltas)


@pytest.mark.parametrize(("entry", "mode"), alternating(TOOL_ENTRIES, ("stream", "chat")))
async def test_function_agent_recovers(entry: Entry, mode: str) -> None:
    streaming = mode == "stream"
    output, results, streamed = await run_function_agent(entry, streaming=streaming)
    assert sorted(r.tool_name for r in results) == sorted(c.name for c in entry.calls)
    assert any(r.tool_output.is_error for r in results) == entry.tool_error
    # the run never ends with an empty answer where the model wrote one
    assert output == entry.final_text
    if streaming and entry.final_text:
        assert streamed.endswith(entry.final_text)


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
async def test_react_agent_recovers(entry: Entry) -> None:
    llm, _, _ = scripted(entry, react=True)
    agent = ReActAgent(tools=LI_TOOLS, llm=llm)
    corpus_tools.CALLS.clear()
    output = str(await agent.run(entry.user, memory=memory()))
    if entry.react_calls:
        assert [name for name, _ in corpus_tools.CALLS] == [c.name for c in entry.react_calls]
        assert output == FINAL_ANSWER
    else:
        # not ReAct's format: the reply is the answer, without its reasoning
        answer = _LEADING_THINK.sub("", entry.reply, count=1) if entry.reasoning else entry.reply
        # an empty answer (a reply cut off while thinking) makes the agent ask again
        assert output == (answer.strip() or FINAL_ANSWER) and "<think" not in output


# ----------------------------------------------------------------------------- structured


def model_of(entry: Entry) -> Any:
    assert entry.schema is not None
    return corpus_tools.MODELS[entry.schema]


@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
async def test_structured_predict(entry: Entry) -> None:
    model = model_of(entry)
    llm, sync, async_ = scripted(entry)
    if entry.parsing_error:
        with pytest.raises(ValueError):
            llm.structured_predict(model, PROMPT, text=entry.user)
        with pytest.raises(ValueError):
            await llm.astructured_predict(model, PROMPT, text=entry.user)
    else:
        expected = model.model_validate(entry.parsed)
        assert llm.structured_predict(model, PROMPT, text=entry.user) == expected
        assert await llm.astructured_predict(model, PROMPT, text=entry.user) == expected
    assert len(sync.prompts) == len(async_.prompts) == (2 if entry.retried else 1)
    assert "MUST call" in sync.prompts[0]


def check_stream(objects: list[Any], entry: Entry) -> None:
    model = model_of(entry)
    if entry.parsing_error:  # at most partial objects, never a complete one
        assert not any(isinstance(o, model) for o in objects)
    else:
        assert objects, "a filled object is yielded"
        assert objects[-1] == model.model_validate(entry.parsed)


@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
async def test_stream_structured_predict(entry: Entry) -> None:
    model = model_of(entry)
    llm, _, _ = scripted(entry)
    check_stream(list(llm.stream_structured_predict(model, PROMPT, text=entry.user)), entry)
    stream = await llm.astream_structured_predict(model, PROMPT, text=entry.user)
    check_stream([o async for o in stream], entry)


@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
def test_as_structured_llm(entry: Entry) -> None:
    model = model_of(entry)
    llm, _, _ = scripted(entry)
    structured = llm.as_structured_llm(model)
    messages = [ChatMessage(role="user", content=entry.user)]
    if entry.parsing_error:
        with pytest.raises(ValueError):
            structured.chat(messages)
    else:
        expected = model.model_validate(entry.parsed)
        assert structured.chat(messages).raw == expected
        streamed = [r.raw for r in structured.stream_chat(messages)]
        assert streamed and streamed[-1] == expected


def test_unknown_tool_choice_name_is_a_clear_error() -> None:
    entry = next(e for e in TOOL_ENTRIES if e.id == "gpt4o-exact-block")
    llm, sync, _ = scripted(entry)
    with pytest.raises(ValueError, match="'get_wether' is not one of the bound tools"):
        llm.chat_with_tools(LI_TOOLS, user_msg=entry.user, tool_choice="get_wether")
    assert sync.prompts == []  # nothing was sent
    named = llm.chat_with_tools(LI_TOOLS, user_msg=entry.user, tool_choice="get_weather")
    assert llm.get_tool_calls_from_response(named)[0].tool_name == "get_weather"
    assert "MUST call the tool `get_weather`" in sync.prompts[0]
