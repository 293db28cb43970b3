"""Pytest fixtures for the 1min.AI emulator, opt-in.

Installing ``oneminai-webapi`` adds nothing to anyone's test runs. Enable the fixtures in
the ``conftest.py`` at the root of your tests (pytest only reads ``pytest_plugins`` there)::

    pytest_plugins = ["oneminai_webapi.testing.pytest_plugin"]

or for one run: ``pytest -p oneminai_webapi.testing.pytest_plugin``.

Fixtures:
    onemin_emulator: async, function-scoped; a started :class:`Emulator` in the test's loop.
    onemin_emulator_thread: sync; an :class:`Emulator` running in a daemon thread.

Both accept options through the marker ``@pytest.mark.onemin_emulator(**config)``, e.g.
``@pytest.mark.onemin_emulator(rate_limit=True, api_key="k")``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._server import Emulator

try:  # pytest-asyncio is optional for users of the plain thread fixture
    import pytest_asyncio

    _async_fixture: Any = pytest_asyncio.fixture
except ImportError:  # pragma: no cover
    _async_fixture = pytest.fixture


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``onemin_emulator`` marker."""
    config.addinivalue_line(
        "markers", "onemin_emulator(**options): options for the onemin_emulator fixtures"
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("onemin_emulator")
    return dict(marker.kwargs) if marker is not None else {}


@_async_fixture  # type: ignore[untyped-decorator,unused-ignore]
async def onemin_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """A started emulator in the current event loop (``emu.base_url``, ``emu.api_key``)."""
    from ._server import Emulator

    async with Emulator(**_options(request)) as emu:
        yield emu


@pytest.fixture
def onemin_emulator_thread(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """An emulator serving from its own loop in a daemon thread (for synchronous clients)."""
    from ._server import Emulator

    with Emulator(**_options(request)) as emu:
        yield emu
