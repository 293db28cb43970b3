"""Unified chat: request bodies, the stream interpreter, and the chat operations (§B)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import InvalidRequestError, StreamInterruptedError
from . import _routes as routes
from ._context import Context
from ._http import Request, Response, Surface
from ._ops import Op, StreamPlan, body_json, send
from ._records import as_dict, check_record, record_from_body, result_text

# ``json.decoder.scanstring`` (the C string scanner) is public but missing from typeshed.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

if TYPE_CHECKING:
    from ..types import ChatOutput
    from ._sse import ServerSentEvent

CHAT_TYPE = "UNIFY_CHAT_WITH_AI"
#: Documented server defaults (protocol.md §B.1), not the earlier client's UI values.
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
    """The JSON body of one unified-chat turn (official §B.1 or web-app §B.2 shape)."""
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


def output_from_record(record: dict[str, Any], *, fallback_text: str = "") -> ChatOutput:
    """A final :class:`ChatOutput` from an ``aiRecord``, preferring ``resultObject[0]``."""
    check_record(record)
    text = result_text(record)
    detail = as_dict(record.get("aiRecordDetail"))
    sources = detail.get("sources") or record.get("sources")
    return _output(
        fallback_text if text is None else text,
        "",
        str(record.get("model") or ""),
        True,
        record.get("conversationId") or None,
        record.get("uuid") or None,
        [s if isinstance(s, dict) else {"url": str(s)} for s in sources]
        if sources and isinstance(sources, list)
        else [],
        record,
    )


# ``ChatOutput.model_construct(...)`` walks every field's alias/default machinery and runs
# the private-attribute initialiser: ~5x the cost of filling the four slots pydantic itself
# fills (``__dict__`` in field order, ``__pydantic_fields_set__``, ``__pydantic_extra__``,
# ``__pydantic_private__``). A streamed answer builds one object per content event, so
# :func:`_output` does exactly that. It is checked once, on the first output built (not at
# import: ``oneminai_webapi.types`` and pydantic load on first use), against
# ``model_construct``; if a pydantic release ever builds models differently the check fails
# and every output goes through ``model_construct`` again.
_new_output = object.__new__
_set_slot = object.__setattr__
#: Set by :func:`_pick_output_builder` (the first :func:`_output` call).
_ChatOutput: Any = None
_OUTPUT_FIELDS: frozenset[str] = frozenset()


def _output_fast(
    text: str, delta: str, model: str, is_final: bool, conversation_id: str | None = None,
    record_id: str | None = None, sources: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> ChatOutput:  # fmt: skip
    out: ChatOutput = _new_output(_ChatOutput)
    _set_slot(out, "__dict__", {
        "text": text, "text_delta": delta, "model": model, "conversation_id": conversation_id,
        "record_id": record_id, "is_final": is_final, "sources": [] if sources is None else sources,
        "metadata": {} if metadata is None else metadata,
    })  # fmt: skip
    _set_slot(out, "__pydantic_fields_set__", set(_OUTPUT_FIELDS))
    _set_slot(out, "__pydantic_extra__", {})
    _set_slot(out, "__pydantic_private__", {"_client": None})
    return out


def _output_slow(
    text: str, delta: str, model: str, is_final: bool, conversation_id: str | None = None,
    record_id: str | None = None, sources: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> ChatOutput:  # fmt: skip
    out: ChatOutput = _ChatOutput.model_construct(
        text=text, text_delta=delta, model=model, conversation_id=conversation_id,
        record_id=record_id, is_final=is_final, sources=[] if sources is None else sources,
        metadata={} if metadata is None else metadata,
    )  # fmt: skip
    return out


def _same_output(a: ChatOutput, b: ChatOutput) -> bool:
    return (
        type(a) is type(b)
        and list(a.__dict__.items()) == list(b.__dict__.items())
        and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
    )


def _pick_output_builder() -> Callable[..., ChatOutput]:
    global _ChatOutput, _OUTPUT_FIELDS
    from ..types import ChatOutput

    _ChatOutput = ChatOutput
    _OUTPUT_FIELDS = frozenset(ChatOutput.model_fields)
    samples: list[tuple[Any, ...]] = [
        ("t", "d", "m", False),
        ("t", "", "m", True, "c", "r", [{"url": "u"}], {"k": 1}),
    ]
    try:
        ok = all(
            frozenset(_output_slow(*args).__dict__) == _OUTPUT_FIELDS
            and _same_output(_output_fast(*args), _output_slow(*args))
            for args in samples
        )
    except Exception:  # pragma: no cover - defensive: any surprise means "use pydantic"
        ok = False
    return _output_fast if ok else _output_slow


def _first_output(*args: Any) -> ChatOutput:
    """The first call: pick the builder (importing the output types), then use it."""
    global _output
    builder = _pick_output_builder()
    _output = builder
    return builder(*args)


#: Build a :class:`ChatOutput` without validation:
#: ``_output(text, text_delta, model, is_final, conversation_id, record_id, sources, metadata)``.
#: Replaced by the chosen builder on first use.
_output: Callable[..., ChatOutput] = _first_output


def content_chunk(text: str, delta: str, model: str) -> ChatOutput:
    """The :class:`ChatOutput` of one content event (not final)."""
    return _output(text, delta, model, False)


class ChatStreamState:
    """Interprets the unified-chat SSE events ``content`` → ``result`` → ``done`` (§B.4).

    Rules: unnamed/``message`` events count as content; an ``error`` event raises
    :class:`StreamInterruptedError` carrying the text so far; the final text prefers the
    record's ``resultObject[0]``; a stream that ends after ``result`` without ``done`` is
    complete; one that ends with ``done`` but no ``result`` is complete with the streamed
    text; one that ends with neither is truncated and raises.
    """

    __slots__ = ("_model", "done", "events_received", "final", "text")

    def __init__(self, model: str) -> None:
        self._model = model
        self.text = ""
        self.events_received = 0
        self.done = False
        self.final: ChatOutput | None = None

    def on_event(self, event: ServerSentEvent) -> ChatOutput | None:
        """Handle one event; return the chunk to hand to the caller, if any."""
        out = self.step(event)
        return content_chunk(*out) if isinstance(out, tuple) else out

    def step(self, event: ServerSentEvent) -> ChatOutput | tuple[str, str, str] | None:
        """Like :meth:`on_event`, but a content chunk comes back as ``(text, delta, model)``.

        Streams queue these light tuples and build the :class:`ChatOutput` only when the
        caller takes it: a chunk of the body often holds a whole answer, and a thousand open
        streams should not each hold forty models they have not handed out yet.
        """
        name = event.event
        if name == "content" or name == "message":
            delta = self._content(event.data)
            if not delta:
                return None
            self.events_received += 1
            self.text += delta
            return (self.text, delta, self._model)
        if name == "result":
            return self._on_result(event.data)
        if name == "done":
            self.done = True
            return None
        if name == "error":
            raise self.interrupted(
                f"The service reported an error mid-stream: {_error_text(event.data)}"
            )
        return None

    def on_eof(self) -> ChatOutput | None:
        """End of body: the synthesised final chunk, or an error for a truncated stream."""
        if self.final is not None:
            return None
        if self.done:
            self.final = _output(self.text, "", self._model, True)
            return self.final
        raise self.interrupted("The stream ended before the service sent its final result.")

    def interrupted(self, message: str) -> StreamInterruptedError:
        """An error that keeps everything received so far."""
        return StreamInterruptedError(
            message, partial_text=self.text, events_received=self.events_received
        )

    def _content(self, data: str) -> str:
        if data.startswith('{"content":'):
            # Fast path for the usual ``{"content": "<delta>"}``: decode just the string
            # (C scanner); anything unusual falls through to the full JSON parse below.
            start = 12 if data[11:12] == '"' else 13 if data[11:13] == ' "' else 0
            if start:
                try:
                    value, end = _scanstring(data, start)
                except ValueError:
                    pass
                else:
                    if data[end:] == "}":
                        return value
        if not data or data == "[DONE]":
            return ""
        try:
            payload = json.loads(data)
        except ValueError:
            return data  # a bare text delta
        if isinstance(payload, dict):
            content = payload.get("content")
            return content if isinstance(content, str) else ""
        return payload if isinstance(payload, str) else ""

    def _on_result(self, data: str) -> ChatOutput | None:
        if self.final is not None:
            return None
        try:
            payload = json.loads(data)
        except ValueError:
            raise self.interrupted("The stream's result event is not JSON.") from None
        record = as_dict(as_dict(payload).get("aiRecord"))
        if not record:
            return None
        try:
            final = output_from_record(record, fallback_text=self.text)
        except Exception as exc:
            raise self.interrupted(str(exc)) from None
        delta = final.text[len(self.text) :] if final.text.startswith(self.text) else ""
        final.text_delta = delta
        if not final.model:
            final.model = self._model
        self.final = final
        return final


def _error_text(data: str) -> str:
    try:
        payload = json.loads(data)
    except ValueError:
        return data or "unknown error"
    if isinstance(payload, dict):
        err = payload.get("error")
        if isinstance(err, dict):
            err = err.get("message")
        return str(err or payload.get("message") or data)
    return str(payload)


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
