"""Interpreting the registry: Python arguments → ``promptObject``, and wire validation.

Pure functions over the tables; no I/O. The client uses :func:`plan`; the emulator uses
:func:`validate_prompt_object` (the same allowed values and required fields, seen from the
server side).
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import InvalidRequestError
from ._schema import REQUIRED, Arg, Family, Feature, Method


@dataclass(frozen=True)
class Plan:
    """What one method call sends (before uploads).

    Attributes:
        method: The method row.
        feature: The feature row.
        model: The model id.
        family: The model family whose mapping was applied.
        prompt_object: The ``promptObject`` (uploadable inputs may still be placeholders).
        top_level: Fields sent at the top level of the body besides type/model/promptObject.
    """

    method: Method
    feature: Feature
    model: str
    family: Family
    prompt_object: dict[str, Any]
    top_level: dict[str, Any]


def plain(value: Any) -> Any:
    """Enum members as their values; everything else unchanged."""
    return value.value if isinstance(value, enum.Enum) else value


def _show(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Context:
    """Names the call in error messages."""

    def __init__(
        self,
        method: str,
        family: Family,
        model: str,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        self.method = method
        self.family = family
        self.model = model
        self.defaults = defaults or {}

    def fail(self, what: str) -> InvalidRequestError:
        return InvalidRequestError(
            f"{self.method}: {what} (model {self.model!r}, {self.family.name} family)"
        )


def _check_wire(rule: Arg, value: Any, described: str, ctx: _Context) -> None:
    if rule.integer and (isinstance(value, bool) or not isinstance(value, int)):
        raise ctx.fail(f"{described} must be an integer")
    if rule.allowed is not None and value not in rule.allowed:
        raise ctx.fail(f"{described} is not accepted; allowed values: {_show(rule.allowed)}")
    if rule.range is not None:
        low, high = rule.range
        if not _is_number(value):
            raise ctx.fail(f"{described} must be a number between {low:g} and {high:g}")
        if not low <= value <= high:
            raise ctx.fail(f"{described} is out of range; allowed: {low:g} to {high:g}")
    if rule.max_length is not None and isinstance(value, str) and len(value) > rule.max_length:
        raise ctx.fail(f"{described} is longer than {rule.max_length} characters")


def _warn_dropped(rule: Arg, args: Mapping[str, Any], ctx: _Context) -> None:
    """A ``dropped`` argument: warn (once per call) when the caller's value is lost."""
    for name in rule.sources:
        value = plain(args.get(name))
        if value is None or value == ctx.defaults.get(name) or value in rule.kept:
            continue
        warnings.warn(
            f"{ctx.method}: {name}={value!r} was not sent: {rule.dropped} "
            f"(model {ctx.model!r}, {ctx.family.name} family)",
            UserWarning,
            stacklevel=6,
        )


def _apply(rule: Arg, args: Mapping[str, Any], ctx: _Context) -> tuple[bool, Any]:
    """Evaluate one rule: ``(send?, wire value)``; raises on invalid values."""
    if rule.dropped is not None:
        _warn_dropped(rule, args, ctx)
        return False, None
    values = tuple(plain(args.get(name)) for name in rule.sources)
    names = ", ".join(rule.sources)
    if len(values) == 1:
        (value,) = values
        if value is None:
            if rule.default is None:
                return False, None
            value = rule.default  # already a wire value
        else:
            if rule.choices is not None and value not in rule.choices:
                raise ctx.fail(
                    f"{names}={value!r} is not accepted; allowed values: {_show(rule.choices)}"
                )
            if rule.convert is not None:
                value = _convert(rule, (value,), names, ctx)
    else:
        value = _convert(rule, values, names, ctx) if rule.convert else values
        if value is None:
            value = rule.default
    if value is None or any(value == o and type(value) is type(o) for o in rule.omit):
        return False, None
    if rule.integer and isinstance(value, float) and value.is_integer():
        value = int(value)  # 30.0 (a float-typed tool argument) is the integer 30
    if len(values) == 1 and rule.convert is None:
        described = f"{names}={value!r}"
    else:
        described = f"{rule.field or names}={value!r} (from {names})"
    _check_wire(rule, value, described, ctx)
    return rule.field is not None, value


def _convert(rule: Arg, values: tuple[Any, ...], names: str, ctx: _Context) -> Any:
    assert rule.convert is not None
    try:
        return rule.convert(*values)
    except (TypeError, ValueError) as exc:
        raise ctx.fail(
            f"{names}={values if len(values) > 1 else values[0]!r} is invalid: {exc}"
        ) from None


def feature_for(
    method: Method, args: Mapping[str, Any], features: Mapping[str, Feature]
) -> Feature:
    """The feature a method calls (resolving ``platform``-style routes)."""
    if method.route is None:
        assert method.feature is not None
        return features[method.feature]
    param, table = method.route
    raw = plain(args.get(param))
    key = raw.strip().lower() if isinstance(raw, str) else raw
    if key not in table:
        raise InvalidRequestError(
            f"{method.name}: {param}={raw!r} is not supported; valid values: {', '.join(table)}"
        )
    return features[table[key]]


def check_params(method: Method, args: Mapping[str, Any]) -> None:
    """Required positional text parameters must be non-empty strings."""
    for name, default in method.params.items():
        if default is not REQUIRED or name in method.inputs:
            continue
        value = plain(args.get(name))
        if not isinstance(value, str):
            raise InvalidRequestError(
                f"{method.name}: {name} must be a string, got {type(value).__name__}"
            )
        if not value.strip():
            raise InvalidRequestError(f"{method.name}: {name} must not be empty")


def build(
    method: Method,
    feature: Feature,
    model: str,
    args: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> Plan:
    """Map ``args`` onto ``promptObject`` for ``model``'s family and validate every value.

    Raises:
        InvalidRequestError: a value outside what the family allows (naming the allowed
            values), or an argument the family does not take.
    """
    family = feature.family_for(model)
    ctx = _Context(method.name, family, model, method.params)
    prompt_object: dict[str, Any] = dict(family.constants)
    top_level: dict[str, Any] = {}
    consumed: set[str] = set()
    for rule in family.args:
        consumed.update(rule.sources)
        send, value = _apply(rule, args, ctx)
        if send:
            assert rule.field is not None
            prompt_object[rule.field] = value
            if rule.top_level:
                top_level[rule.field] = value
    routed = method.route[0] if method.route else None
    for name, default in method.params.items():
        if name in consumed or name == routed:
            continue
        value = plain(args.get(name))
        if value is None or value == default:
            continue
        takes = ", ".join(sorted(p for p in consumed if p in method.params)) or "no options"
        raise ctx.fail(
            f"{name}={value!r} is not supported (this family takes: {takes}); pass "
            "model-specific fields with extra={...}"
        )
    if extra is not None:
        if not isinstance(extra, Mapping) or not all(isinstance(k, str) for k in extra):
            raise InvalidRequestError(f"{method.name}: extra must be a mapping of field names")
        prompt_object.update(extra)
    for check in family.checks:
        problem = check(prompt_object)
        if problem is not None:
            raise ctx.fail(problem)
    return Plan(method, feature, model, family, prompt_object, top_level)


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def validate_prompt_object(
    feature: Feature, model: str, prompt_object: Mapping[str, Any]
) -> str | None:
    """The server-side check: required fields and wire values of ``model``'s family.

    Returns:
        An error message for the first problem, or ``None``.
    """
    family = feature.family_for(model)
    for name in dict.fromkeys(feature.required + family.required_fields()):
        if _missing(prompt_object.get(name)):
            return f"promptObject.{name} is required for {feature.type} with model {model}"
    ctx = _Context(feature.type, family, model)
    for rule in family.args:
        if rule.field is None or rule.field not in prompt_object:
            continue
        value = prompt_object[rule.field]
        try:  # the client-side check, whose error message is the answer here
            _check_wire(rule, value, f"promptObject.{rule.field}={value!r}", ctx)
        except InvalidRequestError as exc:
            return exc.message
    for check in family.checks:
        problem = check(prompt_object)
        if problem is not None:
            return problem
    return None


def provider_refusal(
    feature: Feature, model: str, prompt_object: Mapping[str, Any]
) -> tuple[str, str] | None:
    """The upstream provider's refusal of a wire value, as the service forwards it.

    Only rules with a ``refusal`` message (refusals observed live, such as SDXL's sizes)
    take part; everything else is :func:`validate_prompt_object`'s business.

    Returns:
        ``(provider, message)`` for the first refused value, or ``None``.
    """
    family = feature.family_for(model)
    for rule in family.args:
        if rule.refusal is None or rule.field is None or rule.field not in prompt_object:
            continue
        value = prompt_object[rule.field]
        if rule.allowed is not None and value not in rule.allowed:
            allowed = ", ".join(str(v) for v in rule.allowed)
            message = rule.refusal.format(allowed=allowed, value=value)
            return family.provider or family.name, message
    return None
