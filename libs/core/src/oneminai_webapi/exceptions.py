"""The exception tree of ``oneminai_webapi``.

Every error this package raises on purpose derives from :class:`OneMinAIError`::

    OneMinAIError
    ├── InvalidRequestError (also ValueError)   bad input, raised before any request is sent
    │   ├── UnsupportedOperationError           the credentials cannot reach this operation
    │   └── LocalFileRefusedError               a local path where only URLs/keys are allowed
    ├── APIError                                 the service answered with an error
    │   ├── BadRequestError (400)
    │   │   ├── ValidationError (422 or 400 with details)
    │   │   └── UnsupportedModelError (400 UNSUPPORTED_MODEL)
    │   ├── AuthenticationError (401)
    │   │   └── OAuthError                       the Google token exchange failed
    │   ├── InsufficientCreditsError (402, or a credit message)
    │   ├── PermissionDeniedError (403)
    │   │   └── CloudflareChallengeError         a bot-check page instead of an answer
    │   ├── NotFoundError (404)
    │   ├── ConflictError (409)
    │   ├── RateLimitError (429)
    │   ├── InternalServerError (5xx)
    │   ├── AssetUploadError                     an upload was refused
    │   ├── ConversationError                    a conversation operation failed
    │   ├── JobFailedError                       a media record ended FAILED / FAILURE
    │   │   └── JobTimeoutError                  polling gave up at its deadline
    │   ├── ContentFilteredError                 moderation withheld the answer
    │   └── UnexpectedResponseError              a body we cannot read
    │       └── ResponseTooLargeError            a body over the client's size limits
    ├── APIConnectionError                       no answer: DNS, refused, reset, redirect refused
    │   ├── APITimeoutError (also TimeoutError)  connect / pool / read / total timeout
    │   └── UnexpectedRedirectError              a redirect to another origin (never followed)
    ├── StreamError                              a stream that started but did not finish well
    │   ├── StreamInterruptedError               cut connection, in-band error, or truncated stream
    │   └── EventTooLarge                        one event over max_event_bytes
    ├── ClientClosedError                        the client was used after close()
    │   └── EventLoopMismatchError               an async client used in a second event loop
    └── FileSaveError (also OSError)             a downloaded file could not be written

Exceptions never carry request headers, so the API key cannot leak through ``repr()``,
``str()``, tracebacks or pickles. Errors raised while a stream was being read keep the
text received so far in ``partial_text``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AssetUploadError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "CloudflareChallengeError",
    "ConflictError",
    "ContentFilteredError",
    "ConversationError",
    "EventLoopMismatchError",
    "EventTooLarge",
    "FileSaveError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidRequestError",
    "JobFailedError",
    "JobTimeoutError",
    "LocalFileRefusedError",
    "NotFoundError",
    "OAuthError",
    "OneMinAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "StreamError",
    "StreamInterruptedError",
    "UnboundOutputError",
    "UnexpectedRedirectError",
    "UnexpectedResponseError",
    "UnsupportedModelError",
    "UnsupportedOperationError",
    "ValidationError",
]


class OneMinAIError(Exception):
    """Root of every error raised by this package."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by attributes: subclasses take keyword arguments, and the default
        # reduce would call them with positional ``args`` only.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[OneMinAIError], state: dict[str, Any]) -> OneMinAIError:
    obj = cls.__new__(cls)
    Exception.__init__(obj, state.get("message", ""))
    obj.__dict__.update(state)
    return obj


class InvalidRequestError(OneMinAIError, ValueError):
    """Bad input detected locally; nothing was sent."""


class UnsupportedOperationError(InvalidRequestError):
    """The operation exists only on a surface the current credentials cannot reach."""


class LocalFileRefusedError(InvalidRequestError):
    """A local file was named where only URLs and asset keys are accepted.

    Raised by :func:`oneminai_webapi.integrations.check_file_reference` (agent tools refuse
    local paths unless local files are allowed), before anything is read or sent.
    """


class APIError(OneMinAIError):
    """The service answered with an error.

    Attributes:
        status_code: HTTP status (``200`` for errors reported inside a successful response).
        body: The decoded JSON body, or the (truncated) text body.
        code: The service's error code when it sent one (e.g. ``UNSUPPORTED_MODEL``).
        request_id: A request id header when the server sent one.
        partial_text: Text streamed before the failure ("" when nothing was streamed).
        webapp_only: The operation's name when it failed because it exists only on the
            web-app API, where the service refused an API key (``None`` otherwise).
        provider_detail: The upstream provider's own reason, when the service forwarded one
            in ``details`` (``EXTERNAL_API_RESPONSE_WITH_ERROR``); ``None`` otherwise.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: Any = None,
        code: str | None = None,
        request_id: str | None = None,
        partial_text: str = "",
        provider_detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.code = code
        self.request_id = request_id
        self.partial_text = partial_text
        self.webapp_only: str | None = None
        self.provider_detail = provider_detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r})"


class BadRequestError(APIError):
    """HTTP 400: the service rejected the request."""


class ValidationError(BadRequestError):
    """The service rejected the request's fields.

    Attributes:
        details: The per-field details the service sent (may be empty).
    """

    def __init__(self, message: str, *, details: list[Any] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.details: list[Any] = list(details or [])


class UnsupportedModelError(BadRequestError):
    """The model id is not (or no longer) supported for this feature."""


class AuthenticationError(APIError):
    """HTTP 401: the API key or token is missing, wrong or expired."""


class OAuthError(AuthenticationError):
    """The exchange of a Google access token for a 1min.AI token failed."""


class InsufficientCreditsError(APIError):
    """The team has not enough credits for this call."""


class PermissionDeniedError(APIError):
    """HTTP 403: the credentials are valid but not allowed to do this."""


class CloudflareChallengeError(PermissionDeniedError):
    """A Cloudflare bot-check page answered instead of the API (never retried)."""


class NotFoundError(APIError):
    """HTTP 404: the conversation, record or route does not exist."""


class ConflictError(APIError):
    """HTTP 409."""


class RateLimitError(APIError):
    """HTTP 429: too many requests.

    Attributes:
        retry_after_s: Seconds the server asked us to wait, when it said so.
    """

    def __init__(self, message: str, *, retry_after_s: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after_s = retry_after_s

    @property
    def retry_after(self) -> float | None:
        """Alias of :attr:`retry_after_s`."""
        return self.retry_after_s


class InternalServerError(APIError):
    """HTTP 5xx."""


class AssetUploadError(APIError):
    """The service refused an uploaded file (type, size, or a failed upload)."""


class ConversationError(APIError):
    """A conversation could not be created, found or changed."""


class JobFailedError(APIError):
    """A feature record ended in a failed state.

    Attributes:
        record_id: The ``aiRecord`` uuid.
        record_status: The status the service reported (``FAILED``, ``FAILURE``, …).
    """

    def __init__(
        self,
        message: str,
        *,
        record_id: str | None = None,
        record_status: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.record_id = record_id
        self.record_status = record_status


class JobTimeoutError(JobFailedError):
    """A long-running record was still processing when the polling deadline passed."""


class ContentFilteredError(APIError):
    """Content moderation withheld the answer.

    The service reports it inside a successful record: ``resultObject`` holds a
    ``{"code", "message"}`` object instead of the answer. It is never returned as text.

    Attributes:
        record_id: The ``aiRecord`` uuid, when known.
        partial_text: Text streamed before the record said so ("" when nothing was).
    """

    def __init__(self, message: str, *, record_id: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.record_id = record_id


class UnexpectedResponseError(APIError):
    """The service answered with something this client cannot interpret."""


class ResponseTooLargeError(UnexpectedResponseError):
    """A response body went over one of the client's size limits (counted decoded).

    Attributes:
        limit: The limit in bytes that was exceeded.
    """

    def __init__(self, message: str, *, limit: int | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class APIConnectionError(OneMinAIError):
    """No usable answer: DNS failure, refused or reset connection, TLS error.

    Attributes:
        partial_text: Text streamed before the failure ("" when nothing was streamed).
    """

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        partial_text: str = "",
        request_sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        #: False when the failure happened before the request reached the server
        #: (DNS, refused, TLS, connect or pool timeout): such requests are safe to retry.
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError, TimeoutError):
    """A timeout expired.

    Attributes:
        phase: ``"connect"``, ``"pool"``, ``"read"`` (idle gap between reads; for streams,
            no content within ``Timeouts.read``), ``"total"`` (the whole non-streamed call),
            ``"first_event"`` or ``"stream_total"`` (the optional stream deadlines).
    """

    def __init__(
        self, message: str = "Request timed out.", *, phase: str = "total", partial_text: str = ""
    ) -> None:
        super().__init__(message, partial_text=partial_text, request_sent=phase not in _UNSENT)
        self.phase = phase


_UNSENT = ("connect", "pool")


class UnexpectedRedirectError(APIConnectionError):
    """The server redirected to another origin; the client never sends the key there."""

    def __init__(self, message: str, *, location: str = "") -> None:
        super().__init__(message)
        self.location = location


class StreamError(OneMinAIError):
    """A stream started but did not complete normally.

    Attributes:
        partial_text: All text received before the failure.
        events_received: How many ``content`` events arrived before the failure.
    """

    def __init__(self, message: str, *, partial_text: str = "", events_received: int = 0) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        self.events_received = events_received


class StreamInterruptedError(StreamError):
    """The stream was cut, reported an in-band error, or ended without a final record."""


class EventTooLarge(StreamError):
    """One server-sent event grew beyond the configured ``max_event_bytes``."""


class ClientClosedError(OneMinAIError):
    """The client was used after :meth:`close`."""


class EventLoopMismatchError(ClientClosedError):
    """An async client was used in an event loop other than the one it first ran in.

    Its connections belong to that first loop; create one client per event loop (for
    example inside each ``asyncio.run``).
    """


class UnboundOutputError(OneMinAIError):
    """``save()`` on an output that no client made (built or deserialized by hand).

    An output downloads its file through the client that produced it (its connection pool,
    proxy, timeouts and download limit). Save such an output with a client instead:
    ``client.save(output, directory)`` (``await`` it on the async client).
    """


class FileSaveError(OneMinAIError, OSError):
    """A downloaded file could not be written (disk full, no permission, bad name...).

    Nothing is left behind: no partial file and no temporary file.

    Attributes:
        path: The file (or folder) that could not be written.
        reason: The operating system's reason.
    """

    def __init__(self, message: str, *, path: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason
