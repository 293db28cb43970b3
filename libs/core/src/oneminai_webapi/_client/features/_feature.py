"""``@feature``: a method's signature is the single source of its call and of its registry row.

A feature method is declared once: its signature, its docstring, and no body::

    @feature("IMAGE_EDITOR", "Edit an image following a prompt.")
    def edit_image(self, image_url: ImageFile, prompt: str, model: str | None = None, *,
                   extra: Extra = None) -> Awaitable[ImageOutput]:
        # the docstring only: arguments, return value, errors

The decorator replaces the body: a call binds its arguments to the signature and runs the
feature operation (:func:`run_feature`: validation with the registry, uploads, the request,
polling, the output). ``_registry.METHODS`` is built from the same signatures
(``_registry/_methods.py``): every parameter except the control options
(:data:`CONTROL`) with its default, and the file inputs, whose annotation names the asset
type (:data:`ImageFile`, :data:`AudioFile`, :data:`VideoFile`). The annotations must stay
strings (``from __future__ import annotations``): they are read, never evaluated.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

if TYPE_CHECKING:
    from ..._protocol._context import Context
    from ..._protocol._features import ProgressCallback
    from ..._protocol._ops import Op
    from ...types import AssetRecord

__all__ = [
    "CONTROL",
    "AudioFile",
    "Extra",
    "FeatureSpec",
    "ImageFile",
    "Progress",
    "VideoFile",
    "feature",
    "feature_spec",
    "run_feature",
]

#: A file argument: an asset key, an ``http(s)`` URL, an :class:`AssetRecord`, a local path
#: or ``bytes`` (uploaded first, as an image).
ImageFile: TypeAlias = "str | os.PathLike[str] | bytes | AssetRecord"
#: The same, for audio (an upload of unknown type is sent as ``AUDIO``).
AudioFile: TypeAlias = "str | os.PathLike[str] | bytes | AssetRecord"
#: The same, for video.
VideoFile: TypeAlias = "str | os.PathLike[str] | bytes | AssetRecord"
#: Extra ``promptObject`` fields, merged last.
Extra: TypeAlias = "Mapping[str, Any] | None"
#: Called with a :class:`JobProgress` after every poll of a long-running job.
Progress: TypeAlias = "ProgressCallback | None"

#: Annotation → asset type of the upload.
FILE_KINDS = {"ImageFile": "IMAGE", "AudioFile": "AUDIO", "VideoFile": "VIDEO"}
#: Parameters that steer the call rather than feed the feature (not registry parameters).
CONTROL = ("model", "extra", "wait", "poll_timeout", "poll_interval", "on_progress")

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class FeatureSpec:
    """What ``@feature`` knows about a method: its feature type, summary and signature.

    Attributes:
        name: The method name.
        feature_type: The feature type it calls (``None`` when ``route`` picks it).
        summary: One line for CLIs and agent tools.
        route: ``(parameter, {value: feature type})`` when an argument picks the type.
        function: The declared function (signature and docstring).
    """

    def __init__(
        self,
        function: Callable[..., Any],
        feature_type: str | None,
        summary: str,
        route: tuple[str, Mapping[str, str]] | None,
    ) -> None:
        self.name: str = function.__name__
        self.feature_type = feature_type
        self.summary = summary
        self.route = route
        self.function = function

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        """The declared signature (annotations as strings)."""
        return inspect.signature(self.function)

    @functools.cached_property
    def params(self) -> dict[str, Any]:
        """Feature parameters → default (``inspect.Parameter.empty`` when required)."""
        return {
            name: p.default
            for name, p in self.signature.parameters.items()
            if name != "self" and name not in CONTROL
        }

    @functools.cached_property
    def inputs(self) -> dict[str, str]:
        """File parameters → the asset type of their upload."""
        kinds: dict[str, str] = {}
        for name in self.params:
            for part in _annotation(self.signature.parameters[name]):
                if part in FILE_KINDS:
                    kinds[name] = FILE_KINDS[part]
        return kinds

    @functools.cached_property
    def record_ids(self) -> tuple[str, ...]:
        """Parameters that take an :class:`AssetRecord` for its file id (not an upload)."""
        return tuple(
            name
            for name in self.params
            if name not in self.inputs
            and "AssetRecord" in _annotation(self.signature.parameters[name])
        )

    def __repr__(self) -> str:
        return f"<feature {self.name} {self.feature_type or 'routed'}>"


def _annotation(parameter: inspect.Parameter) -> list[str]:
    annotation = parameter.annotation
    if not isinstance(annotation, str):  # pragma: no cover - a programming error
        raise TypeError(f"{parameter.name}: feature annotations must be strings")
    return [part.strip() for part in annotation.split("|")]


def feature(
    feature_type: str | None,
    summary: str,
    *,
    route: tuple[str, Mapping[str, str]] | None = None,
) -> Callable[[F], F]:
    """Make a declared method call its feature (see the module docstring).

    Args:
        feature_type: The ``type`` of ``POST /api/features`` (``None`` with ``route``).
        summary: One line for CLIs and agent tools.
        route: ``(parameter, {value: feature type})`` for methods whose feature type an
            argument picks (``platform``).
    """

    def decorate(function: F) -> F:
        spec = FeatureSpec(function, feature_type, summary, route)

        @functools.wraps(function)
        def method(self: FeatureClient, *args: Any, **kwargs: Any) -> Any:
            return run_feature(self, spec, args, kwargs)

        method.feature = spec  # type: ignore[attr-defined]
        return method  # type: ignore[return-value]

    return decorate


def feature_spec(member: object) -> FeatureSpec | None:
    """The :class:`FeatureSpec` of a class member made with ``@feature`` (else ``None``)."""
    spec = getattr(member, "feature", None)
    return spec if isinstance(spec, FeatureSpec) else None


class FeatureClient(Protocol):
    """What a feature call needs from a client (both clients have it)."""

    _ctx: Context

    def _run(self, op: Op[T]) -> Awaitable[T]: ...


def run_feature(
    client: FeatureClient, spec: FeatureSpec, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Bind a call to ``spec``'s signature, validate it, and run the feature operation.

    Raises:
        TypeError: arguments that do not fit the signature.
        InvalidRequestError: a value the registry refuses (nothing is sent).
    """
    from ..._protocol import _features as features  # the registry loads on first use

    bound = spec.signature.bind(client, *args, **kwargs)
    bound.apply_defaults()
    values = bound.arguments
    values.pop("self")
    control = {name: values.pop(name) for name in CONTROL if name in values}
    if spec.record_ids:
        from ...types import AssetRecord

        for name in spec.record_ids:
            if isinstance(values[name], AssetRecord):
                values[name] = values[name].file_id
    poll = features.poll_options(
        control.get("poll_timeout"), control.get("poll_interval"), control.get("on_progress")
    )
    call = features.prepare(
        spec.name,
        values,
        model=control.get("model"),
        extra=control.get("extra"),
        wait=control.get("wait", True),
        poll=poll,
    )
    client._ctx.require_credential()
    return client._run(features.bind_outputs(client, features.run(client._ctx, call)))
