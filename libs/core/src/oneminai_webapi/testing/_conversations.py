"""Conversation routes of both surfaces and the paged messages route."""

from __future__ import annotations

import json

from aiohttp import web

from ._catalog import LEGACY_CHAT_TYPES, UNIFIED_CHAT
from ._runtime import (
    body_json,
    json_response,
    not_found,
    runtime,
    unsupported_model,
    validation_error,
)
from ._state import Conversation, new_id, now_iso

MAX_TITLE = 91
_TYPES = LEGACY_CHAT_TYPES | {UNIFIED_CHAT}


async def create_conversation(request: web.Request) -> web.StreamResponse:
    """``POST /api/conversations`` (needs model) and ``POST /teams/{t}/features/conversations``."""
    rt = runtime(request)
    webapp = "team" in request.match_info
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    ctype = body.get("type")
    if not isinstance(ctype, str) or not ctype:
        return validation_error("type is required", "type")
    if ctype not in _TYPES:
        return validation_error(f"Unsupported conversation type {ctype}", "type")
    title = body.get("title")
    if not isinstance(title, str) or not title:
        return validation_error("title is required", "title")
    if len(title) > MAX_TITLE:
        return validation_error(f"title must be at most {MAX_TITLE} characters", "title")
    model = body.get("model")
    if not webapp and (not isinstance(model, str) or not model):
        return validation_error("model is required", "model")
    if isinstance(model, str) and model and not rt.catalog.supports(ctype, model):
        return unsupported_model(model)
    files = body.get("fileList") or []
    if ctype == "CHAT_WITH_PDF" and not files:
        return validation_error("fileList is required for CHAT_WITH_PDF", "fileList")
    youtube = body.get("youtubeUrl")
    if ctype == "CHAT_WITH_YOUTUBE_VIDEO" and not youtube:
        return validation_error("youtubeUrl is required for CHAT_WITH_YOUTUBE_VIDEO", "youtubeUrl")
    conv = Conversation(
        uuid=new_id(),
        title=title,
        type=ctype,
        model=model if isinstance(model, str) else None,
        created_at=now_iso(),
        team_id=rt.config.team_id,
        user_id=rt.config.user_id,
        file_list=[str(f) for f in files] if isinstance(files, list) else [],
        youtube_url=youtube if isinstance(youtube, str) else None,
    )
    rt.state.conversations[conv.uuid] = conv
    return json_response({"conversation": conv.to_json()})


async def list_conversations(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/features/conversations[?type=X]`` (newest first)."""
    rt = runtime(request)
    ctype = request.query.get("type")
    convs = [c for c in rt.state.conversations.values() if ctype is None or c.type == ctype]
    convs.reverse()
    return json_response({"conversationList": [c.to_json() for c in convs]})


async def get_conversation(request: web.Request) -> web.StreamResponse:
    """``GET /teams/{t}/features/conversations/{id}``."""
    conv = runtime(request).state.conversations.get(request.match_info["id"])
    if conv is None:
        return not_found("Conversation not found")
    return json_response({"conversation": conv.to_json()})


async def update_conversation(request: web.Request) -> web.StreamResponse:
    """``PUT /teams/{t}/features/conversations/{id}`` with ``{"title", "tagIds"}``."""
    conv = runtime(request).state.conversations.get(request.match_info["id"])
    if conv is None:
        return not_found("Conversation not found")
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    title = body.get("title")
    if title is not None:
        if not isinstance(title, str) or not title or len(title) > MAX_TITLE:
            return validation_error(f"title must be 1..{MAX_TITLE} characters", "title")
        conv.title = title
    tag_ids = body.get("tagIds")
    if isinstance(tag_ids, list):
        conv.tag_ids = [str(t) for t in tag_ids]
    conv.updated_at = now_iso()
    return json_response({"conversation": conv.to_json()})


async def delete_conversation(request: web.Request) -> web.StreamResponse:
    """``DELETE /api/conversations/{id}`` and ``DELETE /teams/{t}/features/conversations/{id}``."""
    conv = runtime(request).state.conversations.pop(request.match_info["id"], None)
    if conv is None:
        return not_found("Conversation not found")
    return json_response({"success": True, "conversation": conv.to_json()})


async def messages_after_id(request: web.Request) -> web.StreamResponse:
    """``GET …/unified-chat/conversations/messages/after-id?filters=<json>`` (oldest first)."""
    rt = runtime(request)
    raw = request.query.get("filters")
    try:
        filters = json.loads(raw) if raw else None
    except ValueError:
        filters = None
    if not isinstance(filters, dict) or not filters.get("conversationId"):
        return validation_error("filters must be JSON with a conversationId", "filters")
    conv = rt.state.conversations.get(str(filters["conversationId"]))
    if conv is None:
        return not_found("Conversation not found")
    msgs = conv.messages
    after = filters.get("afterId")
    if after:
        idx = next((i for i, m in enumerate(msgs) if m.uuid == after), None)
        msgs = [] if idx is None else msgs[idx + 1 :]
    page = msgs[: max(1, rt.config.history_page_size)]
    return json_response({"messageList": [m.to_json(conv.uuid) for m in page]})
