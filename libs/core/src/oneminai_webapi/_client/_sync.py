"""The sync client: drives the same operations with blocking ``requests`` calls."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from .._config import DEFAULT_TIMEOUT
from .._protocol._deadlines import StreamTimer
from .._protocol._http import Request, Response, Sleep, StreamedResponse
from .._protocol._ops import Download, Op, StreamPlan, send
from .._protocol._retry_loop import Attempt, with_retries
from .._protocol._secrets import finish_error
from .._protocol._streaming import StreamCore, json_instead_of_stream
from .._transport._requests import RequestsTransport, SyncStreamBody
from .._transport._watchdog import Watch, watchdog
from ..exceptions import APITimeoutError, OneMinAIError
from ._base import ClientCore, hide, too_deep
from ._files import AtomicFile, report_saved
from ._methods import ClientMethods
from ._raw import SyncRawResponses
from ._sync_types import SYNC_RETURNS, SyncMethods

if TYPE_CHECKING:
    from .._protocol._chat import ChatOptions
    from .._protocol._completion import CompletionCall
    from ..types import ChatOutput

T = TypeVar("T")


# SyncMethods only declares the sync return types for type checkers (it is empty at run
# time); the implementations are ClientMethods', driven by ``_run`` below.
class SyncOneMinAIClient(SyncMethods, ClientCore, ClientMethods):  # type: ignore[misc]
    """Blocking client with the same methods and return types as :class:`OneMinAIClient`.

    Use it as ``with SyncOneMinAIClient(api_key) as client:``. Streams are iterators
    (``for chunk in client.generate_content_stream(...)``); outputs' ``save()`` returns the
    path directly. Arguments are those of :class:`OneMinAIClient` (without ``session``).
    """

    def __init__(
        self,
        api_key: str = "",
        proxy: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        **options: Any,
    ) -> None:
        api_key, proxy = hide(api_key), hide(proxy)  # '***' in tracebacks with locals
        super().__init__(api_key, proxy, timeout, **options)
        self._transport = RequestsTransport(
            max_connections=self._ctx.settings.limits.max_connections,
            proxy=self._ctx.settings.proxy,
        )

    def __enter__(self) -> SyncOneMinAIClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session (idempotent).

        On a :meth:`with_options` copy, only the copy is closed: the shared pool stays open
        for the client it came from.
        """
        if self._borrows_pool:
            self._closed_copy = True
            return
        self._transport.close()

    @property
    def with_raw_response(self) -> SyncRawResponses:
        """The same methods, returning a :class:`RawResponse` (status, headers, request id).

        ``raw = client.with_raw_response.generate_content("Hi")`` then ``raw.status_code``,
        ``raw.headers``, ``raw.request_id`` and ``raw.parse()`` (the method's usual result).
        A streaming method's stream is opened before it returns.
        """
        return SyncRawResponses(self)

    # ── driving operations ───────────────────────────────────────────────────────────

    def _run(self, op: Op[T]) -> T:  # type: ignore[override]
        return self._drive(op)

    def _drive(self, op: Op[T], timer: StreamTimer | None = None, watch: Watch | None = None) -> T:
        """Run an operation: the sync client's one loop (requests are retried by the steps).

        A streamed request's attempts move ``timer``'s deadline, which ``watch`` enforces.
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
                    value = self._attempt(step, timer, watch)
                elif isinstance(step, Sleep):
                    time.sleep(step.seconds)
                elif isinstance(step, StreamPlan):
                    value = self._collect(step)
                elif isinstance(step, Download):
                    value = self._download(step)
                else:  # pragma: no cover - programming error
                    raise TypeError(f"unknown operation step {step!r}")
            except OneMinAIError as exc:
                error = exc

    def _attempt(self, step: Attempt, timer: StreamTimer | None, watch: Watch | None) -> Response:
        """Send one attempt (a streamed one moves the stream's deadline first)."""
        if timer is not None:
            timer.attempt()  # moves the deadline later: the watch sees it
        request = step.request
        headers = self._headers(request)
        if not request.stream:
            response = self._transport.send(
                request, step.url, headers, self._timeouts(), self._limits()
            )
        else:
            body = self._transport.open(request, step.url, headers, self._timeouts(), watch)
            if body.status >= 300:
                try:
                    raw = body.read_limited(self._limits())
                finally:
                    body.close()
                response = Response(body.status, body.headers, raw)
            else:
                response = StreamedResponse(body.status, body.headers, b"", stream=body)
        self._record(response)
        return response

    def _open_stream(
        self, request: Request, timer: StreamTimer, watch: Watch, *, events: bool = True
    ) -> SyncStreamBody:
        """Open a stream; ``watch`` (started, following ``timer``) enforces its deadlines.

        The deadlines hold from the first attempt's headers to the last byte.
        """
        response = self._drive(send(request), timer, watch)
        assert isinstance(response, StreamedResponse)
        body: SyncStreamBody = response.stream
        if events and "json" in body.headers.get("content-type", ""):
            # A JSON answer on a streaming call is an error envelope (or a surprise, such
            # as an endless event stream mislabelled): read a bounded piece of it.
            try:
                raw = body.read_limited(self._limits(), truncate=True)
            finally:
                body.close()
            raise json_instead_of_stream(response.status, raw)
        return body

    def _stream(self, op: Op[StreamPlan]) -> SyncChatStream:
        return SyncChatStream(self, op)

    def _complete(self, call: CompletionCall, options: ChatOptions, stream: bool) -> Any:
        from ._complete import SyncCompletionStream, complete_sync

        if stream:
            return SyncCompletionStream(self, call, options)._open()
        return complete_sync(self, call, options)

    def _collect(self, plan: StreamPlan) -> ChatOutput:
        final: ChatOutput | None = None
        with SyncChatStream(self, None, plan=plan) as stream:
            for chunk in stream:
                if chunk.is_final:
                    final = chunk
        assert final is not None
        return final

    def _download(self, step: Download) -> Path:
        timer = StreamTimer.for_download(self._timeouts(), time.monotonic)
        with Watch(timer.deadline, timer.phase) as watch:
            body = self._open_stream(step.request, timer, watch, events=False)
            try:
                with AtomicFile.for_download(
                    step, body.headers, max_bytes=self._limits().max_download_bytes
                ) as out:
                    chunks = body.chunks()
                    while True:
                        timer.wait()
                        chunk = next(chunks, None)
                        timer.waited()
                        if chunk is None:
                            break
                        timer.data()  # any byte of a file is progress
                        out.write(chunk)
            finally:
                body.close()
        return report_saved(out.target, step.verbose)


def _sync_method(function: Callable[..., Any], returns: str) -> Callable[..., Any]:
    """``function`` as the sync client shows it: the same call, the sync return annotation.

    The methods are written once, annotated for the async client (``Awaitable[X]``); this
    thin wrapper makes ``help()`` and ``inspect.signature`` on the sync client show ``X``.
    """

    @functools.wraps(function)
    def method(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    method.__annotations__ = {**function.__annotations__, "return": returns}
    method.__signature__ = inspect.signature(function).replace(  # type: ignore[attr-defined]
        return_annotation=returns
    )
    return method


for _name, _returns in SYNC_RETURNS.items():
    setattr(SyncOneMinAIClient, _name, _sync_method(getattr(ClientMethods, _name), _returns))


class SyncChatStream:
    """A streamed chat answer: ``for chunk in stream`` (and ``with stream``)."""

    def __init__(
        self,
        client: SyncOneMinAIClient,
        op: Op[StreamPlan] | None,
        *,
        plan: StreamPlan | None = None,
    ) -> None:
        self._client = client
        self._op = op
        self._core: StreamCore | None = StreamCore(plan) if plan is not None else None
        self._body: SyncStreamBody | None = None
        self._chunks: Iterator[bytes] | None = None
        self._done = False
        self._timer: StreamTimer | None = None
        self._watch: Watch | None = None

    @property
    def text(self) -> str:
        """Everything received so far."""
        return self._core.text if self._core else ""

    def __iter__(self) -> SyncChatStream:
        return self

    def __enter__(self) -> SyncChatStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if self._core is None:
            assert self._op is not None
            self._core = StreamCore(self._client._run(self._op))
        self._timer = timer = StreamTimer(self._client._timeouts(), time.monotonic)
        # The watchdog cuts the connection at the stream's deadline, which moves later
        # with every content (keep-alive comments do not move it).
        self._watch = watch = Watch(timer.deadline, timer.phase)
        watchdog.add(watch)
        self._body = self._client._open_stream(self._core.plan.request, timer, watch)
        self._chunks = self._body.chunks()

    def __next__(self) -> ChatOutput:
        core = self._core
        if core is not None and core.pending:
            return core.pending.popleft()
        if self._done:
            raise StopIteration
        try:
            if self._chunks is None:
                self._start()
                core = self._core
            assert core is not None and self._chunks is not None and self._timer is not None
            timer = self._timer
            while not core.pending:
                core.check()
                timer.wait()
                try:
                    chunk = next(self._chunks)
                except StopIteration:
                    core.finish()
                    self._done = True
                    self.close()
                    break
                except OneMinAIError as exc:
                    if isinstance(exc, APITimeoutError) and self._watch and self._watch.fired:
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
            self.close()
            raise
        if core.pending:
            return core.pending.popleft()
        raise StopIteration

    def close(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.release()
        body, self._body = self._body, None
        self._chunks = None
        if body is not None:
            body.close()

    def __del__(self) -> None:
        self.close()
