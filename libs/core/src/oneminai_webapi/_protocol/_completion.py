"""``complete()``: rendering a conversation into one prompt and reading the reply (sans-IO).

:func:`prepare` validates the arguments and renders the prompt (no I/O). A
:class:`CompletionRun` then follows one call: the drivers (``_client/_complete.py``) ask it
for the next prompt, feed it the chat chunks they receive, and get back the events to hand
out and, at the end, the :class:`~oneminai_webapi.completions.Completion`. Everything about
prompts, corrective retries, stop sequences, reasoning and usage is decided here, once, for
the async and sync clients and every streaming mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..completions import (
    Completion,
    CompletionEvent,
    CompletionUsage,
    ReasoningDelta,
    TextDelta,
)
from ..exceptions import InvalidRequestError
from ..integrations import ChatAttachment, estimate_tokens
from ..tool_calling import ReplyAssembler, ReplyOutcome, ReplyPlan, ToolSpec
from ._messages import convert_messages

if TYPE_CHECKING:
    from ..types import ChatOutput

__all__ = ["CompletionCall", "CompletionRun", "prepare"]

#: Built-in tool types that switch on 1min.AI's server-side web search instead of a function.
WEB_SEARCH_TOOL_TYPES = frozenset(
    {"web_search", "web_search_preview", "web_search_20250305", "oneminai_web_search"}
)
_RESPONSE_FORMAT_TYPES = ("text", "json_object", "json_schema")


@dataclass(frozen=True)
class CompletionCall:
    """One validated ``complete()`` call, ready to send.

    Attributes:
        plan: What the reply must look like.
        prompt: The rendered prompt of the first request.
        attachments: Images and files to upload (or reference) before sending.
        web_search: Whether web search is on (asked for, or a built-in web-search tool).
        max_tool_retries: Corrective retries when a required tool call or JSON answer is
            missing.
    """

    plan: ReplyPlan
    prompt: str
    attachments: tuple[ChatAttachment, ...] = ()
    web_search: bool = False
    max_tool_retries: int = 1


def prepare(
    messages: object,
    *,
    tools: object = None,
    tool_choice: object = None,
    parallel_tool_calls: object = True,
    response_format: object = None,
    stop: object = None,
    web_search: object = False,
    max_tool_retries: object = 1,
) -> CompletionCall:
    """Validate ``complete()``'s arguments and render the prompt.

    Raises:
        InvalidRequestError: For any malformed argument (nothing has been sent).
    """
    converted = convert_messages(messages)
    specs, search_tool = _tools(tools)
    if not isinstance(parallel_tool_calls, bool):
        raise InvalidRequestError("parallel_tool_calls must be a boolean")
    if (
        isinstance(max_tool_retries, bool)
        or not isinstance(max_tool_retries, int)
        or max_tool_retries < 0
    ):
        raise InvalidRequestError("max_tool_retries must be an integer >= 0")
    plan = ReplyPlan.create(
        specs,
        _tool_choice(tool_choice, specs),
        _response_format(response_format),
        stop=_stops(stop),
        parallel_tool_calls=parallel_tool_calls,
    )
    return CompletionCall(
        plan=plan,
        prompt=plan.render(converted.turns),
        attachments=tuple(converted.attachments),
        web_search=bool(web_search) or search_tool,
        max_tool_retries=max_tool_retries,
    )


def _tools(tools: object) -> tuple[list[ToolSpec], bool]:
    if tools is None:
        return [], False
    if isinstance(tools, (str, bytes, Mapping)) or not isinstance(tools, Sequence):
        raise InvalidRequestError("tools must be a list of tool definitions")
    specs: list[ToolSpec] = []
    search = False
    for index, tool in enumerate(tools):
        if isinstance(tool, ToolSpec):
            specs.append(tool)
            continue
        if not isinstance(tool, Mapping):
            raise InvalidRequestError(f"tools[{index}] must be a tool definition object")
        kind = tool.get("type")
        if kind in WEB_SEARCH_TOOL_TYPES and "function" not in tool:
            search = True
            continue
        if kind not in (None, "function"):
            raise InvalidRequestError(f"tools[{index}] has an unsupported type {kind!r}")
        try:
            specs.append(ToolSpec.from_openai(tool))
        except ValueError:
            raise InvalidRequestError(f"tools[{index}] needs a function name") from None
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise InvalidRequestError("tool names must be unique")
    return specs, search


def _tool_choice(choice: object, specs: Sequence[ToolSpec]) -> Any:
    if choice is None or choice in ("auto", "none") or choice is False:
        return choice
    if not isinstance(choice, (str, bool, Mapping)):
        raise InvalidRequestError("tool_choice must be a string or an object")
    if not specs:
        raise InvalidRequestError("tool_choice requires tools")
    if choice in ("required", "any") or choice is True:
        return choice
    if isinstance(choice, Mapping):
        function = choice.get("function")
        name = function.get("name") if isinstance(function, Mapping) else choice.get("name")
        if name is None and choice.get("type") in ("auto", "none", "any", "required"):
            return choice
    else:
        name = choice
    if not isinstance(name, str) or all(spec.name != name for spec in specs):
        raise InvalidRequestError(f"tool_choice names no tool among tools: {name!r}")
    return name


def _response_format(response_format: object) -> Mapping[str, Any] | None:
    if response_format is None:
        return None
    if isinstance(response_format, type):
        schema = getattr(response_format, "model_json_schema", None)
        if callable(schema):  # a pydantic model class
            return {"type": "json_schema", "json_schema": {"schema": schema()}}
    if not isinstance(response_format, Mapping):
        raise InvalidRequestError("response_format must be an object or a pydantic model class")
    kind = response_format.get("type")
    if kind == "text":
        return None
    if kind in _RESPONSE_FORMAT_TYPES or "properties" in response_format or kind == "object":
        if kind == "json_schema" and not isinstance(response_format.get("json_schema"), Mapping):
            raise InvalidRequestError("response_format json_schema needs a json_schema object")
        return response_format
    raise InvalidRequestError(
        f"response_format.type must be one of {', '.join(_RESPONSE_FORMAT_TYPES)}, got {kind!r}"
    )


def _stops(stop: object) -> list[str]:
    if stop is None:
        return []
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, Sequence) and all(isinstance(s, str) for s in stop):
        return list(stop)
    raise InvalidRequestError("stop must be a string or a list of strings")


# ── one call in flight ──────────────────────────────────────────────────────────────────


_OPEN_TAGS = ("<think>", "<thinking>", "<reasoning>")


#: The credit fields of a chat record, summed over a completion's requests.
_CREDIT_FIELDS = ("credits_used", "input_credits", "output_credits")


class ReasoningSplitter:
    """Separates a leading ``<think>…</think>`` block (reasoning) from the answer, streaming.

    Only a block at the very start of a reply counts; anything else is answer text. Just
    enough characters are held back never to emit part of a tag.
    """

    def __init__(self) -> None:
        self.reasoning = ""
        self._state = "start"
        self._buffer = ""
        self._close = ""

    def feed(self, delta: str) -> tuple[str, str]:
        """Add reply text; return ``(new reasoning, new answer text)``."""
        if self._state == "answer":
            return "", delta
        if self._state == "after":
            delta = delta.lstrip()
            if delta:
                self._state = "answer"
            return "", delta
        self._buffer += delta
        if self._state == "start":
            head = self._buffer.lstrip()
            lowered = head.lower()
            tag = next((t for t in _OPEN_TAGS if lowered.startswith(t)), None)
            if tag is None:
                if not head or any(t.startswith(lowered) for t in _OPEN_TAGS):
                    return "", ""  # undecided yet
                self._state, text, self._buffer = "answer", self._buffer, ""
                return "", text
            self._state, self._close = "reasoning", "</" + tag[1:]
            self._buffer = head[len(tag) :]
        return self._reasoning_step(), self._answer_after_close()

    def _reasoning_step(self) -> str:
        start = max(0, len(self.reasoning) - len(self._close))
        end = self._buffer[start:].lower().find(self._close)
        end = end if end == -1 else start + end
        if end == -1:
            safe = max(len(self.reasoning), len(self._buffer) - len(self._close) + 1)
            piece = self._buffer[len(self.reasoning) : safe]
        else:
            piece = self._buffer[len(self.reasoning) : end]
            self._state = "closed"
        self.reasoning += piece
        return piece

    def _answer_after_close(self) -> str:
        if self._state != "closed":
            return ""
        rest = self._buffer[len(self.reasoning) + len(self._close) :].lstrip()
        self._buffer = ""
        self._state = "answer" if rest else "after"
        return rest

    def finish(self) -> tuple[str, str]:
        """The reply ended: flush what was held back (an unclosed block is all reasoning)."""
        if self._state == "start":
            self._state, text, self._buffer = "answer", self._buffer, ""
            return "", text
        if self._state == "reasoning":
            piece = self._buffer[len(self.reasoning) :]
            self.reasoning += piece
            self._state, self._buffer = "answer", ""
            return piece, ""
        return "", ""


@dataclass
class _Attempt:
    prompt: str
    assembler: ReplyAssembler
    splitter: ReasoningSplitter = field(default_factory=ReasoningSplitter)
    received: str = ""
    output: ChatOutput | None = None


class CompletionRun:
    """The state of one ``complete()`` call across its requests (corrective retries).

    Drivers loop: ``prompt = run.next_prompt()`` (``None``: done), send it, :meth:`feed`
    every chunk received (stop reading when :attr:`stopped`), call :meth:`end_attempt`;
    finally :meth:`finish` gives the last events, ending with the completion.
    """

    def __init__(self, call: CompletionCall) -> None:
        self.call = call
        self._attempts: list[_Attempt] = []
        self._outcome: ReplyOutcome | None = None
        self._credits: dict[str, int] = {}

    @property
    def _current(self) -> _Attempt:
        return self._attempts[-1]

    @property
    def stopped(self) -> bool:
        """A stop sequence ended the current reply: the rest need not be read."""
        return bool(self._attempts) and self._current.assembler.stopped

    def next_prompt(self) -> str | None:
        """The prompt of the next request, or ``None`` when the reply is final."""
        outcome = self._outcome
        if not self._attempts:
            prompt = self.call.prompt
        elif (
            outcome is None or outcome.satisfied or len(self._attempts) > self.call.max_tool_retries
        ):
            return None
        else:
            prompt = self.call.plan.retry_prompt(self.call.prompt, outcome.raw_text, outcome)
        self._attempts.append(_Attempt(prompt, ReplyAssembler(self.call.plan)))
        self._outcome = None
        return prompt

    def feed(self, chunk: ChatOutput) -> list[CompletionEvent]:
        """Take one chat chunk (or a whole non-streamed answer); return events to hand out."""
        attempt = self._current
        if chunk.is_final:
            attempt.output = chunk
        if attempt.assembler.stopped:
            return []
        text = chunk.text or ""
        if text.startswith(attempt.received) and len(text) > len(attempt.received):
            delta = text[len(attempt.received) :]
        elif chunk.text_delta and not chunk.is_final:
            delta = chunk.text_delta
        else:
            return []
        attempt.received += delta
        return self._route(*attempt.splitter.feed(delta))

    def _route(self, reasoning: str, answer: str) -> list[CompletionEvent]:
        buffered = self.call.plan.mode == "buffered"
        events: list[CompletionEvent] = []
        if reasoning and not buffered:
            events.append(ReasoningDelta(text=reasoning))
        if answer:
            piece = self._current.assembler.feed(answer)
            if piece:
                events.append(TextDelta(text=piece))
        return events

    def end_attempt(self) -> list[CompletionEvent]:
        """The current request's reply is complete; return its last streamable events."""
        attempt = self._current
        events = [] if attempt.assembler.stopped else self._route(*attempt.splitter.finish())
        self._outcome = attempt.assembler.finish()
        if attempt.output is not None:
            for key in _CREDIT_FIELDS:
                value = getattr(attempt.output, key)
                if value is not None:
                    self._credits[key] = self._credits.get(key, 0) + value
        return events

    def finish(self) -> list[CompletionEvent]:
        """The final events: the text not streamed yet, tool calls, then the completion."""
        completion = self.completion()
        events: list[CompletionEvent] = []
        if self.call.plan.mode == "buffered" and completion.reasoning:
            events.append(ReasoningDelta(text=completion.reasoning))
        assert self._outcome is not None
        if self._outcome.tail:
            events.append(TextDelta(text=self._outcome.tail))
        events.extend(completion.tool_call_deltas())
        events.append(completion)
        return events

    def completion(self) -> Completion:
        """The completion (after the last :meth:`end_attempt`)."""
        outcome = self._outcome or ReplyOutcome()
        attempt = self._current
        prompt_tokens = sum(estimate_tokens(a.prompt) for a in self._attempts)
        completion_tokens = sum(estimate_tokens(a.received) for a in self._attempts)
        reasoning = attempt.splitter.reasoning
        return Completion._from_output(
            attempt.output,
            text=outcome.content,
            tool_calls=list(outcome.tool_calls),
            invalid_tool_calls=list(outcome.invalid_tool_calls),
            reasoning=reasoning or None,
            finish_reason=outcome.finish_reason,
            **self._credits,
            usage=CompletionUsage(
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                total_tokens=prompt_tokens + completion_tokens,
            ),
            attempts=len(self._attempts),
        )
