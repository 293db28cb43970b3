"""Run the same code against the real service or, without a key, the emulator."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from ._server import Emulator
from ._state import ScriptItem


@dataclass(frozen=True)
class Target:
    """Where to send requests: the real service, or an emulator started for you.

    Attributes:
        api_key: The key to pass to a client.
        base_url: The base URL to pass to a client (``None``: the client's default).
        emulator: The running emulator, or ``None`` against the real service.
    """

    api_key: str
    base_url: str | None
    emulator: Emulator | None

    @property
    def is_live(self) -> bool:
        """True when a real key is used (the service, or the ``ONEMINAI_BASE_URL`` given)."""
        return self.emulator is None

    @property
    def description(self) -> str:
        """Where requests really go, for people to read.

        ``"the local emulator at http://127.0.0.1:PORT"``, ``"the API at URL
        (ONEMINAI_BASE_URL)"`` when the key is sent to another base URL (a proxy, a relay, an
        emulator you started), or ``"the 1min.AI service at https://api.1min.ai"``.
        """
        if self.emulator is not None:
            return f"the local emulator at {self.emulator.base_url}"
        base = (self.base_url or DEFAULT_BASE_URL).rstrip("/")
        if base != DEFAULT_BASE_URL:
            return f"the API at {base} ({BASE_URL_ENV})"
        return f"the 1min.AI service at {DEFAULT_BASE_URL}"

    def __str__(self) -> str:
        return self.description

    def script_replies(self, replies: Iterable[ScriptItem]) -> None:
        """Tell the emulator what a model would answer next; ignored against the service.

        The emulator echoes prompts instead of thinking, so examples and tests that need a
        particular answer (a tool call, a fact) script it; the real service answers itself.
        """
        if self.emulator is not None:
            self.emulator.script_replies(replies)

    def __repr__(self) -> str:  # never show the key
        where = "live" if self.emulator is None else "emulator"
        return f"Target({where}, base_url={self.base_url!r})"


@contextmanager
def live_or_emulator(*, emulator_key: str = "emulator-key") -> Iterator[Target]:
    """Yield the real service when ``ONEMINAI_API_KEY`` is set, else a running emulator.

    The emulator runs in a background thread until the block ends.

    Example::

        with live_or_emulator() as target:
            client = SyncOneMinAIClient(target.api_key, base_url=target.base_url)
            print(client.generate_content("Hello!"))

    Args:
        emulator_key: The key the emulator accepts (when no real key is set).
    """
    key = os.environ.get(API_KEY_ENV, "")
    if key:
        yield Target(key, os.environ.get(BASE_URL_ENV) or None, None)
        return
    with Emulator(api_key=emulator_key) as emulator:
        yield Target(emulator_key, emulator.base_url, emulator)
