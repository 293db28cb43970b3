"""oneminai-mcp: 1min.AI's media, writing and chat tools over the Model Context Protocol.

Run ``oneminai-mcp`` (stdio) or ``oneminai-mcp --http`` (streamable HTTP on
127.0.0.1:8000/mcp). In Python::

    import anyio
    from oneminai_mcp import OneMinAIMCPServer, ServerConfig

    server = OneMinAIMCPServer(ServerConfig.from_env(tools=("media", "ask")))
    anyio.run(server.run_stdio)
"""

__version__ = "0.1.0"

from ._cli import main
from ._config import ServerConfig
from ._server import OneMinAIMCPServer

__all__ = ["OneMinAIMCPServer", "ServerConfig", "__version__", "main"]
