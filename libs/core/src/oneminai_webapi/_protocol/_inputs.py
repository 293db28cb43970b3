"""What a file-input string means: a URL, an asset key, or a local path (one rule set).

The client's file inputs (``resolve_input``) and the local-file policy of agent tools
(``integrations.check_file_reference``) both classify a value with :func:`classify`, so a
value the policy let through as "not a local file" is never opened as one by the client,
and a path the policy checked is exactly the path the client opens.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ..exceptions import InvalidRequestError

__all__ = ["InputRef", "classify"]

#: Strings that are local paths whatever exists on disk (POSIX and Windows forms).
_PATH_PREFIXES = ("/", "~", "./", "../", ".\\", "..\\", "\\")
#: ``C:\…``, ``C:/…`` and a bare ``C:`` drive (Windows).
_DRIVE_RE = re.compile(r"^[A-Za-z]:(?:[\\/]|$)")

RefKind = Literal["url", "key", "path"]


@dataclass(frozen=True)
class InputRef:
    """A classified file input.

    Attributes:
        kind: ``url`` (http/https, sent as is), ``key`` (an asset key or file id, sent as
            is) or ``path`` (a local file).
        text: The value as sent (URLs and keys: stripped), or the path as written.
        path: For ``path``: the path the client opens (``~`` expanded, not resolved);
            ``None`` when it cannot be opened at all (a ``file://`` URL of another host,
            an unknown ``~user``).
        why: For ``path``: what makes it a local path (for error messages).
    """

    kind: RefKind
    text: str
    path: Path | None = None
    why: str = ""


def classify(value: object, name: str = "value") -> InputRef:
    """Classify a file input (a string or an ``os.PathLike``).

    Local paths: every ``os.PathLike``; absolute, ``~``, ``./``/``../`` and backslash
    paths; Windows drive and UNC paths; ``file:`` URLs; any other string naming an
    existing file (relative to the working directory). Surrounding white space is
    ignored. ``http(s)://`` URLs are URLs; everything else is an asset key.

    Raises:
        InvalidRequestError: ``value`` is empty or neither a string nor a path.
    """
    if isinstance(value, os.PathLike) and not isinstance(value, str):
        raw = os.fspath(value)
        if not isinstance(raw, str):
            raise InvalidRequestError(f"{name} must be a text path, got {type(raw).__name__}")
        return InputRef("path", raw, Path(raw), "a path object")
    if not isinstance(value, str):
        raise InvalidRequestError(
            f"{name} must be an asset key, a URL or a file path, got {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        raise InvalidRequestError(f"{name} must not be empty")
    lowered = text[:8].lower()
    if lowered.startswith(("http://", "https://")):
        return InputRef("url", text)
    if lowered.startswith("file:"):
        return InputRef("path", text, _file_url_path(text), "a file: URL")
    why = _path_shape(text)
    if why:
        return InputRef("path", text, _expanded(text), why)
    path = _expanded(text)
    if path is not None and _is_file(path):
        return InputRef("path", text, path, "the name of an existing local file")
    return InputRef("key", text)


def _path_shape(text: str) -> str:
    if text.startswith("~"):
        return "a home-directory path"
    if _DRIVE_RE.match(text):
        return "a Windows drive path"
    if text.startswith(("\\\\", "//")):
        return "a network (UNC) path"
    if text.startswith(_PATH_PREFIXES) or text in (".", ".."):
        return "an absolute or relative path"
    if "\\" in text:
        return "a Windows path"
    return ""


def _expanded(text: str) -> Path | None:
    try:
        return Path(text).expanduser()
    except (RuntimeError, ValueError):  # ``~nosuchuser``; NUL bytes
        return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _file_url_path(text: str) -> Path | None:
    parts = urlsplit(text)
    if parts.netloc.lower() not in ("", "localhost"):
        return None  # a file on another machine: nothing the client could open
    from urllib.request import url2pathname

    local = url2pathname(parts.path)  # percent-decodes
    return Path(local) if local else None
