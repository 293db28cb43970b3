"""The async client: drives operations with aiohttp."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Generator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp

from .._config import DEFAULT_TIMEOUT
from .._protocol._deadlines import StreamTimer
from .._protocol._http import Request, Response, Sleep, StreamedResponse
from .._protocol._ops import Download, Op, StreamPlan, send
from .._protocol._retry_loop import Attempt, with_retries
from .._protocol._secrets import finish_error
from .._protocol._streaming import StreamCore, json_instead_of_stream
from .._transport._aiohttp import AiohttpTransport, AsyncStreamBody
from ..exceptions import OneMinAIError
from ._awaiting import deprecated_await, ready
from ._base import ClientCore, hide, too_deep
from ._files import AtomicFile, report_saved
from ._methods import ClientMethods
from ._raw import AsyncRawResponses

if TYPE_CHECKING:
    from .._protocol._chat import ChatOptions
    from .._protocol._completion import CompletionCall
    from ..types import ChatOutput

T = TypeVar("T")


class OneMinAIClient(ClientCore, ClientMethods):
    """Async client for 1min.AI.

    Use it as ``async with OneMinAIClient(api_key) as client:`` (or ``await client.close()``
    when done). Construction does no I/O; the HTTP session is created on first use, inside
    the running event loop.

    Args:
        api_key: API key (default: ``ONEMINAI_API_KEY``). A web-app JWT works too.
        proxy: HTTP proxy URL.
        timeout: Total timeout in seconds of a non-streamed call (default 60; streams are
            governed by ``timeouts.read``). Given explicitly, it overrides ``timeouts.total``.
        session: An ``aiohttp.ClientSession`` to use (never closed by this client).
        **options: Keyword-only settings. ``base_url``: the API origin (default
            ``ONEMINAI_BASE_URL`` or https://api.1min.ai). ``max_retries``: retries for
            408/429/5xx and connection failures (default 2; 0 disables). ``timeouts``: a
            :class:`Timeouts` (connect / pool / read / total). ``retry_on_timeout``: also
            retry POSTs whose answer timed out (default False: they may cost credits twice).
            ``max_connections``: the pool size (default 100). ``requests_per_minute``: a
            client-side rate limit (default off; the service allows 180/min).
            ``asset_base_url``: the host for relative result keys that the record's
            signed ``temporaryUrl`` does not locate (default: that URL's host, else
            https://asset.1min.ai; never ``base_url``, so downloads work behind a gateway).
            ``max_body_bytes`` / ``max_error_bytes`` / ``max_download_bytes``: body size
            limits (see :class:`Limits`).
    """

    def __init__(
        self,
        api_key: str = "",
        proxy: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        *,
        session: aiohttp.ClientSession | None = None,
        **options: Any,
    ) -> None:
        api_key, proxy = hide(api_key), hide(proxy)  # '***' in tracebacks with locals
        super().__init__(api_key, proxy, timeout, **options)
        self._transport = AiohttpTransport(
            max_connections=self._ctx.settings.limits.max_connections,
            proxy=self._ctx.settings.proxy,
            session=session,
        )

    async def __aenter__(self) -> OneMinAIClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session (idempotent).

        On a :meth:`with_options` copy, only the copy is closed: the shared pool stays open
        for the client it came from.
        """
        if self._borrows_pool:
            self._closed_copy = True
            return
        await self._transport.close()

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, returning a :class:`RawResponse` (status, headers, request id).

        ``raw = await client.with_raw_response.generate_content("Hi")`` then
        ``raw.status_code``, ``raw.headers``, ``raw.request_id`` and ``raw.parse()`` (the
        method's usual result). A streaming method's stream is opened before it returns.
        """
        return AsyncRawResponses(self)

    # ── driving operations ───────────────────────────────────────────────────────────

    def _run(self, op: Op[T]) -> Awaitable[T]:
        return self._drive(op)

    async def _drive(self, op: Op[T], timer: StreamTimer | None = None) -> T:
        """Run an operation: the async client's one loop (requests are retried by the steps).

        ``timer`` bounds each attempt of a streamed request by the stream's deadline.
        """
        steps = with_retries(op, self._retries())
        value: Any = None
        error: OneMinAIError | None = None
        while True:
            try:
                step = steps.throw(error) if error is not None else steps.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            except OneMinAIError as exc:
                finish_error(exc, self._secrets)  # what leaves the client is safe
                raise
            value, error = None, None
            try:
                if isinstance(step, Attempt):
                    value = await self._attempt(step, timer)
                elif isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                elif isinstance(step, StreamPlan):
                    value = await self._collect(step)
                elif isinstance(step, Download):
                    value = await self._download(step)
                else:  # pragma: no cover - programming error
                    raise TypeError(f"unknown operation step {step!r}")
            except OneMinAIError as exc:
                error = exc

    async def _attempt(self, step: Attempt, timer: StreamTimer | None) -> Response:
        """Send one attempt; a streamed one within the stream's deadline (``timer``)."""
        if timer is None:
            response = await self._send_once(step)
        else:
            # A server trickling its headers one byte at a time cannot hold the stream open.
            timer.attempt()
            remaining = timer.deadline() - asyncio.get_running_loop().time()
            try:
                response = await asyncio.wait_for(self._send_once(step), max(0.0, remaining))
            except OneMinAIError:
                raise
            except asyncio.TimeoutError:
                raise timer.error() from None
        self._record(response)
        return response

    async def _send_once(self, step: Attempt) -> Response:
        request = step.request
        headers = self._headers(request)
        if not request.stream:
            return await self._transport.send(
                request, step.url, headers, self._timeouts(), self._limits()
            )
        body = await self._transport.open(request, step.url, headers, self._timeouts())
        if body.status >= 300:
            try:
                raw = await body.read_limited(self._limits())
                return Response(body.status, body.headers, raw)
            finally:
                await body.aclose()
        return StreamedResponse(body.status, body.headers, b"", stream=body)

    async def _open_stream(
        self, request: Request, timer: StreamTimer | None = None
    ) -> AsyncStreamBody:
        timer = timer or StreamTimer(self._timeouts(), asyncio.get_running_loop().time)
        response = await self._drive(send(request), timer)
        assert isinstance(response, StreamedResponse)
        body: AsyncStreamBody = response.stream
        if "json" in body.headers.get("content-type", ""):
            # A JSON answer on a streaming call is an error envelope (or a surprise, such
            # as an endless event stream mislabelled): read a bounded piece of it, in time.
            try:
                remaining = timer.deadline() - asyncio.get_running_loop().time()
                raw = await asyncio.wait_for(
                    body.read_limited(self._limits(), truncate=True), max(0.0, remaining)
                )
            except OneMinAIError:
                raise
            except asyncio.TimeoutError:
                raise timer.error() from None
            finally:
                await body.aclose()
            raise json_instead_of_stream(response.status, raw)
        return body

    def _stream(self, op: Op[StreamPlan]) -> AsyncChatStream:
        return AsyncChatStream(self, op)

    def _complete(self, call: CompletionCall, options: ChatOptions, stream: bool) -> Any:
        from ._complete import AsyncCompletionStream, complete_async

        if stream:
            return AsyncCompletionStream(self, call, options)
        return complete_async(self, call, options)

    async def _collect(self, plan: StreamPlan) -> ChatOutput:
        final: ChatOutput | None = None
        async with AsyncChatStream(self, None, plan=plan) as stream:
            async for chunk in stream:
                if chunk.is_final:
                    final = chunk
        assert final is not None
        return final

    async def _download(self, step: Download) -> Path:
        timer = StreamTimer.for_download(self._timeouts(), asyncio.get_running_loop().time)
        response = await self._drive(send(step.request), timer)
        assert isinstance(response, StreamedResponse)
        body: AsyncStreamBody = response.stream
        try:
            with AtomicFile.for_download(
                step, body.headers, max_bytes=self._limits().max_download_bytes
            ) as out:
                async for chunk in body.chunks():
                    out.write(chunk)
        finally:
            await body.aclose()
        return report_saved(out.target, step.verbose)


class AsyncChatStream:
    """A streamed chat answer: ``async for chunk in stream`` (and ``async with stream``).

    Streaming methods return the stream itself, not an awaitable of it (awaiting it still
    works, with a ``DeprecationWarning``). The request is sent when iteration starts. The
    connection is released when the stream ends, fails, is closed with :meth:`aclose`, or
    when an ``async with`` block exits early.
    """

    def __init__(
        self, client: OneMinAIClient, op: Op[StreamPlan] | None, *, plan: StreamPlan | None = None
    ) -> None:
        self._client = client
        self._op = op
        self._core: StreamCore | None = StreamCore(plan) if plan is not None else None
        self._body: AsyncStreamBody | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._done = False
        self._timer: StreamTimer | None = None
        self._alarm: asyncio.TimerHandle | None = None
        self._expired = False

    @property
    def text(self) -> str:
        """Everything received so far."""
        return self._core.text if self._core else ""

    def __aiter__(self) -> AsyncChatStream:
        return self

    def __await__(self) -> Generator[Any, None, AsyncChatStream]:
        """Deprecated: the stream is returned as it is (``await`` gives it back unchanged)."""
        deprecated_await("AsyncChatStream")
        return ready(self).__await__()

    async def __aenter__(self) -> AsyncChatStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _start(self) -> None:
        if self._core is None:
            assert self._op is not None
            plan = await self._client._drive(self._op)
            self._core = StreamCore(plan)
        loop = asyncio.get_running_loop()
        self._timer = timer = StreamTimer(self._client._timeouts(), loop.time)
        self._body = await self._client._open_stream(self._core.plan.request, timer)
        self._chunks = self._body.chunks()
        self._alarm = loop.call_at(timer.deadline(), _alarm, weakref.ref(self))

    def _on_alarm(self) -> None:
        """The stream's deadline may have passed: fail the pending read, or wait on."""
        self._alarm = None
        timer, body = self._timer, self._body
        if timer is None or body is None or self._done:
            return
        loop = asyncio.get_running_loop()
        if loop.time() < timer.deadline():  # content arrived meanwhile
            self._alarm = loop.call_at(timer.deadline(), _alarm, weakref.ref(self))
            return
        self._expired = True
        body.interrupt(timer.error())

    async def __anext__(self) -> ChatOutput:
        core = self._core
        if core is not None and core.pending:
            return core.pending.popleft()
        if self._done:
            raise StopAsyncIteration
        try:
            if self._chunks is None:
                await self._start()
                core = self._core
            assert core is not None and self._chunks is not None and self._timer is not None
            timer = self._timer
            while not core.pending:
                core.check()
                timer.wait()
                try:
                    chunk = await self._chunks.__anext__()
                except StopAsyncIteration:
                    core.finish()
                    self._done = True
                    await self.aclose()
                    break
                except OneMinAIError as exc:
                    if self._expired:
                        raise timer.error(core.text) from None
                    raise core.fail(exc) from None
                timer.waited()
                try:
                    core.feed(chunk)
                except RecursionError:  # an event nested deeper than the JSON parser goes
                    too_deep(core)
                if core.pending:  # content: the stream is not idle
                    timer.data()
        except BaseException as exc:
            self._done = True
            if isinstance(exc, OneMinAIError):
                finish_error(exc, self._client._secrets)
            await self.aclose()
            raise
        if core.pending:
            return core.pending.popleft()
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None
        body, self._body = self._body, None
        if self._chunks is not None:
            chunks, self._chunks = self._chunks, None
            await chunks.aclose()  # type: ignore[attr-defined]
        if body is not None:
            await body.aclose()

    def __del__(self) -> None:
        # Last resort for a stream abandoned without aclose(): give the slot back.
        if self._alarm is not None:
            self._alarm.cancel()
        body = self._body
        if body is not None and body._release is not None:
            body._response.close()
            release, body._release = body._release, None
            release()


def _alarm(ref: weakref.ref[AsyncChatStream]) -> None:
    # A weak reference: a pending alarm must not keep an abandoned stream alive.
    stream = ref()
    if stream is not None:
        stream._on_alarm()
