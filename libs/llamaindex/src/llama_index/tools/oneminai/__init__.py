"""LlamaIndex tools for 1min.AI: the shared agent tools (media, writing, chat, account)."""

from llama_index.tools.oneminai._legacy import RENAMED_TOOLS
from llama_index.tools.oneminai._tool import ServiceErrorTool, SharedToolMetadata
from llama_index.tools.oneminai.base import DEFAULT_TOOLS, OneMinAIToolSpec

__all__ = [
    "DEFAULT_TOOLS",
    "RENAMED_TOOLS",
    "OneMinAIToolSpec",
    "ServiceErrorTool",
    "SharedToolMetadata",
]
