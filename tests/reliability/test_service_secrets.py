"""The canary key never leaves the gateway or the MCP server: an upstream that echoes the key
in an error body, an error header or a stream error must not put it into the gateway's
response (status, headers, body, stream), its logs or its ledger, nor into an MCP tool result
or the MCP server's logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from oneminai_webapi.testing import Emulator, Fault

from .conftest import logging_at_debug

CHAT = "/api/chat-with-ai"
FEATURES = "/api/features"


def echoing_faults(key: str) -> dict[str, Fault]:
    """Upstream failures that quote the key, each in another place."""
    return {
        "401-body": Fault.status(401, {"message": f"Invalid API key {key}"}),
        "400-provider-details": Fault.provider_error(f"the key {key} is not allowed here"),
        "403-json-escaped": Fault.status(
            403,
            '{"error": {"message": "Forbidden for ' + key.replace("-", "\\u002d") + '"}}',
            content_type="application/json",
        ),
        "500-request-id": Fault.status(500, "oops", headers={"X-Request-Id": key}),
        "200-success-false": Fault.status(
            200, {"success": False, "error": {"code": "X", "message": f"bad key {key}"}}
        ),
    }


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))


@pytest.fixture
def all_logs() -> Iterator[_Records]:
    """Every log record of every thread, at DEBUG, formatted with its traceback."""
    handler = _Records()
    names = ("", "oneminai_webapi", "oneminai_gateway", "oneminai_mcp", "aiohttp", "mcp")
    with logging_at_debug(handler, names):
        yield handler


# ── the gateway ──────────────────────────────────────────────────────────────────────────

GATEWAY_KEY = "sk-gw-secrets-0123456789"


@pytest.fixture
def gateway(emu_thread: Emulator, canary: str, tmp_path: Path) -> Iterator[Any]:
    from oneminai_gateway import GatewayConfig, GatewayServer

    config = GatewayConfig.model_validate(
        {
            "server": {"host": "127.0.0.1", "port": 0, "ledger": str(tmp_path / "l.sqlite3")},
            "upstream": {"api_key": canary, "base_url": emu_thread.base_url, "max_retries": 0},
            "keys": [{"name": "alice", "key": GATEWAY_KEY}],
        }
    )
    with GatewayServer(config) as server:
        yield server


async def _post_chat(gateway: Any, *, stream: bool = False) -> tuple[int, str, str]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    if stream:
        body["stream"] = True
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            gateway.base_url + "/v1/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {GATEWAY_KEY}"},
        ) as response,
    ):
        raw = await response.read()
        return response.status, repr(list(response.headers.items())), raw.decode()


@pytest.mark.parametrize("scenario", list(echoing_faults("k")))
async def test_the_gateway_never_passes_on_an_echoed_key(
    gateway: Any, emu_thread: Emulator, canary: str, all_logs: _Records, scenario: str
) -> None:
    emu_thread.inject(echoing_faults(canary)[scenario], path=CHAT)
    status, headers, body = await _post_chat(gateway)

    assert status >= 400 and json.loads(body)["error"]["message"]  # a failure, in OpenAI's shape
    assert canary not in body and canary not in headers
    gateway.flush_ledger()
    assert canary.encode() not in Path(gateway.config.server.ledger).read_bytes()
    assert not [line for line in all_logs.lines if canary in line]


async def test_the_gateway_stream_never_passes_on_an_echoed_key(
    gateway: Any, emu_thread: Emulator, canary: str, all_logs: _Records
) -> None:
    emu_thread.inject(Fault.error_after(2, f"model failed for key {canary}"), path=CHAT)
    status, headers, body = await _post_chat(gateway, stream=True)

    assert status == 200 and '"error"' in body  # the failure arrived as an error event
    assert canary not in body and canary not in headers
    assert not [line for line in all_logs.lines if canary in line]


# ── the MCP server ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("scenario", list(echoing_faults("k")))
async def test_mcp_tool_results_never_carry_an_echoed_key(
    emu: Emulator, canary: str, all_logs: _Records, scenario: str
) -> None:
    from mcp.shared.memory import create_connected_server_and_client_session
    from oneminai_mcp import OneMinAIMCPServer, ServerConfig

    emu.inject(echoing_faults(canary)[scenario], times=None)
    server = OneMinAIMCPServer(
        ServerConfig(api_key=canary, base_url=emu.base_url, poll_interval=0.05)
    )
    try:
        async with create_connected_server_and_client_session(server.server) as session:
            asked = await session.call_tool("oneminai_ask", {"prompt": "Hi"})
            image = await session.call_tool("oneminai_image_generation", {"prompt": "a cat"})
    finally:
        await server.aclose()

    for result in (asked, image):
        assert result.isError  # the failure is reported to the model
        assert canary not in result.model_dump_json()
    assert {r.path for r in emu.requests} >= {CHAT, FEATURES}  # both reached the upstream
    assert not [line for line in all_logs.lines if canary in line]
