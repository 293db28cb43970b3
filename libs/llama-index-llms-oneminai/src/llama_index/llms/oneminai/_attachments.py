"""LlamaIndex image and document blocks as core chat attachments.

Images given by an ``http(s)`` URL are passed to the chat API as they are. Everything else
(bytes, data URLs, local paths, document URLs) is read here, then uploaded once by
:func:`oneminai_webapi.integrations.resolve_chat_attachments`.
"""

from __future__ import annotations

from pathlib import Path

from llama_index.core.base.llms.types import DocumentBlock, ImageBlock
from oneminai_webapi.integrations import ChatAttachment

__all__ = ["to_chat_attachment"]


def _http_url(block: ImageBlock | DocumentBlock) -> str | None:
    url = str(block.url) if block.url is not None else ""
    return url if url.startswith(("http://", "https://")) else None


def to_chat_attachment(block: ImageBlock | DocumentBlock) -> ChatAttachment:
    """Resolve an image or document block into a URL to pass through or bytes to upload.

    Args:
        block: The image or document block of a user or system message.

    Returns:
        The core attachment (the core gives an extension-less name one from the MIME type).

    Raises:
        ValueError: When the block holds no data, path or URL.
    """
    if isinstance(block, ImageBlock):
        url = _http_url(block)
        if url is not None:
            return ChatAttachment("image", url=url)
        return ChatAttachment(
            "image",
            data=block.resolve_image(as_base64=False).read(),
            mime_type=block.image_mimetype or "image/png",
            filename=Path(str(block.path)).name if block.path else None,
        )
    path = block.path or (Path(str(block.url)).name if block.url else None)
    title = block.title if block.title and block.title != "input_document" else "document"
    return ChatAttachment(
        "file",
        data=block.resolve_document().read(),
        mime_type=block.document_mimetype or "application/pdf",
        filename=Path(str(path)).name if path and Path(str(path)).suffix else title,
    )
