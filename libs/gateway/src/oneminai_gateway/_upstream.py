"""The core clients the gateway calls 1min.AI with, and the cached model catalog."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from datetime import datetime
from typing import Any

from oneminai_webapi import OneMinAIClient
from oneminai_webapi.types import ModelInfo

from ._auth import Caller
from ._config import UpstreamConfig

__all__ = ["Catalog", "Upstream"]

#: Pass-through clients kept open (least recently used beyond this are closed).
_MAX_PASS_THROUGH_CLIENTS = 64


class Upstream:
    """One async core client for the gateway's own key, and one per pass-through token.

    Clients are created inside the running event loop, on first use.

    Args:
        config: The upstream settings.
        client: A ready client to use for the gateway's key (tests, benchmarks).
    """

    def __init__(self, config: UpstreamConfig, client: OneMinAIClient | None = None) -> None:
        self._config = config
        self._client = client
        self._owns_client = client is None
        self._pass_through: OrderedDict[bytes, OneMinAIClient] = OrderedDict()
        self._closing: set[asyncio.Task[None]] = set()

    def _new(self, key: str) -> OneMinAIClient:
        c = self._config
        return OneMinAIClient(
            key,
            base_url=c.base_url,
            timeout=c.timeout,
            max_retries=c.max_retries,
            max_connections=c.max_connections,
        )

    @property
    def default(self) -> OneMinAIClient:
        """The client holding the gateway's own 1min.AI key."""
        if self._client is None:
            self._client = self._new(self._config.resolved_key())
        return self._client

    def for_caller(self, caller: Caller) -> OneMinAIClient:
        """The client to serve ``caller`` with."""
        if caller.upstream_key is None:
            return self.default
        digest = hashlib.sha256(caller.upstream_key.encode("utf-8", "surrogateescape")).digest()
        client = self._pass_through.get(digest)
        if client is None:
            client = self._new(caller.upstream_key)
            self._pass_through[digest] = client
            while len(self._pass_through) > _MAX_PASS_THROUGH_CLIENTS:
                _, old = self._pass_through.popitem(last=False)
                task = asyncio.ensure_future(old.close())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)
        else:
            self._pass_through.move_to_end(digest)
        return client

    async def close(self) -> None:
        """Close every client the gateway created."""
        clients = list(self._pass_through.values())
        self._pass_through.clear()
        if self._owns_client and self._client is not None:
            clients.append(self._client)
        for client in clients:
            await client.close()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)


class Catalog:
    """The live model catalog in OpenAI's ``/v1/models`` shape, cached.

    Args:
        ttl: Seconds a fetched catalog is served before it is fetched again (a failed
            refresh keeps serving the previous one).
        web_search_suffix: Each chat model is also listed with this suffix.
    """

    def __init__(self, ttl: float, web_search_suffix: str) -> None:
        self._ttl = ttl
        self._suffix = web_search_suffix
        self._models: list[dict[str, Any]] | None = None
        self._fetched = 0.0
        self._lock = asyncio.Lock()

    async def models(self, client: OneMinAIClient) -> list[dict[str, Any]]:
        """The models (fetched at most once per ``ttl``, one fetch at a time).

        Raises:
            OneMinAIError: When the catalog cannot be fetched and none is cached.
        """
        if self._models is not None and time.monotonic() - self._fetched < self._ttl:
            return self._models
        async with self._lock:
            if self._models is not None and time.monotonic() - self._fetched < self._ttl:
                return self._models
            try:
                rows = await client.list_models()
            except Exception:
                if self._models is None:
                    raise
                return self._models
            self._models = self._convert(rows)
            self._fetched = time.monotonic()
            return self._models

    def _convert(self, rows: list[ModelInfo]) -> list[dict[str, Any]]:
        models: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in rows:  # the client already leaves out the NOT_APPLICABLE placeholders
            if not row.id or row.status not in ("", "ACTIVE") or row.id in seen:
                continue
            seen.add(row.id)
            details: dict[str, Any] = {
                "name": row.name or None,
                "features": list(row.features),
                "input_modalities": list(row.input_modalities),
            }
            entry: dict[str, Any] = {
                "id": row.id,
                "object": "model",
                "created": _epoch(row.raw.get("createdAt")),
                "owned_by": str(row.provider or row.raw.get("group") or "1min.ai").lower(),
                "oneminai": details,
            }
            models.append(entry)
            if "UNIFY_CHAT_WITH_AI" in row.features and self._suffix:
                online = dict(entry, id=row.id + self._suffix)
                online["oneminai"] = dict(details, web_search=True)
                models.append(online)
        return models


def _epoch(value: Any) -> int:
    if not isinstance(value, str):
        return 0
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0
