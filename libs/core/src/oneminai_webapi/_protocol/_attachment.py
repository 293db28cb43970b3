"""Chat attachments as data: an image or file to send with a chat prompt.

:class:`ChatAttachment` is a part of ``complete()``'s messages and of every adapter's
translation; uploading it (once, with a cache) is the business of the layers above
(``_client/_complete.py``, :mod:`oneminai_webapi.integrations`), which re-export it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from ..constants import AssetType
from ._download import with_extension

__all__ = ["AttachmentKind", "ChatAttachment", "upload_filename"]

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
