"""File arguments: URLs and asset keys pass; local paths only inside allowed folders.

The allowed folders are the MCP roots the client declares (asked only when a local path
comes up) and the configured allow-list. The check itself is the one every adapter uses:
:func:`oneminai_webapi.integrations.check_file_reference`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import anyio
from mcp import types
from oneminai_webapi.exceptions import LocalFileRefusedError
from oneminai_webapi.integrations import ToolSpec, check_file_reference

from ._config import ServerConfig

logger = logging.getLogger("oneminai_mcp")

#: Seconds to wait for the client's answer to ``roots/list``.
ROOTS_TIMEOUT_S = 10.0


def root_path(uri: str) -> Path | None:
    """The folder of a ``file://`` root URI (``None`` for other schemes)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = url2pathname(parts.path)
    if parts.netloc and parts.netloc != "localhost":
        path = f"//{parts.netloc}{path}"  # a UNC share
    return Path(path)


async def client_roots(session: Any) -> list[Path]:
    """The folders of the roots the client declares (none if it declares no roots)."""
    wanted = types.ClientCapabilities(roots=types.RootsCapability())
    if not session.check_client_capability(wanted):
        return []
    try:
        with anyio.fail_after(ROOTS_TIMEOUT_S):
            listed = await session.list_roots()
    except Exception as exc:  # a client that fails to answer must not break the call
        logger.warning("could not read the client's roots: %s", type(exc).__name__)
        return []
    return [p for p in (root_path(str(r.uri)) for r in listed.roots) if p is not None]


async def check_files(
    spec: ToolSpec, kwargs: dict[str, Any], config: ServerConfig, session: Any
) -> None:
    """Check (and resolve) each file argument of ``kwargs`` in place.

    Raises:
        LocalFileRefusedError: a local path outside every allowed folder.
    """
    roots: list[Path] | None = None
    for name in spec.file_params:
        value = kwargs.get(name)
        if value is None:
            continue
        try:
            kwargs[name] = check_file_reference(
                value, allow_local_files=False, allowed_roots=config.allowed_dirs
            )
            continue
        except LocalFileRefusedError:
            if not config.use_client_roots:
                raise
        if roots is None:
            roots = await client_roots(session)
        kwargs[name] = check_file_reference(
            value, allow_local_files=False, allowed_roots=[*config.allowed_dirs, *roots]
        )
