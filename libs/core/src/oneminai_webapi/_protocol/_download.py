"""Downloading result files: name and extension decisions (the driver does the writing)."""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..exceptions import InvalidRequestError
from ._http import Request
from ._ops import Download, Op


def filename_for(url: str, filename: str | None) -> str:
    """``filename`` when given (validated), else the last URL segment without its query."""
    if filename is not None:
        if not filename or "/" in filename or "\\" in filename or filename in (".", ".."):
            raise InvalidRequestError(f"filename {filename!r} is not a plain file name")
        return filename
    name = posixpath.basename(unquote(urlsplit(url).path))
    return name or "download"


def with_extension(name: str, content_type: str | None) -> str:
    """Add an extension from the Content-Type when the name has none."""
    if "." in name.strip(".") or not content_type:
        return name
    ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
    return name + ext


def download_op(
    request: Request, url: str, directory: str | Path, filename: str | None, verbose: bool
) -> Op[Path]:
    """Stream ``url`` into ``directory``; returns the final path."""
    if not url.startswith(("http://", "https://")):
        raise InvalidRequestError(f"cannot download {url!r}: not an absolute http(s) URL")
    name = filename_for(url, filename)
    path: Path = yield Download(request, Path(directory), name, verbose)
    return path
