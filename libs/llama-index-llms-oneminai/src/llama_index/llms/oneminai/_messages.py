"""Conversion between LlamaIndex chat messages and the single-prompt 1min.AI chat API.

1min.AI takes one prompt string per request. A LlamaIndex message list becomes a list of
:class:`oneminai_webapi.tool_calling.Turn` objects, rendered by the shared tool-calling
module (the same rules as the LangChain adapter). Images and documents in user messages are
collected as attachments, which the caller uploads as 1min.AI assets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ChatResponse,
    CitableBlock,
    CitationBlock,
    CompletionResponse,
    DocumentBlock,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)
from llama_index.core.llms.llm import ToolSelection
from oneminai_webapi.tool_calling import ReplyAssembler, ReplyOutcome, ToolCall, Turn

__all__ = [
    "Attachment",
    "StreamItem",
    "build_message",
    "partial_message",
    "to_turns",
    "tool_selections",
]

_ROLE_MAP: dict[str, Literal["system", "user", "assistant", "tool"]] = {
    MessageRole.SYSTEM.value: "system",
    MessageRole.DEVELOPER.value: "system",
    MessageRole.USER.value: "user",
    MessageRole.ASSISTANT.value: "assistant",
    MessageRole.CHATBOT.value: "assistant",
    MessageRole.MODEL.value: "assistant",
    MessageRole.TOOL.value: "tool",
    MessageRole.FUNCTION.value: "tool",
}


#: The credit fields of ``raw`` that responses also carry in ``additional_kwargs``.
CREDIT_KEYS = ("credits_used", "input_credits", "output_credits")


@dataclass(frozen=True)
class Attachment:
    """An image or document of a user message, to be sent as a 1min.AI asset.

    Attributes:
        kind: ``"image"`` (sent in ``images``) or ``"document"`` (sent in ``files``).
        block: The LlamaIndex block holding the data, path or URL.
    """

    kind: Literal["image", "document"]
    block: ImageBlock | DocumentBlock


def _role(message: ChatMessage) -> Literal["system", "user", "assistant", "tool"]:
    role = message.role.value if isinstance(message.role, MessageRole) else str(message.role)
    return _ROLE_MAP.get(role, "user")


def _arguments(raw: Any) -> dict[str, Any]:
    """Tool-call arguments as a dict (LlamaIndex allows a JSON string)."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            return {"input": raw}
        return value if isinstance(value, dict) else {"input": value}
    return {}


def _legacy_tool_calls(message: ChatMessage) -> list[ToolCall]:
    """Read OpenAI-style ``additional_kwargs["tool_calls"]`` written by other integrations."""
    calls: list[ToolCall] = []
    for item in message.additional_kwargs.get("tool_calls") or ():
        if not isinstance(item, dict):
            continue
        function = item.get("function") or item
        name = function.get("name")
        if name:
            calls.append(
                ToolCall(
                    id=str(item.get("id") or ""),
                    name=str(name),
                    arguments=_arguments(function.get("arguments")),
                )
            )
    return calls


def _url(block: ImageBlock | AudioBlock | VideoBlock | DocumentBlock) -> str | None:
    if block.url is not None:
        url = str(block.url)
        return None if url.startswith("data:") else url
    path = getattr(block, "path", None)
    return str(path) if path is not None else None


def _reference(label: str, block: ImageBlock | AudioBlock | VideoBlock | DocumentBlock) -> str:
    url = _url(block)
    return f"[{label}: {url}]" if url else f"[{label} omitted]"


def _citable_text(block: CitableBlock | CitationBlock) -> Iterable[str]:
    nested = block.content if isinstance(block, CitableBlock) else block.cited_content
    for item in nested if isinstance(nested, list) else [nested]:
        if isinstance(item, TextBlock):
            yield item.text


def to_turns(messages: Sequence[ChatMessage]) -> tuple[list[Turn], list[Attachment]]:
    """Convert LlamaIndex messages into prompt turns and the attachments to upload.

    Never raises on unusual input: unknown blocks are skipped, repeated roles are kept
    (the renderer merges them), and any message order is accepted.

    Args:
        messages: The conversation, oldest first.

    Returns:
        The turns for :func:`oneminai_webapi.tool_calling.render_prompt` and the images and
        documents of user and system messages, in order of appearance.
    """
    turns: list[Turn] = []
    attachments: list[Attachment] = []
    names_by_call_id: dict[str, str] = {}
    for message in messages:
        role = _role(message)
        parts: list[str] = []
        calls: list[ToolCall] = []
        for block in message.blocks:
            if isinstance(block, TextBlock):
                parts.append(block.text)
            elif isinstance(block, ToolCallBlock):
                calls.append(
                    ToolCall(
                        id=block.tool_call_id or "",
                        name=block.tool_name,
                        arguments=_arguments(block.tool_kwargs),
                    )
                )
            elif isinstance(block, (ImageBlock, DocumentBlock)) and role in ("user", "system"):
                kind: Literal["image", "document"] = (
                    "image" if isinstance(block, ImageBlock) else "document"
                )
                attachments.append(Attachment(kind, block))
                title = f" {block.title}" if isinstance(block, DocumentBlock) else ""
                parts.append(f"[attached {kind} #{len(attachments)}{title}]")
            elif isinstance(block, ImageBlock):
                parts.append(_reference("image", block))
            elif isinstance(block, DocumentBlock):
                parts.append(_reference("document", block))
            elif isinstance(block, AudioBlock):
                parts.append(_reference("audio", block))
            elif isinstance(block, VideoBlock):
                parts.append(_reference("video", block))
            elif isinstance(block, (CitableBlock, CitationBlock)):
                parts.extend(_citable_text(block))
            # ThinkingBlock, CachePoint and future block types carry nothing to send.
        if role == "assistant":
            calls = calls or _legacy_tool_calls(message)
            names_by_call_id.update({c.id: c.name for c in calls if c.id})
        call_id = message.additional_kwargs.get("tool_call_id")
        name = message.additional_kwargs.get("name") or message.additional_kwargs.get("tool_name")
        if role == "tool" and not name and call_id:
            name = names_by_call_id.get(str(call_id))
        turns.append(
            Turn(
                role=role,
                content="\n".join(p for p in parts if p),
                name=str(name) if name else None,
                tool_calls=tuple(calls) if role == "assistant" else (),
                tool_call_id=str(call_id) if role == "tool" and call_id else None,
                is_error=role == "tool" and bool(message.additional_kwargs.get("is_error")),
            )
        )
    return turns, attachments


def build_message(outcome: ReplyOutcome) -> ChatMessage:
    """Build the assistant message of an interpreted reply.

    Args:
        outcome: The reply as read by the core
            :class:`~oneminai_webapi.tool_calling.ReplyPlan`.

    Returns:
        An assistant :class:`ChatMessage`: a :class:`ThinkingBlock` with the reply's
        reasoning (if any), one text block (possibly empty), and a :class:`ToolCallBlock` per
        tool call. As in llama-index-llms-openai, the calls are also listed OpenAI-style in
        ``additional_kwargs["tool_calls"]`` (which streaming structured output reads). Calls
        that could not be read are listed in ``additional_kwargs["invalid_tool_calls"]``.
    """
    blocks: list[Any] = _reasoning_blocks(outcome.reasoning)
    blocks.append(TextBlock(text=outcome.content))
    blocks.extend(
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name, tool_kwargs=dict(c.arguments))
        for c in outcome.tool_calls
    )
    extra: dict[str, Any] = {}
    if outcome.tool_calls:
        extra["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {
                    "name": c.name,
                    "arguments": json.dumps(c.arguments, ensure_ascii=False),
                },
            }
            for c in outcome.tool_calls
        ]
    if outcome.invalid_tool_calls:
        extra["invalid_tool_calls"] = [
            {"id": c.id, "name": c.name, "arguments": c.raw_arguments, "error": c.error}
            for c in outcome.invalid_tool_calls
        ]
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=extra)


def partial_message(assembler: ReplyAssembler) -> ChatMessage:
    """The assistant message streamed so far: reasoning and text, never a partial call."""
    blocks: list[Any] = _reasoning_blocks(assembler.shown_reasoning)
    blocks.append(TextBlock(text=assembler.shown_text))
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)


def _reasoning_blocks(reasoning: str) -> list[Any]:
    return [ThinkingBlock(content=reasoning)] if reasoning else []


@dataclass(frozen=True)
class StreamItem:
    """One step of a streamed reply.

    Attributes:
        message: The message so far (the whole message on the last item).
        delta: New answer text.
        reasoning_delta: New reasoning text (``ChatResponse.additional_kwargs
            ["thinking_delta"]``, as other LlamaIndex integrations send it).
        raw: The response's ``raw`` payload, on the last item only.
    """

    message: ChatMessage
    delta: str
    reasoning_delta: str = ""
    raw: Any = None

    def _extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = (
            {"thinking_delta": self.reasoning_delta} if self.reasoning_delta else {}
        )
        if self.raw:  # the last item: the credits the service reported
            extra.update({key: self.raw[key] for key in CREDIT_KEYS if key in self.raw})
        return extra

    def chat_response(self) -> ChatResponse:
        """This step as a ``ChatResponse``."""
        return ChatResponse(
            message=self.message, delta=self.delta, raw=self.raw, additional_kwargs=self._extra()
        )

    def completion_response(self) -> CompletionResponse:
        """This step as a ``CompletionResponse`` (text only; reasoning in additional_kwargs)."""
        return CompletionResponse(
            text=self.message.content or "",
            delta=self.delta,
            raw=self.raw,
            additional_kwargs=self._extra(),
        )


def tool_selections(message: ChatMessage) -> list[ToolSelection]:
    """The tool calls of an assistant message as LlamaIndex ``ToolSelection`` objects."""
    selections = [
        ToolSelection(
            tool_id=block.tool_call_id or "",
            tool_name=block.tool_name,
            tool_kwargs=_arguments(block.tool_kwargs),
        )
        for block in message.blocks
        if isinstance(block, ToolCallBlock)
    ]
    if not selections:
        selections = [
            ToolSelection(tool_id=c.id, tool_name=c.name, tool_kwargs=c.arguments)
            for c in _legacy_tool_calls(message)
        ]
    return selections
