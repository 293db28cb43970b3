"""Streamable HTTP transport: one endpoint (``/mcp``) served by uvicorn.

The server binds 127.0.0.1 by default and then refuses requests whose ``Host`` or
``Origin`` is not local (DNS-rebinding protection): a web page the user visits cannot
drive it. It has no authentication of its own: bind another interface only behind
something that authenticates.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

if TYPE_CHECKING:
    from ._server import OneMinAIMCPServer

logger = logging.getLogger("oneminai_mcp")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _security(host: str) -> TransportSecuritySettings | None:
    if host not in LOOPBACK_HOSTS:
        return None
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _url(host: str, sock: socket.socket, path: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


async def serve_http(
    server: OneMinAIMCPServer,
    host: str,
    port: int,
    path: str = "/mcp",
    *,
    stateless: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``server`` over streamable HTTP until the process is told to stop.

    Args:
        server: The MCP server.
        host: Interface to bind (default in the CLI: 127.0.0.1).
        port: Port (0: any free port; the URL is passed to ``on_ready``).
        path: The endpoint's path.
        stateless: A fresh session per request (no server-to-client requests, so no
            client roots).
        on_ready: Called with the endpoint URL once the socket listens (default: print
            it to stderr).
    """
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Route

    manager = StreamableHTTPSessionManager(
        app=server.server, stateless=stateless, security_settings=_security(host)
    )

    class Endpoint:
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            await manager.handle_request(scope, receive, send)

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        async with manager.run():
            yield

    app = Starlette(routes=[Route(path, endpoint=Endpoint())], lifespan=lifespan)
    if host not in LOOPBACK_HOSTS:
        logger.warning(
            "listening on %s without authentication: anyone who reaches it can spend this "
            "key's credits",
            host,
        )
    sock = _bind(host, port)
    url = _url(host, sock, path)
    if on_ready is not None:
        on_ready(url)
    else:
        print(f"oneminai-mcp: streamable HTTP at {url}", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
    with sock:
        await uvicorn.Server(config).serve(sockets=[sock])
