"""The media commands, the generic ``feature`` command and ``result``, from the registry.

The media commands are ``image``, ``edit``, ``tts``, ``stt``, ``video`` and ``music``.

A command is a row of :data:`COMMANDS`: which client method it calls and how its
command-line arguments map onto that method's keywords. Summaries, default models and the
asset type of each file input come from the registry (``_registry.METHODS`` /
``FEATURES``), so they cannot drift from the client.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._errors import CLIError

if TYPE_CHECKING:
    from ._app import App


def _size(text: str) -> dict[str, int]:
    """``1024x768`` → ``{"width": 1024, "height": 768}``."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1024x1024, got {text!r}")
    return {"width": int(width), "height": int(height)}


@dataclass(frozen=True)
class Arg:
    """One command-line argument and the client keyword it fills.

    Attributes:
        flags: ``("prompt",)`` for a positional, ``("-n", "--num-images")`` for an option.
        dest: The client keyword (the registry's parameter name).
        help: Help text.
        text: A text argument: ``-`` reads stdin.
        spread: The parsed value is a dict of several keywords (``--size``).
        options: Further :meth:`argparse.ArgumentParser.add_argument` settings.
    """

    flags: tuple[str, ...]
    dest: str
    help: str
    text: bool = False
    spread: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    """A media command.

    Attributes:
        name: The command name.
        method: The client (and registry) method it calls.
        args: Its arguments.
        switch: ``(dest, method)``: call ``method`` instead when ``dest`` is given
            (``video --image`` animates an image).
    """

    name: str
    method: str
    args: tuple[Arg, ...]
    switch: tuple[str, str] | None = None


def _prompt(what: str = "prompt") -> Arg:
    return Arg((what,), what, f"the {what} ('-' reads stdin)", text=True)


_LANGUAGE = Arg(("--language",), "language", "language code, e.g. en")

COMMANDS: tuple[Command, ...] = (
    Command("image", "generate_image", (
        _prompt(),
        Arg(("-n", "--num-images"), "num_images", "how many images", options={"type": int}),
        Arg(("--size",), "size", "WIDTHxHEIGHT (default 1024x1024)", spread=True,
            options={"type": _size}),
        Arg(("--negative",), "negative_prompt", "what to avoid"),
        Arg(("--quality",), "quality", "quality level, e.g. low/medium/high"),
        Arg(("--style",), "style", "style, e.g. vivid/natural"),
        Arg(("--format",), "output_format", "png, jpeg, webp…"),
    )),
    Command("edit", "edit_image", (
        Arg(("image",), "image_url", "the image: a local file, a URL or an asset key"),
        _prompt("prompt"),
    )),
    Command("tts", "text_to_speech", (
        _prompt("text"),
        Arg(("--voice",), "voice", "a voice of the model (default alloy)"),
        Arg(("--speed",), "speed", "speaking rate (default 1.0)", options={"type": float}),
        Arg(("--format",), "response_format", "mp3 (default), opus, aac, flac, wav…"),
        _LANGUAGE,
    )),
    Command("stt", "speech_to_text", (
        Arg(("audio",), "audio_url", "the recording: a local file, a URL or an asset key"),
        _LANGUAGE,
    )),
    Command("video", "generate_video", (
        _prompt(),
        Arg(("--image",), "image_url", "animate this image (file, URL or asset key)"),
        Arg(("--duration",), "duration", "seconds (default 5)", options={"type": int}),
        Arg(("--aspect-ratio",), "aspect_ratio", "e.g. 16:9 (default), 9:16, 1:1"),
    ), switch=("image_url", "image_to_video")),
    Command("music", "generate_music", (
        _prompt(),
        Arg(("--duration",), "duration", "seconds (models that take one)",
            options={"type": float}),
        Arg(("--instrumental",), "instrumental", "no vocals",
            options={"action": "store_true", "default": None}),
    )),
)  # fmt: skip


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the media commands, ``feature`` and ``result`` to the ``oneminai`` parser."""
    from .. import _registry as registry

    for command in COMMANDS:
        method = registry.METHODS[command.method]
        default = registry.FEATURES[method.feature_types()[0]].default_model
        p = sub.add_parser(
            command.name,
            parents=[common],
            help=method.summary,
            description=f"{method.summary} Default model: {default}.",
        )
        for arg in command.args:
            options = {"default": None, **arg.options}
            if arg.flags[0].startswith("-"):
                options.setdefault("metavar", arg.flags[-1].lstrip("-").upper().replace("-", "_"))
                if options.get("action") == "store_true":
                    del options["metavar"]
                p.add_argument(*arg.flags, dest=arg.dest, help=arg.help, **options)
            else:
                p.add_argument(arg.dest, metavar=arg.flags[0], help=arg.help, **options)
        _add_output_options(p, default, long_running=_is_long_running(command))
        p.set_defaults(handler="media", command_row=command)

    p = sub.add_parser(
        "feature",
        parents=[common],
        help="run any media or writing feature by its client method name",
        description="Run any feature of the client: oneminai feature METHOD name=value …  "
        "Values are read as JSON when they parse (numbers, true, lists), else as text. "
        "File inputs may be local files (uploaded first).",
    )
    p.add_argument("method", nargs="?", help="a client method, e.g. remove_background")
    p.add_argument("values", nargs="*", metavar="NAME=VALUE", help="its arguments")
    p.add_argument("--list", action="store_true", help="list the methods and their arguments")
    _add_output_options(p, None, long_running=True)
    p.set_defaults(handler="feature")

    p = sub.add_parser(
        "result",
        parents=[common],
        help="wait for a job started with --no-wait and save its result",
    )
    p.add_argument("record_id", help="the record id printed by --no-wait")
    p.add_argument("--out", default=".", help="folder for the files (default: .)")
    p.add_argument("--no-download", action="store_true", help="print the URLs only")
    p.add_argument("--timeout", type=float, help="seconds to wait at most (default 600)")
    p.add_argument("--poll-interval", type=float, help="first wait between polls (default 2 s)")
    p.set_defaults(handler="result")


def _is_long_running(command: Command) -> bool:
    from .. import _registry as registry

    return any(
        registry.FEATURES[t].long_running for t in registry.METHODS[command.method].feature_types()
    )


def _add_output_options(
    p: argparse.ArgumentParser, default_model: str | None, *, long_running: bool
) -> None:
    model_help = f"model id (default {default_model})" if default_model else "model id"
    p.add_argument("-m", "--model", help=model_help)
    p.add_argument("--out", default=".", help="folder for the files (default: .)")
    p.add_argument("--no-download", action="store_true", help="print the URLs only")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra model-specific field (JSON value or text); repeatable",
    )
    if long_running:
        p.add_argument("--no-wait", action="store_true", help="start the job and print its id")
        p.add_argument("--timeout", type=float, help="seconds to wait at most (default 600)")
        p.add_argument("--poll-interval", type=float, help="first wait between polls (default 2 s)")


# ── running ──────────────────────────────────────────────────────────────────────────────


def run(app: App) -> int:
    """Entry point of the media commands."""
    from .. import _registry as registry

    args = app.args
    command: Command = args.command_row
    method = command.method
    if command.switch and getattr(args, command.switch[0]) is not None:
        method = command.switch[1]
    inputs = registry.METHODS[method].inputs
    kwargs: dict[str, Any] = {}
    for arg in command.args:
        value = getattr(args, arg.dest)
        if value is None:
            continue
        if arg.text:
            value = app.text(value, arg.dest)
        elif arg.dest in inputs:
            value = app.upload(value, inputs[arg.dest])
        if arg.spread:
            kwargs.update(value)
        else:
            kwargs[arg.dest] = value
    return _call(app, method, kwargs)


def run_feature(app: App) -> int:
    """Entry point of ``oneminai feature``."""
    from .. import _registry as registry

    args = app.args
    if args.list or not args.method:
        for name, method in sorted(registry.METHODS.items()):
            app.print(f"{name:32} {method.summary}")
            app.print(f"{'':32}   {_signature(method)}")
        return 0
    found = registry.METHODS.get(args.method)
    if found is None:
        raise CLIError(f"unknown feature method {args.method!r} (see: oneminai feature --list)")
    method = found
    kwargs: dict[str, Any] = {}
    for item in args.values:
        name, sep, raw = item.partition("=")
        if not sep or name not in method.params:
            known = ", ".join(method.params)
            raise CLIError(f"{args.method} takes NAME=VALUE arguments among: {known}")
        kwargs[name] = (
            app.upload(raw, method.inputs[name]) if name in method.inputs else _value(raw)
        )
    missing = [n for n, d in method.params.items() if d is registry.REQUIRED and n not in kwargs]
    if missing:
        raise CLIError(f"{args.method} needs {', '.join(f'{n}=…' for n in missing)}")
    return _call(app, args.method, kwargs)


def _signature(method: Any) -> str:
    from .. import _registry as registry

    parts = []
    for name, default in method.params.items():
        shown = "file" if name in method.inputs else "…"
        parts.append(f"{name}={shown}" if default is registry.REQUIRED else f"[{name}=…]")
    return " ".join(parts)


def _value(raw: str) -> Any:
    """A JSON value when ``raw`` parses as one (``3``, ``true``, ``[1,2]``), else the text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _extra(pairs: list[str]) -> dict[str, Any] | None:
    extra: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise CLIError(f"--set expects NAME=VALUE, got {pair!r}")
        extra[name] = _value(raw)
    return extra or None


def _call(app: App, method: str, kwargs: dict[str, Any]) -> int:
    """Call the client method with the common options and deliver what it returns."""
    from .. import _registry as registry

    args = app.args
    long_running = any(registry.FEATURES[t].long_running for t in _types(method))
    if long_running:
        kwargs["wait"] = not args.no_wait
        kwargs["poll_timeout"] = args.timeout
        kwargs["poll_interval"] = args.poll_interval
        kwargs["on_progress"] = app.progress.job(method.replace("_", " "))
    label = method.replace("_", " ")
    app.progress.update(f"{label}…")
    output = getattr(app.client(), method)(model=args.model, extra=_extra(args.set), **kwargs)
    return deliver(app, output)


def _types(method: str) -> tuple[str, ...]:
    from .. import _registry as registry

    return registry.METHODS[method].feature_types()


def run_result(app: App) -> int:
    """Entry point of ``oneminai result``."""
    args = app.args
    output = app.client().wait_for_result(
        args.record_id,
        poll_timeout=args.timeout,
        poll_interval=args.poll_interval,
        on_progress=app.progress.job("job"),
    )
    return deliver(app, output)


def deliver(app: App, output: Any) -> int:
    """Save (or list) the files of ``output`` and print them; print text outputs."""
    args = app.args
    status = getattr(output, "status", "")  # text tools answer a ChatOutput: no record
    summary: dict[str, Any] = {
        "model": output.model,
        "record_id": getattr(output, "record_id", None),
        "status": status or "SUCCESS",
    }
    if status == "PROCESSING":
        hint = f"oneminai result {output.record_id}"
        if app.json:
            app.emit(summary)
        else:
            app.print(output.record_id)
            app.progress.done(f"started; get the result with: {hint}")
        return 0
    files = _files(output)
    if files is None:  # a text result
        summary["text"] = str(output)
        if app.json:
            app.emit(summary)
        else:
            app.print(str(output))
        return 0
    saved = []
    for item in files:
        url = item._download_url()
        entry = {"url": url, "key": getattr(item, "key", None)}
        if not args.no_download:
            name = url.rsplit("/", 1)[-1].split("?")[0] or "file"
            path = item.save(args.out, on_progress=app.progress.transfer(f"downloading {name}"))
            entry["path"] = str(path)
        saved.append(entry)
        if not app.json:
            app.print(entry.get("path") or url)
    if app.json:
        app.emit({**summary, "files": saved})
    if not saved:
        raise CLIError("the service returned no file", code=1)
    return 0


def _files(output: Any) -> list[Any] | None:
    """The downloadable parts of an output, or None for text results."""
    if hasattr(output, "images"):
        return list(output.images)
    if hasattr(output, "_download_url"):
        return [output] if output._download_url() else []
    return None


#: Handler name (set by the parser) → function, for the dispatcher.
HANDLERS: dict[str, Callable[[App], int]] = {
    "media": run,
    "feature": run_feature,
    "result": run_result,
}
