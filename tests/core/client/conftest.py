"""Fixtures for the core-client tests: one emulator, and both clients pointed at it.

Most tests are ``async def`` and take the parametrized ``client`` fixture, which yields
either an :class:`OneMinAIClient` or a :class:`SyncOneMinAIClient`. The emulator runs in
its own thread (``with Emulator()``), so the blocking client works inside an async test
and the async client talks to it across threads. ``await call(x)`` resolves a method's
result for either client; ``collect(stream)`` drains a stream of either kind.
"""

from __future__ import annotations

import dataclasses
import inspect
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
from oneminai_webapi import (
    AsyncChatStream,
    AsyncCompletionStream,
    OneMinAIClient,
    RetryPolicy,
    SyncOneMinAIClient,
    Timeouts,
)
from oneminai_webapi.testing import Emulator, EmulatorConfig

#: Fast retries for every test client (the policy under test, with tiny delays).
FAST_RETRY = RetryPolicy(initial_delay_s=0.001, max_delay_s=0.005, jitter=0.0)
#: Timeouts small enough that a stall fails fast, large enough for a loaded CI box.
FAST_TIMEOUTS = Timeouts(connect=2.0, pool=2.0, read=1.0, total=5.0)

ClientAny = Any  # OneMinAIClient | SyncOneMinAIClient


async def call(value: Any) -> Any:
    """The result of a client method for either client (awaits when needed).

    Streams are returned as they are (awaiting one is deprecated); an async completion
    stream is opened first, as the sync client's ``complete(stream=True)`` is.
    """
    if isinstance(value, AsyncCompletionStream):
        return await value.open()
    if isinstance(value, AsyncChatStream):
        return value
    if inspect.isawaitable(value):
        return await value
    return value


@dataclass
class Drained:
    """What a stream produced before it ended or failed."""

    chunks: list[Any] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def deltas(self) -> str:
        return "".join(c.text_delta for c in self.chunks if not c.is_final)

    @property
    def final(self) -> Any:
        finals = [c for c in self.chunks if c.is_final]
        assert len(finals) == 1, f"expected exactly one final chunk, got {len(finals)}"
        return finals[0]


async def collect(stream: Any, *, catch: bool = False) -> Drained:
    """Drain a stream (async or sync). With ``catch``, an error is recorded, not raised."""
    stream = await call(stream)
    out = Drained()
    try:
        if hasattr(stream, "__aiter__"):
            async for chunk in stream:
                out.chunks.append(chunk)
        else:
            for chunk in stream:
                out.chunks.append(chunk)
    except Exception as exc:
        if not catch:
            raise
        out.error = exc
    return out


async def close_stream(stream: Any) -> None:
    """Close a stream of either kind."""
    if hasattr(stream, "aclose"):
        await stream.aclose()
    else:
        stream.close()


def fast(client: ClientAny, **retry: Any) -> ClientAny:
    """Shrink ``client``'s retry delays; its max_retries/retry_on_timeout stay (or ``retry``)."""
    current = client._ctx.settings.retry
    fields = {
        "max_retries": current.max_retries,
        "retry_on_timeout": current.retry_on_timeout,
        "max_retry_after_s": current.max_retry_after_s,
        "initial_delay_s": FAST_RETRY.initial_delay_s,
        "max_delay_s": FAST_RETRY.max_delay_s,
        "jitter": FAST_RETRY.jitter,
    }
    fields.update(retry)
    client._ctx.settings.retry = RetryPolicy(**fields)
    return client


def make_client(kind: str, base_url: str, api_key: str, **options: Any) -> ClientAny:
    """A client of ``kind`` (``"async"``/``"sync"``) with fast retries and timeouts.

    ``options`` are the client's public options; ``retry={...}`` overrides policy fields.
    """
    options.setdefault("timeouts", FAST_TIMEOUTS)
    retry = options.pop("retry", {})
    options.setdefault("timeout", None)
    cls = OneMinAIClient if kind == "async" else SyncOneMinAIClient
    return fast(cls(api_key, base_url=base_url, **options), **retry)


async def aclose(client: ClientAny) -> None:
    await call(client.close())


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` (server-side counters settle asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


async def await_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.005)
    return predicate()


@pytest.fixture(scope="session")
def _shared_emulator() -> Iterator[Emulator]:
    """One threaded emulator per worker (starting/stopping one per test costs ~0.3 s)."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(request: pytest.FixtureRequest, canary: str, _shared_emulator: Emulator) -> Emulator:
    """The emulator, reset, accepting the canary key (options via ``onemin_emulator`` marker)."""
    marker = request.node.get_closest_marker("onemin_emulator")
    options = dict(marker.kwargs) if marker is not None else {}
    emulator = _shared_emulator
    defaults = EmulatorConfig()
    for f in dataclasses.fields(EmulatorConfig):
        setattr(emulator.config, f.name, getattr(defaults, f.name))
    emulator.config.api_key = canary
    for name, value in options.items():
        setattr(emulator.config, name, value)
    emulator.reset()
    return emulator


@pytest.fixture(params=["async", "sync"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which client the test runs with."""
    return str(request.param)


@pytest_asyncio.fixture
async def client(kind: str, emu: Emulator) -> AsyncIterator[ClientAny]:
    """An API-key client of ``kind`` pointed at the emulator; closed (and checked) after."""
    c = make_client(kind, emu.base_url, emu.api_key)
    try:
        yield c
        assert c._transport.in_flight == 0, "a connection slot was not released"
    finally:
        await aclose(c)


@pytest_asyncio.fixture
async def make(kind: str, emu: Emulator) -> AsyncIterator[Callable[..., ClientAny]]:
    """Factory for extra clients of ``kind`` (``make(api_key=..., base_url=..., retry={...})``)."""
    made: list[ClientAny] = []

    def factory(**options: Any) -> ClientAny:
        api_key = options.pop("api_key", emu.api_key)
        base_url = options.pop("base_url", emu.base_url)
        c = make_client(kind, base_url, api_key, **options)
        made.append(c)
        return c

    yield factory
    for c in made:
        await aclose(c)


class _SleepRecorder:
    """Stands in for the ``asyncio``/``time`` module of a driver: records retry sleeps."""

    def __init__(self, module: Any, delays: list[float], *, is_async: bool) -> None:
        self._module = module
        self._delays = delays
        self._is_async = is_async

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def sleep(self, seconds: float, *args: Any, **kwargs: Any) -> Any:
        self._delays.append(seconds)
        if self._is_async:
            return self._module.sleep(0)
        return None


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the drivers were asked to sleep (retries, polling); nothing really waits."""
    import asyncio

    from oneminai_webapi._client import _async, _sync

    delays: list[float] = []
    monkeypatch.setattr(_async, "asyncio", _SleepRecorder(asyncio, delays, is_async=True))
    monkeypatch.setattr(_sync, "time", _SleepRecorder(time, delays, is_async=False))
    return delays
