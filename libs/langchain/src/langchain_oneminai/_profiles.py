"""Model profiles for models reachable through 1min.AI.

1min.AI proxies many vendors' models behind one prompt-string API, so some capabilities are
the same for every model (tool calling and structured output are emulated through the prompt,
and work for all of them) while context sizes and vision/PDF support follow the vendor model.
The table is keyed by model-id prefix; the longest matching prefix wins.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROFILES", "get_profile"]

#: Capabilities shared by every chat model on 1min.AI.
_COMMON: dict[str, Any] = {
    "text_inputs": True,
    "text_outputs": True,
    # Emulated through the prompt by ChatOneMinAI, so available for every model.
    "tool_calling": True,
    "tool_choice": True,
    "structured_output": True,
    # Tool calls arrive in one final chunk (the reply is buffered while tools are bound).
    "tool_call_streaming": False,
    "mid_conversation_system_messages": True,
    "audio_inputs": False,
    "video_inputs": False,
    "image_outputs": False,
    "audio_outputs": False,
    "video_outputs": False,
}


def _vision(max_in: int, max_out: int, *, pdf: bool = True) -> dict[str, Any]:
    return {
        "max_input_tokens": max_in,
        "max_output_tokens": max_out,
        "image_inputs": True,
        "image_url_inputs": True,
        "pdf_inputs": pdf,
        "image_tool_message": True,
        "pdf_tool_message": pdf,
    }


def _text_only(max_in: int, max_out: int) -> dict[str, Any]:
    return {
        "max_input_tokens": max_in,
        "max_output_tokens": max_out,
        "image_inputs": False,
        "image_url_inputs": False,
        "pdf_inputs": True,  # documents are extracted server-side for every model
        "image_tool_message": False,
        "pdf_tool_message": True,
    }


#: Profile fields by model-id prefix (merged over :data:`_COMMON`).
PROFILES: dict[str, dict[str, Any]] = {
    "gpt-5": _vision(400_000, 128_000),
    "gpt-4.1": _vision(1_047_576, 32_768),
    "gpt-4o": _vision(128_000, 16_384),
    "gpt-4-turbo": _vision(128_000, 4_096),
    "gpt-3.5-turbo": _text_only(16_385, 4_096),
    "o1": _vision(200_000, 100_000),
    "o3": _vision(200_000, 100_000),
    "o4-mini": _vision(200_000, 100_000),
    "claude-opus-4": _vision(200_000, 32_000),
    "claude-sonnet-4": _vision(200_000, 64_000),
    "claude-haiku-4": _vision(200_000, 64_000),
    "claude-3": _vision(200_000, 8_192),
    "gemini-3": _vision(1_048_576, 65_536),
    "gemini-2.5": _vision(1_048_576, 65_536),
    "gemini-2.0": _vision(1_048_576, 8_192),
    "grok-4": _vision(256_000, 64_000),
    "grok-3": _text_only(131_072, 16_384),
    "qwen3-vl": _vision(262_144, 32_768),
    "qwen-vl": _vision(131_072, 8_192),
    "qwen": _text_only(131_072, 8_192),
    "deepseek": {**_text_only(64_000, 8_000), "reasoning_output": True},
    "mistral": _text_only(128_000, 8_192),
    "llama": _text_only(128_000, 8_192),
}

#: Vendor prefixes of catalog ids (Bedrock-style Claude ids since 2026).
_VENDOR_PREFIXES = ("us.anthropic.", "eu.anthropic.", "anthropic.")

#: Conservative defaults for models not in the table.
_DEFAULT: dict[str, Any] = _text_only(32_000, 4_096)


def get_profile(model: str) -> dict[str, Any]:
    """Return the profile of a model id (a conservative default for unknown models).

    Args:
        model: A 1min.AI model id such as ``gpt-4o-mini``.

    Returns:
        A dict of :class:`langchain_core.language_models.ModelProfile` fields.
    """
    lowered = model.strip().lower()
    for vendor in _VENDOR_PREFIXES:  # 2026 catalog ids: us.anthropic.claude-sonnet-4-6
        lowered = lowered.removeprefix(vendor)
    matches = [prefix for prefix in PROFILES if lowered.startswith(prefix)]
    specific = PROFILES[max(matches, key=len)] if matches else _DEFAULT
    return {**_COMMON, **specific}
