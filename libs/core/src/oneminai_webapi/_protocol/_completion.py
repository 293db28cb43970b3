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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..completions import (
    WEB_SEARCH_TOOL_TYPES,
    Completion,
    CompletionEvent,
    CompletionUsage,
    ReasoningDelta,
    TextDelta,
)
from ..exceptions import InvalidRequestError
from ..tool_calling import ReplyAssembler, ReplyOutcome, ReplyPlan, ToolSpec
from ._attachment import ChatAttachment
from ._messages import convert_messages
from ._usage import estimate_tokens

if TYPE_CHECKING:
    from ..types import ChatOutput

__all__ = ["CompletionCall", "CompletionRun", "prepare"]

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
        known = ", ".join(repr(spec.name) for spec in specs)
        raise InvalidRequestError(
            f"tool_choice names no tool among tools: {name!r} is not one of the bound tools "
            f"({known})"
        )
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


#: The credit fields of a chat record, summed over a completion's requests.
_CREDIT_FIELDS = ("credits_used", "input_credits", "output_credits")
#: Spellings of token counts a chat record might carry (none is documented for chat today).
_USAGE_KEYS = (
    ("input_tokens", "output_tokens"),
    ("inputTokens", "outputTokens"),
    ("prompt_tokens", "completion_tokens"),
    ("promptTokens", "completionTokens"),
)


@dataclass
class _Attempt:
    prompt: str
    assembler: ReplyAssembler
    output: ChatOutput | None = None


class CompletionRun:
    """The state of one ``complete()`` call across its requests (corrective retries).

    Drivers loop: ``prompt = run.next_prompt()`` (``None``: done), send it, :meth:`feed`
    every chunk received (stop reading when :attr:`stopped`), call :meth:`end_attempt`;
    finally :meth:`finish` gives the last events, ending with the completion.

    Every reply is read by a :class:`~oneminai_webapi.tool_calling.ReplyAssembler`, the one
    reader of replies (reasoning, tool calls, JSON answers, stop sequences).

    Args:
        call: The prepared call.
        stream: Whether events are handed out as they come. A streamed message cannot take
            back what it showed, so a corrective retry continues it; without streaming the
            completion is the last attempt's reading alone.
    """

    def __init__(self, call: CompletionCall, *, stream: bool = False) -> None:
        self.call = call
        self.stream = stream
        self._attempts: list[_Attempt] = []
        self._current = _Attempt("", ReplyAssembler(call.plan))  # replaced by the first
        self._outcome: ReplyOutcome | None = None
        self._credits: dict[str, int] = {}

    @property
    def stopped(self) -> bool:
        """A stop sequence ended the current reply: the rest need not be read."""
        return self._current.assembler.stopped

    def next_prompt(self) -> str | None:
        """The prompt of the next request, or ``None`` when the reply is final."""
        outcome = self._outcome
        after: ReplyAssembler | None = None
        if not self._attempts:
            prompt = self.call.prompt
        elif (
            outcome is None or outcome.satisfied or len(self._attempts) > self.call.max_tool_retries
        ):
            return None
        else:
            prompt = self.call.plan.retry_prompt(self.call.prompt, outcome.raw_text, outcome)
            after = self._current.assembler if self.stream else None
        self._current = _Attempt(prompt, ReplyAssembler(self.call.plan, after=after))
        self._attempts.append(self._current)
        self._outcome = None
        return prompt

    def feed(self, chunk: ChatOutput) -> list[CompletionEvent]:
        """Take one chat chunk (or a whole non-streamed answer); return events to hand out.

        Content chunks are read by their ``text_delta`` (their cumulative ``text`` is joined
        on access); the final chunk's ``text``, the whole answer, completes the reply.
        """
        attempt = self._current
        if chunk.is_final:
            attempt.output = chunk
            step = attempt.assembler.step("", cumulative=chunk.text or "")
        else:
            step = attempt.assembler.step(chunk.text_delta or "")
        if not step.reasoning:
            return [TextDelta(text=step.text)] if step.text else []
        events: list[CompletionEvent] = [ReasoningDelta(text=step.reasoning)]
        if step.text:
            events.append(TextDelta(text=step.text))
        return events

    def end_attempt(self) -> list[CompletionEvent]:
        """The current request's reply is complete (nothing more to hand out until the end)."""
        attempt = self._current
        self._outcome = attempt.assembler.finish()
        if attempt.output is not None:
            for key in _CREDIT_FIELDS:
                value = getattr(attempt.output, key, None)
                if isinstance(value, int) and not isinstance(value, bool):
                    self._credits[key] = self._credits.get(key, 0) + value
        return []

    def finish(self) -> list[CompletionEvent]:
        """The final events: what was not streamed yet, tool calls, then the completion."""
        completion = self.completion()
        outcome = self._outcome or ReplyOutcome()
        events: list[CompletionEvent] = []
        if outcome.reasoning_tail:
            events.append(ReasoningDelta(text=outcome.reasoning_tail))
        if outcome.tail:
            events.append(TextDelta(text=outcome.tail))
        events.extend(completion.tool_call_deltas())
        events.append(completion)
        return events

    def completion(self) -> Completion:
        """The completion (after the last :meth:`end_attempt`)."""
        outcome = self._outcome or ReplyOutcome()
        return Completion._from_output(
            self._current.output,
            text=outcome.content,
            tool_calls=list(outcome.tool_calls),
            invalid_tool_calls=list(outcome.invalid_tool_calls),
            reasoning=outcome.reasoning or None,
            finish_reason=outcome.finish_reason,
            **self._credits,
            usage=self._usage(),
            attempts=len(self._attempts),
        )

    def _usage(self) -> CompletionUsage:
        """Token counts the records reported (every one of them), else estimates."""
        reported = [_service_usage(a.output) for a in self._attempts]
        if all(pair is not None for pair in reported):
            prompt = sum(pair[0] for pair in reported if pair is not None)
            completion = sum(pair[1] for pair in reported if pair is not None)
            estimated = False
        else:
            prompt = sum(estimate_tokens(a.prompt) for a in self._attempts)
            completion = sum(estimate_tokens(a.assembler.raw) for a in self._attempts)
            estimated = True
        return CompletionUsage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=prompt + completion,
            estimated=estimated,
        )


def _service_usage(output: ChatOutput | None) -> tuple[int, int] | None:
    """Token counts reported in a chat record (``usage`` or ``aiRecordDetail.usage``)."""
    if output is None:
        return None
    record = output.metadata
    detail = record.get("aiRecordDetail")
    nested = detail.get("usage") if isinstance(detail, dict) else None
    for candidate in (record.get("usage"), nested):
        if not isinstance(candidate, dict):
            continue
        for given, produced in _USAGE_KEYS:
            a, b = candidate.get(given), candidate.get(produced)
            if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
                return a, b
    return None
