"""The server's behaviour in detail, in memory (the SDK's client session, same process)."""

from __future__ import annotations

import base64
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, types
from mcp.shared.memory import create_connected_server_and_client_session
from mcp_harness import KEY, roots_callback
from oneminai_mcp import OneMinAIMCPServer, ServerConfig
from oneminai_mcp._content import CREDITS_META, JOB_META
from oneminai_webapi import _registry as registry
from oneminai_webapi.exceptions import APIError
from oneminai_webapi.integrations import tool_specs
from oneminai_webapi.testing import Emulator
from oneminai_webapi.types import ChatOutput, GeneratedImage, ImageOutput

pytestmark = pytest.mark.timeout(30)


@contextlib.asynccontextmanager
async def connected(
    emu: Emulator | None = None,
    *,
    client: Any = None,
    roots: list[str] | None = None,
    **settings: Any,
) -> AsyncIterator[ClientSession]:
    """A client session with an in-process server in front of ``emu`` (or ``client``)."""
    base = {"api_key": KEY, "poll_interval": 0.05}
    if emu is not None:
        base["base_url"] = emu.base_url
    server = OneMinAIMCPServer(ServerConfig(**{**base, **settings}), client=client)
    try:
        async with create_connected_server_and_client_session(
            server.server, list_roots_callback=roots_callback(roots)
        ) as session:
            yield session
    finally:
        await server.aclose()


def _text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def test_images_over_the_size_limit_come_back_as_links(emu: Emulator) -> None:
    async with connected(emu, max_image_bytes=10) as session:
        result = await session.call_tool("oneminai_image_generation", {"prompt": "a cat"})
    assert [c.type for c in result.content] == ["text", "resource_link"]
    link = result.content[1]
    assert isinstance(link, types.ResourceLink) and link.mimeType == "image/png"
    assert link.description and "images/" in link.description  # the asset key
    assert str(link.uri) == result.structuredContent["urls"][0]  # type: ignore[index]
    async with connected(emu, max_image_bytes=0) as session:
        result = await session.call_tool("oneminai_image_generation", {"prompt": "a cat"})
    assert [c.type for c in result.content] == ["text", "resource_link"]


async def test_several_images_each_inline(emu: Emulator) -> None:
    async with connected(emu) as session:
        result = await session.call_tool(
            "oneminai_image_generation", {"prompt": "cats", "num_images": 2}
        )
    assert [c.type for c in result.content] == ["text", "image", "image"]
    assert result.content[0].text.startswith("Generated 2 images: ")  # type: ignore[union-attr]


async def test_audio_inline_when_asked(emu: Emulator) -> None:
    async with connected(emu, inline_audio=True) as session:
        result = await session.call_tool("oneminai_text_to_speech", {"text": "Hello"})
    audio = result.content[1]
    assert isinstance(audio, types.AudioContent) and audio.mimeType == "audio/mpeg"
    assert base64.b64decode(audio.data).startswith(b"\xff\xfb")  # an MP3 frame
    async with connected(emu, inline_audio=True, max_audio_bytes=100) as session:
        result = await session.call_tool("oneminai_text_to_speech", {"text": "Hello"})
    assert result.content[1].type == "resource_link"


async def test_a_slow_job_returns_its_id_and_resumes(emu: Emulator) -> None:
    emu.config.async_pending_polls = 10_000
    async with connected(emu, job_timeout=0.2) as session:
        pending = await session.call_tool("oneminai_music_generation", {"prompt": "calm piano"})
        assert not pending.isError
        job_id = pending.structuredContent["job_id"]  # type: ignore[index]
        assert pending.structuredContent["status"] == "pending"  # type: ignore[index]
        assert pending.meta == {JOB_META: job_id}
        assert job_id in emu.records and f'job_id "{job_id}"' in _text(pending)
        emu.config.async_pending_polls = 0
        updates: list[float] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            updates.append(progress)

        done = await session.call_tool(
            "oneminai_job_result", {"job_id": job_id}, progress_callback=on_progress
        )
    assert not done.isError, _text(done)
    assert _text(done).startswith("Music: ") and done.content[1].type == "resource_link"
    assert done.structuredContent["record_id"] == job_id  # type: ignore[index]
    assert updates == [1.0]
    unknown = await _call(emu, "oneminai_job_result", {"job_id": "no-such-job"})
    assert unknown.isError and "no-such-job" in _text(unknown)


async def _call(emu: Emulator, name: str, arguments: dict[str, Any], **settings: Any) -> Any:
    async with connected(emu, **settings) as session:
        return await session.call_tool(name, arguments)


async def test_configured_models_are_used(emu: Emulator) -> None:
    models = {"image_generation": "dall-e-3", "oneminai_summarize": "gpt-4o", "ask": "gpt-4o"}
    async with connected(emu, models=models) as session:
        await session.call_tool("oneminai_image_generation", {"prompt": "a cat"})
        await session.call_tool("oneminai_summarize", {"text": "Some text."})
        await session.call_tool("oneminai_ask", {"prompt": "hi"})
        await session.call_tool("oneminai_ask", {"prompt": "hi", "model": "claude-3-5-haiku"})
    features = [r.json for r in emu.requests_to("/api/features")]
    assert [(f["type"], f["model"]) for f in features] == [
        ("IMAGE_GENERATOR", "dall-e-3"),
        ("SUMMARIZER", "gpt-4o"),
    ]
    assert [r.json["model"] for r in emu.requests_to("/api/chat-with-ai")] == [
        "gpt-4o",
        "claude-3-5-haiku",
    ]


async def test_service_errors_are_tool_errors_with_its_message(emu: Emulator) -> None:
    result = await _call(emu, "oneminai_image_generation", {"prompt": "x"}, models={
        "image_generation": "no-such-model"})  # fmt: skip
    assert result.isError and "no-such-model" in _text(result)


@pytest.mark.parametrize("spec", tool_specs(("writing",)), ids=lambda s: s.name)
async def test_every_writing_tool_reaches_its_feature(emu: Emulator, spec: Any) -> None:
    schema = spec.input_schema()
    arguments = {
        name: schema["properties"][name].get("enum", ["https://youtu.be/x"])[0]
        if name in ("platform", "url")
        else "Some words to work on."
        for name in schema.get("required", [])
    }
    result = await _call(emu, spec.name, arguments)
    assert not result.isError, _text(result)
    sent = emu.requests_to("/api/features")[-1].json
    assert sent["type"] in registry.METHODS[spec.method].feature_types()
    assert result.structuredContent["record_id"]  # type: ignore[index]


async def test_allow_list_and_client_roots(emu: Emulator, tmp_path: Path) -> None:
    allowed, rooted, other = tmp_path / "allowed", tmp_path / "rooted", tmp_path / "other"
    for folder in (allowed, rooted, other):
        folder.mkdir()
        (folder / "a.mp3").write_bytes(b"\xff\xfb\x90\x00" + b"\x00" * 413)

    async def transcribe(session: ClientSession, folder: Path) -> types.CallToolResult:
        return await session.call_tool("oneminai_speech_to_text", {"audio": str(folder / "a.mp3")})

    async with connected(emu, allowed_dirs=(str(allowed),), roots=[str(rooted)]) as session:
        assert not (await transcribe(session, allowed)).isError
        assert not (await transcribe(session, rooted)).isError
        assert (await transcribe(session, other)).isError
        link_out = allowed / "link.mp3"
        link_out.symlink_to(other / "a.mp3")
        escaped = await session.call_tool("oneminai_speech_to_text", {"audio": str(link_out)})
        assert escaped.isError  # a link out of an allowed folder does not count
    assert len(emu.requests_to("/api/assets", "POST")) == 2
    async with connected(emu, roots=[str(rooted)], use_client_roots=False) as session:
        assert (await transcribe(session, rooted)).isError
    async with connected(emu) as session:  # a client without roots
        assert (await transcribe(session, rooted)).isError
    assert len(emu.requests_to("/api/assets", "POST")) == 2


class _FakeClient:
    """An async client whose outputs carry the fields another branch adds to the core."""

    def __init__(self, failure: BaseException | None = None) -> None:
        self.failure = failure

    async def generate_image(self, **kwargs: Any) -> Any:
        if self.failure is not None:
            raise self.failure
        image = GeneratedImage(url="https://cdn.example/images/x.png", key="images/x.png")
        return ImageOutput(images=[image], model="m", record_id="r", credits_used=42)

    async def chat(self, prompt: str, **kwargs: Any) -> Any:
        from oneminai_webapi.types import Source

        return ChatOutput(
            text="Answer.",
            model="gpt-4o-mini",
            sources=[Source(title="Doc", url="https://docs.example/a"), Source(url="u")],
            credits_used=3,
        )

    async def close(self) -> None:
        return None


async def test_credits_used_and_typed_sources_are_read() -> None:
    async with connected(client=_FakeClient(), max_image_bytes=0) as session:
        image = await session.call_tool("oneminai_image_generation", {"prompt": "x"})
        answer = await session.call_tool("oneminai_ask", {"prompt": "q", "web_search": True})
    assert image.meta == {CREDITS_META: 42}
    assert answer.meta == {CREDITS_META: 3}
    assert "Sources:\n[1] Doc https://docs.example/a\n[2] u" in _text(answer)
    assert answer.structuredContent["sources"] == [  # type: ignore[index]
        {"title": "Doc", "url": "https://docs.example/a"},
        {"title": "", "url": "u"},
    ]


async def test_outputs_without_credits_have_no_meta(emu: Emulator) -> None:
    result = await _call(emu, "oneminai_check_grammar", {"text": "Me go."})
    assert not result.isError and result.meta is None


async def test_the_key_never_appears_even_when_an_error_quotes_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    failures = [APIError(f"rejected key {KEY}", status_code=401), RuntimeError(f"boom {KEY}")]
    results = []
    for failure in failures:
        async with connected(client=_FakeClient(failure)) as session:
            results.append(await session.call_tool("oneminai_image_generation", {"prompt": "x"}))
    assert all(r.isError and KEY not in r.model_dump_json() for r in results)
    assert _text(results[0]) == "rejected key [redacted]"  # the service's message, redacted
    assert _text(results[1]) == "oneminai_image_generation failed: internal error (RuntimeError)."
    assert KEY not in caplog.text


async def test_no_key_is_a_tool_error_and_tools_still_list(emu: Emulator) -> None:
    async with connected(emu, api_key="") as session:
        listed = await session.list_tools()
        assert len(listed.tools) == len(tool_specs())
        result = await session.call_tool("oneminai_credits", {})
    assert result.isError and "key" in _text(result).lower()


async def test_tool_selection_and_annotations(emu: Emulator) -> None:
    async with connected(emu, tools=("media", "oneminai_ask", "credits")) as session:
        listed = (await session.list_tools()).tools
    names = [t.name for t in listed]
    assert names[:6] == [
        "oneminai_image_generation",
        "oneminai_image_edit",
        "oneminai_text_to_speech",
        "oneminai_speech_to_text",
        "oneminai_video_generation",
        "oneminai_music_generation",
    ]
    assert set(names[6:]) == {"oneminai_ask", "oneminai_credits", "oneminai_job_result"}
    read_only = {t.name for t in listed if t.annotations and t.annotations.readOnlyHint}
    assert read_only == {"oneminai_credits", "oneminai_job_result"}
    with pytest.raises(ValueError, match=r"unknown 1min\.AI tools"):
        ServerConfig(tools=("nope",))
    with pytest.raises(ValueError, match=r"unknown 1min\.AI tools"):
        ServerConfig(models={"media": "x"})


async def test_list_models_by_feature_and_search(emu: Emulator) -> None:
    async with connected(emu) as session:
        found = await session.call_tool(
            "oneminai_list_models", {"feature": "image_generation", "search": "dall"}
        )
        every = await session.call_tool("oneminai_list_models", {})
        wrong = await session.call_tool("oneminai_list_models", {"feature": "painting"})
    ids = [m["id"] for m in found.structuredContent["models"]]  # type: ignore[index]
    assert ids and all("dall" in i.lower() for i in ids)
    assert _text(found).splitlines()[0] == f"{len(ids)} models:"
    assert len(every.structuredContent["models"]) > len(ids)  # type: ignore[index]
    assert wrong.isError and "unknown feature 'painting'" in _text(wrong)
    assert emu.requests_to("/models")[0].query.get("feature") == "IMAGE_GENERATOR"
