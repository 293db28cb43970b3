"""Gateway behaviours beyond chat options: the cached model catalog, a 403 from 1min.AI, a
client that hangs up during a non-streamed call, and the real ``oneminai-gateway`` command."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import openai
import pytest
from oneminai_gateway import GatewayServer
from oneminai_webapi.testing import Emulator, Fault
from openai import OpenAI

from .conftest import ALICE, UPSTREAM_KEY

HELLO = [{"role": "user", "content": "Hello"}]


def sdk(gateway: GatewayServer) -> OpenAI:
    return OpenAI(base_url=gateway.base_url + "/v1", api_key=ALICE, max_retries=0, timeout=10)


def catalog_fetches(emu: Emulator) -> int:
    """Upstream catalog requests so far (one catalog is one request per feature type)."""
    return sum(1 for r in emu.requests if r.path.endswith("/models"))


def test_the_model_catalog_is_fetched_once_per_cache_window(
    make_gateway: Callable[..., GatewayServer], emu: Emulator
) -> None:
    gateway = make_gateway(server={"models_cache_seconds": 0.3})
    with sdk(gateway) as client:
        first = [m.id for m in client.models.list()]
        fetched = time.monotonic()  # the window starts when the fetch has finished
        per_catalog = catalog_fetches(emu)
        again = [m.id for m in client.models.list()]
        client.models.retrieve("gpt-4o-mini")
        assert time.monotonic() - fetched < 0.3, "too slow to test the window"
        assert catalog_fetches(emu) == per_catalog  # within the window: from the cache
        assert first == again and "gpt-4o-mini" in first
        while time.monotonic() - fetched < 0.35:
            time.sleep(0.05)
        client.models.list()
        assert catalog_fetches(emu) == 2 * per_catalog  # after it: fetched again


def test_an_upstream_403_is_upstream_forbidden(gateway: GatewayServer, emu: Emulator) -> None:
    emu.inject(Fault.status(403), path="/api/chat-with-ai")
    with sdk(gateway) as client, pytest.raises(openai.PermissionDeniedError) as refused:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    assert refused.value.status_code == 403
    assert refused.value.code == "upstream_forbidden"
    assert refused.value.type == "permission_error"
    assert "1min.AI refused the call" in refused.value.message
    assert UPSTREAM_KEY not in refused.value.response.text
    assert len([r for r in emu.requests if r.path == "/api/chat-with-ai"]) == 1  # no retry


def ledger_rows(path: str) -> list[tuple[int, str | None]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT status, error FROM calls").fetchall()
    finally:
        db.close()


async def test_a_client_that_disconnects_cancels_a_non_streamed_call(
    gateway: GatewayServer, emu: Emulator
) -> None:
    emu.inject(Fault.stall(1.5), path="/api/chat-with-ai")  # the upstream answers in 1.5 s
    body = {"model": "gpt-4o-mini", "messages": HELLO}
    async with aiohttp.ClientSession() as session:
        request = asyncio.ensure_future(
            session.post(
                gateway.base_url + "/v1/chat/completions",
                json=body,
                headers={"Authorization": f"Bearer {ALICE}"},
            )
        )
        started = time.monotonic()
        while not [r for r in emu.requests if r.path == "/api/chat-with-ai"]:
            assert time.monotonic() - started < 2, "the upstream call never started"
            await asyncio.sleep(0.01)
        request.cancel()  # hang up while the gateway waits for 1min.AI
        with pytest.raises(asyncio.CancelledError):
            await request
    hung_up = time.monotonic()
    rows: list[tuple[int, str | None]] = []
    while not rows and time.monotonic() - hung_up < 1.2:
        gateway.flush_ledger()
        rows = ledger_rows(gateway.config.server.ledger)
        await asyncio.sleep(0.02)
    # The call ended as cancelled well before the upstream would have answered.
    assert rows == [(499, "CancelledError")]
    assert time.monotonic() - hung_up < 1.2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_oneminai_gateway_command_serves_and_stops_cleanly(
    emu: Emulator, tmp_path: Path
) -> None:
    command = Path(sys.executable).with_name("oneminai-gateway")
    assert command.exists(), "the console script is installed with the package"
    ledger = tmp_path / "ledger.sqlite3"
    config = tmp_path / "gateway.toml"
    config.write_text(
        f'[server]\nledger = "{ledger}"\n'
        f'[upstream]\napi_key = "{UPSTREAM_KEY}"\nbase_url = "{emu.base_url}"\nmax_retries = 0\n'
        f'[[keys]]\nname = "alice"\nkey = "{ALICE}"\n'
    )
    port = free_port()
    process = subprocess.Popen(
        [str(command), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # printed once the socket listens
        assert banner.strip() == f"oneminai-gateway: serving http://127.0.0.1:{port}/v1"
        with OpenAI(
            base_url=f"http://127.0.0.1:{port}/v1", api_key=ALICE, max_retries=0, timeout=10
        ) as client:
            reply = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
        assert reply.choices[0].message.content == "Echo from gpt-4o-mini: Hello"
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert UPSTREAM_KEY not in errors and ALICE not in errors
    assert ledger_rows(str(ledger)) == [(200, None)]  # written on the way out
    assert json.loads(json.dumps(reply.model_extra["oneminai"]))["credits"] > 0
