"""Downloading result files: name and extension decisions (the driver does the writing)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..exceptions import InvalidRequestError
from ._filenames import fit_extension, safe_filename, split_extension
from ._http import Request
from ._ops import Download, Op


def filename_for(url: str, filename: str | None) -> str:
    """``filename`` when given (validated), else a safe name from the URL's last segment.

    The URL's name is the server's suggestion and goes through
    :func:`~._filenames.safe_filename` (no separators, control characters, hidden-file dot
    or overlong names). A given name without an extension takes the URL's extension
    (result keys carry the right one); failing that, the driver adds one from the
    Content-Type.
    """
    url_name = posixpath.basename(unquote(urlsplit(url).path))
    if filename is not None:
        if (
            not isinstance(filename, str)
            or not filename
            or "/" in filename
            or "\\" in filename
            or filename in (".", "..")
            or any(ord(c) < 32 or c == "\x7f" for c in filename)
        ):
            raise InvalidRequestError(f"filename {filename!r} is not a plain file name")
        if "." not in filename.strip(".") and "." in url_name.strip("."):
            return filename + split_extension(safe_filename(url_name))[1]
        return filename
    return safe_filename(url_name)


def with_extension(name: str, content_type: str | None) -> str:
    """Add an extension from the Content-Type when the name has none."""
    return fit_extension(name, content_type, replace=False)


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
    overwrite: bool = False,
) -> Op[Path]:
    """Stream ``url`` into ``directory``; returns the final path.

    Without ``overwrite`` an existing file is never replaced: the download takes the
    first free name ``name (1).ext``, ``name (2).ext``...
    """
    if not url.startswith(("http://", "https://")):
        raise InvalidRequestError(f"cannot download {url!r}: not an absolute http(s) URL")
    if on_progress is not None and not callable(on_progress):
        raise InvalidRequestError("on_progress must be callable")
    name = filename_for(url, filename)
    path: Path = yield Download(
        request,
        Path(directory),
        name,
        verbose,
        on_progress,
        overwrite=bool(overwrite),
        server_named=filename is None,
    )
    return path


def content_length(value: str | None) -> int | None:
    """The Content-Length header as a byte count (``None`` when absent or malformed)."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
