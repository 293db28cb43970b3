"""Fixtures for the media/content feature tests: one threaded emulator, both clients.

``client`` is parametrized over the async and the sync client; ``await call(x)`` resolves
a method's result for either. ``sent(emu)`` is the JSON body of the last
``POST /api/features`` the emulator recorded (the golden-payload check).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from oneminai_webapi import OneMinAIClient, RetryPolicy, SyncOneMinAIClient, Timeouts
from oneminai_webapi.testing import Emulator, EmulatorConfig

FAST_RETRY = RetryPolicy(max_retries=1, initial_delay_s=0.001, max_delay_s=0.005, jitter=0.0)
FAST_TIMEOUTS = Timeouts(connect=2.0, pool=2.0, read=5.0, total=10.0)


async def call(value: Any) -> Any:
    """The result of a client method for either client (awaits when needed)."""
    if inspect.isawaitable(value):
        return await value
    return value


def sent(emu: Emulator) -> Any:
    """The JSON body of the last feature call the emulator received."""
    calls = emu.requests_to("/api/features", "POST")
    assert calls, "no POST /api/features was recorded"
    return calls[-1].json


def make_client(kind: str, emu: Emulator, **options: Any) -> Any:
    options.setdefault("timeouts", FAST_TIMEOUTS)
    options.setdefault("timeout", None)
    cls = OneMinAIClient if kind == "async" else SyncOneMinAIClient
    client = cls(emu.api_key, base_url=emu.base_url, **options)
    client._ctx.settings.retry = FAST_RETRY
    return client


@pytest.fixture(scope="session")
def _shared_emulator() -> Iterator[Emulator]:
    """One emulator per worker (starting one per test would dominate the runtime)."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(canary: str, _shared_emulator: Emulator) -> Emulator:
    """The shared emulator, reset to defaults, accepting the canary key."""
    emulator = _shared_emulator
    defaults = EmulatorConfig()
    for f in dataclasses.fields(EmulatorConfig):
        setattr(emulator.config, f.name, getattr(defaults, f.name))
    emulator.config.api_key = canary
    emulator.reset()
    emulator.catalog.reset()
    return emulator


@pytest.fixture(params=["async", "sync"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture
async def client(kind: str, emu: Emulator) -> AsyncIterator[Any]:
    c = make_client(kind, emu)
    try:
        yield c
        assert c._transport.in_flight == 0, "a connection slot was not released"
    finally:
        await call(c.close())


@pytest.fixture(autouse=True)
def _fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll every 10 ms unless a test says otherwise (the default is 2 s)."""
    from oneminai_webapi._protocol import _features

    monkeypatch.setattr(_features, "DEFAULT_POLL_INTERVAL_S", 0.01)
