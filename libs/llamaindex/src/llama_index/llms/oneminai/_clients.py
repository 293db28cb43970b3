"""Lazy creation and cleanup of the core 1min.AI clients used by the LlamaIndex classes.

The sync client is created on first use and shared. An aiohttp session is bound to the
event loop it was created in, and LlamaIndex may call async methods from several loops (for
example through ``asyncio.run`` in sync wrappers), so there is one async client per running
loop. Each async client is closed when its loop shuts down (``asyncio.run``, ``Runner`` and
pytest-asyncio all call ``loop.shutdown_asyncgens()``), or earlier through :meth:`aclose`.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

if TYPE_CHECKING:
    from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

__all__ = ["ClientConfig", "ClientFactory"]


class ClientConfig:
    """Connection settings shared by the sync and async clients.

    Args:
        api_key: The 1min.AI API key ("" lets the core client read ``ONEMINAI_API_KEY``).
        base_url: API root; ``None`` lets the core client read ``ONEMINAI_BASE_URL``.
        timeout: Total request timeout in seconds.
        max_retries: Retries of rate-limited or failed requests.
        proxy: Optional HTTP proxy URL.
    """

    __slots__ = ("_api_key", "base_url", "max_retries", "proxy", "timeout")

    def __init__(
        self,
        api_key: SecretStr,
        *,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        proxy: str | None,
    ) -> None:
        self._api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.proxy = proxy

    def __repr__(self) -> str:
        return f"ClientConfig(base_url={self.base_url!r}, timeout={self.timeout!r})"

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the core client constructors."""
        return {
            "api_key": self._api_key.get_secret_value(),
            "proxy": self.proxy,
            "timeout": self.timeout,
            "base_url": self.base_url,
            "max_retries": self.max_retries,
        }


async def _close_with_loop(client: OneMinAIClient) -> AsyncGenerator[None, None]:
    """Suspend until the loop finalizes this generator, then close ``client``."""
    try:
        yield
    finally:
        await client.close()


class ClientFactory:
    """Creates core clients on demand: one sync client, one async client per event loop.

    Args:
        config: The connection settings.
        client: A sync client supplied by the caller (used as is, never closed here).
        async_client: An async client supplied by the caller (used as is, never closed here).
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
    ) -> None:
        self._config = config
        self._given_sync = client
        self._given_async = async_client
        self._sync: SyncOneMinAIClient | None = None
        self._lock = threading.Lock()
        self._per_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[OneMinAIClient, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"ClientFactory({self._config!r})"

    def sync(self) -> SyncOneMinAIClient:
        """Return the shared sync client, creating it on first use."""
        if self._given_sync is not None:
            return self._given_sync
        with self._lock:
            if self._sync is None:
                from oneminai_webapi import SyncOneMinAIClient

                self._sync = SyncOneMinAIClient(**self._config.kwargs())
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
        from oneminai_webapi import OneMinAIClient

        client = OneMinAIClient(**self._config.kwargs())
        closer = _close_with_loop(client)
        # Starting the generator registers it with the loop's async-generator hooks, so
        # ``shutdown_asyncgens()`` closes the client when the loop ends.
        await closer.__anext__()
        with self._lock:
            self._per_loop[loop] = (client, closer)
        return client

    def close(self) -> None:
        """Close the sync client this factory created (no-op otherwise)."""
        with self._lock:
            client, self._sync = self._sync, None
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close the async client of the running loop and the sync client, if created here."""
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._per_loop.pop(loop, None)
        if entry is not None:
            await entry[1].aclose()
        self.close()
