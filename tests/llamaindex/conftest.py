"""Fixtures for the LlamaIndex integration tests.

Two kinds of backends are used:

* ``fake``: small in-process fakes of the core sync/async clients with scripted replies. They
  record every call, so unit tests can assert exactly what the adapter sent.
* ``emulator``: the project's 1min.AI emulator (``oneminai_webapi.testing.Emulator``) for
  end-to-end tests through the real core clients and HTTP.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

CANARY = "sk-canary-9f3b2e7d41c8"


@pytest.fixture(scope="session", autouse=True)
def _no_implicit_main_thread_loop() -> Iterator[None]:
    """Stop ``asyncio.get_event_loop()`` from creating loops that nobody closes.

    ``llama_index.core.async_utils.asyncio_run`` (used by sync code such as token estimation
    in ``PromptHelper``) calls ``asyncio.get_event_loop()``; on the main thread that creates
    and installs a loop which is never closed, an "unclosed event loop" ResourceWarning
    (an error under ``filterwarnings=error``). After ``set_event_loop(None)`` the call raises
    instead and LlamaIndex falls back to ``asyncio.run``, which closes its loop.
    """
    asyncio.set_event_loop(None)
    yield


@dataclass
class FakeOutput:
    """Stands in for ``oneminai_webapi.ChatOutput``."""

    text: str = ""
    text_delta: str = ""
    model: str = "gpt-4o-mini"
    conversation_id: str | None = None
    record_id: str | None = "rec-1"
    is_final: bool = True
    sources: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeAsset:
    asset_key: str
    file_id: str | None


def _chunks(text: str, size: int = 4) -> list[FakeOutput]:
    pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
    out, acc = [], ""
    for index, piece in enumerate(pieces):
        acc += piece
        final = index == len(pieces) - 1
        out.append(
            FakeOutput(
                text=acc,
                text_delta=piece,
                is_final=final,
                metadata={"status": "SUCCESS"} if final else {},
            )
        )
    return out


class _FakeBase:
    def __init__(self, replies: list[str] | None = None) -> None:
        self.replies: deque[str] = deque(replies or [])
        self.calls: list[dict[str, Any]] = []
        self.uploads: list[dict[str, Any]] = []
        self.closed = False

    def script(self, *replies: str) -> None:
        self.replies.extend(replies)

    def _next(self, prompt: str, kwargs: dict[str, Any]) -> str:
        self.calls.append({"prompt": prompt, **kwargs})
        return self.replies.popleft() if self.replies else "OK"

    def _upload(self, kwargs: dict[str, Any]) -> FakeAsset:
        self.uploads.append(kwargs)
        n = len(self.uploads)
        return FakeAsset(asset_key=f"images/asset-{n}.png", file_id=f"file-{n}")

    @property
    def prompts(self) -> list[str]:
        return [c["prompt"] for c in self.calls]


class _SyncStream:
    def __init__(self, chunks: list[FakeOutput]) -> None:
        self._chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[FakeOutput]:
        yield from self._chunks

    def close(self) -> None:
        self.closed = True


class _AsyncStream:
    def __init__(self, chunks: list[FakeOutput]) -> None:
        self._chunks = chunks
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[FakeOutput]:  # type: ignore[misc]
        for chunk in self._chunks:
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


async def _ready(value: Any) -> Any:
    return value


class FakeSyncClient(_FakeBase, SyncOneMinAIClient):
    """A ``SyncOneMinAIClient`` whose ``chat()`` and ``upload_asset()`` are scripted.

    The adapter calls the real ``complete()``, which sends its prompts through ``chat()``.
    """

    def __init__(self, replies: list[str] | None = None) -> None:
        _FakeBase.__init__(self, replies)
        SyncOneMinAIClient.__init__(self, "fake-key")

    def chat(self, prompt: str, *, stream: bool = False, **kwargs: Any) -> Any:  # type: ignore[override]
        text = self._next(prompt, kwargs)
        if stream:
            return _SyncStream(_chunks(text))
        return FakeOutput(text=text, text_delta=text, metadata={"status": "SUCCESS"})

    def upload_asset(self, file_path: Any = None, **kwargs: Any) -> FakeAsset:
        return self._upload({"file_path": file_path, **kwargs})

    def close(self) -> None:
        self.closed = True


class FakeAsyncClient(_FakeBase, OneMinAIClient):
    """A ``OneMinAIClient`` whose ``chat()`` and ``upload_asset()`` are scripted."""

    def __init__(self, replies: list[str] | None = None) -> None:
        _FakeBase.__init__(self, replies)
        OneMinAIClient.__init__(self, "fake-key")

    def chat(self, prompt: str, *, stream: bool = False, **kwargs: Any) -> Any:  # type: ignore[override]
        # As OneMinAIClient.chat: the stream itself with stream=True, else an awaitable.
        text = self._next(prompt, kwargs)
        if stream:
            return _AsyncStream(_chunks(text))
        return _ready(FakeOutput(text=text, text_delta=text, metadata={"status": "SUCCESS"}))

    async def upload_asset(self, file_path: Any = None, **kwargs: Any) -> FakeAsset:
        return self._upload({"file_path": file_path, **kwargs})

    async def close(self) -> None:
        self.closed = True


@pytest.fixture
def canary() -> str:
    return CANARY


@pytest.fixture
def fake_sync() -> FakeSyncClient:
    return FakeSyncClient()


@pytest.fixture
def fake_async() -> FakeAsyncClient:
    return FakeAsyncClient()


@pytest.fixture
def fake_llm(fake_sync: FakeSyncClient, fake_async: FakeAsyncClient) -> Any:
    """A ``OneMinAI`` wired to the fakes (sync and async share nothing but the script API)."""
    from llama_index.llms.oneminai import OneMinAI

    return OneMinAI(model="gpt-4o", api_key=CANARY, client=fake_sync, async_client=fake_async)


EMULATOR_KEY = "test-key"


@pytest.fixture(scope="session")
def _emulator_session() -> Iterator[Any]:
    from oneminai_webapi.testing import Emulator

    with Emulator(api_key=EMULATOR_KEY) as emu:
        yield emu


@pytest.fixture
def emu(_emulator_session: Any) -> Any:
    """The shared emulator, reset before each test (requests, scripts, assets)."""
    _emulator_session.reset()
    return _emulator_session


@pytest.fixture
def llm(emu: Any) -> Iterator[Any]:
    """A ``OneMinAI`` talking HTTP to the emulator through the real core clients."""
    from llama_index.llms.oneminai import OneMinAI

    model = OneMinAI(model="gpt-4o-mini", api_key=EMULATOR_KEY, base_url=emu.base_url)
    yield model
    model.close()


def chat_bodies(emu: Any) -> list[dict[str, Any]]:
    """JSON bodies of the chat requests the emulator received, oldest first."""
    return [r.json for r in emu.requests_to("/api/chat-with-ai")]


@pytest.fixture
def chat_requests(emu: Any) -> Any:
    return lambda: chat_bodies(emu)
