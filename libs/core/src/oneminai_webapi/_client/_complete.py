"""The drivers of ``complete()``: upload attachments, send the prompt(s), hand out events.

All decisions (prompt, corrective retries, stop sequences, reasoning, usage) are made by
:class:`~oneminai_webapi._protocol._completion.CompletionRun`; this module only moves data
between it and a client's own ``chat()``, once with ``await`` and once with blocking calls.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from .._protocol._completion import CompletionCall, CompletionRun
from ..integrations import AttachmentCache, aresolve_chat_attachments, resolve_chat_attachments
from ._awaiting import deprecated_await

if TYPE_CHECKING:
    from types import TracebackType

    from .._protocol import _chat as chat
    from ..completions import Completion, CompletionEvent
    from ..integrations import ResolvedAttachments
    from ..types import ChatOutput
    from ._async import OneMinAIClient
    from ._sync import SyncOneMinAIClient

__all__ = [
    "AsyncCompletionStream",
    "SyncCompletionStream",
    "complete_async",
    "complete_sync",
]

_CACHE_ATTR = "_completion_uploads"


def upload_cache(client: Any) -> AttachmentCache:
    """The client's cache of uploaded attachments (the same content is uploaded once)."""
    cache = client.__dict__.get(_CACHE_ATTR)
    if cache is None:
        cache = AttachmentCache()
        client.__dict__[_CACHE_ATTR] = cache
    return cache  # type: ignore[no-any-return]


def _chat_kwargs(options: chat.ChatOptions, refs: ResolvedAttachments) -> dict[str, Any]:
    """The keyword arguments of ``client.chat()`` for every request of the call."""
    kwargs = {f.name: getattr(options, f.name) for f in fields(options) if f.name != "prompt"}
    kwargs["images"] = [*options.images, *refs.images]
    kwargs["files"] = [*options.files, *refs.files]
    return kwargs


def _read_ready(
    events: deque[CompletionEvent], chat_stream: Any, run: CompletionRun
) -> list[CompletionEvent]:
    """The queued events plus those of the chat chunks already received (no I/O)."""
    ready = list(events)
    events.clear()
    core = getattr(chat_stream, "_core", None)
    while core is not None and core.pending and not run.stopped:
        ready.extend(run.feed(core.pending.popleft()))
    return ready


# ── async ───────────────────────────────────────────────────────────────────────────────


async def complete_async(
    client: OneMinAIClient, call: CompletionCall, options: chat.ChatOptions
) -> Completion:
    """Run a non-streamed completion with the async client."""
    refs = await aresolve_chat_attachments(client, call.attachments, upload_cache(client))
    kwargs = _chat_kwargs(options, refs)
    run = CompletionRun(call)
    while (prompt := run.next_prompt()) is not None:
        run.feed(await client.chat(prompt, **kwargs))
        run.end_attempt()
    return run.completion()


class AsyncCompletionStream:
    """A streamed completion: ``async for event in stream`` (and ``async with stream``).

    Yields :class:`~oneminai_webapi.completions.TextDelta`,
    :class:`~oneminai_webapi.completions.ReasoningDelta` and
    :class:`~oneminai_webapi.completions.ToolCallDelta` events, then the
    :class:`~oneminai_webapi.completions.Completion`. The attachments are uploaded and the
    first request is sent when iteration starts (or at :meth:`open`, or entering
    ``async with``). The connection is released when the stream ends, fails, or is closed
    with :meth:`aclose`.
    """

    def __init__(
        self, client: OneMinAIClient, call: CompletionCall, options: chat.ChatOptions
    ) -> None:
        self._client = client
        self._call = call
        self._options = options
        self._kwargs: dict[str, Any] = {}
        self._run = CompletionRun(call, stream=True)
        self._events: deque[CompletionEvent] = deque()
        self._chat: Any = None  # the current request's chat stream
        self._chunks: AsyncIterator[ChatOutput] | None = None
        self._opened = False
        self._completion: Completion | None = None
        self._done = False

    @property
    def completion(self) -> Completion | None:
        """The completion, once the stream has ended (else ``None``)."""
        return self._completion

    async def open(self) -> AsyncCompletionStream:
        """Upload the attachments and open the first request now; return the stream.

        Their errors raise here rather than at the first event (a relay can still answer
        with an HTTP error). Iterating does it otherwise; a second call does nothing.
        """
        if self._opened:
            return self
        self._opened = True
        try:
            refs = await aresolve_chat_attachments(
                self._client, self._call.attachments, upload_cache(self._client)
            )
            self._kwargs = _chat_kwargs(self._options, refs)
            await self._next_request()
        except BaseException:
            await self.aclose()
            raise
        return self

    async def _next_request(self) -> bool:
        prompt = self._run.next_prompt()
        if prompt is None:
            return False
        stream = self._client.chat(prompt, stream=True, **self._kwargs)
        self._chat = stream
        start = getattr(stream, "_start", None)
        if start is not None:  # send the request now: a refusal raises here
            await start()
        self._chunks = stream.__aiter__()
        return True

    def __aiter__(self) -> AsyncCompletionStream:
        return self

    def __await__(self) -> Generator[Any, None, AsyncCompletionStream]:
        """Deprecated: the stream is returned as it is; awaiting it opens it (:meth:`open`)."""
        deprecated_await("AsyncCompletionStream")
        return self.open().__await__()

    async def __aenter__(self) -> AsyncCompletionStream:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def __anext__(self) -> CompletionEvent:
        if not self._opened:
            await self.open()
        try:
            while not self._events:
                if self._done:
                    raise StopAsyncIteration
                await self._pump()
        except StopAsyncIteration:
            raise
        except BaseException:
            await self.aclose()
            raise
        return self._events.popleft()

    async def _pump(self) -> None:
        stream, chunks = self._chat, self._chunks
        if stream is None or chunks is None:
            if not await self._next_request():
                self._finish()
            return
        try:
            chunk = await chunks.__anext__()
        except StopAsyncIteration:
            self._chat = self._chunks = None
            self._events.extend(self._run.end_attempt())
            return
        self._events.extend(self._run.feed(chunk))
        if self._run.stopped:  # a stop sequence: the rest of the reply is not needed
            self._chat = self._chunks = None
            await stream.aclose()
            self._events.extend(self._run.end_attempt())

    def read_ready(self) -> list[CompletionEvent]:
        """Take the events that are ready now, without waiting for the network.

        For relays that batch their writes: after each event from ``async for``, the events
        this returns can go out in the same write. Never waits; may return an empty list.
        """
        return _read_ready(self._events, self._chat, self._run)

    def _finish(self) -> None:
        events = self._run.finish()
        self._completion = events[-1]  # type: ignore[assignment]
        self._events.extend(events)
        self._done = True

    async def get_final_completion(self) -> Completion:
        """Read the rest of the stream and return the completion."""
        async for _ in self:
            pass
        if self._completion is None:
            raise RuntimeError("the stream was closed before it completed")
        return self._completion

    async def aclose(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        self._opened = True  # nothing is sent after a close
        stream, self._chat, self._chunks = self._chat, None, None
        if stream is not None:
            await stream.aclose()


# ── sync ────────────────────────────────────────────────────────────────────────────────


def complete_sync(
    client: SyncOneMinAIClient, call: CompletionCall, options: chat.ChatOptions
) -> Completion:
    """Run a non-streamed completion with the sync client."""
    refs = resolve_chat_attachments(client, call.attachments, upload_cache(client))
    kwargs = _chat_kwargs(options, refs)
    run = CompletionRun(call)
    while (prompt := run.next_prompt()) is not None:
        run.feed(client.chat(prompt, **kwargs))
        run.end_attempt()
    return run.completion()


class SyncCompletionStream:
    """A streamed completion for the sync client: ``for event in stream`` (and ``with``).

    The events are those of :class:`AsyncCompletionStream`.
    """

    def __init__(
        self, client: SyncOneMinAIClient, call: CompletionCall, options: chat.ChatOptions
    ) -> None:
        self._client = client
        self._call = call
        self._options = options
        self._kwargs: dict[str, Any] = {}
        self._run = CompletionRun(call, stream=True)
        self._events: deque[CompletionEvent] = deque()
        self._chat: Any = None  # the current request's chat stream
        self._chunks: Iterator[ChatOutput] | None = None
        self._completion: Completion | None = None
        self._done = False

    @property
    def completion(self) -> Completion | None:
        """The completion, once the stream has ended (else ``None``)."""
        return self._completion

    def _open(self) -> SyncCompletionStream:
        try:
            refs = resolve_chat_attachments(
                self._client, self._call.attachments, upload_cache(self._client)
            )
            self._kwargs = _chat_kwargs(self._options, refs)
            self._next_request()
        except BaseException:
            self.close()
            raise
        return self

    def _next_request(self) -> bool:
        prompt = self._run.next_prompt()
        if prompt is None:
            return False
        stream = self._client.chat(prompt, stream=True, **self._kwargs)
        self._chat = stream
        start = getattr(stream, "_start", None)
        if start is not None:  # send the request now: a refusal raises here
            start()
        self._chunks = iter(stream)
        return True

    def __iter__(self) -> SyncCompletionStream:
        return self

    def __enter__(self) -> SyncCompletionStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __next__(self) -> CompletionEvent:
        try:
            while not self._events:
                if self._done:
                    raise StopIteration
                self._pump()
        except StopIteration:
            raise
        except BaseException:
            self.close()
            raise
        return self._events.popleft()

    def _pump(self) -> None:
        stream, chunks = self._chat, self._chunks
        if stream is None or chunks is None:
            if not self._next_request():
                events = self._run.finish()
                self._completion = events[-1]  # type: ignore[assignment]
                self._events.extend(events)
                self._done = True
            return
        try:
            chunk = next(chunks)
        except StopIteration:
            self._chat = self._chunks = None
            self._events.extend(self._run.end_attempt())
            return
        self._events.extend(self._run.feed(chunk))
        if self._run.stopped:
            self._chat = self._chunks = None
            stream.close()
            self._events.extend(self._run.end_attempt())

    def read_ready(self) -> list[CompletionEvent]:
        """Take the events that are ready now, without waiting for the network."""
        return _read_ready(self._events, self._chat, self._run)

    def get_final_completion(self) -> Completion:
        """Read the rest of the stream and return the completion."""
        for _ in self:
            pass
        if self._completion is None:
            raise RuntimeError("the stream was closed before it completed")
        return self._completion

    def close(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        stream, self._chat, self._chunks = self._chat, None, None
        if stream is not None:
            stream.close()
