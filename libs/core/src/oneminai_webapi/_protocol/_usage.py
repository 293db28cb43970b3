"""Usage estimates for services that report no token counts."""

from __future__ import annotations

import math

__all__ = ["estimate_tokens"]


def estimate_tokens(text: str) -> int:
    """Estimate the tokens of a text: about four characters per token.

    1min.AI reports no token counts for chat, so adapters fill usage fields with this.

    Args:
        text: Any text.

    Returns:
        The estimate, ``ceil(len(text) / 4)`` (so 0 for an empty text, at least 1 otherwise).
    """
    return math.ceil(len(text) / 4)
