"""Schema-directed coercion of tool-call arguments (``"3"`` → ``3`` and the like)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._json import dump, loads_lenient

_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

_TRUE_STRINGS = frozenset({"true", "yes", "y", "1", "on"})
_FALSE_STRINGS = frozenset({"false", "no", "n", "0", "off"})
_MAX_SCHEMA_DEPTH = 32


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
        return dump(value)
    return value


def _is_null_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("null", "none"))


def _try_json(text: str, kind: type) -> Any:
    try:
        value = loads_lenient(text)
    except ValueError:
        return text
    return value if isinstance(value, kind) else text


def _norm_key(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")
