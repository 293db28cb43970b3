"""LlamaIndex LLM for 1min.AI."""

from llama_index.llms.oneminai.base import OneMinAI

__all__ = ["OneMinAI"]
