"""Per-model limits and capabilities of the chat models 1min.AI proxies.

1min.AI does not report context sizes through its chat API, so the values below come from
the upstream vendors' published limits. Unknown models get conservative defaults, and every
value can be overridden on the :class:`~llama_index.llms.oneminai.OneMinAI` instance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

__all__ = ["DEFAULT_MODEL", "ModelInfo", "resolve_model_info"]

DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class ModelInfo:
    """What LlamaIndex needs to know about one chat model.

    Attributes:
        context_window: Total tokens (prompt plus answer) the model accepts.
        num_output: Tokens the model can produce in one answer.
        is_chat_model: Whether the model is prompted with chat messages.
        is_function_calling_model: Whether the (prompt-emulated) tool protocol is offered.
            Weak instruction followers are marked ``False`` so that LlamaIndex picks the
            text-based ReAct agent and text-based structured output for them.
    """

    context_window: int
    num_output: int
    is_chat_model: bool = True
    is_function_calling_model: bool = True


_UNKNOWN = ModelInfo(context_window=16_384, num_output=4_096)

# Prefix -> limits. Looked up on the normalized model id, longest prefix first.
_TABLE: dict[str, ModelInfo] = {
    # OpenAI
    "gpt-3.5-turbo": ModelInfo(16_385, 4_096),
    "gpt-4": ModelInfo(8_192, 4_096),
    "gpt-4-turbo": ModelInfo(128_000, 4_096),
    "gpt-4o": ModelInfo(128_000, 16_384),
    "chatgpt-4o": ModelInfo(128_000, 16_384),
    "gpt-4.1": ModelInfo(1_047_576, 32_768),
    "gpt-4.5": ModelInfo(128_000, 16_384),
    "gpt-5": ModelInfo(400_000, 128_000),
    "gpt-5-chat": ModelInfo(128_000, 16_384),
    "o1": ModelInfo(200_000, 100_000),
    "o1-mini": ModelInfo(128_000, 65_536),
    "o3": ModelInfo(200_000, 100_000),
    "o4-mini": ModelInfo(200_000, 100_000),
    # Anthropic
    "claude-3": ModelInfo(200_000, 4_096),
    "claude-3-5": ModelInfo(200_000, 8_192),
    "claude-3-7": ModelInfo(200_000, 64_000),
    "claude-sonnet-4": ModelInfo(200_000, 64_000),
    "claude-opus-4": ModelInfo(200_000, 32_000),
    "claude-haiku-4": ModelInfo(200_000, 64_000),
    # Google
    "gemini-1.5-pro": ModelInfo(2_097_152, 8_192),
    "gemini-1.5-flash": ModelInfo(1_048_576, 8_192),
    "gemini-2.0-flash": ModelInfo(1_048_576, 8_192),
    "gemini-2.5": ModelInfo(1_048_576, 65_536),
    "gemini-3": ModelInfo(1_048_576, 65_536),
    # DeepSeek
    "deepseek-chat": ModelInfo(64_000, 8_192),
    "deepseek-reasoner": ModelInfo(64_000, 32_768),
    # xAI
    "grok-2": ModelInfo(131_072, 8_192),
    "grok-3": ModelInfo(131_072, 8_192),
    "grok-4": ModelInfo(256_000, 16_384),
    # Mistral
    "mistral-large": ModelInfo(128_000, 4_096),
    "mistral-medium": ModelInfo(128_000, 4_096),
    "mistral-small": ModelInfo(32_000, 4_096),
    "open-mistral-nemo": ModelInfo(128_000, 4_096),
    "pixtral": ModelInfo(128_000, 4_096),
    "codestral": ModelInfo(256_000, 4_096),
    "open-mistral-7b": ModelInfo(32_000, 2_048, is_function_calling_model=False),
    # Perplexity, Cohere, Qwen
    "sonar": ModelInfo(127_072, 4_096),
    "command-r": ModelInfo(128_000, 4_000),
    "qwen": ModelInfo(32_768, 8_192),
    # Meta (Replicate-style ids are normalized to their last path segment)
    "meta-llama-3-8b": ModelInfo(8_192, 2_048, is_function_calling_model=False),
    "meta-llama-3-70b": ModelInfo(8_192, 2_048),
    "meta-llama-3.1": ModelInfo(128_000, 4_096),
    "llama-2": ModelInfo(4_096, 1_024, is_function_calling_model=False),
}

_PREFIXES = sorted(_TABLE, key=len, reverse=True)
_VENDOR_PREFIXES = ("us.anthropic.", "eu.anthropic.", "anthropic.", "models/")


def _normalize(model: str) -> str:
    name = model.strip().lower()
    name = name.rsplit("/", 1)[-1].split(":", 1)[0]
    for prefix in _VENDOR_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def resolve_model_info(
    model: str,
    *,
    context_window: int | None = None,
    num_output: int | None = None,
    is_chat_model: bool | None = None,
    is_function_calling_model: bool | None = None,
) -> ModelInfo:
    """Look up a model's limits and apply the caller's overrides.

    Args:
        model: A 1min.AI model id such as ``"gpt-4o"`` or ``"us.anthropic.claude-sonnet-4-…"``.
        context_window: Overrides the table's context window.
        num_output: Overrides the table's output size.
        is_chat_model: Overrides the chat-model flag.
        is_function_calling_model: Overrides the function-calling flag.

    Returns:
        The resolved :class:`ModelInfo`.

    Raises:
        ValueError: When the resulting ``num_output`` does not leave room for a prompt.
    """
    name = _normalize(model)
    info = next((_TABLE[p] for p in _PREFIXES if name.startswith(p)), _UNKNOWN)
    overrides: dict[str, Any] = {
        key: value
        for key, value in {
            "context_window": context_window,
            "num_output": num_output,
            "is_chat_model": is_chat_model,
            "is_function_calling_model": is_function_calling_model,
        }.items()
        if value is not None
    }
    info = replace(info, **overrides)
    if info.num_output <= 0 or info.context_window <= info.num_output:
        # Keep LlamaIndex's PromptHelper from computing a negative prompt budget.
        if num_output is None and context_window is not None and context_window > 0:
            info = replace(info, num_output=max(1, min(info.num_output, context_window // 4)))
        else:
            raise ValueError(
                f"context_window ({info.context_window}) must be larger than "
                f"num_output ({info.num_output}), and num_output must be positive."
            )
    return info
