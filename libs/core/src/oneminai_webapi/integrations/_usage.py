"""Usage estimates for services that report no token counts (defined in the protocol layer)."""

from __future__ import annotations

from .._protocol._usage import estimate_tokens

__all__ = ["estimate_tokens"]
