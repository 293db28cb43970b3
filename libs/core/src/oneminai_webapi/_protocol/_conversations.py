"""Server-side conversations on both surfaces."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    AuthenticationError,
    ConversationError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from . import _routes as routes
from ._chat import CHAT_TYPE, MAX_TITLE_CHARS, ensure_team, require_text
from ._context import Context
from ._errors import check_envelope
from ._http import Request, Surface
from ._ops import Op, body_json, send
from ._records import as_dict

if TYPE_CHECKING:
    from ..types import ConversationRecord, MessageRecord

#: Safety net for message paging (the page size is the server's choice).
MAX_MESSAGE_PAGES = 1000


def check_title(title: object) -> str:
    """A conversation title: non-empty and at most 91 characters (the service's limit)."""
    text = require_text(title, "title")
    if len(text) > MAX_TITLE_CHARS:
        raise InvalidRequestError(
            f"title is {len(text)} characters long; 1min.AI allows at most {MAX_TITLE_CHARS}"
        )
    return text


def _list_of(value: Any) -> list[Any]:
    """A list field of a response; anything else (null, a number, a string) is empty."""
    return value if isinstance(value, list) else []


def conversation_from(data: Any) -> ConversationRecord:
    """Parse ``{"conversation": {...}}`` (or a bare conversation object)."""
    from ..types import ConversationRecord

    check_envelope(data)
    body = as_dict(data)
    conv = as_dict(body.get("conversation")) or body
    conv_id = conv.get("uuid") or conv.get("id") or conv.get("conversationId")
    if not isinstance(conv_id, str) or not conv_id:
        raise ConversationError(
            "The service did not return a conversation id.", status_code=200, body=body
        )
    return ConversationRecord(
        conversation_id=conv_id,
        title=str(conv.get("title") or ""),
        status=str(conv.get("status") or ""),
        model=conv.get("model") if isinstance(conv.get("model"), str) else None,
        created_at=conv.get("createdAt") if isinstance(conv.get("createdAt"), str) else None,
        raw=conv,
    )


def message_from(item: dict[str, Any]) -> MessageRecord:
    """Parse one item of ``messageList``."""
    from ..types import MessageRecord

    def number(key: str) -> float | None:
        value = item.get(key)
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else None
        )

    msg_id = item.get("uuid") or item.get("id") or item.get("messageId")
    return MessageRecord(
        message_id=str(msg_id) if msg_id is not None else None,
        role=str(item.get("role") or ""),
        content=item.get("content") if isinstance(item.get("content"), str) else "",
        ai_record_id=item.get("aiRecordId") if isinstance(item.get("aiRecordId"), str) else None,
        credit=number("credit"),
        execution_time=number("executionTime"),
        raw=item,
    )


def webapp_only(ctx: Context, operation: str) -> Op[str]:
    """Resolve the team for a web-app-only operation, explaining credential failures."""
    try:
        team: str = yield from ensure_team(ctx)
    except (AuthenticationError, PermissionDeniedError) as exc:
        raise explain_webapp_failure(ctx, operation, exc) from None
    return team


def explain_webapp_failure(ctx: Context, operation: str, exc: Exception) -> Exception:
    """Say clearly that ``operation`` needs web-app credentials when an API key was refused."""
    if ctx.credential.kind != "api_key" or not isinstance(
        exc, (AuthenticationError, PermissionDeniedError)
    ):
        return exc
    cls = type(exc)
    error = cls(
        f"{operation}() exists only on the 1min.AI web-app API, which refused this API key "
        f"({exc.message}). Sign in with `await client.oauth_login(google_access_token)` or "
        "pass a web-app session token (JWT) as api_key to use it.",
        status_code=exc.status_code,
        body=exc.body,
    )
    error.webapp_only = operation
    return error


def create(ctx: Context, title: str, model: str) -> Op[ConversationRecord]:
    """``POST /api/conversations`` (API key) or the team route (JWT)."""
    title = check_title(title)
    if ctx.uses_webapp:
        team = yield from ensure_team(ctx)
        request = Request(
            "POST",
            routes.team_path(routes.TEAM_CONVERSATIONS, team),
            surface=Surface.WEBAPP,
            json={"type": CHAT_TYPE, "title": title},
        )
    else:
        request = Request(
            "POST", routes.CONVERSATIONS, json={"type": CHAT_TYPE, "title": title, "model": model}
        )
    response = yield from send(request)
    return conversation_from(body_json(response))


def list_all(ctx: Context) -> Op[list[ConversationRecord]]:
    """``GET /teams/{t}/features/conversations`` (web-app only)."""
    team = yield from webapp_only(ctx, "list_conversations")
    response = yield from _webapp(
        ctx, "list_conversations",
        Request("GET", routes.team_path(routes.TEAM_CONVERSATIONS, team), surface=Surface.WEBAPP,
                query={"type": CHAT_TYPE}),
    )  # fmt: skip
    items = _list_of(as_dict(body_json(response)).get("conversationList"))
    return [conversation_from({"conversation": item}) for item in items if isinstance(item, dict)]


def get(ctx: Context, conversation_id: str) -> Op[ConversationRecord]:
    """``GET /teams/{t}/features/conversations/{id}`` (web-app only)."""
    segment = routes.segment(conversation_id, "conversation_id")
    team = yield from webapp_only(ctx, "get_conversation")
    path = routes.team_path(routes.TEAM_CONVERSATIONS, team) + "/" + segment
    response = yield from _webapp(
        ctx, "get_conversation", Request("GET", path, surface=Surface.WEBAPP)
    )
    return conversation_from(body_json(response))


def rename(
    ctx: Context, conversation_id: str, title: str, tag_ids: Sequence[str] | None
) -> Op[ConversationRecord]:
    """``PUT /teams/{t}/features/conversations/{id}`` with title and tags (web-app only)."""
    segment = routes.segment(conversation_id, "conversation_id")
    title = check_title(title)
    team = yield from webapp_only(ctx, "rename_conversation")
    path = routes.team_path(routes.TEAM_CONVERSATIONS, team) + "/" + segment
    body = {"title": title, "tagIds": list(tag_ids or [])}
    response = yield from _webapp(
        ctx, "rename_conversation", Request("PUT", path, surface=Surface.WEBAPP, json=body)
    )
    data = body_json(response) if response.body.strip() else {}
    if not as_dict(data).get("conversation"):
        from ..types import ConversationRecord

        return ConversationRecord(conversation_id=conversation_id, title=title, raw=as_dict(data))
    return conversation_from(data)


def delete(ctx: Context, conversation_id: str) -> Op[None]:
    """Delete a conversation; one that is already gone counts as deleted."""
    segment = routes.segment(conversation_id, "conversation_id")
    if ctx.uses_webapp:
        team = yield from ensure_team(ctx)
        request = Request(
            "DELETE",
            routes.team_path(routes.TEAM_CONVERSATIONS, team) + "/" + segment,
            surface=Surface.WEBAPP,
        )
    else:
        request = Request("DELETE", f"{routes.CONVERSATIONS}/{segment}")
    try:
        yield from send(request)
    except NotFoundError:
        return None
    return None


def messages(ctx: Context, conversation_id: str, after_id: str | None) -> Op[list[MessageRecord]]:
    """Every message after ``after_id``, following the ``afterId`` cursor to the end."""
    require_text(conversation_id, "conversation_id")
    team = yield from webapp_only(ctx, "get_conversation_messages")
    path = routes.team_path(routes.TEAM_MESSAGES, team)
    collected: list[MessageRecord] = []
    cursor = after_id
    for _ in range(MAX_MESSAGE_PAGES):
        filters = json.dumps(
            {"conversationId": conversation_id, "afterId": cursor}, separators=(",", ":")
        )
        response = yield from _webapp(
            ctx, "get_conversation_messages",
            Request("GET", path, surface=Surface.WEBAPP, query={"filters": filters}),
        )  # fmt: skip
        page = [
            message_from(m)
            for m in _list_of(as_dict(body_json(response)).get("messageList"))
            if isinstance(m, dict)
        ]
        if not page:
            break
        collected.extend(page)
        last = page[-1].message_id
        if last is None or last == cursor:
            break
        cursor = last
    return collected


def _webapp(ctx: Context, operation: str, request: Request) -> Op[Any]:
    try:
        response = yield from send(request)
    except (AuthenticationError, PermissionDeniedError) as exc:
        raise explain_webapp_failure(ctx, operation, exc) from None
    return response
