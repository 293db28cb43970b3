"""Required-field validation of ``promptObject`` for ``/api/features``.

The check is one pluggable function, :func:`validate_prompt_object`, which the emulator
calls through ``EmulatorConfig.prompt_validator``. It reads the declarative feature
registry: required fields per feature type and model family, and the allowed values and
ranges of each field. Assign another callable with the same signature to
``emu.config.prompt_validator`` to change it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import _registry

#: ``(type, model, promptObject) -> error message or None``.
PromptValidator = Callable[[str, str, Mapping[str, Any]], "str | None"]


def validate_prompt_object(
    feature_type: str, model: str, prompt_object: Mapping[str, Any]
) -> str | None:
    """Check a ``promptObject`` against the feature registry.

    The registry (``oneminai_webapi._registry``) holds, per feature type and model family,
    the fields the service requires and the values the service accepts; the
    client validates against the same rows before sending.

    Args:
        feature_type: The request's ``type``.
        model: The request's ``model``.
        prompt_object: The request's ``promptObject``.

    Returns:
        An error message for the first problem found, or ``None`` when the object is valid
        (or the type is not a registry feature).
    """
    return _registry.validate_prompt_object(feature_type, model, prompt_object)
