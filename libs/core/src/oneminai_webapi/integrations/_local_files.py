"""The local-file policy of agent tools: file arguments come from a model, not a user."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .._protocol._inputs import classify
from ..exceptions import LocalFileRefusedError

__all__ = ["check_file_reference"]

_SHOWN = 120  # characters of a refused value repeated in the message


def check_file_reference(
    value: str | os.PathLike[str],
    *,
    allow_local_files: bool,
    allowed_roots: Sequence[str | os.PathLike[str]] = (),
) -> str | Path:
    r"""Check a model-supplied file argument before a client call uses it.

    The value is classified exactly as the core client's file inputs are (``edit_image``,
    ``speech_to_text``, ...): ``http(s)`` URLs and asset keys pass through; everything
    the client would open as a local file is a local path: any ``os.PathLike``, ``~/…``,
    absolute and relative paths, ``file:`` URLs, Windows ``C:\…`` and ``\\server\share``
    paths, and any string naming an existing file (surrounding white space, newlines
    included, is ignored as the client ignores it).

    A local path is accepted when ``allow_local_files`` is set, or when it resolves (``~``
    expanded, relative to the working directory, symbolic links followed) to a location
    inside one of ``allowed_roots``; a link leading out of a root is refused. The accepted
    path comes back resolved: pass that ``Path`` to the client, which opens exactly it.

    Args:
        value: The argument as the model gave it.
        allow_local_files: Accept every local path.
        allowed_roots: Directories whose files are accepted even when local files are not.

    Returns:
        The URL or asset key (a stripped ``str``), or the resolved ``Path`` to open.

    Raises:
        LocalFileRefusedError: A local path that is not allowed (also an
            ``InvalidRequestError`` and a ``ValueError``).
        InvalidRequestError: An empty value, or one that is neither text nor a path.

    Example:
        >>> check_file_reference(" images/cat.png ", allow_local_files=False)
        'images/cat.png'
    """
    ref = classify(value, "file reference")
    if ref.kind != "path":
        return ref.text
    resolved = _resolved(ref.path)
    if resolved is not None and (
        allow_local_files or any(_inside(resolved, root) for root in allowed_roots)
    ):
        return resolved
    shown = ref.text if len(ref.text) <= _SHOWN else ref.text[:_SHOWN] + "…"
    where = " or a file inside the allowed folders" if allowed_roots else ""
    raise LocalFileRefusedError(
        f"Local files are not allowed here: {shown!r} names a local file ({ref.why}). "
        f"Pass an http(s) URL or a 1min.AI asset key{where}; local files must be allowed "
        "explicitly (allow_local_files=True)."
    )


def _resolved(path: Path | None) -> Path | None:
    if path is None:
        return None
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return None


def _inside(path: Path, root: str | os.PathLike[str]) -> bool:
    try:
        base = _resolved(Path(os.fspath(root)).expanduser())
    except (RuntimeError, TypeError):  # ``~nosuchuser``; not a path
        return False
    return base is not None and (path == base or path.is_relative_to(base))
