"""The gateway in front of the emulator, for tests driven by real OpenAI clients.

``emu`` is one threaded emulator per worker, reset per test and accepting ``UPSTREAM_KEY``.
``gateway`` is a :class:`GatewayServer` (its own thread and loop) in front of it, with a
fresh ledger in ``tmp_path`` and two keys: ``ALICE`` (no limits) and ``BOB`` (budget, rpm
and a model allow-list); ``make_gateway(**config)`` builds one with other settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oneminai_gateway import GatewayConfig, GatewayServer
from oneminai_webapi.testing import Emulator, EmulatorConfig

UPSTREAM_KEY = "sk-upstream-emulator-key"
ALICE = "sk-gw-alice-0123456789"
BOB = "sk-gw-bob-0123456789"

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def tool_reply(name: str, **arguments: Any) -> str:
    """A model reply that calls one tool in the emulated protocol."""
    import json

    payload = {"tool_calls": [{"name": name, "arguments": arguments}]}
    return "```tool_calls\n" + json.dumps(payload) + "\n```"


@pytest.fixture(scope="session")
def _emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(_emulator: Emulator) -> Emulator:
    defaults = EmulatorConfig()
    for f in dataclasses.fields(EmulatorConfig):
        setattr(_emulator.config, f.name, getattr(defaults, f.name))
    _emulator.config.api_key = UPSTREAM_KEY
    _emulator.reset()
    return _emulator


def config_for(emu: Emulator, ledger: Path, **overrides: Any) -> GatewayConfig:
    """A gateway configuration in front of ``emu`` (``overrides``: top-level sections)."""
    data: dict[str, Any] = {
        "server": {"host": "127.0.0.1", "port": 0, "ledger": str(ledger)},
        "upstream": {
            "api_key": UPSTREAM_KEY,
            "base_url": emu.base_url,
            "max_retries": 0,
            "timeout": 10,
        },
        "keys": [
            {"name": "alice", "key": ALICE},
            {
                "name": "bob",
                "key": BOB,
                "budget_credits": 250,
                "rpm": 5,
                "models": ["gpt-4o-mini", "tts-1", "whisper-1"],
            },
        ],
    }
    for section, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section] = {**data[section], **value}
        else:
            data[section] = value
    return GatewayConfig.model_validate(data)


@pytest.fixture
def make_gateway(emu: Emulator, tmp_path: Path) -> Iterator[Callable[..., GatewayServer]]:
    started: list[GatewayServer] = []

    def factory(**overrides: Any) -> GatewayServer:
        ledger = tmp_path / f"ledger-{len(started)}.sqlite3"
        server = GatewayServer(config_for(emu, ledger, **overrides)).start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def gateway(make_gateway: Callable[..., GatewayServer]) -> GatewayServer:
    return make_gateway()


@pytest.fixture
def base_url(gateway: GatewayServer) -> str:
    return gateway.base_url + "/v1"
