"""Downloading result files: name and extension decisions (the driver does the writing)."""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..exceptions import InvalidRequestError
from ._http import Request
from ._ops import Download, Op


def filename_for(url: str, filename: str | None) -> str:
    """``filename`` when given (validated), else the last URL segment without its query.

    A given name without an extension takes the URL's extension (result keys carry the
    right one); failing that, the driver adds one from the Content-Type.
    """
    url_name = posixpath.basename(unquote(urlsplit(url).path))
    if filename is not None:
        if not filename or "/" in filename or "\\" in filename or filename in (".", ".."):
            raise InvalidRequestError(f"filename {filename!r} is not a plain file name")
        if "." not in filename.strip(".") and "." in url_name.strip("."):
            return filename + posixpath.splitext(url_name)[1]
        return filename
    return url_name or "download"


#: Extensions for the media types 1min.AI returns (``mimetypes`` varies by platform and
#: Python version, e.g. ``audio/mpeg`` → ``.mp2`` or ``image/webp`` unknown on 3.10).
_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/webp": ".webp",
    "image/gif": ".gif", "image/svg+xml": ".svg", "audio/mpeg": ".mp3", "audio/mp3": ".mp3",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/ogg": ".ogg",
    "audio/opus": ".opus", "audio/aac": ".aac", "audio/flac": ".flac", "audio/mp4": ".m4a",
    "video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov",
    "model/gltf-binary": ".glb", "model/obj": ".obj", "application/pdf": ".pdf",
    "text/plain": ".txt", "application/json": ".json",
}  # fmt: skip
#: Types that say nothing about the file (S3 often serves everything as octet-stream).
_GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", ""})


def with_extension(name: str, content_type: str | None) -> str:
    """Add an extension from the Content-Type when the name has none."""
    if "." in name.strip(".") or not content_type:
        return name
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in _GENERIC_TYPES:
        return name
    ext = _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ""
    return name + ext


#: ``on_progress(bytes_received, total_bytes)`` for downloads; ``total_bytes`` is ``None``
#: when the server sends no Content-Length.
DownloadProgress = Callable[[int, "int | None"], None]


def download_op(
    request: Request,
    url: str,
    directory: str | Path,
    filename: str | None,
    verbose: bool,
    on_progress: DownloadProgress | None = None,
) -> Op[Path]:
    """Stream ``url`` into ``directory``; returns the final path."""
    if not url.startswith(("http://", "https://")):
        raise InvalidRequestError(f"cannot download {url!r}: not an absolute http(s) URL")
    if on_progress is not None and not callable(on_progress):
        raise InvalidRequestError("on_progress must be callable")
    name = filename_for(url, filename)
    path: Path = yield Download(request, Path(directory), name, verbose, on_progress)
    return path


def content_length(value: str | None) -> int | None:
    """The Content-Length header as a byte count (``None`` when absent or malformed)."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
