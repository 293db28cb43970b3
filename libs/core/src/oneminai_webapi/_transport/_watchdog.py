"""Deadlines for the blocking driver: a watchdog thread that cuts a connection in time.

``requests`` only knows per-read socket timeouts, so a server that sends one byte of its
headers every few seconds keeps a call alive forever. Each call of the sync client gets a
:class:`Watch`; the connection urllib3 hands out for it is attached to the watch (through
:class:`WatchedAdapter`'s pools), and when the watch's deadline passes, the one watchdog
thread of the process shuts that connection's socket down. The blocked read returns at
once, and the driver reports the deadline (``Watch.fired``) instead of a broken connection.

A watch's deadline is read through a callable each time the watchdog wakes up, so a
stream can move it later cheaply (on every content); moving it earlier needs
:meth:`Watchdog.reschedule`.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests.adapters
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Watch", "WatchedAdapter", "connecting", "watchdog"]

#: How often a fired watch whose connection has no socket yet (still connecting) is retried.
_RETRY_S = 0.01
#: Heap size from which finished watches are swept out.
_COMPACT_MIN = 256

_current = threading.local()


class Watch:
    """The deadline of one call and the connection to cut when it passes.

    Args:
        deadline: Returns the current deadline (``time.monotonic()`` seconds), or ``None``.
        phase: Returns the timeout phase to report when the deadline passed.
    """

    __slots__ = ("conn", "deadline", "done", "fired", "phase", "version")

    def __init__(
        self, deadline: Callable[[], float | None], phase: Callable[[], str] = lambda: "total"
    ) -> None:
        self.deadline = deadline
        self.phase = phase
        self.conn: Any = None
        self.fired = False
        self.done = False
        self.version = 0

    def attach(self, conn: Any) -> None:
        """Remember the connection serving this call (cut at once if already expired)."""
        self.conn = conn
        if self.fired:
            _cut(conn)

    def __enter__(self) -> Watch:
        watchdog.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def detach(self) -> None:
        """Forget the connection (it is about to go back to the pool): never cut it now."""
        with watchdog.lock:
            self.conn = None

    def release(self) -> None:
        """The call is over: stop watching (idempotent)."""
        with watchdog.lock:
            self.done = True
            self.conn = None


@contextlib.contextmanager
def connecting(watch: Watch | None) -> Iterator[None]:
    """Attach the connection that urllib3 hands out inside this block to ``watch``."""
    if watch is None:
        yield
        return
    _current.watch = watch
    try:
        yield
    finally:
        _current.watch = None


def _cut(conn: Any) -> bool:
    """Shut the connection's socket down; False when it has none yet."""
    sock = getattr(conn, "sock", None)
    if sock is None:
        return False
    with contextlib.suppress(OSError):
        # The plain socket's shutdown (a TLS socket's own would touch the TLS state that
        # the reading thread is using): the blocked read then sees end of file at once.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    return True


class Watchdog:
    """One daemon thread serving every watch of the process (started on first use)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int, int, Watch]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        #: Held while a connection is cut, and while a watch lets go of its connection.
        self.lock = self._cond
        self._thread: threading.Thread | None = None
        self._compact_at = _COMPACT_MIN

    def add(self, watch: Watch) -> None:
        """Start watching (the deadline may be ``None`` for now; see :meth:`reschedule`)."""
        self.reschedule(watch)

    def reschedule(self, watch: Watch) -> None:
        """Take a new (possibly earlier) deadline of ``watch`` into account."""
        deadline = watch.deadline()
        if deadline is None:
            return
        with self._cond:
            watch.version += 1
            heap = self._heap
            if len(heap) >= self._compact_at:
                # Finished calls stay in the heap until their deadline (a long total):
                # drop them now and then so that many quick calls cannot pile up.
                heap[:] = [e for e in heap if not e[3].done and e[2] == e[3].version]
                heapq.heapify(heap)
                self._compact_at = max(_COMPACT_MIN, 2 * len(heap))
            entry = (deadline, next(self._seq), watch.version, watch)
            heapq.heappush(heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="oneminai-watchdog", daemon=True
                )
                self._thread.start()
            if heap[0] is entry:  # the watchdog sleeps until an earlier deadline otherwise
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                when, _, version, watch = self._heap[0]
                now = self._clock()
                if when > now:
                    self._cond.wait(when - now)
                    continue
                heapq.heappop(self._heap)
                if watch.done or version != watch.version:
                    continue
                deadline = watch.deadline()
                if deadline is None:
                    continue
                if deadline > now:  # moved later since: sleep again
                    heapq.heappush(self._heap, (deadline, next(self._seq), version, watch))
                    continue
                watch.fired = True
                conn = watch.conn
                if conn is None or not _cut(conn):
                    retry = now + _RETRY_S
                    heapq.heappush(self._heap, (retry, next(self._seq), version, watch))
                    watch.deadline = _fixed(retry)


def _fixed(value: float) -> Callable[[], float]:
    return lambda: value


#: The watchdog of the process.
watchdog = Watchdog()


def _attach_current(conn: Any) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None and not watch.done:
        watch.attach(conn)


class _WatchedHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _attach_current(conn)
        return conn


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        _attach_current(conn)
        return conn


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """An ``HTTPAdapter`` whose connections can be cut by the current thread's watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager
