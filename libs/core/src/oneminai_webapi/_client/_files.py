"""Atomic file writing for downloads, shared by both drivers."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from .._protocol._download import DownloadProgress, content_length, with_extension
from .._protocol._ops import Download


class AtomicFile:
    """Write to a hidden temporary file; rename it into place only on success.

    A failed or cancelled download therefore never leaves a partial file under the final
    name (and removes its temporary file).
    """

    def __init__(
        self,
        directory: Path,
        filename: str,
        content_type: str | None,
        *,
        total: int | None = None,
        on_progress: DownloadProgress | None = None,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.target = (directory / with_extension(filename, content_type)).resolve()
        fd, self._tmp = tempfile.mkstemp(prefix=".part-", dir=directory)
        self._fh = os.fdopen(fd, "wb")
        self._total = total
        self._received = 0
        self._on_progress = on_progress
        if on_progress is not None:
            on_progress(0, total)

    @classmethod
    def for_download(cls, step: Download, headers: Mapping[str, str]) -> AtomicFile:
        """The file for a :class:`Download` step, given the response headers."""
        return cls(
            step.directory,
            step.filename,
            headers.get("content-type"),
            total=content_length(headers.get("content-length")),
            on_progress=step.on_progress,
        )

    def write(self, chunk: bytes) -> None:
        """Append one chunk (and report the progress)."""
        self._fh.write(chunk)
        if self._on_progress is not None:
            self._received += len(chunk)
            self._on_progress(self._received, self._total)

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
            # mkstemp creates the file private (0600); give it the mode a plain open() would.
            os.chmod(self._tmp, 0o666 & ~_umask())
            os.replace(self._tmp, self.target)
        else:
            Path(self._tmp).unlink(missing_ok=True)


@functools.cache
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def report_saved(path: Path, verbose: bool) -> Path:
    """Print the path when asked (``save(verbose=True)``) and return it."""
    if verbose:
        print(f"Saved {path}")
    return path
