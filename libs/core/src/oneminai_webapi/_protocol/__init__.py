"""Sans-IO protocol code: request building, response parsing, decoders, retry decisions.

Nothing in this package performs I/O or imports a transport library.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any


class LazyModule:
    """A stand-in for a module that is imported on first attribute access.

    The client classes use the operations of rarely needed protocol modules (account,
    conversations, assets) only inside method bodies; importing them on first use keeps
    them (and their compile/exec time) off ``import oneminai_webapi``.
    """

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
