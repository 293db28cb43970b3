"""Transport-neutral request and response values shared by every driver."""

from __future__ import annotations

import enum
import json as _json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: ``on_progress(bytes_sent, total_bytes)`` of an upload (file bytes, framing left out).
UploadProgress = Callable[[int, int], object]


class Surface(enum.Enum):
    """Which 1min.AI API a request targets; decides the authentication header."""

    OFFICIAL = "official"  # /api/*, header ``API-KEY``
    WEBAPP = "webapp"  # /users, /teams/{t}/*, header ``X-Auth-Token: Bearer <credential>``
    PUBLIC = "public"  # /models, no credential at all
    EXTERNAL = "external"  # an absolute URL (downloads); never carries a credential


@dataclass(frozen=True)
class FilePart:
    """One file of a multipart body: bytes in memory, or a local file read when sent.

    A part with a ``path`` is read in pieces each time its body is sent (``content`` is
    then empty); ``path_size`` is the file's length when the part was prepared, which the
    body's ``Content-Length`` counts on.
    """

    field: str
    filename: str
    content: bytes
    content_type: str
    path: Path | None = None
    path_size: int = 0

    @property
    def size(self) -> int:
        """The number of bytes of the file."""
        return self.path_size if self.path is not None else len(self.content)


@dataclass(frozen=True)
class Request:
    """Everything a driver needs to send one HTTP request.

    ``path`` is relative to the client's base URL and already percent-encoded, unless
    ``surface`` is :attr:`Surface.EXTERNAL`, in which case it is an absolute URL.
    """

    method: str
    path: str
    surface: Surface = Surface.OFFICIAL
    json: Any = None
    query: Mapping[str, str] | None = None
    files: tuple[FilePart, ...] = ()
    form: Mapping[str, str] | None = None
    #: The body is read as it arrives: drivers open it and answer a :class:`StreamedResponse`.
    stream: bool = False
    #: Long-running calls may use a longer total timeout than the client default.
    timeout_s: float | None = None
    #: Synchronous feature calls may use a longer read timeout than the client default.
    read_timeout_s: float | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    #: Told the bytes of ``files`` sent, per attempt (see ``_multipart.BodyStream``).
    upload_progress: UploadProgress | None = None

    @property
    def idempotent(self) -> bool:
        """Whether repeating the request cannot cost credits twice."""
        return self.method in ("GET", "HEAD", "OPTIONS", "DELETE")

    def url(self, base_url: str) -> str:
        """The absolute URL: ``base_url`` + ``path``, or ``path`` itself when absolute."""
        if self.path.startswith(("http://", "https://")):
            return self.path
        return base_url + self.path


@dataclass(frozen=True)
class Response:
    """A complete (non-streamed) HTTP response. Header names are lower-case."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """Decode the body as JSON (raises ``ValueError`` when it is not JSON)."""
        return _json.loads(self.body.decode("utf-8", errors="replace"))

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes become U+FFFD)."""
        return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class StreamedResponse(Response):
    """A 2xx answer to a streamed request whose body is still to be read (``body`` is empty).

    ``stream`` is the driver's open body (opaque here); the driver reads it and closes it.
    """

    stream: Any = field(default=None, repr=False, compare=False)


def request_id(headers: Mapping[str, str]) -> str | None:
    """The id a server or its CDN gave the request (``x-request-id``, else ``cf-ray``)."""
    return headers.get("x-request-id") or headers.get("cf-ray")


@dataclass(frozen=True)
class Sleep:
    """An operation asks its driver to wait (polling)."""

    seconds: float
