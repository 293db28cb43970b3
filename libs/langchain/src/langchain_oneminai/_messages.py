"""LangChain messages → framework-neutral turns (for the prompt) plus attachments (to upload).

Any message list is accepted: repeated roles, names, AI messages with tool calls, tool results
(including errors), list content with unknown provider blocks (Anthropic ``tool_use``,
``thinking``, ``cache_control`` keys …). Image and PDF blocks, in the standard LangChain format
or the OpenAI format, base64 or URL, become core
:class:`~oneminai_webapi.integrations.ChatAttachment` objects; the text gets a short marker
where they appeared so the model knows which message they belong to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from oneminai_webapi.integrations import ChatAttachment
from oneminai_webapi.tool_calling import ToolCall, Turn

__all__ = ["ConvertedMessages", "convert_messages", "messages_since_conversation"]

_TEXT_BLOCK_TYPES = frozenset({"text", "text-plain", "input_text", "output_text"})
_SKIPPED_BLOCK_TYPES = frozenset(
    {
        "tool_use",
        "tool_call",
        "tool_call_chunk",
        "server_tool_call",
        "server_tool_result",
        "thinking",
        "redacted_thinking",
        "reasoning",
        "invalid_tool_call",
    }
)
_MEDIA_TYPES = frozenset({"image", "image_url", "file"})
_ROLE_ALIASES: dict[str, Literal["system", "user", "assistant", "tool"]] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "model": "assistant",
    "tool": "tool",
    "function": "tool",
}


@dataclass
class ConvertedMessages:
    """The result of :func:`convert_messages`.

    Attributes:
        turns: One turn per message, in order.
        attachments: Files referenced by the messages, de-duplicated, in order.
    """

    turns: list[Turn] = field(default_factory=list)
    attachments: list[ChatAttachment] = field(default_factory=list)


def convert_messages(messages: Sequence[BaseMessage]) -> ConvertedMessages:
    """Convert LangChain messages into turns and attachments. Never raises on odd content.

    Args:
        messages: The conversation.

    Returns:
        The turns and the attachments.
    """
    result = ConvertedMessages()
    seen: set[str] = set()
    for message in messages:
        text, attachments = _content(message)
        for attachment in attachments:
            if attachment.cache_key not in seen:
                seen.add(attachment.cache_key)
                result.attachments.append(attachment)
        result.turns.append(_turn(message, text))
    return result


def messages_since_conversation(
    messages: Sequence[BaseMessage],
) -> tuple[str | None, list[BaseMessage]]:
    """Find the latest server-side conversation in a history and the messages after it.

    Looks for the most recent AI message whose ``response_metadata["conversation_id"]`` is
    set. System messages are always kept, so instructions stay in force.

    Args:
        messages: The full history.

    Returns:
        ``(conversation_id, messages to send)``; ``(None, all messages)`` when there is none.
    """
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if isinstance(message, AIMessage):
            conversation_id = message.response_metadata.get("conversation_id")
            if isinstance(conversation_id, str) and conversation_id:
                systems = [m for m in messages[:index] if isinstance(m, SystemMessage)]
                return conversation_id, [*systems, *messages[index + 1 :]]
    return None, list(messages)


# ---------------------------------------------------------------------------------------------


def _turn(message: BaseMessage, text: str) -> Turn:
    if isinstance(message, SystemMessage):
        return Turn("system", text)
    if isinstance(message, AIMessage):
        calls = tuple(
            ToolCall(id=call.get("id") or "", name=call["name"], arguments=dict(call["args"]))
            for call in message.tool_calls
        )
        return Turn("assistant", text, name=message.name, tool_calls=calls)
    if isinstance(message, ToolMessage):
        return Turn(
            "tool",
            text,
            name=message.name,
            tool_call_id=message.tool_call_id,
            is_error=message.status == "error",
        )
    if isinstance(message, FunctionMessage):
        return Turn("tool", text, name=message.name)
    if isinstance(message, ChatMessage):
        role = _ROLE_ALIASES.get(message.role.lower())
        if role is None:
            return Turn("user", text, name=message.name or message.role)
        return Turn(role, text, name=message.name)
    name = message.name if isinstance(message, HumanMessage) else None
    return Turn("user", text, name=name)


def _content(message: BaseMessage) -> tuple[str, list[ChatAttachment]]:
    """Return the text of a message (with attachment markers) and its attachments."""
    content = message.content
    if isinstance(content, str):
        return content, []
    if isinstance(message, AIMessage):
        return _join(_text_of(block) for block in content), []
    blocks: Iterable[Any]
    try:
        blocks = message.content_blocks
    except Exception:  # unknown provider formats must never break the prompt
        blocks = content
    texts: list[str] = []
    attachments: list[ChatAttachment] = []
    for block in blocks:
        attachment = _attachment(block)
        if attachment is None and isinstance(block, dict) and block.get("type") in _MEDIA_TYPES:
            texts.append("[attachment omitted: unreadable data]")
            continue
        if attachment is not None:
            attachments.append(attachment)
            label = "image" if attachment.kind == "image" else "file"
            texts.append(f"[{label} attached: {attachment.upload_filename}]")
            continue
        texts.append(_text_of(block))
    return _join(texts), attachments


def _join(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)


def _text_of(block: Any) -> str:
    if isinstance(block, str):
        return block
    if not isinstance(block, dict):
        return ""
    kind = block.get("type")
    if kind in _TEXT_BLOCK_TYPES and isinstance(block.get("text"), str):
        return str(block["text"])
    if kind in _SKIPPED_BLOCK_TYPES:
        return ""
    if kind == "non_standard":
        value = block.get("value")
        return _text_of(value) if isinstance(value, dict) else ""
    if kind in ("audio", "input_audio", "video"):
        return f"[{kind} omitted: not supported by this model]"
    if kind is None and isinstance(block.get("text"), str):
        return str(block["text"])
    return ""


def _attachment(block: Any) -> ChatAttachment | None:
    """Read an image/PDF/file block (standard or OpenAI format), or return ``None``."""
    if not isinstance(block, dict):
        return None
    try:
        return _read_attachment(block)
    except ValueError:  # base64 that does not decode
        return None


def _read_attachment(block: dict[str, Any]) -> ChatAttachment | None:
    kind = block.get("type")
    if kind == "image_url":  # OpenAI format that content_blocks did not translate
        image_url = block.get("image_url")
        url = image_url.get("url") if isinstance(image_url, dict) else image_url
        return ChatAttachment.from_url("image", url) if isinstance(url, str) else None
    if kind not in ("image", "file"):
        return None
    category: Literal["image", "file"] = "image" if kind == "image" else "file"
    extras = block.get("extras") if isinstance(block.get("extras"), dict) else {}
    mime = block.get("mime_type") if isinstance(block.get("mime_type"), str) else None
    given = block.get("filename") or (extras or {}).get("filename")
    filename = str(given) if given else None
    if isinstance(block.get("base64"), str):
        return ChatAttachment.from_base64(
            category, block["base64"], mime_type=mime, filename=filename
        )
    if isinstance(block.get("url"), str):
        return ChatAttachment.from_url(category, block["url"], mime_type=mime, filename=filename)
    nested = block.get("file")  # OpenAI {"type": "file", "file": {"file_data"|"file_id": ...}}
    if isinstance(nested, dict):
        name = str(nested["filename"]) if nested.get("filename") else filename
        if isinstance(nested.get("file_data"), str):
            return ChatAttachment.from_url(
                "file", nested["file_data"], mime_type=mime, filename=name
            )
        if isinstance(nested.get("file_id"), str):
            return ChatAttachment(
                "file", asset_ref=nested["file_id"], mime_type=mime, filename=name
            )
    file_id = block.get("file_id")
    if isinstance(file_id, str) and file_id:
        return ChatAttachment(category, asset_ref=file_id, mime_type=mime, filename=filename)
    return None
