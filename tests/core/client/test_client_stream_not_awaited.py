"""Streams are returned as they are, never awaited; awaiting one still works and warns.

``chat(stream=True)``, ``generate_content_stream()``, ``send_message_stream()`` and
``complete(stream=True)`` hand out the stream itself on both clients. The old async form
(``await client.chat(..., stream=True)``, ``await client.complete(..., stream=True)``)
gives the same stream back with a ``DeprecationWarning``.
"""

from __future__ import annotations

from typing import Any

import pytest
from oneminai_webapi import (
    AsyncChatStream,
    AsyncCompletionStream,
    AuthenticationError,
    SyncChatStream,
    SyncCompletionStream,
)
from oneminai_webapi.completions import Completion
from oneminai_webapi.testing import Emulator

from .conftest import make_client

USER = [{"role": "user", "content": "Hi"}]


def chat_requests(emu: Emulator) -> list[Any]:
    return [r for r in emu.requests if r.path == "/api/chat-with-ai"]


async def test_async_streams_are_returned_as_they_are(emu: Emulator) -> None:
    emu.script_replies(["one two", "three four", "five six"])
    async with make_client("async", emu.base_url, emu.api_key) as client:
        stream = client.chat("Hi", stream=True)
        assert isinstance(stream, AsyncChatStream)
        assert [c.text async for c in stream][-1] == "one two"
        stream = client.generate_content_stream("Hi")
        assert isinstance(stream, AsyncChatStream)
        assert [c.text async for c in stream][-1] == "three four"
        session = client.start_chat()
        stream = session.send_message_stream("Hi")
        assert isinstance(stream, AsyncChatStream)
        assert [c.text async for c in stream][-1] == "five six"


def test_sync_streams_are_returned_as_they_are(emu: Emulator) -> None:
    emu.script_replies(["one two", "three four"])
    with make_client("sync", emu.base_url, emu.api_key) as client:
        stream = client.chat("Hi", stream=True)
        assert isinstance(stream, SyncChatStream)
        assert [c.text for c in stream][-1] == "one two"
        completion = client.complete(USER, stream=True)
        assert isinstance(completion, SyncCompletionStream)
        assert len(chat_requests(emu)) == 2  # the sync stream is opened before it is returned
        assert [e for e in completion][-1].text == "three four"


async def test_awaiting_a_chat_stream_is_deprecated_and_gives_the_stream(emu: Emulator) -> None:
    emu.script_replies(["one two", "three four"])
    async with make_client("async", emu.base_url, emu.api_key) as client:
        stream = client.chat("Hi", stream=True)
        with pytest.warns(DeprecationWarning, match="no longer needed") as warned:
            same = await stream
        assert same is stream and warned[0].filename == __file__
        assert [c.text async for c in same][-1] == "one two"
        with pytest.warns(DeprecationWarning, match="AsyncChatStream"):
            old_style = await client.generate_content_stream("Hi")
        assert [c.text async for c in old_style][-1] == "three four"


async def test_an_async_completion_stream_sends_nothing_until_it_is_opened(
    emu: Emulator,
) -> None:
    emu.script_replies(["one two"])
    async with make_client("async", emu.base_url, emu.api_key) as client:
        stream = client.complete(USER, stream=True)
        assert isinstance(stream, AsyncCompletionStream)
        assert chat_requests(emu) == []
        assert await stream.open() is stream
        assert len(chat_requests(emu)) == 1
        assert await stream.open() is stream  # a second open sends nothing
        events = [e async for e in stream]
        assert len(chat_requests(emu)) == 1
        assert isinstance(events[-1], Completion) and events[-1].text == "one two"


async def test_iterating_opens_an_async_completion_stream(emu: Emulator) -> None:
    emu.script_replies(["one two"])
    async with make_client("async", emu.base_url, emu.api_key) as client:
        events = [e async for e in client.complete(USER, stream=True)]
        assert events[-1].text == "one two" and len(chat_requests(emu)) == 1


async def test_awaiting_an_async_completion_stream_opens_it_and_warns(emu: Emulator) -> None:
    emu.script_replies(["one two"])
    async with make_client("async", emu.base_url, emu.api_key) as client:
        with pytest.warns(DeprecationWarning, match="AsyncCompletionStream"):
            stream = await client.complete(USER, stream=True)
        assert isinstance(stream, AsyncCompletionStream)
        assert len(chat_requests(emu)) == 1
        assert (await stream.get_final_completion()).text == "one two"


async def test_refusals_raise_at_open_and_at_the_first_event(emu: Emulator) -> None:
    async with make_client("async", emu.base_url, "wrong-key") as client:
        with pytest.raises(AuthenticationError):
            await client.complete(USER, stream=True).open()
        with pytest.raises(AuthenticationError):
            async for _ in client.complete(USER, stream=True):
                pass  # pragma: no cover - the first event never comes
        with pytest.raises(AuthenticationError):
            async with client.complete(USER, stream=True):
                pass  # pragma: no cover - entering opens the stream
        assert client._transport.in_flight == 0
