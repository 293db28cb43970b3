"""The unified-chat stream interpreter: SSE events in, :class:`ChatOutput` chunks out."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..exceptions import ContentFilteredError, StreamInterruptedError
from . import _chat_output
from ._chat_output import TextBuffer, final_output, output_from_record
from ._records import as_dict

if TYPE_CHECKING:
    from ..types import ChatOutput
    from ._sse import ServerSentEvent

__all__ = ["ChatStreamState", "PendingChunk"]

# ``json.decoder.scanstring`` (the C string scanner) is public but missing from typeshed.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

#: A content chunk not built yet: ``(buffer, end, delta, model)`` (see ``ChatStreamState.step``).
PendingChunk = tuple[TextBuffer, int, str, str]


class ChatStreamState:
    """Interprets the unified-chat SSE events ``content`` → ``result`` → ``done``.

    Rules: unnamed/``message`` events count as content; an ``error`` event raises
    :class:`StreamInterruptedError` carrying the text so far; the final text prefers the
    record's ``resultObject[0]``; a stream that ends after ``result`` without ``done`` is
    complete; one that ends with ``done`` but no ``result`` is complete with the streamed
    text; one that ends with neither is truncated and raises.

    The repeated answer: for some models (seen with gpt-5.x) the service sends the whole
    answer again as the last ``content`` event. Joined ``text_delta`` values never repeat
    text, and an answer whose last piece really equals the text so far is not cut: a
    content event equal to the text so far is held back for one event. When another
    content event follows, the held piece was real and goes out (the new event is then
    judged the same way, so ``ha``, ``ha``, repeat ``haha`` gives ``haha``); when ``result``
    follows, the record's ``resultObject[0]`` decides (the final chunk's ``text_delta`` is
    whatever it holds beyond the streamed text); at ``done``, the end of the body or an
    error, without a record to decide, the held piece counts as the repeat and is dropped.

    The text lives in one :class:`TextBuffer` shared by every chunk, so memory and time are
    linear in the length of the stream.
    """

    __slots__ = ("_buffer", "_held", "_model", "done", "events_received", "final")

    def __init__(self, model: str) -> None:
        self._model = model
        self._buffer = TextBuffer()
        #: A content piece equal to the whole text so far, waiting for the next event.
        self._held: str | None = None
        self.events_received = 0
        self.done = False
        self.final: ChatOutput | None = None

    @property
    def text(self) -> str:
        """Everything received so far."""
        return self._buffer.text()

    def on_event(self, event: ServerSentEvent) -> ChatOutput | None:
        """Handle one event; return the chunk to hand to the caller, if any."""
        out = self.step(event)
        return _chat_output.content_chunk(*out) if isinstance(out, tuple) else out

    def step(self, event: ServerSentEvent) -> ChatOutput | PendingChunk | None:
        """Like :meth:`on_event`, but a content chunk comes back unbuilt (a :data:`PendingChunk`).

        Streams queue these light tuples and build the :class:`ChatOutput` only when the
        caller takes it: a chunk of the body often holds a whole answer, and a thousand open
        streams should not each hold forty models they have not handed out yet.
        """
        name = event.event
        if name == "content" or name == "message":
            delta = self._content(event.data)
            if not delta:
                return None
            self.events_received += 1
            buffer = self._buffer
            released = self._held
            if released is not None:  # more content came: the held piece was part of the answer
                self._held = None
                buffer.append(released)
            if len(delta) == buffer.length and delta == buffer.text():
                self._held = delta  # the repeated answer, or a piece equal to the text so far
                if released is None:
                    return None
                return (buffer, buffer.length, released, self._model)
            buffer.append(delta)
            if released is not None:
                delta = released + delta
            return (buffer, buffer.length, delta, self._model)
        if name == "result":
            return self._on_result(event.data)
        if name == "done":
            self.done = True
            self._held = None
            return None
        if name == "error":
            raise self.interrupted(
                f"The service reported an error mid-stream: {_error_text(event.data)}"
            )
        return None

    def on_eof(self) -> ChatOutput | None:
        """End of body: the synthesised final chunk, or an error for a truncated stream."""
        if self.final is not None:
            return None
        if self.done:
            self.final = final_output(self.text, self._model)
            return self.final
        raise self.interrupted("The stream ended before the service sent its final result.")

    def interrupted(self, message: str) -> StreamInterruptedError:
        """An error that keeps everything received so far."""
        return StreamInterruptedError(
            message, partial_text=self.text, events_received=self.events_received
        )

    def _content(self, data: str) -> str:
        if data.startswith('{"content":'):
            # Fast path for the usual ``{"content": "<delta>"}``: decode just the string
            # (C scanner); anything unusual falls through to the full JSON parse below.
            start = 12 if data[11:12] == '"' else 13 if data[11:13] == ' "' else 0
            if start:
                try:
                    value, end = _scanstring(data, start)
                except ValueError:
                    pass
                else:
                    if data[end:] == "}":
                        return value
        if not data or data == "[DONE]":
            return ""
        try:
            payload = json.loads(data)
        except ValueError:
            return data  # a bare text delta
        if isinstance(payload, dict):
            content = payload.get("content")
            return content if isinstance(content, str) else ""
        return payload if isinstance(payload, str) else ""

    def _on_result(self, data: str) -> ChatOutput | None:
        if self.final is not None:
            return None
        try:
            payload = json.loads(data)
        except ValueError:
            raise self.interrupted("The stream's result event is not JSON.") from None
        record = as_dict(as_dict(payload).get("aiRecord"))
        if not record:
            return None
        self._held = None  # the record's text decides (see the class docstring)
        streamed = self.text
        try:
            final = output_from_record(record, fallback_text=streamed)
        except ContentFilteredError as exc:
            exc.partial_text = streamed  # moderation: typed, with what arrived before it
            raise
        except Exception as exc:
            raise self.interrupted(str(exc)) from None
        final.text_delta = final.text[len(streamed) :] if final.text.startswith(streamed) else ""
        if not final.model:
            final.model = self._model
        self.final = final
        return final


def _error_text(data: str) -> str:
    try:
        payload: Any = json.loads(data)
    except ValueError:
        return data or "unknown error"
    if isinstance(payload, dict):
        err = payload.get("error")
        if isinstance(err, dict):
            err = err.get("message")
        return str(err or payload.get("message") or data)
    return str(payload)
