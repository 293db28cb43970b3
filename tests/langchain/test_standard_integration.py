"""``langchain-tests`` standard integration suite for ChatOneMinAI.

``TestChatOneMinAIEmulator`` runs against the local emulator, whose chat replies come from a
deterministic protocol-following simulated model (see ``lc_simulated_model``): it proves the
whole pipeline (prompt rendering, HTTP/SSE, streaming assembly, tool-call parsing, structured
output) offline. Tests that download media from the internet are switched off there (the
media upload path is covered by ``test_chat_models.py`` with inline data).

``TestChatOneMinAILive`` runs the same suite against the real service when
``ONEMINAI_API_KEY`` is set.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from langchain_oneminai import ChatOneMinAI
from langchain_tests.integration_tests import ChatModelIntegrationTests
from oneminai_webapi.testing import Emulator


class TestChatOneMinAIEmulator(ChatModelIntegrationTests):
    base_url: str = ""

    @pytest.fixture(autouse=True)
    def _emulator(self, simulated_emulator: Emulator) -> None:
        type(self).base_url = simulated_emulator.base_url

    @property
    def chat_model_class(self) -> type[ChatOneMinAI]:
        return ChatOneMinAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4o-mini", "api_key": "test-key", "base_url": self.base_url}

    @property
    def model_override_value(self) -> str:
        return "gpt-4o"

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True


@pytest.mark.live
@pytest.mark.skipif(not os.environ.get("ONEMINAI_API_KEY"), reason="needs ONEMINAI_API_KEY")
class TestChatOneMinAILive(ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[ChatOneMinAI]:
        return ChatOneMinAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": os.environ.get("ONEMINAI_TEST_MODEL", "gpt-4o-mini")}

    @property
    def model_override_value(self) -> str:
        return "gpt-4.1-mini"

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_pdf_inputs(self) -> bool:
        return True
