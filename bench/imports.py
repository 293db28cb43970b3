"""§3 import time, from ``python -X importtime`` in fresh processes (median of N runs)."""

from __future__ import annotations

import os
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


def _env() -> dict[str, str]:
    # Measure what users get: pip writes bytecode at install time. This environment may
    # set PYTHONDONTWRITEBYTECODE, which would make every import recompile from source.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_bytecode() -> None:
    """Compile site-packages and our sources once, as an installer would."""
    import compileall
    import sysconfig

    for path in (sysconfig.get_paths()["purelib"], *(str(p) for p in ROOT.glob("libs/*/src"))):
        compileall.compile_dir(path, quiet=2, workers=2)


def _startup() -> set[str]:
    base = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env=_env(),
    )
    return set(_roots(base.stderr))


def _sample(statement: str, startup: set[str]) -> tuple[float, list[str]]:
    """Milliseconds of the imports ``statement`` triggers in a fresh process."""
    probe = f"import sys; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{statement}\n{probe}"],
        capture_output=True, text=True, cwd=ROOT, check=False, env=_env(),
    )  # fmt: skip
    if res.returncode != 0:
        raise ImportError(res.stderr.strip().splitlines()[-1] if res.stderr.strip() else statement)
    roots = _roots(res.stderr)
    ms = sum(us for name, us in roots.items() if name not in startup) / 1e3
    return ms, [m for m in res.stdout.strip().split(",") if m]


def import_cost(statement: str, runs: int) -> tuple[float, list[str]]:
    """Median milliseconds of the imports ``statement`` triggers (startup imports excluded)."""
    startup = _startup()
    samples = [_sample(statement, startup) for _ in range(runs)]
    return median(ms for ms, _ in samples), samples[-1][1]


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


PAIRS = [
    ("from oneminai_webapi import OneMinAIClient", "import aiohttp", 1.2),
    ("import langchain_oneminai", "import langchain_core.language_models", 1.15),
    (
        "from langchain_oneminai import ChatOneMinAI",
        "from langchain_core.language_models import BaseChatModel",
        1.15,
    ),
]


def measure(runs: int = 7) -> list[ImportResult]:
    """Each pair is sampled alternately (ours, baseline, ours, …) so load drifts hit both."""
    compile_bytecode()
    startup = _startup()
    results = []
    for name, baseline, goal in PAIRS:
        ours: list[float] = []
        base: list[float] = []
        loaded: list[str] = []
        try:
            for _ in range(runs):
                ms, loaded = _sample(name, startup)
                ours.append(ms)
                base.append(_sample(baseline, startup)[0])
        except ImportError as exc:
            results.append(ImportResult(name, None, baseline, None, goal, [], str(exc)))
            continue
        results.append(ImportResult(name, median(ours), baseline, median(base), goal, loaded))
    return results


if __name__ == "__main__":
    for r in measure(5):
        print(r)
