"""Media tools inside agents: a service error is the tool's result, never the end of the run."""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import ToolException
from langchain_oneminai import ChatOneMinAI, OneMinAIImageGenerationTool, OneMinAITextToSpeechTool
from oneminai_webapi.testing import Emulator, Fault

CALL = (
    "```tool_calls\n"
    '{"tool_calls": [{"name": "oneminai_image_generation", "arguments": {"prompt": "a fox"}}]}'
    "\n```"
)


def image_tool(emulator: Emulator, **kwargs: Any) -> OneMinAIImageGenerationTool:
    return OneMinAIImageGenerationTool(
        api_key="test-key", base_url=emulator.base_url, max_retries=0, **kwargs
    )


def tool_call(args: dict[str, Any]) -> dict[str, Any]:
    return {"name": "oneminai_image_generation", "args": args, "id": "call_1", "type": "tool_call"}


@pytest.mark.parametrize("run_async", [False, True])
async def test_service_error_becomes_an_error_tool_message(
    emulator: Emulator, run_async: bool
) -> None:
    emulator.credits = 0
    tool = image_tool(emulator)
    call = tool_call({"prompt": "a fox"})
    message = await tool.ainvoke(call) if run_async else tool.invoke(call)
    assert isinstance(message, ToolMessage) and message.status == "error"
    assert "InsufficientCreditsError" in str(message.content)
    assert "test-key" not in str(message.content)


def test_error_handling_can_be_switched_off(emulator: Emulator) -> None:
    emulator.credits = 0
    with pytest.raises(ToolException, match="InsufficientCreditsError"):
        image_tool(emulator, handle_tool_error=False).invoke({"prompt": "a fox"})


def test_refused_argument_is_an_error_result(emulator: Emulator, tmp_path: Any) -> None:
    secret = tmp_path / "secret.wav"
    secret.write_bytes(b"RIFF....")
    from langchain_oneminai import OneMinAISpeechToTextTool

    tool = OneMinAISpeechToTextTool(api_key="test-key", base_url=emulator.base_url)
    message = tool.invoke({**tool_call({"audio": str(secret)}), "name": tool.name})
    assert message.status == "error" and "local file" in str(message.content)
    assert [r.path for r in emulator.requests] == []  # nothing was sent


async def test_agent_run_continues_after_a_tool_error(emulator: Emulator) -> None:
    emulator.inject(Fault.status(402), path="/api/features", times=None)  # chat still works
    prompts: list[str] = []

    def model(turn: Any) -> str:
        prompts.append(turn.prompt)
        if "[Tool error" in turn.prompt:
            return "I could not make the image: the account has no credit left."
        return CALL

    emulator.script_replies([model, model])
    llm = ChatOneMinAI(api_key="test-key", base_url=emulator.base_url, max_retries=0)
    agent = create_agent(llm, tools=[image_tool(emulator), OneMinAITextToSpeechTool()])
    result = await agent.ainvoke({"messages": [HumanMessage("Draw a fox")]})
    tool_message = next(m for m in result["messages"] if isinstance(m, ToolMessage))
    assert tool_message.status == "error" and "InsufficientCreditsError" in tool_message.content
    final = result["messages"][-1]
    assert isinstance(final, AIMessage) and final.content.startswith("I could not make the image")
    assert "InsufficientCreditsError" in prompts[-1]  # the model was told what went wrong
