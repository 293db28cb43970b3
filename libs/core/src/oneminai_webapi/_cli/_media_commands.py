"""The media commands, the generic ``feature`` command and ``result``: their arguments.

The media commands are ``image``, ``edit``, ``tts``, ``stt``, ``video`` and ``music``.

A command is a row of :data:`COMMANDS`: which client method it calls and how its
command-line arguments map onto that method's keywords. Summaries, default models and the
asset type of each file input come from the registry (``_registry.METHODS`` /
``FEATURES``), so they cannot drift from the client. Running them is in :mod:`._run`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _registry as registry


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
        _add_output_options(p, default, long_running=is_long_running(command.method))
        p.set_defaults(handler="media", command_row=command)

    p = sub.add_parser(
        "feature",
        parents=[common],
        help="run any media or writing feature by its client method name",
        description="Run any feature of the client: oneminai feature METHOD [VALUE] name=value …  "
        "A value without a name is the method's first required parameter "
        '(oneminai feature summarize "some text"). '
        "Text parameters take the value as it is ('-' reads stdin); others read it as JSON "
        "when it parses (numbers, true, lists). File inputs and file_id may be local files "
        "(uploaded first).",
    )
    p.add_argument("method", nargs="?", help="a client method, e.g. remove_background")
    p.add_argument(
        "values",
        nargs="*",
        metavar="NAME=VALUE",
        help="its arguments; the first required one may be given without NAME=",
    )
    p.add_argument("--list", action="store_true", help="list the methods and their arguments")
    # --no-wait/--timeout/--poll-interval apply only to the long-running methods.
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


def is_long_running(method: str) -> bool:
    """Whether ``method`` starts a job that is polled (video, music)."""
    return any(registry.FEATURES[t].long_running for t in registry.METHODS[method].feature_types())


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
