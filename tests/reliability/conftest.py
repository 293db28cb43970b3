"""Fixtures for the reliability suite: an in-loop emulator, clients keyed with the canary,
a ``no_sleep`` switch for retry backoff, and warning/leak hygiene checks."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import pytest_asyncio
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi._protocol import _retry_loop
from oneminai_webapi.testing import Emulator


@pytest_asyncio.fixture
async def emu(canary: str) -> AsyncIterator[Emulator]:
    """The emulator in the test's own loop, accepting the canary as its API key."""
    async with Emulator(api_key=canary) as server:
        yield server


@pytest.fixture
def emu_thread(canary: str) -> Iterator[Emulator]:
    """The emulator on its own thread (for the sync client)."""
    with Emulator(api_key=canary) as server:
        yield server


@pytest_asyncio.fixture
async def client(emu: Emulator, canary: str) -> AsyncIterator[OneMinAIClient]:
    async with OneMinAIClient(canary, base_url=emu.base_url) as c:
        yield c


@pytest.fixture
def sync_client(emu_thread: Emulator, canary: str) -> Iterator[SyncOneMinAIClient]:
    with SyncOneMinAIClient(canary, base_url=emu_thread.base_url) as c:
        yield c


class Delays(list):  # type: ignore[type-arg]
    """The retry delays the client asked for (each replaced by 0 s)."""


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> Delays:
    """Retry backoff is computed as usual, recorded, then replaced by a zero sleep."""
    delays = Delays()

    def wrap(fn: Callable[..., float | None]) -> Callable[..., float | None]:
        def wrapper(*args: Any, **kwargs: Any) -> float | None:
            delay = fn(*args, **kwargs)
            if delay is not None:
                delays.append(delay)
                return 0.0
            return None

        return wrapper

    monkeypatch.setattr(_retry_loop, "delay_for_response", wrap(_retry_loop.delay_for_response))
    monkeypatch.setattr(_retry_loop, "delay_for_error", wrap(_retry_loop.delay_for_error))
    return delays


def collect_garbage() -> None:
    """Run the collector so that unclosed resources would warn now (warnings are errors)."""
    for _ in range(3):
        gc.collect()


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything reachable through __cause__ and __context__
    (including contexts hidden by ``raise ... from None``, which stay reachable)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                todo.append(nxt)


def assert_exception_clean(exc: BaseException, secret: str) -> None:
    """Requirement 14 of docs/reliability.md: the secret is absent from str/repr/traceback/pickle of ``exc`` and of
    every exception reachable from it, and no aiohttp response error hides in the chain."""
    import pickle
    import traceback

    import aiohttp

    for e in _chain(exc):
        assert not isinstance(e, aiohttp.ClientResponseError), f"aiohttp error in chain: {type(e)}"
        assert secret not in str(e)
        assert secret not in repr(e)
        assert secret not in repr(getattr(e, "__dict__", {}))
        assert secret not in repr(e.args)
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert secret not in text
    try:
        blob = pickle.dumps(exc)
    except Exception as err:  # pragma: no cover - reported as a failure with the reason
        raise AssertionError(f"{type(exc).__name__} cannot be pickled: {err!r}") from None
    assert secret.encode() not in blob
    clone = pickle.loads(blob)
    assert type(clone) is type(exc)
    assert str(clone) == str(exc)


@pytest.fixture
def clean(canary: str) -> Callable[[BaseException], None]:
    """``clean(exc)`` checks an exception for the canary (see :func:`assert_exception_clean`)."""

    def check(exc: BaseException) -> None:
        assert_exception_clean(exc, canary)

    return check


@contextmanager
def logging_at_debug(handler: logging.Handler, names: tuple[str, ...]) -> Iterator[None]:
    """Send every record of the loggers ``names`` (``""``: the root) at DEBUG to ``handler``,
    then put their levels back."""
    saved = {name: logging.getLogger(name).level for name in names}
    logging.getLogger().addHandler(handler)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
