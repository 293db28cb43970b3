"""The declarative feature registry: every media and content feature as data.

Tables (see :mod:`._schema` for the row shapes):

* :data:`FEATURES` — ``type`` → :class:`Feature` (default model, output kind,
  long-running or not, top-level ``conversationId``, required fields, model families with
  their argument mappings, and the generic fallback for unknown families). One module per
  media kind: ``_images.py``, ``_audio.py``, ``_video.py``, ``_text.py``.
* :data:`METHODS` — public method name → :class:`Method` (parameters and defaults,
  uploadable inputs, the feature it calls or the ``platform`` route), built on first use
  from the signatures of ``_client/features/`` (see ``_methods.py``).

The client (``_client/features/`` → ``_protocol/_features.py`` → :func:`plan`), the
emulator (``testing``: output kinds, ``promptObject`` validation, catalog), the CLI and the
agent tools (``integrations``) all read these tables; adding a feature or a model family is
a new row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._audio import AUDIO_FEATURES
from ._engine import Plan, build, check_params, feature_for, plain
from ._engine import provider_refusal as _refusal
from ._engine import validate_prompt_object as _validate
from ._images import IMAGE_FEATURES
from ._methods import (
    AD_PLATFORMS,
    SOCIAL_COMMENT_PLATFORMS,
    SOCIAL_POST_PLATFORMS,
    build_methods,
)
from ._schema import REQUIRED, Arg, Family, Feature, Method, OutputKind, ResultType
from ._text import TEXT_FEATURES
from ._video import VIDEO_FEATURES

__all__ = [
    "AD_PLATFORMS",
    "CHAT_FEATURE_TYPES",
    "FEATURES",
    "METHODS",
    "REQUIRED",
    "SOCIAL_COMMENT_PLATFORMS",
    "SOCIAL_POST_PLATFORMS",
    "Arg",
    "Family",
    "Feature",
    "Method",
    "OutputKind",
    "Plan",
    "ResultType",
    "all_feature_types",
    "build",
    "check_params",
    "feature",
    "feature_for",
    "methods",
    "output_kind",
    "plain",
    "plan",
    "provider_refusal",
    "validate_prompt_object",
]

#: Chat types (served by ``/api/chat-with-ai`` or rejected legacy types): not feature rows.
CHAT_FEATURE_TYPES: tuple[str, ...] = (
    "UNIFY_CHAT_WITH_AI", "CHAT_WITH_AI", "CHAT_WITH_IMAGE", "CHAT_WITH_PDF",
    "CHAT_WITH_YOUTUBE_VIDEO",
)  # fmt: skip

FEATURES: Mapping[str, Feature] = MappingProxyType(
    {f.type: f for f in (*IMAGE_FEATURES, *AUDIO_FEATURES, *VIDEO_FEATURES, *TEXT_FEATURES)}
)
if TYPE_CHECKING:
    #: Method name → :class:`Method` (built on first use: see :func:`methods`).
    METHODS: Mapping[str, Method]

_METHODS: Mapping[str, Method] | None = None


def methods() -> Mapping[str, Method]:
    """The method table (:data:`METHODS`), built from the feature signatures once."""
    global _METHODS
    if _METHODS is None:
        _METHODS = build_methods()
    return _METHODS


def __getattr__(name: str) -> Any:
    if name == "METHODS":
        return methods()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def feature(feature_type: str) -> Feature | None:
    """The row of ``feature_type``, or ``None`` for chat and unknown types."""
    return FEATURES.get(feature_type)


def output_kind(feature_type: str) -> OutputKind | None:
    """``text``/``image``/``audio``/``video`` for a feature type (``None`` when unknown)."""
    row = FEATURES.get(feature_type)
    return row.output if row is not None else None


def all_feature_types() -> list[str]:
    """Every feature type the live catalog can be asked about (``GET /models?feature=``).

    The chat types plus every registry row marked ``listed`` (types with no evidence of
    existing on the service, like ``DOCUMENT_TRANSLATOR``, are left out).
    """
    return [*CHAT_FEATURE_TYPES, *(t for t, f in FEATURES.items() if f.listed)]


def plan(
    method_name: str,
    args: Mapping[str, Any],
    model: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> Plan:
    """Resolve a method call into the ``promptObject`` it sends (validating everything).

    Args:
        method_name: A key of :data:`METHODS`.
        args: The Python arguments by name (inputs already resolved to keys/placeholders).
        model: Model id, enum member, or ``None`` for the feature's default.
        extra: Fields merged into ``promptObject`` last (model-specific knobs).

    Raises:
        InvalidRequestError: bad or unsupported values, named with the allowed ones.
    """
    from ..exceptions import InvalidRequestError

    method = methods()[method_name]
    check_params(method, args)
    row = feature_for(method, args, FEATURES)
    model_id = plain(model) if model is not None else row.default_model
    if not isinstance(model_id, str) or not model_id.strip():
        raise InvalidRequestError(f"{method_name}: model must be a non-empty string")
    return build(method, row, model_id, args, extra)


def validate_prompt_object(
    feature_type: str, model: str, prompt_object: Mapping[str, Any]
) -> str | None:
    """Server-side validation of a ``promptObject`` (``None`` when valid or type unknown)."""
    row = FEATURES.get(feature_type)
    return None if row is None else _validate(row, model, prompt_object)


def provider_refusal(
    feature_type: str, model: str, prompt_object: Mapping[str, Any]
) -> tuple[str, str] | None:
    """The provider's refusal the service forwards for a wire value (emulator use)."""
    row = FEATURES.get(feature_type)
    return None if row is None else _refusal(row, model, prompt_object)
