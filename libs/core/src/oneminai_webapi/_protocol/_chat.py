"""Unified chat: request bodies, the stream interpreter, and the chat operations."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import InvalidRequestError
from . import _routes as routes
from ._chat_output import output_from_record
from ._chat_stream import ChatStreamState
from ._context import Context
from ._http import Request, Response, Surface
from ._ops import Op, StreamPlan, body_json, send
from ._records import record_from_body

if TYPE_CHECKING:
    from ..types import ChatOutput

__all__ = [
    "CHAT_TYPE",
    "ChatOptions",
    "ChatStreamState",
    "chat_body",
    "chat_once",
    "chat_request",
    "chat_stream",
    "ensure_team",
    "message_group",
    "output_from_record",
    "require_text",
]

CHAT_TYPE = "UNIFY_CHAT_WITH_AI"
#: Documented server defaults of the unified chat API, not the earlier client's UI values.
DEFAULT_NUM_OF_SITE = 3
DEFAULT_MAX_WORD = 1000
DEFAULT_HISTORY_MESSAGE_LIMIT = 10
MAX_TITLE_CHARS = 91


@dataclass(frozen=True)
class ChatOptions:
    """Everything that shapes one chat turn, validated on construction."""

    prompt: str
    model: str
    conversation_id: str | None = None
    images: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    web_search: bool = False
    num_of_site: int = DEFAULT_NUM_OF_SITE
    max_word: int = DEFAULT_MAX_WORD
    is_mixed: bool = False
    history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT
    with_memories: bool = False
    brand_voice_id: str | None = None

    def __post_init__(self) -> None:
        require_text(self.prompt, "prompt")
        require_text(self.model, "model")
        _require_int("num_of_site", self.num_of_site, 1)
        _require_int("max_word", self.max_word, 1)
        _require_int("history_message_limit", self.history_message_limit, 0)
        for name, items in (("images", self.images), ("files", self.files)):
            for item in items:
                if not isinstance(item, str) or not item.strip():
                    raise InvalidRequestError(f"every entry of {name} must be a non-empty string")
        if self.conversation_id is not None:
            require_text(self.conversation_id, "conversation_id")


def require_text(value: object, name: str) -> str:
    """Refuse empty or non-string values before anything is sent."""
    if not isinstance(value, str):
        raise InvalidRequestError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidRequestError(f"{name} must not be empty")
    return value


def _require_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidRequestError(f"{name} must be an integer >= {minimum}, got {value!r}")


def model_id(model: object, default: str) -> str:
    """A model argument (enum or string or None) as the wire string."""
    if model is None:
        return default
    value = getattr(model, "value", model)
    return require_text(value, "model")


def string_list(values: Sequence[str] | str | None, name: str) -> tuple[str, ...]:
    """Normalise an optional list argument (a lone string is one item)."""
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    if not isinstance(values, Sequence):
        raise InvalidRequestError(f"{name} must be a list of strings")
    return tuple(values)


def chat_body(options: ChatOptions, *, webapp: bool) -> dict[str, Any]:
    """The JSON body of one unified-chat turn (the official or the web-app shape)."""
    prompt_object: dict[str, Any] = {
        "prompt": options.prompt,
        "settings": {
            "webSearchSettings": {
                "webSearch": options.web_search,
                "numOfSite": options.num_of_site,
                "maxWord": options.max_word,
            },
            "historySettings": {
                "isMixed": options.is_mixed,
                "historyMessageLimit": options.history_message_limit,
            },
            "withMemories": options.with_memories,
        },
    }
    if options.conversation_id:
        prompt_object["conversationId"] = options.conversation_id
    if options.images or options.files:
        prompt_object["attachments"] = {
            "images": list(options.images),
            "files": list(options.files),
        }
    body: dict[str, Any] = {
        "type": CHAT_TYPE,
        "model": options.model,
        "promptObject": prompt_object,
    }
    if options.brand_voice_id:
        body["brandVoiceId"] = options.brand_voice_id
    if webapp:
        body["conversationId"] = options.conversation_id or ""
        body["metadata"] = {"messageGroup": message_group()}
    return body


def message_group(now_ms: int | None = None) -> str:
    """The web app's ``metadata.messageGroup``: epoch milliseconds and a 2-digit random."""
    stamp = int(time.time() * 1000) if now_ms is None else now_ms
    return f"{stamp}_{random.randint(10, 99)}"


def chat_request(ctx: Context, options: ChatOptions, *, stream: bool) -> Request:
    """The request for one turn; JWT sessions use the web-app route (which always streams)."""
    if ctx.uses_webapp:
        assert ctx.team_id is not None
        return Request(
            "POST",
            routes.team_path(routes.TEAM_CHAT, ctx.team_id),
            surface=Surface.WEBAPP,
            json=chat_body(options, webapp=True),
            query=routes.STREAMING_QUERY,
            stream=True,
        )
    return Request(
        "POST",
        routes.CHAT,
        json=chat_body(options, webapp=False),
        query=routes.STREAMING_QUERY if stream else None,
        stream=stream,
        extra_headers={"Accept": "text/event-stream"} if stream else {},
    )


# ── operations ──────────────────────────────────────────────────────────────────────────


def ensure_team(ctx: Context) -> Op[str]:
    """Learn the team id from ``GET /users`` once (web-app routes are team-scoped)."""
    if ctx.team_id is None:
        from ._account import user_from_body

        response = yield from send(Request("GET", routes.USERS, surface=Surface.WEBAPP))
        user = user_from_body(body_json(response))
        if not user.team_id:
            from ..exceptions import UnexpectedResponseError

            raise UnexpectedResponseError("The user record names no team.", status_code=200)
        ctx.team_id = user.team_id
    return ctx.team_id


def chat_once(ctx: Context, options: ChatOptions) -> Op[ChatOutput]:
    """One non-streamed turn: exactly one request on the official API."""
    if ctx.uses_webapp:
        yield from ensure_team(ctx)
        final: ChatOutput = yield StreamPlan(
            chat_request(ctx, options, stream=True), ChatStreamState(options.model)
        )
        return final
    response: Response = yield chat_request(ctx, options, stream=False)  # as ``send`` does
    record = record_from_body(body_json(response))
    assert record is not None
    output = output_from_record(record)
    if not output.model:
        output.model = options.model
    return output


def chat_stream(
    ctx: Context, options: ChatOptions, on_final: Callable[[ChatOutput], None] | None = None
) -> Op[StreamPlan]:
    """Prepare one streamed turn."""
    if ctx.uses_webapp:
        yield from ensure_team(ctx)
    return StreamPlan(
        chat_request(ctx, options, stream=True), ChatStreamState(options.model), on_final
    )
