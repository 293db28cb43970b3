"""Behaviour tests for ChatOneMinAI against the emulator with scripted replies."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from langchain_core.load import dumps
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_oneminai import ChatOneMinAI
from oneminai_webapi.exceptions import AuthenticationError
from oneminai_webapi.testing import Emulator
from pydantic import BaseModel

CALL = (
    '```tool_calls\n{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}\n```'
)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()
PDF = base64.b64encode(b"%PDF-1.4\n%test\n").decode()
PDF2 = base64.b64encode(b"%PDF-1.4\n%other\n").decode()


@tool
def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    return f"Sunny in {city}"


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


class Person(BaseModel):
    name: str
    age: int


def make(emu: Emulator, **kwargs: Any) -> ChatOneMinAI:
    return ChatOneMinAI(api_key="test-key", base_url=emu.base_url, **kwargs)


def chat_bodies(emu: Emulator) -> list[dict[str, Any]]:
    return [r.json for r in emu.requests if r.path == "/api/chat-with-ai"]


def aggregate(chunks: list[BaseMessage]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk  # type: ignore[operator]
    assert isinstance(full, AIMessageChunk)
    return full


def same_result(a: AIMessage, b: AIMessage) -> None:
    assert a.content == b.content
    strip = [{k: v for k, v in c.items() if k != "id"} for c in a.tool_calls]
    assert strip == [{k: v for k, v in c.items() if k != "id"} for c in b.tool_calls]
    assert [(c["name"], c["args"]) for c in a.invalid_tool_calls] == [
        (c["name"], c["args"]) for c in b.invalid_tool_calls
    ]


# ------------------------------------------------------------------ construction & secrets


def test_construct_without_key_or_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    llm = ChatOneMinAI(model="gpt-4o", timeout=30, max_retries=0, stop=["x"], temperature=0.2)
    assert llm.api_key is None and llm.model_name == "gpt-4o" and llm.timeout == 30
    assert llm.profile and llm.profile["tool_calling"] is True
    params = llm._get_ls_params(model="override")
    assert params["ls_provider"] == "oneminai" and params["ls_model_name"] == "override"
    assert params["ls_stop"] == ["x"] and params["ls_temperature"] == 0.2


def test_profiles_know_the_2026_bedrock_style_claude_ids() -> None:
    from langchain_oneminai._profiles import get_profile

    # The catalog moved Claude to us.anthropic.* ids in 2026 (docs/protocol.md).
    bedrock = get_profile("us.anthropic.claude-sonnet-4-6")
    assert bedrock == get_profile("claude-sonnet-4-6")
    assert bedrock["image_inputs"] is True and bedrock["max_input_tokens"] == 200_000
    assert get_profile("us.anthropic.unknown-model")["image_inputs"] is False


def test_key_never_leaks() -> None:
    llm = ChatOneMinAI(api_key="super-secret-key")
    assert "super-secret-key" not in repr(llm)
    assert "super-secret-key" not in str(llm)
    assert "super-secret-key" not in str(llm.model_dump())
    assert "super-secret-key" not in dumps(llm)
    # issue 14: a proxy URL may hold a password, so it is a secret too
    assert llm.lc_secrets == {"api_key": "ONEMINAI_API_KEY", "proxy": "ONEMINAI_PROXY"}


def test_wrong_key_raises_authentication_error(emulator: Emulator) -> None:
    llm = ChatOneMinAI(api_key="wrong", base_url=emulator.base_url, max_retries=0)
    with pytest.raises(AuthenticationError):
        llm.invoke("hi")


# ------------------------------------------------------------------ output metadata


def test_invoke_and_stream_metadata(emulator: Emulator) -> None:
    emulator.script_replies(["Hello there, friend!", "Hello there, friend!"])
    llm = make(emulator, model="gpt-4o")
    result = llm.invoke("Hello")
    chunks = list(llm.stream("Hello"))
    streamed = aggregate(chunks)
    for message in (result, streamed):
        assert message.content == "Hello there, friend!"
        meta = message.response_metadata
        assert meta["model_name"] == "gpt-4o" and meta["model_provider"] == "oneminai"
        assert meta["finish_reason"] == "stop" and meta["usage_estimated"] is True
        assert meta["record_id"]
        assert message.usage_metadata and message.usage_metadata["output_tokens"] > 0
    assert len(chunks) > 2
    assert chunks[-1].chunk_position == "last"
    assert all(c.usage_metadata is None for c in chunks[:-1])


def test_model_override_per_call(emulator: Emulator) -> None:
    llm = make(emulator)
    result = llm.invoke("Hello", model="gpt-4.1")
    assert result.response_metadata["model_name"] == "gpt-4.1"
    assert chat_bodies(emulator)[-1]["model"] == "gpt-4.1"


@pytest.mark.parametrize("stream", [False, True])
def test_stop_sequences_are_applied_client_side(emulator: Emulator, stream: bool) -> None:
    emulator.script_replies(["Nice to meet you, said the fox. Goodbye."])
    llm = make(emulator, stop=["Goodbye"])
    if stream:
        message: AIMessage = aggregate(list(llm.stream("hi", stop=["said"])))
    else:
        message = llm.invoke("hi", stop=["said"])
    assert message.content == "Nice to meet you, "


def test_web_search_flag_and_builtin_tool(emulator: Emulator) -> None:
    llm = make(emulator, web_search=True)
    result = llm.invoke("latest news")
    assert chat_bodies(emulator)[-1]["promptObject"]["settings"]["webSearchSettings"]["webSearch"]
    assert result.response_metadata.get("sources")
    plain = make(emulator).bind_tools([{"type": "web_search"}, get_weather])
    plain.invoke("news?")
    body = chat_bodies(emulator)[-1]
    assert body["promptObject"]["settings"]["webSearchSettings"]["webSearch"] is True
    assert "### get_weather" in body["promptObject"]["prompt"]


# ------------------------------------------------------------------ messages


def test_any_message_list_is_flattened_without_raising(emulator: Emulator) -> None:
    history: list[BaseMessage] = [
        SystemMessage("Be brief."),
        SystemMessage("Be kind."),
        HumanMessage("hi", name="bob"),
        HumanMessage("again"),
        AIMessage(
            content=[
                {"type": "text", "text": "Let me check"},
                {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {}},
                {"type": "thinking", "thinking": "hmm", "signature": "x"},
            ],
            tool_calls=[{"name": "get_weather", "args": {"city": "Rome"}, "id": "t1"}],
        ),
        ToolMessage("boom", tool_call_id="t1", status="error"),
        ToolMessage(
            [{"type": "text", "text": "ok", "cache_control": {"type": "x"}}], tool_call_id="t2"
        ),
        FunctionMessage("legacy", name="f"),
        ChatMessage("from a narrator", role="narrator"),
        AIMessage(""),
        HumanMessage([{"type": "mystery_block", "foo": 1}, {"type": "input_audio"}]),
    ]
    make(emulator).invoke(history)
    prompt = chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    assert "## Instructions\nBe brief.\n\nBe kind." in prompt
    turns = [
        "[User: bob]\nhi",
        "[User]\nagain",
        '[Assistant]\nLet me check\n```tool_calls\n{"tool_calls": [{"id": "t1", "name": '
        '"get_weather", "arguments": {"city": "Rome"}}]}\n```',
        "[Tool error call_id=t1 tool=get_weather]\nboom",
        "[Tool result call_id=t2]\nok",
        "[Tool result tool=f]\nlegacy",
        "[User: narrator]\nfrom a narrator",
        "[Assistant]\n(empty reply)",
        "[User]\n[input_audio omitted",
    ]
    positions = [prompt.find(turn) for turn in turns]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "hmm" not in prompt and "mystery" not in prompt
    broken = {"type": "image", "base64": "@@not base64@@", "mime_type": "image/png"}
    make(emulator).invoke([HumanMessage([broken])])
    assert (
        "[attachment omitted: unreadable data]"
        in chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    )
    assert [r for r in emulator.requests if r.path == "/api/assets"] == []


def test_images_and_pdfs_are_uploaded_and_attached(emulator: Emulator) -> None:
    llm = make(emulator, model="gpt-4o")
    message = HumanMessage(
        content=[
            {"type": "text", "text": "Compare these"},
            {"type": "image", "base64": PNG, "mime_type": "image/png"},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
            {"type": "file", "base64": PDF, "mime_type": "application/pdf", "filename": "a.pdf"},
            {
                "type": "file",
                "file": {"filename": "b.pdf", "file_data": f"data:application/pdf;base64,{PDF2}"},
            },
        ]
    )
    result = llm.invoke([message])
    uploads = [r for r in emulator.requests if r.path == "/api/assets"]
    assert len(uploads) == 3
    attachments = chat_bodies(emulator)[-1]["promptObject"]["attachments"]
    assert (
        len(attachments["images"]) == 2 and "https://example.com/cat.png" in attachments["images"]
    )
    assert len(attachments["files"]) == 2
    assert "[image attached" in chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    assert "2 image(s), 2 file(s)" in str(result.content)
    llm.invoke([message, AIMessage("ok"), HumanMessage("and now?")])
    assert len([r for r in emulator.requests if r.path == "/api/assets"]) == 3  # cached


def test_attachments_without_extension_are_named_from_their_mime_type(
    emulator: Emulator,
) -> None:
    # The core upload refuses file names without an extension: an OpenAI ``image_url`` data
    # URL and a file block named "report" used to fail before anything was sent.
    llm = make(emulator, model="gpt-4o")
    message = HumanMessage(
        content=[
            {"type": "text", "text": "Read these"},
            {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{PNG}"}},
            {"type": "file", "base64": PDF, "mime_type": "application/pdf", "filename": "report"},
        ]
    )
    llm.invoke([message])
    uploads = [r for r in emulator.requests if r.path == "/api/assets"]
    names = [part["filename"] for r in uploads for part in r.multipart if part["filename"]]
    assert names == ["image.jpg", "report.pdf"]
    prompt = chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    assert "[image attached: image.jpg]" in prompt and "[file attached: report.pdf]" in prompt


def test_conversation_mode_sends_only_new_turns(emulator: Emulator) -> None:
    llm = make(emulator, conversation_mode=True)
    first = llm.invoke([SystemMessage("Be brief."), HumanMessage("My name is Bob")])
    conversation_id = first.response_metadata["conversation_id"]
    assert [r.path for r in emulator.requests].count("/api/conversations") == 1
    second = llm.invoke(
        [SystemMessage("Be brief."), HumanMessage("My name is Bob"), first, HumanMessage("Name?")]
    )
    body = chat_bodies(emulator)[-1]["promptObject"]
    assert body["conversationId"] == conversation_id
    assert "Name?" in body["prompt"] and "My name is Bob" not in body["prompt"]
    assert "Be brief." in body["prompt"]
    assert second.response_metadata["conversation_id"] == conversation_id
    assert [r.path for r in emulator.requests].count("/api/conversations") == 1


# ------------------------------------------------------------------ tool calling


REPLIES = [
    CALL,
    "Let me look that up.\n" + CALL,
    '{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}',
    '[{"name": "get_weather", "arguments": {"city": "Paris"}}, '
    '{"name": "add", "arguments": {"a": "2", "b": 3}}]',
    '{"name": "launch_rocket", "arguments": {}}',
    '```tool_calls\n{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}\n```',
    "It is sunny in Paris today.",
    "Braces {like this} and [that] are fine.",
]


@pytest.mark.parametrize("reply", REPLIES)
def test_invoke_and_stream_agree(emulator: Emulator, reply: str) -> None:
    emulator.script_replies([reply] * 4)  # an unreadable call is retried once
    llm = make(emulator).bind_tools([get_weather, add])
    invoked = llm.invoke("Weather in Paris?")
    streamed = aggregate(list(llm.stream("Weather in Paris?")))
    same_result(invoked, streamed)
    ids = [c["id"] for c in invoked.tool_calls + invoked.invalid_tool_calls]
    assert all(ids) and len(ids) == len(set(ids))
    if invoked.tool_calls:
        assert invoked.response_metadata["finish_reason"] == "tool_calls"


def test_tool_calls_are_coerced_and_have_unique_ids(emulator: Emulator) -> None:
    emulator.script_replies([REPLIES[3]])
    result = make(emulator).bind_tools([get_weather, add]).invoke("go")
    assert result.content == ""
    assert result.tool_calls[1]["args"] == {"a": 2, "b": 3}
    assert result.tool_calls[0]["id"] != result.tool_calls[1]["id"]


def test_unknown_tool_stays_a_tool_call(emulator: Emulator) -> None:
    # Issue 13: like OpenAI, a call of a tool that was not bound is a tool call, so that an
    # agent's tool node answers "not a valid tool" and the run goes on (it used to be invalid).
    emulator.script_replies(['{"name": "launch_rocket", "arguments": {"when": "now"}}'])
    result = make(emulator).bind_tools([get_weather]).invoke("go")
    assert [(c["name"], c["args"]) for c in result.tool_calls] == [
        ("launch_rocket", {"when": "now"})
    ]
    assert result.invalid_tool_calls == [] and len(chat_bodies(emulator)) == 1


@pytest.mark.parametrize("stream", [False, True])
def test_one_corrective_retry_when_a_call_is_required(emulator: Emulator, stream: bool) -> None:
    emulator.script_replies(["I would rather chat.", CALL])
    llm = make(emulator).bind_tools([get_weather], tool_choice="any")
    result = aggregate(list(llm.stream("hi"))) if stream else llm.invoke("hi")
    assert result.tool_calls[0]["args"] == {"city": "Paris"}
    assert result.content == ""
    bodies = chat_bodies(emulator)
    assert len(bodies) == 2 and "## Correction" in bodies[1]["promptObject"]["prompt"]
    assert "I would rather chat." in bodies[1]["promptObject"]["prompt"]


def test_retry_gives_up_after_one_attempt(emulator: Emulator) -> None:
    emulator.script_replies(["No.", "Still no."])
    result = make(emulator).bind_tools([get_weather], tool_choice="get_weather").invoke("hi")
    assert result.tool_calls == [] and result.content == "Still no."
    assert len(chat_bodies(emulator)) == 2


@pytest.mark.parametrize(
    ("choice", "phrase"),
    [
        ("auto", "Call a tool only when it helps"),
        ("required", "MUST call at least one tool"),
        ({"type": "function", "function": {"name": "add"}}, "MUST call the tool `add`"),
        (True, "MUST call at least one tool"),
    ],
)
def test_tool_choice_is_rendered(emulator: Emulator, choice: Any, phrase: str) -> None:
    emulator.script_replies(['{"name": "add", "arguments": {"a": 1, "b": 2}}'])
    make(emulator).bind_tools([get_weather, add], tool_choice=choice).invoke("hi")
    assert phrase in chat_bodies(emulator)[-1]["promptObject"]["prompt"]


def test_tool_choice_none_answers_in_text(emulator: Emulator) -> None:
    emulator.script_replies([CALL])
    result = make(emulator).bind_tools([get_weather], tool_choice="none").invoke("hi")
    assert result.tool_calls == [] and result.content == CALL
    assert "### get_weather" not in chat_bodies(emulator)[-1]["promptObject"]["prompt"]


async def test_async_tool_calling_and_stream(emulator: Emulator) -> None:
    emulator.script_replies([CALL, "Sure. " + CALL])
    llm = make(emulator).bind_tools([get_weather])
    result = await llm.ainvoke("weather?")
    assert result.tool_calls[0]["name"] == "get_weather"
    chunks = [c async for c in llm.astream("weather?")]
    full = aggregate(chunks)
    assert full.content == "Sure." and full.tool_calls[0]["args"] == {"city": "Paris"}
    assert chunks[0].content == "Sure."  # prose before the call streams early


# ------------------------------------------------------------------ structured output


@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
def test_structured_output_methods(emulator: Emulator, method: str) -> None:
    reply = (
        '{"name": "Person", "arguments": {"name": "Ada", "age": "36"}}'
        if method == "function_calling"
        else 'Here you go:\n```json\n{"name": "Ada", "age": 36}\n```'
    )
    emulator.script_replies([reply])
    structured = make(emulator).with_structured_output(Person, method=method)  # type: ignore[arg-type]
    assert structured.invoke("Who?") == Person(name="Ada", age=36)


def test_structured_output_include_raw_and_parsing_error(emulator: Emulator) -> None:
    emulator.script_replies(['{"name": "Ada"}', '{"name": "Ada"}'])
    structured = make(emulator, max_tool_retries=0).with_structured_output(Person, include_raw=True)
    out = structured.invoke("Who?")
    assert isinstance(out["raw"], AIMessage) and out["parsed"] is None
    assert out["parsing_error"] is not None


def test_bound_response_format_returns_bare_json(emulator: Emulator) -> None:
    emulator.script_replies(
        ['Sure! ```json\n{"name": "Ada", "age": 36}\n```', "no json", '{"a": 1}']
    )
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "Person", "schema": Person.model_json_schema()},
    }
    result = make(emulator).bind_tools([], response_format=response_format).invoke("Who?")
    assert json.loads(str(result.content)) == {"name": "Ada", "age": 36}
    retried = make(emulator).bind(response_format=response_format).invoke("Who?")
    assert json.loads(str(retried.content)) == {"a": 1}
    assert retried.response_metadata["corrective_retries"] == 1


# ------------------------------------------------------------------ ecosystem


def test_lcel_chain_with_prompt_and_parser(emulator: Emulator) -> None:
    emulator.script_replies(["Bonjour le monde"])
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Translate to {language}."), ("human", "{text}")]
    )
    chain = prompt | make(emulator) | StrOutputParser()
    assert chain.invoke({"language": "French", "text": "Hello world"}) == "Bonjour le monde"
    sent = chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    assert "Translate to French." in sent and "Hello world" in sent


@pytest.mark.parametrize("mode", ["invoke", "stream"])
def test_create_agent_tool_round_trip(emulator: Emulator, mode: str) -> None:
    from langchain.agents import create_agent

    emulator.script_replies([CALL, "It is sunny in Paris."])
    agent = create_agent(make(emulator), tools=[get_weather])
    request = {"messages": [HumanMessage("What's the weather in Paris?")]}
    if mode == "invoke":
        messages = agent.invoke(request)["messages"]
    else:
        messages = []
        for update in agent.stream(request, stream_mode="values"):
            messages = update["messages"]
    assert isinstance(messages[1], AIMessage) and messages[1].tool_calls[0]["name"] == "get_weather"
    assert isinstance(messages[2], ToolMessage) and messages[2].content == "Sunny in Paris"
    assert messages[-1].content == "It is sunny in Paris."
    second_prompt = chat_bodies(emulator)[-1]["promptObject"]["prompt"]
    assert "Sunny in Paris" in second_prompt and messages[1].tool_calls[0]["id"] in second_prompt


def test_create_agent_stream_messages_mode(emulator: Emulator) -> None:
    from langchain.agents import create_agent

    emulator.script_replies([CALL, "It is sunny in Paris."])
    agent = create_agent(make(emulator), tools=[get_weather])
    tokens = [
        chunk.content
        for chunk, _ in agent.stream(
            {"messages": [HumanMessage("Weather?")]}, stream_mode="messages"
        )
        if isinstance(chunk, AIMessageChunk)
    ]
    assert "".join(str(t) for t in tokens).endswith("It is sunny in Paris.")


def test_create_agent_structured_response(emulator: Emulator) -> None:
    from langchain.agents import create_agent

    emulator.script_replies(['```json\n{"name": "Ada", "age": 36}\n```'])
    agent = create_agent(make(emulator, model="gpt-4o"), tools=[], response_format=Person)
    result = agent.invoke({"messages": [HumanMessage("Who wrote the first program?")]})
    assert result["structured_response"] == Person(name="Ada", age=36)


def test_media_tools_refuse_local_files_unless_allowed(tmp_path) -> None:
    """A model-supplied argument must not be able to upload local files."""
    import pytest as _pytest
    from langchain_oneminai.tools.media import OneMinAIImageEditTool, OneMinAISpeechToTextTool

    secret = tmp_path / "secret.wav"
    secret.write_bytes(b"RIFF....")
    stt = OneMinAISpeechToTextTool(api_key="k", base_url="http://127.0.0.1:9")
    with _pytest.raises(ValueError, match="local file"):
        stt._check_files({"audio": str(secret)})
    edit = OneMinAIImageEditTool(api_key="k", base_url="http://127.0.0.1:9")
    with _pytest.raises(ValueError, match="local file"):
        edit._check_files({"image": str(secret)})
    edit._check_files({"image": "https://example.com/a.png"})  # URLs are fine
    OneMinAIImageEditTool(api_key="k", allow_local_files=True)._check_files({"image": str(secret)})


# ------------------------------------------------------------------ issue 13: the surface


def test_unknown_tool_choice_name_is_a_clear_error(emulator: Emulator) -> None:
    llm = make(emulator)
    with pytest.raises(ValueError, match="'get_wether' is not one of the bound tools"):
        llm.bind_tools([get_weather], tool_choice="get_wether")
    with pytest.raises(ValueError, match="not one of the bound tools"):
        llm.bind_tools([get_weather], tool_choice={"type": "function", "function": {"name": "x"}})
    bound = llm.bind_tools([get_weather])
    with pytest.raises(ValueError, match="not one of the bound tools"):
        bound.invoke("hi", tool_choice="nope")
    assert chat_bodies(emulator) == []  # nothing was sent


@pytest.mark.filterwarnings("ignore:The function `loads` is in beta")
def test_serialisation_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.load import dumpd, loads

    llm = ChatOneMinAI(
        model="gpt-4o", api_key="sk-round-trip-secret", web_search=True, stop=["END"], timeout=7
    )
    assert ChatOneMinAI.is_lc_serializable()
    text = dumps(llm)
    assert "sk-round-trip-secret" not in text
    assert dumpd(llm)["kwargs"]["api_key"] == {
        "lc": 1,
        "type": "secret",
        "id": ["ONEMINAI_API_KEY"],
    }
    restored = loads(
        text,
        secrets_map={"ONEMINAI_API_KEY": "sk-round-trip-secret"},
        valid_namespaces=["langchain_oneminai"],
        allowed_objects=[ChatOneMinAI],
    )
    assert isinstance(restored, ChatOneMinAI)
    assert (restored.model_name, restored.web_search, restored.stop, restored.timeout) == (
        "gpt-4o",
        True,
        ["END"],
        7,
    )
    assert restored.api_key is not None
    assert restored.api_key.get_secret_value() == "sk-round-trip-secret"
    monkeypatch.setenv("ONEMINAI_API_KEY", "sk-from-env")
    from_env = loads(
        text,
        secrets_from_env=True,
        valid_namespaces=["langchain_oneminai"],
        allowed_objects=[ChatOneMinAI],
    )
    assert from_env.api_key.get_secret_value() == "sk-from-env"


def test_unknown_constructor_keywords_go_to_model_kwargs(emulator: Emulator) -> None:
    with pytest.warns(UserWarning, match="'num_of_site' is not a ChatOneMinAI parameter"):
        llm = make(emulator, num_of_site=5, web_search=True)
    with pytest.warns(UserWarning, match="'top_p'.*not sent"):
        other = make(emulator, top_p=0.5)
    assert llm.model_kwargs == {"num_of_site": 5} and other.model_kwargs == {"top_p": 0.5}
    emulator.script_replies(["ok", "ok"])
    llm.invoke("hi")
    settings = chat_bodies(emulator)[-1]["promptObject"]["settings"]
    assert settings["webSearchSettings"]["numOfSite"] == 5
    other.invoke("hi")
    assert "top_p" not in json.dumps(chat_bodies(emulator)[-1])
    with pytest.raises(ValueError, match="both directly and in model_kwargs"):
        make(emulator, top_p=1, model_kwargs={"top_p": 2})


@pytest.mark.parametrize("tools", [False, True])
def test_reasoning_streams_apart_from_the_answer(emulator: Emulator, tools: bool) -> None:
    reply = "<think>\nThe user greets me. " + "I think. " * 40 + "\n</think>\n\nHello there!"
    emulator.script_replies([reply, reply])
    llm = make(emulator)
    runnable = llm.bind_tools([get_weather]) if tools else llm
    invoked = runnable.invoke("Hi")
    chunks = list(runnable.stream("Hi"))
    for message in (invoked, aggregate(chunks)):
        assert message.content == "Hello there!"
        reasoning = message.additional_kwargs["reasoning_content"]
        assert reasoning.startswith("The user greets me.") and "<think>" not in reasoning
        assert [b["type"] for b in message.content_blocks] == ["reasoning", "text"]
    first_text = next(i for i, c in enumerate(chunks) if c.content)
    assert any(c.additional_kwargs.get("reasoning_content") for c in chunks[:first_text])
    assert all("<think" not in str(c.content) for c in chunks)
