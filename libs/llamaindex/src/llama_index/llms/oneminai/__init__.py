"""LlamaIndex LLM for 1min.AI."""
