"""``langchain-tests`` standard suites for every 1min.AI media tool (against the emulator)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from langchain_core.tools import BaseTool
from langchain_oneminai import (
    OneMinAIImageEditTool,
    OneMinAIImageGenerationTool,
    OneMinAIMusicGenerationTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIToolkit,
    OneMinAIVideoGenerationTool,
)
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests
from oneminai_webapi.testing import Emulator


class _EmulatorToolMixin:
    """Points each tool at the session emulator (set before the ``tool`` fixture runs)."""

    base_url: str = ""
    extra_params: ClassVar[dict[str, Any]] = {}

    @pytest.fixture(autouse=True)
    def _emulator(self, simulated_emulator: Emulator) -> None:
        type(self).base_url = simulated_emulator.base_url

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {"api_key": "test-key", "base_url": self.base_url, **self.extra_params}


class _ImageGeneration(_EmulatorToolMixin):
    tool_constructor = OneMinAIImageGenerationTool
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {
        "prompt": "A watercolor fox",
        "aspect_ratio": "landscape",
    }


class _ImageEdit(_EmulatorToolMixin):
    tool_constructor = OneMinAIImageEditTool
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {
        "image": "https://example.com/fox.png",
        "prompt": "add a hat",
    }


class _TextToSpeech(_EmulatorToolMixin):
    tool_constructor = OneMinAITextToSpeechTool
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {"text": "Hello there", "voice": "nova"}


class _SpeechToText(_EmulatorToolMixin):
    tool_constructor = OneMinAISpeechToTextTool
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {
        "audio": "https://example.com/speech.mp3",
        "language": "en",
    }


class _Video(_EmulatorToolMixin):
    tool_constructor = OneMinAIVideoGenerationTool
    extra_params: ClassVar[dict[str, Any]] = {"poll_interval": 0.05}
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {
        "prompt": "A fox running",
        "duration": 5,
    }


class _Music(_EmulatorToolMixin):
    tool_constructor = OneMinAIMusicGenerationTool
    extra_params: ClassVar[dict[str, Any]] = {"poll_interval": 0.05}
    tool_invoke_params_example: ClassVar[dict[str, Any]] = {
        "prompt": "Calm piano",
        "instrumental": True,
    }


class TestImageGenerationUnit(_ImageGeneration, ToolsUnitTests):
    pass


class TestImageGenerationIntegration(_ImageGeneration, ToolsIntegrationTests):
    pass


class TestImageEditUnit(_ImageEdit, ToolsUnitTests):
    pass


class TestImageEditIntegration(_ImageEdit, ToolsIntegrationTests):
    pass


class TestTextToSpeechUnit(_TextToSpeech, ToolsUnitTests):
    pass


class TestTextToSpeechIntegration(_TextToSpeech, ToolsIntegrationTests):
    pass


class TestSpeechToTextUnit(_SpeechToText, ToolsUnitTests):
    pass


class TestSpeechToTextIntegration(_SpeechToText, ToolsIntegrationTests):
    pass


class TestVideoUnit(_Video, ToolsUnitTests):
    pass


class TestVideoIntegration(_Video, ToolsIntegrationTests):
    pass


class TestMusicUnit(_Music, ToolsUnitTests):
    pass


class TestMusicIntegration(_Music, ToolsIntegrationTests):
    pass


def test_toolkit_shares_one_wrapper_and_client(simulated_emulator: Emulator) -> None:
    toolkit = OneMinAIToolkit(api_key="test-key", base_url=simulated_emulator.base_url)
    tools = toolkit.get_tools()
    assert [t.name for t in tools] == [
        "oneminai_image_generation",
        "oneminai_image_edit",
        "oneminai_text_to_speech",
        "oneminai_speech_to_text",
        "oneminai_video_generation",
        "oneminai_music_generation",
    ]
    assert all(isinstance(t, BaseTool) for t in tools)
    assert len({id(t.api_wrapper) for t in tools}) == 1  # type: ignore[attr-defined]
    clients = {id(t.api_wrapper.clients().sync()) for t in tools}  # type: ignore[attr-defined]
    assert len(clients) == 1
    toolkit.close()


def test_toolkit_include_and_models() -> None:
    toolkit = OneMinAIToolkit(
        include=["image_generation", "oneminai_text_to_speech"],
        models={"image_generation": "dall-e-3"},
    )
    tools = toolkit.get_tools()
    assert [t.name for t in tools] == ["oneminai_image_generation", "oneminai_text_to_speech"]
    assert tools[0].model == "dall-e-3"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match=r"unknown 1min\.AI tools"):
        OneMinAIToolkit(include=["teleport"])


def test_tool_artifact_has_urls_and_ids(simulated_emulator: Emulator) -> None:
    tool = OneMinAIImageGenerationTool(api_key="test-key", base_url=simulated_emulator.base_url)
    message = tool.invoke(
        {"name": tool.name, "args": {"prompt": "a fox"}, "id": "call_1", "type": "tool_call"}
    )
    assert message.artifact["urls"] and message.artifact["urls"][0] in message.content
    assert message.artifact["asset_keys"] and message.artifact["record_id"]
    assert "test-key" not in repr(tool) and "test-key" not in str(tool.model_dump())
