"""Asset upload (both surfaces) and the download route serving uploaded/generated files."""

from __future__ import annotations

import hashlib
import mimetypes
import struct
import zlib
from typing import Any
from urllib.parse import urlparse

from aiohttp import web

from ..constants import ASSET_KEY_FOLDERS
from ._runtime import Runtime, body_json, error_response, json_response, runtime, validation_error
from ._state import Asset, key_stamp, new_id, now_iso

_TYPE_FOLDERS = {str(kind): folder for kind, folder in ASSET_KEY_FOLDERS.items()}
REJECTED_MIME_TYPES = frozenset({"text/markdown", "text/x-markdown"})


def _png_1x1() -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _mp3_frames(count: int = 3) -> bytes:
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
    frame = b"\xff\xfb\x90\x00" + b"\x00" * 413
    return frame * count


def _mp4_stub() -> bytes:
    ftyp = b"ftyp" + b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41"
    box = struct.pack(">I", 4 + len(ftyp)) + ftyp
    return box + struct.pack(">I", 8) + b"free" + struct.pack(">I", 8) + b"mdat"


PNG_BYTES = _png_1x1()
MP3_BYTES = _mp3_frames()
MP4_BYTES = _mp4_stub()


def sample_bytes(mimetype: str, name: str) -> bytes:
    """Tiny but well-formed bytes for a generated file of ``mimetype``."""
    if mimetype.startswith("image/"):
        return PNG_BYTES
    if mimetype.startswith("audio/"):
        return MP3_BYTES
    if mimetype.startswith("video/"):
        return MP4_BYTES
    return f"Emulated document {name}\n".encode()


def folder_for(mimetype: str) -> str:
    """Key folder for a MIME type."""
    major = mimetype.split("/", 1)[0].upper()
    return _TYPE_FOLDERS.get(major if major != "DOCUMENT" else "", _TYPE_FOLDERS["DOCUMENT"])


def _guess_mime(filename: str, declared: str | None) -> str:
    if declared and declared not in ("application/octet-stream", ""):
        return declared
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def store_asset(
    rt: Runtime,
    filename: str,
    mimetype: str,
    data: bytes | None,
    *,
    folder: str | None = None,
    source_url: str | None = None,
) -> dict[str, Any]:
    """Store an asset and build the ``{"asset", "fileContent"}`` answer of ``POST /api/assets``."""
    c = rt.config
    name = f"{key_stamp()}_{filename}"
    key = f"{folder or folder_for(mimetype)}/{name}"
    uid = new_id()
    created = now_iso()
    rt.state.assets[key] = Asset(key, uid, name, mimetype, data, created, filename, source_url)
    size = len(data) if data is not None else 0
    etag = hashlib.md5(data or filename.encode(), usedforsecurity=False).hexdigest()
    meta = {
        "team-id": c.team_id,
        "user-id": c.user_id,
        "fieldname": "asset",
        "originalname": filename,
        "encoding": "7bit",
        "mimetype": mimetype,
    }
    ext = filename.rsplit(".", 1)[-1].lower()
    return {
        "asset": {
            "fieldname": "asset",
            "originalname": filename,
            "encoding": "7bit",
            "mimetype": mimetype,
            "size": size,
            "bucket": "asset.1min.ai",
            "key": key,
            "acl": "private",
            "contentType": "application/octet-stream",
            "contentDisposition": None,
            "contentEncoding": None,
            "storageClass": "STANDARD",
            "serverSideEncryption": None,
            "metadata": meta,
            "location": f"https://asset.1min.ai.s3.us-east-1.amazonaws.com/{key}",
            "etag": f'"{etag}"',
        },
        "fileContent": {
            "uuid": uid,
            "path": key,
            "type": ext,
            "name": name,
            "content": "",
            "status": "ACTIVE",
            "metadata": {"token": 0, "character": 0},
            "createdAt": created,
        },
    }


def _unsupported_file() -> web.Response:
    return error_response(400, "UNSUPPORTED_FILE_TYPE", "file type isn't supported")


async def upload_handler(request: web.Request) -> web.StreamResponse:
    """``POST /api/assets`` and ``POST /teams/{t}/assets``."""
    rt = runtime(request)
    webapp = "team" in request.match_info
    if request.content_type != "multipart/form-data":
        body = body_json(request)
        if webapp and isinstance(body, dict) and isinstance(body.get("fileUrl"), str):
            return _from_url(rt, body)
        return validation_error("multipart/form-data with a file field named 'asset' is required")
    form = await request.post()
    field = form.get("asset")
    if not isinstance(field, web.FileField):
        return validation_error("A file field named 'asset' is required", "asset")
    filename = field.filename or ""
    if "." not in filename.strip(".") or filename.endswith("."):
        return _unsupported_file()
    mime = _guess_mime(filename, field.content_type)
    if mime in REJECTED_MIME_TYPES:
        return _unsupported_file()
    folder = None
    asset_type = form.get("type")
    if isinstance(asset_type, str) and asset_type:
        folder = _TYPE_FOLDERS.get(asset_type.upper())
        if folder is None:
            return validation_error(f"Unknown asset type {asset_type}", "type")
    data = field.file.read()
    return json_response(store_asset(rt, filename, mime, data, folder=folder))


def _from_url(rt: Runtime, body: dict[str, Any]) -> web.Response:
    url = str(body["fileUrl"])
    asset_type = str(body.get("type") or "IMAGE").upper()
    folder = _TYPE_FOLDERS.get(asset_type)
    if folder is None:
        return validation_error(f"Unknown asset type {asset_type}", "type")
    filename = urlparse(url).path.rsplit("/", 1)[-1] or "file"
    if "." not in filename:
        return _unsupported_file()
    mime = _guess_mime(filename, None)
    return json_response(store_asset(rt, filename, mime, None, folder=folder, source_url=url))


async def download_handler(request: web.Request) -> web.StreamResponse:
    """``GET /_emulator/files/{key}`` — no auth, like a presigned S3 URL.

    This path is the emulated asset host (what ``temporaryUrl`` points at), never the API
    base URL: a client that resolved relative result keys against ``base_url`` would get a
    404 here, as it would from the service.
    """
    rt = runtime(request)
    key = request.match_info["key"]
    asset = rt.state.assets.get(key)
    if asset is None:
        return web.Response(status=404, text="NoSuchKey", content_type="text/plain")
    data = asset.data if asset.data is not None else sample_bytes(asset.mimetype, asset.name)
    return web.Response(body=data, headers={"Content-Type": asset.mimetype})
