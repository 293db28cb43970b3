"""1min.AI media tools and toolkit."""

from ._base import OneMinAIAPIWrapper, OneMinAIBaseTool
from .media import (
    OneMinAIImageEditTool,
    OneMinAIImageGenerationTool,
    OneMinAIMusicGenerationTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIVideoGenerationTool,
)
from .toolkit import OneMinAIToolkit

__all__ = [
    "OneMinAIAPIWrapper",
    "OneMinAIBaseTool",
    "OneMinAIImageEditTool",
    "OneMinAIImageGenerationTool",
    "OneMinAIMusicGenerationTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "OneMinAIVideoGenerationTool",
]
