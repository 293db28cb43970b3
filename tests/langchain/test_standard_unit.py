"""``langchain-tests`` standard unit suite for ChatOneMinAI."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
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

    @pytest.mark.xfail(
        reason=(
            "langchain-core 1.x: load(allowed_objects='all') admits only the classes listed in "
            "langchain_core.load.mapping, so no third-party model can pass this test. The "
            "serialised form still matches the snapshot, and ChatOneMinAI round-trips with "
            "allowed_objects=[ChatOneMinAI] (test_chat_models.py::test_serialisation_round_trip)."
        ),
        raises=ValueError,
        strict=True,
    )
    def test_serdes(self, model: BaseChatModel, snapshot: Any) -> None:
        super().test_serdes(model, snapshot)
