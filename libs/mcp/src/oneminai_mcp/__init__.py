"""1min.AI tools over MCP."""
