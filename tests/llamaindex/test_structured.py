"""Structured output: function-calling program (forced emulated tool) and JSON text mode."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.prompts import PromptTemplate
from llama_index.core.types import PydanticProgramMode
from llama_index.llms.oneminai import OneMinAI
from pydantic import BaseModel


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str
    age: int


PROMPT = PromptTemplate("Extract the person from: {text}")
TOOL_REPLY = (
    '```tool_calls\n{"tool_calls": [{"name": "Person",'
    ' "arguments": {"name": "Ada", "age": "36"}}]}\n```'
)


def test_structured_predict_uses_forced_tool(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies([TOOL_REPLY])
    person = llm.structured_predict(Person, PROMPT, text="Ada is 36 years old.")
    assert person == Person(name="Ada", age=36)
    prompt = emu.requests_to("/api/chat-with-ai")[0].json["promptObject"]["prompt"]
    assert "MUST call" in prompt and "Person" in prompt


def test_structured_predict_retries_once_when_tool_missing(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies(["Ada, 36.", TOOL_REPLY])
    assert llm.structured_predict(Person, PROMPT, text="Ada is 36.") == Person(name="Ada", age=36)
    assert len(emu.requests_to("/api/chat-with-ai")) == 2


async def test_astructured_predict(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies([TOOL_REPLY])
    assert await llm.astructured_predict(Person, PROMPT, text="Ada") == Person(name="Ada", age=36)


def test_text_mode_structured_predict(emu: Any) -> None:
    llm = OneMinAI(
        api_key="test-key", base_url=emu.base_url, pydantic_program_mode=PydanticProgramMode.LLM
    )
    try:
        emu.script_replies(['Here you go:\n```json\n{"name": "Grace", "age": 85}\n```'])
        assert llm.structured_predict(Person, PROMPT, text="Grace") == Person(name="Grace", age=85)
    finally:
        llm.close()


def test_as_structured_llm(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies([TOOL_REPLY])
    sllm = llm.as_structured_llm(Person)
    response = sllm.chat([ChatMessage(role="user", content="Ada is 36")])
    assert response.raw == Person(name="Ada", age=36)
    assert Person.model_validate_json(response.message.content or "") == Person(name="Ada", age=36)


def test_json_response_format(llm: OneMinAI, emu: Any) -> None:
    emu.script_replies(['Sure! {"name": "Alan", "age": 41} Hope it helps.'])
    response = llm.chat([ChatMessage(role="user", content="A person?")], response_format=Person)
    assert Person.model_validate_json(response.message.content or "") == Person(name="Alan", age=41)
