"""Run the gateway in a background thread: for tests, demos and embedding in a program."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any

from aiohttp import web

from ._app import create_app
from ._config import GatewayConfig
from ._state import GATEWAY

__all__ = ["GatewayServer"]


class GatewayServer:
    """The gateway on its own event loop in a daemon thread.

    Example:
        .. code-block:: python

            with GatewayServer(config) as gateway:
                client = openai.OpenAI(base_url=gateway.base_url + "/v1", api_key="sk-gw-…")

    Args:
        config: The configuration (``server.host``/``server.port``; port 0 picks a free one).
        **app_options: Passed to :func:`~oneminai_gateway.create_app`.
    """

    def __init__(self, config: GatewayConfig, **app_options: Any) -> None:
        self.config = config
        self._app_options = app_options
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = config.server.port

    @property
    def base_url(self) -> str:
        """``http://host:port`` (append ``/v1`` for OpenAI clients)."""
        return f"http://{self.config.server.host}:{self.port}"

    @property
    def app(self) -> web.Application:
        """The running application."""
        assert self._runner is not None, "the gateway is not running"
        return self._runner.app

    def flush_ledger(self) -> None:
        """Wait until every call so far is written to the ledger."""
        self.app[GATEWAY].ledger.flush()

    async def _start(self) -> None:
        app = create_app(self.config, **self._app_options)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.config.server.host, self.port, backlog=4096)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    def start(self, timeout: float = 10.0) -> GatewayServer:
        """Start serving; returns ``self``.

        Raises:
            RuntimeError: If the gateway did not start within ``timeout`` seconds.
        """
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="oneminai-gateway", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or failure:
            raise RuntimeError(f"the gateway did not start: {failure[0] if failure else 'timeout'}")
        return self

    def stop(self) -> None:
        """Stop serving and close the upstream clients and the ledger (idempotent)."""
        loop, thread, runner = self._loop, self._thread, self._runner
        if loop is None or thread is None:
            return
        if runner is not None:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = self._runner = None

    def __enter__(self) -> GatewayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
