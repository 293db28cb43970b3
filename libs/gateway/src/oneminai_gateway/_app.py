"""The aiohttp application: routes, authentication, limits, and errors in OpenAI's shape."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import OneMinAIError

from ._auth import KeyRing
from ._chat import chat_completions
from ._config import GatewayConfig
from ._errors import GatewayError, from_core, too_large
from ._ledger import Ledger
from ._media import image_edits, image_generations, speech, transcriptions
from ._state import CALLER, GATEWAY, Gateway
from ._upstream import Catalog, Upstream

__all__ = ["create_app"]

logger = logging.getLogger("oneminai_gateway")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_OPEN_PATHS = frozenset({"/health", "/"})


def create_app(config: GatewayConfig, *, client: OneMinAIClient | None = None) -> web.Application:
    """Build the gateway application.

    Args:
        config: The configuration.
        client: A ready core client for the upstream key (default: one is created from
            ``config.upstream`` on first use; tests and benchmarks pass their own).

    Returns:
        The application; run it with ``aiohttp.web.run_app`` or an ``AppRunner`` (with
        ``handler_cancellation=True`` so a client that disconnects cancels its upstream call).
    """
    app = web.Application(
        client_max_size=config.server.max_body_bytes,
        middlewares=[_serve],
    )
    ledger = Ledger(config.server.ledger)
    app[GATEWAY] = Gateway(
        config=config,
        keys=KeyRing(config.keys, pass_through=config.pass_through, spent=ledger.spent),
        ledger=ledger,
        upstream=Upstream(config.upstream, client),
        catalog=Catalog(config.server.models_cache_seconds, config.server.web_search_suffix),
    )
    app.on_cleanup.append(_close)
    routes = [
        web.get("/health", _health),
        web.get("/v1/models", _models),
        web.get("/v1/models/{model:.+}", _model),
        web.post("/v1/chat/completions", chat_completions),
        web.post("/v1/images/generations", image_generations),
        web.post("/v1/images/edits", image_edits),
        web.post("/v1/audio/speech", speech),
        web.post("/v1/audio/transcriptions", transcriptions),
        web.post("/v1/embeddings", _embeddings),
    ]
    app.add_routes(routes)
    return app


async def _close(app: web.Application) -> None:
    gateway = app[GATEWAY]
    await gateway.upstream.close()
    gateway.ledger.close()


@web.middleware
async def _serve(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request: the body limit, the caller's key, and failures in OpenAI's error shape.

    Never a bare 500. One middleware rather than three, as each is one more call per request.
    """
    try:
        gateway = request.app[GATEWAY]
        limit = gateway.config.server.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            raise too_large(limit)  # refused before the body is read
        if request.path not in _OPEN_PATHS:
            request[CALLER] = gateway.keys.authenticate(request.headers.get("Authorization"))
        return await handler(request)
    except GatewayError as exc:
        return exc.response()
    except OneMinAIError as exc:
        return from_core(exc).response()
    except web.HTTPRequestEntityTooLarge:
        return too_large(request.app[GATEWAY].config.server.max_body_bytes).response()
    except web.HTTPNotFound:
        return GatewayError(
            404, f"Unknown request URL: {request.method} {request.path}.", code="unknown_url"
        ).response()
    except web.HTTPMethodNotAllowed as exc:
        return GatewayError(
            405,
            f"Method {request.method} is not allowed for {request.path}.",
            code="method_not_allowed",
            headers={"Allow": ",".join(sorted(exc.allowed_methods))},
        ).response()
    except web.HTTPException as exc:
        return GatewayError(exc.status, exc.reason, code=None).response()
    except Exception:
        logger.exception("unexpected error serving %s %s", request.method, request.path)
        return GatewayError(
            500, "The gateway failed unexpectedly; see its log.", "server_error", "internal_error"
        ).response()


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _models(request: web.Request) -> web.Response:
    gateway, caller = request.app[GATEWAY], request[CALLER]
    models = await gateway.catalog.models(gateway.upstream.for_caller(caller))
    data = [m for m in models if caller.may_use(gateway.split_model(m["id"])[0])]
    return web.json_response({"object": "list", "data": data})


async def _model(request: web.Request) -> web.Response:
    gateway, caller = request.app[GATEWAY], request[CALLER]
    wanted = request.match_info["model"]
    models = await gateway.catalog.models(gateway.upstream.for_caller(caller))
    for model in models:
        if model["id"] == wanted and caller.may_use(gateway.split_model(wanted)[0]):
            return web.json_response(model)
    raise GatewayError(
        404, f"The model '{wanted}' does not exist.", code="model_not_found", param="model"
    )


async def _embeddings(request: web.Request) -> web.Response:
    raise GatewayError(
        404,
        "Embeddings are not offered by 1min.AI, so this gateway cannot provide them. Use an "
        "embedding model from another provider (or a local one) alongside it.",
        code="unsupported_endpoint",
    )
