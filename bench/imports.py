"""§3 import time, from ``python -X importtime`` in fresh processes (median of N runs)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from ._util import ROOT, median

HEAVY = (
    "requests",
    "urllib3",
    "aiohttp.web",
    "oneminai_webapi.testing",
    "oneminai_webapi.testing.__main__",
    "oneminai_webapi.tool_calling",
    "oneminai_webapi._transport._requests",
    "langchain_core.language_models",
)


def _roots(stderr: str) -> dict[str, int]:
    """Top-level entries of an importtime report: module -> cumulative microseconds."""
    out: dict[str, int] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) != 3 or parts[2].startswith("  "):  # nested: not a root
            continue
        out[parts[2].strip()] = int(parts[1])
    return out


def import_cost(statement: str, runs: int) -> tuple[float, list[str]]:
    """Median milliseconds of the imports ``statement`` triggers (startup imports excluded)."""
    times = []
    loaded: list[str] = []
    probe = f"import sys; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    base = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    startup = set(_roots(base.stderr))
    for _ in range(runs):
        res = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"{statement}\n{probe}"],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        if res.returncode != 0:
            raise ImportError(
                res.stderr.strip().splitlines()[-1] if res.stderr.strip() else statement
            )
        roots = _roots(res.stderr)
        times.append(sum(us for name, us in roots.items() if name not in startup) / 1e3)
        loaded = [m for m in res.stdout.strip().split(",") if m]
    return median(times), loaded


@dataclass
class ImportResult:
    name: str
    ms: float | None
    baseline: str
    baseline_ms: float | None
    goal: float
    loaded: list[str]
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.ms is None or not self.baseline_ms:
            return None
        return self.ms / self.baseline_ms


def measure(runs: int = 7) -> list[ImportResult]:
    pairs = [
        ("oneminai_webapi", "aiohttp", 1.2),
        ("langchain_oneminai", "langchain_core.language_models", 1.15),
    ]
    results = []
    for name, baseline, goal in pairs:
        try:
            base_ms, _ = import_cost(f"import {baseline}", runs)
        except ImportError as exc:
            results.append(
                ImportResult(name, None, baseline, None, goal or 0, [], f"baseline: {exc}")
            )
            continue
        try:
            ms, loaded = import_cost(f"import {name}", runs)
        except ImportError as exc:
            results.append(ImportResult(name, None, baseline, base_ms, goal or 0, [], str(exc)))
            continue
        results.append(ImportResult(name, ms, baseline, base_ms, goal or 0, loaded))
    return results


if __name__ == "__main__":
    for r in measure(5):
        print(r)
