"""Framework clients that speak OpenAI, through the gateway: LangChain's ``ChatOpenAI`` in
``create_agent`` and LlamaIndex's ``OpenAILike`` in a ``FunctionAgent``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from oneminai_webapi.testing import Emulator

from .conftest import ALICE, tool_reply

pytestmark = [
    # ``workflows`` discovers steps with ``inspect.getmembers`` on the (pydantic) agent.
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20"),
    pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211"),
]

CALLS: list[tuple[int, int]] = []


def multiply(a: int, b: int) -> int:
    """Multiply two integers and return the product."""
    CALLS.append((a, b))
    return a * b


def _answer(turn: Any) -> str:
    """The final answer, only if the tool result reached the prompt."""
    assert "[Tool result call_id=" in turn.prompt and "tool=multiply" in turn.prompt
    return "The product is 42." if "\n42" in turn.prompt else "tool result missing"


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


@pytest.mark.parametrize("streaming", [False, True])
def test_langchain_chat_openai_in_create_agent(
    base_url: str, emu: Emulator, streaming: bool
) -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage, ToolMessage
    from langchain_core.tools import tool
    from langchain_openai import ChatOpenAI

    emu.script_replies([tool_reply("multiply", a=6, b="7"), _answer])
    with httpx.Client() as http:
        llm = ChatOpenAI(
            model="gpt-4o-mini",
            base_url=base_url,
            api_key=ALICE,
            max_retries=0,
            streaming=streaming,
            http_client=http,
        )
        agent = create_agent(llm, tools=[tool(multiply)], system_prompt="Use tools.")
        messages = agent.invoke({"messages": [("user", "What is 6 times 7?")]})["messages"]

    assert CALLS == [(6, 7)]
    assert isinstance(messages[1], AIMessage)
    assert messages[1].tool_calls[0]["args"] == {"a": 6, "b": 7}
    assert isinstance(messages[2], ToolMessage) and messages[2].content == "42"
    assert messages[-1].content == "The product is 42."
    assert emu.pending_replies == 0


def test_langchain_structured_output(base_url: str, emu: Emulator) -> None:
    from langchain_openai import ChatOpenAI
    from pydantic import BaseModel

    class Person(BaseModel):
        name: str
        age: int

    emu.script_replies(['{"name": "Ada", "age": 36}'])
    with httpx.Client() as http:
        llm = ChatOpenAI(
            model="gpt-4o-mini", base_url=base_url, api_key=ALICE, max_retries=0, http_client=http
        )
        person = llm.with_structured_output(Person).invoke("Who wrote the first program?")
    assert person == Person(name="Ada", age=36)


@pytest.mark.parametrize("streaming", [False, True])
async def test_llamaindex_openai_like_in_function_agent(
    base_url: str, emu: Emulator, streaming: bool
) -> None:
    from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
    from llama_index.core.memory import ChatMemoryBuffer
    from llama_index.core.tools import FunctionTool
    from llama_index.llms.openai_like import OpenAILike

    emu.script_replies([tool_reply("multiply", a="6", b=7), _answer])
    http = httpx.AsyncClient()
    llm = OpenAILike(
        model="gpt-4o-mini",
        api_base=base_url,
        api_key=ALICE,
        is_chat_model=True,
        is_function_calling_model=True,
        context_window=128000,
        max_retries=0,
        async_http_client=http,
    )
    agent = FunctionAgent(
        tools=[FunctionTool.from_defaults(fn=multiply)],
        llm=llm,
        streaming=streaming,
        system_prompt="Use tools.",
    )

    handler = agent.run(
        "What is 6 times 7?", memory=ChatMemoryBuffer.from_defaults(token_limit=8000)
    )
    try:
        results = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
        output = await handler
    finally:
        await http.aclose()

    assert CALLS == [(6, 7)]
    assert [(r.tool_name, r.tool_kwargs, r.tool_output.content) for r in results] == [
        ("multiply", {"a": 6, "b": 7}, "42")
    ]
    assert str(output) == "The product is 42."
