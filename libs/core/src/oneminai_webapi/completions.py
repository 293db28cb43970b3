"""What ``client.complete()`` returns: a completion, and the events of a streamed one.

``complete()`` takes an OpenAI-style message list (``system``/``developer``, ``user``,
``assistant`` with ``tool_calls``, ``tool``), renders it into the one prompt 1min.AI takes and
reads the reply back: text, emulated tool calls, a JSON answer, reasoning. See
:meth:`oneminai_webapi.OneMinAIClient.complete`.

A streamed completion yields :class:`TextDelta`, :class:`ReasoningDelta` and
:class:`ToolCallDelta` events and ends with the :class:`Completion` itself. The text deltas
always add up to ``Completion.text``; the ``arguments`` of the tool-call deltas of one
``index`` add up to that call's arguments as JSON text.

Example:
    >>> Completion(text="Hi").finish_reason
    'stop'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, Union

from pydantic import BaseModel, ConfigDict, Field

from .tool_calling import InvalidToolCall, ToolCall
from .types import Source

if TYPE_CHECKING:
    from .types import ChatOutput

__all__ = [
    "WEB_SEARCH_TOOL_TYPES",
    "Completion",
    "CompletionEvent",
    "CompletionUsage",
    "MessageParam",
    "ReasoningDelta",
    "TextDelta",
    "ToolCallDelta",
]

#: Built-in tool types (``{"type": "web_search"}`` in ``tools``) that switch on 1min.AI's
#: server-side web search instead of offering a function.
WEB_SEARCH_TOOL_TYPES = frozenset(
    {"web_search", "web_search_preview", "web_search_20250305", "oneminai_web_search"}
)

#: One message of ``complete(messages=...)``: an OpenAI chat message as a mapping, e.g.
#: ``{"role": "user", "content": "Hi"}`` or ``{"role": "user", "content": [{"type": "text",
#: "text": "What is this?"}, {"type": "image_url", "image_url": {"url": "data:…"}}]}``.
MessageParam: TypeAlias = Mapping[str, Any]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)


class CompletionUsage(_Model):
    """Token counts of a completion.

    Counted over every prompt sent and every reply received, corrective retries included.
    1min.AI's chat records carry no token counts today, so they are estimated (about four
    characters per token); counts the records do report are used instead.

    Attributes:
        prompt_tokens: Tokens of the prompt(s) sent.
        completion_tokens: Tokens of the reply (replies) received.
        total_tokens: Their sum.
        estimated: Whether the counts are estimates.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated: bool = True


class TextDelta(_Model):
    """New answer text of a streamed completion.

    Attributes:
        text: The text added.
    """

    type: Literal["text"] = "text"
    text: str


class ReasoningDelta(_Model):
    """New reasoning text (a model's leading ``<think>`` block) of a streamed completion.

    Attributes:
        text: The reasoning added.
    """

    type: Literal["reasoning"] = "reasoning"
    text: str


class ToolCallDelta(_Model):
    """Part of a tool call of a streamed completion.

    The first delta of a call carries its ``id`` and ``name``; the ``arguments`` of all the
    deltas of one ``index`` concatenate to the call's arguments as JSON text. (Calls are
    emulated through the prompt and known only when the reply is complete, so today each call
    arrives as one delta holding all of its arguments.)

    Attributes:
        index: The call's position among the completion's tool calls.
        id: The call id (``call_…``), on the first delta of a call.
        name: The tool name, on the first delta of a call.
        arguments: A piece of the arguments JSON.
    """

    type: Literal["tool_call"] = "tool_call"
    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


class Completion(_Model):
    """The answer of :meth:`~oneminai_webapi.OneMinAIClient.complete`.

    Attributes:
        text: The answer text without tool-call blocks or reasoning; with a JSON
            ``response_format``, the JSON text.
        tool_calls: Valid tool calls, in reply order (their ``arguments`` are dicts, coerced
            to the tools' schemas).
        invalid_tool_calls: Tool calls found in the reply but rejected (unknown tool,
            arguments that do not fit the schema…).
        reasoning: The model's reasoning, when the reply started with a ``<think>`` block.
        finish_reason: ``tool_calls`` when the reply calls tools, else ``stop``.
        model: The model that answered.
        record_id: The ``aiRecord`` uuid of the (last) request.
        conversation_id: The server-side conversation, when one was used.
        sources: Web-search sources, when the service reported any.
        credits_used: Credits the service charged (summed over corrective retries), when
            its records said.
        input_credits: The input part of ``credits_used``, when reported.
        output_credits: The output part of ``credits_used``, when reported.
        usage: Estimated token counts.
        attempts: Requests sent: 1, plus one per corrective retry.
        metadata: The raw ``aiRecord`` of the last request.
    """

    type: Literal["completion"] = "completion"
    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = Field(default_factory=list)
    reasoning: str | None = None
    finish_reason: Literal["stop", "tool_calls"] = "stop"
    model: str = ""
    record_id: str | None = None
    conversation_id: str | None = None
    sources: list[Source] = Field(default_factory=list)
    credits_used: int | None = None
    input_credits: int | None = None
    output_credits: int | None = None
    usage: CompletionUsage = Field(default_factory=CompletionUsage)
    attempts: int = 1
    metadata: dict[str, Any] = Field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        calls = f" tool_calls={[c.name for c in self.tool_calls]}" if self.tool_calls else ""
        text = " ".join(self.text.split())
        preview = text if len(text) <= 60 else text[:59] + "…"
        return f"<Completion model={self.model!r} text={preview!r}{calls}>"

    def tool_call_deltas(self) -> list[ToolCallDelta]:
        """The tool calls as stream events: one delta per call, arguments as JSON text."""
        return [
            ToolCallDelta(
                index=index,
                id=call.id,
                name=call.name,
                arguments=json.dumps(call.arguments, ensure_ascii=False),
            )
            for index, call in enumerate(self.tool_calls)
        ]

    @classmethod
    def _from_output(cls, output: ChatOutput | None, **fields: Any) -> Completion:
        """Build a completion from the final chunk of the last request (internal)."""
        if output is not None:
            fields.setdefault("model", output.model)
            fields.setdefault("record_id", output.record_id)
            fields.setdefault("conversation_id", output.conversation_id)
            fields.setdefault("sources", list(output.sources))
            fields.setdefault("metadata", dict(output.metadata))
        return cls(**fields)


#: What a streamed completion yields: deltas, then the :class:`Completion`.
CompletionEvent: TypeAlias = Union[TextDelta, ReasoningDelta, ToolCallDelta, Completion]  # noqa: UP007
