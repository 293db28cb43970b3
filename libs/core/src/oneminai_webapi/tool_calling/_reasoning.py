"""Separating a reply's leading reasoning (``<think>…</think>``) from its answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Tags that open a reasoning block at the start of a reply (DeepSeek-R1, Qwen3, Claude).
REASONING_TAGS = ("think", "thinking", "reasoning")
_OPEN_RE = re.compile(r"\s*<(think|thinking|reasoning)>", re.IGNORECASE)
_OPEN_TAGS = tuple(f"<{tag}>" for tag in REASONING_TAGS)
_SPACE_RE = re.compile(r"\s*")


@dataclass(frozen=True)
class ReasoningSplit:
    """A reply split into reasoning and answer.

    Attributes:
        reasoning: The text of the leading reasoning blocks (stripped, blocks joined by a
            blank line); for a partial reply, the part known so far.
        answer: The reply after the reasoning, or ``None`` while a partial reply could still
            be inside (or at the start of) a reasoning block.
        has_reasoning: Whether the reply starts with a reasoning block.
    """

    reasoning: str
    answer: str | None
    has_reasoning: bool


def split_reasoning(text: str, *, final: bool = True) -> ReasoningSplit:
    """Split off the reasoning blocks a reply starts with.

    Only blocks at the very start count (after whitespace): ``<think>``, ``<thinking>`` and
    ``<reasoning>``, case-insensitive, possibly several in a row. A block that is never closed
    holds the rest of the reply (a truncated reply).

    Args:
        text: The reply, or the part received so far.
        final: Whether ``text`` is the complete reply. For a partial reply, text that could
            still turn out to be reasoning is not given as answer.

    Returns:
        The split.
    """
    parts: list[str] = []
    position = 0
    answer: str | None = None
    while True:
        match = _OPEN_RE.match(text, position)
        if match is None:
            rest = text[position:]
            if not final and _could_open(rest):
                break
            answer = rest
            break
        tag = match.group(1).lower()
        close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(text, match.end())
        if close is None:
            inner = text[match.end() :]
            if final:
                parts.append(inner)
                answer = ""
            else:
                parts.append(_without_partial_close(inner, tag))
            break
        parts.append(text[match.end() : close.start()])
        position = close.end()
    reasoning = "\n\n".join(part.strip() for part in parts if part.strip())
    return ReasoningSplit(reasoning=reasoning, answer=answer, has_reasoning=bool(parts))


def _could_open(rest: str) -> bool:
    """Whether a partial reply could still be the start of a reasoning tag."""
    lead = _SPACE_RE.match(rest).end()  # type: ignore[union-attr]
    head = rest[lead : lead + 12].lower()
    if not head:
        return True
    return len(rest) - lead < 12 and any(tag.startswith(head) for tag in _OPEN_TAGS)


def _without_partial_close(inner: str, tag: str) -> str:
    """Drop a closing tag that has only partly arrived (``…</thi``)."""
    closing = f"</{tag}>"
    lowered = inner.lower()
    for size in range(min(len(closing) - 1, len(inner)), 0, -1):
        if closing.startswith(lowered[-size:]):
            return inner[:-size]
    return inner
