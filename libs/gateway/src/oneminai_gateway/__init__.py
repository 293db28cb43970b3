"""oneminai_gateway — 1min.AI behind OpenAI's HTTP API.

Run ``oneminai-gateway --config gateway.toml`` and point any OpenAI client at
``http://127.0.0.1:8080/v1``. In code, :func:`create_app` builds the aiohttp application.
"""

from ._app import create_app
from ._config import ConfigError, GatewayConfig, KeyConfig, ServerConfig, UpstreamConfig
from ._server import GatewayServer

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "GatewayConfig",
    "GatewayServer",
    "KeyConfig",
    "ServerConfig",
    "UpstreamConfig",
    "__version__",
    "create_app",
]
