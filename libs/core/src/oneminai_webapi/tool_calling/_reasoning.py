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


class ReasoningStream:
    """:func:`split_reasoning` for a reply that arrives in pieces, in time linear in its size.

    Feed the reply's text in order; :meth:`feed` returns the reasoning that is now certain,
    and :attr:`answer_at` tells where the answer starts once that is known. Only characters
    not decided yet are kept (white space that may end a block, a tag that has partly
    arrived), so a piece costs time in proportion to its own length.

    What it hands out always continues what it handed out before, and is a prefix of
    ``split_reasoning(reply).reasoning`` for the whole reply.

    Attributes:
        answer_at: Where the answer starts in the reply (after the reasoning blocks and the
            white space after them), once known; else ``None``.
    """

    def __init__(self) -> None:
        self.answer_at: int | None = None
        self._pending = ""  # characters fed but not decided yet
        self._position = 0  # where ``_pending`` starts in the reply
        self._tag = ""  # the last block's tag ("" before the first block)
        self._close: re.Pattern[str] | None = None
        self._block_shown = False  # the open block has handed out reasoning
        self._shown = False  # any block has

    def feed(self, text: str) -> str:
        """Add the next piece of the reply; return the reasoning it makes certain."""
        if self.answer_at is not None:
            return ""
        pending, out = self._pending + text, []
        while True:
            if self._close is None:  # at the start, or between blocks
                match = _OPEN_RE.match(pending)
                if match is None:
                    if not _could_open(pending):
                        # After reasoning, the answer starts past the white space.
                        lead = len(pending) - len(pending.lstrip()) if self._tag else 0
                        self.answer_at = self._position + lead
                        pending = ""
                    break
                self._tag, self._block_shown = match.group(1).lower(), False
                self._close = re.compile(rf"</{self._tag}\s*>", re.IGNORECASE)
                pending = self._advance(pending, match.end())
                continue
            close = self._close.search(pending)
            if close is not None:
                body = pending[: close.start()].rstrip()
                out.append(self._show(body if self._block_shown else body.lstrip()))
                self._close = None
                pending = self._advance(pending, close.end())
                continue
            hold = pending.rfind("<")
            if hold == -1 or not _could_close(pending[hold:], self._tag):
                hold = len(pending)
            body = pending[:hold].rstrip()  # trailing white space may end the block
            start = len(body) - len(body.lstrip()) if not self._block_shown else 0
            out.append(self._show(body[start:]))
            pending = self._advance(pending, len(body))
            break
        self._pending = pending
        return "".join(out)

    def _advance(self, pending: str, count: int) -> str:
        self._position += count
        return pending[count:]

    def _show(self, text: str) -> str:
        if not text:
            return ""
        if not self._block_shown:
            self._block_shown = True
            if self._shown:
                text = "\n\n" + text
        self._shown = True
        return text


def _could_close(rest: str, tag: str) -> bool:
    """Whether ``rest`` (starting at ``<``) could still become the block's closing tag."""
    head = f"</{tag}"
    lowered = rest.lower()
    if len(lowered) <= len(head):
        return head.startswith(lowered)
    return lowered.startswith(head) and not lowered[len(head) :].strip()
