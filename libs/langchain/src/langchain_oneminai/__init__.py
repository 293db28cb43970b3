"""LangChain integration for 1min.AI."""
