"""The byte-level core of a chat stream, shared by the async and sync stream objects."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from ..exceptions import (
    APIConnectionError,
    APITimeoutError,
    EventTooLarge,
    OneMinAIError,
    StreamError,
)
from . import _chat_output
from ._ops import StreamPlan
from ._sse import SSEDecoder

if TYPE_CHECKING:
    from ..types import ChatOutput

#: One event larger than this (no blank line within 64 MiB) fails the stream instead of
#: growing memory without bound.
MAX_EVENT_BYTES = 64 * 1024 * 1024


class PendingChunks(deque):  # type: ignore[type-arg]
    """Chunks waiting for the caller; content chunks are built when taken (see ``step``)."""

    def popleft(self) -> ChatOutput:
        item = super().popleft()
        return _chat_output.content_chunk(*item) if type(item) is tuple else item


class StreamCore:
    """Feeds body bytes through the SSE decoder and the plan's interpreter.

    The I/O wrappers call :meth:`feed` for every chunk, :meth:`finish` at end of body and
    :meth:`fail` when the transport raises, then hand out :attr:`pending` chunks.
    """

    __slots__ = ("_decoder", "deferred", "finished", "pending", "plan")

    def __init__(self, plan: StreamPlan) -> None:
        self.plan = plan
        self._decoder = SSEDecoder(max_event_bytes=MAX_EVENT_BYTES)
        self.pending = PendingChunks()
        self.finished = False
        #: An error that arrived in the same chunk as events still to be handed out
        #: (e.g. ``content, content, error``): raised by :meth:`check` once they are.
        self.deferred: OneMinAIError | None = None

    @property
    def text(self) -> str:
        """Everything received so far."""
        return self.plan.state.text

    def feed(self, chunk: bytes) -> None:
        """Decode one chunk of the body."""
        state = self.plan.state
        try:
            events = self._decoder.feed(chunk)
        except EventTooLarge as exc:
            self.finished = True
            for event in getattr(exc, "completed_events", ()):
                state.on_event(event)  # their text belongs to partial_text
            raise EventTooLarge(
                exc.message, partial_text=state.text, events_received=state.events_received
            ) from None
        try:
            pending = self.pending
            step = state.step
            for event in events:
                out = step(event)
                if out is not None:
                    pending.append(out)
                    if not isinstance(out, tuple) and out.is_final:
                        self._completed(out)
        except OneMinAIError as exc:
            self.finished = True
            if not self.pending:
                raise
            self.deferred = exc

    def check(self) -> None:
        """Raise the deferred error (the driver calls this before reading more bytes)."""
        if self.deferred is not None:
            error, self.deferred = self.deferred, None
            raise error

    def finish(self) -> None:
        """The body ended cleanly: emit the final chunk or raise for a truncated stream."""
        for event in self._decoder.finish():
            out = self.plan.state.step(event)
            if out is not None:
                self.pending.append(out)
        out = self.plan.state.on_eof()
        self.finished = True
        if out is not None:
            self.pending.append(out)
            self._completed(out)

    def fail(self, exc: OneMinAIError) -> OneMinAIError:
        """Turn a transport failure mid-stream into an error carrying the partial text."""
        self.finished = True
        state = self.plan.state
        if isinstance(exc, StreamError):
            return exc
        if isinstance(exc, APITimeoutError):
            return APITimeoutError(
                f"The stream went silent for longer than the read timeout ({exc.message})",
                phase=exc.phase,
                partial_text=state.text,
            )
        if isinstance(exc, APIConnectionError):
            return state_interrupted(self, f"The connection was lost mid-stream ({exc.message})")
        return exc

    def _completed(self, final: ChatOutput) -> None:
        if self.plan.on_final is not None:
            callback, self.plan.on_final = self.plan.on_final, None
            callback(final)


def state_interrupted(core: StreamCore, message: str) -> OneMinAIError:
    """A :class:`StreamInterruptedError` with everything received so far."""
    from ..exceptions import StreamInterruptedError

    state = core.plan.state
    return StreamInterruptedError(
        message, partial_text=state.text, events_received=state.events_received
    )


def json_instead_of_stream(status: int, raw: bytes) -> OneMinAIError:
    """The error for a JSON answer where an event stream was expected.

    An error envelope maps to its typed error; anything else is an
    :class:`~oneminai_webapi.exceptions.UnexpectedResponseError` (a streaming call must never
    look like an empty, successful stream).
    """
    import json

    from ..exceptions import UnexpectedResponseError
    from ._errors import check_envelope

    try:
        check_envelope(json.loads(raw or b"null"))
    except (ValueError, RecursionError):
        pass
    except OneMinAIError as exc:
        return exc
    return UnexpectedResponseError(
        "Expected an event stream but the service answered with JSON.",
        status_code=status,
        body=raw[:2048].decode("utf-8", "replace"),
    )
