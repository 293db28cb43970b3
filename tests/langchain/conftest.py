"""Fixtures for the LangChain integration tests (emulator-backed, no network, no real key)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lc_simulated_model import respond
from oneminai_webapi.testing import Emulator

#: Scripted replies queued for the simulated model; more than any test session needs.
_SIMULATED_REPLIES = 100_000


@pytest.fixture(scope="session")
def simulated_emulator() -> Iterator[Emulator]:
    """An emulator (in a thread) whose chat replies come from the simulated model."""
    with Emulator(api_key="test-key") as emu:
        emu.script_replies([lambda turn: respond(turn.prompt)] * _SIMULATED_REPLIES)
        yield emu


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator (in a thread) for tests that script exact replies."""
    with Emulator(api_key="test-key") as emu:
        yield emu
