"""OneMinAIToolSpec: tool metadata and every tool (sync and async) against the emulator.

The tools are the shared definitions (``oneminai_webapi.integrations.tool_specs``); their
equality with the MCP server's is checked in ``tests/mcp/test_shared_definitions.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.base.llms.types import AudioBlock, ImageBlock, TextBlock, VideoBlock
from llama_index.core.tools import FunctionTool
from llama_index.tools.oneminai import OneMinAIToolSpec
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.exceptions import ClientClosedError, LocalFileRefusedError
from oneminai_webapi.integrations import ToolResult

NAMES = [
    "oneminai_image_generation",
    "oneminai_image_edit",
    "oneminai_text_to_speech",
    "oneminai_speech_to_text",
    "oneminai_video_generation",
    "oneminai_music_generation",
    "oneminai_job_result",
    "oneminai_ask",
]


@pytest.fixture
def spec(emu: Any) -> Iterator[OneMinAIToolSpec]:
    tool_spec = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, poll_interval=0.01)
    yield tool_spec
    tool_spec.close()


@pytest.fixture
def tools(spec: OneMinAIToolSpec) -> dict[str, FunctionTool]:
    return {tool.metadata.name: tool for tool in spec.to_tool_list()}


def test_tool_list_names_and_schemas(tools: dict[str, FunctionTool]) -> None:
    assert list(tools) == NAMES
    for tool in tools.values():
        assert tool.async_fn is not None and tool.fn is not None
        assert len(tool.metadata.description) < 1024
        tool.metadata.to_openai_tool()  # valid OpenAI-style definition
    image = tools["oneminai_image_generation"].metadata.get_parameters_dict()
    assert image["required"] == ["prompt"]
    assert image["properties"]["aspect_ratio"]["enum"] == ["square", "portrait", "landscape"]
    assert "description" in image["properties"]["prompt"]
    assert "title" not in image["properties"]["prompt"]  # the shared schema, not pydantic's
    stt = tools["oneminai_speech_to_text"].metadata.get_parameters_dict()
    assert stt["required"] == ["audio"]


@pytest.mark.parametrize(
    ("name", "kwargs", "block_type"),
    [
        ("oneminai_image_generation", {"prompt": "a red fox", "num_images": 2}, ImageBlock),
        (
            "oneminai_image_edit",
            {"image": "https://example.com/fox.png", "prompt": "make it blue"},
            ImageBlock,
        ),
        ("oneminai_text_to_speech", {"text": "Hello there", "voice": "nova"}, AudioBlock),
        ("oneminai_video_generation", {"prompt": "waves at dusk", "duration": 5}, VideoBlock),
        ("oneminai_music_generation", {"prompt": "calm piano", "instrumental": True}, AudioBlock),
    ],
)
def test_media_tools(
    tools: dict[str, FunctionTool], emu: Any, name: str, kwargs: dict[str, Any], block_type: type
) -> None:
    output = tools[name].call(**kwargs)
    assert not output.is_error, output.content
    assert isinstance(output.blocks[0], TextBlock)
    media = [b for b in output.blocks if isinstance(b, block_type)]
    assert media and all(str(b.url) in output.content for b in media)
    assert str(media[0].url).startswith(emu.base_url)
    assert isinstance(output.raw_output, ToolResult)  # artifact: URLs, asset keys, record id
    assert [f.url for f in output.raw_output.files] == [str(b.url) for b in media]
    assert output.raw_output.artifact["record_id"] in emu.records
    if name == "oneminai_image_generation":
        assert len(media) == 2


async def test_async_media_tools(tools: dict[str, FunctionTool], spec: OneMinAIToolSpec) -> None:
    image = await tools["oneminai_image_generation"].acall(prompt="a lighthouse")
    speech = await tools["oneminai_text_to_speech"].acall(text="Hi")
    video = await tools["oneminai_video_generation"].acall(prompt="rain")
    edited = await tools["oneminai_image_edit"].acall(
        image="https://example.com/a.png", prompt="sepia"
    )
    assert isinstance(image.blocks[1], ImageBlock)
    assert isinstance(speech.blocks[1], AudioBlock)
    assert isinstance(video.blocks[1], VideoBlock)
    assert isinstance(edited.blocks[1], ImageBlock)
    await spec.aclose()


def test_speech_to_text(tools: dict[str, FunctionTool], emu: Any) -> None:
    emu.script_replies(["hello from the recording"])
    output = tools["oneminai_speech_to_text"].call(audio="https://example.com/a.mp3", language="en")
    assert not output.is_error, output.content
    assert output.content == "hello from the recording"


async def test_async_speech_to_text_and_web_search(
    tools: dict[str, FunctionTool], emu: Any
) -> None:
    emu.script_replies(["transcript", "It is sunny."])
    assert (
        await tools["oneminai_speech_to_text"].acall(audio="https://example.com/a.mp3")
    ).content == "transcript"
    answer = (
        await tools["oneminai_ask"].acall(prompt="Weather in Paris?", web_search=True)
    ).content
    assert answer.startswith("It is sunny.") and "Sources:" in answer


def test_ask_with_web_search(tools: dict[str, FunctionTool], emu: Any) -> None:
    emu.script_replies(["Paris is the capital of France.", "Paris."])
    answer = tools["oneminai_ask"].call(prompt="capital of France", web_search=True).content
    assert answer.startswith("Paris is the capital of France.")
    settings = emu.requests_to("/api/chat-with-ai")[-1].json["promptObject"]["settings"]
    assert settings["webSearchSettings"]["webSearch"] is True
    assert settings["webSearchSettings"]["numOfSite"] == 3  # the spec's num_of_site
    assert tools["oneminai_ask"].call(prompt="capital of France").content == "Paris."
    settings = emu.requests_to("/api/chat-with-ai")[-1].json["promptObject"]["settings"]
    assert not settings.get("webSearchSettings", {}).get("webSearch")


def test_ask_uses_the_configured_chat_model_and_pages(emu: Any) -> None:
    emu.script_replies(["one", "two"])
    with OneMinAIToolSpec(
        api_key="test-key", base_url=emu.base_url, chat_model="gpt-4o", num_of_site=5
    ) as spec:
        (ask,) = spec.to_tool_list(["oneminai_ask"])
        ask.call(prompt="news?", web_search=True)
        ask.call(prompt="news?", web_search=True, num_of_site=2, model="claude-3-5-haiku")
    first, second = (r.json["promptObject"] for r in emu.requests_to("/api/chat-with-ai"))
    bodies = [r.json for r in emu.requests_to("/api/chat-with-ai")]
    assert [b["model"] for b in bodies] == ["gpt-4o", "claude-3-5-haiku"]
    assert first["settings"]["webSearchSettings"]["numOfSite"] == 5
    assert second["settings"]["webSearchSettings"]["numOfSite"] == 2


def test_local_files_are_refused_by_default(
    tools: dict[str, FunctionTool], emu: Any, tmp_path: Any
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    for ref in (str(secret), "/etc/passwd", "~/.ssh/id_rsa"):
        refused = tools["oneminai_image_edit"].call(image=ref, prompt="x")
        assert refused.is_error, refused.content  # the agent's model reads the refusal
        assert isinstance(refused.exception, LocalFileRefusedError)
        assert "local file" in refused.content
    assert emu.requests_to("/api/assets") == []


def test_local_files_when_allowed(emu: Any, tmp_path: Any) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    spec = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, allow_local_files=True)
    try:
        tool = spec.to_tool_list(["oneminai_image_edit"])[0]
        output = tool.call(image=str(image), prompt="x")
        assert not output.is_error, output.content
        assert emu.requests_to("/api/assets")
    finally:
        spec.close()


def test_tool_spec_with_function_agent_tools(tools: dict[str, FunctionTool]) -> None:
    """The tools plug into an LLM's emulated tool calling like any FunctionTool."""
    from llama_index.llms.oneminai import OneMinAI

    llm = OneMinAI(api_key="k")
    kwargs = llm._prepare_chat_with_tools(list(tools.values()), user_msg="Draw a cat")
    assert [t["function"]["name"] for t in kwargs["tools"]] == NAMES


# ---------------------------------------------------------------- closing


class _Search:
    """The ask tool of a spec, asking with web search."""

    def __init__(self, spec: OneMinAIToolSpec) -> None:
        self.tool = spec.to_tool_list(["oneminai_ask"])[0]

    def call(self, query: str) -> Any:
        return self.tool.call(prompt=query, web_search=True)

    async def acall(self, query: str) -> Any:
        return await self.tool.acall(prompt=query, web_search=True)


def _search(spec: OneMinAIToolSpec) -> _Search:
    return _Search(spec)


def test_close_alone_closes_the_sync_and_an_idle_loops_async_client(emu: Any) -> None:
    spec = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url)
    emu.script_replies(["sync answer", "async answer"])
    assert _search(spec).call(query="q").content.startswith("sync answer")
    loop = asyncio.new_event_loop()  # never shut down: only close() can close its client
    try:
        answer = loop.run_until_complete(_search(spec).acall(query="q"))
        assert answer.content.startswith("async answer")
        sync_client = spec._clients.sync()
        async_client = loop.run_until_complete(spec._clients.async_())  # the one used above
        spec.close()
        with pytest.raises(ClientClosedError):
            sync_client.chat("x")
        with pytest.raises(ClientClosedError):
            loop.run_until_complete(async_client.chat("x"))
    finally:
        loop.close()


async def test_aclose_alone_closes_the_async_and_the_sync_client(emu: Any) -> None:
    spec = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url)
    emu.script_replies(["sync answer", "async answer"])
    _search(spec).call(query="q")
    await _search(spec).acall(query="q")
    sync_client, async_client = spec._clients.sync(), await spec._clients.async_()
    await spec.aclose()
    with pytest.raises(ClientClosedError):
        sync_client.chat("x")
    with pytest.raises(ClientClosedError):
        await async_client.chat("x")


def test_tool_spec_as_context_managers(emu: Any) -> None:
    emu.script_replies(["one", "two"])
    with OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url) as spec:
        _search(spec).call(query="q")
        sync_client = spec._clients.sync()
    with pytest.raises(ClientClosedError):
        sync_client.chat("x")

    async def use() -> None:
        async with OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url) as spec:
            await _search(spec).acall(query="q")
            async_client = await spec._clients.async_()
        with pytest.raises(ClientClosedError):
            await async_client.chat("x")  # closed on leaving the block, not at loop end

    asyncio.run(use())


async def test_given_clients_stay_open(emu: Any) -> None:
    emu.script_replies(["one", "two", "three", "four"])
    async with OneMinAIClient("test-key", base_url=emu.base_url) as given_async:
        with SyncOneMinAIClient("test-key", base_url=emu.base_url) as given_sync:
            spec = OneMinAIToolSpec(client=given_sync, async_client=given_async)
            async with spec:
                _search(spec).call(query="q")
                await _search(spec).acall(query="q")
            spec.close()
            assert given_sync.chat("still open").text == "three"
            assert (await given_async.chat("still open")).text == "four"


def _accepted(method: str, **args: Any) -> None:
    """Plan the call: the core registry raises (or warns) on what the model refuses."""
    import warnings

    from oneminai_webapi import _registry

    params = {k: v for k, v in _registry.METHODS[method].params.items()}
    params = {k: v for k, v in params.items() if v is not _registry.REQUIRED}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _registry.plan(method, {**params, **args})


def test_media_schemas_offer_only_what_the_default_models_accept(
    tools: dict[str, FunctionTool], emu: Any
) -> None:
    image = tools["oneminai_image_generation"].metadata.get_parameters_dict()["properties"]
    pairs = image["aspect_ratio"]["description"].split(": ", 1)[1].rstrip(".").split(", ")
    assert [p.split()[0] for p in pairs] == image["aspect_ratio"]["enum"]
    assert "portrait 832x1216" in pairs  # SDXL's fixed list, not 1024x1536
    for shape in image["aspect_ratio"]["enum"]:
        tools["oneminai_image_generation"].call(prompt="x", aspect_ratio=shape)
    for pair, request in zip(pairs, emu.requests_to("/api/features"), strict=True):
        width, height = (int(v) for v in pair.split()[1].split("x"))
        assert request.json["promptObject"]["size"] == f"{width}x{height}"
        _accepted("generate_image", prompt="x", width=width, height=height)
    speech = tools["oneminai_text_to_speech"].metadata.get_parameters_dict()["properties"]
    for voice in speech["voice"]["enum"]:
        _accepted("text_to_speech", text="hi", voice=voice)
    video = tools["oneminai_video_generation"].metadata.get_parameters_dict()["properties"]
    for duration in video["duration"]["enum"]:
        for ratio in video["aspect_ratio"]["enum"]:
            _accepted("generate_video", prompt="x", duration=duration, aspect_ratio=ratio)
    music = tools["oneminai_music_generation"].metadata.get_parameters_dict()["properties"]
    assert [o["const"] for o in music["duration"]["anyOf"] if "const" in o] == [30]


def test_media_schemas_follow_the_configured_model(emu: Any) -> None:
    with OneMinAIToolSpec(
        api_key="test-key",
        base_url=emu.base_url,
        video_model="sora-2",
        image_model="gpt-image-1",
        poll_interval=0.01,
    ) as spec:
        tools = {t.metadata.name: t for t in spec.to_tool_list()}
        video = tools["oneminai_video_generation"].metadata.get_parameters_dict()["properties"]
        assert video["aspect_ratio"]["enum"] == ["16:9", "9:16"]
        assert video["duration"]["enum"] == [4, 8, 12] and video["duration"]["default"] == 4
        image = tools["oneminai_image_generation"]
        shapes = image.metadata.get_parameters_dict()["properties"]["aspect_ratio"]
        assert "portrait 1024x1536" in shapes["description"]
        assert spec.get_fn_schema_from_fn_name("oneminai_image_generation") is (
            image.metadata.fn_schema
        )
        output = image.call(prompt="a fox", aspect_ratio="portrait")
        assert not output.is_error, output.content
        refused = tools["oneminai_video_generation"].call(prompt="waves", aspect_ratio="1:1")
        assert refused.is_error and "aspect_ratio" in refused.content  # nothing was sent
    (sent,) = [r.json for r in emu.requests_to("/api/features")]
    assert (sent["model"], sent["promptObject"]["size"]) == ("gpt-image-1", "1024x1536")
