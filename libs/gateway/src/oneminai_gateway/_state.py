"""What every handler shares: configuration, keys, ledger, upstream clients, catalog."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from oneminai_webapi.exceptions import OneMinAIError

from ._auth import Caller, KeyRing
from ._config import GatewayConfig
from ._errors import GatewayError, bad_request, from_core
from ._ledger import Entry, Ledger
from ._upstream import Catalog, Upstream

__all__ = ["CALLER", "GATEWAY", "Call", "Gateway"]

#: Where the authenticated :class:`Caller` is kept on each request.
CALLER: Any = (
    web.RequestKey("oneminai_gateway.caller", Caller)
    if hasattr(web, "RequestKey")
    else "oneminai_gateway.caller"  # aiohttp < 3.12
)


@dataclass
class Gateway:
    """The gateway's shared state (one per application)."""

    config: GatewayConfig
    keys: KeyRing
    ledger: Ledger
    upstream: Upstream
    catalog: Catalog

    def split_model(self, model: str) -> tuple[str, bool]:
        """``gpt-4o:online`` → ``("gpt-4o", True)``: the web-search suffix."""
        suffix = self.config.server.web_search_suffix
        if suffix and model.endswith(suffix) and len(model) > len(suffix):
            return model[: -len(suffix)], True
        return model, False

    @contextmanager
    def call(self, caller: Caller, endpoint: str, model: str) -> Iterator[Call]:
        """Track one call: map core errors to OpenAI's, and write its ledger row.

        Raises:
            GatewayError: For any core-client failure inside the block.
        """
        call = Call(caller, endpoint, model, time.monotonic())
        try:
            yield call
        except OneMinAIError as exc:
            error = from_core(exc, pass_through=caller.upstream_key is not None)
            call.status, call.error = error.status, error.code or error.type
            raise error from None
        except GatewayError as exc:
            call.status, call.error = exc.status, exc.code or exc.type
            raise
        except BaseException as exc:  # cancelled (the client went away) or a bug
            if call.status < 400:
                call.status, call.error = 499, type(exc).__name__
            raise
        finally:
            self.ledger.record(call.entry())


GATEWAY = web.AppKey("oneminai_gateway", Gateway)


@dataclass
class Call:
    """One call in progress (what its ledger row will say)."""

    caller: Caller
    endpoint: str
    model: str
    started: float
    status: int = 200
    credits: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    record_id: str | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def entry(self) -> Entry:
        """The ledger row."""
        return Entry(
            time=time.time(),
            key=self.caller.name,
            model=self.model,
            endpoint=self.endpoint,
            status=self.status,
            credits=self.credits,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            duration_ms=int((time.monotonic() - self.started) * 1000),
            record_id=self.record_id,
            error=self.error,
        )


async def read_json(request: web.Request) -> Any:
    """The request's JSON body (400 in OpenAI's shape when it is not JSON)."""
    raw = await request.read()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request(
            "We could not parse the JSON body of your request. The body must be valid JSON."
        ) from None


def credits_of(output: Any) -> float | None:
    """Credits a media result cost, when its record said (``credits_used``)."""
    value = getattr(output, "credits_used", None)
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else None
