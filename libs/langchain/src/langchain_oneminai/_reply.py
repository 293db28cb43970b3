"""Turning the service's text (streamed or whole) into message content and tool calls.

One :class:`ReplyAssembler` is used by all four code paths (``_generate``, ``_agenerate``,
``_stream``, ``_astream``), so ``invoke`` and ``stream`` produce the same message: a
non-streamed answer is simply fed as one delta.

Modes:

* ``text`` (no tools, no JSON answer): deltas stream through; stop sequences are applied
  client-side, holding back just enough characters to never emit part of a stop sequence.
* ``auto`` (tools bound, ``tool_choice="auto"``): text streams until something that could
  start a tool call appears (see :func:`oneminai_webapi.tool_calling.stream_safe_prefix`);
  the rest is parsed at the end.
* ``buffered`` (a call is required, or a JSON answer is requested): nothing streams until the
  reply is complete, which allows one invisible corrective retry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from oneminai_webapi.tool_calling import (
    InvalidToolCall,
    ToolCall,
    ToolSpec,
    corrective_prompt,
    extract_json,
    json_corrective_prompt,
    parse_reply,
    stream_safe_prefix,
)

__all__ = ["ReplyAssembler", "ReplyOutcome", "ReplyPlan"]


@dataclass(frozen=True)
class ReplyPlan:
    """What the reply must look like.

    Attributes:
        tools: Tools bound to the call.
        tool_choice: Normalized choice: ``auto``, ``required``, ``none`` or a tool name.
        response_schema: ``None`` for free text; a JSON schema (``{}`` for any object) when
            the answer must be bare JSON.
        stop: Stop sequences, applied client-side.
        max_tool_retries: Corrective retries when the reply misses its required form.
    """

    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str = "auto"
    response_schema: Mapping[str, Any] | None = None
    stop: tuple[str, ...] = ()
    max_tool_retries: int = 1

    @property
    def tools_active(self) -> bool:
        """Whether the model may call tools in this reply."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def call_required(self) -> bool:
        """Whether this reply must contain a tool call."""
        return self.tools_active and self.tool_choice != "auto"

    @property
    def mode(self) -> Literal["text", "auto", "buffered"]:
        """How text is streamed (see the module docstring)."""
        if self.call_required or self.response_schema is not None:
            return "buffered"
        return "auto" if self.tools_active else "text"

    def retry_prompt(self, prompt: str, previous_reply: str) -> str:
        """The corrective prompt for a reply that missed its required form."""
        if self.call_required:
            return corrective_prompt(
                prompt, self.tools, self.tool_choice, previous_reply=previous_reply
            )
        return json_corrective_prompt(prompt, previous_reply=previous_reply)


@dataclass
class ReplyOutcome:
    """The parsed reply.

    Attributes:
        content: The full message content.
        tail: The part of ``content`` not yet streamed.
        tool_calls: Valid tool calls.
        invalid_tool_calls: Rejected tool calls.
        satisfied: False when a required call or JSON answer is missing (retry candidate).
        stopped: True when a stop sequence ended the reply.
        raw_text: The reply text after stop-sequence truncation.
    """

    content: str
    tail: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    satisfied: bool = True
    stopped: bool = False
    raw_text: str = ""

    @property
    def finish_reason(self) -> str:
        """``tool_calls`` when the reply calls tools, else ``stop``."""
        return "tool_calls" if self.tool_calls else "stop"


class ReplyAssembler:
    """Accumulates a reply and decides what may be streamed and what it finally means."""

    def __init__(self, plan: ReplyPlan) -> None:
        self.plan = plan
        self.raw = ""
        self.emitted = ""
        self.stopped = False
        self._stops = tuple(s for s in plan.stop if s)
        self._holdback = max((len(s) for s in self._stops), default=1) - 1

    def feed(self, delta: str) -> str:
        """Add text from the service; return the text that can be streamed now."""
        if self.stopped or not delta:
            return ""
        search_from = max(0, len(self.raw) - self._holdback)
        self.raw += delta
        cut = self._stop_index(search_from)
        if cut is not None:
            self.raw = self.raw[:cut]
            self.stopped = True
        mode = self.plan.mode
        if mode == "buffered":
            return ""
        end = len(self.raw) if self.stopped else max(0, len(self.raw) - self._holdback)
        visible = self.raw[:end]
        target = visible if mode == "text" else stream_safe_prefix(visible)
        if not target.startswith(self.emitted):
            return ""
        piece = target[len(self.emitted) :]
        self.emitted += piece
        return piece

    def finish(self) -> ReplyOutcome:
        """Parse the complete reply."""
        text = self.raw
        if self.plan.mode == "text":
            return self._outcome(text, raw=text)
        tools = self.plan.tools if self.plan.tools_active else ()
        parsed = parse_reply(text, tools)
        content = parsed.text
        satisfied = True
        if self.plan.call_required:
            satisfied = self._has_required_call(parsed.tool_calls)
        if self.plan.response_schema is not None and not parsed.tool_calls:
            try:
                content = json.dumps(extract_json(parsed.text), ensure_ascii=False)
            except ValueError:
                satisfied = False
        return self._outcome(
            content,
            raw=text,
            tool_calls=parsed.tool_calls,
            invalid=parsed.invalid_tool_calls,
            satisfied=satisfied,
        )

    def _has_required_call(self, calls: Sequence[ToolCall]) -> bool:
        if self.plan.tool_choice == "required":
            return bool(calls)
        return any(call.name == self.plan.tool_choice for call in calls)

    def _outcome(
        self,
        content: str,
        *,
        raw: str,
        tool_calls: list[ToolCall] | None = None,
        invalid: list[InvalidToolCall] | None = None,
        satisfied: bool = True,
    ) -> ReplyOutcome:
        tail = content[len(self.emitted) :] if content.startswith(self.emitted) else ""
        return ReplyOutcome(
            content=self.emitted + tail,
            tail=tail,
            tool_calls=tool_calls or [],
            invalid_tool_calls=invalid or [],
            satisfied=satisfied,
            stopped=self.stopped,
            raw_text=raw,
        )

    def _stop_index(self, search_from: int) -> int | None:
        found = [i for s in self._stops if (i := self.raw.find(s, search_from)) != -1]
        return min(found) if found else None
