"""Shared fixtures: no network except 127.0.0.1, and a canary API key."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest

#: The emulator fixtures are opt-in (no pytest11 entry point): our tests opt in here.
pytest_plugins = ["oneminai_webapi.testing.pytest_plugin"]

CANARY = f"sk-canary-{uuid.uuid4().hex}"

_real_connect = socket.socket.connect
_LOOPBACK = ("127.", "::1", "localhost")


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not host.startswith(_LOOPBACK) and self.family != socket.AF_UNIX:
        raise OSError(f"network access to {host!r} is blocked in tests (loopback only)")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    """Tests may only talk to 127.0.0.1 (the emulator); anything else fails loudly."""
    if os.environ.get("ONEMINAI_API_KEY"):
        yield  # live tests run against the real service
        return
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real key or base URL by accident."""
    if not os.environ.get("ONEMINAI_API_KEY"):
        monkeypatch.delenv("ONEMINAI_BASE_URL", raising=False)


@pytest.fixture
def canary() -> str:
    """A unique fake key; tests assert it never shows up where it must not."""
    return CANARY
