"""LlamaIndex call arguments as one call of the core client's ``complete()``.

``complete()`` decides everything about the prompt and the reply (tool calls, required calls,
bare-JSON answers, corrective retries, what may stream early); this module only maps
LlamaIndex's arguments onto its parameters. Transport-free, shared by the sync, async and
streaming paths of :class:`~llama_index.llms.oneminai.OneMinAI`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import ChatMessage
from oneminai_webapi.integrations import CHAT_OPTIONS
from oneminai_webapi.tool_calling import ToolSpec

from ._messages import to_messages

__all__ = ["CompleteCall", "prepare_chat", "prepare_completion"]

#: ``response_format`` types ``complete()`` reads; any other mapping is a bare JSON schema.
_RESPONSE_FORMAT_TYPES = frozenset({"text", "json_object", "json_schema"})


@dataclass
class CompleteCall:
    """The arguments of one ``complete()`` call.

    Attributes:
        messages: The conversation as ``complete()`` messages.
        options: ``complete()``'s keyword arguments (model, tools, web search…).
    """

    messages: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)


def _tool(tool: Any) -> Mapping[str, Any] | ToolSpec:
    if isinstance(tool, (ToolSpec, Mapping)):
        return tool
    metadata = getattr(tool, "metadata", None)  # a LlamaIndex BaseTool
    if metadata is not None and hasattr(metadata, "to_openai_tool"):
        return dict(metadata.to_openai_tool(skip_length_check=True))
    raise TypeError(f"unsupported tool definition: {type(tool).__name__}")


def _response_format(response_format: Any) -> Any:
    """A ``response_format`` as ``complete()`` reads it: a bare JSON schema is wrapped."""
    if isinstance(response_format, Mapping) and (
        response_format.get("type") not in _RESPONSE_FORMAT_TYPES
    ):
        return {"type": "json_schema", "json_schema": {"schema": dict(response_format)}}
    if response_format is None or isinstance(response_format, (Mapping, type)):
        return response_format
    raise TypeError("response_format must be a JSON schema dict or a Pydantic model class")


def _options(defaults: Mapping[str, Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    options = dict(defaults)
    options.update({k: v for k, v in kwargs.items() if k in CHAT_OPTIONS and v is not None})
    return options


def prepare_chat(
    messages: Sequence[ChatMessage],
    defaults: Mapping[str, Any],
    kwargs: Mapping[str, Any],
) -> CompleteCall:
    """The ``complete()`` call of a chat request (no I/O).

    Args:
        messages: The conversation.
        defaults: The instance's options (model, web search settings, retries…).
        kwargs: Per-call keyword arguments: ``tools`` (LlamaIndex tools, OpenAI tool dicts or
            :class:`ToolSpec`), ``tool_choice``, ``tool_required``,
            ``allow_parallel_tool_calls``, ``response_format`` (JSON schema or Pydantic class)
            and any of :data:`oneminai_webapi.integrations.CHAT_OPTIONS`. Unknown keys are
            ignored.

    Returns:
        The call; ``complete()`` validates it (an unknown ``tool_choice`` name is a
        ``ValueError`` before any request).
    """
    tools = [_tool(t) for t in kwargs.get("tools") or ()]
    choice = kwargs.get("tool_choice")
    if choice in (None, "auto") and kwargs.get("tool_required"):
        choice = "required"
    options = _options(defaults, kwargs)
    options.update(
        tools=tools or None,
        tool_choice=choice if tools else None,  # without tools there is nothing to choose
        parallel_tool_calls=bool(kwargs.get("allow_parallel_tool_calls", True)),
        response_format=_response_format(kwargs.get("response_format")),
    )
    return CompleteCall(to_messages(messages), options)


def prepare_completion(
    prompt: str, defaults: Mapping[str, Any], kwargs: Mapping[str, Any]
) -> CompleteCall:
    """A plain completion: one user message, which ``complete()`` sends unchanged."""
    return CompleteCall([{"role": "user", "content": prompt}], _options(defaults, kwargs))
