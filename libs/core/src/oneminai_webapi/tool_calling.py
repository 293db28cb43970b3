"""Prompt-based ("emulated") tool calling and structured output for 1min.AI.

1min.AI takes one prompt string per request and has no native tool calling. This module turns
a conversation plus tool definitions into one prompt, and parses the model's reply back into
tool calls. It has no dependency on LangChain or LlamaIndex, so both adapters share it.

The reply protocol the model is asked to follow is a fenced block::

    ```tool_calls
    {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}
    ```

The parser is deliberately more lenient than the protocol: it also accepts bare JSON, prose
around the JSON, ``<tool_call>`` tags, OpenAI-like shapes and arguments given as JSON strings, and
it coerces argument values to the tool's JSON schema (``"3"`` → ``3``).

Adapters use :class:`ReplyPlan` for one chat turn: it renders the prompt, interprets the reply
into a :class:`ReplyOutcome` (whole, or streamed through a :class:`ReplyAssembler` that says
which prefix is safe to show early) and builds the corrective re-prompt when a required tool
call or JSON answer is missing. Only the mapping onto framework types stays in the adapters.

Example:
    >>> spec = ToolSpec.from_openai(
    ...     {"name": "add", "parameters": {"type": "object",
    ...      "properties": {"a": {"type": "integer"}}}})
    >>> reply = parse_reply('{"name": "add", "arguments": {"a": "3"}}', [spec])
    >>> reply.tool_calls[0].arguments
    {'a': 3}
"""

from __future__ import annotations

import ast
import json
import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "InvalidToolCall",
    "ParsedReply",
    "ReplyAssembler",
    "ReplyOutcome",
    "ReplyPlan",
    "ToolCall",
    "ToolSpec",
    "Turn",
    "coerce_arguments",
    "corrective_prompt",
    "extract_json",
    "json_corrective_prompt",
    "new_call_id",
    "normalize_tool_choice",
    "parse_reply",
    "render_prompt",
    "stream_safe_prefix",
    "unwrap_response_format",
]

Role = Literal["system", "user", "assistant", "tool"]

_EMPTY_OBJECT_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}}

#: Fence languages that announce a tool call; malformed content in them is an invalid call.
_TOOL_FENCE_LANGS = frozenset(
    {"tool_calls", "tool_call", "toolcalls", "toolcall", "tool", "tools", "function_call"}
)
#: Keys that may hold a call's arguments, in order of preference.
_ARGUMENT_KEYS = ("arguments", "args", "parameters", "input", "tool_input", "params", "kwargs")
#: Keys that may hold a call's tool name.
_NAME_KEYS = ("name", "tool", "tool_name", "function_name")
#: Keys that never count as arguments when arguments are given inline.
_META_KEYS = frozenset({*_NAME_KEYS, "id", "type", "call_id", "index"})

_FENCE_RE = re.compile(r"```[ \t]*([A-Za-z_][\w\-]*)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
_OPEN_TOOL_FENCE_RE = re.compile(
    r"```[ \t]*(tool_calls?|toolcalls?|function_call)\b[ \t]*\r?\n?(.*)\Z", re.DOTALL
)
_TAG_RE = re.compile(r"<(tool_calls?|function_calls?)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_THINK_RE = re.compile(r"<(think|thinking|reasoning)>.*?(?:</\1>|\Z)", re.DOTALL | re.IGNORECASE)
_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")
_NAME_HINT_RE = re.compile(r"""["'](?:name|tool|tool_calls)["']\s*:""")
_NAME_VALUE_RE = re.compile(r"""["'](?:name|tool)["']\s*:\s*["']([^"']+)["']""")

_TRUE_STRINGS = frozenset({"true", "yes", "y", "1", "on"})
_FALSE_STRINGS = frozenset({"false", "no", "n", "0", "off"})
_MAX_LITERAL_EVAL = 50_000
_MAX_SCHEMA_DEPTH = 32


# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------


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
    """A well-formed call of a known tool.

    Attributes:
        id: Unique call id (``call_<hex>``).
        name: Tool name.
        arguments: Arguments, already coerced to the tool's schema.
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
        text: The reply without the tool-call JSON (empty when the reply is only a call).
        tool_calls: Valid calls, in reply order.
        invalid_tool_calls: Calls that were found but rejected.
    """

    text: str
    tool_calls: list[ToolCall]
    invalid_tool_calls: list[InvalidToolCall]


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


# --------------------------------------------------------------------------------------------
# Small public helpers
# --------------------------------------------------------------------------------------------


def new_call_id() -> str:
    """Return a new unique tool-call id such as ``call_3f9a…``."""
    return "call_" + secrets.token_hex(12)


def normalize_tool_choice(
    tool_choice: str | bool | Mapping[str, Any] | None, tools: Sequence[ToolSpec] = ()
) -> str:
    """Normalize the many spellings of ``tool_choice``.

    Args:
        tool_choice: ``None``/``"auto"``, ``"any"``/``"required"``/``True``,
            ``"none"``/``False``, a tool name, or the dict forms of OpenAI
            (``{"type": "function", "function": {"name": ...}}``) and Anthropic
            (``{"type": "tool", "name": ...}``, ``{"type": "any" | "auto" | "none"}``).
        tools: The available tools; used to recognize tool names.

    Returns:
        ``"auto"``, ``"required"``, ``"none"`` or the name of a tool in ``tools``. A name that
        is not among the tools, or a dict naming none, is treated as ``"required"``.
    """
    if isinstance(tool_choice, Mapping):
        function = tool_choice.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            tool_choice = function["name"]
        elif isinstance(tool_choice.get("name"), str):
            tool_choice = tool_choice["name"]
        else:
            kind = tool_choice.get("type")
            tool_choice = kind if kind in ("auto", "none", "any", "required") else "required"
    if tool_choice is None or tool_choice == "auto":
        return "auto"
    if tool_choice is True or tool_choice in ("any", "required"):
        return "required"
    if tool_choice is False or tool_choice == "none":
        return "none"
    if any(spec.name == tool_choice for spec in tools):
        return str(tool_choice)
    return "required"


def stream_safe_prefix(text: str) -> str:
    """Return the part of a partial reply that can be streamed before parsing completes.

    This is the text before anything that could start a tool call (a code fence, ``{``,
    ``[`` or a ``<`` tag), without leading or trailing whitespace. For the full reply,
    ``parse_reply(text, tools).text`` always starts with this prefix, so an adapter may stream
    it early and still produce exactly the same final text as a non-streaming call.

    Args:
        text: The reply received so far.

    Returns:
        The streamable prefix (possibly empty).
    """
    cut = len(text)
    for marker in ("`", "{", "[", "<"):
        index = text.find(marker)
        if index != -1:
            cut = min(cut, index)
    return text[:cut].strip()


# --------------------------------------------------------------------------------------------
# Prompt rendering
# --------------------------------------------------------------------------------------------


def render_prompt(
    turns: Sequence[Turn],
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: str | None = None,
    response_schema: Mapping[str, Any] | None = None,
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
        sections.append(_render_tool_protocol(tools, choice))
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


def _render_tool_protocol(tools: Sequence[ToolSpec], choice: str) -> str:
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
        "- To call several tools at once, put several objects in the list.",
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


# --------------------------------------------------------------------------------------------
# Reply parsing
# --------------------------------------------------------------------------------------------


@dataclass
class _RawCall:
    """A call-shaped object found in the reply, before validation."""

    name: Any
    arguments: Any
    raw: str
    error: str | None = None


@dataclass
class _Span:
    """A region of the reply that holds tool calls (and is removed from the text)."""

    start: int
    end: int
    calls: list[_RawCall]


def parse_reply(
    text: str,
    tools: Sequence[ToolSpec],
    *,
    id_factory: Callable[[], str] | None = None,
) -> ParsedReply:
    """Find tool calls in a model reply.

    Accepted shapes include the fenced ``tool_calls`` protocol, bare JSON (possibly with prose
    around it), ``<tool_call>`` tags, several calls (a list, a ``tool_calls`` array or several
    objects), ``{"name", "arguments"|"args"|"parameters"|"input"}``,
    ``{"function": {"name", "arguments"}}``, ``{"tool", "tool_input"}``, and arguments given as a
    JSON string. Arguments are coerced to the tool's schema. Calls of unknown tools and
    unparsable arguments become :class:`InvalidToolCall`. ``<think>`` blocks are never searched.

    This function never raises.

    Args:
        text: The model reply.
        tools: The tools that were offered. With no tools, the reply is returned as text.
        id_factory: Produces call ids; defaults to :func:`new_call_id`. Ids are made unique.

    Returns:
        The parsed reply.
    """
    make_id = id_factory or new_call_id
    try:
        return _parse_reply(text, tools, make_id)
    except Exception:  # a parser bug must never break a chat turn; fall back to plain text
        return ParsedReply(text=text.strip(), tool_calls=[], invalid_tool_calls=[])


def _parse_reply(text: str, tools: Sequence[ToolSpec], make_id: Callable[[], str]) -> ParsedReply:
    if not tools or not text.strip():
        return ParsedReply(text=text.strip(), tool_calls=[], invalid_tool_calls=[])
    by_name = {spec.name: spec for spec in tools}
    masked = _mask_thinking(text)
    spans = _find_spans(masked, by_name)

    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    used_ids: set[str] = set()
    for span in spans:
        for raw in span.calls:
            call_id = _unique_id(make_id, used_ids)
            result = _validate_call(raw, by_name, call_id)
            if isinstance(result, ToolCall):
                calls.append(result)
            else:
                invalid.append(result)

    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        cursor = span.end
    pieces.append(text[cursor:])
    remaining = "\n\n".join(piece.strip() for piece in pieces if piece.strip())
    return ParsedReply(text=remaining, tool_calls=calls, invalid_tool_calls=invalid)


def _unique_id(make_id: Callable[[], str], used: set[str]) -> str:
    call_id = make_id()
    while call_id in used:
        call_id = new_call_id()
    used.add(call_id)
    return call_id


def _mask_thinking(text: str) -> str:
    """Blank out reasoning blocks, keeping offsets, so JSON inside them is never parsed."""
    return _THINK_RE.sub(lambda m: " " * len(m.group(0)), text)


def _find_spans(masked: str, by_name: Mapping[str, ToolSpec]) -> list[_Span]:
    spans: list[_Span] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in spans)

    for match in _FENCE_RE.finditer(masked):
        span = _span_from_block(match.start(), match.end(), match.group(2), match.group(1), by_name)
        if span is not None:
            spans.append(span)
    # A tool fence the model never closed (truncated reply or a stop sequence).
    last_fence = masked.rfind("```")
    open_fence = _OPEN_TOOL_FENCE_RE.match(masked, last_fence) if last_fence >= 0 else None
    if open_fence is not None and free(last_fence, last_fence + 3):
        span = _span_from_block(
            last_fence, len(masked), open_fence.group(2), open_fence.group(1), by_name
        )
        if span is not None:
            spans.append(span)
    for match in _TAG_RE.finditer(masked):
        if free(match.start(), match.end()):
            span = _span_from_block(
                match.start(), match.end(), match.group(2), "tool_call", by_name
            )
            if span is not None:
                spans.append(span)
    spans.extend(_bare_json_spans(masked, by_name, spans))
    spans.sort(key=lambda s: s.start)
    return spans


def _span_from_block(
    start: int, end: int, body: str, lang: str | None, by_name: Mapping[str, ToolSpec]
) -> _Span | None:
    """Turn a fenced or tagged block into a span, or ``None`` if it holds no tool call."""
    values, failed = _decode_all(body)
    calls: list[_RawCall] = []
    for value in values:
        calls.extend(_calls_from_value(value, by_name))
    is_tool_block = (lang or "").lower() in _TOOL_FENCE_LANGS
    if calls:
        return _Span(start, end, calls)
    if is_tool_block and (failed or body.strip()):
        error = "could not parse the tool-call block as JSON" if failed else "no tool call found"
        return _Span(start, end, [_RawCall(_guess_name(body), None, body.strip(), error)])
    return None


def _bare_json_spans(
    masked: str, by_name: Mapping[str, ToolSpec], taken: Sequence[_Span]
) -> list[_Span]:
    found: list[_Span] = []
    decoder = json.JSONDecoder()
    index = 0
    length = len(masked)
    while index < length:
        char = masked[index]
        if char not in "{[":
            index += 1
            continue
        inside = next((s for s in taken if s.start <= index < s.end), None)
        if inside is not None:
            index = inside.end
            continue
        try:
            value, end = decoder.raw_decode(masked, index)
        except (ValueError, RecursionError):
            span = _malformed_call_span(masked, index, by_name)
            if span is not None:
                found.append(span)
                index = span.end
            else:
                index += 1
            continue
        calls = _calls_from_value(value, by_name)
        if calls:
            found.append(_Span(index, end, calls))
        index = max(end, index + 1)
    return found


def _malformed_call_span(masked: str, start: int, by_name: Mapping[str, ToolSpec]) -> _Span | None:
    """Handle a ``{`` that does not start valid JSON but looks like a tool-call attempt."""
    if masked[start] != "{" or not _NAME_HINT_RE.search(masked, start, start + 200):
        return None
    end = _balanced_end(masked, start)
    if end is None:
        return None
    body = masked[start:end]
    try:
        value = _loads_lenient(body)
    except ValueError:
        name = _guess_name(body)
        if name is None and '"tool_calls"' not in body:
            return None
        return _Span(start, end, [_RawCall(name, None, body, "could not parse tool call as JSON")])
    calls = _calls_from_value(value, by_name)
    return _Span(start, end, calls) if calls else None


def _balanced_end(text: str, start: int) -> int | None:
    """Return the index after the brace matching ``text[start]``, string-aware."""
    depth = 0
    in_string = False
    escaped = False
    quote = ""
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                in_string = False
        elif char in "\"'":
            in_string, quote = True, char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _decode_all(body: str) -> tuple[list[Any], bool]:
    """Decode every JSON value in a block; return the values and whether anything failed."""
    stripped = body.strip()
    if not stripped:
        return [], False
    try:
        return [_loads_lenient(stripped)], False
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    values: list[Any] = []
    index = 0
    while index < len(stripped):
        if stripped[index] in " \t\r\n,;":
            index += 1
            continue
        try:
            value, index = decoder.raw_decode(stripped, index)
        except (ValueError, RecursionError):
            return values, True
        values.append(value)
    return values, False


def _loads_lenient(text: str) -> Any:
    """Parse JSON, tolerating trailing commas and Python-literal dicts.

    Raises:
        ValueError: If the text cannot be parsed.
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    repaired = _TRAILING_COMMA_RE.sub(r"\1", text)
    try:
        return json.loads(repaired)
    except (ValueError, RecursionError):
        pass
    if len(text) <= _MAX_LITERAL_EVAL:
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass
        else:
            if isinstance(value, (dict, list)):
                return _jsonable(value)
    raise ValueError("not valid JSON")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def _guess_name(body: str) -> str | None:
    match = _NAME_VALUE_RE.search(body)
    return match.group(1) if match else None


def _calls_from_value(value: Any, by_name: Mapping[str, ToolSpec]) -> list[_RawCall]:
    """Extract call-shaped objects from a decoded JSON value (empty if it is not a call)."""
    if isinstance(value, list):
        calls = [_call_from_object(item, by_name) for item in value]
        if value and all(call is not None for call in calls):
            return [call for call in calls if call is not None]
        return []
    if not isinstance(value, dict):
        return []
    wrapped = value.get("tool_calls", value.get("function_calls"))
    if isinstance(wrapped, dict):
        wrapped = [wrapped]
    if isinstance(wrapped, list):
        result: list[_RawCall] = []
        for item in wrapped:
            call = _call_from_object(item, by_name, known_call=True)
            if call is None:
                error = "tool call has no tool name" if isinstance(item, dict) else None
                call = _RawCall(None, None, _dump(item), error or "unrecognized tool call shape")
            result.append(call)
        return result
    call = _call_from_object(value, by_name)
    return [call] if call is not None else []


def _call_from_object(
    obj: Any, by_name: Mapping[str, ToolSpec], *, known_call: bool = False
) -> _RawCall | None:
    """Read one call from an object, or return ``None`` if it does not look like a call."""
    if not isinstance(obj, dict):
        return None
    raw = _dump(obj)
    body = obj
    for nested_key in ("function", "function_call"):
        nested = obj.get(nested_key)
        if isinstance(nested, dict) and any(k in nested for k in _NAME_KEYS):
            body = nested
            break
    name = next((body[k] for k in _NAME_KEYS if isinstance(body.get(k), str)), None)
    if name is None:
        # {"tool_name": {...arguments...}}
        if len(body) == 1:
            key, inner = next(iter(body.items()))
            if key in by_name and isinstance(inner, (dict, str)):
                return _RawCall(key, inner, raw)
        return None
    spec = by_name.get(name)
    declared = spec.parameters.get("properties") if spec is not None else None
    for key in _ARGUMENT_KEYS:
        if key not in body:
            continue
        value = body[key]
        # {"name": "f", "input": 3} where "input" is the tool's own parameter: inline arguments.
        if isinstance(declared, Mapping) and key in declared and not isinstance(value, (dict, str)):
            break
        return _RawCall(name, value, raw)
    if spec is not None or known_call:
        inline = {k: v for k, v in body.items() if k not in _META_KEYS}
        return _RawCall(name, inline, raw)
    return None


def _validate_call(
    raw: _RawCall, by_name: Mapping[str, ToolSpec], call_id: str
) -> ToolCall | InvalidToolCall:
    name = raw.name if isinstance(raw.name, str) else None
    if raw.error is not None:
        return InvalidToolCall(call_id, name, raw.raw, raw.error)
    if name is None:
        return InvalidToolCall(call_id, None, raw.raw, "tool call has no tool name")
    spec = by_name.get(name) or _fuzzy_tool(name, by_name)
    arguments: Any = raw.arguments
    raw_arguments = arguments if isinstance(arguments, str) else _dump(arguments)
    if spec is None:
        known = ", ".join(sorted(by_name))
        return InvalidToolCall(
            call_id, name, raw_arguments, f"unknown tool {name!r}; available tools: {known}"
        )
    if arguments is None:
        arguments = {}
    elif isinstance(arguments, str):
        if not arguments.strip():
            arguments = {}
        else:
            try:
                arguments = _loads_lenient(arguments)
            except ValueError:
                return InvalidToolCall(
                    call_id, spec.name, raw_arguments, "arguments are not valid JSON"
                )
    if not isinstance(arguments, dict):
        return InvalidToolCall(call_id, spec.name, raw_arguments, "arguments must be a JSON object")
    return ToolCall(call_id, spec.name, coerce_arguments(arguments, spec.parameters))


def _fuzzy_tool(name: str, by_name: Mapping[str, ToolSpec]) -> ToolSpec | None:
    """Match a tool name ignoring case, ``functions.`` prefixes and ``-``/``_`` differences."""

    def norm(value: str) -> str:
        return value.rsplit(".", 1)[-1].strip().lower().replace("-", "_").replace(" ", "_")

    matches = [spec for key, spec in by_name.items() if norm(key) == norm(name)]
    return matches[0] if len(matches) == 1 else None


def _dump(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        return str(value)


# --------------------------------------------------------------------------------------------
# Argument coercion
# --------------------------------------------------------------------------------------------


def coerce_arguments(arguments: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce call arguments to a tool's JSON schema.

    Conversions are conservative and only applied when the schema asks for another type:
    ``"3"`` → ``3`` (integer), ``"2.5"`` → ``2.5`` (number), ``"true"`` → ``True`` (boolean),
    ``3`` → ``"3"`` (string), JSON strings → objects/arrays, a scalar → a one-item array,
    enum values matched case-insensitively, and nested objects/arrays recursively (``$ref``,
    ``anyOf``/``oneOf`` and type lists are followed). Keys are dropped only when the schema
    declares no properties at all or forbids additional properties, so a no-argument tool
    always gets ``{}``. Values that cannot be converted are left unchanged.

    Args:
        arguments: The arguments the model produced.
        schema: The tool's parameters schema.

    Returns:
        The coerced arguments (a new dict).
    """
    result = _Coercer(schema).coerce(dict(arguments), schema, 0)
    return result if isinstance(result, dict) else dict(arguments)


class _Coercer:
    """Schema-directed value coercion with ``$ref`` resolution against one root schema."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def coerce(self, value: Any, schema: Any, depth: int) -> Any:
        if not isinstance(schema, Mapping) or depth > _MAX_SCHEMA_DEPTH:
            return value
        schema = self._resolve(schema, depth)
        options = self._options(schema)
        if options is not None:
            return self._coerce_union(value, options, depth)
        result = self._coerce_type(value, schema.get("type"), schema, depth)
        return self._coerce_enum(result, schema.get("enum"))

    def _resolve(self, schema: Mapping[str, Any], depth: int) -> Mapping[str, Any]:
        for _ in range(_MAX_SCHEMA_DEPTH):
            ref = schema.get("$ref")
            if isinstance(ref, str):
                target = self._lookup(ref)
                if target is None:
                    return schema
                merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
                schema = merged
                continue
            all_of = schema.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
                rest = {k: v for k, v in schema.items() if k != "allOf"}
                schema = {**all_of[0], **rest}
                continue
            return schema
        return schema

    def _lookup(self, ref: str) -> Mapping[str, Any] | None:
        if not ref.startswith("#/"):
            return None
        node: Any = self.root
        for part in ref[2:].split("/"):
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, Mapping) else None

    @staticmethod
    def _options(schema: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
        for key in ("anyOf", "oneOf"):
            choices = schema.get(key)
            if isinstance(choices, list) and choices:
                return [c for c in choices if isinstance(c, Mapping)]
        kind = schema.get("type")
        if isinstance(kind, list) and kind:
            return [{**schema, "type": k} for k in kind if isinstance(k, str)]
        return None

    def _coerce_union(self, value: Any, options: Sequence[Mapping[str, Any]], depth: int) -> Any:
        resolved = [self._resolve(option, depth) for option in options]
        if any(_matches(value, option) for option in resolved):
            # Already valid for some branch; still normalize nested content in that branch.
            branch = next(option for option in resolved if _matches(value, option))
            return self.coerce(value, branch, depth + 1)
        for option in resolved:
            if option.get("type") == "null":
                continue
            candidate = self.coerce(value, option, depth + 1)
            if _matches(candidate, option):
                return candidate
        if any(option.get("type") == "null" for option in resolved) and _is_null_text(value):
            return None
        return value

    def _coerce_type(self, value: Any, kind: Any, schema: Mapping[str, Any], depth: int) -> Any:
        if kind == "object" or (kind is None and "properties" in schema):
            return self._coerce_object(value, schema, depth)
        if kind == "array":
            return self._coerce_array(value, schema, depth)
        if kind == "integer":
            return _to_integer(value)
        if kind == "number":
            return _to_number(value)
        if kind == "boolean":
            return _to_boolean(value)
        if kind == "string":
            return _to_string(value)
        if kind == "null" and _is_null_text(value):
            return None
        return value

    def _coerce_object(self, value: Any, schema: Mapping[str, Any], depth: int) -> Any:
        if isinstance(value, str):
            value = _try_json(value, dict)
        if not isinstance(value, dict):
            return value
        properties = schema.get("properties")
        props: Mapping[str, Any] = properties if isinstance(properties, Mapping) else {}
        extra = schema.get("additionalProperties")
        drop_unknown = extra is False or (
            isinstance(properties, Mapping) and not properties and not extra
        )
        normalized = {_norm_key(key): key for key in props}
        out: dict[str, Any] = {}
        for key, item in value.items():
            target = key if key in props else normalized.get(_norm_key(str(key)))
            if target is not None:
                out[target] = self.coerce(item, props[target], depth + 1)
            elif isinstance(extra, Mapping):
                out[key] = self.coerce(item, extra, depth + 1)
            elif not drop_unknown:
                out[key] = item
        return out

    def _coerce_array(self, value: Any, schema: Mapping[str, Any], depth: int) -> Any:
        if isinstance(value, str):
            parsed = _try_json(value, list)
            value = parsed if isinstance(parsed, list) else [value]
        elif isinstance(value, tuple):
            value = list(value)
        elif value is not None and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            return value
        items = schema.get("items")
        if isinstance(items, Mapping):
            return [self.coerce(item, items, depth + 1) for item in value]
        return value

    @staticmethod
    def _coerce_enum(value: Any, enum: Any) -> Any:
        if not isinstance(enum, list) or value in enum:
            return value
        if isinstance(value, str):
            lowered = value.strip().lower()
            for option in enum:
                if isinstance(option, str) and option.lower() == lowered:
                    return option
            number = _to_number(value)
            for option in enum:
                is_number = isinstance(option, (int, float)) and not isinstance(option, bool)
                if is_number and number == option:
                    return option
        return value


def _matches(value: Any, schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    if isinstance(kind, list):
        return any(_matches(value, {"type": k}) for k in kind)
    checks: dict[str, Callable[[Any], bool]] = {
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "null": lambda v: v is None,
    }
    if isinstance(kind, str) and kind in checks:
        if not checks[kind](value):
            return False
    elif "properties" in schema and not isinstance(value, dict):
        return False
    enum = schema.get("enum")
    return not isinstance(enum, list) or value in enum


def _to_integer(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if _INT_RE.fullmatch(text):
            return int(text)
        if _FLOAT_RE.fullmatch(text):
            number = float(text)
            if number.is_integer():
                return int(number)
    return value


def _to_number(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if _INT_RE.fullmatch(text):
            return int(text)
        if _FLOAT_RE.fullmatch(text):
            return float(text)
    return value


def _to_boolean(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE_STRINGS:
            return True
        if lowered in _FALSE_STRINGS:
            return False
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _to_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dict, list)):
        return _dump(value)
    return value


def _is_null_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("null", "none"))


def _try_json(text: str, kind: type) -> Any:
    try:
        value = _loads_lenient(text)
    except ValueError:
        return text
    return value if isinstance(value, kind) else text


def _norm_key(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


# --------------------------------------------------------------------------------------------
# Structured output
# --------------------------------------------------------------------------------------------


def extract_json(text: str) -> Any:
    """Extract one JSON value from a model reply.

    Handles a reply that is bare JSON, JSON inside a code fence (```` ```json ````), JSON with
    prose before or after it, and reasoning blocks (``<think>…</think>``) before it. Trailing
    commas are tolerated.

    Args:
        text: The model reply.

    Returns:
        The first JSON object found; when there is none, the longest JSON array.

    Raises:
        ValueError: If the reply contains no JSON value.
    """
    cleaned = _THINK_RE.sub("", text).strip()
    for candidate in _json_candidates(cleaned):
        try:
            return _loads_lenient(candidate)
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    first_array: list[Any] | None = None
    best_array_length = 0
    index = 0
    while index < len(cleaned):
        char = cleaned[index]
        if char not in "{[":
            index += 1
            continue
        try:
            value, end = decoder.raw_decode(cleaned, index)
        except (ValueError, RecursionError):
            repaired = _repair_object(cleaned, index) if char == "{" else None
            if repaired is not None:
                return repaired
            index += 1
            continue
        if isinstance(value, dict):
            return value
        if isinstance(value, list) and end - index > best_array_length:
            first_array, best_array_length = value, end - index
        index = end
    if first_array is not None:
        return first_array
    raise ValueError("no JSON value found in the model reply")


def _repair_object(text: str, start: int) -> dict[str, Any] | None:
    end = _balanced_end(text, start)
    if end is None:
        return None
    try:
        value = _loads_lenient(text[start:end])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_candidates(cleaned: str) -> Iterator[str]:
    yield cleaned
    for match in _FENCE_RE.finditer(cleaned):
        yield match.group(2).strip()
    if cleaned.startswith("```"):
        # An unterminated fence: drop the opening line.
        yield cleaned.split("\n", 1)[-1].strip()


# --------------------------------------------------------------------------------------------
# Reply interpretation for adapters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyPlan:
    """What one chat turn's reply must look like, and how much of it may stream early.

    Build it with :meth:`create`; render the prompt with :meth:`render`; read a whole reply
    with :meth:`interpret`, or a streamed one with a :class:`ReplyAssembler`.

    The streaming :attr:`mode` is:

    * ``text`` (no tools active, no JSON answer): text streams as it arrives; stop sequences
      are applied client-side, holding back just enough characters never to emit part of one.
    * ``auto`` (tools active, ``tool_choice="auto"``): text streams until something that
      could start a tool call appears (see :func:`stream_safe_prefix`).
    * ``buffered`` (a tool call is required, or a JSON answer is): nothing streams until the
      reply is complete, which is what allows an invisible corrective retry.

    Attributes:
        tools: The tools offered.
        tool_choice: Normalized choice: ``auto``, ``required``, ``none`` or a tool name.
        response_schema: ``None`` for free text; the JSON schema of a bare-JSON answer
            (``{}``: any JSON object).
        stop: Stop sequences, applied client-side.
        parallel_tool_calls: ``False`` keeps only the first valid tool call of a reply.
    """

    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str = "auto"
    response_schema: Mapping[str, Any] | None = None
    stop: tuple[str, ...] = ()
    parallel_tool_calls: bool = True

    @classmethod
    def create(
        cls,
        tools: Sequence[ToolSpec] = (),
        tool_choice: str | bool | Mapping[str, Any] | None = None,
        response_format: Mapping[str, Any] | None = None,
        *,
        stop: Sequence[str] = (),
        parallel_tool_calls: bool = True,
    ) -> ReplyPlan:
        """Build a plan from the caller's spellings.

        Args:
            tools: The tools offered.
            tool_choice: Any spelling :func:`normalize_tool_choice` accepts.
            response_format: A JSON schema or OpenAI ``response_format`` (see
                :func:`unwrap_response_format`); ``None`` for free text.
            stop: Stop sequences (empty ones are ignored).
            parallel_tool_calls: Whether a reply may hold more than one tool call.

        Returns:
            The plan.
        """
        specs = tuple(tools)
        return cls(
            tools=specs,
            tool_choice=normalize_tool_choice(tool_choice, specs),
            response_schema=unwrap_response_format(response_format),
            stop=tuple(s for s in stop if s),
            parallel_tool_calls=parallel_tool_calls,
        )

    @property
    def tools_active(self) -> bool:
        """Whether the model may call tools in this reply."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def call_required(self) -> bool:
        """Whether this reply must contain a tool call (``required`` or a named tool)."""
        return self.tools_active and self.tool_choice != "auto"

    @property
    def mode(self) -> Literal["text", "auto", "buffered"]:
        """How text is streamed (see the class docstring)."""
        if self.call_required or self.response_schema is not None:
            return "buffered"
        return "auto" if self.tools_active else "text"

    def render(self, turns: Sequence[Turn]) -> str:
        """Render the prompt for ``turns`` with this plan's tools and answer format."""
        return render_prompt(
            turns,
            tools=self.tools,
            tool_choice=self.tool_choice,
            response_schema=self.response_schema,
        )

    def retry_prompt(self, prompt: str, previous_reply: str) -> str:
        """The corrective prompt after a reply that missed its required form.

        Args:
            prompt: The prompt originally sent.
            previous_reply: The reply that lacked the required tool call or JSON answer.

        Returns:
            A tool-call correction when a call is required, else a JSON correction.
        """
        if self.call_required:
            return corrective_prompt(
                prompt, self.tools, self.tool_choice, previous_reply=previous_reply
            )
        return json_corrective_prompt(prompt, previous_reply=previous_reply)

    def interpret(self, text: str) -> ReplyOutcome:
        """Interpret a complete, non-streamed reply (``stop`` sequences still apply)."""
        assembler = ReplyAssembler(self)
        assembler._receive(text)
        return assembler.finish()


@dataclass(frozen=True)
class ReplyOutcome:
    """A reply read according to its :class:`ReplyPlan`.

    Attributes:
        content: The message text: the reply without tool-call JSON, or the bare JSON answer.
        tail: The part of ``content`` not streamed yet (all of it for a non-streamed reply).
        tool_calls: Valid tool calls (only the first when parallel calls are off).
        invalid_tool_calls: Tool calls that were found but rejected.
        missing_call: A required tool call is missing (a corrective retry may help).
        missing_json: A JSON answer was required and the reply holds none.
        stopped: A stop sequence ended the reply.
        raw_text: The reply text after stop-sequence truncation.
    """

    content: str = ""
    tail: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    missing_call: bool = False
    missing_json: bool = False
    stopped: bool = False
    raw_text: str = ""

    @property
    def satisfied(self) -> bool:
        """Whether the reply has the form its plan requires."""
        return not (self.missing_call or self.missing_json)

    @property
    def finish_reason(self) -> str:
        """``tool_calls`` when the reply calls tools, else ``stop``."""
        return "tool_calls" if self.tool_calls else "stop"


class ReplyAssembler:
    """Accumulates one reply, decides what may be streamed, and interprets it at the end.

    Streaming and non-streaming calls give the same result: what :meth:`feed` returned plus
    the final :attr:`ReplyOutcome.tail` always equals :attr:`ReplyOutcome.content`.

    Args:
        plan: What the reply must look like.

    Attributes:
        raw: The reply received so far (cut at a stop sequence).
        emitted: The text returned by :meth:`feed` so far.
        stopped: Whether a stop sequence has ended the reply.
    """

    def __init__(self, plan: ReplyPlan) -> None:
        self.plan = plan
        self.raw = ""
        self.emitted = ""
        self.stopped = False
        self._stops = tuple(s for s in plan.stop if s)
        self._holdback = max((len(s) for s in self._stops), default=1) - 1

    def feed(self, delta: str, *, cumulative: str | None = None) -> str:
        """Add text from the service and return the text that can be streamed now.

        Args:
            delta: The new text.
            cumulative: The whole reply so far, when the service sends it; it is preferred
                to ``delta`` when it extends the text received so far.

        Returns:
            The newly streamable text ("" if none).
        """
        if (
            cumulative is not None
            and cumulative.startswith(self.raw)
            and len(cumulative) >= len(self.raw) + len(delta)
        ):
            delta = cumulative[len(self.raw) :]
        if not self._receive(delta):
            return ""
        mode = self.plan.mode
        if mode == "buffered":
            return ""
        end = len(self.raw) if self.stopped else max(0, len(self.raw) - self._holdback)
        visible = self.raw[:end]
        target = visible if mode == "text" else stream_safe_prefix(visible)
        if not target.startswith(self.emitted):
            return ""
        piece = target[len(self.emitted) :]
        self.emitted += piece
        return piece

    def finish(self) -> ReplyOutcome:
        """Interpret the complete reply."""
        text = self.raw
        if self.plan.mode == "text":
            return self._outcome(text)
        parsed = parse_reply(text, self.plan.tools if self.plan.tools_active else ())
        calls = parsed.tool_calls if self.plan.parallel_tool_calls else parsed.tool_calls[:1]
        content = parsed.text
        missing_json = False
        if self.plan.response_schema is not None and not calls:
            try:
                content = json.dumps(extract_json(parsed.text), ensure_ascii=False)
            except ValueError:
                missing_json = True
        return self._outcome(
            content,
            tool_calls=calls,
            invalid=parsed.invalid_tool_calls,
            missing_call=self.plan.call_required and not self._has_required_call(calls),
            missing_json=missing_json,
        )

    def _receive(self, delta: str) -> bool:
        """Append ``delta`` up to a stop sequence; return whether anything was taken."""
        if self.stopped or not delta:
            return False
        search_from = max(0, len(self.raw) - self._holdback)
        self.raw += delta
        cut = self._stop_index(search_from)
        if cut is not None:
            self.raw = self.raw[:cut]
            self.stopped = True
        return True

    def _has_required_call(self, calls: Sequence[ToolCall]) -> bool:
        if self.plan.tool_choice == "required":
            return bool(calls)
        return any(call.name == self.plan.tool_choice for call in calls)

    def _outcome(
        self,
        content: str,
        *,
        tool_calls: list[ToolCall] | None = None,
        invalid: list[InvalidToolCall] | None = None,
        missing_call: bool = False,
        missing_json: bool = False,
    ) -> ReplyOutcome:
        tail = content[len(self.emitted) :] if content.startswith(self.emitted) else ""
        return ReplyOutcome(
            content=self.emitted + tail,
            tail=tail,
            tool_calls=tool_calls or [],
            invalid_tool_calls=invalid or [],
            missing_call=missing_call,
            missing_json=missing_json,
            stopped=self.stopped,
            raw_text=self.raw,
        )

    def _stop_index(self, search_from: int) -> int | None:
        found = [i for s in self._stops if (i := self.raw.find(s, search_from)) != -1]
        return min(found) if found else None
