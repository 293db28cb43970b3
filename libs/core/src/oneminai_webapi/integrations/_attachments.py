"""Chat attachments for framework adapters: upload each content once, then reference it.

An adapter turns its framework's image and file blocks into :class:`ChatAttachment`
objects; :func:`resolve_chat_attachments` (or :func:`aresolve_chat_attachments`) turns those
into the ``images=`` asset keys and ``files=`` file ids that ``chat``, ``generate_content``
and ``start_chat(...).send_message`` take, uploading through the Asset API only what is not
already known.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .._protocol._attachment import AttachmentKind, ChatAttachment, upload_filename
from .._protocol._http import UploadProgress
from .._protocol._multipart import share

if TYPE_CHECKING:
    from .._client._async import OneMinAIClient
    from .._client._sync import SyncOneMinAIClient
    from ..types import AssetRecord

__all__ = [
    "AttachmentCache",
    "AttachmentKind",
    "ChatAttachment",
    "ResolvedAttachments",
    "aresolve_chat_attachments",
    "resolve_chat_attachments",
    "upload_filename",
]


class AttachmentCache:
    """A small thread-safe LRU map from :attr:`ChatAttachment.cache_key` to a chat reference.

    Args:
        max_entries: How many references to keep.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> str | None:
        """Return the cached reference for ``key``, if any."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: str) -> None:
        """Remember ``value`` for ``key``, forgetting the least recently used beyond the limit."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


@dataclass
class ResolvedAttachments:
    """Chat references of attachments, in the order the attachments were given.

    Attributes:
        images: Asset keys or URLs, for ``images=``.
        files: File ids (or asset keys when the service gave no file id), for ``files=``.
    """

    images: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, list[str]]:
        """``images=``/``files=`` keyword arguments for a chat call, leaving out empty lists."""
        return {key: refs for key, refs in (("images", self.images), ("files", self.files)) if refs}

    def _add(self, attachment: ChatAttachment, reference: str) -> None:
        (self.images if attachment.kind == "image" else self.files).append(reference)


def _known_reference(attachment: ChatAttachment, cache: AttachmentCache | None) -> str | None:
    """The reference of an attachment that needs no upload, else ``None``."""
    if attachment.asset_ref is not None:
        return attachment.asset_ref
    cached = cache.get(attachment.cache_key) if cache is not None else None
    if cached is not None:
        return cached
    if attachment.kind == "image" and attachment.data is None:
        return attachment.url  # chat images accept URLs directly
    return None


class _Uploads:
    """The byte uploads one resolution makes, reported as one transfer (sizes summed)."""

    def __init__(
        self,
        client: Any,
        attachments: list[ChatAttachment],
        cache: AttachmentCache | None,
        on_progress: UploadProgress | None,
    ) -> None:
        if on_progress is not None and not callable(on_progress):
            raise ValueError("on_progress must be callable")
        # Default: the client's own ``on_upload_progress`` (``with_options``), if any.
        ctx = getattr(client, "_ctx", None)
        self.on_progress = on_progress or getattr(ctx, "upload_progress", None)
        self.total = self.offset = 0
        if self.on_progress is None:
            return
        seen: set[str] = set()  # with a cache, content seen earlier is not uploaded again
        for attachment in attachments:
            if attachment.data is None or _known_reference(attachment, cache) is not None:
                continue
            if cache is not None:
                key = attachment.cache_key
                if key in seen:
                    continue
                seen.add(key)
            self.total += len(attachment.data)

    def progress(self, attachment: ChatAttachment) -> UploadProgress | None:
        """The callback of the upload of ``attachment`` (call in upload order)."""
        if self.on_progress is None or attachment.data is None:
            return None
        progress = share(self.on_progress, self.offset, self.total)
        self.offset += len(attachment.data)
        return progress


def _start_upload(
    client: SyncOneMinAIClient | OneMinAIClient,
    attachment: ChatAttachment,
    progress: UploadProgress | None = None,
) -> AssetRecord | Awaitable[AssetRecord]:
    """Call the client's upload method (a value from the sync client, else an awaitable)."""
    if attachment.data is not None:
        if progress is not None:
            return client.upload_asset(
                data=attachment.data,
                filename=attachment.upload_filename,
                mime_type=attachment.mime_type,
                asset_type=attachment.asset_type,
                on_progress=progress,
            )
        return client.upload_asset(
            data=attachment.data,
            filename=attachment.upload_filename,
            mime_type=attachment.mime_type,
            asset_type=attachment.asset_type,
        )
    if attachment.url is None:
        raise ValueError("a chat attachment needs data, a URL or an asset reference")
    return client.upload_asset_from_url(attachment.url, attachment.asset_type)


def _remember(
    attachment: ChatAttachment, record: AssetRecord, cache: AttachmentCache | None
) -> str:
    """The chat reference of an uploaded asset (file id for files), stored in ``cache``."""
    reference = record.asset_key
    if attachment.kind == "file":
        reference = record.file_id or reference
    if cache is not None:
        cache.put(attachment.cache_key, reference)
    return reference


def resolve_chat_attachments(
    client: SyncOneMinAIClient,
    attachments: Iterable[ChatAttachment],
    cache: AttachmentCache | None = None,
    *,
    on_progress: UploadProgress | None = None,
) -> ResolvedAttachments:
    """Upload what is needed (sync client) and return the chat references.

    Args:
        client: The sync client.
        attachments: The attachments, in message order.
        cache: Remembers uploads across calls, so the same content is uploaded once.
        on_progress: Called as ``on_progress(bytes_sent, total_bytes)`` while attachment
            bytes are uploaded; the uploads of one call count as one transfer
            (``total_bytes`` is their sum; see ``upload_asset``). Default: the client's
            ``on_upload_progress``.

    Returns:
        The ``images``/``files`` references, in the order of ``attachments``.

    Raises:
        ValueError: For an attachment with neither data, a URL nor an asset reference, or
            an ``on_progress`` that is not callable.
    """
    resolved = ResolvedAttachments()
    attachments = list(attachments)
    uploads = _Uploads(client, attachments, cache, on_progress)
    for attachment in attachments:
        ref = _known_reference(attachment, cache)
        if ref is None:
            progress = uploads.progress(attachment)
            record = cast("AssetRecord", _start_upload(client, attachment, progress))
            ref = _remember(attachment, record, cache)
        resolved._add(attachment, ref)
    return resolved


async def aresolve_chat_attachments(
    client: OneMinAIClient,
    attachments: Iterable[ChatAttachment],
    cache: AttachmentCache | None = None,
    *,
    on_progress: UploadProgress | None = None,
) -> ResolvedAttachments:
    """Async :func:`resolve_chat_attachments`, with the async client."""
    resolved = ResolvedAttachments()
    attachments = list(attachments)
    uploads = _Uploads(client, attachments, cache, on_progress)
    for attachment in attachments:
        ref = _known_reference(attachment, cache)
        if ref is None:
            progress = uploads.progress(attachment)
            upload = cast("Awaitable[AssetRecord]", _start_upload(client, attachment, progress))
            ref = _remember(attachment, await upload, cache)
        resolved._add(attachment, ref)
    return resolved
