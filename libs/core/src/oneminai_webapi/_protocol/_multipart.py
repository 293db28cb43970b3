"""Multipart form bodies for uploads, written once for both drivers.

:func:`form_body` describes the body of a request with files: its boundary, its
``Content-Type`` and ``Content-Length``, and its segments (framing bytes, and the files,
which stay on disk). A driver sends it with :meth:`FormBody.open`, which gives a fresh
:class:`BodyStream` per attempt: a retried upload starts again from its first byte. A
stream hands out pieces of at most :data:`CHUNK_BYTES`, so a file of any size is sent with
bounded memory, and tells ``on_progress(bytes_sent, total_bytes)`` as the file's bytes go.

The encoding is the one browsers and ``requests`` use (the live service is evidenced
with it, ``docs/reliability.md``): one part per form field, then one part per file with
``Content-Disposition: form-data; name="…"; filename="…"`` and ``Content-Type``; ``"``,
CR and LF in names are written ``%22``, ``%0D`` and ``%0A``; text is UTF-8.

Reading local files is the only I/O here (small blocking reads, as a driver would make);
nothing here touches a socket.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..exceptions import InvalidRequestError
from ._http import FilePart, Request, UploadProgress

__all__ = ["CHUNK_BYTES", "BodyStream", "FormBody", "form_body", "request_body", "share"]

#: The largest piece a :class:`BodyStream` hands out (and the most it holds of a file).
CHUNK_BYTES = 1 << 16

_ESCAPES = {ord('"'): "%22", ord("\r"): "%0D", ord("\n"): "%0A"}


def _param(name: str, value: str) -> str:
    return f'{name}="{value.translate(_ESCAPES)}"'


def _part_head(boundary: str, name: str, filename: str | None, content_type: str | None) -> bytes:
    disposition = f"form-data; {_param('name', name)}"
    if filename is not None:
        disposition += f"; {_param('filename', filename)}"
    lines = [f"--{boundary}", f"Content-Disposition: {disposition}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


@dataclass(frozen=True)
class FormBody:
    """A ``multipart/form-data`` body: framing bytes and files, in order."""

    boundary: str
    segments: tuple[bytes | FilePart, ...]

    @property
    def content_type(self) -> str:
        """The request's ``Content-Type`` header."""
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def length(self) -> int:
        """The request's ``Content-Length``: every byte of the body."""
        return sum(len(s) if isinstance(s, bytes) else s.size for s in self.segments)

    @property
    def file_bytes(self) -> int:
        """The bytes of the files alone (what progress reports count)."""
        return sum(s.size for s in self.segments if isinstance(s, FilePart))

    def open(self, on_progress: UploadProgress | None = None) -> BodyStream:
        """A new pass over the body, from its first byte (one per attempt).

        Raises:
            InvalidRequestError: A file changed size (or went away) since it was prepared.
        """
        return BodyStream(self, on_progress)

    def read_all(self) -> bytes:
        """The whole body at once (for small bodies and tests)."""
        stream = self.open()
        try:
            return b"".join(stream)
        finally:
            stream.close()


def form_body(
    fields: Mapping[str, str] | None, files: Sequence[FilePart], *, boundary: str | None = None
) -> FormBody:
    """Describe a multipart body: ``fields`` first, then ``files`` (``boundary``: random)."""
    boundary = boundary or os.urandom(16).hex()
    segments: list[bytes | FilePart] = []
    for name, value in (fields or {}).items():
        segments.append(_part_head(boundary, name, None, None) + value.encode("utf-8") + b"\r\n")
    for part in files:
        segments.append(_part_head(boundary, part.field, part.filename, part.content_type))
        segments.append(part)
        segments.append(b"\r\n")
    segments.append(f"--{boundary}--\r\n".encode("ascii"))
    # Adjacent framing bytes travel as one piece.
    merged: list[bytes | FilePart] = []
    for segment in segments:
        if isinstance(segment, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += segment
        elif not isinstance(segment, FilePart) or segment.size:
            merged.append(segment)
    return FormBody(boundary, tuple(merged))


def request_body(request: Request) -> FormBody:
    """The multipart body of a request with files (a new boundary each time)."""
    return form_body(request.form, request.files)


def share(callback: UploadProgress | None, offset: int, total: int) -> UploadProgress | None:
    """Report one file of several as part of their sum: ``(offset + sent, total)``.

    The start of a later file is left out: the end of the one before said it already.
    """
    if callback is None:
        return None

    def report(sent: int, _size: int) -> None:
        if sent or not offset:
            callback(offset + sent, total)

    return report


def _changed(part: FilePart, detail: str) -> InvalidRequestError:
    return InvalidRequestError(f"The file {str(part.path)!r} {detail}; upload it again.")


class BodyStream:
    """One pass over a :class:`FormBody`; iterate it, or call :meth:`next_chunk` until ``b""``.

    Asking for a piece means the previous one has been handed to the connection: its file
    bytes are then reported to ``on_progress`` (``(0, total)`` first, then increasing, ending
    at ``(total, total)``). A failure while reading a file (or raised by ``on_progress``) is
    kept in :attr:`error`, so that a driver whose library wraps it can raise it as it was.
    ``len()`` is the body's length (``requests`` reads it for ``Content-Length``).
    """

    __slots__ = ("_on_progress", "_pending", "_pieces", "_sent", "_started", "body", "error")

    def __init__(self, body: FormBody, on_progress: UploadProgress | None) -> None:
        for segment in body.segments:
            if isinstance(segment, FilePart) and segment.path is not None:
                try:
                    size = os.stat(segment.path).st_size
                except OSError as exc:
                    raise _changed(segment, f"could not be read ({exc.strerror})") from None
                if size != segment.path_size:
                    raise _changed(
                        segment,
                        f"changed size since the upload was prepared ({segment.path_size} → "
                        f"{size} bytes)",
                    )
        self.body = body
        #: The failure that ended the pass, if any.
        self.error: BaseException | None = None
        self._on_progress = on_progress
        self._pieces = self._generate()
        self._sent = 0
        self._pending = 0
        self._started = False

    def __len__(self) -> int:
        return self.body.length

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.next_chunk():
            yield chunk

    def next_chunk(self) -> bytes:
        """The next piece (``b""`` at the end); the previous one counts as sent.

        Raises:
            InvalidRequestError: A file could not be read or changed size.
        """
        try:
            if not self._started:
                self._started = True
                self._report()
            if self._pending:
                self._sent += self._pending
                self._pending = 0
                self._report()
            piece, counted = next(self._pieces, (b"", 0))
        except BaseException as exc:
            self.error = self.error or exc
            raise
        self._pending = counted
        return piece

    def close(self) -> None:
        """Close the file being read, if any (idempotent)."""
        self._pieces.close()

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self._sent, self.body.file_bytes)

    def _generate(self) -> Generator[tuple[bytes, int], None, None]:
        for segment in self.body.segments:
            if isinstance(segment, bytes):
                yield segment, 0
            elif segment.path is None:
                data = segment.content
                for start in range(0, len(data), CHUNK_BYTES):
                    piece = data[start : start + CHUNK_BYTES]
                    yield piece, len(piece)
            else:
                yield from _file_pieces(segment)


def _file_pieces(part: FilePart) -> Iterator[tuple[bytes, int]]:
    assert part.path is not None
    try:
        handle = open(part.path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise _changed(part, f"could not be opened ({exc.strerror})") from None
    with handle:
        left = part.path_size
        while left > 0:
            try:
                piece = handle.read(min(CHUNK_BYTES, left))
            except OSError as exc:
                raise _changed(part, f"could not be read ({exc.strerror})") from None
            if not piece:
                raise _changed(part, f"got {left} bytes shorter while it was being uploaded")
            left -= len(piece)
            yield piece, len(piece)
        if handle.read(1):
            raise _changed(part, "got longer while it was being uploaded")
