"""What every command shares: the parsed arguments, the client, output and progress."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ._errors import EXIT_AUTH, CLIError
from ._progress import Progress, human_size

if TYPE_CHECKING:
    from .._client._sync import SyncOneMinAIClient
    from ..types import AssetRecord

_URL_PREFIXES = ("http://", "https://")


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

    # ── the client ───────────────────────────────────────────────────────────────────

    @property
    def api_key(self) -> str:
        """``--api-key``, else ``ONEMINAI_API_KEY`` (empty when neither is set)."""
        return str(getattr(self.args, "api_key", None) or os.environ.get("ONEMINAI_API_KEY", ""))

    def client(self, *, needs_key: bool = True) -> SyncOneMinAIClient:
        """The client of this run, created on first use."""
        if needs_key and not self.api_key:
            raise CLIError("no API key: set ONEMINAI_API_KEY or pass --api-key", EXIT_AUTH)
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
            value = self.stdin.read()
        if not value.strip():
            raise CLIError(f"the {what} is empty")
        return value

    def upload(self, value: str, asset_type: str) -> AssetRecord | str:
        """A local file is uploaded (with progress) and its record returned.

        URLs and asset keys (``images/…``) are returned unchanged; a value that looks like
        a path but names no file is an error before anything is sent.
        """
        if value.startswith(_URL_PREFIXES):
            return value
        path = Path(value).expanduser()
        if not path.is_file():
            if path.exists() or value.startswith(("/", ".", "~")) or "/" not in value:
                raise CLIError(f"no such file: {value}")
            return value  # an asset key such as images/2025/…
        size = path.stat().st_size
        self.progress.update(f"uploading {path.name} ({human_size(size)})…")
        record = self.client().upload_asset(path, asset_type=asset_type)
        self.progress.done(f"uploaded {path.name} → {record.asset_key}")
        return record

    # ── output ───────────────────────────────────────────────────────────────────────

    def print(self, text: str = "", *, end: str = "\n") -> None:
        """A result line on stdout."""
        self.progress.clear()
        self.out.write(text + end)
        self.out.flush()

    def emit(self, data: Any) -> None:
        """A JSON result on stdout (``--json``)."""
        self.progress.clear()
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")
        self.out.flush()
