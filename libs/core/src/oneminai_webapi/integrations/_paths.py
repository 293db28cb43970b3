# provisional: replaced at merge by the hostile-input branch
"""The local-file policy of agent tools (provisional, minimal version).

File arguments of agent tools come from a model, not from a user: a prompt injection must
not be able to make a tool upload local files. URLs and asset keys pass; local paths only
when allowed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..exceptions import InvalidRequestError, LocalFileRefusedError

__all__ = ["check_file_reference"]

_PATH_PREFIXES = ("/", "~", "./", "../", ".\\", "..\\", "\\", "file:")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def check_file_reference(
    value: str | os.PathLike[str],
    *,
    allow_local_files: bool,
    allowed_roots: Sequence[str | os.PathLike[str]] = (),
) -> str | Path:
    """Check a model-supplied file argument before a client call uses it.

    Args:
        value: The argument as the model gave it.
        allow_local_files: Accept every local path.
        allowed_roots: Directories whose files are accepted even when local files are not.

    Returns:
        The URL or asset key (stripped), or the resolved ``Path`` of an accepted local file.

    Raises:
        LocalFileRefusedError: A local path that is not allowed.
        InvalidRequestError: An empty value, or one that is neither text nor a path.
    """
    if isinstance(value, os.PathLike):
        path: Path | None = Path(os.fspath(value))
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidRequestError("file reference must not be empty")
        if text.startswith(("http://", "https://")):
            return text
        path = _local_path(text)
        if path is None:
            return text  # an asset key or file id
    else:
        raise InvalidRequestError(f"file reference must be a string, not {type(value).__name__}")
    resolved = _resolve(path) if path is not None else None
    if resolved is not None and (
        allow_local_files or any(_inside(resolved, root) for root in allowed_roots)
    ):
        return resolved
    shown = text if len(text) <= 120 else text[:120] + "…"
    where = " or a file inside the allowed folders" if allowed_roots else ""
    raise LocalFileRefusedError(
        f"Local files are not allowed here: {shown!r} names a local file. Pass an http(s) "
        f"URL or a 1min.AI asset key{where}."
    )


def _local_path(text: str) -> Path | None:
    """The path ``text`` names when it looks like (or is) a local file, else ``None``."""
    if text.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        return Path(unquote(urlsplit(text).path))
    if text.startswith(_PATH_PREFIXES) or _WINDOWS_DRIVE.match(text):
        return Path(text)
    try:
        return Path(text) if Path(text).exists() else None
    except (OSError, ValueError):
        return None


def _resolve(path: Path) -> Path | None:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _inside(path: Path, root: str | os.PathLike[str]) -> bool:
    base = _resolve(Path(os.fspath(root)))
    return base is not None and (path == base or base in path.parents)
