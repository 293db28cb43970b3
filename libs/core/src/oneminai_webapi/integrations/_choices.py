"""What a model accepts for a client method's arguments, read from the feature registry.

Agent tools and CLIs offer only these values, so that a model never spends a paid call on
an argument the service refuses (docs/protocol.md, "Catalog, models and media features").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the registry loads on first use, not with the adapters' imports
    from .._registry import Feature

__all__ = ["ArgumentChoices", "argument_choices", "closest_size", "default_model", "image_sizes"]


@dataclass(frozen=True)
class ArgumentChoices:
    """The values one model accepts for one argument of a client method.

    Attributes:
        values: The accepted values, or ``None`` when any value of the type is (within
            ``minimum``/``maximum``).
        minimum: The smallest accepted number, when bounded.
        maximum: The largest accepted number, when bounded.
        sent: ``False`` when the model never receives the argument (only its default, or
            the ``values`` the model produces anyway, are accepted without a warning).
    """

    values: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    sent: bool = True


def _feature(method: str) -> Feature:
    from .. import _registry

    row = _registry.METHODS[method]
    if row.feature is None:
        raise ValueError(f"{method} picks its feature by an argument; no single model applies")
    return _registry.FEATURES[row.feature]


def default_model(method: str) -> str:
    """The model a client method uses when the caller names none.

    Raises:
        KeyError: ``method`` is not a media or content method of the client.
    """
    return _feature(method).default_model


def argument_choices(method: str, argument: str, model: str | None = None) -> ArgumentChoices:
    """What ``model`` (default: the method's default model) accepts for ``argument``.

    Args:
        method: A client method such as ``"generate_video"``.
        argument: One of its parameters, such as ``"duration"``.
        model: A model id; ``None`` for the method's default model.

    Returns:
        The accepted values or bounds. An argument the model's family does not take accepts
        only the method's default (``sent=False``).

    Raises:
        KeyError: unknown method or argument.
    """
    from .. import _registry

    params = _registry.METHODS[method].params
    if argument not in params:
        raise KeyError(f"{method} has no argument {argument!r}")
    row = _feature(method)
    family = row.family_for(model or row.default_model)
    rule = next((r for r in family.args if argument in r.sources), None)
    default = params[argument]
    if rule is None:
        return ArgumentChoices(values=(default,), sent=False)
    if rule.dropped is not None:
        return ArgumentChoices(values=rule.kept or (default,), sent=False)
    low, high = rule.range if rule.range is not None else (None, None)
    if rule.choices is not None:
        return ArgumentChoices(values=rule.choices, minimum=low, maximum=high)
    if rule.offered is not None:
        return ArgumentChoices(values=rule.offered, minimum=low, maximum=high)
    if rule.allowed is not None and rule.convert is None and len(rule.sources) == 1:
        return ArgumentChoices(values=rule.allowed, minimum=low, maximum=high)
    return ArgumentChoices(minimum=low, maximum=high)


def image_sizes(
    method: str = "generate_image", model: str | None = None
) -> tuple[tuple[int, int], ...] | None:
    """The ``(width, height)`` pairs ``model`` accepts, when it takes a fixed list of sizes.

    Args:
        method: A client method with ``width``/``height`` (default ``generate_image``).
        model: A model id; ``None`` for the method's default model.

    Returns:
        The pairs (SDXL: its nine sizes), or ``None`` when any size is sent (the service
        or provider decides) or when the model takes an aspect ratio rather than a size.
    """
    from .._registry._schema import size as size_converter

    row = _feature(method)
    family = row.family_for(model or row.default_model)
    for rule in family.args:
        if rule.sources == ("width", "height") and rule.convert is size_converter:
            if rule.allowed is None:
                return None
            pairs = []
            for value in rule.allowed:
                width, _, height = str(value).partition("x")
                pairs.append((int(width), int(height)))
            return tuple(pairs)
    return None


def closest_size(sizes: tuple[tuple[int, int], ...], ratio: float) -> tuple[int, int]:
    """The pair of ``sizes`` whose shape is closest to ``ratio`` (width / height).

    Args:
        sizes: Candidate ``(width, height)`` pairs, e.g. from :func:`image_sizes`.
        ratio: The wanted width / height (``2 / 3`` for a portrait).

    Returns:
        The closest pair (the larger one on a tie).
    """
    return min(sizes, key=lambda s: (abs(math.log(s[0] / s[1] / ratio)), -s[0] * s[1]))
