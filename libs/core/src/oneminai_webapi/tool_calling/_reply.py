"""Reply interpretation for adapters: a turn's plan, the streaming assembler and the outcome."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ._choice import normalize_tool_choice, unwrap_response_format
from ._json import extract_json
from ._parse import parse_reply, stream_safe_prefix
from ._render import corrective_prompt, json_corrective_prompt, render_prompt
from ._types import InvalidToolCall, ToolCall, ToolSpec, Turn


@dataclass(frozen=True)
class ReplyPlan:
    """What one chat turn's reply must look like, and how much of it may stream early.

    Build it with :meth:`create`; render the prompt with :meth:`render`; read a whole reply
    with :meth:`interpret`, or a streamed one with a :class:`ReplyAssembler`.

    The streaming :attr:`mode` is:

    * ``text`` (no tools active, no JSON answer): text streams as it arrives; stop sequences
      are applied client-side, holding back just enough characters never to emit part of one.
    * ``auto`` (tools active, ``tool_choice="auto"``): text streams until something that
      could start a tool call appears (see :func:`stream_safe_prefix`).
    * ``buffered`` (a tool call is required, or a JSON answer is): nothing streams until the
      reply is complete, which is what allows an invisible corrective retry.

    Attributes:
        tools: The tools offered.
        tool_choice: Normalized choice: ``auto``, ``required``, ``none`` or a tool name.
        response_schema: ``None`` for free text; the JSON schema of a bare-JSON answer
            (``{}``: any JSON object).
        stop: Stop sequences, applied client-side.
        parallel_tool_calls: ``False`` keeps only the first valid tool call of a reply.
    """

    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str = "auto"
    response_schema: Mapping[str, Any] | None = None
    stop: tuple[str, ...] = ()
    parallel_tool_calls: bool = True

    @classmethod
    def create(
        cls,
        tools: Sequence[ToolSpec] = (),
        tool_choice: str | bool | Mapping[str, Any] | None = None,
        response_format: Mapping[str, Any] | None = None,
        *,
        stop: Sequence[str] = (),
        parallel_tool_calls: bool = True,
    ) -> ReplyPlan:
        """Build a plan from the caller's spellings.

        Args:
            tools: The tools offered.
            tool_choice: Any spelling :func:`normalize_tool_choice` accepts.
            response_format: A JSON schema or OpenAI ``response_format`` (see
                :func:`unwrap_response_format`); ``None`` for free text.
            stop: Stop sequences (empty ones are ignored).
            parallel_tool_calls: Whether a reply may hold more than one tool call.

        Returns:
            The plan.
        """
        specs = tuple(tools)
        return cls(
            tools=specs,
            tool_choice=normalize_tool_choice(tool_choice, specs),
            response_schema=unwrap_response_format(response_format),
            stop=tuple(s for s in stop if s),
            parallel_tool_calls=parallel_tool_calls,
        )

    @property
    def tools_active(self) -> bool:
        """Whether the model may call tools in this reply."""
        return bool(self.tools) and self.tool_choice != "none"

    @property
    def call_required(self) -> bool:
        """Whether this reply must contain a tool call (``required`` or a named tool)."""
        return self.tools_active and self.tool_choice != "auto"

    @property
    def mode(self) -> Literal["text", "auto", "buffered"]:
        """How text is streamed (see the class docstring)."""
        if self.call_required or self.response_schema is not None:
            return "buffered"
        return "auto" if self.tools_active else "text"

    def render(self, turns: Sequence[Turn]) -> str:
        """Render the prompt for ``turns`` with this plan's tools and answer format."""
        return render_prompt(
            turns,
            tools=self.tools,
            tool_choice=self.tool_choice,
            response_schema=self.response_schema,
        )

    def retry_prompt(self, prompt: str, previous_reply: str) -> str:
        """The corrective prompt after a reply that missed its required form.

        Args:
            prompt: The prompt originally sent.
            previous_reply: The reply that lacked the required tool call or JSON answer.

        Returns:
            A tool-call correction when a call is required, else a JSON correction.
        """
        if self.call_required:
            return corrective_prompt(
                prompt, self.tools, self.tool_choice, previous_reply=previous_reply
            )
        return json_corrective_prompt(prompt, previous_reply=previous_reply)

    def interpret(self, text: str) -> ReplyOutcome:
        """Interpret a complete, non-streamed reply (``stop`` sequences still apply)."""
        assembler = ReplyAssembler(self)
        assembler._receive(text)
        return assembler.finish()


@dataclass(frozen=True)
class ReplyOutcome:
    """A reply read according to its :class:`ReplyPlan`.

    Attributes:
        content: The message text: the reply without tool-call JSON, or the bare JSON answer.
        tail: The part of ``content`` not streamed yet (all of it for a non-streamed reply).
        tool_calls: Valid tool calls (only the first when parallel calls are off).
        invalid_tool_calls: Tool calls that were found but rejected.
        missing_call: A required tool call is missing (a corrective retry may help).
        missing_json: A JSON answer was required and the reply holds none.
        stopped: A stop sequence ended the reply.
        raw_text: The reply text after stop-sequence truncation.
    """

    content: str = ""
    tail: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    missing_call: bool = False
    missing_json: bool = False
    stopped: bool = False
    raw_text: str = ""

    @property
    def satisfied(self) -> bool:
        """Whether the reply has the form its plan requires."""
        return not (self.missing_call or self.missing_json)

    @property
    def finish_reason(self) -> str:
        """``tool_calls`` when the reply calls tools, else ``stop``."""
        return "tool_calls" if self.tool_calls else "stop"


class _Text:
    """A string built by appending: pieces are joined once, when the whole is read."""

    __slots__ = ("_joined", "_pieces", "length")

    def __init__(self) -> None:
        self._joined = ""
        self._pieces: list[str] = []
        self.length = 0

    def append(self, piece: str) -> None:
        self._pieces.append(piece)
        self.length += len(piece)

    def value(self) -> str:
        if self._pieces:
            self._pieces.insert(0, self._joined)
            self._joined = "".join(self._pieces)
            self._pieces = []
        return self._joined

    def set(self, text: str) -> None:
        self._joined, self._pieces, self.length = text, [], len(text)

    def tail(self, n: int) -> str:
        """The last ``n`` characters, without joining everything."""
        if n <= 0:
            return ""
        taken: list[str] = []
        size = 0
        for piece in reversed(self._pieces):
            taken.append(piece)
            size += len(piece)
            if size >= n:
                break
        else:
            taken.append(self._joined[-(n - size) :] if n > size else "")
        return "".join(reversed(taken))[-n:]


class ReplyAssembler:
    """Accumulates one reply, decides what may be streamed, and interprets it at the end.

    Streaming and non-streaming calls give the same result: what :meth:`feed` returned plus
    the final :attr:`ReplyOutcome.tail` always equals :attr:`ReplyOutcome.content`.

    In ``text`` mode each :meth:`feed` costs time in proportion to its delta (and the longest
    stop sequence), so a long stream is assembled in linear time; the other modes look at
    the whole reply on every delta.

    Args:
        plan: What the reply must look like.

    Attributes:
        raw: The reply received so far (cut at a stop sequence).
        emitted: The text returned by :meth:`feed` so far.
        stopped: Whether a stop sequence has ended the reply.
    """

    def __init__(self, plan: ReplyPlan) -> None:
        self.plan = plan
        self._raw = _Text()
        self._emitted = _Text()
        self.stopped = False
        self._stops = tuple(s for s in plan.stop if s)
        self._holdback = max((len(s) for s in self._stops), default=1) - 1

    @property
    def raw(self) -> str:
        """The reply received so far (cut at a stop sequence)."""
        return self._raw.value()

    @raw.setter
    def raw(self, text: str) -> None:
        self._raw.set(text)

    @property
    def emitted(self) -> str:
        """The text returned by :meth:`feed` so far."""
        return self._emitted.value()

    @emitted.setter
    def emitted(self, text: str) -> None:
        self._emitted.set(text)

    def feed(self, delta: str, *, cumulative: str | None = None) -> str:
        """Add text from the service and return the text that can be streamed now.

        Args:
            delta: The new text.
            cumulative: The whole reply so far, when the service sends it; it is preferred
                to ``delta`` when it extends the text received so far.

        Returns:
            The newly streamable text ("" if none).
        """
        if (
            cumulative is not None
            and len(cumulative) >= self._raw.length + len(delta)
            and cumulative.startswith(self.raw)
        ):
            delta = cumulative[self._raw.length :]
        if self.plan.mode == "text":
            return self._feed_text(delta)
        if not self._receive(delta):
            return ""
        mode = self.plan.mode
        if mode == "buffered":
            return ""
        end = len(self.raw) if self.stopped else max(0, len(self.raw) - self._holdback)
        target = stream_safe_prefix(self.raw[:end])  # ``auto``: never part of a tool call
        if not target.startswith(self.emitted):
            return ""
        piece = target[len(self.emitted) :]
        self.emitted += piece
        return piece

    def finish(self) -> ReplyOutcome:
        """Interpret the complete reply."""
        text = self.raw
        if self.plan.mode == "text":
            return self._outcome(text)
        parsed = parse_reply(text, self.plan.tools if self.plan.tools_active else ())
        calls = parsed.tool_calls if self.plan.parallel_tool_calls else parsed.tool_calls[:1]
        content = parsed.text
        missing_json = False
        if self.plan.response_schema is not None and not calls:
            try:
                content = json.dumps(extract_json(parsed.text), ensure_ascii=False)
            except ValueError:
                missing_json = True
        return self._outcome(
            content,
            tool_calls=calls,
            invalid=parsed.invalid_tool_calls,
            missing_call=self.plan.call_required and not self._has_required_call(calls),
            missing_json=missing_json,
        )

    def _feed_text(self, delta: str) -> str:
        """``text`` mode, touching only the delta and the last held-back characters."""
        if self.stopped or not delta:
            return ""
        raw, held = self._raw, self._holdback
        if not self._stops:
            raw.append(delta)
            self._emitted.append(delta)
            return delta
        before = raw.length
        tail = raw.tail(held)
        window = tail + delta
        offset = before - len(tail)  # where ``window`` starts in the reply
        found = [i for stop in self._stops if (i := window.find(stop)) != -1]
        if found:
            cut = offset + min(found)
            if cut >= before:
                raw.append(delta[: cut - before])
            else:  # the stop sequence began in the held-back characters
                raw.set(raw.value()[:cut])
            self.stopped = True
            end = cut
        else:
            raw.append(delta)
            end = before + len(delta) - held
        start = self._emitted.length
        if end <= start:
            return ""
        piece = window[start - offset : end - offset]
        self._emitted.append(piece)
        return piece

    def _receive(self, delta: str) -> bool:
        """Append ``delta`` up to a stop sequence; return whether anything was taken."""
        if self.stopped or not delta:
            return False
        search_from = max(0, len(self.raw) - self._holdback)
        self.raw += delta
        cut = self._stop_index(search_from)
        if cut is not None:
            self.raw = self.raw[:cut]
            self.stopped = True
        return True

    def _has_required_call(self, calls: Sequence[ToolCall]) -> bool:
        if self.plan.tool_choice == "required":
            return bool(calls)
        return any(call.name == self.plan.tool_choice for call in calls)

    def _outcome(
        self,
        content: str,
        *,
        tool_calls: list[ToolCall] | None = None,
        invalid: list[InvalidToolCall] | None = None,
        missing_call: bool = False,
        missing_json: bool = False,
    ) -> ReplyOutcome:
        tail = content[len(self.emitted) :] if content.startswith(self.emitted) else ""
        return ReplyOutcome(
            content=self.emitted + tail,
            tail=tail,
            tool_calls=tool_calls or [],
            invalid_tool_calls=invalid or [],
            missing_call=missing_call,
            missing_json=missing_json,
            stopped=self.stopped,
            raw_text=self.raw,
        )

    def _stop_index(self, search_from: int) -> int | None:
        found = [i for s in self._stops if (i := self.raw.find(s, search_from)) != -1]
        return min(found) if found else None
