"""Install (once, into ``bench/.seed``) and talk to the earlier client's worker process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ._util import KEY, MODEL, PROMPT, ROOT

SEED_SPEC = "1minai-webapi==1.0.31"
SEED_DIR = ROOT / "bench" / ".seed"


def install() -> str | None:
    """Install the seed client with ``uv pip install --target`` (or pip); None on success."""
    marker = SEED_DIR / "1minai_webapi-1.0.31.dist-info"
    if marker.exists():
        return None
    uv = shutil.which("uv") or str(Path.home() / ".local/bin/uv")
    # --no-deps: its only dependency, aiohttp, is the one already in this environment, so
    # both clients run on the same aiohttp (a fair comparison).
    cmds = [
        [uv, "pip", "install", "--quiet", "--target", str(SEED_DIR), "--no-deps", SEED_SPEC],
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--target",
            str(SEED_DIR),
            "--no-deps",
            SEED_SPEC,
        ],
    ]
    errors = []
    for cmd in cmds:
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            errors.append(str(exc))
            continue
        if res.returncode == 0 and marker.exists():
            return None
        errors.append(res.stderr.strip()[-300:])
    return "; ".join(errors) or "install failed"


class SeedWorker:
    def __init__(self, base_url: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(SEED_DIR) + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "_seed_worker.py"), base_url, KEY, MODEL, PROMPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        hello = self._read()
        if not str(hello.get("file", "")).startswith(str(SEED_DIR)):
            self.close()
            raise RuntimeError(f"the seed worker imported the wrong package: {hello}")

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the seed worker died")
        return json.loads(line)

    def run(self, op: str, n: int, concurrent: bool) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, "n": n, "concurrent": concurrent}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write('{"op": "quit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
