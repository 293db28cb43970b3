"""Reading call-shaped objects out of decoded JSON and out of the non-JSON call formats.

Every function here takes the body of a region that the scanner (:mod:`._scan`) found and
returns the raw calls in it, or ``None`` when the body is not a call. Validation against the
offered tools happens later, in :mod:`._parse`.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._json import dump, loads_lenient
from ._types import ToolSpec

#: Keys that may hold a call's arguments, in order of preference.
ARGUMENT_KEYS = ("arguments", "args", "parameters", "input", "tool_input", "params", "kwargs")
#: Keys that may hold a call's tool name.
NAME_KEYS = ("name", "tool", "tool_name", "function_name", "recipient_name")
#: Keys under which some models nest the call (OpenAI ``function``, Gemini ``functionCall``).
_NESTED_KEYS = ("function", "function_call", "functionCall", "tool_call")
#: Keys that wrap a list of calls (``multi_tool_use.parallel`` writes ``tool_uses``).
_WRAPPER_KEYS = ("tool_calls", "function_calls", "tool_uses", "calls")
#: Keys that never count as arguments when arguments are written inline.
_META_KEYS = frozenset({*NAME_KEYS, "id", "type", "call_id", "index"})

_NAME_HINT_RE = re.compile(
    r"""["'](?:name|tool|tool_name|function|functionCall|tool_calls|tool_uses)["']\s*:"""
)
_NAME_VALUE_RE = re.compile(r"""["'](?:name|tool|tool_name)["']\s*:\s*["']([^"']+)["']""")
_INVOKE_RE = re.compile(
    r"<(?:\w+:)?invoke\s+name\s*=\s*[\"']([^\"']+)[\"']\s*>(.*?)(?:</(?:\w+:)?invoke>|\Z)",
    re.DOTALL,
)
_PARAMETER_RE = re.compile(
    r"<(?:\w+:)?parameter\s+name\s*=\s*[\"']([^\"']+)[\"']\s*>(.*?)</(?:\w+:)?parameter>",
    re.DOTALL,
)
_MISTRAL_ARGS_RE = re.compile(
    r"\s*([A-Za-z_][\w.\-]*)\s*(?:\[CALL_ID\]\s*([\w\-]+)\s*)?\[ARGS\]", re.DOTALL
)
_DEEPSEEK_CALL_RE = re.compile(
    r"<｜tool▁call▁begin｜>\s*(?:function)?\s*<｜tool▁sep｜>\s*([^\n<]+?)\s*\n(.*?)"
    r"(?:<｜tool▁call▁end｜>|\Z)",
    re.DOTALL,
)
_FENCE_BODY_RE = re.compile(r"\A\s*```[\w\-]*\s*\n?(.*?)\n?\s*```\s*\Z", re.DOTALL)
_MAX_PYTHONIC = 200_000


@dataclass
class RawCall:
    """A call-shaped object found in the reply, before validation.

    Attributes:
        name: The tool name as written (any type; validated later).
        arguments: The arguments as written: a dict, a JSON string or ``None`` for none.
        raw: The call's text, for error reports.
        error: Set when the call could not be read at all.
    """

    name: Any
    arguments: Any
    raw: str
    error: str | None = None


def looks_like_call_attempt(body: str) -> bool:
    """Whether unparsable text still looks like an attempt at a JSON tool call."""
    return _NAME_HINT_RE.search(body, 0, 300) is not None


def guess_name(body: str) -> str | None:
    """The tool name written in unparsable call text, if it can be read."""
    match = _NAME_VALUE_RE.search(body)
    return match.group(1) if match else None


def broken(body: str, error: str) -> list[RawCall]:
    """One unreadable call holding ``body``."""
    return [RawCall(guess_name(body), None, body.strip(), error)]


def calls_from_json_text(
    body: str, by_name: Mapping[str, ToolSpec], *, explicit: bool
) -> list[RawCall] | None:
    """Decode every JSON value in ``body`` and read the calls in them.

    Args:
        body: The text of a fenced block, a tag or a whole reply.
        by_name: The offered tools.
        explicit: Whether the region announces a tool call (a ``tool_calls`` fence, a
            ``<tool_call>`` tag …). There, anything that is not a call is an invalid call;
            elsewhere it is ordinary text.

    Returns:
        The raw calls, or ``None`` when the body is not a call.
    """
    values, failed = decode_values(body)
    if failed:
        if explicit or looks_like_call_attempt(body):
            return broken(body, "could not parse the tool call as JSON")
        return None
    if not values:
        return broken(body, "no tool call found") if explicit and body.strip() else None
    calls: list[RawCall] = []
    for value in values:
        found = calls_from_value(value, by_name, explicit=explicit)
        if found is None:
            if not explicit:
                return None
            found = [RawCall(None, None, dump(value), "no tool call found")]
        calls.extend(found)
    return calls


def decode_values(body: str) -> tuple[list[Any], bool]:
    """Decode the JSON values of a block (one value, JSON lines, or ``;``/``,`` separated).

    Returns:
        The values and whether some text failed to decode.
    """
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


def calls_from_value(
    value: Any, by_name: Mapping[str, ToolSpec], *, explicit: bool
) -> list[RawCall] | None:
    """Read the calls in a decoded JSON value; ``None`` if it is not a call."""
    if isinstance(value, list):
        if not value:
            return None
        calls = [call_from_object(item, by_name, explicit=explicit) for item in value]
        if all(call is not None for call in calls):
            return [call for call in calls if call is not None]
        return None
    if not isinstance(value, dict):
        return None
    for key in _WRAPPER_KEYS:
        wrapped = value.get(key)
        if isinstance(wrapped, dict):
            wrapped = [wrapped]
        if isinstance(wrapped, list) and wrapped:
            result: list[RawCall] = []
            for item in wrapped:
                call = call_from_object(item, by_name, explicit=True)
                if call is None:
                    error = "tool call has no tool name" if isinstance(item, dict) else None
                    call = RawCall(None, None, dump(item), error or "unrecognized tool call shape")
                result.append(call)
            return result
    call = call_from_object(value, by_name, explicit=explicit)
    return [call] if call is not None else None


def call_from_object(
    obj: Any, by_name: Mapping[str, ToolSpec], *, explicit: bool
) -> RawCall | None:
    """Read one call from an object, or return ``None`` if it is not a call.

    Outside explicit call regions an object is a call only if it names a tool and carries an
    arguments object (a dict, or a JSON string of one), or names an offered tool and otherwise
    holds only that tool's parameters (or an ``arguments`` value of the wrong type, which
    makes an invalid call). Tool *definitions* (with a ``description``, or a JSON schema as
    ``parameters``) never are.
    """
    if not isinstance(obj, dict):
        return None
    raw = dump(obj)
    body: dict[str, Any] = obj
    for nested_key in _NESTED_KEYS:
        nested = obj.get(nested_key)
        if isinstance(nested, dict) and any(k in nested for k in NAME_KEYS):
            body = nested
            break
    name = next((body[k] for k in NAME_KEYS if isinstance(body.get(k), str)), None)
    if name is None:
        return _single_key_call(body, by_name, raw)
    if "description" in body:
        return None  # a tool definition, not a call
    spec = by_name.get(name)
    declared = spec.parameters.get("properties") if spec is not None else None
    props: Mapping[str, Any] = declared if isinstance(declared, Mapping) else {}
    for key in ARGUMENT_KEYS:
        if key not in body:
            continue
        value = body[key]
        if key == "parameters" and _is_schema(value) and not {"type", "properties"} <= set(props):
            return None  # parameters given as a JSON schema: a tool definition
        if value is None or value == "" or isinstance(value, dict) or _is_object_text(value):
            return RawCall(name, value, raw)
        if key in props:
            break  # {"name": "f", "input": 3} where "input" is the tool's own parameter
        if explicit or spec is not None:
            return RawCall(name, value, raw)  # a call whose arguments are not an object
        return None
    inline = {k: v for k, v in body.items() if k not in _META_KEYS}
    if explicit or (spec is not None and set(inline) <= set(props)):
        return RawCall(name, inline, raw)
    return None


def _single_key_call(
    body: dict[str, Any], by_name: Mapping[str, ToolSpec], raw: str
) -> RawCall | None:
    """``{"get_weather": {...arguments...}}``: a call only for an offered tool."""
    if len(body) != 1:
        return None
    key, inner = next(iter(body.items()))
    if key in by_name and (isinstance(inner, dict) or _is_object_text(inner)):
        return RawCall(key, inner, raw)
    return None


def _is_schema(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") == "object"
        and isinstance(value.get("properties"), dict)
    )


def _is_object_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text.startswith("{"):
        return False
    try:
        return isinstance(loads_lenient(text), dict)
    except ValueError:
        return looks_like_arguments_text(text)


def looks_like_arguments_text(text: str) -> bool:
    """A string that starts like a JSON object: an attempt at arguments, even if broken."""
    return text.lstrip().startswith("{")


# ----------------------------------------------------------------------- non-JSON formats


def calls_from_pythonic(body: str, by_name: Mapping[str, ToolSpec]) -> list[RawCall] | None:
    """Read Python-style calls: ``[get_weather(city="Paris")]``, ``print(get_weather(...))``.

    Llama 3.2 writes a list of calls, Gemini writes ``print(default_api.f(...))`` in a
    ``tool_code`` block, Llama 3.1 built-ins write ``brave_search.call(query=...)``. Only
    literal argument values are accepted; positional arguments follow the schema's order.

    Returns:
        The calls, or ``None`` if the body is not Python calls.
    """
    text = body.strip()
    if not text or len(text) > _MAX_PYTHONIC:
        return None
    try:
        tree = ast.parse(text, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    nodes: list[ast.expr] = []
    for statement in tree.body:
        if not isinstance(statement, ast.Expr):
            return None
        nodes.extend(_call_nodes(statement.value))
    if not nodes or not all(isinstance(node, ast.Call) for node in nodes):
        return None
    calls: list[RawCall] = []
    for node in nodes:
        assert isinstance(node, ast.Call)
        call = _pythonic_call(node, by_name, text)
        if call is None:
            return None
        calls.append(call)
    return calls


def _call_nodes(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [item for element in node.elts for item in _call_nodes(element)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _call_nodes(node.args[0])
    return [node]


def _pythonic_call(node: ast.Call, by_name: Mapping[str, ToolSpec], text: str) -> RawCall | None:
    parts: list[str] = []
    func: ast.expr = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    parts.append(func.id)
    dotted = list(reversed(parts))
    if dotted[-1] == "call" and len(dotted) > 1:
        dotted.pop()  # Llama 3.1 built-ins: brave_search.call(query=...)
    name = dotted[-1]
    raw = ast.get_source_segment(text, node) or text
    arguments: dict[str, Any] = {}
    try:
        for keyword in node.keywords:
            if keyword.arg is None:
                return None
            arguments[keyword.arg] = ast.literal_eval(keyword.value)
        if node.args:
            spec = by_name.get(name)
            declared = spec.parameters.get("properties") if spec is not None else None
            order = list(declared) if isinstance(declared, Mapping) else []
            if len(node.args) > len(order):
                return None
            for key, value in zip(order, node.args, strict=False):
                arguments.setdefault(key, ast.literal_eval(value))
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return RawCall(name, None, raw, "arguments are not literal values")
    return RawCall(name, arguments, raw)


def calls_from_invoke_xml(body: str) -> list[RawCall] | None:
    """Read ``<invoke name="f"><parameter name="k">v</parameter></invoke>`` calls (Claude)."""
    calls: list[RawCall] = []
    for match in _INVOKE_RE.finditer(body):
        arguments = {key: value.strip() for key, value in _PARAMETER_RE.findall(match.group(2))}
        calls.append(RawCall(match.group(1).strip(), arguments, match.group(0).strip()))
    return calls or None


def calls_from_mistral(body: str, by_name: Mapping[str, ToolSpec]) -> list[RawCall]:
    """Read a ``[TOOL_CALLS]`` body: a JSON list/object, or ``name[ARGS]{...}`` pieces."""
    text = body.strip()
    pieces = [piece for piece in text.split("[TOOL_CALLS]") if piece.strip()]
    calls: list[RawCall] = []
    for piece in pieces or [text]:
        match = _MISTRAL_ARGS_RE.match(piece)
        if match is not None:
            arguments = piece[match.end() :].strip()
            calls.append(RawCall(match.group(1), arguments or "{}", piece.strip()))
            continue
        found = calls_from_json_text(piece, by_name, explicit=True)
        calls.extend(found or broken(piece, "no tool call found"))
    return calls or broken(text, "no tool call found")


def calls_from_deepseek(body: str) -> list[RawCall]:
    """Read DeepSeek's ``<｜tool▁call▁begin｜>function<｜tool▁sep｜>name`` + JSON calls."""
    calls: list[RawCall] = []
    for match in _DEEPSEEK_CALL_RE.finditer(body):
        arguments = match.group(2).strip()
        fenced = _FENCE_BODY_RE.match(arguments)
        if fenced is not None:
            arguments = fenced.group(1).strip()
        calls.append(RawCall(match.group(1).strip(), arguments or "{}", match.group(0).strip()))
    return calls or broken(body, "no tool call found")


def calls_from_pythonic_or_json(body: str, by_name: Mapping[str, ToolSpec]) -> list[RawCall]:
    """Read an explicit call region that may hold JSON or Python-style calls."""
    text = body.strip()
    if text[:1] in ("{", "["):
        found = calls_from_json_text(text, by_name, explicit=True)
        if found is not None and not any(c.error for c in found):
            return found
        pythonic = calls_from_pythonic(text, by_name)
        return pythonic if pythonic is not None else (found or broken(text, "no tool call found"))
    pythonic = calls_from_pythonic(text, by_name)
    if pythonic is not None:
        return pythonic
    pieces = [piece for piece in text.split(";") if piece.strip()]
    calls: list[RawCall] = []
    for piece in pieces:
        found = calls_from_json_text(piece, by_name, explicit=True)
        calls.extend(found or broken(piece, "no tool call found"))
    return calls or broken(text, "no tool call found")
