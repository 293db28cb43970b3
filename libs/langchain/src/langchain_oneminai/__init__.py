"""LangChain integration for 1min.AI: ``ChatOneMinAI``, media tools and ``OneMinAIToolkit``."""

from langchain_oneminai.chat_models import ChatOneMinAI
from langchain_oneminai.tools import (
    OneMinAIAPIWrapper,
    OneMinAIImageEditTool,
    OneMinAIImageGenerationTool,
    OneMinAIMusicGenerationTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIToolkit,
    OneMinAIVideoGenerationTool,
)

__all__ = [
    "ChatOneMinAI",
    "OneMinAIAPIWrapper",
    "OneMinAIImageEditTool",
    "OneMinAIImageGenerationTool",
    "OneMinAIMusicGenerationTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "OneMinAIVideoGenerationTool",
    "__version__",
]
__version__ = "0.1.0"
