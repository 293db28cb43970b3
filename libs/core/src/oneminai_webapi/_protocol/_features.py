"""Feature operations: registry plan → uploads → request → polling → output.

* :func:`prepare` validates a method call before anything is sent: the registry maps the
  Python arguments onto ``promptObject`` for the model's family, and file inputs (local
  paths, bytes) become :class:`PendingUpload` placeholders (a path is sized and checked,
  and read only when its upload is sent).
* :func:`run` is the operation: upload the placeholders (``POST /api/assets``), send
  ``POST /api/features`` (``"async": true`` for long-running features), poll
  ``GET /api/results/{uuid}`` with backoff until the record leaves ``PROCESSING`` or the
  deadline passes, and parse the record into the method's output type.
* :func:`bind_outputs` attaches the client to the outputs so that ``save()`` downloads
  through it (works for both drivers: it is just another generator).

Polling errors: a record that ends ``FAILED``/``FAILURE``/… raises :class:`JobFailedError`
(with the service's ``errorMessage``); the deadline raises :class:`JobTimeoutError`;
``{"aiRecord": null}`` (an unknown record id) raises :class:`NotFoundError`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .. import _registry as registry
from .._config import Timeouts
from ..exceptions import InvalidRequestError, JobTimeoutError, NotFoundError
from . import _assets as assets
from . import _routes as routes
from ._chat import ensure_team, output_from_record
from ._context import Context
from ._http import FilePart, Request, Sleep, Surface
from ._inputs import classify
from ._multipart import share
from ._ops import Op, body_json, send
from ._records import (
    absolute_url,
    as_dict,
    asset_base_of,
    check_record,
    is_pending,
    record_from_body,
    record_status,
    result_items,
    result_text,
    temporary_url,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from ..types import (
        AudioOutput,
        ChatOutput,
        ImageOutput,
        JobProgress,
        MusicOutput,
        TranscriptionOutput,
        VideoOutput,
    )

    # Annotation-only aliases: the output types (and pydantic) load on first use.
    FeatureOutput: TypeAlias = (
        ChatOutput | TranscriptionOutput | ImageOutput | AudioOutput | MusicOutput | VideoOutput
    )
    ProgressCallback: TypeAlias = Callable[[JobProgress], object]

T = TypeVar("T")

#: Polling defaults: the n8n node polls every 2 s; video and music take minutes
#: (``docs/protocol.md``, "Video, music, transcripts").
DEFAULT_POLL_INTERVAL_S = 2.0
DEFAULT_POLL_TIMEOUT_S = 600.0
POLL_BACKOFF = 1.5
MAX_POLL_INTERVAL_S = 15.0

#: The clock of polling deadlines (patchable in tests).
clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class PollOptions:
    """How long and how often to poll a long-running record."""

    timeout_s: float = DEFAULT_POLL_TIMEOUT_S
    interval_s: float = DEFAULT_POLL_INTERVAL_S
    backoff: float = POLL_BACKOFF
    max_interval_s: float = MAX_POLL_INTERVAL_S
    on_progress: ProgressCallback | None = None


def poll_options(
    poll_timeout: float | None, poll_interval: float | None, on_progress: ProgressCallback | None
) -> PollOptions:
    """Validate the polling arguments of a method."""
    for name, value in (("poll_timeout", poll_timeout), ("poll_interval", poll_interval)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
        ):
            raise InvalidRequestError(f"{name} must be a positive number of seconds, got {value!r}")
    if on_progress is not None and not callable(on_progress):
        raise InvalidRequestError("on_progress must be callable")
    interval = float(poll_interval) if poll_interval is not None else DEFAULT_POLL_INTERVAL_S
    return PollOptions(
        timeout_s=float(poll_timeout) if poll_timeout is not None else DEFAULT_POLL_TIMEOUT_S,
        interval_s=interval,
        max_interval_s=max(MAX_POLL_INTERVAL_S, interval),
        on_progress=on_progress,
    )


# ── inputs ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, eq=False)
class PendingUpload:
    """A local file or bytes to upload before the feature call; replaced by its asset key."""

    part: FilePart
    asset_type: str


_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG", 0, "png"), (b"\xff\xd8\xff", 0, "jpg"), (b"GIF8", 0, "gif"),
    (b"WEBP", 8, "webp"), (b"WAVE", 8, "wav"), (b"ID3", 0, "mp3"), (b"\xff\xfb", 0, "mp3"),
    (b"\xff\xf3", 0, "mp3"), (b"OggS", 0, "ogg"), (b"fLaC", 0, "flac"), (b"ftypM4A", 4, "m4a"),
    (b"ftyp", 4, "mp4"), (b"\x1a\x45\xdf\xa3", 0, "webm"), (b"%PDF", 0, "pdf"),
)  # fmt: skip
_DEFAULT_EXT = {"IMAGE": "png", "AUDIO": "mp3", "VIDEO": "mp4", "DOCUMENT": "bin"}


def sniff_extension(data: bytes, kind: str) -> str:
    """The file extension of ``data`` from its magic bytes (``kind``'s default otherwise)."""
    for magic, offset, ext in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return ext
    return _DEFAULT_EXT.get(kind, "bin")


def resolve_input(value: Any, name: str, kind: str) -> str | PendingUpload:
    """An input argument as an asset key / URL, or a placeholder for a file to upload.

    Accepted: an :class:`AssetRecord`; an ``http(s)`` URL (sent as is); a local path or
    ``bytes`` (uploaded first); any other string is taken as an asset key (``images/…``).
    Local paths are recognised by :func:`._inputs.classify` (``os.PathLike``, ``~``,
    absolute, relative and Windows paths, ``file:`` URLs, strings naming an existing file),
    the same rules by which ``integrations.check_file_reference`` refuses them.

    Raises:
        InvalidRequestError: empty value, wrong type, or a path-like string naming no file.
    """
    from ..types import AssetRecord

    if isinstance(value, AssetRecord):
        return value.asset_key
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if not data:
            raise InvalidRequestError(f"{name} is empty")
        filename = f"{name.removesuffix('_url') or 'file'}.{sniff_extension(data, kind)}"
        return _pending(assets.read_file_part(None, data, filename, None), kind)
    if not isinstance(value, (str, os.PathLike)):
        raise InvalidRequestError(
            f"{name} must be an asset key, a URL, a file path or bytes, got {type(value).__name__}"
        )
    ref = classify(value, name)
    if ref.kind != "path":
        return ref.text
    if ref.path is None or not ref.path.is_file():
        raise InvalidRequestError(f"{name}: no such file: {ref.text!r}")
    return _pending(assets.read_file_part(ref.path, None, "file", None), kind)


def _pending(part: FilePart, kind: str) -> PendingUpload:
    guessed = assets.guess_asset_type(part.filename, part.content_type)
    return PendingUpload(part, guessed if guessed != "DOCUMENT" else kind)


# ── preparing a call ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class FeatureCall:
    """A validated method call, ready to run."""

    plan: registry.Plan
    wait: bool = True
    poll: PollOptions = PollOptions()

    @property
    def feature(self) -> registry.Feature:
        """The feature row."""
        return self.plan.feature


def prepare(
    method_name: str,
    args: Mapping[str, Any],
    *,
    model: Any = None,
    extra: Mapping[str, Any] | None = None,
    wait: bool = True,
    poll: PollOptions | None = None,
) -> FeatureCall:
    """Validate a method call and build what it sends (file inputs are checked, not sent).

    Raises:
        InvalidRequestError: any invalid argument; nothing has been sent.
    """
    method = registry.methods()[method_name]
    resolved = dict(args)
    for name, kind in method.inputs.items():
        value = resolved.get(name)
        if value is None and method.params.get(name) is not registry.REQUIRED:
            continue
        if value is None:
            raise InvalidRequestError(f"{method_name}: {name} is required")
        resolved[name] = resolve_input(value, name, kind)
    plan = registry.plan(method_name, resolved, model, extra)
    return FeatureCall(plan, bool(wait), poll or PollOptions())


def request_body(call: FeatureCall, uploaded: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The JSON body of ``POST /api/features`` (placeholders replaced by ``uploaded`` keys)."""
    plan = call.plan

    def value(v: Any) -> Any:
        if isinstance(v, PendingUpload):
            if uploaded is None or id(v) not in uploaded:
                raise RuntimeError("a file input was not uploaded")  # pragma: no cover
            return uploaded[id(v)]
        return v

    body: dict[str, Any] = {
        "type": plan.feature.type,
        "model": plan.model,
        "promptObject": {k: value(v) for k, v in plan.prompt_object.items()},
    }
    if plan.feature.conversation_id:
        body["conversationId"] = plan.feature.type
    body.update({k: value(v) for k, v in plan.top_level.items()})
    if plan.feature.long_running:
        body["async"] = True
    return body


def pending_uploads(call: FeatureCall) -> list[PendingUpload]:
    """The distinct file inputs of a call, in order."""
    seen: dict[int, PendingUpload] = {}
    for v in (*call.plan.prompt_object.values(), *call.plan.top_level.values()):
        if isinstance(v, PendingUpload):
            seen.setdefault(id(v), v)
    return list(seen.values())


# ── the operation ───────────────────────────────────────────────────────────────────────


def run(ctx: Context, call: FeatureCall) -> Op[FeatureOutput]:
    """Upload inputs, call the feature, poll when needed, and parse the output."""
    uploaded: dict[int, str] = {}
    pendings = pending_uploads(call)
    total, offset = sum(p.part.size for p in pendings), 0
    for pending in pendings:
        # Several files report as one transfer: bytes so far of their sum.
        progress = share(ctx.upload_progress, offset, total)
        asset = yield from assets.upload(ctx, pending.part, pending.asset_type, progress)
        uploaded[id(pending)] = asset.asset_key
        offset += pending.part.size
    body = request_body(call, uploaded)
    request = yield from _feature_request(ctx, body, call.feature)
    response = yield from send(request)
    data = body_json(response)
    record = record_from_body(data)
    assert record is not None
    check_record(record)
    if is_pending(record):
        if not call.wait:
            return output_for(ctx, record, data, call.plan.model)
        record, data = yield from poll(ctx, str(record.get("uuid") or ""), call.poll, record)
    return output_for(ctx, record, data, call.plan.model)


def wait_for(ctx: Context, record_id: str, options: PollOptions) -> Op[FeatureOutput]:
    """Poll an existing record (e.g. one started with ``wait=False``) and parse its output."""
    record, data = yield from poll(ctx, record_id, options, None)
    return output_for(ctx, record, data, str(record.get("model") or ""))


def call_timeouts(
    timeouts: Timeouts, row: registry.Feature, *, asynchronous: bool
) -> tuple[float | None, float | None]:
    """``(total, read)`` timeouts of one feature request (``None``: the client's own).

    The registry's allowances for a synchronous call raise the client's timeouts for that
    call; they never lower them.
    """
    total = timeouts.total
    timeout_s = row.timeout_s
    read_s = None if asynchronous else row.read_timeout_s
    if total is not None and timeout_s is not None:
        total = max(total, timeout_s, read_s or 0.0)
    elif total is not None and read_s is not None:
        total = max(total, read_s)
    read = max(timeouts.read, read_s) if read_s is not None else None
    return (total if total != timeouts.total else None), (read if read != timeouts.read else None)


def _feature_request(ctx: Context, body: dict[str, Any], row: registry.Feature) -> Op[Request]:
    timeout, read = call_timeouts(
        ctx.settings.timeouts, row, asynchronous=body.get("async") is True
    )
    if ctx.uses_webapp:
        team = yield from ensure_team(ctx)
        return Request(
            "POST",
            routes.team_path(routes.TEAM_FEATURES, team),
            surface=Surface.WEBAPP,
            json=body,
            timeout_s=timeout,
            read_timeout_s=read,
        )
    return Request("POST", routes.FEATURES, json=body, timeout_s=timeout, read_timeout_s=read)


def poll(
    ctx: Context, record_id: str, options: PollOptions, first: Mapping[str, Any] | None
) -> Op[tuple[dict[str, Any], Any]]:
    """Poll ``GET /api/results/{id}`` with backoff until the record is no longer pending.

    ``first`` is the pending record already received (the first poll then waits one
    interval); without it the first poll is immediate.

    Raises:
        JobFailedError: the record ended in a failed state.
        JobTimeoutError: still pending when ``options.timeout_s`` passed.
        NotFoundError: the service does not know the record (``{"aiRecord": null}``).
    """
    path = f"{routes.RESULTS}/{routes.segment(record_id, 'record id')}"
    start = clock()
    deadline = start + options.timeout_s
    interval = options.interval_s
    status = record_status(first) if first is not None else ""
    kind = str(first.get("type") or "feature") if first is not None else "feature"
    polls = 0
    if first is not None:
        _report(options, record_id, status, start, polls, first)
    while True:
        if first is not None or polls > 0:
            remaining = deadline - clock()
            if remaining <= 0:
                raise JobTimeoutError(
                    f"The {kind} job {record_id} was still {status or 'pending'} after "
                    f"{options.timeout_s:g} s; call client.wait_for_result({record_id!r}) to "
                    "keep waiting.",
                    status_code=200,
                    record_id=record_id,
                    record_status=status or None,
                )
            yield Sleep(min(interval, remaining))
            interval = min(interval * options.backoff, options.max_interval_s)
        response = yield from send(Request("GET", path))
        polls += 1
        data = body_json(response)
        record = record_from_body(data, allow_missing=True)
        if record is None:
            raise NotFoundError(
                f"The service knows no record {record_id!r} (GET {routes.RESULTS}/… answered "
                "aiRecord: null).",
                status_code=200,
                body=data,
            )
        check_record(record)
        status = record_status(record)
        kind = str(record.get("type") or kind)
        _report(options, record_id, status, start, polls, record)
        if not is_pending(record):
            return record, data


def _report(
    options: PollOptions,
    record_id: str,
    status: str,
    start: float,
    polls: int,
    record: Mapping[str, Any],
) -> None:
    if options.on_progress is not None:
        from ..types import JobProgress

        options.on_progress(
            JobProgress(
                record_id=record_id,
                status=status,
                elapsed_s=max(0.0, clock() - start),
                polls=polls,
                record=dict(record),
            )
        )


# ── outputs ─────────────────────────────────────────────────────────────────────────────


def result_urls(
    record: Mapping[str, Any],
    data: Any,
    asset_base_url: str,
    *,
    asset_base_url_set: bool = False,
) -> list[tuple[str, str | None]]:
    """``(absolute URL, asset key)`` of every result file of a media record.

    Rules (docs/protocol.md, "Asset host"): absolute URLs in ``resultObject`` are used as
    given; a relative key uses the record's signed ``temporaryUrl`` when it is the only
    result or when that URL names the key; else the asset host: ``asset_base_url`` when the
    caller set it, else the host (and bucket path) of the ``temporaryUrl``, else
    ``asset_base_url`` (the documented asset host). Never the API base URL, so downloads
    work behind a proxy or gateway.
    """
    temp = temporary_url(record, data if isinstance(data, Mapping) else None)
    items = [i for i in result_items(record) if isinstance(i, str) and i]
    if not items and temp:
        return [(temp, None)]
    host = asset_base_url
    if temp and not asset_base_url_set and temp.startswith(("http://", "https://")):
        host = asset_base_of(temp)
    out: list[tuple[str, str | None]] = []
    for item in items:
        if item.startswith(("http://", "https://")):
            out.append((item, None))
            continue
        key = item.lstrip("/")
        if temp and (len(items) == 1 or temp.split("?", 1)[0].endswith("/" + key)):
            out.append((temp, key))
        else:
            out.append((absolute_url(key, host), key))
    return out


def output_for(ctx: Context, record: Mapping[str, Any], data: Any, model: str) -> FeatureOutput:
    """Parse a record into the output type of its feature."""
    ftype = str(record.get("type") or "")
    row = registry.feature(ftype)
    result = row.result if row is not None else "chat"
    common: dict[str, Any] = {
        "model": str(record.get("model") or model),
        "record_id": record.get("uuid") if isinstance(record.get("uuid"), str) else None,
        "metadata": dict(record),
    }
    status = record_status(record)
    from ..types import (
        AudioOutput,
        GeneratedImage,
        ImageOutput,
        MusicOutput,
        TranscriptionOutput,
        VideoOutput,
    )

    if result == "chat":
        chat = output_from_record(dict(record))
        if chat.conversation_id == ftype:  # the pseudo id text tools send
            chat.conversation_id = None
        chat.model = common["model"]
        return chat
    if result == "transcription":
        prompt = as_dict(as_dict(record.get("aiRecordDetail")).get("promptObject"))
        fmt = prompt.get("response_format")
        return TranscriptionOutput(
            text=result_text(record) or "",
            response_format=fmt if isinstance(fmt, str) else None,
            status=status,
            **common,
        )
    files = result_urls(
        record,
        data,
        ctx.settings.asset_base_url,
        asset_base_url_set=ctx.settings.asset_base_url_set,
    )
    if result == "image":
        images = [GeneratedImage(url=u, key=k, model=common["model"]) for u, k in files]
        return ImageOutput(images=images, status=status, **common)
    url, key = files[0] if files else ("", None)
    if result == "video":
        return VideoOutput(video_url=url, key=key, status=status, **common)
    cls = MusicOutput if result == "music" else AudioOutput
    return cls(audio_url=url, key=key, status=status, **common)


def bind_outputs(client: Any, op: Op[T]) -> Op[T]:
    """Run ``op`` and attach ``client`` to its output(s), so ``save()`` uses that client."""
    result = yield from op
    bind(result, client)
    return result


def bind(output: Any, client: Any) -> None:
    """Attach ``client`` to an output and its images."""
    binder = getattr(output, "_bind", None)
    if binder is not None:
        binder(client)
    for image in getattr(output, "images", None) or ():
        image._bind(client)
