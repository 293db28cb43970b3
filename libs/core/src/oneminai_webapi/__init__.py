"""1min.AI client."""
