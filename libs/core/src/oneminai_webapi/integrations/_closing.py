"""``with``/``async with`` support for adapter objects that own clients."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["Closeable"]

_C = TypeVar("_C", bound="Closeable")


class Closeable:
    """Mixin: ``with`` calls :meth:`close` on exit, ``async with`` awaits :meth:`aclose`.

    The class using it defines both methods (they close what the object created and never
    what it was given).

    Example:
        >>> class Tools(Closeable):
        ...     def close(self) -> None:
        ...         print("closed")
        >>> with Tools() as tools:
        ...     pass
        closed
    """

    def close(self) -> None:
        """Release the resources this object created."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release the resources this object created, from inside the running event loop."""
        raise NotImplementedError

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
