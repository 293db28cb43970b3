"""Finding tool calls in a model reply: fenced blocks, tags, bare JSON and their validation."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._coerce import coerce_arguments
from ._json import FENCE_RE, THINK_RE, balanced_end, dump, loads_lenient
from ._types import InvalidToolCall, ParsedReply, ToolCall, ToolSpec, new_call_id

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

_OPEN_TOOL_FENCE_RE = re.compile(
    r"```[ \t]*(tool_calls?|toolcalls?|function_call)\b[ \t]*\r?\n?(.*)\Z", re.DOTALL
)
_TAG_RE = re.compile(r"<(tool_calls?|function_calls?)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_NAME_HINT_RE = re.compile(r"""["'](?:name|tool|tool_calls)["']\s*:""")
_NAME_VALUE_RE = re.compile(r"""["'](?:name|tool)["']\s*:\s*["']([^"']+)["']""")


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
    return THINK_RE.sub(lambda m: " " * len(m.group(0)), text)


def _find_spans(masked: str, by_name: Mapping[str, ToolSpec]) -> list[_Span]:
    spans: list[_Span] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in spans)

    for match in FENCE_RE.finditer(masked):
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
    end = balanced_end(masked, start)
    if end is None:
        return None
    body = masked[start:end]
    try:
        value = loads_lenient(body)
    except ValueError:
        name = _guess_name(body)
        if name is None and '"tool_calls"' not in body:
            return None
        return _Span(start, end, [_RawCall(name, None, body, "could not parse tool call as JSON")])
    calls = _calls_from_value(value, by_name)
    return _Span(start, end, calls) if calls else None


def _decode_all(body: str) -> tuple[list[Any], bool]:
    """Decode every JSON value in a block; return the values and whether anything failed."""
    stripped = body.strip()
    if not stripped:
        return [], False
    try:
        return [loads_lenient(stripped)], False
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
                call = _RawCall(None, None, dump(item), error or "unrecognized tool call shape")
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
    raw = dump(obj)
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
    raw_arguments = arguments if isinstance(arguments, str) else dump(arguments)
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
                arguments = loads_lenient(arguments)
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
