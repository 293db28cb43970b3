"""§7 the gateway's added CPU per call: the OpenAI-compatible gateway against the core client.

Processes: the emulator; the gateway (``python -m oneminai_gateway``, its real
configuration: a key, the SQLite ledger) in front of it; a bare aiohttp server around the
same ``complete()`` call (``bench._bare_server``); and a driver that sends OpenAI requests
(raw aiohttp, SSE read to ``[DONE]``). Server CPU per call is read from ``/proc``; the same
calls made directly with ``OneMinAIClient.complete()`` in a fresh process give the core
client's CPU per call. Gateway − direct is what the gateway adds; bare − direct is the part
any aiohttp server adds (HTTP parsing, responses, sockets); gateway − bare is the gateway's
own logic (keys, validation, OpenAI shapes, the ledger).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from ._util import KEY, MODEL, PROMPT, ROOT, emulator, free_port, median, proc_cpu

GATEWAY_KEY = "sk-gw-bench-0123456789"
BODY = {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]}


@dataclass
class Scenario:
    name: str
    mode: str  # "stream" | "once"
    n: int
    concurrency: int


@dataclass
class Result:
    scenario: Scenario
    gateway_cpu: list[float] = field(default_factory=list)  # CPU s per call, per round
    bare_cpu: list[float] = field(default_factory=list)
    direct_cpu: list[float] = field(default_factory=list)
    gateway_wall: list[float] = field(default_factory=list)  # wall s per batch
    direct_wall: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def added_ms(self) -> float:
        return (median(self.gateway_cpu) - median(self.direct_cpu)) * 1e3


def scenarios(quick: bool) -> list[Scenario]:
    return [
        Scenario("streaming, sequential", "stream", 60 if quick else 200, 1),
        Scenario("non-streaming, sequential", "once", 60 if quick else 200, 1),
        Scenario("streaming, 500 concurrent", "stream", 500, 500),
        Scenario("streaming, 2000 concurrent", "stream", 2000, 2000),
    ]


class BareProcess:
    def __init__(self, upstream: str) -> None:
        self.port = free_port()
        cmd = [sys.executable, "-m", "bench._bare_server", upstream, str(self.port)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "serving" not in line:
            raise RuntimeError(f"bare server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class GatewayProcess:
    def __init__(self, upstream: str, folder: Path) -> None:
        self.port = free_port()
        config = folder / "gateway.toml"
        config.write_text(
            f'[server]\nport = {self.port}\nledger = "ledger.sqlite3"\n\n'
            f'[upstream]\napi_key = "{KEY}"\nbase_url = "{upstream}"\nmax_connections = 2000\n\n'
            f'[[keys]]\nname = "bench"\nkey = "{GATEWAY_KEY}"\n'
        )
        cmd = [
            sys.executable,
            "-m",
            "oneminai_gateway",
            "--config",
            str(config),
            "--log-level",
            "WARNING",
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "serving" not in line:
            raise RuntimeError(f"gateway did not start: {line!r}")
        self.url = f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _call(session: aiohttp.ClientSession, url: str, mode: str) -> bool:
    headers = {"Authorization": f"Bearer {GATEWAY_KEY}"}
    body = {**BODY, "stream": mode == "stream"}
    async with session.post(url, json=body, headers=headers) as r:
        raw = await r.read()
        if r.status != 200:
            return False
    if mode == "once":
        return json.loads(raw)["choices"][0]["message"]["content"].endswith(PROMPT)
    events = raw.split(b"\n\n")
    if events[-2:] != [b"data: [DONE]", b""]:
        return False
    text = "".join(
        json.loads(e[6:])["choices"][0]["delta"].get("content") or ""
        for e in events[:-2]
        if b'"choices":[]' not in e
    )
    return text.endswith(PROMPT)


async def _gateway_batch(
    gateway: GatewayProcess | BareProcess, s: Scenario, n: int
) -> tuple[float, float, int]:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        gate = asyncio.Semaphore(s.concurrency)

        async def guarded() -> bool:
            async with gate:
                try:
                    return await _call(session, gateway.url, s.mode)
                except Exception:
                    return False

        c0, w0 = proc_cpu(gateway.proc.pid), time.perf_counter()
        results = await asyncio.gather(*(guarded() for _ in range(n)))
        wall = time.perf_counter() - w0
        cpu = proc_cpu(gateway.proc.pid) - c0
    return cpu, wall, sum(1 for ok in results if not ok)


def _direct_batch(base: str, s: Scenario) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench._gateway_child", base, str(s.n), str(s.concurrency), s.mode]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(rounds: int, *, quick: bool = False) -> list[Result]:
    results = [Result(s) for s in scenarios(quick)]
    with emulator() as emu, tempfile.TemporaryDirectory() as folder:
        gateway = GatewayProcess(emu.base_url, Path(folder))
        bare = BareProcess(emu.base_url)
        try:
            for r in results:
                for server in (gateway, bare):  # warm-up
                    asyncio.run(_gateway_batch(server, r.scenario, min(r.scenario.n, 50)))
            for _ in range(rounds):
                for r in results:
                    s = r.scenario
                    cpu, wall, errors = asyncio.run(_gateway_batch(gateway, s, s.n))
                    r.gateway_cpu.append(cpu / s.n)
                    r.gateway_wall.append(wall)
                    bare_cpu, _, bare_errors = asyncio.run(_gateway_batch(bare, s, s.n))
                    r.bare_cpu.append(bare_cpu / s.n)
                    errors += bare_errors
                    direct = _direct_batch(emu.base_url, s)
                    r.direct_cpu.append(direct["cpu_s"] / s.n)
                    r.direct_wall.append(direct["wall_s"])
                    r.errors += errors + int(direct["errors"])
        finally:
            gateway.close()
            bare.close()
    return results


def report(results: list[Result]) -> list[str]:
    out = [
        "## 7. Gateway: added CPU per call",
        "",
        "The OpenAI-compatible gateway (`python -m oneminai_gateway`, with a key and its SQLite "
        "ledger) in its own process in front of the emulator, driven by raw OpenAI requests; "
        "against the same calls made directly with `OneMinAIClient.complete()` in a fresh "
        "process. *Gateway CPU* is the gateway process's CPU per call (it includes its own core "
        "client); *bare server* is a bare aiohttp server making the same `complete()` call "
        "(`bench/_bare_server.py`: no keys, validation, OpenAI shapes or ledger); *direct* is "
        "the core client alone. *Added* = gateway − direct; of it, *HTTP serving* = bare − "
        "direct (what any aiohttp server costs) and *gateway logic* = gateway − bare. Medians "
        "of the rounds; wall times are per batch.",
        "",
        "| scenario | calls | gateway CPU ms/call | bare server ms/call | direct ms/call | added ms/call | of which HTTP serving | of which gateway logic | gateway wall s | direct wall s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r.scenario
        ok = "met" if r.added_ms < 1.0 else "**missed**"
        gateway_ms, bare_ms = median(r.gateway_cpu) * 1e3, median(r.bare_cpu) * 1e3
        direct_ms = median(r.direct_cpu) * 1e3
        out.append(
            f"| {s.name} | {s.n} | {gateway_ms:.2f} | {bare_ms:.2f} | {direct_ms:.2f} | "
            f"{r.added_ms:.2f} ({ok}) | {bare_ms - direct_ms:.2f} | {gateway_ms - bare_ms:.2f} | "
            f"{median(r.gateway_wall):.2f} | {median(r.direct_wall):.2f} | {r.errors} |"
        )
    out += ["", "Goal: under 1 ms of added CPU per call, and zero errors."]
    return out
