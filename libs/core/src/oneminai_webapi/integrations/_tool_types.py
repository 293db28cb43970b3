"""What an agent tool gives back, independent of any framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ResultFile", "ToolResult"]


@dataclass(frozen=True)
class ResultFile:
    """A file a tool produced.

    Attributes:
        kind: ``image``, ``audio`` or ``video``.
        url: Where to download it.
        key: Its 1min.AI asset key, when known (usable as a later tool's input).
        source: The client output that can download it (``await source.save(dir)`` with
            the async client), or ``None``.
    """

    kind: Literal["image", "audio", "video"]
    url: str
    key: str | None = None
    source: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ToolResult:
    """The output of one tool call, ready for a framework to present.

    Attributes:
        text: A short text for the model (with the result URLs).
        artifact: JSON-ready details kept out of the prompt (URLs, asset keys, ids, model).
        files: The files produced, in order.
        credits_used: Credits the call spent, when the service said.
    """

    text: str
    artifact: dict[str, Any]
    files: tuple[ResultFile, ...] = ()
    credits_used: float | None = None
