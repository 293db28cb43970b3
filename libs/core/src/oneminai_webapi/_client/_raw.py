"""Raw responses: ``client.with_raw_response.<method>(...)`` returns the HTTP facts too.

Every client method is a sans-IO operation whose requests the driver sends; a raw call
runs the same method on a :func:`~._options.clone` of the client whose driver records
each final HTTP response (after retries and redirects). Nothing else changes: the method
validates, sends and parses as usual, and :meth:`RawResponse.parse` returns its result.
A streaming method's stream is opened first, so that its status and headers are known.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._protocol._http import Response, request_id
from ._options import clone
from ._raw_types import AsyncRawMethods, SyncRawMethods

if TYPE_CHECKING:
    from ._base import ClientCore

T = TypeVar("T")

#: Public methods that send nothing themselves (no HTTP response to show).
_NO_REQUEST = frozenset({"start_chat", "with_options"})


class RawResponse(Generic[T]):
    """The HTTP response behind a client call, and the call's parsed result.

    Attributes:
        status_code: The HTTP status of the last response of the call.
        headers: Its headers (names in lower case).
        request_id: The id the server or its CDN gave the request (``x-request-id``, else
            ``cf-ray``), when present.
        content: Its body (empty for a stream, whose body is read as you iterate).
        responses: Every HTTP response the call received, in order (one for most calls;
            uploads, job polling and conversation paging make several).
    """

    def __init__(self, responses: list[Response], value: T) -> None:
        if not responses:  # pragma: no cover - every raw-capable method sends a request
            raise RuntimeError("the call sent no request")
        last = responses[-1]
        self.responses: tuple[Response, ...] = tuple(responses)
        self.status_code: int = last.status
        self.headers: Mapping[str, str] = last.headers
        self.request_id: str | None = request_id(last.headers)
        self.content: bytes = last.body
        self._value = value

    def parse(self) -> T:
        """What the method returns when called without ``with_raw_response``."""
        return self._value

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"


class _RawCalls:
    def __init__(self, client: ClientCore) -> None:
        self._client = client

    def _method(self, name: str) -> tuple[ClientCore, Callable[..., Any]]:
        method = getattr(type(self._client), name, None)
        if name.startswith("_") or name in _NO_REQUEST or not inspect.isfunction(method):
            raise AttributeError(f"with_raw_response has no method {name!r}")
        copy = clone(self._client)
        copy._responses = []
        return copy, getattr(copy, name)


class AsyncRawResponses(_RawCalls, AsyncRawMethods):
    """``client.with_raw_response``: each method returns an awaitable :class:`RawResponse`."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        copy, method = self._method(name)

        async def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            from ._async import AsyncChatStream

            result = method(*args, **kwargs)
            if isinstance(result, AsyncChatStream):  # a stream is not awaited: it is started
                value: Any = result
                await value._start()
            else:
                value = await result if inspect.isawaitable(result) else result
            responses, copy._responses = copy._responses or [], None
            return RawResponse(responses, value)

        call.__name__ = name
        return call


class SyncRawResponses(_RawCalls, SyncRawMethods):
    """``client.with_raw_response`` of the sync client: each method returns a RawResponse."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        copy, method = self._method(name)

        def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            from ._sync import SyncChatStream

            value = method(*args, **kwargs)
            if isinstance(value, SyncChatStream):
                value._start()
            responses, copy._responses = copy._responses or [], None
            return RawResponse(responses, value)

        call.__name__ = name
        return call
