"""Streams are handed out as they are; awaiting one still works, with a deprecation warning.

``client.chat(..., stream=True)``, ``generate_content_stream()``, ``send_message_stream()``
and ``complete(..., stream=True)`` return the stream itself on both clients (``async for``
on the async client, ``for`` on the sync one). Before, some of them had to be awaited on the
async client: :meth:`AsyncChatStream.__await__` and :meth:`AsyncCompletionStream.__await__`
keep that form working and warn.
"""

from __future__ import annotations

import warnings
from typing import TypeVar

T = TypeVar("T")


def deprecated_await(kind: str) -> None:
    """Warn, at the caller's ``await``, that a stream was awaited."""
    warnings.warn(
        f"awaiting an {kind} is deprecated and no longer needed: streaming methods return"
        " the stream itself (async for chunk in client.chat(..., stream=True))",
        DeprecationWarning,
        stacklevel=3,
    )


async def ready(value: T) -> T:
    """``value`` as the result of an awaitable (what awaiting a stream gives back)."""
    return value
