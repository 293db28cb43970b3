"""The ``oneminai-mcp`` command over stdio and streamable HTTP, driven by the SDK's client."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, types
from mcp.shared.exceptions import McpError
from mcp_harness import FAST_JOBS, KEY, HttpServer, http_session, stdio_session
from oneminai_webapi.integrations import tool_specs
from oneminai_webapi.testing import Emulator

pytestmark = pytest.mark.timeout(90)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _texts(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


def _no_key(*results: types.CallToolResult) -> None:
    for result in results:
        assert KEY not in result.model_dump_json(by_alias=True)


async def each_kind(session: ClientSession, emu: Emulator, tmp_path: Path) -> None:
    listed = await session.list_tools()
    names = [t.name for t in listed.tools]
    assert names == [s.name for s in tool_specs()]
    by_name = {t.name: t for t in listed.tools}
    for spec in tool_specs():
        assert by_name[spec.name].inputSchema == spec.input_schema()
        assert by_name[spec.name].description == spec.description

    image = await session.call_tool("oneminai_image_generation", {"prompt": "a red fox"})
    assert not image.isError
    kinds = [c.type for c in image.content]
    assert kinds == ["text", "image"]
    inline = image.content[1]
    assert isinstance(inline, types.ImageContent) and inline.mimeType == "image/png"
    assert base64.b64decode(inline.data).startswith(PNG_MAGIC)
    url = image.structuredContent["urls"][0]  # type: ignore[index]
    assert url in _texts(image) and url.startswith(emu.asset_base_url)

    speech = await session.call_tool("oneminai_text_to_speech", {"text": "Hello there"})
    assert [c.type for c in speech.content] == ["text", "resource_link"]
    link = speech.content[1]
    assert isinstance(link, types.ResourceLink) and link.mimeType == "audio/mpeg"
    assert str(link.uri) == speech.structuredContent["url"]  # type: ignore[index]

    heard = await session.call_tool("oneminai_speech_to_text", {"audio": "audios/a.mp3"})
    assert not heard.isError and _texts(heard)

    answer = await session.call_tool(
        "oneminai_ask", {"prompt": "What is new?", "web_search": True, "num_of_site": 2}
    )
    assert not answer.isError
    assert "Sources:\n[1] " in _texts(answer)
    assert len(answer.structuredContent["sources"]) == 2  # type: ignore[index]
    chat = emu.requests_to("/api/chat-with-ai")[-1].json
    assert chat["promptObject"]["settings"]["webSearchSettings"]["numOfSite"] == 2

    summary = await session.call_tool("oneminai_summarize", {"text": "A long text."})
    assert not summary.isError and "A long text." in _texts(summary)
    feature = emu.requests_to("/api/features")[-1].json
    assert feature["type"] == "SUMMARIZER"

    models = await session.call_tool("oneminai_list_models", {"feature": "music_generation"})
    assert not models.isError and models.structuredContent["models"]  # type: ignore[index]

    credits = await session.call_tool("oneminai_credits", {})
    assert credits.structuredContent == {"credits": emu.credits}

    _no_key(image, speech, heard, answer, summary, models, credits)


async def video_progress(session: ClientSession, emu: Emulator, tmp_path: Path) -> None:
    emu.config.async_pending_polls = 3
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    result = await session.call_tool(
        "oneminai_video_generation",
        {"prompt": "waves at dusk", "duration": 10},
        progress_callback=on_progress,
    )
    assert not result.isError, _texts(result)
    assert [c.type for c in result.content] == ["text", "resource_link"]
    assert result.content[1].name.endswith(".mp4")  # type: ignore[union-attr]
    # The initial record, 3 pending polls, the final poll: each one a notification.
    assert [u[0] for u in updates] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert all("processing" in (u[2] or "") for u in updates[:4])
    assert "success" in (updates[-1][2] or "")
    body = emu.requests_to("/api/features")[-1].json
    assert body["type"] == "TEXT_TO_VIDEO" and body["async"] is True


async def video_cancelled(session: ClientSession, emu: Emulator, tmp_path: Path) -> None:
    emu.config.async_pending_polls = 10_000
    seen = anyio.Event()
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)
        if len(updates) >= 3:
            seen.set()

    def polls() -> int:
        return len(emu.requests_to("/api/results/"))

    request_id = session._request_id  # the id the next request gets
    outcome: list[Any] = []

    async def call() -> None:
        try:
            outcome.append(
                await session.call_tool(
                    "oneminai_video_generation", {"prompt": "x"}, progress_callback=on_progress
                )
            )
        except McpError as exc:
            outcome.append(exc)

    async with anyio.create_task_group() as group:
        group.start_soon(call)
        with anyio.fail_after(10):
            await seen.wait()
        await session.send_notification(
            types.ClientNotification(
                types.CancelledNotification(
                    params=types.CancelledNotificationParams(
                        requestId=request_id, reason="user cancelled"
                    )
                )
            )
        )
    assert isinstance(outcome[0], McpError), outcome
    before = polls()
    # Polls came every 0.05-0.2 s before the cancellation (interval x1.5 each time).
    for _ in range(3):
        await anyio.sleep(0.2)
    assert polls() == before
    # The server is fine afterwards.
    credits = await session.call_tool("oneminai_credits", {})
    assert not credits.isError


async def refused_paths_and_errors(session: ClientSession, emu: Emulator, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nprivate")
    for value in (str(secret), "/etc/passwd", "~/.ssh/id_rsa", f"file://{secret}"):
        refused = await session.call_tool(
            "oneminai_image_edit", {"image": value, "prompt": "make it blue"}
        )
        assert refused.isError, value
        assert "not allowed" in _texts(refused)
    assert emu.requests_to("/api/features") == []
    assert emu.requests_to("/api/assets") == []

    emu.credits = 0
    broke = await session.call_tool("oneminai_image_generation", {"prompt": "a cat"})
    assert broke.isError and "credit" in _texts(broke).lower()

    emu.credits = 1_000_000
    wrong = await session.call_tool("oneminai_image_generation", {"prompt": 3})
    assert wrong.isError and "prompt" in _texts(wrong)

    emu.config.async_fail = True
    failed = await session.call_tool("oneminai_video_generation", {"prompt": "x"})
    assert failed.isError and "failed" in _texts(failed).lower()
    emu.config.async_fail = False

    unknown = await session.call_tool("oneminai_nope", {})
    assert unknown.isError
    _no_key(refused, broke, wrong, failed, unknown)


async def client_roots(session: ClientSession, emu: Emulator, tmp_path: Path) -> None:
    inside = tmp_path / "inside"
    photo = inside / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nphoto")
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\nother")
    edited = await session.call_tool(
        "oneminai_image_edit", {"image": str(photo), "prompt": "brighter"}
    )
    assert not edited.isError, _texts(edited)
    assert len(emu.requests_to("/api/assets", "POST")) == 1
    refused = await session.call_tool(
        "oneminai_image_edit", {"image": str(outside), "prompt": "brighter"}
    )
    assert refused.isError and "not allowed" in _texts(refused)
    assert len(emu.requests_to("/api/assets", "POST")) == 1


SCENARIOS = [each_kind, video_progress, video_cancelled, refused_paths_and_errors, client_roots]


def _roots(tmp_path: Path) -> list[str]:
    inside = tmp_path / "inside"
    inside.mkdir(exist_ok=True)
    return [str(inside)]


async def test_stdio_command(emu: Emulator, tmp_path: Path) -> None:
    """One spawned ``oneminai-mcp`` (stdio) goes through every scenario."""
    async with stdio_session(emu, *FAST_JOBS, "--job-timeout", "5", roots=_roots(tmp_path)) as (
        session,
        log,
    ):
        for scenario in SCENARIOS:
            emu.reset()
            await scenario(session, emu, tmp_path)
            emu.config.async_pending_polls = 0
        assert KEY not in log.text
    assert "oneminai_image_generation done" in log.text


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
async def test_streamable_http(
    http_server: HttpServer, emu: Emulator, tmp_path: Path, scenario: Any
) -> None:
    async with http_session(http_server, roots=_roots(tmp_path)) as (session, log):
        await scenario(session, emu, tmp_path)
    assert KEY not in log.text
