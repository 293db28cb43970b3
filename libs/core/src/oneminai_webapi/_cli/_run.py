"""Running the media commands, ``feature`` and ``result``, and delivering what they return.

The order matters, because calls cost credits: every argument is checked first (text,
files, the registry's rules for the model, ``--out``), then local files are uploaded, then
the feature runs, and whatever it produced is reported even when saving a file fails.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _registry as registry
from .._protocol._download import filename_for
from .._protocol._records import PENDING_STATUSES
from ..constants import ASSET_KEY_FOLDERS
from ._errors import EXIT_ERROR, CLIError
from ._media_commands import Command, is_long_running

if TYPE_CHECKING:
    from ..types import JobProgress
    from ._app import App

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Stands in for a file input while the arguments are checked (before any upload).
_PLACEHOLDER = {str(kind): f"{folder}/x" for kind, folder in ASSET_KEY_FOLDERS.items()}


def run(app: App) -> int:
    """Entry point of the media commands (``image``, ``edit``, ``tts``, …)."""
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
            value = app.local_input(value)
        if arg.spread:
            kwargs.update(value)
        else:
            kwargs[arg.dest] = value
    return _call(app, method, kwargs)


def run_feature(app: App) -> int:
    """Entry point of ``oneminai feature``."""
    args = app.args
    if args.list or not args.method:
        return _list_methods(app)
    method = registry.METHODS.get(args.method)
    if method is None:
        raise CLIError(f"unknown feature method {args.method!r} (see: oneminai feature --list)")
    text_params = _text_params(args.method)
    kwargs: dict[str, Any] = {}
    for name, raw in _named_values(args.method, method, args.values):
        if name in kwargs:
            raise CLIError(f"{args.method}: {name} is given twice")
        if name in method.inputs:
            kwargs[name] = app.local_input(raw)
        elif name == "file_id":
            kwargs[name] = app.local_input(raw, file_id=True)
        elif name in text_params:
            kwargs[name] = app.text(raw, name) if raw == "-" else raw
        else:
            kwargs[name] = _value(raw)
    missing = [n for n, d in method.params.items() if d is registry.REQUIRED and n not in kwargs]
    if missing:
        raise CLIError(f"{args.method} needs {', '.join(f'{n}=…' for n in missing)}")
    return _call(app, args.method, kwargs)


def _named_values(name: str, method: registry.Method, values: list[str]) -> list[tuple[str, str]]:
    """``NAME=VALUE`` pairs; one bare value is the first required parameter.

    ``feature summarize "some text"`` means ``text="some text"``. A value that looks like
    ``NAME=…`` with an unknown name is refused rather than sent as text (a typo would cost
    credits); text containing ``=`` can always be passed as ``FIRST=…``.
    """
    required = [n for n, d in method.params.items() if d is registry.REQUIRED]
    known = ", ".join(method.params)
    pairs: list[tuple[str, str]] = []
    bare: list[str] = []
    for item in values:
        key, sep, raw = item.partition("=")
        if sep and key in method.params:
            pairs.append((key, raw))
        elif sep and _IDENTIFIER.fullmatch(key):
            hint = " (the model is -m MODEL)" if key == "model" else ""
            first = f"; text with '=' goes as {required[0]}=…" if required else ""
            raise CLIError(f"{name} takes NAME=VALUE arguments among: {known}{hint}{first}")
        else:
            bare.append(item)
    if not bare:
        return pairs
    if not required:
        raise CLIError(f"{name} takes only NAME=VALUE arguments among: {known}")
    if len(bare) > 1:
        raise CLIError(
            f"{name} takes one value without a name (its {required[0]}); "
            f"quote it, or give the others as NAME=VALUE among: {known}"
        )
    return [(required[0], bare[0]), *pairs]


def run_result(app: App) -> int:
    """Entry point of ``oneminai result``."""
    args = app.args
    out = app.output_dir()
    app.pending_job = args.record_id
    output = app.client().wait_for_result(
        args.record_id,
        poll_timeout=args.timeout,
        poll_interval=args.poll_interval,
        on_progress=_job_progress(app, "job"),
    )
    return deliver(app, output, out, "result")


def _list_methods(app: App) -> int:
    rows: list[dict[str, Any]] = [
        {"name": name, "summary": m.summary, "arguments": _arguments(m)}
        for name, m in sorted(registry.METHODS.items())
    ]
    if app.json:
        app.emit(rows)
        return 0
    for row in rows:
        app.print(f"{row['name']:32} {row['summary']}")
        shown = [
            f"{a['name']}={'file' if a['file'] else '…'}" if a["required"] else f"[{a['name']}=…]"
            for a in row["arguments"]
        ]
        app.print(f"{'':32}   {' '.join(shown)}")
    return 0


def _arguments(method: registry.Method) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "required": default is registry.REQUIRED,
            "file": name in method.inputs or name == "file_id",
        }
        for name, default in method.params.items()
    ]


def _text_params(method: str) -> frozenset[str]:
    """Parameters annotated ``str`` (``text=2024`` stays the text "2024")."""
    from .._client._sync import SyncOneMinAIClient

    signature = inspect.signature(getattr(SyncOneMinAIClient, method))
    return frozenset(
        name
        for name, p in signature.parameters.items()
        if "str" in (part.strip() for part in str(p.annotation).split("|"))
    )


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


def _check(method: str, kwargs: dict[str, Any], model: str | None, extra: Any) -> None:
    """The client's own validation, run before any upload (files stand in as asset keys)."""
    from .._protocol import _features as features

    spec = registry.METHODS[method]
    trial = {n: d for n, d in spec.params.items() if d is not registry.REQUIRED}
    for name, value in kwargs.items():
        kind = spec.inputs.get(name)
        trial[name] = _PLACEHOLDER[kind] if kind else value
    if isinstance(trial.get("file_id"), Path):
        trial["file_id"] = "00000000-0000-0000-0000-000000000000"
    features.prepare(method, trial, model=model, extra=extra)


def _call(app: App, method: str, kwargs: dict[str, Any]) -> int:
    """Check, upload, call the client method, and deliver what it returns."""
    args = app.args
    extra = _extra(args.set)
    _check(method, kwargs, args.model, extra)
    out = app.output_dir()
    spec = registry.METHODS[method]
    for name, value in kwargs.items():
        if isinstance(value, Path):
            record = app.upload(value, spec.inputs.get(name, "DOCUMENT"))
            kwargs[name] = record.file_id if name == "file_id" else record.asset_key
    label = method.replace("_", " ")
    if is_long_running(method):
        kwargs |= {
            "wait": not args.no_wait,
            "poll_timeout": args.timeout,
            "poll_interval": args.poll_interval,
            "on_progress": _job_progress(app, label),
        }
    app.progress.update(f"{label}…")
    output = getattr(app.client(), method)(model=args.model, extra=extra, **kwargs)
    return deliver(app, output, out, method)


def _job_progress(app: App, label: str) -> Callable[[JobProgress], None]:
    """Show the job's progress and remember its id (printed if the user interrupts)."""
    show = app.progress.job(label)

    def report(progress: JobProgress) -> None:
        app.pending_job = progress.record_id or app.pending_job
        show(progress)

    return report


def deliver(app: App, output: Any, out: Path | None, method: str) -> int:
    """Save (or list) the files of ``output`` and print them; print text results."""
    status = getattr(output, "status", "") or "SUCCESS"  # text tools answer a ChatOutput
    record_id = getattr(output, "record_id", None)
    summary: dict[str, Any] = {"model": output.model, "record_id": record_id, "status": status}
    if status in PENDING_STATUSES and record_id:
        if app.json:
            app.emit(summary)
        else:
            app.print(record_id)
            app.progress.done(f"started; get the result with: oneminai result {record_id}")
        return 0
    app.pending_job = None
    app.report_credits(output)
    if _produces_text(method, output):
        summary["text"] = str(output)
        if app.json:
            app.emit(summary)
        else:
            app.print(str(output))
        return 0
    files, failed = _save_all(app, _files(output) or [], out)
    summary["files"] = files
    if app.json:
        app.emit(summary)
    if not files:
        raise CLIError("the service returned no file", EXIT_ERROR)
    if failed:
        hint = f"; the record is {record_id}" if record_id else ""
        raise CLIError(f"{failed} of {len(files)} file(s) could not be saved{hint}", EXIT_ERROR)
    return 0


def _save_all(app: App, items: list[Any], out: Path | None) -> tuple[list[dict[str, Any]], int]:
    """Save each file; a failure is reported with its URL and does not stop the others."""
    from ._errors import describe

    entries: list[dict[str, Any]] = []
    failed = 0
    for item in items:
        url = item._download_url()
        entry: dict[str, Any] = {"url": url, "key": getattr(item, "key", None)}
        if out is not None:
            name = filename_for(url, None)
            try:
                path = item.save(out, on_progress=app.progress.transfer(f"downloading {name}"))
            except Exception as exc:
                failed += 1
                entry["error"] = describe(exc)[1]
                app.progress.done(f"error: could not save {url}: {entry['error']}")
            else:
                entry["path"] = str(path)
        entries.append(entry)
        if not app.json and "error" not in entry:
            app.print(entry.get("path") or url)
    return entries, failed


def _produces_text(method: str, output: Any) -> bool:
    if method == "result":  # any feature: judge by what came back
        return _files(output) is None
    kinds = {registry.FEATURES[t].output for t in registry.METHODS[method].feature_types()}
    return kinds == {"text"}


#: Handler name (set by the parser) → function, for the dispatcher.
HANDLERS: dict[str, Callable[[App], int]] = {
    "media": run,
    "feature": run_feature,
    "result": run_result,
}


def _files(output: Any) -> list[Any] | None:
    """The downloadable parts of an output, or None for text results."""
    if hasattr(output, "images"):
        return list(output.images)
    if hasattr(output, "_download_url"):
        return [output] if output._download_url() else []
    return None
