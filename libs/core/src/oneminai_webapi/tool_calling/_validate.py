"""A small JSON-schema check: does a value fit a tool's argument schema?

It covers what tool and structured-output schemas use (``type``, ``properties``,
``required``, ``additionalProperties: false``, ``enum``, ``const``, ``items``, ``anyOf``/
``oneOf``/``allOf`` and local ``$ref``). Anything else is accepted. It decides whether a bare
JSON object is meant as a tool's arguments, so it errs towards "no" only on clear mismatches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MAX_DEPTH = 32
_TYPE_CHECKS = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def schema_errors(value: Any, schema: Mapping[str, Any]) -> list[str]:
    """List the ways ``value`` does not match ``schema`` (empty when it matches).

    Args:
        value: A decoded JSON value.
        schema: A JSON schema; ``$ref`` pointers are resolved against it.

    Returns:
        Human-readable problems, e.g. ``"age: expected integer"``; ``[]`` if none.
    """
    errors: list[str] = []
    _check(value, schema, schema, "", errors, 0)
    return errors


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    for _ in range(_MAX_DEPTH):
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, Mapping) else None
        if not isinstance(node, Mapping):
            return schema
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _check(
    value: Any,
    schema: Any,
    root: Mapping[str, Any],
    path: str,
    errors: list[str],
    depth: int,
) -> None:
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return
    schema = _resolve(schema, root)
    where = path or "value"
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            if not any(_fits(value, option, root, depth) for option in options):
                errors.append(f"{where}: matches none of the allowed shapes")
            return
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        for option in all_of:
            _check(value, option, root, path, errors, depth + 1)
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    known = [k for k in kinds if k in _TYPE_CHECKS]
    if known and not any(_TYPE_CHECKS[k](value) for k in known):
        errors.append(f"{where}: expected {' or '.join(known)}")
        return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: must be {schema['const']!r}")
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        errors.append(f"{where}: must be one of {enum!r}")
    if isinstance(value, dict):
        _check_object(value, schema, root, path, errors, depth)
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(value):
                _check(item, items, root, f"{path}[{index}]", errors, depth + 1)


def _check_object(
    value: dict[str, Any],
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    path: str,
    errors: list[str],
    depth: int,
) -> None:
    properties = schema.get("properties")
    props: Mapping[str, Any] = properties if isinstance(properties, Mapping) else {}
    required = schema.get("required")
    for name in required if isinstance(required, list) else []:
        if name not in value:
            errors.append(f"{_join(path, str(name))}: missing")
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        if key in props:
            _check(item, props[key], root, _join(path, key), errors, depth + 1)
        elif extra is False:
            errors.append(f"{_join(path, key)}: not allowed")
        elif isinstance(extra, Mapping):
            _check(item, extra, root, _join(path, key), errors, depth + 1)


def _fits(value: Any, schema: Any, root: Mapping[str, Any], depth: int) -> bool:
    errors: list[str] = []
    _check(value, schema, root, "", errors, depth + 1)
    return not errors


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
