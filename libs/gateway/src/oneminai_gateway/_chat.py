"""``POST /v1/chat/completions``: OpenAI's wire format onto ``client.complete()``.

Everything about prompts, tools, JSON answers, stop sequences and reasoning is decided by the
core client's ``complete()``; this module only translates requests and results, and writes
the stream in OpenAI's server-sent-event format (``data: {chunk}`` … ``data: [DONE]``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import time
from typing import Any

from aiohttp import web
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.completions import Completion, CompletionEvent
from oneminai_webapi.exceptions import OneMinAIError

from ._errors import GatewayError, bad_request, from_core
from ._json import dumps, json_string
from ._models import ChatCompletionRequest, parse
from ._state import CALLER, GATEWAY, Call, read_json

__all__ = ["chat_completions"]

logger = logging.getLogger("oneminai_gateway")

_DONE = b"data: [DONE]\n\n"


class _EventStream(web.StreamResponse):
    """A streamed response whose headers go out with its first chunk, in one system call.

    ``prepare()`` otherwise sends the headers alone: one more ``send`` (and one more TCP
    segment for the client to read) per stream. aiohttp >= 3.12 honours this flag (its own
    ``Response`` sets it); earlier versions ignore it and send the headers at once.
    """

    _send_headers_immediately = False


async def chat_completions(request: web.Request) -> web.StreamResponse:
    """Answer one chat completion, whole or streamed."""
    gateway = request.app[GATEWAY]
    caller = request[CALLER]
    body: ChatCompletionRequest = parse(ChatCompletionRequest, await read_json(request))
    model, online = gateway.split_model(body.model)
    caller.check_model(model)
    kwargs, legacy = _complete_kwargs(body, model, online)
    gateway.keys.admit(caller)
    client = gateway.upstream.for_caller(caller)
    with gateway.call(caller, "chat.completions", model) as call:
        if body.stream:
            return await _stream(request, client, body, kwargs, call, legacy=legacy)
        completion = await client.complete(body.messages, **kwargs)
        _account(call, completion)
        payload = _completion_body(completion, body.model, legacy=legacy)
        return web.Response(body=dumps(payload).encode(), content_type="application/json")


def _complete_kwargs(
    body: ChatCompletionRequest, model: str, online: bool
) -> tuple[dict[str, Any], bool]:
    """``complete()`` arguments of a request, and whether it uses the legacy ``functions``."""
    if body.n not in (None, 1):
        raise bad_request(
            "n must be 1: 1min.AI answers with one choice per request.", "n", "unsupported_value"
        )
    if body.modalities and any(m != "text" for m in body.modalities):
        raise bad_request(
            "Only text output is offered by 1min.AI chat.", "modalities", "unsupported_value"
        )
    tools: list[dict[str, Any]] | None = None
    tool_choice: Any = body.tool_choice
    legacy = False
    if body.tools is not None:
        tools = [tool.model_dump(exclude_none=True) for tool in body.tools]
    elif body.functions is not None:
        legacy = True
        tools = [
            {"type": "function", "function": f.model_dump(exclude_none=True)}
            for f in body.functions
        ]
        choice = body.function_call
        tool_choice = (
            {"type": "function", "function": choice} if isinstance(choice, dict) else choice
        )
    kwargs: dict[str, Any] = {
        "model": model,
        "web_search": online or bool(body.web_search) or body.web_search_options is not None,
    }
    if tools:
        kwargs["tools"] = tools
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
    elif tool_choice not in (None, "none", "auto"):
        raise bad_request("tool_choice is only allowed when tools are specified.", "tool_choice")
    if body.parallel_tool_calls is not None:
        kwargs["parallel_tool_calls"] = body.parallel_tool_calls
    if body.response_format is not None:
        kwargs["response_format"] = body.response_format
    if body.stop is not None:
        kwargs["stop"] = body.stop
    return kwargs, legacy


def _account(call: Call, completion: Completion) -> None:
    call.credits = completion.credits_used
    call.prompt_tokens = completion.usage.prompt_tokens
    call.completion_tokens = completion.usage.completion_tokens
    call.record_id = completion.record_id


def _completion_id(completion: Completion | None = None) -> str:
    if completion is not None and completion.record_id:
        return "chatcmpl-" + completion.record_id.replace("-", "")
    return "chatcmpl-" + secrets.token_hex(16)


def _usage(completion: Completion) -> dict[str, int]:
    usage = completion.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def _extension(completion: Completion) -> dict[str, Any]:
    """The ``oneminai`` field: what 1min.AI reports beyond OpenAI's shape."""
    return {
        "credits": completion.credits_used,
        "record_id": completion.record_id,
        "sources": [source.model_dump() for source in completion.sources],
        "usage_estimated": completion.usage.estimated,
        "attempts": completion.attempts,
    }


def _tool_calls(completion: Completion) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id,
            "type": "function",
            "function": {
                "name": call.name,
                "arguments": json.dumps(call.arguments, ensure_ascii=False),
            },
        }
        for call in completion.tool_calls
    ]


def _completion_body(completion: Completion, model: str, *, legacy: bool) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": completion.text if completion.text or not completion.tool_calls else None,
        "refusal": None,
    }
    finish: str = completion.finish_reason
    calls = _tool_calls(completion)
    if calls and legacy:
        message["function_call"] = calls[0]["function"]
        finish = "function_call"
    elif calls:
        message["tool_calls"] = calls
    if completion.reasoning:
        message["reasoning_content"] = completion.reasoning
    return {
        "id": _completion_id(completion),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": _usage(completion),
        "oneminai": _extension(completion),
    }


class _ChunkWriter:
    """Encodes ``chat.completion.chunk`` events; the constant parts of each are built once.

    A text chunk (nearly every chunk) is the same two strings around the JSON of its text, so
    it costs one string escape (:meth:`text`). Chunks are collected and sent with
    :meth:`send`, so the events that are ready together go out in one write (one system call
    instead of one per event).
    """

    def __init__(self, response: web.StreamResponse, model: str, *, include_usage: bool) -> None:
        head = {
            "id": _completion_id(),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
        }
        self._response = response
        self._head = "data: " + dumps(head)[:-1] + ',"choices":['
        self._tail = ',"usage":null}\n\n' if include_usage else "}\n\n"
        self._text_head = self._head + '{"index":0,"delta":{"content":'
        self._text_tail = '},"logprobs":null,"finish_reason":null}]' + self._tail
        self._pending: list[str] = []

    def text(self, text: str) -> None:
        """A ``{"content": text}`` delta (what :meth:`delta` would write, faster)."""
        self._pending += (self._text_head, json_string(text), self._text_tail)

    def delta(self, delta: dict[str, Any]) -> None:
        choice = '{"index":0,"delta":' + dumps(delta) + ',"logprobs":null,"finish_reason":null}]'
        self._pending.append(self._head + choice + self._tail)

    def finish(self, reason: str, extension: dict[str, Any]) -> None:
        choice = '{"index":0,"delta":{},"logprobs":null,"finish_reason":' + dumps(reason) + "}]"
        tail = self._tail[:-3] + ',"oneminai":' + dumps(extension) + "}\n\n"
        self._pending.append(self._head + choice + tail)

    def usage(self, usage: dict[str, int]) -> None:
        self._pending.append(self._head + '],"usage":' + dumps(usage) + "}\n\n")

    async def send(self, *extra: bytes, last: bool = False) -> None:
        """Write the collected chunks (and ``extra`` bytes) in one go; ``last`` ends the body."""
        data = "".join(self._pending).encode() + b"".join(extra)
        self._pending.clear()
        if last:
            await self._response.write_eof(data)
        elif data:
            await self._response.write(data)


async def _stream(
    request: web.Request,
    client: OneMinAIClient,
    body: ChatCompletionRequest,
    kwargs: dict[str, Any],
    call: Call,
    *,
    legacy: bool,
) -> web.StreamResponse:
    # The first upstream request is sent here: a refusal still gets a proper HTTP status.
    stream = await client.complete(body.messages, stream=True, **kwargs).open()
    response = _EventStream(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    try:
        await response.prepare(request)
        writer = _ChunkWriter(response, body.model, include_usage=include_usage)
        writer.delta({"role": "assistant", "content": ""})  # goes out with the first text
        completion: Completion | None = None
        async for event in stream:
            for item in (event, *stream.read_ready()):
                if item.type == "text":  # nearly every event: the fast path
                    writer.text(item.text)
                else:
                    completion = _write_event(writer, item, legacy=legacy) or completion
            if completion is None:
                await writer.send()
        assert completion is not None
        _account(call, completion)
        reason = "function_call" if legacy and completion.tool_calls else completion.finish_reason
        writer.finish(reason, _extension(completion))
        if include_usage:
            writer.usage(_usage(completion))
        await writer.send(_DONE, last=True)
    except OneMinAIError as exc:  # after the headers: the error goes into the stream
        error = from_core(exc)
        call.status, call.error = error.status, error.code
        await _write_error(response, error)
    except ConnectionError:  # the client went away
        call.status, call.error = 499, "client_disconnected"
    except Exception:  # a bug: end the stream with an error event rather than hang it
        logger.exception("the stream of a chat completion failed")
        call.status, call.error = 500, "internal_error"
        await _write_error(response, GatewayError(500, "The gateway failed.", "server_error"))
    finally:
        await stream.aclose()
    return response


def _write_event(
    writer: _ChunkWriter, event: CompletionEvent, *, legacy: bool
) -> Completion | None:
    if event.type == "text":
        writer.delta({"content": event.text})
    elif event.type == "reasoning":
        writer.delta({"reasoning_content": event.text})
    elif event.type == "tool_call":
        if legacy:
            if event.index == 0:
                writer.delta({"function_call": {"name": event.name, "arguments": event.arguments}})
            return None
        if event.id is not None:
            head = {
                "index": event.index,
                "id": event.id,
                "type": "function",
                "function": {"name": event.name, "arguments": ""},
            }
            writer.delta({"tool_calls": [head]})
        if event.arguments:
            writer.delta(
                {"tool_calls": [{"index": event.index, "function": {"arguments": event.arguments}}]}
            )
    else:
        return event
    return None


async def _write_error(response: web.StreamResponse, error: GatewayError) -> None:
    with contextlib.suppress(ConnectionError):
        await response.write(b"data: " + json.dumps(error.body()).encode() + b"\n\n")
