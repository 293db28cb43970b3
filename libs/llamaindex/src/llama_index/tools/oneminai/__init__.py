"""LlamaIndex tools for 1min.AI."""

from llama_index.tools.oneminai.base import OneMinAIToolSpec, ServiceErrorTool

__all__ = ["OneMinAIToolSpec", "ServiceErrorTool"]
