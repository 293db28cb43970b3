"""Atomic file writing for downloads, shared by both drivers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType

from .._protocol._download import with_extension


class AtomicFile:
    """Write to a hidden temporary file; rename it into place only on success.

    A failed or cancelled download therefore never leaves a partial file under the final
    name (and removes its temporary file).
    """

    def __init__(self, directory: Path, filename: str, content_type: str | None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.target = (directory / with_extension(filename, content_type)).resolve()
        fd, self._tmp = tempfile.mkstemp(prefix=".part-", dir=directory)
        self._fh = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        """Append one chunk."""
        self._fh.write(chunk)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._fh.close()
        if exc_type is None:
            os.replace(self._tmp, self.target)
        else:
            Path(self._tmp).unlink(missing_ok=True)


def report_saved(path: Path, verbose: bool) -> Path:
    """Print the path when asked (``save(verbose=True)``) and return it."""
    if verbose:
        print(f"Saved {path}")
    return path
