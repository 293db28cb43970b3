"""Preparing one 1min.AI chat request from LlamaIndex arguments.

How the reply is read (tool calls, required calls, bare-JSON answers, what may stream early)
is decided by the core :class:`~oneminai_webapi.tool_calling.ReplyPlan`; this module maps
LlamaIndex arguments onto it. Everything here is transport-free and shared by the sync, async
and streaming code paths of :class:`~llama_index.llms.oneminai.OneMinAI`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import ChatMessage
from oneminai_webapi.integrations import CHAT_OPTIONS, estimate_tokens
from oneminai_webapi.tool_calling import ReplyPlan, ToolSpec
from pydantic import BaseModel

from ._messages import CREDIT_KEYS, Attachment, to_turns

__all__ = ["PreparedCall", "build_raw", "prepare_chat", "prepare_completion"]


@dataclass
class PreparedCall:
    """Everything needed to send one chat request and read its reply.

    Attributes:
        prompt: The rendered prompt.
        options: Keyword arguments for the core client's ``chat()`` (model, web search…).
        attachments: Images and documents to upload before sending.
        reply: What the reply must look like (tools, tool choice, JSON answer…).
    """

    prompt: str
    options: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)
    reply: ReplyPlan = field(default_factory=ReplyPlan)


def _tool_spec(tool: Any) -> ToolSpec:
    if isinstance(tool, ToolSpec):
        return tool
    if isinstance(tool, Mapping):
        return ToolSpec.from_openai(tool)
    metadata = getattr(tool, "metadata", None)  # a LlamaIndex BaseTool
    if metadata is not None and hasattr(metadata, "to_openai_tool"):
        return ToolSpec.from_openai(metadata.to_openai_tool(skip_length_check=True))
    raise TypeError(f"unsupported tool definition: {type(tool).__name__}")


def _response_format(response_format: Any) -> Mapping[str, Any] | None:
    if response_format is None or isinstance(response_format, Mapping):
        return response_format
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        return response_format.model_json_schema()
    raise TypeError("response_format must be a JSON schema dict or a Pydantic model class")


def _options(defaults: Mapping[str, Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    options = dict(defaults)
    options.update({k: v for k, v in kwargs.items() if k in CHAT_OPTIONS and v is not None})
    return options


def prepare_chat(
    messages: Sequence[ChatMessage],
    defaults: Mapping[str, Any],
    kwargs: Mapping[str, Any],
) -> PreparedCall:
    """Render a chat request.

    Args:
        messages: The conversation.
        defaults: The instance's chat options (model, web search settings…).
        kwargs: Per-call keyword arguments: ``tools`` (LlamaIndex tools, OpenAI tool dicts or
            :class:`ToolSpec`), ``tool_choice``, ``tool_required``,
            ``allow_parallel_tool_calls``, ``response_format`` (JSON schema or Pydantic class)
            and any of :data:`oneminai_webapi.integrations.CHAT_OPTIONS`. Unknown keys are
            ignored.

    Returns:
        The prepared call.

    Raises:
        ValueError: If ``tool_choice`` names a tool that is not among ``tools``.
    """
    choice = kwargs.get("tool_choice")
    if choice in (None, "auto") and kwargs.get("tool_required"):
        choice = "required"
    reply = ReplyPlan.create(
        [_tool_spec(t) for t in kwargs.get("tools") or ()],
        choice,
        _response_format(kwargs.get("response_format")),
        parallel_tool_calls=bool(kwargs.get("allow_parallel_tool_calls", True)),
        strict_tool_choice=True,
    )
    turns, attachments = to_turns(messages)
    return PreparedCall(
        prompt=reply.render(turns),
        options=_options(defaults, kwargs),
        attachments=attachments,
        reply=reply,
    )


def prepare_completion(
    prompt: str, defaults: Mapping[str, Any], kwargs: Mapping[str, Any]
) -> PreparedCall:
    """Prepare a plain completion: the prompt is sent unchanged."""
    return PreparedCall(prompt=prompt, options=_options(defaults, kwargs))


def credits_of(outputs: Sequence[Any]) -> dict[str, int]:
    """Credits the service reported, summed over ``outputs`` (keys only when reported)."""
    totals: dict[str, int] = {}
    for output in outputs:
        for key in CREDIT_KEYS:
            value = getattr(output, key, None)
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] = totals.get(key, 0) + value
    return totals


def plain_source(source: Any) -> dict[str, Any]:
    """A web source as a plain dict (``title``, ``url``, ``snippet`` and any extra field)."""
    return dict(source.model_dump()) if hasattr(source, "model_dump") else dict(source)


def build_raw(
    prompt: str, text: str, output: Any, outputs: Sequence[Any] | None = None
) -> dict[str, Any]:
    """The ``raw`` payload of a response: service metadata plus estimated usage.

    Args:
        prompt: The prompt that was sent.
        text: The full reply text.
        output: The core client's final ``ChatOutput`` (or ``None``).
        outputs: Every final output of the call (corrective retries), for the credits;
            default ``[output]``.

    Returns:
        A JSON-compatible dict with ``usage`` (``prompt_tokens``, ``completion_tokens``,
        ``total_tokens``; estimated, flagged by ``usage_estimated``), ``model``,
        ``conversation_id``, ``record_id``, ``sources``, the service's ``ai_record`` and,
        when the records report them, ``credits_used``, ``input_credits`` and
        ``output_credits`` (summed over the requests).
    """
    prompt_tokens = estimate_tokens(prompt)
    completion_tokens = estimate_tokens(text)
    credits = credits_of([output] if outputs is None else outputs)
    return {
        "model": getattr(output, "model", None),
        "conversation_id": getattr(output, "conversation_id", None),
        "record_id": getattr(output, "record_id", None),
        "sources": [plain_source(s) for s in getattr(output, "sources", None) or []],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "usage_estimated": True,
        "ai_record": dict(getattr(output, "metadata", None) or {}),
        **credits,
    }
