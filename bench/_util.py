"""Shared helpers: the emulator process, timing, statistics and machine facts."""

from __future__ import annotations

import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-key"
MODEL = "gpt-4o-mini"
# The emulator answers "Echo from <model>: <prompt>", one word per content event:
# 3 words of preamble + 37 prompt words = 40 content events per streamed answer.
PROMPT = " ".join(f"word{i}" for i in range(37))
CONTENT_EVENTS = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class EmulatorProcess:
    proc: subprocess.Popen[str]
    base_url: str

    def rss_kib(self) -> int:
        return rss_kib(self.proc.pid)


@contextlib.contextmanager
def emulator() -> Iterator[EmulatorProcess]:
    """Run ``python -m oneminai_webapi.testing`` in its own process (effectively unlimited credit)."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "oneminai_webapi.testing",
        "--port", str(port), "--api-key", KEY, "--credits", str(10**15),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"emulator did not start: {line!r}")
        base = line.strip().rsplit(" ", 1)[-1]
        yield EmulatorProcess(proc, base)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_kib(pid: int | str = "self") -> int:
    """Current resident set size in KiB (Linux)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def hwm_kib(pid: int | str = "self") -> int:
    """Peak resident set size in KiB (Linux)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass
class Sample:
    """One timed run: wall and CPU seconds of this process, for ``n`` operations."""

    wall: float
    cpu: float
    n: int


class Timer:
    def __enter__(self) -> Timer:
        self.w0 = time.perf_counter()
        self.c0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.w0
        self.cpu = time.process_time() - self.c0


def load_average() -> str:
    with contextlib.suppress(OSError):
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "n/a"


def versions(*dists: str) -> dict[str, str]:
    from importlib import metadata

    out = {}
    for name in dists:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}×"


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) used so far by process ``pid`` (Linux).

    Read from the process's CPU-time clock (nanosecond resolution); ``/proc/PID/stat``
    (10 ms ticks, too coarse for a few hundred calls of a few ms) is the fallback.
    """
    with contextlib.suppress(OSError, OverflowError, AttributeError):
        # MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED), what clock_getcpuclockid() returns.
        return time.clock_gettime((~pid << 3) | 2)
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK
