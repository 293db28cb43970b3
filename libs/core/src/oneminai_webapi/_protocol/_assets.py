"""Asset uploads: multipart field ``asset``; key vs file id."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..constants import AssetType
from ..exceptions import APIError, AssetUploadError, InvalidRequestError
from . import _routes as routes
from ._chat import ensure_team
from ._context import Context
from ._errors import check_envelope
from ._http import FilePart, Request, Surface, UploadProgress
from ._ops import Op, body_json, send
from ._records import as_dict

if TYPE_CHECKING:
    from ..types import AssetRecord

_TYPE_BY_MIME_PREFIX = {
    "image/": AssetType.IMAGE,
    "audio/": AssetType.AUDIO,
    "video/": AssetType.VIDEO,
}


def asset_type_value(asset_type: AssetType | str) -> str:
    """Validate an asset type (enum or string) and return its wire value."""
    value = getattr(asset_type, "value", asset_type)
    try:
        return AssetType(str(value).upper()).value
    except ValueError:
        allowed = ", ".join(t.value for t in AssetType)
        raise InvalidRequestError(f"asset_type {asset_type!r} is not one of {allowed}") from None


def guess_asset_type(filename: str, mime_type: str) -> str:
    """IMAGE/AUDIO/VIDEO from the MIME type, DOCUMENT otherwise."""
    for prefix, kind in _TYPE_BY_MIME_PREFIX.items():
        if mime_type.startswith(prefix):
            return kind.value
    return AssetType.DOCUMENT.value


def read_file_part(
    file_path: str | os.PathLike[str] | None,
    data: bytes | None,
    filename: str,
    mime_type: str | None,
) -> FilePart:
    """Build the ``asset`` part from a path or bytes, refusing bad input before any request.

    A file on disk is not read here: its body streams from the file when it is sent (see
    ``_multipart``); its size is taken now and it is checked to be readable.
    """
    if file_path is None and data is None:
        raise InvalidRequestError("upload_asset needs file_path or data")
    if file_path is not None and data is not None:
        raise InvalidRequestError("pass either file_path or data, not both")
    path: Path | None = None
    size = 0
    content = b""
    if file_path is not None:
        path = Path(file_path)
        if not path.is_file():
            raise InvalidRequestError(f"no such file: {str(path)!r}")
        try:
            with path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
        except OSError as exc:
            raise InvalidRequestError(f"cannot read {str(path)!r}: {exc.strerror}") from None
        name = path.name
    else:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidRequestError("data must be bytes")
        content = bytes(data)
        name = filename or "file"
    if "." not in name.strip("."):
        raise InvalidRequestError(
            f"file name {name!r} has no extension; 1min.AI rejects such files "
            "(pass filename='name.ext')"
        )
    mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not isinstance(mime, str) or any(ord(c) < 0x20 or ord(c) == 0x7F for c in mime):
        raise InvalidRequestError(f"mime_type {mime!r} is not a valid MIME type")
    return FilePart("asset", name, content, mime, path, size)


def check_progress(on_progress: object) -> None:
    """``on_progress`` must be callable (or None), checked before anything is sent."""
    if on_progress is not None and not callable(on_progress):
        raise InvalidRequestError("on_progress must be callable")


def asset_from(data: Any, *, asset_type: str) -> AssetRecord:
    """Parse ``{"asset": {...}, "fileContent": {...}}``."""
    from ..types import AssetRecord

    check_envelope(data)
    body = as_dict(data)
    asset = as_dict(body.get("asset"))
    content = as_dict(body.get("fileContent"))
    key = asset.get("key") or content.get("path")
    if not isinstance(key, str) or not key:
        raise AssetUploadError("The upload response has no asset key.", status_code=200, body=body)
    size = asset.get("size")
    return AssetRecord(
        asset_key=key,
        file_id=content.get("uuid") if isinstance(content.get("uuid"), str) else None,
        asset_type=asset_type,
        filename=str(asset.get("originalname") or content.get("name") or ""),
        mime_type=str(asset.get("mimetype") or ""),
        size=size if isinstance(size, int) else None,
        location=asset.get("location") if isinstance(asset.get("location"), str) else None,
        raw=body,
    )


def upload(
    ctx: Context,
    part: FilePart,
    asset_type: str | None,
    on_progress: UploadProgress | None = None,
) -> Op[AssetRecord]:
    """Upload one file (``asset_type`` None: guessed from the MIME type).

    ``on_progress(bytes_sent, total_bytes)`` (default: the client's ``on_upload_progress``)
    follows the file's bytes; a retried attempt reports from 0 again.
    """
    kind = asset_type or guess_asset_type(part.filename, part.content_type)
    progress = on_progress if on_progress is not None else ctx.upload_progress
    if ctx.uses_webapp:
        team = yield from ensure_team(ctx)
        request = Request(
            "POST",
            routes.team_path(routes.TEAM_ASSETS, team),
            surface=Surface.WEBAPP,
            files=(part,),
            form={"type": kind},
            timeout_s=max(ctx.settings.timeouts.total or 0, 120),
            upload_progress=progress,
        )
    else:
        request = Request(
            "POST",
            routes.ASSETS,
            files=(part,),
            timeout_s=max(ctx.settings.timeouts.total or 0, 120),
            upload_progress=progress,
        )
    try:
        response = yield from send(request)
    except APIError as exc:
        if exc.status_code in (400, 413, 415, 422):
            raise AssetUploadError(
                f"The upload of {part.filename!r} was refused: {exc.message}",
                status_code=exc.status_code,
                body=exc.body,
            ) from None
        raise
    return asset_from(body_json(response), asset_type=kind)


def upload_from_url(ctx: Context, url: str, asset_type: str) -> Op[AssetRecord]:
    """Register a public URL as an asset (web-app route, JSON ``fileUrl``)."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidRequestError(f"url must be an http(s) URL, got {url!r}")
    from ._conversations import webapp_only

    team = yield from webapp_only(ctx, "upload_asset_from_url")
    request = Request(
        "POST",
        routes.team_path(routes.TEAM_ASSETS, team),
        surface=Surface.WEBAPP,
        json={"fileUrl": url, "type": asset_type},
    )
    response = yield from send(request)
    return asset_from(body_json(response), asset_type=asset_type)
