"""Normalisation of the caller's ``tool_choice`` and ``response_format`` spellings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._types import ToolSpec


def normalize_tool_choice(
    tool_choice: str | bool | Mapping[str, Any] | None,
    tools: Sequence[ToolSpec] = (),
    *,
    strict: bool = False,
) -> str:
    """Normalize the many spellings of ``tool_choice``.

    Args:
        tool_choice: ``None``/``"auto"``, ``"any"``/``"required"``/``True``,
            ``"none"``/``False``, a tool name, or the dict forms of OpenAI
            (``{"type": "function", "function": {"name": ...}}``) and Anthropic
            (``{"type": "tool", "name": ...}``, ``{"type": "any" | "auto" | "none"}``).
        tools: The available tools; used to recognize tool names.
        strict: Raise for a tool name that is not among ``tools`` (and for an unreadable
            dict) instead of treating it as ``"required"``.

    Returns:
        ``"auto"``, ``"required"``, ``"none"`` or the name of a tool in ``tools``. Unless
        ``strict``, a name that is not among the tools, or a dict naming none, is treated as
        ``"required"``.

    Raises:
        ValueError: With ``strict``, for a name that no tool has.
    """
    original = tool_choice
    if isinstance(tool_choice, Mapping):
        function = tool_choice.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            tool_choice = function["name"]
        elif isinstance(tool_choice.get("name"), str):
            tool_choice = tool_choice["name"]
        else:
            kind = tool_choice.get("type")
            if strict and kind not in ("auto", "none", "any", "required"):
                raise ValueError(f"tool_choice names no tool: {dict(original)!r}")  # type: ignore[arg-type]
            tool_choice = kind if kind in ("auto", "none", "any", "required") else "required"
    if tool_choice is None or tool_choice == "auto":
        return "auto"
    if tool_choice is True or tool_choice in ("any", "required"):
        return "required"
    if tool_choice is False or tool_choice == "none":
        return "none"
    if any(spec.name == tool_choice for spec in tools):
        return str(tool_choice)
    if strict:
        known = ", ".join(repr(spec.name) for spec in tools) or "none"
        raise ValueError(
            f"tool_choice={tool_choice!r} is not one of the bound tools ({known}) nor "
            "'auto', 'any', 'required' or 'none'"
        )
    return "required"


def unwrap_response_format(response_format: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Read the JSON schema that an OpenAI-style ``response_format`` asks for.

    Args:
        response_format: ``None`` (free text), a JSON schema,
            ``{"type": "json_schema", "json_schema": {"schema": ...}}``, or
            ``{"type": "json_object"}`` (JSON mode; a ``"schema"`` key is read if present).

    Returns:
        ``None`` for free text, else the schema (a new dict); ``{}`` means any JSON object.
    """
    if response_format is None:
        return None
    kind = response_format.get("type")
    if kind in ("json_schema", "json_object"):
        inner = response_format.get("json_schema") if kind == "json_schema" else response_format
        schema = inner.get("schema") if isinstance(inner, Mapping) else None
        return dict(schema) if isinstance(schema, Mapping) else {}
    return dict(response_format)
