"""``python -m bench`` (``make bench``): run every benchmark, write ``docs/benchmarks.md``.

Options: ``--quick`` (fewer rounds, for a smoke run), ``--only overhead,sse,...`` and
``--out PATH`` (``-`` prints the report instead of writing it).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import _util
from ._util import ROOT, fmt_ratio

SECTIONS = ("overhead", "sse", "imports", "scale", "adapters", "sync", "gateway")


def _ok(value: float, goal: float, *, higher_is_better: bool = False) -> str:
    met = value >= goal if higher_is_better else value <= goal
    return "met" if met else "**missed**"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f}"


def report_overhead(results: list[Any], info: dict[str, Any]) -> list[str]:
    out = [
        "## 1. Request overhead",
        "",
        "Per-chat medians over the rounds; *wall* is what a caller waits, *client CPU* is the CPU "
        "time of the client process alone (the emulator runs in its own process; its CPU per chat "
        "is shown too, and is part of every contender's wall time). Ratios are medians of the "
        "per-round ratios (each round runs the contenders back to back).",
        "",
        "| scenario | floor wall ms | ours wall ms | ours/floor wall | floor CPU ms | ours CPU ms | ours/floor CPU | emulator CPU ms (floor/ours) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r.scenario.name} | {_ms(r.wall('floor'))} | {_ms(r.wall('ours'))} | "
            f"{fmt_ratio(r.ratio('ours', 'floor'))} ({_ok(r.ratio('ours', 'floor'), 1.10)}) | "
            f"{_ms(r.cpu('floor'))} | {_ms(r.cpu('ours'))} | {fmt_ratio(r.ratio('ours', 'floor', 1))} | "
            f"{_ms(r.emu_cpu('floor'))} / {_ms(r.emu_cpu('ours'))} |"
        )
    out += ["", "Goal: ours ≤ 1.10× the floor (wall)."]
    if info.get("seed_error"):
        out += ["", f"Earlier client (`1minai-webapi` 1.0.31) not measured: {info['seed_error']}"]
        return out
    out += [
        "",
        "**Against the earlier client** (`1minai-webapi` 1.0.31, web-app routes, one new conversation per call, "
        "as it always does; run in its own process on the same aiohttp). Throughput ratio = its wall time / ours.",
        "",
        "| scenario | earlier wall ms | ours wall ms | our throughput ÷ earlier | earlier CPU ms | emulator CPU ms (earlier/ours) | floor throughput ÷ earlier |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        x = r.ratio("seed", "ours")
        out.append(
            f"| {r.scenario.name} | {_ms(r.wall('seed'))} | {_ms(r.wall('ours'))} | {fmt_ratio(x)} "
            f"({_ok(x, 1.8, higher_is_better=True)}) | {_ms(r.cpu('seed'))} | "
            f"{_ms(r.emu_cpu('seed'))} / {_ms(r.emu_cpu('ours'))} | {fmt_ratio(r.ratio('seed', 'floor'))} |"
        )
    out += ["", "Goal: ≥ 1.8× its throughput."]
    return out


def report_sse(results: list[Any], missing: list[str]) -> list[str]:
    out = [
        "## 2. SSE decoding",
        "",
        "Throughput in MB/s of the same byte chunks (median pass); every decoder's events are checked "
        "to be identical first. `ours` is `SSEDecoder()`; `ours (64 MiB guard)` is "
        "`SSEDecoder(max_event_bytes=64 MiB)`, which is what a chat stream uses.",
        "",
    ]
    names = list(results[0].seconds)
    out.append("| workload | MB | " + " | ".join(names) + " | ours ÷ fastest other |")
    out.append("|---|---:|" + "---:|" * len(names) + "---:|")
    for r in results:
        mb = r.workload.nbytes / 1e6
        others = [s for k, s in r.seconds.items() if not k.startswith("ours")]
        best = min(others) if others else None
        cells = [f"{mb / s:.1f}" for s in r.seconds.values()]
        ratio = best / r.seconds["ours"] if best else float("nan")
        out.append(
            f"| {r.workload.name} | {mb:.2f} | "
            + " | ".join(cells)
            + f" | {ratio:.2f}× ({_ok(ratio, 1.0, higher_is_better=True)}) |"
        )
    out += ["", "Goal: at least as fast as the fastest other decoder (ratio ≥ 1)."]
    if missing:
        out.append(f"Not installed: {', '.join(missing)}.")
    return out


def report_imports(results: list[Any]) -> list[str]:
    out = [
        "## 3. Import time",
        "",
        "`python -X importtime -c 'import X'` in fresh processes: the sum of the top-level "
        "cumulative times, minus the interpreter's own start-up imports (median of the runs).",
        "",
        "| import | ms | baseline | baseline ms | ratio | goal | heavy modules loaded |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for r in results:
        if r.error:
            out.append(
                f"| `{r.name}` | — | `{r.baseline}` | — | — | — | not importable: {r.error} |"
            )
            continue
        goal = f"≤ {r.goal}× ({_ok(r.ratio, r.goal)})" if r.goal else "—"
        loaded = ", ".join(f"`{m}`" for m in r.loaded if m != r.baseline) or "none"
        out.append(
            f"| `{r.name}` | {r.ms:.0f} | `{r.baseline}` | {r.baseline_ms:.0f} | {r.ratio:.2f}× | {goal} | {loaded} |"
        )
    return out


def report_scale(res: dict[str, Any]) -> list[str]:
    n = res["n"]
    out = [
        "## 4. Scale",
        "",
        f"{n} concurrent streams, each contender in a fresh process (median of the runs). *Held*: "
        f"all {n} streams open at once, each having received its first chunk; per-stream cost = "
        "(held RSS − RSS after warm-up) / N.",
        "",
        f"| client | wall for {n} streams s | RSS after warm-up MiB | RSS with {n} held MiB | peak RSS MiB | per stream KiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for who in ("floor", "ours"):
        r = res[who]
        out.append(
            f"| {who} | {r['wall_s']:.2f} | {r['base_rss_kib'] / 1024:.1f} | {r['held_rss_kib'] / 1024:.1f} | "
            f"{r['peak_rss_kib'] / 1024:.1f} | {r['per_stream_kib']:.1f} |"
        )
    out += [
        "",
        f"Wall ratio ours/floor: {res['ours']['wall_s'] / res['floor']['wall_s']:.2f}×. "
        f"Emulator RSS at the end: {res['emulator_rss_kib'] / 1024:.0f} MiB.",
    ]
    return out


def report_adapters(results: list[dict[str, Any]], errors: dict[str, str]) -> list[str]:
    out = [
        "## 5. Adapter overhead",
        "",
        "Sequential sync calls; the core side is `SyncOneMinAIClient.generate_content` with exactly the "
        "prompt the adapter sent (read back from the emulator's echo).",
        "",
        "| adapter call | adapter ms | core ms | wall ratio | adapter CPU ms | core CPU ms | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r['name']} | {r['adapter_ms']:.2f} | {r['core_ms']:.2f} | {r['wall_ratio']:.2f}× | "
            f"{r['adapter_cpu_ms']:.2f} | {r['core_cpu_ms']:.2f} | {r['cpu_ratio']:.2f}× |"
        )
    for name, err in errors.items():
        out.append(f"| {name} | not measured: {err} | | | | | |")
    return out


def report_sync(results: list[Any]) -> list[str]:
    out = [
        "## 6. Sync client against the async client (sequential)",
        "",
        "| scenario | sync wall ms | async wall ms | sync/async wall | sync CPU ms | async CPU ms | sync/async CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r.scenario.name} | {_ms(r.wall('sync'))} | {_ms(r.wall('async'))} | {fmt_ratio(r.ratio('sync', 'async'))} | "
            f"{_ms(r.cpu('sync'))} | {_ms(r.cpu('async'))} | {fmt_ratio(r.ratio('sync', 'async', 1))} |"
        )
    return out


def header(
    started: dt.datetime, elapsed: float, load_before: str, load_after: str, quick: bool
) -> list[str]:
    m = _util.machine()
    v = _util.versions("oneminai-webapi", "aiohttp", "requests", "pydantic", "openai", "httpx-sse",
                       "langchain-core", "langchain-oneminai", "llama-index-core",
                       "llama-index-llms-oneminai", "oneminai-gateway")  # fmt: skip
    return [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`). Measurements, not tests: compare the ratios "
        "within one run on one machine, never absolute numbers across machines.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; run time {elapsed:.0f} s{' (quick mode)' if quick else ''}",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}",
        f"- Python {m['python']}; load average before / after: {load_before} / {load_after}",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        "- Emulator: `python -m oneminai_webapi.testing` in its own process; every answer is 40 "
        "`content` events + `result` + `done` (a 37-word prompt echoed one word per event).",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench")
    p.add_argument("--quick", action="store_true", help="fewer rounds (smoke run)")
    p.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="report path, or -")
    args = p.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    rounds = 3 if args.quick else 7
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    load_before = _util.load_average()
    body: list[str] = []
    for section in only:
        print(f"[bench] {section} ...", file=sys.stderr, flush=True)
        s0 = time.perf_counter()
        try:
            if section == "overhead":
                from . import overhead

                results, info = asyncio.run(overhead.measure_overhead(rounds))
                body += report_overhead(results, info)
            elif section == "sse":
                from . import sse

                sse_results, missing = sse.measure(rounds, quick=args.quick)
                body += report_sse(sse_results, missing)
            elif section == "imports":
                from . import imports

                body += report_imports(imports.measure(rounds))
            elif section == "scale":
                from . import scale

                body += report_scale(scale.measure(1000, runs=1 if args.quick else 2))
            elif section == "adapters":
                from . import adapters

                body += report_adapters(*adapters.measure(rounds, n=20 if args.quick else 40))
            elif section == "sync":
                from . import overhead

                body += report_sync(asyncio.run(overhead.measure_sync(rounds)))
            elif section == "gateway":
                from . import gateway

                body += gateway.report(gateway.measure(rounds, quick=args.quick))
        except Exception:
            body += [
                f"## {section}",
                "",
                "Failed:",
                "",
                "```",
                traceback.format_exc().strip(),
                "```",
            ]
        body.append("")
        print(
            f"[bench] {section} done in {time.perf_counter() - s0:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    elapsed = time.perf_counter() - t0
    text = "\n".join(header(started, elapsed, load_before, _util.load_average(), args.quick) + body)
    if args.out == "-":
        print(text)
    else:
        path = Path(args.out)
        notes = _preserved_notes(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + notes)
        print(f"[bench] wrote {path}", file=sys.stderr)
    return 0


NOTES_MARKER = "<!-- notes: kept by `make bench` -->"


def _preserved_notes(path: Path) -> str:
    """Hand-written analysis below the marker survives re-runs."""
    try:
        old = path.read_text()
    except OSError:
        return ""
    i = old.find(NOTES_MARKER)
    return "\n" + old[i:] if i >= 0 else ""


if __name__ == "__main__":
    sys.exit(main())
