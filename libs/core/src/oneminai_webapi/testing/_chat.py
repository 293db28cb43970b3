"""Chat: ``/api/chat-with-ai``, the web-app unified chat, and legacy chat types.

Default replies are deterministic::

    Echo from gpt-4o-mini: Hello
    Echo from gpt-4o-mini: And now? [2 earlier messages in context; attachments: 1 image(s),
    0 file(s); web search: 3 sources]

The record echoes the ``promptObject`` with two lists added, where live records carry
them: ``searchContentList`` (with web search on, the results the "model" read:
``{"title", "link", "snippet", "position"}`` objects, ``numOfSite`` long, default 3, max 10)
and ``linkContentList`` (the links the prompt mentions). Their element shape is a guess.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from aiohttp import web

from ._catalog import UNIFIED_CHAT
from ._faults import StreamPlan
from ._runtime import (
    FAULTS_KEY,
    Runtime,
    body_json,
    error_response,
    insufficient_credits,
    json_response,
    not_found,
    runtime,
    unsupported_model,
    validation_error,
)
from ._sse import EventStream
from ._state import ChatTurn, Conversation, Message, new_id, now_iso

_WORDS = re.compile(r"\s*\S+\s*|\s+")


def split_words(text: str, per_event: int = 1) -> list[str]:
    """Split ``text`` into word deltas whose concatenation is ``text``."""
    words = _WORDS.findall(text)
    n = max(1, per_event)
    return ["".join(words[i : i + n]) for i in range(0, len(words), n)]


#: The ``resultObject`` item of a moderated answer (shape from one public source; values guessed).
MODERATED = {
    "code": "CONTENT_MODERATION",
    "message": "The request was flagged by content moderation and cannot be answered.",
}


def default_reply(turn: ChatTurn) -> str:
    """The deterministic reply used when no scripted reply is queued."""
    text = f"Echo from {turn.model}: {turn.prompt}"
    notes = []
    if turn.history:
        n = len(turn.history)
        notes.append(f"{n} earlier message{'s' if n != 1 else ''} in context")
    images = turn.attachments.get("images") or []
    files = turn.attachments.get("files") or []
    if images or files:
        notes.append(f"attachments: {len(images)} image(s), {len(files)} file(s)")
    if turn.web_search:
        notes.append("web search on")
    if notes:
        text += " [" + "; ".join(notes) + "]"
    return text


def produce_reply(rt: Runtime, turn: ChatTurn) -> str:
    """Next scripted reply (string or ``fn(turn)``), else :func:`default_reply`."""
    item = rt.state.next_script()
    if item is None:
        return default_reply(turn)
    return item(turn) if callable(item) else str(item)


def credit_metadata(cost: int, prompt: str, answer: str) -> dict[str, int]:
    """``credit``, ``inputCredit``, ``outputCredit`` of a chat record (split by length).

    Live chat records carry this breakdown in ``metadata`` (56 = 45 + 11); the split here is
    plausible, not the service's pricing.
    """
    given = round(cost * len(prompt) / max(1, len(prompt) + len(answer)))
    given = min(cost, max(1 if cost else 0, given))
    return {"credit": cost, "inputCredit": given, "outputCredit": cost - given}


def web_sources(prompt: str, count: int) -> list[dict[str, Any]]:
    """Deterministic fake web-search results (``searchContentList`` items; shape guessed)."""
    q = quote(prompt[:60])
    return [
        {
            "title": f"Search result {i} for {prompt[:40]}",
            "link": f"https://example.com/search/{i}?q={q}",
            "snippet": f"Snippet {i} about {prompt[:40]}",
            "position": i,
        }
        for i in range(1, count + 1)
    ]


_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def link_contents(prompt: str) -> list[dict[str, str]]:
    """``linkContentList`` items: the links the prompt mentions (shape guessed)."""
    links = list(dict.fromkeys(_URL.findall(prompt)))[:5]
    return [{"url": u, "title": f"Page at {u}", "content": f"Text of {u}"} for u in links]


def resolve_conversation(
    rt: Runtime, conversation_id: Any
) -> tuple[str | None, Conversation | None, web.Response | None]:
    """Map a request's conversation id to ``(echo id, conversation, error response)``."""
    if conversation_id is None or conversation_id == "":
        return None, None, None
    if not isinstance(conversation_id, str):
        return None, None, validation_error("conversationId must be a string", "conversationId")
    if rt.output_kind(conversation_id) is not None:
        return conversation_id, None, None  # feature type used as a pseudo id
    conv = rt.state.conversations.get(conversation_id)
    if conv is None:
        return None, None, not_found(f"Conversation {conversation_id} not found")
    return conversation_id, conv, None


def history_for(conv: Conversation | None, model: str, limit: int, mixed: bool) -> list[Message]:
    """Messages fed back as context (``isMixed=false`` keeps only this model's turns)."""
    if conv is None or limit <= 0:
        return []
    msgs = conv.messages if mixed else [m for m in conv.messages if m.model == model]
    return msgs[-limit:]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


async def chat_handler(request: web.Request) -> web.StreamResponse:
    """``POST /api/chat-with-ai`` and ``POST /teams/{t}/features/v2/unified-chat``."""
    rt = runtime(request)
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    ftype = body.get("type") or UNIFIED_CHAT
    if ftype != UNIFIED_CHAT:
        return validation_error(f"type must be {UNIFIED_CHAT}, got {ftype}", "type")
    model = body.get("model")
    if not model:
        return validation_error("model is required", "model")
    if not rt.catalog.supports(UNIFIED_CHAT, str(model)):
        return unsupported_model(model)
    po = body.get("promptObject")
    if not isinstance(po, dict):
        return validation_error("promptObject is required", "promptObject")
    prompt = po.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        return validation_error("promptObject.prompt is required", "promptObject.prompt")
    conv_id, conv, err = resolve_conversation(
        rt, po.get("conversationId") or body.get("conversationId")
    )
    if err is not None:
        return err
    settings = _dict(po.get("settings"))
    ws = _dict(settings.get("webSearchSettings"))
    hs = _dict(settings.get("historySettings"))
    limit = hs.get("historyMessageLimit", rt.config.default_history_limit)
    limit = limit if isinstance(limit, int) else rt.config.default_history_limit
    att = _dict(po.get("attachments"))
    attachments = {
        "images": [str(x) for x in att.get("images") or []],
        "files": [str(x) for x in att.get("files") or []],
    }
    web_search = bool(ws.get("webSearch"))
    cost = rt.config.credits_per_call
    if not rt.state.try_charge(cost):
        return insufficient_credits(rt)
    turn = ChatTurn(
        prompt=prompt,
        model=str(model),
        history=history_for(conv, str(model), limit, bool(hs.get("isMixed"))),
        attachments=attachments,
        web_search=web_search,
        conversation_id=conv_id,
        feature_type=UNIFIED_CHAT,
        prompt_object=po,
    )
    trigger = rt.config.moderation_trigger
    moderated = bool(trigger) and trigger in prompt
    text = "" if moderated else produce_reply(rt, turn)
    found: list[dict[str, Any]] = []
    if web_search:
        n = ws.get("numOfSite", 3)
        found = web_sources(prompt, min(10, max(1, n if isinstance(n, int) else 3)))
    # Live records echo the promptObject with the pages read added to it.
    echoed = {**po, "linkContentList": link_contents(prompt), "searchContentList": found}
    record = rt.build_record(
        feature_type=UNIFIED_CHAT,
        model=str(model),
        prompt_object=echoed,
        result=[MODERATED] if moderated else [text],
        conversation_id=conv_id,
        metadata={**_dict(body.get("metadata")), **credit_metadata(cost, prompt, text)},
        credit=cost,
    )
    if conv is not None and not moderated:
        stamp = now_iso()
        conv.messages.append(Message(new_id(), "USER", prompt, str(model), record["uuid"], stamp))
        conv.messages.append(
            Message(new_id(), str(model), text, str(model), record["uuid"], stamp, cost)
        )
        conv.updated_at = stamp
    if request.query.get("isStreaming") != "true":
        return json_response({"aiRecord": record})
    return await stream_record(request, rt, record, text)


def stream_plan(request: web.Request, rt: Runtime) -> StreamPlan:
    """The stream plan of this request (faults + config)."""
    return StreamPlan.build(request.get(FAULTS_KEY, []), rt.config.sse_line_ending)


def repeats_answer(rt: Runtime, model: str) -> bool:
    """Whether this model's streams end with the whole answer as one more content event."""
    return any(model.startswith(prefix) for prefix in rt.config.repeat_answer_models)


async def stream_record(
    request: web.Request, rt: Runtime, record: dict[str, Any], text: str
) -> web.StreamResponse:
    """Stream ``text`` as content events, then ``result`` and ``done``, as the service does."""
    plan = stream_plan(request, rt)
    if plan.json_instead:
        return json_response({"aiRecord": record} if plan.json_body is None else plan.json_body)
    stream = EventStream(request, rt, plan)
    try:
        await stream.open()
        deltas = split_words(text, rt.config.stream_words_per_event)
        if text and repeats_answer(rt, str(record.get("model") or "")):
            deltas.append(text)  # the service repeats the whole answer (gpt-5.x)
        for delta in deltas:
            if not await stream.send("content", {"content": delta}):
                return await stream.finish()
        if await stream.send("result", {"aiRecord": record}):
            await stream.send("done", {"message": "Stream completed"})
        return await stream.finish()
    except ConnectionError:
        return stream.response
    finally:
        stream.release()


async def legacy_chat(
    request: web.Request, rt: Runtime, body: dict[str, Any]
) -> web.StreamResponse:
    """Legacy ``CHAT_WITH_*`` types on ``/api/features`` (only with ``config.legacy_chat``)."""
    ftype = str(body.get("type"))
    if not rt.config.legacy_chat:
        return error_response(
            400,
            "DEPRECATED_FEATURE",
            f"Feature type {ftype} is deprecated; use {UNIFIED_CHAT} via /api/chat-with-ai",
        )
    model = str(body.get("model") or "")
    if not model:
        return validation_error("model is required", "model")
    if not rt.catalog.supports(ftype, model):
        return unsupported_model(model)
    po = _dict(body.get("promptObject"))
    prompt = po.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        return validation_error("promptObject.prompt is required", "promptObject.prompt")
    conv_id, conv, err = resolve_conversation(rt, body.get("conversationId"))
    if err is not None:
        return err
    if not rt.state.try_charge(rt.config.credits_per_call):
        return insufficient_credits(rt)
    images = [str(x) for x in po.get("imageList") or []]
    turn = ChatTurn(
        prompt=prompt,
        model=model,
        history=history_for(conv, model, rt.config.default_history_limit, bool(po.get("isMixed"))),
        attachments={"images": images, "files": []},
        web_search=bool(po.get("webSearch")),
        conversation_id=conv_id,
        feature_type=ftype,
        prompt_object=po,
    )
    text = produce_reply(rt, turn)
    record = rt.build_record(
        feature_type=ftype, model=model, prompt_object=po, result=[text], conversation_id=conv_id
    )
    if conv is not None:
        stamp = now_iso()
        conv.messages.append(Message(new_id(), "USER", prompt, model, record["uuid"], stamp))
        conv.messages.append(Message(new_id(), model, text, model, record["uuid"], stamp))
    if request.query.get("isStreaming") != "true":
        return json_response({"aiRecord": record})
    plan = stream_plan(request, rt)
    if plan.json_instead:
        return json_response({"aiRecord": record} if plan.json_body is None else plan.json_body)
    stream = EventStream(request, rt, plan, raw_text=True)
    try:
        await stream.open()
        for delta in split_words(text, rt.config.stream_words_per_event):
            if not await stream.send_text(delta):
                break
        return await stream.finish()
    except ConnectionError:
        return stream.response
    finally:
        stream.release()
