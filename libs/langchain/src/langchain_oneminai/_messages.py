"""LangChain messages → OpenAI-style messages for ``client.complete()`` (never raising).

Any message list is accepted: repeated roles, names, AI messages with tool calls, tool results
(including errors), list content with unknown provider blocks (Anthropic ``tool_use``,
``thinking``, ``cache_control`` keys …). Image and PDF blocks, in the standard LangChain format
or the OpenAI format, base64 or URL, become core
:class:`~oneminai_webapi.integrations.ChatAttachment` content parts, which ``complete()``
uploads once and marks in the prompt where they appeared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

__all__ = ["messages_since_conversation", "to_openai_messages"]

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
#: ``ChatMessage`` roles; a tool result without a call id is sent as a legacy function result.
_ROLE_ALIASES: dict[str, Literal["system", "user", "assistant", "function"]] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "model": "assistant",
    "tool": "function",
    "function": "function",
}


def to_openai_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Translate LangChain messages into ``complete()`` messages. Never raises on odd content.

    Args:
        messages: The conversation.

    Returns:
        One OpenAI-style message per LangChain message, in order.
    """
    return [_message(message) for message in messages]


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


def _message(message: BaseMessage) -> dict[str, Any]:
    content = _content(message)
    if isinstance(message, SystemMessage):
        return {"role": "system", "content": content}
    if isinstance(message, AIMessage):
        out: dict[str, Any] = {"role": "assistant", "content": content}
        calls = [
            {
                "id": call.get("id") or "",
                "function": {"name": call["name"], "arguments": call["args"]},
            }
            for call in message.tool_calls
        ]
        if calls:
            out["tool_calls"] = calls
        return _named(out, message.name)
    if isinstance(message, ToolMessage):
        role = "tool" if message.tool_call_id else "function"
        out = {"role": role, "content": content, "is_error": message.status == "error"}
        if message.tool_call_id:
            out["tool_call_id"] = message.tool_call_id
        return _named(out, message.name)
    if isinstance(message, FunctionMessage):
        return _named({"role": "function", "content": content}, message.name)
    if isinstance(message, ChatMessage):
        alias = _ROLE_ALIASES.get(message.role.lower())
        if alias is None:
            return _named({"role": "user", "content": content}, message.name or message.role)
        return _named({"role": alias, "content": content}, message.name)
    name = message.name if isinstance(message, HumanMessage) else None
    return _named({"role": "user", "content": content}, name)


def _named(message: dict[str, Any], name: str | None) -> dict[str, Any]:
    if name:
        message["name"] = name
    return message


def _content(message: BaseMessage) -> str | list[Any]:
    """The text of a message, or its parts (text and attachments) when it has attachments."""
    content = message.content
    if isinstance(content, str):
        return content
    if isinstance(message, AIMessage):
        return _join(_text_of(block) for block in content)
    blocks: Iterable[Any]
    try:
        blocks = message.content_blocks
    except Exception:  # unknown provider formats must never break the prompt
        blocks = content
    parts: list[Any] = []
    for block in blocks:
        attachment = _attachment(block)
        if attachment is not None:
            parts.append(attachment)
        elif isinstance(block, dict) and block.get("type") in _MEDIA_TYPES:
            parts.append("[attachment omitted: unreadable data]")
        else:
            parts.append(_text_of(block))
    if not any(isinstance(part, ChatAttachment) for part in parts):
        return _join(parts)
    return [part for part in parts if part]


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
