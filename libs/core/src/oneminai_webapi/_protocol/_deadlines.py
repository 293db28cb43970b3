"""When a stream (or a download) must give up, sans-IO: both drivers enforce these times.

A stream is idle when no *content* arrived within ``Timeouts.read``: bytes alone do not
count, so a server that sends keep-alive comments (or events without content) forever
cannot keep a stalled answer open. Before the first content the idle time counts from the
start of the current attempt (slow headers included). ``Timeouts.first_event`` and
``Timeouts.stream_total``, when set, bound the time to the first content and to the end.

The drivers ask :meth:`StreamTimer.deadline` when to wake up, report each read
(:meth:`StreamTimer.wait`, :meth:`StreamTimer.waited`) and contents
(:meth:`StreamTimer.data`), and raise :meth:`StreamTimer.error` once the deadline passed.
Time the caller spends between reads does not count as idle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .._config import Timeouts
from ..exceptions import APITimeoutError

__all__ = ["StreamTimer"]

_MESSAGES = {
    "stream_total": "The stream did not finish within its stream_total timeout ({:g} s).",
    "first_event": "The stream sent no content within its first_event timeout ({:g} s).",
    "read": "The stream sent no content for longer than the read timeout ({:g} s).",
}


class StreamTimer:
    """The deadlines of one stream.

    Only time spent *waiting* for the server counts towards the idle limit: while the
    caller is busy with a chunk it was handed, the stream is not idle. The driver reports
    :meth:`wait` before each read and :meth:`waited` after it, and :meth:`data` when the
    bytes read held content.

    Args:
        timeouts: The client's timeouts.
        clock: The driver's monotonic clock (``time.monotonic``, ``loop.time``).
    """

    __slots__ = (
        "_clock", "first_s", "got_data", "read_s", "spent", "start", "total_s", "waiting_since",
    )  # fmt: skip

    def __init__(self, timeouts: Timeouts, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.read_s = timeouts.read
        self.first_s = timeouts.first_event
        self.total_s = timeouts.stream_total
        self.start = clock()
        #: When the current read began (``None`` between reads).
        self.waiting_since: float | None = self.start
        #: Seconds spent waiting since the last content.
        self.spent = 0.0
        self.got_data = False

    @classmethod
    def for_download(cls, timeouts: Timeouts, clock: Callable[[], float]) -> StreamTimer:
        """A timer for a file download: ``read`` alone.

        Any byte of a file counts as progress, and the stream deadlines of chat answers
        (``first_event``, ``stream_total``) do not apply to files.
        """
        return cls(dataclasses.replace(timeouts, first_event=None, stream_total=None), clock)

    def attempt(self) -> None:
        """A new attempt starts (a retry): the idle time before any content restarts."""
        if not self.got_data:
            self.spent = 0.0
            self.waiting_since = self._clock()

    def wait(self) -> None:
        """A read of the body starts."""
        self.waiting_since = self._clock()

    def waited(self) -> None:
        """The read returned (with or without content)."""
        since = self.waiting_since
        if since is not None:
            self.spent += self._clock() - since
            self.waiting_since = None

    def data(self) -> None:
        """The bytes just read held content: the stream is not idle."""
        self.spent = 0.0
        self.got_data = True

    def deadline(self) -> float:
        """The moment the stream fails unless content arrives before.

        Between reads the idle part moves on with the clock (the caller's time is not the
        server's), so the deadline never moves earlier.
        """
        since = self.waiting_since
        base = self._clock() if since is None else since
        deadline = base - self.spent + self.read_s
        if self.total_s is not None:
            deadline = min(deadline, self.start + self.total_s)
        if self.first_s is not None and not self.got_data:
            deadline = min(deadline, self.start + self.first_s)
        return deadline

    def phase(self) -> str:
        """The timeout the deadline belongs to: ``stream_total``, ``first_event``, ``read``."""
        deadline = self.deadline()
        if self.total_s is not None and deadline == self.start + self.total_s:
            return "stream_total"
        if self.first_s is not None and not self.got_data and deadline == self.start + self.first_s:
            return "first_event"
        return "read"

    def error(self, partial_text: str = "") -> APITimeoutError:
        """The timeout error of the passed deadline, keeping the text received so far."""
        phase = self.phase()
        seconds = {"stream_total": self.total_s, "first_event": self.first_s}.get(phase)
        return APITimeoutError(
            _MESSAGES[phase].format(self.read_s if seconds is None else seconds),
            phase=phase,
            partial_text=partial_text,
        )
