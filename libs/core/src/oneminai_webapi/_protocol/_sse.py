"""An incremental, sans-IO decoder for ``text/event-stream`` bodies.

It follows the WHATWG HTML rules for parsing an event stream:

* bytes are decoded as UTF-8 with replacement (bad bytes become U+FFFD) and one
  leading BOM is dropped;
* a line ends with CRLF, LF or CR -- and nothing else (U+2028, U+0085 and friends
  are ordinary characters, so :meth:`str.splitlines` is never used);
* a blank line dispatches the event; lines starting with ``:`` are comments;
* ``data`` lines are joined with a newline, one space after the colon is removed;
* ``id`` is ignored when it contains NUL and otherwise persists across events;
* ``retry`` counts only when it is ASCII digits alone;
* unknown fields are ignored, and pending data at the end of the stream is discarded.

Documented policy: a block whose data buffer is empty (for example ``event: ping``
followed by a blank line) is **not** dispatched, exactly as the specification says.

Speed notes: each chunk is decoded once; complete lines are cut with ``str.split``
(CR and CRLF are first folded to LF only when the chunk holds a CR); an unfinished
line is kept as a list of pieces, so a huge line arriving in many chunks is joined
once, never re-scanned.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..exceptions import EventTooLarge

__all__ = ["SSEDecoder", "ServerSentEvent"]

_utf8_decode = codecs.utf_8_decode


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched server-sent event.

    Attributes:
        event: The event type; ``"message"`` when the block had no (or an empty) ``event`` field.
        data: The data lines of the block joined with a newline.
        id: The last event id seen so far in the stream (it persists), or None if never set.
        retry: The ``retry`` value (milliseconds) given inside this block, if any.
    """

    event: str
    data: str
    id: str | None
    retry: int | None


# ``ServerSentEvent(...)`` of a frozen dataclass costs four ``object.__setattr__`` calls
# through a generic path; setting the slots directly is ~2x faster and gives an identical
# object (same fields, equality, hash and repr). Used only in the dispatch hot path.
def _slot_setter(name: str) -> Callable[[ServerSentEvent, Any], None]:
    setter: Callable[[ServerSentEvent, Any], None] = vars(ServerSentEvent)[name].__set__
    return setter


_new_event = object.__new__
_set_event = _slot_setter("event")
_set_data = _slot_setter("data")
_set_id = _slot_setter("id")
_set_retry = _slot_setter("retry")


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class SSEDecoder:
    """Turn a byte stream into :class:`ServerSentEvent` values, chunk by chunk.

    Feed every chunk with :meth:`feed`, then call :meth:`finish` at end of stream.

    Attributes:
        dropped_incomplete: Set by :meth:`finish` when an unterminated final block
            (an unfinished line or fields without the closing blank line) was discarded.
        retry: The latest valid ``retry`` value seen anywhere in the stream.
    """

    __slots__ = (
        "_bom_checked",
        "_data",
        "_data_size",
        "_event",
        "_event_retry",
        "_last_id",
        "_max",
        "_partial",
        "_partial_size",
        "_pending_bytes",
        "_skip_lf",
        "dropped_incomplete",
        "retry",
    )

    def __init__(self, max_event_bytes: int | None = None) -> None:
        """Create a decoder.

        Args:
            max_event_bytes: When set, raise :class:`~oneminai_webapi.exceptions.EventTooLarge`
                as soon as one event (its data plus any unfinished line, measured as UTF-8
                bytes of the decoded text) grows beyond this many bytes.
        """
        if max_event_bytes is not None and max_event_bytes <= 0:
            raise ValueError("max_event_bytes must be a positive integer or None")
        self._max = max_event_bytes
        self._pending_bytes = b""  # an incomplete UTF-8 sequence from the previous chunk
        self._bom_checked = False
        self._skip_lf = False  # the previous chunk ended with CR: drop a leading LF
        self._partial: list[str] = []  # pieces of the current unfinished line
        self._partial_size = 0  # UTF-8 size of ``_partial`` (tracked only with a limit)
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._event_retry: int | None = None
        self._last_id: str | None = None
        self.retry: int | None = None
        self.dropped_incomplete = False

    @property
    def has_pending(self) -> bool:
        """Whether an unfinished line or an undispatched field is buffered."""
        return bool(self._partial or self._data or self._event or self._pending_bytes)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk of the body.

        Args:
            chunk: The next bytes of the stream, split anywhere.

        Returns:
            The events completed by this chunk, in order (often empty).

        Raises:
            EventTooLarge: One event exceeded ``max_event_bytes``. Its
                ``completed_events`` attribute lists the events this chunk completed
                before the oversized one.
        """
        if self._pending_bytes:
            chunk = self._pending_bytes + chunk
        text, used = _utf8_decode(chunk, "replace", False)
        self._pending_bytes = chunk[used:] if used != len(chunk) else b""
        if not text:
            return []
        if not self._bom_checked:
            self._bom_checked = True
            if text[0] == "\ufeff":
                text = text[1:]
                if not text:
                    return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\r" in text:
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        elif "\n" not in text:
            # No line end at all: just remember the piece (no re-scanning later).
            self._partial.append(text)
            if self._max is not None:
                # The raw byte count is the UTF-8 size (no need to re-encode the text).
                self._partial_size += used
                if self._partial_size + self._data_size > self._max:
                    self._check_size([])
            return []
        lines = text.split("\n")
        tail = lines.pop()
        if self._partial:
            self._partial.append(lines[0])
            lines[0] = "".join(self._partial)
            self._partial = []
            self._partial_size = 0
        events = self._process_lines(lines)
        if tail:
            self._partial.append(tail)
            if self._max is not None:
                self._partial_size = _utf8_len(tail)
                self._check_size(events)
        return events

    def finish(self) -> list[ServerSentEvent]:
        """Signal end of stream.

        Per the specification an unterminated final block is discarded, never
        dispatched; :attr:`dropped_incomplete` tells whether that happened.

        Returns:
            Always an empty list (kept for symmetry with :meth:`feed`).
        """
        tail = ""
        if self._pending_bytes:
            tail, _ = _utf8_decode(self._pending_bytes, "replace", True)
            self._pending_bytes = b""
        dropped = bool(tail or self._partial or self._data or self._event)
        self.dropped_incomplete = self.dropped_incomplete or dropped
        self._partial = []
        self._partial_size = 0
        self._data = []
        self._data_size = 0
        self._event = ""
        self._event_retry = None
        self._skip_lf = False
        return []

    def _process_lines(self, lines: list[str]) -> list[ServerSentEvent]:
        # Hot loop: state lives in locals and is written back at the end; the most
        # frequent line kinds (blank, "data:", "event:") are tested first.
        events: list[ServerSentEvent] = []
        data = self._data
        event = self._event
        last_id = self._last_id
        retry = self._event_retry
        limit = self._max
        for line in lines:
            if not line:  # blank line: dispatch (only when the data buffer is not empty)
                if data:
                    sse = _new_event(ServerSentEvent)
                    _set_event(sse, event or "message")
                    _set_data(sse, data[0] if len(data) == 1 else "\n".join(data))
                    _set_id(sse, last_id)
                    _set_retry(sse, retry)
                    events.append(sse)
                    data = self._data = []
                    if limit is not None:
                        self._data_size = 0
                event = ""
                retry = None
            elif line.startswith("data:"):
                value = line[6:] if line[5:6] == " " else line[5:]
                data.append(value)
                if limit is not None:
                    self._data_size += _utf8_len(value) + 1
                    if self._data_size + self._partial_size > limit:
                        self._check_size(events)
            elif line.startswith("event:"):
                event = line[7:] if line[6:7] == " " else line[6:]
            elif line[0] != ":":  # not a comment
                name, _, value = line.partition(":")
                if value[:1] == " ":
                    value = value[1:]
                if name == "data":  # "data" with no colon: an empty value
                    data.append(value)
                    if limit is not None:
                        self._data_size += 1
                        self._check_size(events)
                elif name == "event":
                    event = value
                elif name == "id":
                    if "\0" not in value:
                        last_id = value
                elif name == "retry" and value.isascii() and value.isdigit():
                    retry = self.retry = int(value)
        self._event = event
        self._last_id = last_id
        self._event_retry = retry
        return events

    def _check_size(self, completed: list[ServerSentEvent]) -> None:
        assert self._max is not None
        size = self._data_size + self._partial_size
        if size > self._max:
            self._partial = []
            self._data = []
            error = EventTooLarge(
                f"A server-sent event exceeded max_event_bytes={self._max} "
                f"(at least {size} bytes buffered)"
            )
            # Events this chunk completed before the oversized one are not lost: the
            # caller may still deliver them (their text belongs in ``partial_text``).
            error.completed_events = list(completed)  # type: ignore[attr-defined]
            raise error
