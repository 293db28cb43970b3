"""OpenAI-style chat messages → framework-neutral turns (for the prompt) and attachments.

``client.complete()`` takes the message list of OpenAI's chat API: ``system``/``developer``,
``user`` (text, ``image_url`` and ``file`` parts), ``assistant`` (text, ``refusal``,
``tool_calls``, the legacy ``function_call``), ``tool`` and the legacy ``function``. Images and
files become :class:`~oneminai_webapi.integrations.ChatAttachment` objects, uploaded before the
request; the text keeps a short marker where each one appeared. Anything malformed raises
:class:`~oneminai_webapi.exceptions.InvalidRequestError` naming the message, before any request.

Two additions serve the framework adapters, which translate their messages into this format:
a content part may be a :class:`~oneminai_webapi.integrations.ChatAttachment` itself (in
``user``, ``system`` and ``tool`` messages: frameworks let tools return images), and a tool
message may say ``"is_error": true`` (the tool failed; as in Anthropic's tool results).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..exceptions import InvalidRequestError
from ..tool_calling import ToolCall, Turn
from ._attachment import ChatAttachment

__all__ = ["ConvertedMessages", "convert_messages"]

_Role = Literal["system", "user", "assistant", "tool"]
_ROLES: dict[str, _Role] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
    "function": "tool",
}
_TEXT_PARTS = frozenset({"text", "input_text", "output_text"})


@dataclass
class ConvertedMessages:
    """The result of :func:`convert_messages`.

    Attributes:
        turns: One turn per message, in order.
        attachments: Images and files of the messages, de-duplicated, in order.
    """

    turns: list[Turn] = field(default_factory=list)
    attachments: list[ChatAttachment] = field(default_factory=list)


def convert_messages(messages: object) -> ConvertedMessages:
    """Validate and convert an OpenAI-style message list.

    Args:
        messages: A non-empty sequence of message mappings (objects with ``model_dump()``,
            such as pydantic models, are accepted too).

    Returns:
        The turns and attachments.

    Raises:
        InvalidRequestError: For anything that is not a valid message list.
    """
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise InvalidRequestError("messages must be a list of message objects")
    if not messages:
        raise InvalidRequestError("messages must not be empty")
    result = ConvertedMessages()
    seen: set[str] = set()
    call_names: dict[str, str] = {}
    for index, raw in enumerate(messages):
        message = _as_mapping(raw, index)
        turn, attachments = _convert(message, index, call_names)
        for call in turn.tool_calls:
            call_names[call.id] = call.name
        for attachment in attachments:
            if attachment.cache_key not in seen:
                seen.add(attachment.cache_key)
                result.attachments.append(attachment)
        result.turns.append(turn)
    return result


def _as_mapping(raw: object, index: int) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return raw
    dump = getattr(raw, "model_dump", None)
    if callable(dump):
        value = dump(exclude_none=True)
        if isinstance(value, Mapping):
            return value
    raise InvalidRequestError(f"messages[{index}] must be an object with a role")


def _convert(
    message: Mapping[str, Any], index: int, call_names: Mapping[str, str]
) -> tuple[Turn, list[ChatAttachment]]:
    where = f"messages[{index}]"
    role_value = message.get("role")
    role = _ROLES.get(role_value) if isinstance(role_value, str) else None
    if role is None:
        allowed = ", ".join(_ROLES)
        raise InvalidRequestError(f"{where}.role must be one of {allowed}, got {role_value!r}")
    name = _optional_str(message, "name", where)
    text, attachments = _content(message.get("content"), where, role)
    if role == "assistant":
        refusal = _optional_str(message, "refusal", where)
        if refusal and not text:
            text = refusal
        calls = _assistant_calls(message, where)
        return Turn("assistant", text, name=name, tool_calls=calls), []
    if role == "tool":
        call_id = _optional_str(message, "tool_call_id", where)
        if role_value == "tool" and not call_id:
            raise InvalidRequestError(f"{where}.tool_call_id is required for a tool message")
        tool_name = name or (call_names.get(call_id) if call_id else None)
        failed = message.get("is_error", False)
        if not isinstance(failed, bool):
            raise InvalidRequestError(f"{where}.is_error must be a boolean")
        turn = Turn("tool", text, name=tool_name, tool_call_id=call_id, is_error=failed)
        return turn, attachments
    return Turn(role, text, name=name if role == "user" else None), attachments


def _optional_str(message: Mapping[str, Any], key: str, where: str) -> str | None:
    value = message.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InvalidRequestError(f"{where}.{key} must be a string")


def _content(content: Any, where: str, role: str) -> tuple[str, list[ChatAttachment]]:
    """The text of a message (with attachment markers) and its attachments."""
    if content is None or isinstance(content, str):
        return content or "", []
    if isinstance(content, Mapping) or not isinstance(content, Sequence):
        raise InvalidRequestError(f"{where}.content must be a string or a list of parts")
    texts: list[str] = []
    attachments: list[ChatAttachment] = []
    for number, part in enumerate(content):
        at = f"{where}.content[{number}]"
        if isinstance(part, str):
            texts.append(part)
            continue
        if isinstance(part, ChatAttachment) and role != "assistant":
            attachments.append(part)
            texts.append(_marker(part))
            continue
        if not isinstance(part, Mapping):
            raise InvalidRequestError(f"{at} must be an object with a type")
        kind = part.get("type")
        if kind in _TEXT_PARTS or kind == "refusal":
            value = part.get("text" if kind != "refusal" else "refusal")
            if not isinstance(value, str):
                raise InvalidRequestError(
                    f"{at} needs a string {'text' if kind != 'refusal' else 'refusal'}"
                )
            texts.append(value)
            continue
        if kind in ("image_url", "file", "input_image", "input_file"):
            if role != "user":
                raise InvalidRequestError(
                    f"{at}: images and files are accepted in user messages only"
                )
            attachment = _attachment(part, at)
            attachments.append(attachment)
            texts.append(_marker(attachment))
            continue
        if kind in ("input_audio", "audio"):
            raise InvalidRequestError(f"{at}: audio input is not supported by 1min.AI chat")
        raise InvalidRequestError(f"{at} has an unknown part type {kind!r}")
    return "\n".join(t for t in texts if t), attachments


def _marker(attachment: ChatAttachment) -> str:
    """What the prompt says where an attachment was."""
    label = "image" if attachment.kind == "image" else "file"
    return f"[{label} attached: {attachment.upload_filename}]"


def _attachment(part: Mapping[str, Any], at: str) -> ChatAttachment:
    kind = part.get("type")
    try:
        if kind in ("image_url", "input_image"):
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, Mapping) else image
            if not isinstance(url, str) or not url.strip():
                raise InvalidRequestError(f"{at}.image_url.url must be a non-empty string")
            return ChatAttachment.from_url("image", url.strip())
        nested = part.get("file")
        body: Mapping[str, Any] = nested if isinstance(nested, Mapping) else part
        filename = body.get("filename") if isinstance(body.get("filename"), str) else None
        data = body.get("file_data")
        if isinstance(data, str) and data:
            if data.startswith("data:"):
                return ChatAttachment.from_url("file", data, filename=filename)
            return ChatAttachment.from_base64("file", data, filename=filename)
        url = body.get("file_url")
        if isinstance(url, str) and url:
            return ChatAttachment.from_url("file", url, filename=filename)
        file_id = body.get("file_id")
        if isinstance(file_id, str) and file_id:
            return ChatAttachment("file", asset_ref=file_id, filename=filename)
    except ValueError as exc:
        raise InvalidRequestError(f"{at}: {exc}") from None
    raise InvalidRequestError(f"{at} needs file_data (base64 or a data URL), file_url or file_id")


def _assistant_calls(message: Mapping[str, Any], where: str) -> tuple[ToolCall, ...]:
    raw_calls = message.get("tool_calls")
    legacy = message.get("function_call")
    if raw_calls is None and isinstance(legacy, Mapping):
        raw_calls = [{"id": "", "function": legacy}]
    if raw_calls is None:
        return ()
    if isinstance(raw_calls, (str, Mapping)) or not isinstance(raw_calls, Sequence):
        raise InvalidRequestError(f"{where}.tool_calls must be a list")
    calls: list[ToolCall] = []
    for number, item in enumerate(raw_calls):
        at = f"{where}.tool_calls[{number}]"
        function = item.get("function") if isinstance(item, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise InvalidRequestError(f"{at} needs a function with a name")
        call_id = item.get("id") if isinstance(item, Mapping) else None
        calls.append(
            ToolCall(
                id=call_id if isinstance(call_id, str) else "",
                name=function["name"],
                arguments=_arguments(function.get("arguments")),
            )
        )
    return tuple(calls)


def _arguments(raw: Any) -> dict[str, Any]:
    """Arguments of an earlier call: OpenAI sends them as JSON text."""
    if isinstance(raw, Mapping):
        return dict(raw)
    if not isinstance(raw, str) or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"input": raw}
    return value if isinstance(value, dict) else {"input": value}
