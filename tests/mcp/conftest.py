"""Fixtures of the MCP tests (helpers are in ``mcp_harness``, a uniquely named module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mcp_harness import FAST_JOBS, KEY, HttpServer, start_http_server, stop
from oneminai_webapi.testing import Emulator


# One emulator and one HTTP server for the whole run (per xdist worker): starting a server
# process costs seconds; ``emu`` resets the emulator before and after every test.
@pytest.fixture(scope="session")
def module_emu() -> Iterator[Emulator]:
    with Emulator(api_key=KEY) as emu:
        yield emu


@pytest.fixture
def emu(module_emu: Emulator) -> Iterator[Emulator]:
    """The shared emulator, reset (state and configuration) around each test."""
    saved = dict(vars(module_emu.config))
    module_emu.reset()
    yield module_emu
    module_emu.reset()
    for name, value in saved.items():
        setattr(module_emu.config, name, value)


@pytest.fixture(scope="session")
def http_server(module_emu: Emulator) -> Iterator[HttpServer]:
    process, log, url = start_http_server(module_emu, *FAST_JOBS, "--job-timeout", "5")
    yield HttpServer(url, process, log)
    stop(process, log)
