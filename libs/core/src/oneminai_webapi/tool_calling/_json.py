"""Lenient JSON reading shared by the reply parser, argument coercion and structured output."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

FENCE_RE = re.compile(r"```[ \t]*([A-Za-z_][\w\-]*)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
THINK_RE = re.compile(r"<(think|thinking|reasoning)>.*?(?:</\1>|\Z)", re.DOTALL | re.IGNORECASE)
_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")

_MAX_LITERAL_EVAL = 50_000


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
    cleaned = THINK_RE.sub("", text).strip()
    for candidate in _json_candidates(cleaned):
        try:
            return loads_lenient(candidate)
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
    end = balanced_end(text, start)
    if end is None:
        return None
    try:
        value = loads_lenient(text[start:end])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_candidates(cleaned: str) -> Iterator[str]:
    yield cleaned
    for match in FENCE_RE.finditer(cleaned):
        yield match.group(2).strip()
    if cleaned.startswith("```"):
        # An unterminated fence: drop the opening line.
        yield cleaned.split("\n", 1)[-1].strip()


def balanced_end(text: str, start: int) -> int | None:
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


def loads_lenient(text: str) -> Any:
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


def dump(value: Any) -> str:
    """Serialize ``value`` as compact JSON text, or ``str(value)`` if it is not serializable."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        return str(value)
