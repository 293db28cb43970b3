"""Atomic file writing for downloads, shared by both drivers."""

from __future__ import annotations

import errno
import functools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from .._protocol._bodies import ByteBudget
from .._protocol._download import DownloadProgress, content_length
from .._protocol._filenames import fit_extension, numbered
from .._protocol._ops import Download
from ..exceptions import FileSaveError

#: How many ``name (n).ext`` alternatives are tried before giving up.
MAX_ALTERNATIVES = 1000
#: Errors of ``os.link`` meaning "hard links are not possible here" (not "name taken").
_NO_LINKS = frozenset(
    {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
)


def _failed(action: str, path: Path | str, exc: OSError) -> FileSaveError:
    reason = exc.strerror or type(exc).__name__
    return FileSaveError(
        f"Could not {action} {str(path)!r}: {reason}.", path=str(path), reason=reason
    )


class AtomicFile:
    """Write to a hidden temporary file; move it into place only on success.

    The final name is decided before anything is created; a failed or cancelled download
    (or one refused for its size) removes its temporary file and never leaves a partial
    file. An existing file is never replaced unless ``overwrite`` is set: the download then
    takes the first free ``name (n).ext``. Every file-system error becomes a
    :class:`~oneminai_webapi.exceptions.FileSaveError`.
    """

    def __init__(
        self,
        directory: Path,
        filename: str,
        content_type: str | None,
        *,
        total: int | None = None,
        on_progress: DownloadProgress | None = None,
        overwrite: bool = False,
        server_named: bool = False,
        max_bytes: int | None = None,
    ) -> None:
        self._budget = ByteBudget(max_bytes, "the download")
        self._budget.check_declared(total)
        name = fit_extension(filename, content_type, replace=server_named)
        if len(os.fsencode(name)) > 255:
            raise FileSaveError(
                f"The file name {name[:40]!r}… is longer than file systems allow.", path=name
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
            folder = directory.resolve()
        except OSError as exc:
            raise _failed("create the folder", directory, exc) from None
        #: The path asked for; after a successful download, the path written.
        self.target = folder / name
        self._overwrite = overwrite
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=".part-", dir=folder)
        except OSError as exc:
            raise _failed("write into", folder, exc) from None
        self._fh = os.fdopen(fd, "wb")
        self._total = total
        self._received = 0
        self._on_progress = on_progress
        if on_progress is not None:
            on_progress(0, total)

    @classmethod
    def for_download(
        cls, step: Download, headers: Mapping[str, str], *, max_bytes: int | None = None
    ) -> AtomicFile:
        """The file for a :class:`Download` step, given the response headers."""
        encoded = headers.get("content-encoding", "identity").strip().lower() != "identity"
        return cls(
            step.directory,
            step.filename,
            headers.get("content-type"),
            total=None if encoded else content_length(headers.get("content-length")),
            on_progress=step.on_progress,
            overwrite=step.overwrite,
            server_named=step.server_named,
            max_bytes=max_bytes,
        )

    def write(self, chunk: bytes) -> None:
        """Append one chunk (and report the progress).

        Raises:
            ResponseTooLargeError: The file went over ``max_bytes``.
            FileSaveError: The chunk could not be written (disk full...).
        """
        self._budget.add(len(chunk))
        try:
            self._fh.write(chunk)
        except OSError as exc:
            raise _failed("write", self.target, exc) from None
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
        try:
            try:
                self._fh.close()
            except OSError as error:
                if exc_type is None:
                    raise _failed("write", self.target, error) from None
            if exc_type is None:
                # mkstemp creates the file private (0600); give it the mode open() would.
                os.chmod(self._tmp, 0o666 & ~_umask())
                self.target = self._claim()
        except FileSaveError:
            raise
        except OSError as error:
            raise _failed("save", self.target, error) from None
        finally:
            Path(self._tmp).unlink(missing_ok=True)

    def _claim(self) -> Path:
        """Move the temporary file to the target, or to the first free alternative."""
        if self._overwrite:
            os.replace(self._tmp, self.target)
            return self.target
        for n in range(MAX_ALTERNATIVES + 1):
            candidate = (
                self.target if n == 0 else self.target.with_name(numbered(self.target.name, n))
            )
            if _claim_new(self._tmp, candidate):
                return candidate
        raise FileSaveError(
            f"No free file name like {str(self.target)!r} (tried {MAX_ALTERNATIVES}); pass "
            "overwrite=True or another filename.",
            path=str(self.target),
            reason="name taken",
        )


def _claim_new(tmp: str, candidate: Path) -> bool:
    """Give ``tmp`` the name ``candidate`` unless that name exists (atomically)."""
    try:
        os.link(tmp, candidate)  # fails if the name exists, whatever it is (even a link)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        try:  # no hard links here: reserve the name, then move onto the reservation
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False
        os.close(fd)
        os.replace(tmp, candidate)
    return True


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
