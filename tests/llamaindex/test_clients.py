"""Lazy core clients: one sync client, one async client per event loop, closed with the loop."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import oneminai_webapi
import pytest
from llama_index.core.bridge.pydantic import SecretStr
from llama_index.llms.oneminai._clients import ClientConfig, ClientFactory


class _Recorder:
    instances: ClassVar[list[_Recorder]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.closed = False
        _Recorder.instances.append(self)

    async def close(self) -> None:
        self.closed = True


@pytest.fixture
def factory(monkeypatch: pytest.MonkeyPatch) -> ClientFactory:
    _Recorder.instances = []
    monkeypatch.setattr(oneminai_webapi, "OneMinAIClient", _Recorder)
    config = ClientConfig(
        SecretStr("secret-key"), base_url="http://x.test", timeout=5, max_retries=1, proxy=None
    )
    return ClientFactory(config)


def test_one_async_client_per_loop_closed_at_loop_shutdown(factory: ClientFactory) -> None:
    async def use() -> Any:
        first = await factory.async_()
        assert await factory.async_() is first
        return first

    a = asyncio.run(use())
    b = asyncio.run(use())
    assert a is not b
    assert a.closed and b.closed
    assert a.kwargs == {
        "api_key": "secret-key",
        "proxy": None,
        "timeout": 5,
        "base_url": "http://x.test",
        "max_retries": 1,
    }


async def test_aclose_closes_the_running_loops_client(factory: ClientFactory) -> None:
    client = await factory.async_()
    await factory.aclose()
    assert client.closed
    assert await factory.async_() is not client


def test_config_repr_hides_key(factory: ClientFactory) -> None:
    assert "secret-key" not in repr(factory)


class _CallerOwned:
    """A caller-owned client that notes whether anyone closed it."""

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_given_clients_are_used_as_is() -> None:
    sync, async_ = _CallerOwned(), _CallerOwned()
    config = ClientConfig(SecretStr(""), base_url=None, timeout=1, max_retries=0, proxy=None)
    given = ClientFactory(config, client=sync, async_client=async_)  # type: ignore[arg-type]
    assert given.sync() is sync
    assert asyncio.run(given.async_()) is async_
    given.close()
    assert not sync.closed and not async_.closed  # caller-owned clients stay open
