"""``complete()``'s completions and stream events as LangChain messages and chunks.

A :class:`~oneminai_webapi.completions.Completion` becomes an ``AIMessage``; a streamed
completion's events become ``AIMessageChunk`` objects that add up to the same message: text
and reasoning deltas as they come, a chunk per tool call, and a last chunk with the
invalid tool calls, usage and response metadata.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.utils.json import parse_partial_json
from oneminai_webapi.completions import Completion, CompletionEvent

__all__ = ["ai_message", "event_chunk"]


def ai_message(completion: Completion, *, model: str, conversation_id: str | None) -> AIMessage:
    """The ``AIMessage`` of a completion.

    Args:
        completion: What ``complete()`` returned.
        model: The model asked for (when the record names none).
        conversation_id: The conversation asked for (when the record names none).
    """
    return AIMessage(
        content=completion.text,
        additional_kwargs=_reasoning(completion.reasoning),
        tool_calls=[
            tool_call(name=call.name, args=call.arguments, id=call.id)
            for call in completion.tool_calls
        ],
        invalid_tool_calls=[
            invalid_tool_call(
                name=bad.name, args=_invalid_args(bad.raw_arguments), id=bad.id, error=bad.error
            )
            for bad in completion.invalid_tool_calls
        ],
        usage_metadata=_usage(completion),
        response_metadata=_metadata(completion, model, conversation_id),
    )


def event_chunk(
    event: CompletionEvent, *, model: str, conversation_id: str | None
) -> ChatGenerationChunk | None:
    """The chunk of one stream event (``None`` for an event that adds nothing)."""
    if event.type == "text":
        message = AIMessageChunk(content=event.text)
    elif event.type == "reasoning":
        message = AIMessageChunk(content="", additional_kwargs=_reasoning(event.text))
    elif event.type == "tool_call":
        call = tool_call_chunk(
            name=event.name, args=event.arguments, id=event.id, index=event.index
        )
        message = AIMessageChunk(content="", tool_call_chunks=[call])
    else:
        message = _last_chunk(event, model, conversation_id)
    return ChatGenerationChunk(message=message)


def _last_chunk(completion: Completion, model: str, conversation_id: str | None) -> AIMessageChunk:
    """The last chunk: invalid calls (after the valid ones), usage and metadata."""
    offset = len(completion.tool_calls)
    invalid = [
        tool_call_chunk(
            name=bad.name, args=_invalid_args(bad.raw_arguments), id=bad.id, index=offset + i
        )
        for i, bad in enumerate(completion.invalid_tool_calls)
    ]
    return AIMessageChunk(
        content="",
        tool_call_chunks=invalid,
        usage_metadata=_usage(completion),
        response_metadata=_metadata(completion, model, conversation_id),
        chunk_position="last",
    )


def _reasoning(reasoning: str | None) -> dict[str, Any]:
    """Reasoning as LangChain carries it: ``content_blocks`` turns it into a reasoning block."""
    return {"reasoning_content": reasoning} if reasoning else {}


def _usage(completion: Completion) -> Any:
    usage = completion.usage
    return {
        "input_tokens": usage.prompt_tokens,
        "output_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def _metadata(completion: Completion, model: str, conversation_id: str | None) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "model_name": completion.model or model,
        "model_provider": "oneminai",
        "finish_reason": completion.finish_reason,
    }
    if completion.usage.estimated:
        metadata["usage_estimated"] = True
    if completion.conversation_id or conversation_id:
        metadata["conversation_id"] = completion.conversation_id or conversation_id
    if completion.record_id:
        metadata["record_id"] = completion.record_id
    if completion.sources:
        metadata["sources"] = [source.model_dump() for source in completion.sources]
    for key in ("credits_used", "input_credits", "output_credits"):
        value = getattr(completion, key)
        if value is not None:
            metadata[key] = value
    if completion.invalid_tool_calls:
        metadata["invalid_tool_call_errors"] = {
            bad.id: bad.error for bad in completion.invalid_tool_calls
        }
    if completion.attempts > 1:
        metadata["corrective_retries"] = completion.attempts - 1
    return metadata


def _invalid_args(raw: str | None) -> str:
    """Arguments text of an invalid call that never parses as a dict when chunks merge.

    Streamed tool-call chunks are re-parsed when aggregated; a rejected call whose arguments
    happen to be a valid JSON object would otherwise turn into a valid call. Quoting keeps
    ``invoke`` and ``stream`` results identical.
    """
    text = raw or ""
    try:
        parsed = parse_partial_json(text) if text else {}
    except Exception:  # unparsable text stays as it is
        return text
    return json.dumps(text, ensure_ascii=False) if isinstance(parsed, dict) else text
