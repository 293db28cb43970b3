"""Framework-neutral data types of emulated tool calling: tools, calls, parsed replies, turns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]

_EMPTY_OBJECT_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}}


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call.

    Attributes:
        name: The tool name the model must use.
        description: What the tool does, shown to the model.
        parameters: JSON schema (type ``object``) of the tool's arguments.
    """

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=lambda: dict(_EMPTY_OBJECT_SCHEMA))

    @classmethod
    def from_openai(cls, tool: Mapping[str, Any]) -> ToolSpec:
        """Build a spec from an OpenAI-style tool definition.

        Args:
            tool: Either ``{"type": "function", "function": {...}}`` or a bare
                ``{"name", "description", "parameters"}`` mapping. An Anthropic-style
                ``input_schema`` is accepted in place of ``parameters``.

        Returns:
            The tool spec.

        Raises:
            ValueError: If the definition has no tool name.
        """
        function = tool.get("function")
        body: Mapping[str, Any] = function if isinstance(function, Mapping) else tool
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"tool definition has no name: {dict(tool)!r}")
        params = body.get("parameters", body.get("input_schema"))
        parameters = dict(params) if isinstance(params, Mapping) else dict(_EMPTY_OBJECT_SCHEMA)
        parameters.setdefault("type", "object")
        description = body.get("description")
        return cls(
            name=name,
            description=description if isinstance(description, str) else "",
            parameters=parameters,
        )


@dataclass(frozen=True)
class ToolCall:
    """A well-formed tool call.

    Attributes:
        id: Unique call id (``call_<hex>``).
        name: Tool name.
        arguments: Arguments, already coerced to the tool's schema (as written for a tool
            that was not offered).
    """

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class InvalidToolCall:
    """A tool call the parser found but could not accept.

    Attributes:
        id: Unique call id.
        name: Tool name, if one could be read.
        raw_arguments: The arguments (or the whole call) as text, if any.
        error: Why the call was rejected.
    """

    id: str
    name: str | None
    raw_arguments: str | None
    error: str


@dataclass(frozen=True)
class ParsedReply:
    """The result of parsing a model reply.

    Attributes:
        text: The answer without reasoning and tool-call regions (empty when the reply is
            only a call).
        tool_calls: Calls, in reply order (a call of a tool that was not offered keeps the
            name the model wrote).
        invalid_tool_calls: Calls that were found but could not be read.
        reasoning: The text of the reply's leading ``<think>`` blocks ("" if none).
    """

    text: str
    tool_calls: list[ToolCall]
    invalid_tool_calls: list[InvalidToolCall]
    reasoning: str = ""


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, framework-neutral.

    Attributes:
        role: ``system``, ``user``, ``assistant`` or ``tool``.
        content: The message text.
        name: Optional speaker name (user) or tool name (tool result).
        tool_calls: Tool calls an assistant turn made.
        tool_call_id: For tool results, the id of the call being answered.
        is_error: For tool results, whether the tool failed.
    """

    role: Role
    content: str
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    is_error: bool = False


def new_call_id() -> str:
    """Return a new unique tool-call id such as ``call_3f9a…``."""
    import secrets  # loaded on first use: it imports hashlib (OpenSSL), a few ms at import time

    return "call_" + secrets.token_hex(12)
