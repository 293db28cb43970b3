"""LlamaIndex tools for 1min.AI."""

from llama_index.tools.oneminai.base import OneMinAIToolSpec

__all__ = ["OneMinAIToolSpec"]
