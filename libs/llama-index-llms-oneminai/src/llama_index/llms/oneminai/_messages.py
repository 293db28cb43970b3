"""LlamaIndex chat messages as ``complete()`` messages, and completions as LlamaIndex messages.

The core client's ``complete()`` renders the conversation into the one prompt 1min.AI takes,
uploads attachments and reads the reply (tool calls, reasoning, JSON answers). This module
only translates: LlamaIndex messages into OpenAI-style message dicts (images and documents of
user and system messages become :class:`~oneminai_webapi.integrations.ChatAttachment` parts),
and a :class:`~oneminai_webapi.completions.Completion` back into an assistant message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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
from oneminai_webapi.completions import Completion
from oneminai_webapi.integrations import ChatAttachment

from ._attachments import to_chat_attachment

__all__ = [
    "CREDIT_KEYS",
    "StreamItem",
    "build_message",
    "partial_message",
    "raw_payload",
    "to_messages",
    "tool_selections",
]

_ROLE_MAP: dict[str, str] = {
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


def _role(message: ChatMessage) -> str:
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


def _legacy_tool_calls(message: ChatMessage) -> list[tuple[str, str, dict[str, Any]]]:
    """OpenAI-style ``additional_kwargs["tool_calls"]`` written by other integrations."""
    calls: list[tuple[str, str, dict[str, Any]]] = []
    for item in message.additional_kwargs.get("tool_calls") or ():
        if not isinstance(item, dict):
            continue
        function = item.get("function") or item
        name = function.get("name")
        if name:
            calls.append(
                (str(item.get("id") or ""), str(name), _arguments(function.get("arguments")))
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


def _parts(message: ChatMessage, role: str) -> tuple[list[str | ChatAttachment], list[Any]]:
    """The content parts of a message (text and attachments) and its tool-call blocks."""
    parts: list[str | ChatAttachment] = []
    calls: list[ToolCallBlock] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(block.text)
        elif isinstance(block, ToolCallBlock):
            calls.append(block)
        elif isinstance(block, (ImageBlock, DocumentBlock)) and role in ("user", "system"):
            parts.append(to_chat_attachment(block))
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
    return parts, calls


def _content(parts: list[str | ChatAttachment]) -> str | list[str | ChatAttachment]:
    if any(isinstance(part, ChatAttachment) for part in parts):
        return [part for part in parts if part]
    return "\n".join(part for part in parts if isinstance(part, str) and part)


def to_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """LlamaIndex messages as ``complete()`` messages (OpenAI chat format).

    Never raises on unusual input: unknown blocks are skipped, and any role order is kept
    (``complete()`` merges repeated roles). Images and documents of user and system messages
    become attachments; elsewhere they are mentioned by URL.

    Args:
        messages: The conversation, oldest first.

    Returns:
        The messages for the core client's ``complete()``.
    """
    converted: list[dict[str, Any]] = []
    for message in messages:
        role = _role(message)
        parts, blocks = _parts(message, role)
        extra = message.additional_kwargs
        out: dict[str, Any] = {"role": role, "content": _content(parts)}
        if role == "assistant":
            calls = [
                (b.tool_call_id or "", b.tool_name, _arguments(b.tool_kwargs)) for b in blocks
            ] or _legacy_tool_calls(message)
            if calls:
                out["tool_calls"] = [
                    {"id": cid, "function": {"name": name, "arguments": args}}
                    for cid, name, args in calls
                ]
        name = extra.get("name") or extra.get("tool_name")
        if role == "tool":
            call_id = extra.get("tool_call_id")
            if call_id:
                out["tool_call_id"] = str(call_id)
            else:  # a result without a call id: the OpenAI "function" message
                out["role"] = "function"
            out["is_error"] = bool(extra.get("is_error"))
        if name and role in ("user", "tool"):
            out["name"] = str(name)
        converted.append(out)
    return converted


def build_message(completion: Completion) -> ChatMessage:
    """The assistant message of a completion.

    Args:
        completion: What the core client's ``complete()`` returned.

    Returns:
        An assistant :class:`ChatMessage`: a :class:`ThinkingBlock` with the reply's
        reasoning (if any), one text block (possibly empty), and a :class:`ToolCallBlock` per
        tool call. As in llama-index-llms-openai, the calls are also listed OpenAI-style in
        ``additional_kwargs["tool_calls"]`` (which streaming structured output reads). Calls
        that could not be read are listed in ``additional_kwargs["invalid_tool_calls"]``.
    """
    blocks: list[Any] = _reasoning_blocks(completion.reasoning or "")
    blocks.append(TextBlock(text=completion.text))
    blocks.extend(
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name, tool_kwargs=dict(c.arguments))
        for c in completion.tool_calls
    )
    extra: dict[str, Any] = {}
    if completion.tool_calls:
        extra["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {
                    "name": c.name,
                    "arguments": json.dumps(c.arguments, ensure_ascii=False),
                },
            }
            for c in completion.tool_calls
        ]
    if completion.invalid_tool_calls:
        extra["invalid_tool_calls"] = [
            {"id": c.id, "name": c.name, "arguments": c.raw_arguments, "error": c.error}
            for c in completion.invalid_tool_calls
        ]
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=extra)


def partial_message(text: str, reasoning: str) -> ChatMessage:
    """The assistant message streamed so far: reasoning and text, never a partial call."""
    blocks: list[Any] = _reasoning_blocks(reasoning)
    blocks.append(TextBlock(text=text))
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)


def _reasoning_blocks(reasoning: str) -> list[Any]:
    return [ThinkingBlock(content=reasoning)] if reasoning else []


def raw_payload(completion: Completion) -> dict[str, Any]:
    """The ``raw`` payload of a response: the completion's service metadata and usage.

    Returns:
        A JSON-compatible dict with ``usage`` (``prompt_tokens``, ``completion_tokens``,
        ``total_tokens``, over every request of the call), ``usage_estimated``, ``model``,
        ``conversation_id``, ``record_id``, ``sources``, the service's ``ai_record`` and,
        when the records report them, ``credits_used``, ``input_credits`` and
        ``output_credits`` (summed over corrective retries).
    """
    usage = completion.usage
    raw: dict[str, Any] = {
        "model": completion.model or None,
        "conversation_id": completion.conversation_id,
        "record_id": completion.record_id,
        "sources": [source.model_dump() for source in completion.sources],
        "usage": {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
        },
        "usage_estimated": usage.estimated,
        "ai_record": dict(completion.metadata),
    }
    for key in CREDIT_KEYS:
        value = getattr(completion, key)
        if value is not None:
            raw[key] = value
    return raw


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
            ToolSelection(tool_id=cid, tool_name=name, tool_kwargs=args)
            for cid, name, args in _legacy_tool_calls(message)
        ]
    return selections
