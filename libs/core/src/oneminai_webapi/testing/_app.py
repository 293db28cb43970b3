"""The aiohttp application: routes, and the middleware doing recording, faults, auth, limits."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from . import _account as acc
from . import _conversations as conv
from ._assets import download_handler, upload_handler
from ._chat import chat_handler
from ._faults import Fault
from ._features import features_handler, results_handler
from ._runtime import (
    FAULTS_KEY,
    HEADERS_KEY,
    JSON_KEY,
    RUNTIME,
    Runtime,
    dumps,
    error_body,
    error_response,
    json_response,
    runtime,
)
from ._state import RecordedRequest, State

_STATUS_CODES = {
    400: ("BAD_REQUEST", "Bad request"),
    401: ("UNAUTHORIZED", "Invalid or missing API key"),
    402: ("INSUFFICIENT_CREDITS", "Insufficient credits"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("NOT_FOUND", "Not found"),
    409: ("CONFLICT", "Conflict"),
    422: ("VALIDATION_ERROR", "Unprocessable entity"),
    429: ("RATE_LIMITED", "Too many requests"),
    500: ("INTERNAL_SERVER_ERROR", "Internal server error"),
    502: ("BAD_GATEWAY", "Bad gateway"),
    503: ("SERVICE_UNAVAILABLE", "Service unavailable"),
    504: ("GATEWAY_TIMEOUT", "Gateway timeout"),
}
#: No credential needed: the catalog, downloads (the emulated asset host), and sign-in.
_PUBLIC_PREFIXES = ("/models", "/_emulator/", "/auth/")
_RECORD_BODY_LIMIT = 65536


def _unauthorized(message: str = "Invalid or missing API key") -> web.Response:
    return error_response(401, "UNAUTHORIZED", message)


async def _read_body(request: web.Request, rt: Runtime) -> None:
    parsed: Any = None
    parts: list[dict[str, Any]] = []
    raw: bytes | None = None
    if request.content_type == "multipart/form-data":
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                value.file.seek(0, 2)
                size = value.file.tell()
                value.file.seek(0)
                parts.append(
                    {
                        "name": name,
                        "filename": value.filename,
                        "content_type": value.content_type,
                        "size": size,
                        "value": None,
                    }
                )
            else:
                parts.append(
                    {
                        "name": name,
                        "filename": None,
                        "content_type": None,
                        "size": len(str(value)),
                        "value": str(value),
                    }
                )
    elif request.can_read_body:
        raw = await request.read()
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
    request[JSON_KEY] = parsed
    if rt.config.record_requests:
        rt.state.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers={k.lower(): v for k, v in request.headers.items()},
                json=parsed,
                multipart=parts,
                body=raw[:_RECORD_BODY_LIMIT]
                if raw is not None and rt.config.record_bodies
                else None,
            )
        )


def _fault_response(request: web.Request, fault: Fault) -> web.StreamResponse | None:
    p = fault.params
    if fault.kind == "status":
        status = int(p["status"])
        body = p["body"]
        headers = dict(p["headers"])
        if body is None:
            code, message = _STATUS_CODES.get(status, ("ERROR", f"HTTP {status}"))
            body = error_body(code, message)
        if isinstance(body, (dict, list)):
            data = dumps(body).encode()
            ctype = p["content_type"] or "application/json; charset=utf-8"
        elif isinstance(body, str):
            data = body.encode()
            ctype = p["content_type"] or "text/plain; charset=utf-8"
        else:
            data = bytes(body)
            ctype = p["content_type"] or "application/octet-stream"
        headers["Content-Type"] = ctype
        return web.Response(status=status, body=data, headers=headers)
    if fault.kind == "redirect":
        return web.Response(status=int(p["status"]), headers={"Location": str(p["location"])})
    if fault.kind == "raw":
        return web.Response(status=200, body=p["data"], headers={"Content-Type": p["content_type"]})
    if fault.kind == "disconnect":
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)
    return None


def _authenticate(request: web.Request, rt: Runtime) -> tuple[str | None, web.Response | None]:
    path = request.path
    c = rt.config
    if path.startswith(_PUBLIC_PREFIXES):
        return None, None
    if path.startswith("/api/"):
        key = request.headers.get("API-KEY")
        if key is None and c.accept_bearer_auth:
            auth = request.headers.get("Authorization", "")
            key = auth[7:] if auth.startswith("Bearer ") else None
        if key != c.api_key:
            return None, _unauthorized()
        return key, None
    header = request.headers.get("X-Auth-Token", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    valid = rt.state.tokens.get(token)
    if valid is False:
        return None, _unauthorized("Token expired")
    if valid is None and not (c.webapp_accepts_api_key and token == c.api_key and token):
        return None, _unauthorized()
    team = request.match_info.get("team")
    if team is not None and team != c.team_id:
        return None, error_response(403, "FORBIDDEN", "You are not a member of this team")
    return token, None


async def _with_stall_body(
    request: web.Request, resp: web.StreamResponse, seconds: float
) -> web.StreamResponse:
    if seconds <= 0 or not isinstance(resp, web.Response) or resp.prepared:
        return resp
    out = web.StreamResponse(status=resp.status, headers=resp.headers)
    await out.prepare(request)
    await asyncio.sleep(seconds)
    body = resp.body
    if isinstance(body, (bytes, bytearray)):
        await out.write(bytes(body))
    await out.write_eof()
    return out


@web.middleware
async def _core(request: web.Request, handler: Any) -> web.StreamResponse:
    rt = runtime(request)
    stats = rt.state.stats
    stats.total_requests += 1
    stats.in_flight += 1
    stats.peak_in_flight = max(stats.peak_in_flight, stats.in_flight)
    epoch = rt.state.epoch
    try:
        await _read_body(request, rt)
        streaming = request.query.get("isStreaming") == "true"
        faults = rt.faults.consume(request.method, request.path, streaming)
        request[FAULTS_KEY] = faults
        stall_body = 0.0
        for f in faults:
            if f.kind == "headers":
                request.setdefault(HEADERS_KEY, []).extend(f.params["headers"])
            elif f.kind == "stall":
                await asyncio.sleep(float(f.params["seconds"]))
            elif f.kind == "stall_body":
                stall_body = float(f.params["seconds"])
        if rt.state.epoch != epoch:
            # The emulator was reset while this request stalled: it belongs to the past.
            return error_response(503, "EMULATOR_RESET", "The emulator was reset")
        for f in faults:
            forced = _fault_response(request, f)
            if forced is not None:
                return await _with_stall_body(request, forced, stall_body)
        exc = request.match_info.http_exception
        if exc is not None:
            code, _ = _STATUS_CODES.get(exc.status, ("ERROR", ""))
            return error_response(exc.status, code, f"Cannot {request.method} {request.path}")
        credential, err = _authenticate(request, rt)
        if err is not None:
            return await _with_stall_body(request, err, stall_body)
        if credential is not None and rt.config.rate_limit:
            wait = rt.state.rate_limit_wait(credential)
            if wait > 0:
                return error_response(
                    429,
                    "RATE_LIMITED",
                    "Too many requests",
                    headers={"Retry-After": State.retry_after_header(wait)},
                )
        resp: web.StreamResponse = await handler(request)
        return await _with_stall_body(request, resp, stall_body)
    except web.HTTPException as exc:
        code, _ = _STATUS_CODES.get(exc.status, ("ERROR", ""))
        return error_response(exc.status, code, exc.reason)
    finally:
        stats.in_flight -= 1


async def _on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in request.get(HEADERS_KEY, ()):
        response.headers.add(name, value)


async def models_handler(request: web.Request) -> web.StreamResponse:
    """``GET /models?feature=X`` — public; without ``feature`` the list is empty."""
    feature = request.query.get("feature")
    if not feature:
        return json_response({"models": [], "total": 0})
    models = runtime(request).catalog.models(feature)
    return json_response({"models": models, "total": len(models)})


def build_app(rt: Runtime) -> web.Application:
    """Create the aiohttp application serving ``rt``."""
    app = web.Application(middlewares=[_core], client_max_size=64 * 1024 * 1024)
    app[RUNTIME] = rt
    app.on_response_prepare.append(_on_prepare)
    r = app.router
    # public
    r.add_get("/models", models_handler)
    # The asset host is not the API: result keys resolved against the base URL 404 here,
    # as they would on api.1min.ai.
    r.add_get("/_emulator/files/{key:.+}", download_handler)
    r.add_post("/auth/oauth", acc.oauth_handler)
    r.add_post("/auth/login", acc.login_handler)
    r.add_post("/auth/refresh", acc.refresh_handler)
    # official API
    r.add_post("/api/chat-with-ai", chat_handler)
    r.add_post("/api/features", features_handler)
    r.add_get("/api/results/{uuid}", results_handler)
    r.add_post("/api/assets", upload_handler)
    r.add_post("/api/conversations", conv.create_conversation)
    r.add_delete("/api/conversations/{id}", conv.delete_conversation)
    # web app
    r.add_get("/users", acc.get_user)
    r.add_put("/users/settings", acc.put_user_settings)
    r.add_get("/users/notebook", acc.get_notebook)
    t = "/teams/{team}"
    r.add_post(f"{t}/features/v2/unified-chat", chat_handler)
    r.add_post(f"{t}/features", features_handler)
    r.add_post(f"{t}/assets", upload_handler)
    r.add_post(f"{t}/features/conversations", conv.create_conversation)
    r.add_get(f"{t}/features/conversations", conv.list_conversations)
    r.add_get(f"{t}/features/conversations/{{id}}", conv.get_conversation)
    r.add_put(f"{t}/features/conversations/{{id}}", conv.update_conversation)
    r.add_delete(f"{t}/features/conversations/{{id}}", conv.delete_conversation)
    r.add_get(f"{t}/features/unified-chat/conversations/messages/after-id", conv.messages_after_id)
    r.add_get(f"{t}/credits", acc.get_credits)
    r.add_post(f"{t}/credits/estimate-chat", acc.estimate_chat)
    for method in ("GET", "POST", "PUT"):
        r.add_route(method, f"{t}/features/settings/{{feature}}", acc.feature_settings)
    r.add_get(f"{t}/members", acc.members)
    r.add_get(f"{t}/tags", acc.tags)
    r.add_get(f"{t}/studios", acc.studios)
    r.add_get("/notifications/unread", acc.unread)
    r.add_get("/notifications/{id}", acc.notification)
    r.add_get("/posts/explore", acc.explore_posts)
    return app
