"""Parsing the command line and running a command with one error policy."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from ._errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, describe, error_object

if TYPE_CHECKING:
    from ._app import App

_EPILOG = """environment: ONEMINAI_API_KEY (the key), ONEMINAI_BASE_URL (another API origin, e.g.
an emulator). Flags override them.

exit codes: 0 ok · 1 the service or the job failed · 2 bad arguments or input (nothing sent)
· 3 no key or key refused · 4 not enough credits · 5 rate limited · 6 network error or
timeout · 130 interrupted. With --json, a failure also prints {"error": {...}, "exit_code": n}
on stdout."""


class _Parser(argparse.ArgumentParser):
    """Reports bad syntax as :class:`UsageError` (``main`` prints it, as JSON with --json)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog, self.format_usage())


def _add_global_options(p: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options every command takes, before or after its name.

    The copies on the commands default to "not given" so that ``oneminai --json chat`` and
    ``oneminai chat --json`` both work.
    """
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    flag: dict[str, Any] = {"action": "store_true", **default}
    p.add_argument(
        "--api-key", metavar="KEY", help="API key (default $ONEMINAI_API_KEY)", **default
    )
    p.add_argument(
        "--base-url", metavar="URL", help="API origin (default $ONEMINAI_BASE_URL)", **default
    )
    p.add_argument("--json", help="print results as JSON (no progress)", **flag)
    p.add_argument("-q", "--quiet", help="no progress on stderr", **flag)
    p.add_argument("-v", "--verbose", help="also print the credits each call used (stderr)", **flag)
    p.add_argument("--debug", help="log requests and show tracebacks", **flag)


def _build() -> tuple[argparse.ArgumentParser, Any]:
    """The parser and its command table (for errors reported by a command's parser)."""
    from .. import __version__
    from ._media_commands import add_commands

    top = _Parser(
        prog="oneminai",
        description="Use 1min.AI from the terminal: chat, images, speech, video, music.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(top, suppress=False)
    common = _Parser(add_help=False)
    _add_global_options(common, suppress=True)
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "chat",
        parents=[common],
        help="ask a question (streamed), or chat interactively",
        description="Ask one question and stream the answer; with no prompt on a terminal "
        "(or -i), chat interactively with the history kept in a server conversation.",
    )
    p.add_argument("prompt", nargs="*", help="the message ('-' or piped input reads stdin)")
    p.add_argument("-m", "--model", help="model id (default gpt-4o-mini)")
    p.add_argument("-i", "--interactive", action="store_true", help="multi-turn chat")
    p.add_argument("--web-search", action="store_true", help="search the web before answering")
    p.add_argument("--image", action="append", metavar="PATH", help="attach an image (repeatable)")
    p.add_argument("--file", action="append", metavar="PATH", help="attach a document (repeatable)")
    p.add_argument("--conversation", metavar="ID", help="continue a server conversation")
    p.add_argument("--no-stream", action="store_true", help="print the answer when complete")
    p.set_defaults(handler="chat")

    add_commands(sub, common)

    p = sub.add_parser("models", parents=[common], help="list the model catalog")
    p.add_argument(
        "--feature",
        help="only models of a feature: chat, image, edit, tts, stt, video, music, or a "
        "feature type such as IMAGE_UPSCALER",
    )
    p.add_argument("--search", metavar="TEXT", help="only ids or names containing TEXT")
    p.set_defaults(handler="models")

    p = sub.add_parser("credits", parents=[common], help="show the team's credit balance")
    p.set_defaults(handler="credits")

    p = sub.add_parser("conversations", parents=[common], help="list, show or delete conversations")
    p.add_argument("action", nargs="?", choices=["list", "show", "delete"], help="default: list")
    p.add_argument("conversation_id", nargs="?", metavar="ID")
    p.set_defaults(handler="conversations")

    sub.add_parser(
        "emulator",
        help="serve the local 1min.AI emulator (oneminai emulator --help)",
        add_help=False,
    )
    return top, sub


def _show_retries(app: App) -> Callable[[], None]:
    """Route the client's retry records to the progress line; returns the undo."""
    import logging

    from ._progress import RetryNotices

    logger = logging.getLogger("oneminai_webapi")
    saved = (logger.level, logger.propagate)
    handler = RetryNotices(app.progress)
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.propagate = False  # the records are for the progress line only

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]

    return restore


def _serve_emulator(argv: list[str], err: TextIO) -> int:
    from ..testing.__main__ import main as serve

    try:
        return serve(argv, prog="oneminai emulator")
    except Exception as exc:  # e.g. the port is taken
        code, message = describe(exc)
        err.write(f"error: {message}\n")
        return code


def _handler(name: str) -> Callable[[App], int]:
    if name == "chat":
        from ._chat import run

        return run
    from ._catalog import HANDLERS as catalog
    from ._run import HANDLERS as media

    return {**catalog, **media}[name]


def _wants_json(argv: Sequence[str]) -> bool:
    """``--json`` among the options (not after ``--``, where it would be a prompt word)."""
    end = argv.index("--") if "--" in argv else len(argv)
    return "--json" in argv[:end]


def _emit_json(out: TextIO, data: dict[str, Any]) -> None:
    """A failure as one JSON object on stdout (``--json``): scripts read stdout only."""
    import json

    try:
        out.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        out.flush()
    except (BrokenPipeError, ValueError):  # stdout gone: the exit code still tells
        pass


def _command_position(argv: Sequence[str]) -> int | None:
    """Where the command name is (skipping global options and their values)."""
    takes_value = {"--api-key", "--base-url"}
    i = 0
    while i < len(argv):
        token = argv[i]
        if not token.startswith("-"):
            return i
        i += 2 if token in takes_value else 1
    return None


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run ``oneminai`` with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    position = _command_position(argv)
    if position is not None and argv[position] == "emulator":  # its own parser
        return _serve_emulator(argv[position + 1 :], stderr or sys.stderr)
    parser, commands = _build()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown and args.command == "chat" and not any(u.startswith("-") for u in unknown):
            args.prompt += unknown  # `chat hello -m gpt-4o world`: the words around an option
        elif unknown:  # reported by the command's own parser, with its usage line
            commands.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    except UsageError as exc:
        (stderr or sys.stderr).write(f"{exc.usage}{exc.prog}: error: {exc}\n")  # as argparse
        if _wants_json(argv):
            _emit_json(stdout or sys.stdout, error_object(exc, EXIT_USAGE, str(exc)))
        return EXIT_USAGE
    from ._app import App

    if stdout is None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # a narrow terminal encoding
    app = App(args, stdout, stderr, stdin)
    if args.debug:
        from .._logging import set_log_level

        set_log_level("DEBUG")
    restore = _show_retries(app) if app.progress.enabled and not args.debug else None
    try:
        return _handler(args.handler)(app)
    except KeyboardInterrupt as exc:
        app.progress.clear()
        app.err.write("interrupted\n")
        if app.pending_job:  # the job goes on (and costs credits): say how to get it
            app.err.write(f"the job continues; get it with: oneminai result {app.pending_job}\n")
        if app.json and not app.emitted:
            failure = error_object(exc, EXIT_INTERRUPTED, "interrupted")
            if app.pending_job:
                failure["error"]["record_id"] = app.pending_job
            _emit_json(app.out, failure)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `oneminai models | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        app.progress.clear()
        if args.debug:
            import traceback

            traceback.print_exception(exc, file=app.err)
        code, message = describe(exc)
        app.err.write(f"error: {message}\n")
        if app.json and not app.emitted:  # else the result on stdout says what failed
            _emit_json(app.out, error_object(exc, code, message))
        return code
    finally:
        app.close()
        if restore is not None:
            restore()
