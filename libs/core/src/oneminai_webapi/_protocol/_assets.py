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
from ._http import FilePart, Request, Surface
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
    """Build the ``asset`` part from a path or bytes, refusing bad input before any I/O."""
    if file_path is None and data is None:
        raise InvalidRequestError("upload_asset needs file_path or data")
    if file_path is not None and data is not None:
        raise InvalidRequestError("pass either file_path or data, not both")
    if file_path is not None:
        path = Path(file_path)
        if not path.is_file():
            raise InvalidRequestError(f"no such file: {str(path)!r}")
        content = path.read_bytes()
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
    return FilePart("asset", name, content, mime)


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


def upload(ctx: Context, part: FilePart, asset_type: str | None) -> Op[AssetRecord]:
    """Upload one file (``asset_type`` None: guessed from the MIME type)."""
    kind = asset_type or guess_asset_type(part.filename, part.content_type)
    if ctx.uses_webapp:
        team = yield from ensure_team(ctx)
        request = Request(
            "POST",
            routes.team_path(routes.TEAM_ASSETS, team),
            surface=Surface.WEBAPP,
            files=(part,),
            form={"type": kind},
            timeout_s=max(ctx.settings.timeouts.total or 0, 120),
        )
    else:
        request = Request(
            "POST",
            routes.ASSETS,
            files=(part,),
            timeout_s=max(ctx.settings.timeouts.total or 0, 120),
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
