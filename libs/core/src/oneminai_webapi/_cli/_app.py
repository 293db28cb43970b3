"""What every command shares: the parsed arguments, the client, output and progress."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .._config import API_KEY_ENV
from ..constants import ASSET_KEY_FOLDERS
from ._errors import EXIT_AUTH, CLIError
from ._progress import Progress

if TYPE_CHECKING:
    from .._client._sync import SyncOneMinAIClient
    from ..types import AssetRecord

_URL_PREFIXES = ("http://", "https://")
_ASSET_KEY = re.compile(rf"({'|'.join(ASSET_KEY_FOLDERS.values())})/\S")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class App:
    """One run of the command line.

    Results go to stdout (text, paths, or JSON with ``--json``); progress and errors go to
    stderr, so ``oneminai image "a fox" > paths.txt`` captures just the paths.
    """

    def __init__(
        self,
        args: argparse.Namespace,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        stdin: TextIO | None = None,
    ) -> None:
        self.args = args
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        self.json: bool = bool(getattr(args, "json", False))
        quiet = bool(getattr(args, "quiet", False))
        self.progress = Progress(self.err, enabled=not (quiet or self.json))
        self._client: SyncOneMinAIClient | None = None
        #: The record id of a job being waited for (printed if the user interrupts).
        self.pending_job: str | None = None
        #: A JSON result is on stdout already (a later failure adds no second document).
        self.emitted = False

    # ── the client ───────────────────────────────────────────────────────────────────

    @property
    def api_key(self) -> str:
        """``--api-key``, else ``ONEMINAI_API_KEY`` (empty when neither is set)."""
        key = getattr(self.args, "api_key", None) or os.environ.get(API_KEY_ENV, "")
        return str(key).strip()  # a pasted key often ends with a newline

    def client(self, *, needs_key: bool = True) -> SyncOneMinAIClient:
        """The client of this run, created on first use."""
        if needs_key and not self.api_key:
            raise CLIError("no API key: set ONEMINAI_API_KEY or pass --api-key", EXIT_AUTH)
        if any(c.isspace() for c in self.api_key):
            raise CLIError("the API key contains whitespace", EXIT_AUTH)
        if self._client is None:
            from .._client._sync import SyncOneMinAIClient

            base_url = getattr(self.args, "base_url", None)
            self._client = SyncOneMinAIClient(self.api_key, base_url=base_url)
        return self._client

    def close(self) -> None:
        """Close the client (its connections)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # ── input ────────────────────────────────────────────────────────────────────────

    def text(self, value: str | None, what: str) -> str:
        """A text argument; ``-`` (or nothing, with input piped in) reads stdin."""
        if value is None or value == "-":
            if value is None and self.stdin.isatty():
                raise CLIError(f"missing {what} (give it as an argument, or '-' to read stdin)")
            value = self.stdin.read().rstrip("\n")
        if not value.strip():
            raise CLIError(f"the {what} is empty")
        return value

    def local_input(self, value: str, *, file_id: bool = False) -> Path | str:
        """A file argument: a local file to upload, or a reference passed on as it is.

        References are ``http(s)`` URLs, asset keys (``images/…``, ``audios/…``, ``videos/…``,
        ``documents/…``) and, where ``file_id`` is true, file ids from an earlier upload.
        Anything else must be an existing file; the check runs before anything is sent.
        """
        if value.startswith(_URL_PREFIXES) or _ASSET_KEY.match(value):
            return value
        if file_id and _UUID.match(value):
            return value
        path = Path(value).expanduser()
        if path.is_dir():
            raise CLIError(f"{value} is a directory, not a file")
        if not path.is_file():
            raise CLIError(f"no such file: {value}")
        return path

    def upload(self, path: Path, asset_type: str) -> AssetRecord:
        """Upload a local file, showing its progress byte by byte (as downloads do).

        On a terminal the line shows the bytes sent so far; otherwise one line with the
        name and size when the upload starts.
        """
        report = self.progress.transfer(f"uploading {path.name}")
        record = self.client().upload_asset(path, asset_type=asset_type, on_progress=report)
        self.progress.done(f"uploaded {path.name} → {record.asset_key}")
        return record

    def reference(self, value: str, asset_type: str) -> str:
        """A file argument as what the service takes: uploaded first when local.

        Returns the asset key (or the URL given).
        """
        target = self.local_input(value)
        return target if isinstance(target, str) else self.upload(target, asset_type).asset_key

    def output_dir(self) -> Path | None:
        """``--out`` as a writable directory (created), checked before anything is sent.

        ``None`` with ``--no-download``.
        """
        if getattr(self.args, "no_download", False):
            return None
        out = Path(getattr(self.args, "out", ".") or ".").expanduser()
        if out.exists() and not out.is_dir():
            raise CLIError(f"--out {out} is not a directory")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CLIError(f"cannot create --out {out}: {exc.strerror}") from None
        if not os.access(out, os.W_OK | os.X_OK):
            raise CLIError(f"--out {out} is not writable")
        return out

    # ── output ───────────────────────────────────────────────────────────────────────

    def print(self, text: str = "", *, end: str = "\n") -> None:
        """A result line on stdout."""
        self.progress.clear()
        self.out.write(text + end)
        self.out.flush()

    def report_credits(self, output: Any) -> None:
        """With ``--verbose``, the credits a call used, on stderr (as the record reports them)."""
        if not getattr(self.args, "verbose", False) or output is None:
            return
        used = getattr(output, "credits_used", None)
        given, produced = (
            getattr(output, "input_credits", None),
            getattr(output, "output_credits", None),
        )
        if used is None:
            line = "credits used: not reported by the service"
        elif given is not None and produced is not None:
            line = f"credits used: {used} ({given} input + {produced} output)"
        else:
            line = f"credits used: {used}"
        self.progress.clear()
        self.err.write(line + "\n")
        self.err.flush()

    def emit(self, data: Any) -> None:
        """A JSON result on stdout (``--json``)."""
        self.progress.clear()
        self.emitted = True
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")
        self.out.flush()
