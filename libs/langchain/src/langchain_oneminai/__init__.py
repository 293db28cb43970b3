"""LangChain integration for 1min.AI: ``ChatOneMinAI``, tools and a credits callback.

``ChatOneMinAI``, the media tools, ``OneMinAIToolkit``, and ``get_oneminai_callback()`` for
the credits spent in a block of code.

The exports load on first use (module ``__getattr__``), like ``langchain_core``'s own
packages: ``import langchain_oneminai`` stays cheap, and ``from langchain_oneminai import
ChatOneMinAI`` does not import the tool classes (nor the tools the chat model).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_oneminai.callbacks import OneMinAICallbackHandler, get_oneminai_callback
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
    "OneMinAICallbackHandler",
    "OneMinAIImageEditTool",
    "OneMinAIImageGenerationTool",
    "OneMinAIMusicGenerationTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "OneMinAIVideoGenerationTool",
    "__version__",
    "get_oneminai_callback",
]
__version__ = "0.1.0"

#: Export name → the module that defines it.
_LAZY = {
    "ChatOneMinAI": "langchain_oneminai.chat_models",
    "OneMinAIAPIWrapper": "langchain_oneminai.tools._base",
    "OneMinAICallbackHandler": "langchain_oneminai.callbacks",
    "get_oneminai_callback": "langchain_oneminai.callbacks",
    "OneMinAIImageEditTool": "langchain_oneminai.tools.media",
    "OneMinAIImageGenerationTool": "langchain_oneminai.tools.media",
    "OneMinAIMusicGenerationTool": "langchain_oneminai.tools.media",
    "OneMinAISpeechToTextTool": "langchain_oneminai.tools.media",
    "OneMinAITextToSpeechTool": "langchain_oneminai.tools.media",
    "OneMinAIToolkit": "langchain_oneminai.tools.toolkit",
    "OneMinAIVideoGenerationTool": "langchain_oneminai.tools.media",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
