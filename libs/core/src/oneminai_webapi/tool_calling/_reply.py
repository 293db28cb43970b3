"""Reply interpretation for adapters: a turn's plan, the streaming assembler and the outcome."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ._choice import normalize_tool_choice, unwrap_response_format
from ._coerce import coerce_arguments
from ._json import extract_json
from ._parse import parse_answer
from ._reasoning import ReasoningStream, split_reasoning
from ._render import corrective_prompt, json_corrective_prompt, malformed_call_prompt, render_prompt
from ._scan import Scanner
from ._shapes import calls_from_value
from ._types import InvalidToolCall, ToolCall, ToolSpec, Turn, new_call_id
from ._validate import schema_errors


@dataclass(frozen=True)
class ReplyPlan:
    """What one chat turn's reply must look like, and how much of it may stream early.

    Build it with :meth:`create`; render the prompt with :meth:`render`; read a whole reply
    with :meth:`interpret`, or a streamed one with a :class:`ReplyAssembler`.

    The streaming :attr:`mode` is:

    * ``text`` (no tools active, no JSON answer): text streams as it arrives; stop sequences
      are applied client-side, holding back just enough characters never to emit part of one.
    * ``auto`` (tools active, ``tool_choice="auto"``): text streams except while it could
      still be (the start of) a tool call: a fenced ``json``/``tool_calls`` block until it
      closes, an explicit marker such as ``<tool_call>``, or a reply that starts like bare
      JSON. Markdown, lists and code in other languages stream as they arrive.
    * ``buffered`` (a tool call is required, or a JSON answer is): nothing streams until the
      reply is complete, which is what allows an invisible corrective retry.

    In every mode, leading ``<think>`` blocks are reasoning, kept out of the answer text.

    Attributes:
        tools: The tools offered.
        tool_choice: Normalized choice: ``auto``, ``required``, ``none`` or a tool name.
        response_schema: ``None`` for free text; the JSON schema of a bare-JSON answer
            (``{}``: any JSON object).
        stop: Stop sequences, applied client-side.
        parallel_tool_calls: ``False`` keeps only the first tool call of a reply.
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
        strict_tool_choice: bool = False,
    ) -> ReplyPlan:
        """Build a plan from the caller's spellings.

        Args:
            tools: The tools offered.
            tool_choice: Any spelling :func:`normalize_tool_choice` accepts.
            response_format: A JSON schema or OpenAI ``response_format`` (see
                :func:`unwrap_response_format`); ``None`` for free text.
            stop: Stop sequences (empty ones are ignored).
            parallel_tool_calls: Whether a reply may hold more than one tool call.
            strict_tool_choice: Raise ``ValueError`` for a ``tool_choice`` naming no tool.

        Returns:
            The plan.

        Raises:
            ValueError: With ``strict_tool_choice``, for an unknown tool name.
        """
        specs = tuple(tools)
        return cls(
            tools=specs,
            tool_choice=normalize_tool_choice(tool_choice, specs, strict=strict_tool_choice),
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
    def required_tool(self) -> ToolSpec | None:
        """The one tool a required call must use (a named choice, or the only tool)."""
        if not self.call_required:
            return None
        if self.tool_choice == "required":
            return self.tools[0] if len(self.tools) == 1 else None
        return next((t for t in self.tools if t.name == self.tool_choice), None)

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
            parallel_tool_calls=self.parallel_tool_calls,
        )

    def retry_prompt(
        self, prompt: str, previous_reply: str, outcome: ReplyOutcome | None = None
    ) -> str:
        """The corrective prompt after a reply that missed its required form.

        Args:
            prompt: The prompt originally sent.
            previous_reply: The reply that lacked the required tool call or JSON answer, or
                held an unreadable call.
            outcome: The previous reply's outcome, to say what was wrong with it.

        Returns:
            A tool-call correction when a call is required, a JSON correction when a JSON
            answer is missing, else a correction of the unreadable call.
        """
        if self.call_required:
            return corrective_prompt(
                prompt, self.tools, self.tool_choice, previous_reply=previous_reply
            )
        if outcome is not None and outcome.malformed_call:
            errors = [bad.error for bad in outcome.invalid_tool_calls]
            return malformed_call_prompt(prompt, previous_reply=previous_reply, errors=errors)
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
        content: The message text: the answer without reasoning and tool-call regions, or
            the bare JSON answer. When tools were optional and the reply holds no valid call,
            never empty if the model wrote anything: then it is the answer as written.
        tail: The part of ``content`` not streamed yet (all of it for a non-streamed reply).
        tool_calls: Tool calls (only the first when parallel calls are off).
        invalid_tool_calls: Tool calls that were found but could not be read.
        missing_call: A required tool call is missing (a corrective retry may help).
        missing_json: A JSON answer was required and the reply holds none that fits.
        stopped: A stop sequence ended the reply.
        raw_text: The reply text after stop-sequence truncation.
        reasoning: The text of the reply's leading ``<think>`` blocks.
        reasoning_tail: The part of ``reasoning`` not streamed yet.
        malformed_call: Tools were optional and the reply's only tool calls could not be
            read: the model meant to call, so a corrective retry may help.
    """

    content: str = ""
    tail: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    missing_call: bool = False
    missing_json: bool = False
    stopped: bool = False
    raw_text: str = ""
    reasoning: str = ""
    reasoning_tail: str = ""
    malformed_call: bool = False

    @property
    def satisfied(self) -> bool:
        """Whether the reply has the form its plan requires (no retry is needed)."""
        return not (self.missing_call or self.missing_json or self.malformed_call)

    @property
    def finish_reason(self) -> str:
        """``tool_calls`` when the reply calls tools, else ``stop``."""
        return "tool_calls" if self.tool_calls else "stop"


@dataclass(frozen=True)
class ReplyDelta:
    """What one piece of a streamed reply adds to the visible message.

    Attributes:
        text: New answer text.
        reasoning: New reasoning text.
    """

    text: str = ""
    reasoning: str = ""

    def __bool__(self) -> bool:
        return bool(self.text or self.reasoning)


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

    Streaming and non-streaming calls give the same result: what :meth:`feed` (or
    :meth:`step`) returned plus the final :attr:`ReplyOutcome.tail` always equals
    :attr:`ReplyOutcome.content`, and likewise for reasoning.

    Leading reasoning, and then a ``text``-mode answer, cost each :meth:`step` time in
    proportion to its delta (and the longest stop sequence), so that a long stream is
    assembled in linear time; the other modes look at the whole answer on every delta.

    Args:
        plan: What the reply must look like.
        after: The assembler of an earlier attempt at the same message (a corrective retry).
            Nothing is streamed from this one; its outcome continues the text and reasoning
            the earlier attempt already streamed, so that a stream never repeats itself.

    Attributes:
        raw: The reply received so far (cut at a stop sequence).
        emitted: The answer text streamed so far.
        reasoning_emitted: The reasoning text streamed so far.
        stopped: Whether a stop sequence has ended the reply.
    """

    def __init__(self, plan: ReplyPlan, *, after: ReplyAssembler | None = None) -> None:
        self.plan = plan
        self._raw = _Text()
        self._emitted = _Text()
        self._reasoning = _Text()
        self._reader = ReasoningStream()
        self.stopped = False
        self._stops = tuple(s for s in plan.stop if s)
        self._holdback = max((len(s) for s in self._stops), default=1) - 1
        self._shown_text = after.shown_text if after is not None else ""
        self._shown_reasoning = after.shown_reasoning if after is not None else ""
        self._text_mode = plan.mode == "text"
        self._streams = after is None and plan.mode != "buffered"
        self._scanner: Scanner | None = None
        self._answer_at: int | None = None  # where the answer starts, once that is certain
        self._read = 0  # characters the reasoning reader has seen

    @property
    def shown_text(self) -> str:
        """All answer text of this message streamed so far (earlier attempts included)."""
        return _join(self._shown_text, self.emitted)

    @property
    def shown_reasoning(self) -> str:
        """All reasoning of this message streamed so far (earlier attempts included)."""
        return _join(self._shown_reasoning, self.reasoning_emitted)

    @property
    def raw(self) -> str:
        """The reply received so far (cut at a stop sequence)."""
        return self._raw.value()

    @raw.setter
    def raw(self, text: str) -> None:
        self._raw.set(text)

    @property
    def reasoning_emitted(self) -> str:
        """The reasoning streamed so far."""
        return self._reasoning.value()

    @property
    def emitted(self) -> str:
        """The answer text streamed so far."""
        return self._emitted.value()

    @emitted.setter
    def emitted(self, text: str) -> None:
        self._emitted.set(text)

    def feed(self, delta: str, *, cumulative: str | None = None) -> str:
        """Add text from the service and return the answer text that can be streamed now.

        Reasoning is tracked too (see :meth:`step`) and ends up in the outcome.

        Args:
            delta: The new text.
            cumulative: The whole reply so far, when the service sends it; it is preferred
                to ``delta`` when it extends the text received so far.

        Returns:
            The newly streamable answer text ("" if none).
        """
        return self.step(delta, cumulative=cumulative).text

    def step(self, delta: str, *, cumulative: str | None = None) -> ReplyDelta:
        """Add text from the service and return the answer and reasoning streamable now.

        Args:
            delta: The new text.
            cumulative: The whole reply so far, when the service sends it.

        Returns:
            The newly streamable answer text and reasoning.
        """
        if (
            cumulative is not None
            and len(cumulative) >= self._raw.length + len(delta)
            and cumulative.startswith(self.raw)
        ):
            delta = cumulative[self._raw.length :]
        if not self._receive(delta) or not self._streams:
            return ReplyDelta()
        length = self._raw.length
        end = length if self.stopped else max(0, length - self._holdback)
        reasoning = ""
        if self._answer_at is None:
            # Only the characters that became visible since the last step are read.
            read = self._read
            if end > read:
                reasoning = self._reader.feed(self._raw.tail(length - read)[: end - read])
                self._read = end
            if reasoning:
                self._reasoning.append(reasoning)
            if self._reader.answer_at is None:
                return ReplyDelta(reasoning=reasoning)
            # Once an answer has begun, the reasoning before it can no longer change.
            self._answer_at = self._reader.answer_at
        if self._text_mode:
            # What was emitted is a prefix of the answer: only the new end is read.
            start = self._answer_at + self._emitted.length
            if end <= start:
                return ReplyDelta(reasoning=reasoning)
            text = self._raw.tail(length - start)[: end - start]
            self._emitted.append(text)
            return ReplyDelta(text=text, reasoning=reasoning)
        answer = self.raw[self._answer_at : max(end, self._answer_at)]
        if self._scanner is None:
            self._scanner = Scanner({t.name: t for t in self.plan.tools})
        target = answer[: self._scanner.safe_end(answer)].strip()
        text = _advance(target, self.emitted)
        self._emitted.append(text)
        return ReplyDelta(text=text, reasoning=reasoning)

    def finish(self) -> ReplyOutcome:
        """Interpret the complete reply."""
        split = split_reasoning(self.raw)
        answer = split.answer or ""
        if split.has_reasoning:
            answer = answer.lstrip()
        if self.plan.mode == "text":
            return self._outcome(answer, split.reasoning)
        plan = self.plan
        tools = plan.tools if plan.tools_active else ()
        parsed = parse_answer(answer, tools)
        calls, content = parsed.tool_calls, parsed.text
        invalid = list(parsed.invalid_tool_calls)
        if plan.call_required and not self._has_required_call(calls):
            forced = self._bare_arguments(answer)
            if isinstance(forced, ToolCall):
                calls, content = [forced], ""
            elif forced is not None:  # replaces the same text read as an unnamed attempt
                same = [bad for bad in invalid if bad.raw_arguments == forced.raw_arguments]
                invalid = [*(bad for bad in invalid if bad not in same), forced]
                content = ""
        if not plan.parallel_tool_calls:
            calls = calls[:1]
        missing_json = False
        if plan.response_schema is not None and not calls:
            content, missing_json = self._json_answer(parsed.text or answer)
        optional = plan.tool_choice == "auto" and plan.tools_active
        if not calls and not content.strip() and answer.strip() and not plan.call_required:
            # Never lose what the model wrote. (When a call was required, an unreadable one
            # stays in invalid_tool_calls only: it is not an answer to show.)
            content = answer.strip()
        return self._outcome(
            content,
            split.reasoning,
            tool_calls=calls,
            invalid=invalid,
            missing_call=plan.call_required and not self._has_required_call(calls),
            missing_json=missing_json,
            malformed=optional and not calls and bool(invalid),
        )

    # ------------------------------------------------------------------ helpers

    def _receive(self, delta: str) -> bool:
        """Append ``delta`` up to a stop sequence; return whether anything was taken.

        Only the delta and the last held-back characters are searched for a stop sequence.
        """
        if self.stopped or not delta:
            return False
        raw = self._raw
        if not self._stops:
            raw.append(delta)
            return True
        before = raw.length
        tail = raw.tail(self._holdback)
        window = tail + delta
        found = [i for stop in self._stops if (i := window.find(stop)) != -1]
        if not found:
            raw.append(delta)
            return True
        cut = before - len(tail) + min(found)  # where the stop sequence starts in the reply
        if cut >= before:
            raw.append(delta[: cut - before])
        else:  # it began in the held-back characters
            raw.set(raw.value()[:cut])
        self.stopped = True
        return True

    def _has_required_call(self, calls: Sequence[ToolCall]) -> bool:
        if self.plan.tool_choice == "required":
            names = {tool.name for tool in self.plan.tools}
            return any(call.name in names for call in calls)
        return any(call.name == self.plan.tool_choice for call in calls)

    def _bare_arguments(self, answer: str) -> ToolCall | InvalidToolCall | None:
        """Read a bare JSON answer as the arguments of the one required tool.

        An object that fits the tool's schema is its arguments. A reply that is JSON which
        cannot be read (cut off, say) is an unreadable attempt at them.
        """
        tool = self.plan.required_tool
        if tool is None:
            return None
        try:
            value = extract_json(answer)
        except ValueError:
            text = answer.strip()
            if text.startswith("{"):
                error = "could not parse the arguments as JSON"
                return InvalidToolCall(new_call_id(), tool.name, text, error)
            return None
        arguments = _fitting_arguments(value, tool.parameters)
        return ToolCall(new_call_id(), tool.name, arguments) if arguments is not None else None

    def _json_answer(self, text: str) -> tuple[str, bool]:
        """The JSON answer as compact text, and whether it is missing or does not fit."""
        schema = self.plan.response_schema or {}
        try:
            value = extract_json(text)
        except ValueError:
            return text, True
        if schema:
            coerced = coerce_arguments(value, schema) if isinstance(value, dict) else value
            if schema_errors(coerced, schema):
                wrapped = _arguments_of_single_call(value, schema)
                if wrapped is None:
                    return json.dumps(coerced, ensure_ascii=False), True
                coerced = wrapped
            value = coerced
        return json.dumps(value, ensure_ascii=False), False

    def _outcome(
        self,
        content: str,
        reasoning: str,
        *,
        tool_calls: list[ToolCall] | None = None,
        invalid: list[InvalidToolCall] | None = None,
        missing_call: bool = False,
        missing_json: bool = False,
        malformed: bool = False,
    ) -> ReplyOutcome:
        shown_text, shown_reasoning = self.shown_text, self.shown_reasoning
        tail = _continuation(content, shown_text)
        reasoning_tail = _continuation(reasoning, shown_reasoning)
        return ReplyOutcome(
            content=shown_text + tail,
            tail=tail,
            tool_calls=tool_calls or [],
            invalid_tool_calls=invalid or [],
            missing_call=missing_call,
            missing_json=missing_json,
            stopped=self.stopped,
            raw_text=self.raw,
            reasoning=shown_reasoning + reasoning_tail,
            reasoning_tail=reasoning_tail,
            malformed_call=malformed,
        )


def _advance(target: str, emitted: str) -> str:
    """The part of ``target`` after what was already emitted ("" if it does not extend it)."""
    return target[len(emitted) :] if target.startswith(emitted) else ""


def _join(first: str, second: str) -> str:
    return first + ("\n\n" if first and second else "") + second


def _continuation(final: str, shown: str) -> str:
    """What to add to the shown text so that the message ends as ``final``.

    Normally ``final`` extends ``shown``. After a corrective retry it may not; the new text
    is then appended after a blank line (a stream cannot take back what it showed).
    """
    if final.startswith(shown):
        return final[len(shown) :]
    if not final:
        return ""
    return ("\n\n" if shown else "") + final


def _fitting_arguments(value: Any, schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """``value`` coerced to ``schema`` if it is an object that plainly fits it, else ``None``.

    It must be an object whose keys are all declared properties (when the schema declares
    any), with at least one of them present, and which passes :func:`schema_errors`.
    """
    if not isinstance(value, dict):
        return None
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        declared = {str(key).lower().replace("-", "_") for key in properties}
        keys = {str(key).lower().replace("-", "_") for key in value}
        if not keys or not keys <= declared:
            return None
    coerced = coerce_arguments(value, schema)
    return None if schema_errors(coerced, schema) else coerced


def _arguments_of_single_call(value: Any, schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """The object a JSON answer wrapped: one tool-call object, or ``{"<name>": {...}}``."""
    if isinstance(value, dict) and len(value) == 1:
        inner = next(iter(value.values()))
        if isinstance(inner, dict):
            fitting = _fitting_arguments(inner, schema)
            if fitting is not None:
                return fitting
    calls = calls_from_value(value, {}, explicit=False)
    if not calls or len(calls) != 1:
        return None
    arguments = calls[0].arguments
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return None
    return _fitting_arguments(arguments, schema)
