"""Agents completing a tool round-trip with scripted model replies (emulator over HTTP)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from llama_index.core.agent.workflow import (
    AgentStream,
    AgentWorkflow,
    FunctionAgent,
    ReActAgent,
    ToolCallResult,
)
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.tools import FunctionTool
from llama_index.llms.oneminai import OneMinAI
from pydantic import BaseModel

# ``workflows`` discovers steps with ``inspect.getmembers`` on the (pydantic) agent, which
# touches pydantic's deprecated ``__fields__``/``model_fields`` instance properties.
pytestmark = [
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20"),
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211"),
]

CALLS: list[tuple[int, int]] = []


def multiply(a: int, b: int) -> int:
    """Multiply two integers and return the product."""
    CALLS.append((a, b))
    return a * b


TOOL = FunctionTool.from_defaults(fn=multiply)
CALL_REPLY = (
    '```tool_calls\n{"tool_calls": [{"name": "multiply", "arguments": {"a": "6", "b": 7}}]}\n```'
)


def _answer_from_tool_result(turn: Any) -> str:
    """Final answer, produced only if the tool result was rendered into the prompt."""
    assert "[Tool result call_id=" in turn.prompt and "tool=multiply" in turn.prompt
    return "The product is 42." if "\n42" in turn.prompt else "tool result missing"


def _memory() -> ChatMemoryBuffer:
    # LlamaIndex's default ``Memory`` leaves an aiosqlite connection open (ResourceWarning).
    return ChatMemoryBuffer.from_defaults(token_limit=8000)


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


@pytest.mark.parametrize("streaming", [False, True])
async def test_function_agent_round_trip(llm: OneMinAI, emu: Any, streaming: bool) -> None:
    emu.script_replies([CALL_REPLY, _answer_from_tool_result])
    agent = FunctionAgent(tools=[TOOL], llm=llm, streaming=streaming, system_prompt="Use tools.")
    handler = agent.run("What is 6 times 7?", memory=_memory())
    results, deltas = [], []
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            results.append(event)
        elif isinstance(event, AgentStream):
            deltas.append(event.delta)
    output = await handler
    assert CALLS == [(6, 7)]
    assert [(r.tool_name, r.tool_kwargs, r.tool_output.content) for r in results] == [
        ("multiply", {"a": 6, "b": 7}, "42")
    ]
    assert str(output) == "The product is 42."
    if streaming:
        assert "".join(deltas).endswith("The product is 42.")
    assert emu.pending_replies == 0


async def test_function_agent_structured_output(llm: OneMinAI, emu: Any) -> None:
    class Product(BaseModel):
        value: int
        explanation: str

    structured = (
        '```tool_calls\n{"tool_calls": [{"name": "Product", "arguments": '
        '{"value": "42", "explanation": "6 x 7"}}]}\n```'
    )
    emu.script_replies([CALL_REPLY, _answer_from_tool_result, structured])
    agent = FunctionAgent(tools=[TOOL], llm=llm, output_cls=Product, streaming=False)
    output = await agent.run("What is 6 times 7?", memory=_memory())
    assert output.get_pydantic_model(Product) == Product(value=42, explanation="6 x 7")


# ReActAgent itself calls the deprecated ``ctx.is_running`` inside its step (llama-index-core).
@pytest.mark.filterwarnings("ignore:is_running called from within a step:DeprecationWarning")
async def test_react_agent_round_trip(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies(
        [
            'Thought: I need to multiply.\nAction: multiply\nAction Input: {"a": 6, "b": 7}',
            lambda turn: (
                "Thought: I can answer without using any more tools.\nAnswer: 42"
                if "Observation: 42" in turn.prompt
                else "Thought: no observation\nAnswer: ?"
            ),
        ]
    )
    agent = ReActAgent(tools=[TOOL], llm=llm)
    output = await agent.run("What is 6 times 7?", memory=_memory())
    assert CALLS == [(6, 7)]
    assert str(output) == "42"


def test_agent_workflow_picks_function_agent(llm: OneMinAI) -> None:
    workflow = AgentWorkflow.from_tools_or_functions([multiply], llm=llm)
    assert isinstance(next(iter(workflow.agents.values())), FunctionAgent)
    weak = OneMinAI(api_key="k", is_function_calling_model=False)
    workflow = AgentWorkflow.from_tools_or_functions([multiply], llm=weak)
    assert isinstance(next(iter(workflow.agents.values())), ReActAgent)


async def test_function_agent_with_the_shared_media_tools(llm: OneMinAI, emu: Any) -> None:
    """The agent calls a 1min.AI tool by its shared name; the model reads the result URL."""
    from llama_index.tools.oneminai import OneMinAIToolSpec

    arguments = {"prompt": "a fox", "aspect_ratio": "landscape"}
    call = {"name": "oneminai_image_generation", "arguments": arguments}

    def answer(turn: Any) -> str:
        assert "tool=oneminai_image_generation" in turn.prompt
        found = re.search(r"Generated 1 image: (\S+)", turn.prompt)
        return f"Here is your fox: {found.group(1)}" if found else "no image"

    emu.script_replies([f"```tool_calls\n{json.dumps({'tool_calls': [call]})}\n```", answer])
    async with OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url) as spec:
        agent = FunctionAgent(tools=spec.to_tool_list(), llm=llm)
        handler = agent.run("Draw a fox in landscape format.", memory=_memory())
        results = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
        output = await handler
    assert [(r.tool_name, r.tool_kwargs) for r in results] == [
        ("oneminai_image_generation", arguments)
    ]
    (image,) = results[0].tool_output.raw_output.files
    assert str(output) == f"Here is your fox: {image.url}"
    assert emu.requests_to("/api/features")[-1].json["promptObject"]["size"] == "1216x832"
