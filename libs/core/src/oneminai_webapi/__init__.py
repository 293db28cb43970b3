"""oneminai_webapi — Python client for 1min.AI.

Quick start::

    import asyncio
    from oneminai_webapi import OneMinAIClient

    async def main() -> None:
        async with OneMinAIClient() as client:          # key from ONEMINAI_API_KEY
            print(await client.generate_content("Hello!"))

    asyncio.run(main())

``SyncOneMinAIClient`` offers the same methods without ``await``. The local emulator of
the service lives in :mod:`oneminai_webapi.testing`; the map of the code is
``ARCHITECTURE.md`` at the root of the repository.

The clients, their streams and the output types load on first use (module ``__getattr__``):
the async client imports aiohttp, the sync one requests, the outputs pydantic, so code that
needs only one of them pays for that one. The exceptions are plain classes, loaded at once.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._config import Limits, Timeouts
from ._logging import set_log_level
from ._protocol._retry_policy import RetryPolicy
from .constants import AssetType
from .exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AssetUploadError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    CloudflareChallengeError,
    ConflictError,
    ContentFilteredError,
    ConversationError,
    EventLoopMismatchError,
    EventTooLarge,
    FileSaveError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    LocalFileRefusedError,
    NotFoundError,
    OAuthError,
    OneMinAIError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    StreamError,
    StreamInterruptedError,
    UnboundOutputError,
    UnexpectedRedirectError,
    UnexpectedResponseError,
    UnsupportedModelError,
    UnsupportedOperationError,
    ValidationError,
)

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

_TYPES = "oneminai_webapi.types"

#: Export name → the module that defines it, imported on first use.
_LAZY = {
    "OneMinAIClient": "oneminai_webapi._client._async",
    "AsyncChatStream": "oneminai_webapi._client._async",
    "SyncOneMinAIClient": "oneminai_webapi._client._sync",
    "SyncChatStream": "oneminai_webapi._client._sync",
    "ChatSession": "oneminai_webapi._client._session",
    "AsyncCompletionStream": "oneminai_webapi._client._complete",
    "SyncCompletionStream": "oneminai_webapi._client._complete",
    "RawResponse": "oneminai_webapi._client._raw",
    "Completion": "oneminai_webapi.completions",
    "AssetRecord": _TYPES,
    "AudioOutput": _TYPES,
    "ChatOutput": _TYPES,
    "ConversationRecord": _TYPES,
    "CreditEstimate": _TYPES,
    "GeneratedImage": _TYPES,
    "ImageOutput": _TYPES,
    "JobProgress": _TYPES,
    "MessageRecord": _TYPES,
    "ModelCreditEstimate": _TYPES,
    "ModelInfo": _TYPES,
    "MusicOutput": _TYPES,
    "NotificationRecord": _TYPES,
    "Source": _TYPES,
    "TranscriptionOutput": _TYPES,
    "UserRecord": _TYPES,
    "VideoOutput": _TYPES,
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AssetRecord",
    "AssetType",
    "AssetUploadError",
    "AsyncChatStream",
    "AsyncCompletionStream",
    "AudioOutput",
    "AuthenticationError",
    "BadRequestError",
    "ChatOutput",
    "ChatSession",
    "ClientClosedError",
    "CloudflareChallengeError",
    "Completion",
    "ConflictError",
    "ContentFilteredError",
    "ConversationError",
    "ConversationRecord",
    "CreditEstimate",
    "EventLoopMismatchError",
    "EventTooLarge",
    "FileSaveError",
    "GeneratedImage",
    "ImageOutput",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidRequestError",
    "JobFailedError",
    "JobProgress",
    "JobTimeoutError",
    "Limits",
    "LocalFileRefusedError",
    "MessageRecord",
    "ModelCreditEstimate",
    "ModelInfo",
    "MusicOutput",
    "NotFoundError",
    "NotificationRecord",
    "OAuthError",
    "OneMinAIClient",
    "OneMinAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "RetryPolicy",
    "Source",
    "StreamError",
    "StreamInterruptedError",
    "SyncChatStream",
    "SyncCompletionStream",
    "SyncOneMinAIClient",
    "Timeouts",
    "TranscriptionOutput",
    "UnboundOutputError",
    "UnexpectedRedirectError",
    "UnexpectedResponseError",
    "UnsupportedModelError",
    "UnsupportedOperationError",
    "UserRecord",
    "ValidationError",
    "VideoOutput",
    "__version__",
    "set_log_level",
]
