"""OneMinAIToolSpec: tool metadata and every tool (sync and async) against the emulator."""

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

NAMES = [
    "generate_image",
    "edit_image",
    "text_to_speech",
    "speech_to_text",
    "generate_video",
    "generate_music",
    "web_search",
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
    image = tools["generate_image"].metadata.get_parameters_dict()
    assert image["required"] == ["prompt"]
    assert image["properties"]["width"]["type"] == "integer"
    assert "description" in image["properties"]["prompt"]
    stt = tools["speech_to_text"].metadata.get_parameters_dict()
    assert stt["required"] == ["audio_url"]


@pytest.mark.parametrize(
    ("name", "kwargs", "block_type"),
    [
        ("generate_image", {"prompt": "a red fox", "num_images": 2}, ImageBlock),
        (
            "edit_image",
            {"image_url": "https://example.com/fox.png", "prompt": "make it blue"},
            ImageBlock,
        ),
        ("text_to_speech", {"text": "Hello there", "voice": "nova"}, AudioBlock),
        ("generate_video", {"prompt": "waves at dusk", "duration": 5}, VideoBlock),
        ("generate_music", {"prompt": "calm piano", "instrumental": True}, AudioBlock),
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
    if name == "generate_image":
        assert len(media) == 2


async def test_async_media_tools(tools: dict[str, FunctionTool], spec: OneMinAIToolSpec) -> None:
    image = await tools["generate_image"].acall(prompt="a lighthouse")
    speech = await tools["text_to_speech"].acall(text="Hi")
    video = await tools["generate_video"].acall(prompt="rain")
    edited = await tools["edit_image"].acall(image_url="https://example.com/a.png", prompt="sepia")
    assert isinstance(image.blocks[1], ImageBlock)
    assert isinstance(speech.blocks[1], AudioBlock)
    assert isinstance(video.blocks[1], VideoBlock)
    assert isinstance(edited.blocks[1], ImageBlock)
    await spec.aclose()


def test_speech_to_text(tools: dict[str, FunctionTool], emu: Any) -> None:
    emu.script_replies(["hello from the recording"])
    output = tools["speech_to_text"].call(audio_url="https://example.com/a.mp3", language="en")
    assert not output.is_error, output.content
    assert output.content == "hello from the recording"


async def test_async_speech_to_text_and_web_search(
    tools: dict[str, FunctionTool], emu: Any
) -> None:
    emu.script_replies(["transcript", "It is sunny."])
    assert (
        await tools["speech_to_text"].acall(audio_url="https://example.com/a.mp3")
    ).content == "transcript"
    answer = (await tools["web_search"].acall(query="Weather in Paris?")).content
    assert answer.startswith("It is sunny.") and "Sources:" in answer


def test_web_search(tools: dict[str, FunctionTool], emu: Any) -> None:
    emu.script_replies(["Paris is the capital of France."])
    answer = tools["web_search"].call(query="capital of France").content
    assert answer.startswith("Paris is the capital of France.")
    body = emu.requests_to("/api/chat-with-ai")[-1].json
    assert body["promptObject"]["settings"]["webSearchSettings"]["webSearch"] is True


def test_local_files_are_refused_by_default(
    tools: dict[str, FunctionTool], emu: Any, tmp_path: Any
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    for ref in (str(secret), "/etc/passwd", "~/.ssh/id_rsa"):
        refused = tools["edit_image"].call(image_url=ref, prompt="x")
        assert refused.is_error, refused.content  # the agent's model reads the refusal
        assert isinstance(refused.exception, LocalFileRefusedError)
        assert "local file" in refused.content
    assert emu.requests_to("/api/assets") == []


def test_local_files_when_allowed(emu: Any, tmp_path: Any) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    spec = OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, allow_local_files=True)
    try:
        output = spec.to_tool_list(["edit_image"])[0].call(image_url=str(image), prompt="x")
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


def _search(spec: OneMinAIToolSpec) -> FunctionTool:
    return spec.to_tool_list(["web_search"])[0]


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
    tools: dict[str, FunctionTool],
) -> None:
    image = tools["generate_image"].metadata.get_parameters_dict()["properties"]
    pairs = image["width"]["description"].split("pairs: ", 1)[1].rstrip(".").split(", ")
    assert "1024x1024" in pairs and "1024x1536" not in pairs  # SDXL's fixed list
    for pair in pairs:
        width, height = (int(v) for v in pair.split("x"))
        assert width in image["width"]["enum"] and height in image["height"]["enum"]
        _accepted("generate_image", prompt="x", width=width, height=height)
    speech = tools["text_to_speech"].metadata.get_parameters_dict()["properties"]
    for voice in speech["voice"]["anyOf"][0]["enum"]:
        _accepted("text_to_speech", text="hi", voice=voice)
    video = tools["generate_video"].metadata.get_parameters_dict()["properties"]
    for duration in video["duration"]["enum"]:
        for ratio in video["aspect_ratio"]["enum"]:
            _accepted("generate_video", prompt="x", duration=duration, aspect_ratio=ratio)
    music = tools["generate_music"].metadata.get_parameters_dict()["properties"]
    assert [o["const"] for o in music["duration"]["anyOf"] if "const" in o] == [30]


def test_media_schemas_follow_the_configured_model(emu: Any) -> None:
    with OneMinAIToolSpec(
        api_key="k", base_url=emu.base_url, video_model="sora-2", image_model="gpt-image-1"
    ) as spec:
        tools = {t.metadata.name: t for t in spec.to_tool_list()}
    video = tools["generate_video"].metadata.get_parameters_dict()["properties"]
    assert video["aspect_ratio"]["enum"] == ["16:9", "9:16"]
    image = tools["generate_image"].metadata.get_parameters_dict()["properties"]
    assert image["width"]["enum"] == [1024, 1536]
