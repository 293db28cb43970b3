"""Data safety: ``save()`` never leaves a partial file, a failed upload or job never reports
success, and text streamed before a failure is always on the raised error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web
from oneminai_webapi import GeneratedImage, OneMinAIClient, SyncOneMinAIClient, Timeouts
from oneminai_webapi.exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AssetUploadError,
    JobFailedError,
    OneMinAIError,
    StreamError,
)
from oneminai_webapi.testing import Emulator, Fault

CHAT = "/api/chat-with-ai"
PAYLOAD = bytes(range(256)) * 400  # 100 KiB


class FileServer:
    """Serves /ok (whole file), /cut (half the body, then the socket closes) and
    /stall (headers, half the body, then silence), and records request headers."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        name = request.match_info["name"]
        if name == "ok.png":
            return web.Response(body=PAYLOAD, content_type="image/png")
        resp = web.StreamResponse(
            headers={"Content-Type": "image/png", "Content-Length": str(len(PAYLOAD))}
        )
        await resp.prepare(request)
        await resp.write(PAYLOAD[: len(PAYLOAD) // 2])
        if name == "cut.png":
            assert request.transport is not None
            request.transport.close()
        else:
            await asyncio.sleep(2)
        return resp

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/files/{name}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest_asyncio.fixture
async def files() -> AsyncIterator[FileServer]:
    server = FileServer()
    await server.start()
    yield server
    await server.stop()


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# ── save() is atomic ────────────────────────────────────────────────────────────────────


async def test_save_writes_the_whole_file(
    files: FileServer, client: OneMinAIClient, canary: str, tmp_path: Path
) -> None:
    img = GeneratedImage(url=files.base_url + "/files/ok.png")
    img._bind(client)
    path = await img.save(tmp_path)
    assert Path(path).read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == ["ok.png"]
    assert all("api-key" not in h for h in files.headers)  # another origin never gets the key
    assert client._transport.in_flight == 0


@pytest.mark.parametrize("name", ["cut.png", "stall.png"])
async def test_failed_download_leaves_no_file(
    files: FileServer, emu: Emulator, canary: str, tmp_path: Path, no_sleep: list[float], name: str
) -> None:
    target = tmp_path / "out"
    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.2)) as c:
        img = GeneratedImage(url=f"{files.base_url}/files/{name}")
        img._bind(c)
        with pytest.raises((APIConnectionError, APITimeoutError)):
            await img.save(target, filename="picture.png")
        assert c._transport.in_flight == 0
    assert _leftovers(target) == []  # neither picture.png nor a .part- temporary


async def test_failed_download_keeps_an_existing_file(
    files: FileServer, client: OneMinAIClient, tmp_path: Path, no_sleep: list[float]
) -> None:
    (tmp_path / "picture.png").write_bytes(b"previous")
    img = GeneratedImage(url=f"{files.base_url}/files/cut.png")
    img._bind(client)
    with pytest.raises(APIConnectionError):
        await img.save(tmp_path, filename="picture.png")
    assert (tmp_path / "picture.png").read_bytes() == b"previous"
    assert _leftovers(tmp_path) == ["picture.png"]


async def test_cancelled_download_leaves_no_file(
    files: FileServer, client: OneMinAIClient, tmp_path: Path
) -> None:
    img = GeneratedImage(url=f"{files.base_url}/files/stall.png")
    img._bind(client)
    task = asyncio.create_task(img.save(tmp_path, filename="picture.png"))
    while not files.headers:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _leftovers(tmp_path) == []
    assert client._transport.in_flight == 0


async def test_sync_failed_download_leaves_no_file(
    files: FileServer, canary: str, tmp_path: Path, no_sleep: list[float]
) -> None:
    def run() -> None:
        with SyncOneMinAIClient(canary, base_url="http://127.0.0.1:9") as c:
            ok = GeneratedImage(url=f"{files.base_url}/files/ok.png")
            ok._bind(c)
            assert Path(ok.save(tmp_path)).read_bytes() == PAYLOAD
            bad = GeneratedImage(url=f"{files.base_url}/files/cut.png")
            bad._bind(c)
            with pytest.raises(APIConnectionError):
                bad.save(tmp_path, filename="broken.png")

    await asyncio.to_thread(run)
    assert _leftovers(tmp_path) == ["ok.png"]


# ── failed uploads and jobs never report success ────────────────────────────────────────


@pytest.mark.parametrize(
    "fault",
    [
        Fault.status(500),
        Fault.status(413, {"message": "File too large"}),
        Fault.status(200, {"success": False, "error": {"message": "upload failed"}}),
        Fault.status(200, {"asset": {}}),
        Fault.status(200, "not json"),
    ],
    ids=["500", "413", "success-false", "no-key", "not-json"],
)
async def test_failed_upload_raises(
    emu: Emulator, client: OneMinAIClient, no_sleep: list[float], fault: Fault
) -> None:
    emu.inject(fault, times=3, path="/api/assets")
    with pytest.raises(APIError):
        await client.upload_asset(data=b"hello", filename="a.txt", mime_type="text/plain")
    assert not emu.assets or all(a.name != "a.txt" for a in emu.assets.values())


async def test_upload_failure_is_typed(emu: Emulator, client: OneMinAIClient) -> None:
    emu.inject(Fault.status(200, {"asset": {}}), path="/api/assets")
    with pytest.raises(AssetUploadError):
        await client.upload_asset(data=b"hello", filename="a.txt", mime_type="text/plain")


@pytest.mark.parametrize("failed_status", ["FAILED", "FAILURE"])
async def test_failed_async_job_raises(
    emu: Emulator, client: OneMinAIClient, failed_status: str
) -> None:
    emu.config.async_fail = True
    emu.config.async_failed_status = failed_status
    emu.config.async_pending_polls = 1
    for call in (
        lambda: client.generate_video("a cat", poll_interval=0.001),
        lambda: client.generate_music("a song", poll_interval=0.001),
    ):
        with pytest.raises(JobFailedError) as info:
            await call()
        assert info.value.record_status == failed_status


@pytest.mark.parametrize("status", ["FAILED", "FAILURE", "ERROR", "CANCELLED", "weird"])
async def test_any_non_success_record_status_is_a_failure(
    emu: Emulator, client: OneMinAIClient, status: str
) -> None:
    record = {
        "uuid": "r1",
        "type": "IMAGE_GENERATOR",
        "status": status,
        "aiRecordDetail": {"resultObject": ["x.png"]},
    }
    emu.inject(Fault.status(200, {"aiRecord": record}), path="/api/features")
    with pytest.raises(JobFailedError):
        await client.generate_image("a cat")


# ── streamed text survives every failure ────────────────────────────────────────────────

REPLY = "alpha beta gamma delta epsilon zeta"


@pytest.mark.parametrize(
    "fault",
    [Fault.cut_after(2), Fault.error_after(2), Fault.no_result_no_done(), Fault.drip(1.0)],
    ids=["cut", "in-band-error", "truncated", "idle"],
)
async def test_partial_text_is_on_every_stream_error(
    emu: Emulator, canary: str, fault: Fault
) -> None:
    emu.script_replies([REPLY])
    emu.inject(fault, path=CHAT)
    delivered = ""
    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.2)) as c:
        chat = c.start_chat("gpt-4o-mini")
        with pytest.raises(OneMinAIError) as info:
            async with chat.send_message_stream("go") as stream:
                async for chunk in stream:
                    delivered = chunk.text
        assert c._transport.in_flight == 0
    assert isinstance(info.value, (StreamError, APIConnectionError))
    partial = info.value.partial_text  # type: ignore[attr-defined]
    assert delivered and partial.startswith(delivered)
    assert REPLY.startswith(partial)
    assert stream.text == partial


def test_partial_text_sync(emu_thread: Emulator, sync_client: SyncOneMinAIClient) -> None:
    emu_thread.script_replies([REPLY])
    emu_thread.inject(Fault.cut_after(3), path=CHAT)
    delivered = ""
    with pytest.raises(StreamError) as info:
        for chunk in sync_client.generate_content_stream("go"):
            delivered = chunk.text
    assert info.value.partial_text == delivered == "alpha beta gamma "
