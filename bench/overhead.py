"""§1 request overhead (floor / ours / earlier client) and §6 sync vs async client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import _seed
from ._util import CONTENT_EVENTS, KEY, MODEL, PROMPT, Timer, emulator, median, proc_cpu
from .workloads import Floor, Ours, run


@dataclass
class Scenario:
    name: str
    op: str  # "stream" | "once"
    n: int
    concurrent: bool

    @property
    def expected(self) -> int:
        return self.n * (CONTENT_EVENTS if self.op == "stream" else 1)


@dataclass
class Result:
    scenario: Scenario
    #: contender -> list of (wall per op, client CPU per op, emulator CPU per op), one per round
    samples: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)

    def add(self, who: str, wall: float, cpu: float, emu_cpu: float) -> None:
        n = self.scenario.n
        self.samples.setdefault(who, []).append((wall / n, cpu / n, emu_cpu / n))

    def wall(self, who: str) -> float:
        return median([s[0] for s in self.samples[who]])

    def cpu(self, who: str) -> float:
        return median([s[1] for s in self.samples[who]])

    def emu_cpu(self, who: str) -> float:
        return median([s[2] for s in self.samples[who]])

    def ratio(self, a: str, b: str, idx: int = 0) -> float:
        """Median over rounds of a/b (each round measures both back to back)."""
        pairs = zip(self.samples[a], self.samples[b], strict=True)
        return median([x[idx] / y[idx] for x, y in pairs])


SCENARIOS = [
    Scenario("streaming, sequential", "stream", 60, False),
    Scenario("streaming, 100 concurrent", "stream", 100, True),
    Scenario("non-streaming, sequential", "once", 100, False),
    Scenario("non-streaming, 100 concurrent", "once", 100, True),
]


def _check(who: str, scenario: Scenario, chunks: int) -> None:
    if chunks != scenario.expected:
        raise AssertionError(
            f"{who} saw {chunks} chunks in {scenario.name}, expected {scenario.expected}"
        )


async def measure_overhead(
    rounds: int, *, with_seed: bool = True
) -> tuple[list[Result], dict[str, Any]]:
    info: dict[str, Any] = {}
    seed_error = _seed.install() if with_seed else "skipped"
    with emulator() as emu:
        seed = None
        if seed_error is None:
            try:
                seed = _seed.SeedWorker(emu.base_url)
            except Exception as exc:  # report, do not fail the whole run
                seed_error = f"{type(exc).__name__}: {exc}"
        info["seed_error"] = seed_error
        results = []
        try:
            async with Floor(emu.base_url) as floor, Ours(emu.base_url) as ours:
                for sc in SCENARIOS:
                    res = Result(sc)
                    contenders: list[tuple[str, Callable[[], Any]]] = [
                        (
                            "floor",
                            lambda sc=sc: run(
                                getattr(floor, sc.op), sc.n, concurrent=sc.concurrent
                            ),
                        ),
                        (
                            "ours",
                            lambda sc=sc: run(getattr(ours, sc.op), sc.n, concurrent=sc.concurrent),
                        ),
                    ]
                    # warm-up (connections, caches), not counted
                    for _, fn in contenders:
                        await fn()
                    if seed is not None:
                        seed.run(sc.op, min(sc.n, 20), sc.concurrent)
                    for r in range(rounds):
                        order = contenders[r % 2 :] + contenders[: r % 2]
                        for who, fn in order:
                            e0 = proc_cpu(emu.proc.pid)
                            with Timer() as t:
                                chunks = await fn()
                            _check(who, sc, chunks)
                            res.add(who, t.wall, t.cpu, proc_cpu(emu.proc.pid) - e0)
                        if seed is not None:
                            e0 = proc_cpu(emu.proc.pid)
                            out = seed.run(sc.op, sc.n, sc.concurrent)
                            _check("seed", sc, out["chunks"])
                            res.add("seed", out["wall"], out["cpu"], proc_cpu(emu.proc.pid) - e0)
                    results.append(res)
        finally:
            if seed is not None:
                seed.close()
    return results, info


async def measure_sync(rounds: int) -> list[Result]:
    """Sequential calls: the sync client (blocking, requests) against the async client."""
    from oneminai_webapi import SyncOneMinAIClient

    scenarios = [
        Scenario("streaming, sequential", "stream", 60, False),
        Scenario("non-streaming, sequential", "once", 100, False),
    ]
    results = []
    with emulator() as emu:
        sync = SyncOneMinAIClient(KEY, base_url=emu.base_url)

        def sync_stream() -> int:
            return sum(1 for c in sync.generate_content_stream(PROMPT, MODEL) if not c.is_final)

        def sync_once() -> int:
            return 1 if sync.generate_content(PROMPT, MODEL).text else 0

        try:
            async with Ours(emu.base_url) as ours:
                for sc in scenarios:
                    res = Result(sc)
                    sync_fn = sync_stream if sc.op == "stream" else sync_once

                    def run_sync(fn: Callable[[], int] = sync_fn, n: int = sc.n) -> int:
                        return sum(fn() for _ in range(n))  # blocks the (idle) loop: intended

                    async def run_async(sc: Scenario = sc) -> int:
                        return await run(getattr(ours, sc.op), sc.n, concurrent=False)

                    run_sync()
                    await run_async()
                    for r in range(rounds):
                        for who in ("sync", "async") if r % 2 == 0 else ("async", "sync"):
                            e0 = proc_cpu(emu.proc.pid)
                            with Timer() as t:
                                chunks = run_sync() if who == "sync" else await run_async()
                            _check(who, sc, chunks)
                            res.add(who, t.wall, t.cpu, proc_cpu(emu.proc.pid) - e0)
                    results.append(res)
        finally:
            sync.close()
    return results


def _demo() -> None:  # python -m bench.overhead: quick look
    results, info = asyncio.run(measure_overhead(3))
    print(info)
    for res in results:
        line = [res.scenario.name]
        for who in res.samples:
            line.append(
                f"{who}: wall {res.wall(who) * 1e3:.3f} ms cpu {res.cpu(who) * 1e3:.3f} ms emu {res.emu_cpu(who) * 1e3:.3f} ms"
            )
        line.append(
            f"ours/floor wall {res.ratio('ours', 'floor'):.3f} cpu {res.ratio('ours', 'floor', 1):.3f}"
        )
        if "seed" in res.samples:
            line.append(f"seed/ours wall {res.ratio('seed', 'ours'):.2f}")
        print("\n  ".join(line))
    for res in asyncio.run(measure_sync(3)):
        print(
            res.scenario.name,
            f"sync/async wall {res.ratio('sync', 'async'):.3f} cpu {res.ratio('sync', 'async', 1):.3f}",
            f"sync {res.wall('sync') * 1e3:.3f} ms async {res.wall('async') * 1e3:.3f} ms",
        )


if __name__ == "__main__":
    _demo()
