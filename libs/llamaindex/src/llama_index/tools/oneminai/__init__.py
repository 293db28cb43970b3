"""LlamaIndex tools for 1min.AI."""
