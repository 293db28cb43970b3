"""Connection reuse and release by ChatOneMinAI and OneMinAIToolkit (emulator-backed)."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from langchain_oneminai import ChatOneMinAI, OneMinAIAPIWrapper, OneMinAIToolkit
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.exceptions import ClientClosedError
from oneminai_webapi.integrations import ClientSettings
from oneminai_webapi.testing import Emulator

ECHO = "Echo from gpt-4o-mini: "


def make(emu: Emulator, **kwargs: Any) -> ChatOneMinAI:
    return ChatOneMinAI(api_key="test-key", base_url=emu.base_url, **kwargs)


@pytest.fixture
def connects(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """TCP connections opened to the emulator during the test."""
    port = urlsplit(emulator.base_url).port
    seen: list[object] = []
    inner = socket.socket.connect  # the loopback guard of tests/conftest.py

    def counting(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[1] == port:
            seen.append(address)
        return inner(sock, address)

    monkeypatch.setattr(socket.socket, "connect", counting)
    return seen


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch) -> list[OneMinAIClient]:
    """Async core clients the adapters create during the test, in order."""
    made: list[OneMinAIClient] = []
    original = ClientSettings.async_client

    def recording(settings: ClientSettings) -> OneMinAIClient:
        made.append(original(settings))
        return made[-1]

    monkeypatch.setattr(ClientSettings, "async_client", recording)
    return made


def assert_closed(client: OneMinAIClient, loop: asyncio.AbstractEventLoop | None = None) -> None:
    """The client refuses new requests (run in ``loop``, or in a new one)."""
    with pytest.raises(ClientClosedError):
        if loop is None:
            asyncio.run(client.chat("x"))
        else:
            loop.run_until_complete(client.chat("x"))


# ------------------------------------------------------------------ ChatOneMinAI


async def test_async_calls_in_one_loop_share_one_client_and_connection(
    emulator: Emulator, connects: list[object], created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    first = await llm.ainvoke("one")
    second = await llm.ainvoke("two")
    streamed = "".join([str(chunk.content) async for chunk in llm.astream("three")])
    assert (first.content, second.content, streamed) == (ECHO + "one", ECHO + "two", ECHO + "three")
    assert len(created) == 1
    assert len(connects) == 1  # keep-alive: one TCP connection for the three calls
    await llm.aclose()


def test_successive_asyncio_run_loops_each_get_a_working_client(
    emulator: Emulator, created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    assert asyncio.run(llm.ainvoke("one")).content == ECHO + "one"
    assert llm.invoke("sync in between").content == ECHO + "sync in between"
    assert asyncio.run(llm.ainvoke("two")).content == ECHO + "two"
    assert len(created) == 2  # an aiohttp session belongs to one loop
    for client in created:
        assert_closed(client)  # each closed when its loop ended
    llm.close()


def test_loops_in_several_threads_at_once(
    emulator: Emulator, created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    answers: list[str] = []

    def ask(i: int) -> None:
        answers.append(str(asyncio.run(llm.ainvoke(f"t{i}")).content))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [f"{ECHO}t{i}" for i in range(3)]
    assert len(created) == 3
    llm.close()


async def test_aclose_releases_the_loops_client(
    emulator: Emulator, created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    await llm.ainvoke("one")
    await llm.aclose()
    with pytest.raises(ClientClosedError):
        await created[0].chat("x")
    assert (await llm.ainvoke("two")).content == ECHO + "two"  # reopened
    assert len(created) == 2
    await llm.aclose()


def test_close_releases_the_sync_client_and_an_idle_loops_client(
    emulator: Emulator, created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    sync_client = llm._clients().sync()
    loop = asyncio.new_event_loop()  # a loop that is never shut down by asyncio.run
    try:
        assert loop.run_until_complete(llm.ainvoke("one")).content == ECHO + "one"
        llm.close()
        assert_closed(created[0], loop)
        with pytest.raises(ClientClosedError):
            sync_client.chat("x")
    finally:
        loop.close()
    gc.collect()  # an unclosed aiohttp session would warn here (an error in this suite)


async def test_a_collected_model_closes_its_client_in_the_loop(
    emulator: Emulator, created: list[OneMinAIClient]
) -> None:
    llm = make(emulator)
    await llm.ainvoke("one")
    del llm
    gc.collect()
    await asyncio.sleep(0)  # the loop's async-generator finalizer schedules the close
    await asyncio.gather(*(asyncio.all_tasks() - {asyncio.current_task()}))
    with pytest.raises(ClientClosedError):
        await created[0].chat("x")


async def test_given_clients_are_never_closed(emulator: Emulator) -> None:
    async with OneMinAIClient("test-key", base_url=emulator.base_url) as given_async:
        with SyncOneMinAIClient("test-key", base_url=emulator.base_url) as given_sync:
            llm = make(emulator, client=given_sync, async_client=given_async)
            await llm.ainvoke("one")
            await llm.aclose()
            llm.close()
            assert (await given_async.chat("still open")).text == ECHO + "still open"
            assert given_sync.chat("still open").text == ECHO + "still open"


# ------------------------------------------------------------------ OneMinAIToolkit


@pytest.fixture
def toolkit(emulator: Emulator) -> Iterator[OneMinAIToolkit]:
    kit = OneMinAIToolkit(api_key="test-key", base_url=emulator.base_url)
    yield kit
    kit.close()


def test_toolkit_close_releases_its_sync_client(toolkit: OneMinAIToolkit) -> None:
    tool = toolkit.get_tools()[0]
    tool.invoke({"prompt": "a lighthouse"})
    client = toolkit.api_wrapper.clients().sync()
    toolkit.close()
    with pytest.raises(ClientClosedError):
        client.chat("x")
    assert tool.invoke({"prompt": "again"})  # a later call reopens the pool


async def test_toolkit_aclose_releases_sync_and_async_clients(
    toolkit: OneMinAIToolkit, created: list[OneMinAIClient]
) -> None:
    tool = toolkit.get_tools()[0]
    await tool.ainvoke({"prompt": "a lighthouse"})
    await tool.ainvoke({"prompt": "a harbour"})
    assert len(created) == 1  # async runs share the loop's client
    sync_client = toolkit.api_wrapper.clients().sync()
    await toolkit.aclose()
    with pytest.raises(ClientClosedError):
        await created[0].chat("x")
    with pytest.raises(ClientClosedError):
        sync_client.chat("x")


def test_toolkit_as_context_managers(emulator: Emulator, created: list[OneMinAIClient]) -> None:
    with OneMinAIToolkit(api_key="test-key", base_url=emulator.base_url) as kit:
        kit.get_tools()[0].invoke({"prompt": "a lighthouse"})
        sync_client = kit.api_wrapper.clients().sync()
    with pytest.raises(ClientClosedError):
        sync_client.chat("x")

    async def use() -> None:
        async with OneMinAIToolkit(api_key="test-key", base_url=emulator.base_url) as kit:
            await kit.get_tools()[0].ainvoke({"prompt": "a lighthouse"})
        with pytest.raises(ClientClosedError):
            await created[0].chat("x")  # closed on leaving the block, not at loop end

    asyncio.run(use())


def test_toolkit_leaves_a_given_wrapper_open(emulator: Emulator) -> None:
    wrapper = OneMinAIAPIWrapper(api_key="test-key", base_url=emulator.base_url)
    with OneMinAIToolkit(api_wrapper=wrapper) as kit:
        kit.get_tools()[0].invoke({"prompt": "a lighthouse"})
    assert wrapper.clients().sync().chat("still open").text == ECHO + "still open"
    wrapper.close()
