"""Progress on stderr: one line rewritten in place on a terminal, plain lines otherwise."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..types import JobProgress

_CLEAR_LINE = "\r\x1b[K"


def human_size(n: int | None) -> str:
    """``1234567`` → ``1.2 MB`` (``?`` when unknown)."""
    if n is None:
        return "?"
    if n < 1000:
        return f"{n} B"
    size = n / 1000
    for unit in ("KB", "MB"):
        if size < 1000:
            return f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


class RetryNotices(logging.Handler):
    """Shows the client's retry waits (rate limits, server errors) as progress."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.DEBUG)
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        delay = getattr(record, "retry_delay", None)
        if delay is not None:
            reason = record.getMessage().split(" on ", 1)[0]  # "HTTP 429" or an error name
            reason = _REASONS.get(reason, reason)
            self._progress.update(f"{reason}; retrying in {delay:.0f} s…")


_REASONS = {"APIConnectionError": "connection failed", "APITimeoutError": "timed out"}


class Progress:
    """Reports the steps of a command (uploads, job polling, downloads).

    On a terminal the current step is one line updated in place; when stderr is a file or a
    pipe each step is a line of its own (transfers print when they start, not per chunk).
    Disabled entirely by ``--quiet`` and ``--json``.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, interval: float = 0.1) -> None:
        self._out = stream
        self._enabled = enabled
        self._tty = enabled and stream.isatty()
        self._interval = interval
        self._showing = False  # a transient line is on screen (terminal only)
        self._last = ""
        self._last_time = 0.0

    @property
    def enabled(self) -> bool:
        """False with ``--quiet`` and ``--json``."""
        return self._enabled

    def update(self, text: str) -> None:
        """Show a transient status: rewritten in place, or printed once when not a terminal."""
        if not self._enabled or text == self._last:
            return
        self._last = text
        if self._tty:
            self._out.write(_CLEAR_LINE + text)
            self._showing = True
        else:
            self._out.write(text + "\n")
        self._out.flush()

    def done(self, text: str) -> None:
        """Finish the current step with a line that stays."""
        if not self._enabled:
            return
        self.clear()
        self._out.write(text + "\n")
        self._out.flush()
        self._last = ""

    def clear(self) -> None:
        """Remove the transient line (before results or an error are printed)."""
        if self._showing:
            self._out.write(_CLEAR_LINE)
            self._out.flush()
            self._showing = False
        self._last = ""

    def transfer(self, label: str) -> Callable[[int, int | None], None]:
        """A ``(bytes_done, total)`` callback showing a transfer of ``label``."""

        def report(done: int, total: int | None) -> None:
            if not self._tty:  # one line when it starts
                if done == 0:
                    self.update(f"{label} ({human_size(total)})…")
                return
            now = time.monotonic()
            if done and done != total and now - self._last_time < self._interval:
                return
            self._last_time = now
            percent = f" {100 * done // total:3d}%" if total else ""
            self.update(f"{label} {human_size(done)}/{human_size(total)}{percent}")

        return report

    def job(self, label: str) -> Callable[[JobProgress], None]:
        """An ``on_progress`` callback for long-running jobs (video, music)."""

        def report(progress: JobProgress) -> None:
            status = progress.status.lower() or "waiting"
            polls = "1 poll" if progress.polls == 1 else f"{progress.polls} polls"
            self.update(f"{label}: {status} · {progress.elapsed_s:.0f} s · {polls}")

        return report
