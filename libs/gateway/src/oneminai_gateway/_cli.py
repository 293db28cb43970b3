"""``oneminai-gateway``: serve the gateway, or print the usage ledger's totals.

oneminai-gateway [--host H] [--port P] [--config FILE]
oneminai-gateway usage [--config FILE | --ledger FILE]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ._config import ConfigError, GatewayConfig

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oneminai-gateway",
        description="An OpenAI-compatible HTTP gateway in front of 1min.AI.",
    )
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8080)")
    parser.add_argument("--config", help="configuration file (TOML or JSON)")
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    sub = parser.add_subparsers(dest="command")
    usage = sub.add_parser("usage", help="print credits and tokens per key and model")
    usage.add_argument("--config", dest="usage_config", help="configuration file")
    usage.add_argument("--ledger", help="ledger file (default: the configuration's)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        config = GatewayConfig.load(getattr(args, "usage_config", None) or args.config)
    except ConfigError as exc:
        print(f"oneminai-gateway: {exc}", file=sys.stderr)
        return 2
    if args.command == "usage":
        return _usage(args.ledger or config.server.ledger)
    return _serve(config, args)


def _serve(config: GatewayConfig, args: argparse.Namespace) -> int:
    from aiohttp import web

    from ._app import create_app

    if not config.keys and not config.pass_through:
        print(
            "oneminai-gateway: no gateway keys configured: add [[keys]] to the configuration "
            "file, or set pass_through = true (see docs/gateway.md)",
            file=sys.stderr,
        )
        return 2
    if not config.pass_through and not config.upstream.resolved_key():
        print(
            f"oneminai-gateway: no 1min.AI key: set {config.upstream.api_key_env}",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(message)s")
    host = args.host or config.server.host
    port = args.port if args.port is not None else config.server.port
    web.run_app(
        create_app(config),
        host=host,
        port=port,
        handler_cancellation=True,  # a client that disconnects cancels its upstream call
        access_log=None,
        print=lambda _: print(f"oneminai-gateway: serving http://{host}:{port}/v1", flush=True),
    )
    return 0


def _usage(ledger: str) -> int:
    from ._ledger import totals

    if not Path(ledger).is_file():
        print(f"oneminai-gateway: no ledger at {ledger}", file=sys.stderr)
        return 1
    rows = list(totals(ledger))
    header = ("key", "model", "calls", "failed", "credits", "prompt tok", "completion tok")
    table = [header] + [
        (r.key, r.model or "-", str(r.calls), str(r.failed), f"{r.credits:g}",
         str(r.prompt_tokens), str(r.completion_tokens))
        for r in rows
    ]  # fmt: skip
    per_key: dict[str, list[float]] = {}
    for r in rows:
        entry = per_key.setdefault(r.key, [0, 0.0])
        entry[0] += r.calls
        entry[1] += r.credits
    table += [
        (key, "(all)", str(int(calls)), "", f"{credits:g}", "", "")
        for key, (calls, credits) in sorted(per_key.items())
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0
