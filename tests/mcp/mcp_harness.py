"""Helpers of the MCP tests: the server in front of the emulator, the SDK's own client.

Three ways to reach it: in memory (the server object in this process), over stdio (the
``oneminai-mcp`` command spawned per session) and over streamable HTTP (one server process
per test session). Subprocesses get the loopback-only guard the CLI tests use.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from mcp import ClientSession
from oneminai_webapi.testing import Emulator

#: A unique fake key: the emulator accepts it; no result, error or log may show it.
KEY = "sk-mcp-canary-4f1d9b7e2c"
#: On the subprocesses' PYTHONPATH: a sitecustomize that allows only loopback connections.
GUARD_DIR = Path(__file__).resolve().parents[1] / "loopback_only"
BLOCKED = "BLOCKED_NETWORK_ACCESS"
#: Fast polling so that job tests take a fraction of a second.
FAST_JOBS = ("--poll-interval", "0.05")


def command() -> list[str]:
    """The installed ``oneminai-mcp`` console script (else ``python -m oneminai_mcp``)."""
    script = Path(sys.executable).with_name("oneminai-mcp")
    if script.exists():
        return [str(script)]
    found = shutil.which("oneminai-mcp")
    return [found] if found else [sys.executable, "-m", "oneminai_mcp"]


def server_env(emu: Emulator, **extra: str) -> dict[str, str]:
    """The environment of a server subprocess: the emulator's key and URL, the guard."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ONEMINAI_")}
    path = os.pathsep.join(p for p in (str(GUARD_DIR), environ.get("PYTHONPATH")) if p)
    return environ | {
        "ONEMINAI_API_KEY": emu.api_key,
        "ONEMINAI_BASE_URL": emu.base_url,
        "PYTHONPATH": path,
        **extra,
    }


@dataclass
class Log:
    """What a server subprocess wrote to stderr."""

    file: IO[str]
    final: str | None = None

    @property
    def text(self) -> str:
        if self.final is not None:
            return self.final
        self.file.flush()
        return Path(self.file.name).read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        self.final = self.text
        self.file.close()

    def check(self) -> str:
        text = self.text
        assert BLOCKED not in text, text
        assert KEY not in text
        assert "Traceback" not in text, text
        return text


@contextlib.asynccontextmanager
async def stdio_session(
    emu: Emulator, *args: str, roots: list[str] | None = None, **extra_env: str
) -> AsyncIterator[tuple[ClientSession, Log]]:
    """Spawn ``oneminai-mcp ARGS`` and open a client session over its stdin/stdout."""
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    cmd = command()
    params = StdioServerParameters(
        command=cmd[0], args=[*cmd[1:], *args], env=server_env(emu, **extra_env)
    )
    with tempfile.NamedTemporaryFile("w+", suffix=".log", encoding="utf-8") as err:
        log = Log(err)
        async with stdio_client(params, errlog=err) as (read, write):
            async with ClientSession(read, write, list_roots_callback=roots_callback(roots)) as s:
                await s.initialize()
                yield s, log
        log.close()
        log.check()


def roots_callback(roots: list[str] | None) -> Any:
    """A client ``roots/list`` answer for ``roots`` (folders), or no roots capability."""
    if roots is None:
        return None
    from mcp import types

    async def list_roots(context: Any) -> types.ListRootsResult:
        return types.ListRootsResult(
            roots=[types.Root(uri=Path(r).resolve().as_uri(), name=Path(r).name) for r in roots]  # type: ignore[arg-type]
        )

    return list_roots


@dataclass
class HttpServer:
    """A server subprocess serving streamable HTTP."""

    url: str
    process: subprocess.Popen[str]
    log: Log
    sessions: list[str] = field(default_factory=list)


def start_http_server(emu: Emulator, *args: str) -> tuple[subprocess.Popen[str], Log, str]:
    err = tempfile.NamedTemporaryFile("w+", suffix=".log", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(
        [*command(), "--http", "--port", "0", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=err,
        env=server_env(emu),
        text=True,
    )
    log = Log(err)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"streamable HTTP at (\S+)", log.text)
        if found:
            return process, log, found.group(1)
        assert process.poll() is None, log.text
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"no URL from the HTTP server: {log.text}")


def stop(process: subprocess.Popen[str], log: Log) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
        process.kill()
        process.wait(timeout=10)
    log.close()
    log.check()


@contextlib.asynccontextmanager
async def http_session(
    server: HttpServer, roots: list[str] | None = None
) -> AsyncIterator[tuple[ClientSession, Log]]:
    """A client session with the HTTP server."""
    from mcp.client.streamable_http import streamable_http_client

    async with streamable_http_client(server.url) as (read, write, _):
        async with ClientSession(read, write, list_roots_callback=roots_callback(roots)) as s:
            await s.initialize()
            yield s, server.log
