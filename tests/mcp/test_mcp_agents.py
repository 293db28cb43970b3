"""Real MCP clients of the frameworks: LangChain's adapters and LlamaIndex's tool spec.

The ``oneminai-mcp`` command serves streamable HTTP in front of the emulator; the agent's
model is ``ChatOneMinAI`` / ``OneMinAI`` on the same emulator, with scripted replies (the
first one calls a tool, the last one checks that the tool's result reached the model).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool
from mcp_harness import KEY, HttpServer
from oneminai_webapi.testing import Emulator

pytestmark = [
    pytest.mark.timeout(60),
    # ``workflows`` discovers steps with ``inspect.getmembers`` on the (pydantic) agent.
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20"),
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211"),
]


def _call(name: str, arguments: dict[str, Any]) -> str:
    payload = {"tool_calls": [{"name": name, "arguments": arguments}]}
    return "```tool_calls\n" + json.dumps(payload) + "\n```"


def _final(expected: str) -> Any:
    def answer(turn: Any) -> str:
        # Only a prompt that carries the tool's result gets the good answer.
        return "Here is your lighthouse." if expected in turn.prompt else "tool result missing"

    return answer


async def test_langchain_mcp_adapters_in_create_agent(
    http_server: HttpServer, emu: Emulator
) -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import HumanMessage, ToolMessage
    from langchain_mcp_adapters.client import MultiServerMCPClient
    from langchain_oneminai import ChatOneMinAI, OneMinAIToolkit

    client = MultiServerMCPClient(
        {"oneminai": {"transport": "streamable_http", "url": http_server.url}}
    )
    tools = await client.get_tools()
    by_name = {t.name: t for t in tools}
    # Loaded through the adapters, the MCP tools look exactly like the native ones.
    for native in OneMinAIToolkit(api_key="unused").get_tools():
        assert convert_to_openai_tool(by_name[native.name]) == convert_to_openai_tool(native)

    emu.script_replies(
        [_call("oneminai_image_generation", {"prompt": "a lighthouse"}), _final("Generated 1")]
    )
    model = ChatOneMinAI(model="gpt-4o-mini", api_key=KEY, base_url=emu.base_url)
    agent = create_agent(model, tools=tools)
    state = await agent.ainvoke({"messages": [HumanMessage("Draw a lighthouse")]})
    messages = state["messages"]
    results = [m for m in messages if isinstance(m, ToolMessage)]
    assert [r.name for r in results] == ["oneminai_image_generation"]
    blocks = results[0].content
    assert isinstance(blocks, list) and [b["type"] for b in blocks] == ["text", "image"]
    assert results[0].artifact["structured_content"]["urls"]
    assert messages[-1].content == "Here is your lighthouse."
    feature = emu.requests_to("/api/features")[-1].json
    assert feature["type"] == "IMAGE_GENERATOR" and feature["promptObject"]["prompt"] == (
        "a lighthouse"
    )
    # The image came back to the model as an attachment of its next turn.
    assert emu.requests_to("/api/assets", "POST")
    assert emu.pending_replies == 0
    await model.aclose()


async def test_llamaindex_mcp_tool_spec_in_function_agent(
    http_server: HttpServer, emu: Emulator
) -> None:
    from llama_index.tools.mcp import BasicMCPClient, McpToolSpec
    from mcp.client.streamable_http import create_mcp_http_client

    async with create_mcp_http_client() as http:  # closed here (the client would not)
        spec = McpToolSpec(client=BasicMCPClient(http_server.url, http_client=http))
        await _run_llamaindex_agent(spec, emu)


async def _run_llamaindex_agent(spec: Any, emu: Emulator) -> None:
    from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
    from llama_index.core.memory import ChatMemoryBuffer
    from llama_index.llms.oneminai import OneMinAI

    tools = await spec.to_tool_list_async()
    assert {t.metadata.name for t in tools} >= {"oneminai_ask", "oneminai_image_generation"}
    summarize = next(t for t in tools if t.metadata.name == "oneminai_summarize")
    assert summarize.metadata.get_parameters_dict()["required"] == ["text"]

    emu.script_replies(
        [_call("oneminai_image_generation", {"prompt": "a lighthouse"}), _final("Generated 1")]
    )
    llm = OneMinAI(model="gpt-4o-mini", api_key=KEY, base_url=emu.base_url)
    agent = FunctionAgent(tools=tools, llm=llm, system_prompt="Use the tools.")
    handler = agent.run("Draw a lighthouse", memory=ChatMemoryBuffer.from_defaults())
    calls = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
    output = await handler
    assert [(c.tool_name, c.tool_kwargs) for c in calls] == [
        ("oneminai_image_generation", {"prompt": "a lighthouse"})
    ]
    assert "Generated 1 image" in str(calls[0].tool_output.content)
    assert str(output) == "Here is your lighthouse."
    assert emu.pending_replies == 0
    await llm.aclose()
