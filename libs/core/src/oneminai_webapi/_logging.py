"""The package logger. It logs methods, paths, statuses and retries — never headers or bodies."""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("oneminai_webapi")
logger.addHandler(logging.NullHandler())

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def set_log_level(level: str) -> None:
    """Set the level of the ``oneminai_webapi`` logger and print its records to stderr.

    Args:
        level: One of ``"DEBUG"``, ``"INFO"``, ``"WARNING"``, ``"ERROR"``.

    Raises:
        ValueError: for any other level.
    """
    name = str(level).upper()
    if name not in _LEVELS:
        raise ValueError(f"level must be one of {', '.join(_LEVELS)}, got {level!r}")
    logger.setLevel(name)
    if not any(getattr(h, "_oneminai", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._oneminai = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


if os.environ.get("ONEMINAI_LOG"):
    set_log_level(os.environ["ONEMINAI_LOG"])
