"""Lazily created core clients for framework adapters.

One :class:`ClientFactory` serves one adapter object (a chat model, a tool spec…). It hands
out a shared sync client and async clients, creating them only on first use, so
constructing an adapter object never does I/O and never imports ``requests`` or ``aiohttp``.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._client._async import OneMinAIClient
    from .._client._sync import SyncOneMinAIClient

__all__ = ["CHAT_OPTIONS", "ClientFactory", "ClientSettings"]

_DEFAULT_TIMEOUT = 60.0

#: Keyword arguments of the core clients' ``chat()`` that adapters forward from per-call
#: options (``images``/``files`` come from attachments, ``stream`` from the call itself).
CHAT_OPTIONS = frozenset(
    {
        "model",
        "conversation_id",
        "web_search",
        "num_of_site",
        "max_word",
        "is_mixed",
        "history_message_limit",
        "with_memories",
        "brand_voice_id",
    }
)


@dataclass(frozen=True)
class ClientSettings:
    """Connection settings shared by the sync and async clients of one adapter object.

    ``repr()`` shows neither the key nor the proxy URL (which may carry credentials).

    Attributes:
        api_key: The 1min.AI API key ("" lets the core client read ``ONEMINAI_API_KEY``).
        base_url: API root; ``None`` lets the core client read ``ONEMINAI_BASE_URL``.
        timeout: Total request timeout in seconds (``None``: 60).
        max_retries: Retries of rate-limited, failed or dropped requests.
        proxy: Optional HTTP proxy URL.
    """

    api_key: str = field(default="", repr=False)
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int = 2
    proxy: str | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, config: Any) -> ClientSettings:
        """Read the settings from an adapter object's fields of the same names.

        Args:
            config: An object with ``api_key`` and ``proxy`` (each a string, ``None``, or a
                secret with ``get_secret_value()`` such as Pydantic's ``SecretStr``),
                ``base_url``, ``timeout`` and ``max_retries`` attributes.

        Returns:
            The settings.
        """
        return cls(
            api_key=_plain(config.api_key) or "",
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=config.max_retries,
            proxy=_plain(config.proxy) or None,
        )

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the ``OneMinAIClient``/``SyncOneMinAIClient`` constructors."""
        return {
            "api_key": self.api_key,
            "proxy": self.proxy,
            "timeout": _DEFAULT_TIMEOUT if self.timeout is None else self.timeout,
            "base_url": self.base_url,
            "max_retries": self.max_retries,
        }

    def sync_client(self) -> SyncOneMinAIClient:
        """Create a sync client (no I/O happens here)."""
        from .. import SyncOneMinAIClient  # imports requests: only when needed

        return SyncOneMinAIClient(**self.client_kwargs())

    def async_client(self) -> OneMinAIClient:
        """Create an async client (no I/O happens here)."""
        from .. import OneMinAIClient  # imports aiohttp: only when needed

        return OneMinAIClient(**self.client_kwargs())


def _plain(value: Any) -> str | None:
    """A string setting that may be wrapped in a secret (``SecretStr``)."""
    if value is not None and not isinstance(value, str):
        value = value.get_secret_value()
    return value  # type: ignore[no-any-return]


async def _close_with_loop(client: OneMinAIClient) -> AsyncGenerator[None, None]:
    """Suspend until the loop finalizes this generator, then close ``client``."""
    try:
        yield
    finally:
        await client.close()


class ClientFactory:
    """Creates core clients on demand for one adapter object.

    * :meth:`sync`: one shared sync client, closed by :meth:`close` or when the factory is
      garbage-collected.
    * :meth:`async_`: one shared async client per running event loop (an ``aiohttp`` session
      belongs to the loop it was created in), closed when that loop shuts down its async
      generators (``asyncio.run``, ``asyncio.Runner`` and pytest-asyncio do), by
      :meth:`aclose` in that loop, by :meth:`close` once the loop is idle, or by the loop
      soon after the factory is garbage-collected.
    * :meth:`async_client`: a fresh async client for one call, closed when the call ends.

    Clients given to the constructor are always used as they are and never closed here.

    Args:
        settings: The connection settings.
        sync_client: A caller-owned sync client to use instead of creating one.
        async_client: A caller-owned async client to use instead of creating any.
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        sync_client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
    ) -> None:
        self.settings = settings
        self._given_sync = sync_client
        self._given_async = async_client
        self._sync: SyncOneMinAIClient | None = None
        self._sync_finalizer: weakref.finalize[Any, Any] | None = None
        self._lock = threading.Lock()
        self._per_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[OneMinAIClient, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"ClientFactory({self.settings!r})"

    def sync(self) -> SyncOneMinAIClient:
        """Return the shared sync client, creating it on first use."""
        if self._given_sync is not None:
            return self._given_sync
        with self._lock:
            if self._sync is None:
                client = self.settings.sync_client()
                self._sync_finalizer = weakref.finalize(self, client.close)
                self._sync = client
            return self._sync

    async def async_(self) -> OneMinAIClient:
        """Return the async client of the running loop, creating it on first use."""
        if self._given_async is not None:
            return self._given_async
        loop = asyncio.get_running_loop()
        with self._lock:
            for stale in [lp for lp in self._per_loop if lp.is_closed()]:
                del self._per_loop[stale]
            entry = self._per_loop.get(loop)
        if entry is not None:
            return entry[0]
        client = self.settings.async_client()
        closer = _close_with_loop(client)
        # Starting the generator registers it with the loop's async-generator hooks, so
        # ``shutdown_asyncgens()`` closes the client when the loop ends.
        await closer.__anext__()
        with self._lock:
            self._per_loop[loop] = (client, closer)
        return client

    @asynccontextmanager
    async def async_client(self) -> AsyncIterator[OneMinAIClient]:
        """An async client for one call: the caller's, or a fresh one closed on exit."""
        if self._given_async is not None:
            yield self._given_async
            return
        async with self.settings.async_client() as client:
            yield client

    def close(self) -> None:
        """Close the clients created here that can be closed without awaiting.

        The sync client is closed. An async client whose event loop has ended was closed by
        that loop and is forgotten. One whose loop is idle (neither running nor closed, as
        after ``loop.run_until_complete``) is closed by running that loop until it is, unless
        an event loop is running in this thread. An async client whose loop is running stays
        open: :meth:`aclose` in that loop closes it, and so does the end of the loop. Later
        calls create new clients.
        """
        can_run = not _loop_running_in_this_thread()
        with self._lock:
            finalizer, self._sync_finalizer, self._sync = self._sync_finalizer, None, None
            idle = [lp for lp in self._per_loop if not lp.is_running()]  # closed ones too
            done = [lp for lp in idle if can_run or lp.is_closed()]
            closers = [(loop, self._per_loop.pop(loop)[1]) for loop in done]
        if finalizer is not None:
            finalizer()  # closes the client once; the garbage-collection hook is spent
        for loop, closer in closers:
            if not loop.is_closed():
                loop.run_until_complete(closer.aclose())

    async def aclose(self) -> None:
        """Close the running loop's async client, then what :meth:`close` closes.

        Async clients of other loops that are still running stay open (each closes with
        its loop, or by :meth:`aclose` in it).
        """
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._per_loop.pop(loop, None)
        if entry is not None:
            await entry[1].aclose()
        self.close()


def _loop_running_in_this_thread() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
