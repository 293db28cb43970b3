"""Run ``oneminai`` as a subprocess against an emulator (one per module, reset per test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi.testing import Emulator

KEY = "cli-canary-key-5e1f"
#: On the subprocesses' PYTHONPATH: a sitecustomize that allows only loopback connections.
GUARD_DIR = Path(__file__).resolve().parents[1] / "loopback_only"
BLOCKED = "BLOCKED_NETWORK_ACCESS"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def error_line(self) -> str:
        """The one error line, which ends stderr (progress lines may come before it)."""
        errors = [line for line in self.err.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and self.err.endswith(errors[0] + "\n"), self.err
        assert "Traceback" not in self.err
        return errors[0]


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    with Emulator(api_key=KEY) as emu:
        yield emu


@pytest.fixture
def emu(module_emu: Emulator) -> Iterator[Emulator]:
    module_emu.reset()
    yield module_emu
    module_emu.reset()


def run_cli(
    *args: str,
    emu: Emulator | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Result:
    """``python -m oneminai_webapi ARGS`` with the emulator's key and URL in the environment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ONEMINAI_")}
    if emu is not None:
        environ |= {"ONEMINAI_API_KEY": emu.api_key, "ONEMINAI_BASE_URL": emu.base_url}
    path = os.pathsep.join(p for p in (str(GUARD_DIR), environ.get("PYTHONPATH")) if p)
    environ |= {"ONEMINAI_HISTORY_FILE": os.devnull, "PYTHONPATH": path, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "oneminai_webapi", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=timeout,
    )
    assert BLOCKED not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)
