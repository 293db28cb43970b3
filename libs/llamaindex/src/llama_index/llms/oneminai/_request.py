"""Preparing one 1min.AI chat request and interpreting its reply.

Everything here is transport-free and shared by the sync, async and streaming code paths
of :class:`~llama_index.llms.oneminai.OneMinAI`, so they produce identical results.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ToolCallBlock
from oneminai_webapi.tool_calling import (
    ParsedReply,
    ToolSpec,
    corrective_prompt,
    extract_json,
    normalize_tool_choice,
    parse_reply,
    render_prompt,
)
from pydantic import BaseModel

from ._messages import Attachment, build_message, to_turns

__all__ = [
    "CHAT_OPTIONS",
    "PreparedCall",
    "Reply",
    "build_raw",
    "interpret",
    "prepare_chat",
    "prepare_completion",
]

#: Keyword arguments of the core ``chat()`` call that may be set per request.
CHAT_OPTIONS = frozenset(
    {
        "model",
        "conversation_id",
        "web_search",
        "num_of_site",
        "max_word",
        "is_mixed",
        "history_message_limit",
        "with_memories",
        "brand_voice_id",
    }
)


@dataclass
class PreparedCall:
    """Everything needed to send one chat request and read its reply.

    Attributes:
        prompt: The rendered prompt.
        options: Keyword arguments for the core client's ``chat()`` (model, web search…).
        attachments: Images and documents to upload before sending.
        tools: Tools offered to the model (empty when none).
        tool_choice: Normalized choice: ``auto``, ``required``, ``none`` or a tool name.
        allow_parallel_tool_calls: Whether more than one tool call may be returned.
        json_output: Whether the reply must be reduced to bare JSON.
    """

    prompt: str
    options: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)
    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str = "auto"
    allow_parallel_tool_calls: bool = True
    json_output: bool = False

    @property
    def parses_tools(self) -> bool:
        """Whether the reply is searched for tool calls."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def forces_tool_call(self) -> bool:
        """Whether this turn must produce a tool call (``required`` or a named tool)."""
        return self.parses_tools and self.tool_choice != "auto"

    def corrective(self, previous_reply: str) -> str:
        """The prompt of a corrective retry after a reply without the required call."""
        return corrective_prompt(
            self.prompt, self.tools, self.tool_choice, previous_reply=previous_reply
        )


@dataclass
class Reply:
    """An interpreted reply.

    Attributes:
        message: The assistant message (text block plus tool-call blocks).
        satisfied: ``False`` when a required tool call is missing (a retry may help).
    """

    message: ChatMessage
    satisfied: bool


def _tool_spec(tool: Any) -> ToolSpec:
    if isinstance(tool, ToolSpec):
        return tool
    if isinstance(tool, Mapping):
        return ToolSpec.from_openai(tool)
    metadata = getattr(tool, "metadata", None)  # a LlamaIndex BaseTool
    if metadata is not None and hasattr(metadata, "to_openai_tool"):
        return ToolSpec.from_openai(metadata.to_openai_tool(skip_length_check=True))
    raise TypeError(f"unsupported tool definition: {type(tool).__name__}")


def _response_schema(response_format: Any) -> dict[str, Any] | None:
    if response_format is None:
        return None
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        return response_format.model_json_schema()
    if isinstance(response_format, Mapping):
        return dict(response_format)
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
            and any of :data:`CHAT_OPTIONS`. Unknown keys are ignored.

    Returns:
        The prepared call.
    """
    tools = tuple(_tool_spec(t) for t in kwargs.get("tools") or ())
    raw_choice = kwargs.get("tool_choice")
    if raw_choice in (None, "auto") and kwargs.get("tool_required"):
        raw_choice = "required"
    choice = normalize_tool_choice(raw_choice, tools) if tools else "none"
    schema = _response_schema(kwargs.get("response_format"))
    turns, attachments = to_turns(messages)
    prompt = render_prompt(
        turns, tools=tools, tool_choice=choice if tools else None, response_schema=schema
    )
    return PreparedCall(
        prompt=prompt,
        options=_options(defaults, kwargs),
        attachments=attachments,
        tools=tools,
        tool_choice=choice,
        allow_parallel_tool_calls=bool(kwargs.get("allow_parallel_tool_calls", True)),
        json_output=schema is not None,
    )


def prepare_completion(
    prompt: str, defaults: Mapping[str, Any], kwargs: Mapping[str, Any]
) -> PreparedCall:
    """Prepare a plain completion: the prompt is sent unchanged."""
    return PreparedCall(prompt=prompt, options=_options(defaults, kwargs))


def _bare_json(text: str) -> str:
    try:
        return json.dumps(extract_json(text), ensure_ascii=False)
    except ValueError:
        return text.strip()


def interpret(call: PreparedCall, text: str) -> Reply:
    """Turn reply text into an assistant message, parsing tool calls when tools were offered.

    Args:
        call: The request the reply answers.
        text: The full reply text.

    Returns:
        The message and whether it satisfies the turn's tool choice.
    """
    if not call.parses_tools:
        body = _bare_json(text) if call.json_output else text
        return Reply(build_message(body, None), satisfied=True)
    parsed: ParsedReply = parse_reply(text, call.tools)
    if call.json_output and not parsed.tool_calls:
        parsed = ParsedReply(_bare_json(parsed.text), [], parsed.invalid_tool_calls)
    message = build_message(text, parsed, allow_parallel_tool_calls=call.allow_parallel_tool_calls)
    names = [b.tool_name for b in message.blocks if isinstance(b, ToolCallBlock)]
    if call.tool_choice == "required":
        satisfied = bool(names)
    elif call.tool_choice != "auto":
        satisfied = call.tool_choice in names
    else:
        satisfied = True
    return Reply(message, satisfied)


def estimate_tokens(text: str) -> int:
    """Rough token count (1min.AI reports none): about four characters per token."""
    return math.ceil(len(text) / 4) if text else 0


def build_raw(prompt: str, text: str, output: Any) -> dict[str, Any]:
    """The ``raw`` payload of a response: service metadata plus estimated usage.

    Args:
        prompt: The prompt that was sent.
        text: The full reply text.
        output: The core client's final ``ChatOutput`` (or ``None``).

    Returns:
        A JSON-compatible dict with ``usage`` (``prompt_tokens``, ``completion_tokens``,
        ``total_tokens``; estimated, flagged by ``usage_estimated``), ``model``,
        ``conversation_id``, ``record_id``, ``sources`` and the service's ``ai_record``.
    """
    prompt_tokens = estimate_tokens(prompt)
    completion_tokens = estimate_tokens(text)
    return {
        "model": getattr(output, "model", None),
        "conversation_id": getattr(output, "conversation_id", None),
        "record_id": getattr(output, "record_id", None),
        "sources": list(getattr(output, "sources", None) or []),
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "usage_estimated": True,
        "ai_record": dict(getattr(output, "metadata", None) or {}),
    }
