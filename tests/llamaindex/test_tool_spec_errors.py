"""OneMinAIToolSpec inside agents: a service error is an error output, never a crash."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.llms.oneminai import OneMinAI
from llama_index.tools.oneminai import OneMinAIToolSpec
from oneminai_webapi.testing import Fault

pytestmark = [
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20"),
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211"),
]
CALL = (
    "```tool_calls\n"
    '{"tool_calls": [{"name": "oneminai_image_generation", "arguments": {"prompt": "a fox"}}]}'
    "\n```"
)


@pytest.fixture
def spec(emu: Any) -> Any:
    tools = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, max_retries=0)
    yield tools
    tools.close()


@pytest.mark.parametrize("run_async", [False, True])
async def test_service_error_is_an_error_output(emu: Any, spec: Any, run_async: bool) -> None:
    emu.inject(Fault.status(402), path="/api/features", times=None)
    tool = spec.to_tool_list(["oneminai_image_generation"])[0]
    output = await tool.acall(prompt="a fox") if run_async else tool.call(prompt="a fox")
    assert output.is_error and "InsufficientCreditsError" in output.content
    assert "test-key" not in output.content
    assert output.tool_name == "oneminai_image_generation"


async def test_function_agent_goes_on_after_a_tool_error(emu: Any, spec: Any) -> None:
    emu.inject(Fault.status(402), path="/api/features", times=None)
    prompts: list[str] = []

    def model(turn: Any) -> str:
        prompts.append(turn.prompt)
        if "[Tool result" in turn.prompt or "[Tool error" in turn.prompt:
            return "I could not draw it: the account has no credit left."
        return CALL

    emu.script_replies([model, model])
    llm = OneMinAI(api_key="test-key", base_url=emu.base_url, max_retries=0)
    try:
        agent = FunctionAgent(tools=spec.to_tool_list(), llm=llm)
        handler = agent.run("Draw a fox", memory=ChatMemoryBuffer.from_defaults(token_limit=8000))
        results = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
        output = await handler
    finally:
        await llm.aclose()
    assert [r.tool_output.is_error for r in results] == [True]
    assert "InsufficientCreditsError" in prompts[-1]
    assert str(output) == "I could not draw it: the account has no credit left."
