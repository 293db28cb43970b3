"""oneminai_webapi — Python client for 1min.AI.

Quick start::

    import asyncio
    from oneminai_webapi import OneMinAIClient

    async def main() -> None:
        async with OneMinAIClient() as client:          # key from ONEMINAI_API_KEY
            print(await client.generate_content("Hello!"))

    asyncio.run(main())

``SyncOneMinAIClient`` offers the same methods without ``await``. The local emulator of
the service lives in :mod:`oneminai_webapi.testing`.
"""

from typing import TYPE_CHECKING, Any

from ._config import Limits, Timeouts
from ._logging import set_log_level
from ._protocol._retry import RetryPolicy
from .constants import AssetType

if TYPE_CHECKING:
    from ._client._async import AsyncChatStream, OneMinAIClient
    from ._client._complete import AsyncCompletionStream, SyncCompletionStream
    from ._client._raw import RawResponse
    from ._client._session import ChatSession
    from ._client._sync import SyncChatStream, SyncOneMinAIClient
    from .completions import Completion
    from .types import (
        AssetRecord,
        AudioOutput,
        ChatOutput,
        ConversationRecord,
        CreditEstimate,
        GeneratedImage,
        ImageOutput,
        JobProgress,
        MessageRecord,
        ModelCreditEstimate,
        ModelInfo,
        MusicOutput,
        NotificationRecord,
        Source,
        TranscriptionOutput,
        UserRecord,
        VideoOutput,
    )

__version__ = "2.0.0"

#: Clients load on first use: the async one imports aiohttp, the sync one requests, so
#: code that needs only one of them (or only the emulator, or the types) pays for that one.
_LAZY_CLIENTS = {
    "OneMinAIClient": "_async",
    "AsyncChatStream": "_async",
    "SyncOneMinAIClient": "_sync",
    "SyncChatStream": "_sync",
    "ChatSession": "_session",
    "AsyncCompletionStream": "_complete",
    "SyncCompletionStream": "_complete",
    "RawResponse": "_raw",
}
_LAZY = frozenset(_LAZY_CLIENTS)
#: ``complete()``'s result type lives in :mod:`oneminai_webapi.completions` (with its events).
_LAZY_COMPLETIONS = frozenset({"Completion"})
#: The output types live in :mod:`oneminai_webapi.types` (pydantic models): loaded on first use.
_LAZY_TYPES = frozenset(
    {
        "AssetRecord",
        "AudioOutput",
        "ChatOutput",
        "ConversationRecord",
        "CreditEstimate",
        "GeneratedImage",
        "ImageOutput",
        "JobProgress",
        "MessageRecord",
        "ModelCreditEstimate",
        "ModelInfo",
        "MusicOutput",
        "NotificationRecord",
        "Source",
        "TranscriptionOutput",
        "UserRecord",
        "VideoOutput",
    }
)


def __getattr__(name: str) -> Any:
    # The sync client pulls in ``requests`` and the output types pull in pydantic: users
    # pay for importing them on first use only.
    if name in _LAZY_TYPES:
        from . import types

        value = getattr(types, name)
    elif name in _LAZY_COMPLETIONS:
        from . import completions

        value = getattr(completions, name)
    elif name in _LAZY:
        import importlib

        module = importlib.import_module(f"{__name__}._client.{_LAZY_CLIENTS[name]}")
        value = getattr(module, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY | _LAZY_TYPES | _LAZY_COMPLETIONS)


__all__ = [
    "AssetRecord",
    "AssetType",
    "AsyncChatStream",
    "AsyncCompletionStream",
    "AudioOutput",
    "ChatOutput",
    "ChatSession",
    "Completion",
    "ConversationRecord",
    "CreditEstimate",
    "GeneratedImage",
    "ImageOutput",
    "JobProgress",
    "Limits",
    "MessageRecord",
    "ModelCreditEstimate",
    "ModelInfo",
    "MusicOutput",
    "NotificationRecord",
    "OneMinAIClient",
    "RawResponse",
    "RetryPolicy",
    "Source",
    "SyncChatStream",
    "SyncCompletionStream",
    "SyncOneMinAIClient",
    "Timeouts",
    "TranscriptionOutput",
    "UserRecord",
    "VideoOutput",
    "__version__",
    "set_log_level",
]
