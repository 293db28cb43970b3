"""Response bodies, sans-IO: content decoding and size limits, shared by both drivers.

Drivers hand over raw bytes as they arrive; nothing here reads a socket.

* :class:`ContentDecoder` undoes ``Content-Encoding`` (gzip, deflate) incrementally, in
  pieces of at most :data:`PIECE_BYTES`, so a small compressed body can never inflate into
  a large allocation in one step (gzip bombs).
* :class:`BodyReader` collects a non-streamed body: success bodies up to
  ``Limits.max_body_bytes`` (more is an error), error bodies up to
  ``Limits.max_error_bytes`` (more is cut off, and the driver stops reading).
* :class:`ByteBudget` counts bytes against a limit (downloads).

Every limit counts decoded bytes. The clients ask for ``gzip, deflate`` only
(:data:`ACCEPT_ENCODING`), so any other coding is a protocol error.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping

from ..exceptions import ResponseTooLargeError, UnexpectedResponseError

__all__ = [
    "ACCEPT_ENCODING",
    "PIECE_BYTES",
    "BodyReader",
    "ByteBudget",
    "ContentDecoder",
    "declared_length",
]

#: What the clients accept (and all that :class:`ContentDecoder` undoes).
ACCEPT_ENCODING = "gzip, deflate"
#: The largest piece one decoding step produces.
PIECE_BYTES = 1 << 16

_IDENTITY = frozenset({"", "identity"})
_ZLIB_AUTO = zlib.MAX_WBITS | 32  # gzip or zlib header, detected
_RAW_DEFLATE = -zlib.MAX_WBITS


def declared_length(headers: Mapping[str, str]) -> int | None:
    """The ``Content-Length`` of undecoded bodies, ``None`` when absent or malformed."""
    value = headers.get("content-length")
    if value is None or headers.get("content-encoding", "").strip().lower() not in _IDENTITY:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 20 else None


class ContentDecoder:
    """Undo ``Content-Encoding`` incrementally with bounded output per step.

    Args:
        encoding: The ``Content-Encoding`` header (``None``/``identity``: bytes pass as they
            are; ``gzip``/``x-gzip``; ``deflate``, with or without its zlib header).

    Raises:
        UnexpectedResponseError: An encoding the client did not ask for.
    """

    __slots__ = ("_decomp", "_encoding", "_head")

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c not in _IDENTITY]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnexpectedResponseError(
                f"The server answered with Content-Encoding {encoding!r:.80}; the client "
                f"asked for {ACCEPT_ENCODING} only."
            )
        self._encoding = codings[0] if codings else ""
        self._decomp = zlib.decompressobj(_ZLIB_AUTO) if self._encoding else None
        #: The input before the first output of a "deflate" body (kept for the fallback to
        #: raw deflate); ``None`` once output came.
        self._head: bytearray | None = bytearray() if self._encoding == "deflate" else None

    @property
    def identity(self) -> bool:
        """Whether bytes pass through unchanged."""
        return self._decomp is None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode ``data``: yields pieces of at most :data:`PIECE_BYTES` bytes.

        Raises:
            UnexpectedResponseError: The body is not valid compressed data.
        """
        if self._decomp is None:
            if data:
                yield data
            return
        pending = data
        while True:
            out = self._step(pending)
            decomp = self._decomp
            pending = decomp.unconsumed_tail
            if decomp.eof and decomp.unused_data:  # a further gzip member
                pending = decomp.unused_data + pending
                self._decomp = zlib.decompressobj(_ZLIB_AUTO)
            if out:
                yield out
            if not pending and len(out) < PIECE_BYTES:
                return

    def _step(self, data: bytes) -> bytes:
        decomp = self._decomp
        assert decomp is not None
        head = self._head
        try:
            out = decomp.decompress(data, PIECE_BYTES)
        except zlib.error:
            if head is None or len(head) > PIECE_BYTES:
                raise self._invalid() from None
            # "deflate" without its zlib header (raw deflate), as some servers send it.
            head += data
            self._head = None
            self._decomp = zlib.decompressobj(_RAW_DEFLATE)
            try:
                return self._decomp.decompress(bytes(head), PIECE_BYTES)
            except zlib.error:
                raise self._invalid() from None
        if head is not None:
            if out:
                self._head = None
            else:
                head += data
        return out

    def _invalid(self) -> UnexpectedResponseError:
        return UnexpectedResponseError(f"The response body is not valid {self._encoding} data.")


class ByteBudget:
    """Counts bytes against an optional limit.

    Args:
        limit: The most bytes allowed (``None``: no limit).
        what: What is counted, for the error message ("the download").
    """

    __slots__ = ("limit", "received", "what")

    def __init__(self, limit: int | None, what: str) -> None:
        self.limit = limit
        self.what = what
        self.received = 0

    def check_declared(self, length: int | None) -> None:
        """Fail early when a declared length is already over the limit."""
        if self.limit is not None and length is not None and length > self.limit:
            raise self._error(f"declares {length} bytes")

    def add(self, count: int) -> None:
        """Count ``count`` more bytes.

        Raises:
            ResponseTooLargeError: The total went over the limit.
        """
        self.received += count
        if self.limit is not None and self.received > self.limit:
            raise self._error(f"went past {self.limit} bytes")

    def _error(self, detail: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{self.what[:1].upper()}{self.what[1:]} {detail}, over the limit of {self.limit} "
            "bytes (raise it with the client's limits if this answer is expected).",
            limit=self.limit,
        )


class BodyReader:
    """Collects one non-streamed body within its limit.

    A success body (status < 300) larger than ``max_body_bytes`` raises
    :class:`ResponseTooLargeError`; an error body is cut at ``max_error_bytes`` (the error
    needs only its beginning), and :meth:`feed` then tells the driver to stop reading.

    Args:
        status: The HTTP status.
        headers: The response headers (lower-case names).
        max_body_bytes: Limit of success bodies.
        max_error_bytes: How much of an error body to keep.
        truncate: Keep only the first ``max_error_bytes`` whatever the status (``None``:
            for error statuses only).
    """

    __slots__ = ("_budget", "_decoder", "_parts", "_size", "cut", "limit", "truncates")

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str],
        *,
        max_body_bytes: int,
        max_error_bytes: int,
        truncate: bool | None = None,
    ) -> None:
        self.truncates = status >= 300 if truncate is None else truncate
        self.limit = max_error_bytes if self.truncates else max_body_bytes
        self._decoder = ContentDecoder(headers.get("content-encoding"))
        self._budget = ByteBudget(None if self.truncates else self.limit, "the response body")
        self._budget.check_declared(declared_length(headers))
        self._parts: list[bytes] = []
        self._size = 0
        #: Whether an error body was cut at its limit.
        self.cut = False

    def feed(self, raw: bytes) -> bool:
        """Add raw (undecoded) bytes; ``True`` when nothing more needs to be read.

        Raises:
            ResponseTooLargeError: A success body went over its limit.
            UnexpectedResponseError: Invalid compressed data.
        """
        for piece in self._decoder.feed(raw):
            if self.truncates:
                room = self.limit - self._size
                if len(piece) >= room:
                    self._parts.append(piece[:room])
                    self._size += room
                    self.cut = len(piece) > room
                    return True
            else:
                self._budget.add(len(piece))
            self._parts.append(piece)
            self._size += len(piece)
        return False

    def body(self) -> bytes:
        """The decoded body (an error body at most ``max_error_bytes`` long)."""
        return b"".join(self._parts)
