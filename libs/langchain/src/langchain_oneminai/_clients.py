"""Creating 1min.AI clients for LangChain objects, and uploading attachments.

A sync client is created lazily, shared by every sync call of one object, and closed when
that object is garbage-collected. Async clients hold an ``aiohttp`` session that belongs to
one event loop, so each async call opens its own client (``async with``) unless the user
supplied one, which is then reused and never closed by us.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncIterator, MutableMapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from oneminai_webapi.constants import AssetType

from ._messages import Attachment

if TYPE_CHECKING:
    from oneminai_webapi import AssetRecord, OneMinAIClient, SyncOneMinAIClient

__all__ = ["ClientFactory", "ClientSettings", "upload_async", "upload_sync"]


@dataclass(frozen=True)
class ClientSettings:
    """Connection settings shared by the sync and async clients."""

    api_key: str = ""
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int = 2
    proxy: str | None = None

    def sync_client(self) -> SyncOneMinAIClient:
        """Create a sync client (no I/O happens here)."""
        from oneminai_webapi import SyncOneMinAIClient  # imports requests: only when needed

        return SyncOneMinAIClient(
            self.api_key,
            self.proxy,
            60 if self.timeout is None else self.timeout,
            base_url=self.base_url,
            max_retries=self.max_retries,
        )

    def async_client(self) -> OneMinAIClient:
        """Create an async client (no I/O happens here)."""
        from oneminai_webapi import OneMinAIClient  # imports aiohttp: only when needed

        return OneMinAIClient(
            self.api_key,
            self.proxy,
            60 if self.timeout is None else self.timeout,
            base_url=self.base_url,
            max_retries=self.max_retries,
        )


class ClientFactory:
    """Hands out clients for one LangChain object (see the module docstring)."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        sync_client: SyncOneMinAIClient | None = None,
        async_client: OneMinAIClient | None = None,
    ) -> None:
        self.settings = settings
        self._user_sync = sync_client
        self._user_async = async_client
        self._sync: SyncOneMinAIClient | None = None
        self._lock = threading.Lock()

    def sync(self) -> SyncOneMinAIClient:
        """The shared sync client, created on first use."""
        if self._user_sync is not None:
            return self._user_sync
        with self._lock:
            if self._sync is None:
                client = self.settings.sync_client()
                weakref.finalize(self, client.close)
                self._sync = client
            return self._sync

    @asynccontextmanager
    async def async_client(self) -> AsyncIterator[OneMinAIClient]:
        """An async client for one call: the user's, or a fresh one closed on exit."""
        if self._user_async is not None:
            yield self._user_async
            return
        async with self.settings.async_client() as client:
            yield client

    def close(self) -> None:
        """Close the shared sync client (a later call creates a new one)."""
        with self._lock:
            client, self._sync = self._sync, None
        if client is not None:
            client.close()


def _asset_type(attachment: Attachment) -> AssetType:
    return AssetType.IMAGE if attachment.kind == "image" else AssetType.DOCUMENT


def _classify(
    attachments: Sequence[Attachment], cache: MutableMapping[str, str]
) -> tuple[list[str], list[str], list[tuple[int, Attachment]]]:
    """Resolve what needs no upload; return images, files and the pending uploads."""
    images: list[str] = []
    files: list[str] = []
    pending: list[tuple[int, Attachment]] = []
    for attachment in attachments:
        target = images if attachment.kind == "image" else files
        cached = cache.get(attachment.cache_key)
        if attachment.asset_ref is not None:
            target.append(attachment.asset_ref)
        elif cached is not None:
            target.append(cached)
        elif attachment.kind == "image" and attachment.url is not None:
            target.append(attachment.url)  # chat images accept URLs directly
        else:
            pending.append((len(target), attachment))
            target.append("")
    return images, files, pending


def upload_sync(
    client: SyncOneMinAIClient,
    attachments: Sequence[Attachment],
    cache: MutableMapping[str, str],
) -> tuple[list[str], list[str]]:
    """Upload attachments with the sync client.

    Args:
        client: The client.
        attachments: Files from the messages.
        cache: ``Attachment.cache_key`` → asset key / file id, filled in as uploads happen.

    Returns:
        ``(images, files)`` for the chat request.
    """
    images, files, pending = _classify(attachments, cache)
    for position, attachment in pending:
        if attachment.data is not None:
            result: Any = client.upload_asset(
                data=attachment.data,
                filename=attachment.filename,
                mime_type=attachment.mime_type,
                asset_type=_asset_type(attachment),
            )
        else:
            result = client.upload_asset_from_url(str(attachment.url), _asset_type(attachment))
        record = cast("AssetRecord", result)  # the sync client returns values, not awaitables
        _store(attachment, record.asset_key, record.file_id, position, images, files, cache)
    return images, files


async def upload_async(
    client: OneMinAIClient,
    attachments: Sequence[Attachment],
    cache: MutableMapping[str, str],
) -> tuple[list[str], list[str]]:
    """Upload attachments with the async client (see :func:`upload_sync`)."""
    images, files, pending = _classify(attachments, cache)
    for position, attachment in pending:
        if attachment.data is not None:
            record = await client.upload_asset(
                data=attachment.data,
                filename=attachment.filename,
                mime_type=attachment.mime_type,
                asset_type=_asset_type(attachment),
            )
        else:
            record = await client.upload_asset_from_url(
                str(attachment.url), _asset_type(attachment)
            )
        _store(attachment, record.asset_key, record.file_id, position, images, files, cache)
    return images, files


def _store(
    attachment: Attachment,
    asset_key: str,
    file_id: str | None,
    position: int,
    images: list[str],
    files: list[str],
    cache: MutableMapping[str, str],
) -> None:
    if attachment.kind == "image":
        reference = asset_key
        images[position] = reference
    else:
        reference = file_id or asset_key
        files[position] = reference
    cache[attachment.cache_key] = reference
