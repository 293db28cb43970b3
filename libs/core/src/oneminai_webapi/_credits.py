"""Credits as a record reports them (read by the output types and the protocol layer alike).

It imports nothing of ours, so that :mod:`oneminai_webapi.types` (data) and ``_protocol``
can both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["record_credits"]


def _credit_value(value: Any) -> int | None:
    """A credit amount as an int (integral floats and digit strings too), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return round(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def record_credits(record: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    """``(credits used, input credits, output credits)`` reported by a record.

    Chat records carry ``metadata.credit`` with ``metadata.inputCredit`` and
    ``metadata.outputCredit`` (seen live: 56 = 45 + 11); image records carry none. A missing
    total is the sum of the two parts when both are there. ``teamUser.usedCredit`` is never
    used: it lags one request behind.
    """
    metadata = record.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    used = _credit_value(metadata.get("credit"))
    given = _credit_value(metadata.get("inputCredit"))
    produced = _credit_value(metadata.get("outputCredit"))
    if used is None and given is not None and produced is not None:
        used = given + produced
    return used, given, produced
