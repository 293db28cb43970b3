from __future__ import annotations

import pytest
from llama_index.core.base.llms.base import BaseLLM
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.llms.oneminai import OneMinAI
from llama_index.llms.oneminai._metadata import resolve_model_info


def test_class_basics() -> None:
    llm = OneMinAI(api_key="k")
    assert BaseLLM in type(llm).__mro__
    assert isinstance(llm, FunctionCallingLLM)
    assert OneMinAI.class_name() == "OneMinAI"
    assert not getattr(OneMinAI, "__abstractmethods__", set())


@pytest.mark.parametrize(
    ("model", "context", "output"),
    [
        ("gpt-4o", 128_000, 16_384),
        ("gpt-4o-mini", 128_000, 16_384),
        ("gpt-4.1-nano", 1_047_576, 32_768),
        ("claude-3-5-haiku-20241022", 200_000, 8_192),
        ("us.anthropic.claude-sonnet-4-20250514-v1:0", 200_000, 64_000),
        ("gemini-2.5-flash", 1_048_576, 65_536),
        ("deepseek-chat", 64_000, 8_192),
        ("meta/meta-llama-3-70b-instruct", 8_192, 2_048),
        ("some-future-model", 16_384, 4_096),
    ],
)
def test_model_table(model: str, context: int, output: int) -> None:
    meta = OneMinAI(model=model, api_key="k").metadata
    assert (meta.context_window, meta.num_output) == (context, output)
    assert meta.context_window > meta.num_output
    assert meta.is_chat_model
    assert meta.model_name == model


def test_weak_models_are_not_function_calling() -> None:
    assert not resolve_model_info("llama-2-70b-chat").is_function_calling_model
    assert resolve_model_info("gpt-4o").is_function_calling_model


def test_user_overrides() -> None:
    llm = OneMinAI(
        model="gpt-4o",
        api_key="k",
        context_window=9_000,
        num_output=1_000,
        is_function_calling_model=False,
        is_chat_model=False,
    )
    meta = llm.metadata
    assert (meta.context_window, meta.num_output) == (9_000, 1_000)
    assert not meta.is_function_calling_model
    assert not meta.is_chat_model


def test_small_context_override_shrinks_output() -> None:
    meta = OneMinAI(model="gpt-5", api_key="k", context_window=4_000).metadata
    assert meta.context_window == 4_000
    assert 0 < meta.num_output < meta.context_window


def test_inconsistent_overrides_are_rejected() -> None:
    with pytest.raises(ValueError, match="context_window"):
        OneMinAI(api_key="k", context_window=1_000, num_output=1_000)


def test_long_documents_do_not_produce_negative_context() -> None:
    from llama_index.core.indices.prompt_helper import PromptHelper

    helper = PromptHelper.from_llm_metadata(OneMinAI(model="gpt-4", api_key="k").metadata)
    chunks = helper.repack(
        __import__("llama_index.core.prompts", fromlist=["PromptTemplate"]).PromptTemplate(
            "Context: {context_str}\nQ: {query_str}"
        ),
        ["word " * 20_000],
    )
    assert chunks
