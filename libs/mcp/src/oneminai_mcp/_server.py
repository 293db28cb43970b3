"""The MCP server: the shared tool specs, served through the core async client."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mcp import types
from mcp.server.lowlevel import NotificationOptions, Server
from oneminai_webapi.exceptions import JobTimeoutError, OneMinAIError
from oneminai_webapi.integrations import ClientFactory, ToolSpec

from . import __version__
from ._config import ServerConfig
from ._content import call_result, error_result, pending_result
from ._files import check_files
from ._jobs import with_progress

if TYPE_CHECKING:
    from oneminai_webapi import OneMinAIClient

__all__ = ["OneMinAIMCPServer"]

logger = logging.getLogger("oneminai_mcp")

INSTRUCTIONS = (
    "Tools of 1min.AI: generate and edit images, speak text, transcribe audio, make videos "
    "and music, writing tools, and `oneminai_ask` to chat with many models (optionally "
    "searching the web, with sources). File inputs take http(s) URLs or 1min.AI asset keys. "
    "Video and music take minutes: when a job is still running, its tool returns a job id "
    "for `oneminai_job_result`."
)


class OneMinAIMCPServer:
    """1min.AI's tools as an MCP server.

    Each tool is a :class:`~oneminai_webapi.integrations.ToolSpec`: the same names,
    descriptions and JSON schemas as the LangChain and LlamaIndex tools. Calls go through
    one core async client (created on first use); errors come back as tool errors.

    Args:
        config: The settings (default: :meth:`ServerConfig.from_env`).
        client: A ready async client to use (never closed here).

    Example:
        .. code-block:: python

            server = OneMinAIMCPServer(ServerConfig.from_env(tools=("media",)))
            await server.run_stdio()
    """

    def __init__(
        self, config: ServerConfig | None = None, *, client: OneMinAIClient | None = None
    ) -> None:
        self.config = config if config is not None else ServerConfig.from_env()
        self.specs: Mapping[str, ToolSpec] = {s.name: s for s in self.config.selected_tools()}
        self._clients = ClientFactory(self.config.client_settings(), async_client=client)
        self._secrets = self.config.secrets()
        self.server: Server[Any, Any] = Server(
            "oneminai", version=__version__, instructions=INSTRUCTIONS
        )
        self.server.list_tools()(self._list_tools)  # type: ignore[no-untyped-call]
        # Arguments are validated by the tool's own model (its messages name the argument).
        self.server.call_tool(validate_input=False)(self._call_tool)

    def __repr__(self) -> str:
        return f"OneMinAIMCPServer(tools={len(self.specs)}, config={self.config!r})"

    def initialization_options(self) -> Any:
        """What the server tells a client at ``initialize``."""
        return self.server.create_initialization_options(NotificationOptions())

    async def aclose(self) -> None:
        """Close the core client this server created."""
        await self._clients.aclose()

    # ── handlers ─────────────────────────────────────────────────────────────────────

    async def _list_tools(self) -> list[types.Tool]:
        return [
            types.Tool(
                name=spec.name,
                description=spec.description,
                inputSchema=spec.input_schema(),
                annotations=types.ToolAnnotations(
                    readOnlyHint=spec.read_only, destructiveHint=False, openWorldHint=True
                ),
            )
            for spec in self.specs.values()
        ]

    async def _call_tool(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        spec = self.specs.get(name)
        if spec is None:
            return error_result(f"Unknown tool {name!r}.")
        started = time.monotonic()
        try:
            result = await self._run(spec, arguments)
        except JobTimeoutError as exc:
            logger.info("%s: job %s still running, id returned", name, exc.record_id)
            return pending_result(name, str(exc.record_id), exc.record_status)
        except OneMinAIError as exc:
            message = self._redact(str(exc) or type(exc).__name__)
            logger.info("%s failed: %s: %s", name, type(exc).__name__, message)
            return error_result(message)
        except Exception as exc:  # never crash the server; the message may be unsafe
            logger.error("%s failed unexpectedly: %s", name, type(exc).__name__)
            return error_result(f"{name} failed: internal error ({type(exc).__name__}).")
        logger.info("%s done in %.1f s", name, time.monotonic() - started)
        return result

    async def _run(self, spec: ToolSpec, arguments: dict[str, Any]) -> types.CallToolResult:
        context = self.server.request_context
        kwargs = spec.client_kwargs(arguments)
        if spec.file_params:
            await check_files(spec, kwargs, self.config, context.session)
        client = await self._clients.async_()
        model = self.config.model_for(spec)
        if spec.long_running:
            options: dict[str, Any] = {"poll_timeout": self.config.job_timeout}
            if self.config.poll_interval is not None:
                options["poll_interval"] = self.config.poll_interval

            async def call(on_progress: Any) -> Any:
                return await spec.call(
                    client, kwargs, model=model, on_progress=on_progress, **options
                )

            output = await with_progress(context, call)
        else:
            output = await spec.call(client, kwargs, model=model)
        result = await call_result(spec.format(output), self.config)
        return self._redacted(result)

    # ── secrets ──────────────────────────────────────────────────────────────────────

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def _redacted(self, result: types.CallToolResult) -> types.CallToolResult:
        """``result`` itself, or a copy without any secret (defence in depth)."""
        dumped = result.model_dump_json(by_alias=True)
        if not any(secret in dumped for secret in self._secrets):
            return result
        logger.error("a result contained a secret; it was redacted")
        return types.CallToolResult.model_validate_json(self._redact(dumped))

    # ── transports ───────────────────────────────────────────────────────────────────

    async def run_stdio(self) -> None:
        """Serve one client over stdin/stdout until it closes the stream."""
        from mcp.server.stdio import stdio_server

        try:
            async with stdio_server() as (read, write):
                await self.server.run(read, write, self.initialization_options())
        finally:
            await self.aclose()

    async def run_http(
        self, host: str = "127.0.0.1", port: int = 8000, path: str = "/mcp", **options: Any
    ) -> None:
        """Serve streamable HTTP at ``http://host:port/path`` (see :func:`serve_http`)."""
        from ._http import serve_http

        try:
            await serve_http(self, host, port, path, **options)
        finally:
            await self.aclose()
