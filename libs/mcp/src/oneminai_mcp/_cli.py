"""``oneminai-mcp``: run the server over stdio (the default) or streamable HTTP."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ._config import ALLOWED_DIRS_ENV, ServerConfig, parse_pairs

__all__ = ["main"]

_DESCRIPTION = f"""\
Serve 1min.AI's tools (images, speech, transcription, video, music, writing, chat) over
the Model Context Protocol. The API key comes from ONEMINAI_API_KEY (never from the
command line); ONEMINAI_BASE_URL changes the API root; {ALLOWED_DIRS_ENV} lists folders
(separated by the platform's path separator) whose files tools may upload."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="oneminai-mcp", description=_DESCRIPTION)
    t = p.add_argument_group("transport")
    t.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    t.add_argument("--host", default="127.0.0.1", help="HTTP interface (default 127.0.0.1)")
    t.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000; 0 = any)")
    t.add_argument("--path", default="/mcp", help="HTTP endpoint path (default /mcp)")
    t.add_argument("--stateless", action="store_true", help="HTTP without sessions")
    s = p.add_argument_group("tools")
    s.add_argument(
        "--tools",
        help="comma-separated tools, short names or groups (media, writing, chat, account)",
    )
    s.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="TOOL=MODEL",
        help="model of a tool, e.g. image_generation=dall-e-3 or ask=gpt-4o (repeatable)",
    )
    s.add_argument("--list-tools", action="store_true", help="print the tools and exit")
    f = p.add_argument_group("files and results")
    f.add_argument(
        "--allow-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder whose files tools may upload (repeatable; the client's roots count too)",
    )
    f.add_argument(
        "--no-client-roots", action="store_true", help="ignore the roots the client declares"
    )
    f.add_argument(
        "--max-image-bytes",
        type=int,
        help="inline images up to this size, link larger ones (default 2 MiB; 0 = links only)",
    )
    f.add_argument("--inline-audio", action="store_true", help="return audio inline, not linked")
    f.add_argument("--max-audio-bytes", type=int, help="size limit of inline audio (2 MiB)")
    j = p.add_argument_group("jobs and connection")
    j.add_argument(
        "--job-timeout",
        type=float,
        help="seconds a video/music tool waits before returning the job id (default 300)",
    )
    j.add_argument("--poll-interval", type=float, help="first wait between job polls (2 s)")
    j.add_argument("--timeout", type=float, help="seconds per HTTP request to 1min.AI (60)")
    j.add_argument("--max-retries", type=int, help="retries of failed requests (default 2)")
    j.add_argument("--base-url", help="API root (default ONEMINAI_BASE_URL or the public API)")
    p.add_argument("--log-level", default="INFO", help="log level on stderr (default INFO)")
    return p


def _config(args: argparse.Namespace) -> ServerConfig:
    tools = tuple(t.strip() for t in args.tools.split(",") if t.strip()) if args.tools else None
    overrides: dict[str, object] = {
        "tools": tools,
        "models": parse_pairs(args.model, "--model"),
        "max_image_bytes": args.max_image_bytes,
        "inline_audio": args.inline_audio or None,
        "max_audio_bytes": args.max_audio_bytes,
        "job_timeout": args.job_timeout,
        "poll_interval": args.poll_interval,
        "timeout": args.timeout,
        "max_retries": args.max_retries,
        "base_url": args.base_url,
        "use_client_roots": False if args.no_client_roots else None,
    }
    config = ServerConfig.from_env(**overrides)
    if args.allow_dir:
        from dataclasses import replace

        config = replace(config, allowed_dirs=(*config.allowed_dirs, *args.allow_dir))
    return config


def _logging(level: str, secrets: Sequence[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)  # stdout carries the protocol over stdio
    handler.setFormatter(logging.Formatter("oneminai-mcp %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Redactor(secrets))
    handler.addFilter(_quiet_closed_streams)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("oneminai_mcp", "oneminai_webapi"):
        logging.getLogger(name).setLevel(level.upper())


def _quiet_closed_streams(record: logging.LogRecord) -> bool:
    """Drop the SDK's traceback for a client that ended its HTTP session (not an error).

    ``mcp.server.streamable_http`` logs "Error in standalone SSE writer" with an
    ``anyio.ClosedResourceError`` whenever a client closes its session.
    """
    if record.name.startswith("mcp.server.streamable_http") and record.exc_info:
        import anyio

        return not isinstance(record.exc_info[1], anyio.ClosedResourceError)
    return True


class _Redactor(logging.Filter):
    """Replaces secrets in every record that reaches the handler (defence in depth)."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            for secret in self._secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``oneminai-mcp``."""
    args = _parser().parse_args(argv)
    try:
        config = _config(args)
    except ValueError as exc:
        print(f"oneminai-mcp: error: {exc}", file=sys.stderr)
        return 2
    if args.list_tools:
        for spec in config.selected_tools():
            print(f"{spec.name:36} {spec.group:8} {spec.description.split('. ')[0]}")
        return 0
    _logging(args.log_level, config.secrets())
    import anyio

    from ._server import OneMinAIMCPServer

    server = OneMinAIMCPServer(config)
    try:
        if args.http:
            anyio.run(
                lambda: server.run_http(args.host, args.port, args.path, stateless=args.stateless)
            )
        else:
            anyio.run(server.run_stdio)
    except KeyboardInterrupt:
        return 130
    return 0
