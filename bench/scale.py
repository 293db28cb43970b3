"""§4 scale: N concurrent streams, each contender in a fresh process (clean RSS numbers)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from ._util import ROOT, emulator, median


def measure(n: int = 1000, runs: int = 3) -> dict[str, Any]:
    out: dict[str, Any] = {"n": n}
    samples: dict[str, list[dict[str, float]]] = {"floor": [], "ours": []}
    with emulator() as emu:
        for r in range(runs):
            for who in ("floor", "ours") if r % 2 == 0 else ("ours", "floor"):
                res = subprocess.run(
                    [sys.executable, "-m", "bench._scale_child", who, emu.base_url, str(n)],
                    capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
                )  # fmt: skip
                if res.returncode != 0:
                    raise RuntimeError(f"scale child {who} failed: {res.stderr[-800:]}")
                samples[who].append(json.loads(res.stdout.strip().splitlines()[-1]))
        out["emulator_rss_kib"] = emu.rss_kib()
    for who, rows in samples.items():
        out[who] = {k: median([row[k] for row in rows]) for k in rows[0]}
        out[who]["per_stream_kib"] = median(
            [(row["held_rss_kib"] - row["base_rss_kib"]) / n for row in rows]
        )
    return out


if __name__ == "__main__":
    print(json.dumps(measure(1000, 1), indent=1))
