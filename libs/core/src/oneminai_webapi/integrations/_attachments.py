"""Chat attachments for framework adapters: upload each content once, then reference it.

An adapter turns its framework's image and file blocks into :class:`ChatAttachment`
objects; :func:`resolve_chat_attachments` (or :func:`aresolve_chat_attachments`) turns those
into the ``images=`` asset keys and ``files=`` file ids that ``chat``, ``generate_content``
and ``start_chat(...).send_message`` take, uploading through the Asset API only what is not
already known.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from .._protocol._download import with_extension
from .._protocol._http import UploadProgress
from .._protocol._multipart import share
from ..constants import AssetType

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

#: ``image``: sent in ``images=`` (asset keys or URLs); ``file``: sent in ``files=`` (file ids).
AttachmentKind = Literal["image", "file"]

_DATA_URL_RE = re.compile(r"^data:(?P<mime>[\w/+.\-]+)?(?:;[\w=\-]+)*;base64,(?P<data>.*)$", re.S)
#: The extension of a name that has none and no (or no specific) MIME type to go by.
_FALLBACK_EXTENSIONS: dict[AttachmentKind, str] = {"image": ".png", "file": ".pdf"}


def upload_filename(
    filename: str | None, mime_type: str | None, kind: AttachmentKind = "file"
) -> str:
    """Return a file name the Asset API accepts (``upload_asset`` refuses names without one).

    A name that has an extension is kept. Otherwise the extension comes from the MIME type;
    without a MIME type it is ``.png`` for images and ``.pdf`` for files, and ``.bin`` for a
    MIME type with no known extension.

    Args:
        filename: The name the framework gave, if any (``None``/empty: ``kind`` is the stem).
        mime_type: The content's MIME type, if known (parameters such as ``;charset`` ignored).
        kind: The attachment kind.

    Returns:
        The file name, always with an extension.
    """
    name = (filename or "").strip() or kind
    if "." in name.strip("."):
        return name
    named = with_extension(name.rstrip(".") or kind, mime_type)
    if "." not in named.strip("."):
        named += ".bin" if mime_type else _FALLBACK_EXTENSIONS[kind]
    return named


@dataclass(frozen=True)
class ChatAttachment:
    """An image or file to send with a chat prompt.

    Exactly one of ``data``, ``url`` and ``asset_ref`` is expected. Images given by URL are
    passed to the chat API as they are; files given by URL are registered through
    ``upload_asset_from_url``; bytes are uploaded; ``asset_ref`` is used unchanged.

    Attributes:
        kind: ``image`` or ``file`` (see :data:`AttachmentKind`).
        data: Raw bytes to upload.
        url: A remote URL.
        asset_ref: An already uploaded asset key (images) or file id (files).
        mime_type: The MIME type, when known.
        filename: The name to upload under, when known (see :attr:`upload_filename`).
    """

    kind: AttachmentKind
    data: bytes | None = None
    url: str | None = None
    asset_ref: str | None = None
    mime_type: str | None = None
    filename: str | None = None

    @classmethod
    def from_base64(
        cls,
        kind: AttachmentKind,
        payload: str,
        *,
        mime_type: str | None = None,
        filename: str | None = None,
    ) -> ChatAttachment:
        """Build an attachment from base64 text (white space is ignored).

        Raises:
            ValueError: If ``payload`` is not valid base64.
        """
        try:
            data = base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("attachment data is not valid base64") from None
        return cls(kind, data=data, mime_type=mime_type, filename=filename)

    @classmethod
    def from_url(
        cls,
        kind: AttachmentKind,
        url: str,
        *,
        mime_type: str | None = None,
        filename: str | None = None,
    ) -> ChatAttachment:
        """Build an attachment from a URL; a ``data:…;base64,`` URL becomes bytes.

        The MIME type of a data URL takes precedence over ``mime_type``.

        Raises:
            ValueError: If a data URL's payload is not valid base64.
        """
        match = _DATA_URL_RE.match(url)
        if match is None:
            return cls(kind, url=url, mime_type=mime_type, filename=filename)
        return cls.from_base64(
            kind, match.group("data"), mime_type=match.group("mime") or mime_type, filename=filename
        )

    @property
    def cache_key(self) -> str:
        """A stable key identifying the content, used to avoid uploading it twice."""
        if self.data is not None:
            return f"{self.kind}:sha256:{hashlib.sha256(self.data).hexdigest()}"
        return f"{self.kind}:{self.url or self.asset_ref}"

    @property
    def upload_filename(self) -> str:
        """:attr:`filename`, given an extension from the MIME type if it has none."""
        return upload_filename(self.filename, self.mime_type, self.kind)

    @property
    def asset_type(self) -> AssetType:
        """The Asset API type: ``IMAGE`` for images, ``DOCUMENT`` for files."""
        return AssetType.IMAGE if self.kind == "image" else AssetType.DOCUMENT


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
