"""The shapes of the feature registry's rows, and the value converters rows may name.

A registry row is plain data. Three kinds of rows exist:

* :class:`Feature` — one per ``type`` of ``POST /api/features``: default model, output kind,
  whether it is long-running, whether the top-level ``conversationId`` carries the type,
  the ``promptObject`` fields the service requires, and its model families.
* :class:`Family` — how the Python arguments become ``promptObject`` fields for the models
  whose id matches ``match``; every feature also has a ``generic`` family used for model
  ids no row matches.
* :class:`Method` — one per public client method: its Python parameters (with defaults),
  which of them are uploadable inputs, and which feature type it calls (or how a
  ``platform`` argument picks one).

Converters (:func:`size`, :func:`aspect_ratio`, …) are small pure functions so that a new
model family is a new row that reuses them, not a new code path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

OutputKind = Literal["text", "image", "audio", "video"]
ResultType = Literal["chat", "transcription", "image", "audio", "music", "video"]
Evidence = Literal["documented", "partial", "none"]
InputKind = Literal["IMAGE", "AUDIO", "VIDEO", "DOCUMENT"]


class _Required:
    """Marks a Python parameter without a default (a required positional argument)."""

    _instance: _Required | None = None

    def __new__(cls) -> _Required:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Arg:
    """One ``promptObject`` field and the Python argument(s) it comes from.

    Attributes:
        field: The wire field; ``None`` for a rule that only validates ``source``.
        source: The Python argument name, or several names passed to ``convert`` in order.
        convert: ``convert(*values) -> wire value`` (default: the single value as is).
        default: Wire value used when the (single) Python value is ``None``.
        choices: Values the Python argument may take (checked before ``convert``).
        allowed: Values the wire field may take (checked after ``convert``; the
            emulator checks the same list).
        range: Inclusive ``(min, max)`` of a numeric wire value.
        integer: The wire value must be an ``int``.
        max_length: Maximum length of a string wire value.
        omit: Wire values that mean "do not send the field" (e.g. the model's default).
        required: The service requires the field for this family.
        top_level: Also send the value at the top level of the body (YouTube ``videoUrl``).
        refusal: The provider's message when the service refuses a value outside
            ``allowed`` (``{allowed}`` and ``{value}`` are filled in); the emulator answers
            it as ``EXTERNAL_API_RESPONSE_WITH_ERROR``, as the service does.
        dropped: When set, the argument is never sent: a value other than the method's
            default or one of ``kept`` raises a :class:`UserWarning` saying why
            (``dropped`` is the reason), instead of an error.
        kept: Values of a ``dropped`` argument that the model honours anyway (no warning).
        offered: The Python values to offer agents and CLIs when the accepted values are
            not a fixed ``allowed`` list (Kling's durations below version 3.0); not enforced.
    """

    field: str | None
    source: str | tuple[str, ...]
    convert: Callable[..., Any] | None = None
    default: Any = None
    choices: tuple[Any, ...] | None = None
    allowed: tuple[Any, ...] | None = None
    range: tuple[float, float] | None = None
    integer: bool = False
    max_length: int | None = None
    omit: tuple[Any, ...] = ()
    required: bool = False
    top_level: bool = False
    refusal: str | None = None
    dropped: str | None = None
    kept: tuple[Any, ...] = ()
    offered: tuple[Any, ...] | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        """The Python argument names this rule reads."""
        return (self.source,) if isinstance(self.source, str) else self.source


@dataclass(frozen=True)
class Family:
    """How one model family receives a feature's arguments.

    Attributes:
        name: Short family name used in error messages (``"gpt-image"``, ``"flux"``).
        match: Regular expression searched (case-insensitively) in the model id.
        args: The argument rules.
        constants: Fields always sent (a caller's ``extra`` overrides them).
        required: Extra wire fields the service requires for this family.
        models: Documented model ids of the family (examples; the catalog is live).
        provider: The upstream provider whose errors the service forwards (``context.service``
            of ``EXTERNAL_API_RESPONSE_WITH_ERROR``), when known.
        checks: Rules over the whole ``promptObject`` (after ``extra``), for fields whose
            allowed values depend on each other (Kling's duration on its version); each
            returns an error message or ``None``.
        note: Where the mapping comes from, or what is guessed.
    """

    name: str
    match: str
    args: tuple[Arg, ...] = ()
    constants: Mapping[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    provider: str | None = None
    checks: tuple[Callable[[Mapping[str, Any]], str | None], ...] = ()
    note: str = ""

    def matches(self, model: str) -> bool:
        """Whether ``model`` belongs to this family."""
        return re.search(self.match, model, re.IGNORECASE) is not None

    def required_fields(self) -> tuple[str, ...]:
        """Every wire field this family must send."""
        own = tuple(a.field for a in self.args if a.required and a.field)
        return tuple(dict.fromkeys(self.required + own))


@dataclass(frozen=True)
class Feature:
    """One feature type of ``POST /api/features``.

    Attributes:
        type: The wire ``type``.
        output: What ``resultObject`` holds: ``text``, or asset keys of ``image``, ``audio``
            or ``video`` files.
        result: The Python output class the client returns.
        default_model: Model used when the caller passes none.
        generic: The mapping for model ids no family matches (documented fallback).
        families: Model families, first match wins.
        required: ``promptObject`` fields required for every model.
        long_running: Sent with ``"async": true`` and polled (video, music).
        conversation_id: Send the top-level ``conversationId`` equal to the type.
        listed: Among the live catalog's feature enums (``docs/protocol.md``, "Feature types").
        evidence: ``documented``; ``partial`` (fields guessed); ``none`` (the type itself is
            a best-effort name with no evidence it exists on the service).
        timeout_s: Total timeout of the (synchronous) feature request.
        read_timeout_s: Read timeout of the synchronous request: the service holds the
            connection silent until the job ends (75 s seen live for a video). The client
            raises its read timeout to this for the call, never lowers it.
        note: Sources and caveats.
    """

    type: str
    output: OutputKind
    result: ResultType
    default_model: str
    generic: Family
    families: tuple[Family, ...] = ()
    required: tuple[str, ...] = ()
    long_running: bool = False
    conversation_id: bool = False
    listed: bool = True
    evidence: Evidence = "documented"
    timeout_s: float | None = None
    read_timeout_s: float | None = None
    note: str = ""

    def family_for(self, model: str) -> Family:
        """The family of ``model`` (the generic one when no row matches)."""
        for family in self.families:
            if family.matches(model):
                return family
        return self.generic


@dataclass(frozen=True)
class Method:
    """One public client method.

    Attributes:
        name: The method name.
        feature: The feature type it calls (``None`` when ``route`` picks it).
        params: Python parameters (except ``model`` and the control options) → default;
            :data:`REQUIRED` for positional ones without a default.
        inputs: Parameters that take files (asset key, URL, local path or bytes) → the
            asset type used when uploading.
        route: ``(parameter, {value: feature type})`` for methods whose feature depends on
            an argument (``platform``).
        summary: One line for CLIs and agent tools.
    """

    name: str
    feature: str | None
    params: Mapping[str, Any]
    inputs: Mapping[str, InputKind] = field(default_factory=dict)
    route: tuple[str, Mapping[str, str]] | None = None
    summary: str = ""

    def feature_types(self) -> tuple[str, ...]:
        """Every feature type this method can call."""
        if self.route is not None:
            return tuple(dict.fromkeys(self.route[1].values()))
        assert self.feature is not None
        return (self.feature,)


# ── converters ──────────────────────────────────────────────────────────────────────────


def _ints(*values: Any) -> tuple[int, ...]:
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            raise ValueError(f"expected positive integers, got {values!r}")
    return tuple(values)


def size(width: Any, height: Any) -> str:
    """``(1024, 1536)`` → ``"1024x1536"``."""
    w, h = _ints(width, height)
    return f"{w}x{h}"


def aspect_ratio(width: Any, height: Any) -> str:
    """``(1920, 1080)`` → ``"16:9"`` (the reduced ratio)."""
    w, h = _ints(width, height)
    g = math.gcd(w, h)
    return f"{w // g}:{h // g}"


def aspect_part(index: int) -> Callable[[Any, Any], int]:
    """One side of the reduced ratio (Midjourney's ``aspect_width``/``aspect_height``)."""

    def part(width: Any, height: Any) -> int:
        w, h = _ints(width, height)
        g = math.gcd(w, h)
        return (w // g, h // g)[index]

    part.__name__ = f"aspect_part_{index}"
    return part


def side(name: str) -> Callable[[Any, Any], int]:
    """``amount`` for the chosen ``direction`` and 0 for the other sides (outpainting)."""

    def amount_for(direction: Any, amount: Any) -> int:
        return int(amount) if str(direction).lower() == name else 0

    amount_for.__name__ = f"side_{name}"
    return amount_for


def fmt(template: str) -> Callable[..., str]:
    """Format the values into ``template`` (``fmt("{}s")``: ``8`` → ``"8s"``)."""

    def format_values(*values: Any) -> str:
        return template.format(*values)

    format_values.__name__ = f"fmt({template!r})"
    return format_values


def lookup(table: Mapping[Any, Any]) -> Callable[[Any], Any]:
    """Translate a value through ``table`` (validate it with ``choices`` = the table keys)."""

    def translate(value: Any) -> Any:
        return table.get(value, value)

    translate.__name__ = "lookup"
    return translate


def words_or(factor: float, minimum: int = 1) -> Callable[[Any, Any], int]:
    """``explicit`` when given, else ``factor`` × the word count of ``text``."""

    def count(explicit: Any, text: Any) -> int:
        if explicit is not None:
            return int(explicit)
        return max(minimum, round(len(str(text or "").split()) * factor))

    count.__name__ = f"words_or({factor})"
    return count


def csv(value: Any) -> str:
    """A list of strings as one comma-separated string (strings pass through)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return ", ".join(str(v) for v in value)
    return str(value)


def as_list(value: Any) -> list[Any]:
    """Wrap one value in a list (``fileList``-style fields)."""
    return list(value) if isinstance(value, (list, tuple)) else [value]


def truthy_only(value: Any) -> Any:
    """``True`` when truthy, else ``None`` (the field is then omitted)."""
    return True if value else None


def _version(value: Any) -> float | None:
    try:
        return float(str(value).split("-", 1)[0])
    except ValueError:
        return None


KLING_MODES = ("std", "pro")


def kling_rules(prompt_object: Mapping[str, Any]) -> str | None:
    """Kling's duration and mode by ``version``: 5|10 s below 3.0, 3–15 s from 3.0.

    From the docs, as quoted by source SF of ``docs/protocol.md``.

    ``version`` defaults to below 3.0 when absent (the docs' example sends ``"1.0"``).
    """
    raw = prompt_object.get("version")
    version = _version(raw) if raw is not None else None
    if raw is not None and version is None:
        return f"promptObject.version={raw!r} is not a Kling version such as '1.6' or '3.0'"
    duration = prompt_object.get("duration")
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, int):
            return f"promptObject.duration={duration!r} must be an integer number of seconds"
        if version is not None and version >= 3.0:
            if not 3 <= duration <= 15:
                return (
                    f"promptObject.duration={duration!r} is out of range for Kling {raw}; "
                    "allowed: 3 to 15"
                )
        elif duration not in (5, 10):
            shown = f"Kling {raw}" if raw is not None else "Kling below version 3.0"
            return f"promptObject.duration={duration!r} is not accepted for {shown}; allowed: 5, 10"
    mode = prompt_object.get("mode")
    if mode is not None and mode not in KLING_MODES:
        return f"promptObject.mode={mode!r} is not accepted; allowed values: 'std', 'pro'"
    return None
