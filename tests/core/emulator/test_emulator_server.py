from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import aiohttp
import pytest
from oneminai_webapi.testing import Emulator, EmulatorConfig

from .conftest import chat_body


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status, resp.read()


def test_thread_mode() -> None:
    with Emulator(api_key="k1") as emu:
        assert emu.running and emu.base_url.startswith("http://127.0.0.1:")
        status, body = _get(f"{emu.base_url}/users", {"X-Auth-Token": "Bearer k1"})
        assert status == 200 and json.loads(body)["user"]["teams"][0]["team"]["uuid"] == emu.team_id
        assert emu.requests[-1].path == "/users"
        assert emu.requests[-1].headers["x-auth-token"] == "Bearer k1"
    assert not emu.running


def test_start_in_thread_stop() -> None:
    emu = Emulator().start_in_thread()
    try:
        status, _ = _get(f"{emu.base_url}/models?feature=CODE_GENERATOR")
        assert status == 200
    finally:
        emu.stop()
    emu.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", emu.port), timeout=1).close()


def test_thread_fixture(onemin_emulator_thread: Emulator) -> None:
    status, body = _get(f"{onemin_emulator_thread.base_url}/models?feature=IMAGE_GENERATOR")
    assert status == 200 and json.loads(body)["total"] > 10


@pytest.mark.onemin_emulator(api_key="marked", rate_limit=True)
async def test_marker_options(onemin_emulator: Emulator) -> None:
    assert onemin_emulator.api_key == "marked" and onemin_emulator.config.rate_limit


def test_options() -> None:
    with pytest.raises(TypeError):
        Emulator(no_such_option=1)
    cfg = EmulatorConfig(initial_credits=5)
    emu = Emulator("abc", config=cfg, credits_per_call=1)
    assert emu.api_key == "abc" and emu.credits == 5 and emu.config.credits_per_call == 1


async def test_recording_reset_and_catalog(onemin_emulator: Emulator) -> None:
    emu = onemin_emulator
    emu.catalog.add("my-model", ["@chat"])
    async with aiohttp.ClientSession() as s:
        resp = await s.post(
            f"{emu.base_url}/api/chat-with-ai?isStreaming=true",
            json=chat_body(model="my-model"),
            headers=emu.official_headers,
        )
        await resp.read()
        assert resp.status == 200
    req = emu.last_request
    assert req is not None and req.method == "POST" and req.path == "/api/chat-with-ai"
    assert req.query == {"isStreaming": "true"} and req.headers["api-key"] == "test-key"
    assert req.json["model"] == "my-model"
    assert emu.stats.streams_started == 1 and emu.stats.open_streams == 0
    conv = emu.add_conversation()
    emu.credits = 3
    emu.reset()
    assert emu.requests == [] and conv.uuid not in emu.conversations
    assert emu.credits == emu.config.initial_credits


async def test_concurrency_counters(onemin_emulator: Emulator) -> None:
    emu = onemin_emulator
    from oneminai_webapi.testing import Fault

    emu.inject(Fault.drip(0.05), times=None)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as s:

        async def one() -> str:
            r = await s.post(
                f"{emu.base_url}/api/chat-with-ai?isStreaming=true",
                json=chat_body(),
                headers=emu.official_headers,
            )
            return (await r.read()).decode()

        bodies = await asyncio.gather(*(one() for _ in range(50)))
    assert all(b.endswith('"Stream completed"}\n\n') for b in bodies)
    assert emu.stats.peak_open_streams == 50
    assert emu.stats.peak_in_flight == 50
    assert emu.stats.open_streams == 0 and emu.stats.in_flight == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_starts() -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oneminai_webapi.testing",
            "--port",
            str(port),
            "--api-key",
            "cli-key",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}" in line
        deadline = time.monotonic() + 10
        while True:
            try:
                status, _ = _get(
                    f"http://127.0.0.1:{port}/users", {"X-Auth-Token": "Bearer cli-key"}
                )
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 0


def test_every_public_model_enum_member_is_served() -> None:
    # Code written with ChatModel.X (or any model enum) must run against the emulator.
    from oneminai_webapi import constants
    from oneminai_webapi.testing import Catalog

    catalog = Catalog()
    for enum, feature in [
        (constants.ChatModel, "UNIFY_CHAT_WITH_AI"),
        (constants.CodeModel, "CODE_GENERATOR"),
        (constants.ImageModel, "IMAGE_GENERATOR"),
        (constants.TTSModel, "TEXT_TO_SPEECH"),
        (constants.STTModel, "SPEECH_TO_TEXT"),
        (constants.VideoModel, "TEXT_TO_VIDEO"),
        (constants.MusicModel, "MUSIC_GENERATOR"),
    ]:
        refused = [m.value for m in enum if not catalog.supports(feature, m.value)]
        # ...except the ids the service withdrew: it refuses them, so the emulator does.
        assert refused == [m.value for m in enum if m.value in constants.WITHDRAWN_MODELS], (
            enum.__name__,
            refused,
        )
    # the built-in entries keep their own data, and a reset restores a fresh copy
    entry = catalog.get("gpt-4o-mini")
    assert entry is not None and entry["provider"] == "openai"
    entry["features"].clear()
    catalog.reset()
    assert catalog.supports("UNIFY_CHAT_WITH_AI", "gpt-4o-mini")
