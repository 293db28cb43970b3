"""Parsing a model reply into reasoning, answer text, tool calls and invalid calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._coerce import coerce_arguments
from ._json import dump, loads_lenient
from ._reasoning import split_reasoning
from ._scan import Scanner, Span
from ._shapes import RawCall
from ._types import InvalidToolCall, ParsedReply, ToolCall, ToolSpec, new_call_id


def stream_safe_prefix(text: str, tools: Sequence[ToolSpec] = ()) -> str:
    """Return the part of a partial reply's answer that can be streamed before parsing ends.

    This is the answer text (without leading reasoning) before anything that could still
    become a tool call, without leading or trailing whitespace. For the full reply,
    ``parse_reply(text, tools).text`` always starts with this prefix, so an adapter may stream
    it early and still produce exactly the text of a non-streaming call.

    Args:
        text: The reply received so far.
        tools: The offered tools. Without them every ``json`` or unlabelled code block is
            held back, since it could be a call.

    Returns:
        The streamable prefix (possibly empty).
    """
    split = split_reasoning(text, final=False)
    if split.answer is None:
        return ""
    by_name = {spec.name: spec for spec in tools}
    scanner = Scanner(by_name, conservative=not by_name)
    return split.answer[: scanner.safe_end(split.answer)].strip()


def parse_reply(
    text: str,
    tools: Sequence[ToolSpec],
    *,
    id_factory: Callable[[], str] | None = None,
) -> ParsedReply:
    """Find the reasoning and the tool calls in a model reply.

    Leading ``<think>``/``<thinking>``/``<reasoning>`` blocks become
    :attr:`ParsedReply.reasoning`. Calls are read from a reply that as a whole is a call, from
    fenced ``json``/``tool_calls``/unlabelled blocks and from explicit markers
    (``<tool_call>``, ``<|python_tag|>``, ``[TOOL_CALLS]`` …), never from JSON inside a
    sentence, inline code or a block quote (see :mod:`oneminai_webapi.tool_calling._scan`).
    Many call shapes are accepted (``{"name", "arguments"}``, OpenAI ``function`` objects,
    ``{"tool_calls": [...]}``, Python-style calls …); arguments are coerced to the tool's
    schema. A call of a tool that was not offered stays a call (as with OpenAI), so an agent
    can answer "unknown tool"; unreadable calls become :class:`InvalidToolCall`.

    This function never raises.

    Args:
        text: The model reply.
        tools: The tools that were offered. With no tools, only reasoning is split off.
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
    split = split_reasoning(text)
    reply = parse_answer(split.answer or "", tools, make_id)
    return ParsedReply(
        text=reply.text,
        tool_calls=reply.tool_calls,
        invalid_tool_calls=reply.invalid_tool_calls,
        reasoning=split.reasoning,
    )


def parse_answer(
    answer: str, tools: Sequence[ToolSpec], make_id: Callable[[], str] = new_call_id
) -> ParsedReply:
    """Parse an answer whose reasoning was already split off (see :func:`parse_reply`)."""
    if not tools or not answer.strip():
        return ParsedReply(text=answer.strip(), tool_calls=[], invalid_tool_calls=[])
    by_name = {spec.name: spec for spec in tools}
    spans = Scanner(by_name).scan(answer)
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    used_ids: set[str] = set()
    for span in spans:
        for raw in span.calls:
            result = validate_call(raw, by_name, _unique_id(make_id, used_ids))
            if isinstance(result, ToolCall):
                calls.append(result)
            else:
                invalid.append(result)
    text = text_without(answer, spans)
    return ParsedReply(text=text, tool_calls=calls, invalid_tool_calls=invalid)


def text_without(answer: str, spans: Sequence[Span]) -> str:
    """The answer with call regions removed; pieces stripped and joined by a blank line."""
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(answer[cursor : span.start])
        cursor = span.end
    pieces.append(answer[cursor:])
    return "\n\n".join(piece.strip() for piece in pieces if piece.strip())


def _unique_id(make_id: Callable[[], str], used: set[str]) -> str:
    call_id = make_id()
    while call_id in used:
        call_id = new_call_id()
    used.add(call_id)
    return call_id


def validate_call(
    raw: RawCall, by_name: Mapping[str, ToolSpec], call_id: str
) -> ToolCall | InvalidToolCall:
    """Turn a raw call into a :class:`ToolCall`, or an :class:`InvalidToolCall` with a reason.

    The tool name is matched exactly, else ignoring case, ``functions.``-style prefixes and
    ``-``/``_``/space differences. A name matching no offered tool is kept as written.
    """
    name = raw.name if isinstance(raw.name, str) and raw.name.strip() else None
    if raw.error is not None:
        return InvalidToolCall(call_id, name, raw.raw, raw.error)
    if name is None:
        return InvalidToolCall(call_id, None, raw.raw, "tool call has no tool name")
    spec = by_name.get(name) or fuzzy_tool(name, by_name)
    shown = spec.name if spec is not None else name
    arguments: Any = raw.arguments
    raw_arguments = arguments if isinstance(arguments, str) else dump(arguments)
    if arguments is None:
        arguments = {}
    elif isinstance(arguments, str):
        if not arguments.strip():
            arguments = {}
        else:
            try:
                arguments = loads_lenient(arguments)
            except ValueError:
                error = "arguments are not valid JSON"
                return InvalidToolCall(call_id, shown, raw_arguments, error)
    if not isinstance(arguments, dict):
        error = "arguments must be a JSON object"
        return InvalidToolCall(call_id, shown, raw_arguments, error)
    if spec is None:
        return ToolCall(call_id, name.strip(), arguments)
    return ToolCall(call_id, spec.name, coerce_arguments(arguments, spec.parameters))


def fuzzy_tool(name: str, by_name: Mapping[str, ToolSpec]) -> ToolSpec | None:
    """Match a tool name ignoring case, ``functions.`` prefixes and ``-``/``_`` differences."""

    def norm(value: str) -> str:
        return value.rsplit(".", 1)[-1].strip().lower().replace("-", "_").replace(" ", "_")

    matches = [spec for key, spec in by_name.items() if norm(key) == norm(name)]
    return matches[0] if len(matches) == 1 else None
