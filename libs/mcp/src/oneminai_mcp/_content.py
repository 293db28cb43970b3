"""Tool results as MCP content: text, inline images (and audio), links, ``_meta``.

Files are downloaded through the core client that produced them (``output.save()``), never
with an HTTP client of our own, and only up to a size limit: a larger file (or one whose
download fails) comes back as a resource link, so a result the service already charged
for is never lost.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import posixpath
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
from mcp import types
from oneminai_webapi.exceptions import OneMinAIError
from oneminai_webapi.integrations import ResultFile, ToolResult

from ._config import ServerConfig

logger = logging.getLogger("oneminai_mcp")

#: ``_meta`` keys of a result.
CREDITS_META = "oneminai/credits_used"
JOB_META = "oneminai/job_id"

_DEFAULT_MIME = {"image": "image/png", "audio": "audio/mpeg", "video": "video/mp4"}


class _TooLarge(Exception):
    """Raised from a download's progress callback to stop it."""


def text_block(text: str) -> types.TextContent:
    """A text content block."""
    return types.TextContent(type="text", text=text)


def error_result(message: str) -> types.CallToolResult:
    """A tool error the model reads (``isError``)."""
    return types.CallToolResult(content=[text_block(message)], isError=True)


def _name(url: str, kind: str) -> str:
    return posixpath.basename(unquote(urlsplit(url).path)) or kind


def _mime(name: str, kind: str) -> str:
    guessed = mimetypes.guess_type(name)[0]
    return guessed if guessed and guessed.startswith(kind) else _DEFAULT_MIME[kind]


def resource_link(file: ResultFile) -> types.ResourceLink:
    """A link to a result file (its URL; the asset key in the description)."""
    name = _name(file.url, file.kind)
    description = f"1min.AI asset key: {file.key}" if file.key else None
    return types.ResourceLink(
        type="resource_link",
        uri=file.url,
        name=name,
        mimeType=_mime(name, file.kind),
        description=description,
    )


async def download(file: ResultFile, limit: int) -> tuple[bytes, str] | None:
    """The file's bytes and MIME type, or ``None`` when larger than ``limit`` or unreadable."""
    save = getattr(file.source, "save", None)
    if limit <= 0 or save is None:
        return None

    def check(received: int, total: int | None) -> None:
        # Raised only once data arrives (inside the writer's cleanup), never on the
        # initial (0, total) report.
        if received and (received > limit or (total is not None and total > limit)):
            raise _TooLarge

    with tempfile.TemporaryDirectory(prefix="oneminai-mcp-") as folder:
        try:
            path = Path(await save(folder, on_progress=check))
        except _TooLarge:
            return None
        except (OneMinAIError, OSError) as exc:
            logger.warning("could not download a %s result: %s", file.kind, exc)
            return None
        data = await anyio.Path(path).read_bytes()
        if len(data) > limit:
            return None
        return data, _mime(path.name, file.kind)


async def file_block(file: ResultFile, config: ServerConfig) -> types.ContentBlock:
    """Inline image or audio content when it fits, else a resource link."""
    if file.kind == "image":
        fetched = await download(file, config.max_image_bytes)
        if fetched is not None:
            data, mime = fetched
            return types.ImageContent(
                type="image", data=base64.b64encode(data).decode("ascii"), mimeType=mime
            )
    elif file.kind == "audio" and config.inline_audio:
        fetched = await download(file, config.max_audio_bytes)
        if fetched is not None:
            data, mime = fetched
            return types.AudioContent(
                type="audio", data=base64.b64encode(data).decode("ascii"), mimeType=mime
            )
    return resource_link(file)


async def call_result(result: ToolResult, config: ServerConfig) -> types.CallToolResult:
    """The MCP result of a finished tool call."""
    content: list[types.ContentBlock] = [text_block(result.text)]
    for file in result.files:
        content.append(await file_block(file, config))
    meta: dict[str, Any] = {}
    if result.credits_used is not None:
        meta[CREDITS_META] = result.credits_used
    return types.CallToolResult(
        content=content,
        structuredContent=result.artifact,
        isError=False,
        _meta=meta or None,
    )


def pending_result(tool: str, job_id: str, status: str | None) -> types.CallToolResult:
    """A long job still running at the deadline: its id, to resume later."""
    text = (
        f"The job {job_id} is still running ({status or 'pending'}); it goes on at 1min.AI. "
        f'Call oneminai_job_result with job_id "{job_id}" later to get its result.'
    )
    return types.CallToolResult(
        content=[text_block(text)],
        structuredContent={"status": "pending", "job_id": job_id, "tool": tool},
        isError=False,
        _meta={JOB_META: job_id},
    )
