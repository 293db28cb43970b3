"""Web-app account routes: login, users, credits, estimate, settings, team lists, notifications."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
from typing import Any

from aiohttp import web

from ._catalog import UNIFIED_CHAT
from ._runtime import (
    Runtime,
    body_json,
    error_response,
    json_response,
    not_found,
    runtime,
    unsupported_model,
    validation_error,
)
from ._state import new_id

_SECRET = b"oneminai-emulator"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue_token(rt: Runtime) -> str:
    """Mint a JWT-looking token (``eyJ…``) the web-app routes accept."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    now = int(time.time())
    claims = {
        "sub": rt.config.user_id,
        "email": rt.config.user_email,
        "iat": now,
        "exp": now + 7 * 86400,
        "jti": new_id(),
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = _b64(hmac.new(_SECRET, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    token = f"{header}.{payload}.{sig}"
    rt.state.tokens[token] = True
    return token


def user_object(rt: Runtime, token: str | None = None) -> dict[str, Any]:
    """The ``user`` object of the sign-in and account answers."""
    c = rt.config
    user: dict[str, Any] = {
        "uuid": c.user_id,
        "email": c.user_email,
        "name": c.user_name,
        "avatar": None,
        "teams": [
            {
                "teamId": c.team_id,
                "userId": c.user_id,
                "role": "ADMIN",
                "status": "ACTIVE",
                "creditLimit": 214748364,
                "usedCredit": rt.state.used_credits,
                "team": {
                    "uuid": c.team_id,
                    "name": c.team_name,
                    "credit": rt.state.credits,
                    "subscription": {"plan": c.plan},
                },
            }
        ],
        "settings": dict(rt.state.user_settings),
        "createdAt": "2025-01-01T00:00:00.000Z",
    }
    if token is not None:
        user["token"] = token
    return user


async def oauth_handler(request: web.Request) -> web.StreamResponse:
    """``POST /auth/oauth`` — any ``ya29.`` token succeeds."""
    rt = runtime(request)
    body = body_json(request)
    token = body.get("oauthToken") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.startswith("ya29."):
        return error_response(401, "UNAUTHORIZED", "Invalid OAuth token")
    return json_response({"user": user_object(rt, issue_token(rt))})


async def login_handler(request: web.Request) -> web.StreamResponse:
    """``POST /auth/login`` — any e-mail with ``config.login_password``."""
    rt = runtime(request)
    body = body_json(request)
    if not isinstance(body, dict) or body.get("password") != rt.config.login_password:
        return error_response(401, "UNAUTHORIZED", "Invalid email or password")
    return json_response({"user": user_object(rt, issue_token(rt))})


async def refresh_handler(request: web.Request) -> web.StreamResponse:
    """``POST /auth/refresh`` with ``{"expiredToken"}`` issued by this emulator."""
    rt = runtime(request)
    body = body_json(request)
    old = body.get("expiredToken") if isinstance(body, dict) else None
    if not isinstance(old, str) or old not in rt.state.tokens:
        return error_response(401, "UNAUTHORIZED", "Invalid token")
    return json_response({"user": user_object(rt, issue_token(rt))})


async def get_user(request: web.Request) -> web.StreamResponse:
    """``GET /users``."""
    return json_response({"user": user_object(runtime(request))})


async def put_user_settings(request: web.Request) -> web.StreamResponse:
    """``PUT /users/settings`` merges the body into the settings."""
    rt = runtime(request)
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    rt.state.user_settings.update(body)
    return json_response({"user": user_object(rt)})


async def get_notebook(request: web.Request) -> web.StreamResponse:
    """``GET /users/notebook``."""
    return json_response({"notebook": runtime(request).state.notebook})


async def get_credits(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/credits``."""
    return json_response({"credit": runtime(request).state.credits})


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def estimate_tokens(text: str) -> int:
    """Deterministic token estimate: ``ceil(len(text) / 4)``."""
    return math.ceil(len(text) / 4)


async def estimate_chat(request: web.Request) -> web.StreamResponse:
    """``POST /teams/{t}/credits/estimate-chat`` (the credit estimate)."""
    rt = runtime(request)
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    prompt = body.get("prompt")
    models = body.get("models")
    if not isinstance(prompt, str):
        return validation_error("prompt is required", "prompt")
    if not isinstance(models, list) or not models:
        return validation_error("models must be a non-empty list", "models")
    tokens = estimate_tokens(prompt)
    conv = rt.state.conversations.get(str(body.get("conversationId") or ""))
    if conv is not None:
        hs = _obj(_obj(body.get("settings")).get("historySettings"))
        limit = hs.get("historyMessageLimit", rt.config.default_history_limit)
        limit = limit if isinstance(limit, int) else rt.config.default_history_limit
        tokens += sum(estimate_tokens(m.content) for m in conv.messages[-limit:] if limit > 0)
    tokens += 85 * len(_obj(body.get("attachments")).get("images") or [])
    per_model: dict[str, Any] = {}
    total_credit = 0
    for model in models:
        entry = rt.catalog.get(str(model))
        if entry is None or UNIFIED_CHAT not in entry["features"]:
            return unsupported_model(model)
        credit = math.ceil(tokens * float(entry["creditMetadata"]["INPUT"]))
        per_model[str(model)] = {"inputTokens": tokens, "estimatedCredit": credit}
        total_credit += credit
    return json_response(
        {
            "models": per_model,
            "total": {"inputTokens": tokens * len(per_model), "estimatedCredit": total_credit},
        }
    )


def _feature_setting(rt: Runtime, feature: str) -> dict[str, Any]:
    stored = rt.state.feature_settings.setdefault(feature, {"models": []})
    return {
        "type": feature,
        "models": list(stored.get("models", [])),
        "lastInputSubmission": stored.get("lastInputSubmission"),
    }


async def feature_settings(request: web.Request) -> web.StreamResponse:
    """``GET|POST|PUT /teams/{t}/features/settings/{feature}``."""
    rt = runtime(request)
    feature = request.match_info["feature"]
    if request.method != "GET":
        body = body_json(request)
        models = body.get("models") if isinstance(body, dict) else None
        if not isinstance(models, list):
            return validation_error("models must be a list", "models")
        rt.state.feature_settings.setdefault(feature, {})["models"] = list(models)
    return json_response(_feature_setting(rt, feature))


async def members(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/members``."""
    rt = runtime(request)
    c = rt.config
    member = {
        "userId": c.user_id,
        "teamId": c.team_id,
        "email": c.user_email,
        "userName": c.user_name,
        "role": "ADMIN",
        "status": "ACTIVE",
        "creditLimit": 214748364,
        "usedCredit": rt.state.used_credits,
    }
    return json_response({"members": [member]})


async def tags(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/tags``."""
    return json_response({"tagList": runtime(request).state.tags})


async def studios(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/studios``."""
    return json_response({"studioList": []})


async def unread(request: web.Request) -> web.StreamResponse:
    """``GET /notifications/unread``."""
    notes = runtime(request).state.notifications.values()
    return json_response({"unread": sum(1 for n in notes if n["status"] == "UNREAD")})


async def notification(request: web.Request) -> web.StreamResponse:
    """``GET /notifications/{id}``."""
    note = runtime(request).state.notifications.get(request.match_info["id"])
    if note is None:
        return not_found("Notification not found")
    return json_response({"notification": note})


async def explore_posts(request: web.Request) -> web.StreamResponse:
    """``GET /posts/explore`` (stand-in for social-api.1min.ai)."""
    posts = [
        {"uuid": f"00000000-0000-4000-8000-00000000000{i}", "title": f"Post {i}", "likes": i}
        for i in range(1, 4)
    ]
    return json_response({"data": posts})
