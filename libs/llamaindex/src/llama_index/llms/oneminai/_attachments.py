"""Turning image and document blocks into 1min.AI chat attachments.

Images given by an ``http(s)`` URL are passed to the chat API as they are. Everything else
(bytes, data URLs, local paths, document URLs) is uploaded once through the Asset API; the
resulting asset keys (images) and file ids (documents) are cached per content hash so a
conversation that repeats an image in its history does not upload it again.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import DocumentBlock, ImageBlock

from ._messages import Attachment

__all__ = ["AssetCache", "Upload", "to_upload"]


@dataclass(frozen=True)
class Upload:
    """What to send for one attachment.

    Attributes:
        kind: ``"image"`` or ``"document"``.
        url: A URL to pass through unchanged (no upload), or ``None``.
        data: The bytes to upload (when ``url`` is ``None``).
        filename: The upload's file name (always with an extension).
        mime_type: The upload's MIME type.
    """

    kind: str
    url: str | None = None
    data: bytes = b""
    filename: str = "file"
    mime_type: str | None = None

    @property
    def cache_key(self) -> str:
        """A content hash identifying this upload."""
        return self.kind + ":" + hashlib.sha256(self.data).hexdigest()

    @property
    def asset_type(self) -> str:
        """The 1min.AI asset type name (``IMAGE`` or ``DOCUMENT``)."""
        return "IMAGE" if self.kind == "image" else "DOCUMENT"


def _http_url(block: ImageBlock | DocumentBlock) -> str | None:
    url = str(block.url) if block.url is not None else ""
    return url if url.startswith(("http://", "https://")) else None


def _filename(stem: str, mime_type: str | None, path: Any) -> str:
    if path:
        return Path(str(path)).name
    extension = mimetypes.guess_extension(mime_type or "") or ".bin"
    return stem + extension


def to_upload(attachment: Attachment) -> Upload:
    """Resolve an attachment into a pass-through URL or bytes to upload.

    Args:
        attachment: The image or document found in a user message.

    Returns:
        The upload description.

    Raises:
        ValueError: When the block holds no data, path or URL.
    """
    block = attachment.block
    if isinstance(block, ImageBlock):
        url = _http_url(block)
        if url is not None:
            return Upload("image", url=url)
        data = block.resolve_image(as_base64=False).read()
        mime = block.image_mimetype or "image/png"
        return Upload(
            "image", data=data, filename=_filename("image", mime, block.path), mime_type=mime
        )
    data = block.resolve_document().read()
    mime = block.document_mimetype or "application/pdf"
    path = block.path or (Path(str(block.url)).name if block.url else None)
    stem = block.title if block.title and block.title != "input_document" else "document"
    if path and not Path(str(path)).suffix:
        path = None
    return Upload("document", data=data, filename=_filename(stem, mime, path), mime_type=mime)


class AssetCache:
    """A small thread-safe LRU map from content hash to asset reference.

    Args:
        max_entries: How many references to keep.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: str) -> str | None:
        """Return the cached reference for ``key``, if any."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: str) -> None:
        """Remember ``value`` for ``key``."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


def reference(upload: Upload, record: Any) -> str:
    """The chat reference of an uploaded asset: the asset key or the file id."""
    if upload.kind == "document":
        return str(record.file_id or record.asset_key)
    return str(record.asset_key)
