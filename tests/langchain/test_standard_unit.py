"""``langchain-tests`` standard unit suite for ChatOneMinAI."""

from __future__ import annotations

from typing import Any

from langchain_oneminai import ChatOneMinAI
from langchain_tests.unit_tests import ChatModelUnitTests


class TestChatOneMinAIUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[ChatOneMinAI]:
        return ChatOneMinAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4o-mini"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"ONEMINAI_API_KEY": "env-key", "ONEMINAI_BASE_URL": "http://localhost:1234"},
            {"model": "gpt-4o-mini"},
            {"api_key": "env-key", "base_url": "http://localhost:1234"},
        )
