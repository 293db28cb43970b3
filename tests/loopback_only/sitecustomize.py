"""Loaded by the example subprocesses (via PYTHONPATH): allow only loopback connections.

Like ``tests/conftest.py`` does for the test process. A blocked attempt raises ``OSError``
and also prints ``BLOCKED_NETWORK_ACCESS`` to stderr, so that the test notices it even when
a library catches the error (telemetry, update checks).
"""

from __future__ import annotations

import socket
import sys

MARKER = "BLOCKED_NETWORK_ACCESS"
_LOOPBACK = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(sock: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if sock.family == getattr(socket, "AF_UNIX", None) or not isinstance(host, str):
        return
    if not host.startswith(_LOOPBACK):
        print(f"{MARKER}: {host!r}", file=sys.stderr, flush=True)
        raise OSError(f"network access to {host!r} is blocked in the example tests")


def _connect(self: socket.socket, address: object) -> None:
    _check(self, address)
    _real_connect(self, address)  # type: ignore[arg-type]


def _connect_ex(self: socket.socket, address: object) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
