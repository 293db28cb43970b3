"""Rendering a conversation, tools and answer format into one prompt, and corrective re-prompts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._choice import normalize_tool_choice, unwrap_response_format
from ._types import ToolCall, ToolSpec, Turn


def render_prompt(
    turns: Sequence[Turn],
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: str | None = None,
    response_schema: Mapping[str, Any] | None = None,
    parallel_tool_calls: bool = True,
) -> str:
    """Render a conversation, tools and output format into one prompt string.

    A lone user message with nothing else is sent as-is. Otherwise the prompt has these
    sections: instructions (all system turns), the conversation transcript with roles (tool
    results are linked to their call ids), the tool catalogue with JSON schemas and the reply
    protocol, the required answer format, and a closing instruction.

    Args:
        turns: The conversation, oldest first. Any order of roles is accepted.
        tools: Tools the model may call.
        tool_choice: ``auto`` (default), ``any``/``required``, ``none`` or a tool name.
        response_schema: When given, the model must answer with bare JSON matching this JSON
            schema. An empty mapping means "any JSON object" (JSON mode). OpenAI
            ``response_format`` wrappers are unwrapped (see :func:`unwrap_response_format`).
        parallel_tool_calls: ``False`` asks for at most one tool call per reply.

    Returns:
        The prompt.
    """
    choice = normalize_tool_choice(tool_choice, tools)
    system = [t.content.strip() for t in turns if t.role == "system" and t.content.strip()]
    transcript = [t for t in turns if t.role != "system"]
    schema = unwrap_response_format(response_schema)
    tools_active = bool(tools) and choice != "none"

    if (
        not tools
        and schema is None
        and not system
        and len(transcript) == 1
        and transcript[0].role == "user"
        and transcript[0].name is None
    ):
        return transcript[0].content

    sections: list[str] = []
    if system:
        sections.append("## Instructions\n" + "\n\n".join(system))
    if transcript:
        rendered = "\n\n".join(_render_turn(turn) for turn in transcript)
        sections.append("## Conversation so far\n" + rendered)
    if tools_active:
        sections.append(_render_tool_catalogue(tools))
        sections.append(_render_tool_protocol(tools, choice, parallel=parallel_tool_calls))
    if schema is not None:
        sections.append(_render_answer_format(schema, tools_active=tools_active))
    sections.append(_render_closing(transcript, tools, choice, has_schema=schema is not None))
    return "\n\n".join(sections)


def corrective_prompt(
    prompt: str,
    tools: Sequence[ToolSpec],
    tool_choice: str,
    *,
    previous_reply: str | None = None,
) -> str:
    """Build the prompt for one corrective retry when a required tool call is missing.

    Args:
        prompt: The prompt that was sent.
        tools: The available tools.
        tool_choice: The tool choice in force (``any``/``required`` or a tool name).
        previous_reply: The reply that lacked a valid call, quoted back to the model.

    Returns:
        The original prompt followed by a correction section.
    """
    choice = normalize_tool_choice(tool_choice, tools)
    if choice in ("auto", "none", "required"):
        target = "one or more of these tools: " + ", ".join(f"`{t.name}`" for t in tools)
    else:
        target = f"the tool `{choice}`"
    lines = ["## Correction"]
    if previous_reply is not None and previous_reply.strip():
        lines.append("Your previous reply was:\n<<<\n" + previous_reply.strip() + "\n>>>")
    lines.append(
        "That reply did not contain a valid tool call, but this turn requires calling "
        f"{target}. Reply again with ONLY the ```tool_calls block described above: valid "
        "JSON, the exact tool name, and arguments that match the tool's schema. No other text."
    )
    return prompt + "\n\n" + "\n\n".join(lines)


def json_corrective_prompt(prompt: str, *, previous_reply: str | None = None) -> str:
    """Build the prompt for one retry when a JSON answer was required but none was found.

    Args:
        prompt: The prompt that was sent.
        previous_reply: The reply that lacked valid JSON, quoted back to the model.

    Returns:
        The original prompt followed by a correction section.
    """
    lines = ["## Correction"]
    if previous_reply is not None and previous_reply.strip():
        lines.append("Your previous reply was:\n<<<\n" + previous_reply.strip() + "\n>>>")
    lines.append(
        "That reply was not valid JSON. Reply again with ONLY the JSON value described in "
        "the answer format above: no code fences, no prose, no comments."
    )
    return prompt + "\n\n" + "\n\n".join(lines)


def malformed_call_prompt(
    prompt: str, *, previous_reply: str | None = None, errors: Sequence[str] = ()
) -> str:
    """Build the prompt for one retry after a tool call that could not be read.

    Args:
        prompt: The prompt that was sent.
        previous_reply: The reply holding the unreadable call, quoted back to the model.
        errors: Why the call could not be read.

    Returns:
        The original prompt followed by a correction section.
    """
    lines = ["## Correction"]
    if previous_reply is not None and previous_reply.strip():
        lines.append("Your previous reply was:\n<<<\n" + previous_reply.strip() + "\n>>>")
    reason = "; ".join(dict.fromkeys(e for e in errors if e)) or "it was not valid JSON"
    lines.append(
        f"That reply tried to call a tool, but the call could not be read ({reason}). If you "
        "meant to call a tool, reply again with ONLY the ```tool_calls block described above: "
        "valid, complete JSON, the exact tool name, and arguments that match the tool's "
        "schema. Otherwise answer in plain text without any block."
    )
    return prompt + "\n\n" + "\n\n".join(lines)


def _render_turn(turn: Turn) -> str:
    if turn.role == "user":
        header = f"[User: {turn.name}]" if turn.name else "[User]"
        return f"{header}\n{turn.content}"
    if turn.role == "assistant":
        header = f"[Assistant: {turn.name}]" if turn.name else "[Assistant]"
        parts = [turn.content.strip()] if turn.content.strip() else []
        if turn.tool_calls:
            parts.append(_render_call_block(turn.tool_calls))
        return header + "\n" + ("\n".join(parts) if parts else "(empty reply)")
    kind = "Tool error" if turn.is_error else "Tool result"
    details = [f"call_id={turn.tool_call_id}"] if turn.tool_call_id else []
    if turn.name:
        details.append(f"tool={turn.name}")
    header = f"[{kind}" + (" " + " ".join(details) if details else "") + "]"
    return f"{header}\n{turn.content}"


def _render_call_block(calls: Sequence[ToolCall]) -> str:
    payload = {
        "tool_calls": [
            {"id": call.id, "name": call.name, "arguments": call.arguments} for call in calls
        ]
    }
    return "```tool_calls\n" + json.dumps(payload, ensure_ascii=False, default=str) + "\n```"


def _render_tool_catalogue(tools: Sequence[ToolSpec]) -> str:
    entries = ["## Tools\nYou can call these tools. Each one lists its arguments as a JSON schema."]
    for spec in tools:
        lines = [f"### {spec.name}"]
        if spec.description.strip():
            lines.append(spec.description.strip())
        params = _compact_schema(spec.parameters)
        lines.append("Arguments schema: " + json.dumps(params, ensure_ascii=False, default=str))
        entries.append("\n".join(lines))
    return "\n\n".join(entries)


def _render_tool_protocol(tools: Sequence[ToolSpec], choice: str, *, parallel: bool) -> str:
    example = tools[0].name if choice in ("auto", "required") else choice
    lines = [
        "## How to call tools",
        "To call tools, reply with only this block and no other text:",
        "```tool_calls",
        '{"tool_calls": [{"name": "' + example + '", "arguments": {...}}]}',
        "```",
        "Rules:",
        '- "name" is exactly one of the tool names above.',
        '- "arguments" is a JSON object matching that tool\'s schema, with correct JSON types '
        "(numbers as numbers, booleans as true/false). Use {} for a tool without arguments.",
        "- Copy text into arguments exactly, keeping its original language and characters.",
        "- To call several tools at once, put several objects in the list."
        if parallel
        else "- Call at most one tool per reply: put exactly one object in the list.",
        "- Tool results arrive in the next turn. Never invent or predict them.",
    ]
    if choice == "auto":
        lines.append(
            "- Call a tool only when it helps. Otherwise answer normally in plain text, "
            "without the block. Once tool results answer the request, reply in plain text."
        )
    elif choice == "required":
        lines.append("- In this reply you MUST call at least one tool: reply with the block only.")
    else:
        lines.append(
            f"- In this reply you MUST call the tool `{choice}`: reply with the block only."
        )
    return "\n".join(lines)


def _render_answer_format(schema: Mapping[str, Any], *, tools_active: bool) -> str:
    when = "When you answer without calling a tool, answer" if tools_active else "Answer"
    if not schema:
        body = f"{when} with only one JSON object."
    else:
        compact = json.dumps(_compact_schema(schema), ensure_ascii=False, default=str)
        body = f"{when} with only one JSON value that matches this JSON schema:\n{compact}"
    return (
        "## Answer format\n"
        + body
        + "\nNo code fences, no explanations, no comments: the reply must start with { and be "
        "valid JSON. Use the exact property names from the schema."
    )


def _render_closing(
    transcript: Sequence[Turn], tools: Sequence[ToolSpec], choice: str, *, has_schema: bool
) -> str:
    lines = ["## Your turn", "Write the assistant's next reply to the conversation above."]
    if transcript and transcript[-1].role == "tool":
        lines.append("The tool results above answer your earlier tool calls; use them.")
    if tools and choice == "none":
        lines.append("Do not call any tools now; answer in plain text.")
    elif tools and choice == "required":
        lines.append("Remember: reply with a ```tool_calls block only.")
    elif tools and choice != "auto":
        lines.append(f"Remember: reply with a ```tool_calls block calling `{choice}` only.")
    elif has_schema:
        lines.append("Remember: reply with bare JSON only.")
    return "\n".join(lines)


def _compact_schema(schema: Any, *, in_properties: bool = False) -> Any:
    """Drop schema ``title`` noise (but never a property that happens to be called ``title``)."""
    if isinstance(schema, Mapping):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if not in_properties and key == "title" and isinstance(value, str):
                continue
            out[key] = _compact_schema(
                value, in_properties=key == "properties" and not in_properties
            )
        return out
    if isinstance(schema, list):
        return [_compact_schema(item) for item in schema]
    return schema
